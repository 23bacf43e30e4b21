//! The live figures of the overlay simulator.

use super::Live;
use leptos::prelude::*;
use sim_overlay::OverlaySim;

/// Slide figure `storage_drivers` (being drawn).
pub fn storage_drivers(live: Live<OverlaySim>) -> AnyView {
    view! { <p class="fig-pending">{move || live.with_run(|run| format!("{} steps", run.steps()))}</p> }.into_any()
}

/// Slide figure `dockerfile` (being drawn).
pub fn dockerfile(live: Live<OverlaySim>) -> AnyView {
    view! { <p class="fig-pending">{move || live.with_run(|run| format!("{} steps", run.steps()))}</p> }.into_any()
}

/// Slide figure `container_layers` (being drawn).
pub fn container_layers(live: Live<OverlaySim>) -> AnyView {
    view! { <p class="fig-pending">{move || live.with_run(|run| format!("{} steps", run.steps()))}</p> }.into_any()
}

/// Slide figure `constructs` (being drawn).
pub fn constructs(live: Live<OverlaySim>) -> AnyView {
    view! { <p class="fig-pending">{move || live.with_run(|run| format!("{} steps", run.steps()))}</p> }.into_any()
}
