//! The scenarios compiled at build time (`build.rs`) and the simulations
//! they start: the browser gets each simulator's validated config in binary
//! form and its plain constructor, never a scenario file's text.

use sim_cgroups::CgroupSim;
use sim_core::CompiledScenario;
use sim_logs::LogsSim;
use sim_overlay::OverlaySim;

/// Every shipped scenario that loaded and finished when the site was built,
/// sorted by file name.
pub fn compiled_scenarios() -> Result<Vec<CompiledScenario>, String> {
    postcard::from_bytes(include_bytes!(concat!(env!("OUT_DIR"), "/scenarios.bin")))
        .map_err(|e| format!("the compiled scenarios cannot be read: {e}"))
}

/// A simulation of one of the shipped simulators, at step 0.
#[derive(Debug, Clone)]
pub enum LiveSim {
    /// The cgroups simulator (slides 7–10).
    Cgroups(CgroupSim),
    /// The overlay filesystem simulator (slides 15–18).
    Overlay(OverlaySim),
    /// The logging simulator (slides 22–24).
    Logs(LogsSim),
}

impl LiveSim {
    /// The simulation `scenario` starts, or why it cannot be made.
    pub fn start(scenario: &CompiledScenario) -> Result<LiveSim, String> {
        let config = scenario.config.as_slice();
        let unreadable = |e: postcard::Error| {
            format!(
                "{}: the compiled {} config cannot be read: {e}",
                scenario.file_name, scenario.header.simulator
            )
        };
        match scenario.header.simulator.as_str() {
            sim_cgroups::SIMULATOR => postcard::from_bytes(config)
                .map(|c| LiveSim::Cgroups(CgroupSim::new(c)))
                .map_err(unreadable),
            sim_overlay::SIMULATOR => postcard::from_bytes(config)
                .map(|c| LiveSim::Overlay(OverlaySim::new(c)))
                .map_err(unreadable),
            sim_logs::SIMULATOR => postcard::from_bytes(config)
                .map(|c| LiveSim::Logs(LogsSim::new(c)))
                .map_err(unreadable),
            other => Err(format!(
                "{}: no simulator `{other}` in this build",
                scenario.file_name
            )),
        }
    }
}
