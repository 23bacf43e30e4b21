//! The live figures of the cgroups simulator.

use super::Live;
use leptos::prelude::*;
use sim_cgroups::CgroupSim;

/// Slide figure `tree` (being drawn).
pub fn tree(live: Live<CgroupSim>) -> AnyView {
    view! { <p class="fig-pending">{move || live.with_run(|run| format!("{} steps", run.steps()))}</p> }.into_any()
}

/// Slide figure `shell_session` (being drawn).
pub fn shell_session(live: Live<CgroupSim>) -> AnyView {
    view! { <p class="fig-pending">{move || live.with_run(|run| format!("{} steps", run.steps()))}</p> }.into_any()
}

/// Slide figure `listing` (being drawn).
pub fn listing(live: Live<CgroupSim>) -> AnyView {
    view! { <p class="fig-pending">{move || live.with_run(|run| format!("{} steps", run.steps()))}</p> }.into_any()
}

/// Slide figure `level` (being drawn).
pub fn level(live: Live<CgroupSim>) -> AnyView {
    view! { <p class="fig-pending">{move || live.with_run(|run| format!("{} steps", run.steps()))}</p> }.into_any()
}
