//! The scenarios compiled at build time (`build.rs`) and the simulations
//! they start: the browser gets each simulator's validated config in binary
//! form and its plain constructor, never a scenario file's text.

use serde::de::DeserializeOwned;
use sim_cgroups::CgroupSim;
use sim_core::{CompiledScenario, ScenarioTable, Simulation, Tunable};
use sim_logs::LogsSim;
use sim_overlay::OverlaySim;
use sim_scheduler::SchedulerSim;
use std::sync::OnceLock;

/// The most steps a live run may take (a what-if edit that never ends stops there).
pub const STEP_LIMIT: usize = 20_000;

/// Every shipped scenario, as compiled when the site was built.
pub fn table() -> Result<&'static ScenarioTable, String> {
    static TABLE: OnceLock<Result<ScenarioTable, String>> = OnceLock::new();
    TABLE
        .get_or_init(|| {
            postcard::from_bytes(include_bytes!(concat!(env!("OUT_DIR"), "/scenarios.bin")))
                .map_err(|e| format!("the compiled scenarios cannot be read: {e}"))
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Every shipped scenario that compiled, sorted by file name.
pub fn compiled_scenarios() -> Result<Vec<CompiledScenario>, String> {
    table().map(|t| t.scenarios.clone())
}

/// A simulator whose simulations run live in the page: built from the
/// config a scenario compiled to.
pub trait LiveSimulation: Simulation + 'static {
    /// Its validated config, with the knobs what-if parameters turn.
    type Config: DeserializeOwned + Tunable + Clone + 'static;
    /// The `simulator` name scenarios give.
    const SIMULATOR: &'static str;
    /// The simulation at step 0.
    fn build(config: Self::Config) -> Self;

    /// The config `scenario` compiled to, or why it cannot be read.
    fn config_of(scenario: &CompiledScenario) -> Result<Self::Config, String> {
        if scenario.header.simulator != Self::SIMULATOR {
            return Err(format!(
                "{} is a scenario of the {} simulator, not {}",
                scenario.file_name,
                scenario.header.simulator,
                Self::SIMULATOR
            ));
        }
        postcard::from_bytes(&scenario.config).map_err(|e| {
            format!(
                "{}: the compiled {} config cannot be read: {e}",
                scenario.file_name,
                Self::SIMULATOR
            )
        })
    }
}

impl LiveSimulation for CgroupSim {
    type Config = sim_cgroups::Config;
    const SIMULATOR: &'static str = sim_cgroups::SIMULATOR;
    fn build(config: Self::Config) -> Self {
        CgroupSim::new(config)
    }
}

impl LiveSimulation for OverlaySim {
    type Config = sim_overlay::Config;
    const SIMULATOR: &'static str = sim_overlay::SIMULATOR;
    fn build(config: Self::Config) -> Self {
        OverlaySim::new(config)
    }
}

impl LiveSimulation for LogsSim {
    type Config = sim_logs::Config;
    const SIMULATOR: &'static str = sim_logs::SIMULATOR;
    fn build(config: Self::Config) -> Self {
        LogsSim::new(config)
    }
}

impl LiveSimulation for SchedulerSim {
    type Config = sim_scheduler::Config;
    const SIMULATOR: &'static str = sim_scheduler::SIMULATOR;
    fn build(config: Self::Config) -> Self {
        SchedulerSim::new(config)
    }
}
