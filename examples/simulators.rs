//! Every shipped simulation, rebuilt in the page from the compiled scenario
//! table and run to its end, with the sentence of its last step. Its wasm
//! build is how `cargo xtask sims-size` measures what the three simulators
//! add to a page, and shows that no TOML parser comes with them.

use sim_cgroups::CgroupSim;
use sim_core::{CompiledScenario, Fact, Player};
use sim_logs::LogsSim;
use sim_overlay::OverlaySim;
use simdeck::scenarios::{compiled_scenarios, LiveSimulation};

fn main() {
    let report = report();
    #[cfg(target_arch = "wasm32")]
    web_sys::console::log_1(&report.into());
    #[cfg(not(target_arch = "wasm32"))]
    println!("{report}");
}

/// One line per shipped scenario: its steps and the sentence of its last step.
fn report() -> String {
    let scenarios = match compiled_scenarios() {
        Ok(scenarios) => scenarios,
        Err(message) => return message,
    };
    let mut lines = Vec::new();
    for scenario in &scenarios {
        let last = match scenario.header.simulator.as_str() {
            sim_cgroups::SIMULATOR => last_words::<CgroupSim>(scenario),
            sim_overlay::SIMULATOR => last_words::<OverlaySim>(scenario),
            sim_logs::SIMULATOR => last_words::<LogsSim>(scenario),
            other => Err(format!("no simulator `{other}` in this build")),
        };
        lines.push(format!(
            "{}: {} steps; last: {}",
            scenario.file_name,
            scenario.steps,
            last.unwrap_or_else(|message| message)
        ));
    }
    lines.join("\n")
}

/// The object and sentence of the last step of `scenario`, rebuilt by `S`.
fn last_words<S: LiveSimulation>(scenario: &CompiledScenario) -> Result<String, String> {
    let mut player = Player::new(S::build(S::config_of(scenario)?), scenario.header.seed);
    player.seek(scenario.steps as usize);
    Ok(player
        .last_event()
        .map(|e| format!("{}: {}", e.fact.object(), e.fact.detail()))
        .unwrap_or_default())
}
