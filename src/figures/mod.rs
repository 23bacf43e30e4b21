//! Live figures: simulations that take the place of a slide's static figure.
//!
//! A scenario in `slides/scenarios/` names its slides; the catalog
//! ([`FIGURES`]) names each figure's scenario; `build.rs` checks the two
//! against each other and the deck, and puts each figure on its slides. Each
//! figure is a drawing function over the [`Live`] context its [`frame`]
//! provides, registered in [`draw`], one module per simulator. A drawing
//! writes SVG markup (`svg`) rather than a view tree, which costs far fewer
//! bytes; `markup::drawn` keeps the drawn elements and patches them.

mod catalog;
mod cgroups;
mod decimal;
mod frame;
mod live;
mod logs;
mod markup;
mod overlay;
pub mod remote;
mod scheduler;
mod scheduler_scale;
mod svg;

pub use catalog::{figure_named, FigureKind, FigureSpec, FIGURES};
pub use live::{use_live, Live, Run, Told};

use crate::figure_host::FigureHost;
use crate::scenarios;
use leptos::prelude::*;
use sim_cgroups::CgroupSim;
use sim_logs::LogsSim;
use sim_overlay::OverlaySim;
use sim_scheduler::SchedulerSim;
use simdeck_deck::LiveFigure;

/// The live figure `live` in its frame, following `click`; `host` for the
/// slide on stage (URL and keys), `None` elsewhere.
pub fn draw(live: &LiveFigure, click: Signal<usize>, host: Option<FigureHost>) -> AnyView {
    let Some(spec) = figure_named(&live.figure) else {
        return failure(&format!("this build has no live figure `{}`", live.figure));
    };
    let scenario = match scenarios::table().and_then(|t| t.find(&live.scenario).cloned()) {
        Ok(scenario) => scenario,
        Err(message) => return failure(&message),
    };
    use frame::frame;
    use FigureKind as K;
    match spec.kind {
        K::CgroupsTree => frame::<CgroupSim>(scenario, click, host, cgroups::tree),
        K::ShellSession => frame::<CgroupSim>(scenario, click, host, cgroups::shell_session),
        K::CgroupListing => frame::<CgroupSim>(scenario, click, host, cgroups::listing),
        K::CgroupsLevel => frame::<CgroupSim>(scenario, click, host, cgroups::level),
        K::StorageDrivers => frame::<OverlaySim>(scenario, click, host, overlay::storage_drivers),
        K::DockerfileLayers => frame::<OverlaySim>(scenario, click, host, overlay::dockerfile),
        K::ContainerLayers => frame::<OverlaySim>(scenario, click, host, overlay::container_layers),
        K::OverlayConstructs => frame::<OverlaySim>(scenario, click, host, overlay::constructs),
        K::KubeScheduler => frame::<SchedulerSim>(scenario, click, host, scheduler::priority),
        K::SchedulingFramework => {
            frame::<SchedulerSim>(scenario, click, host, scheduler::framework)
        }
        K::NodeLogging => frame::<LogsSim>(scenario, click, host, logs::node_logging),
        K::LoggingAgent => frame::<LogsSim>(scenario, click, host, logs::agent),
        K::StreamingSidecar => frame::<LogsSim>(scenario, click, host, logs::sidecar),
    }
}

/// A located message in place of a figure that cannot be drawn.
fn failure(message: &str) -> AnyView {
    view! {
        <div class="figure-failure" role="alert">
            <p>"This live figure cannot run:"</p>
            <pre>{message.to_string()}</pre>
        </div>
    }
    .into_any()
}
