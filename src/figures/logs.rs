//! The live figures of the logs simulator.

use super::Live;
use leptos::prelude::*;
use sim_logs::LogsSim;

/// Slide figure `node_logging` (being drawn).
pub fn node_logging(live: Live<LogsSim>) -> AnyView {
    view! { <p class="fig-pending">{move || live.with_run(|run| format!("{} steps", run.steps()))}</p> }.into_any()
}

/// Slide figure `agent` (being drawn).
pub fn agent(live: Live<LogsSim>) -> AnyView {
    view! { <p class="fig-pending">{move || live.with_run(|run| format!("{} steps", run.steps()))}</p> }.into_any()
}

/// Slide figure `sidecar` (being drawn).
pub fn sidecar(live: Live<LogsSim>) -> AnyView {
    view! { <p class="fig-pending">{move || live.with_run(|run| format!("{} steps", run.steps()))}</p> }.into_any()
}
