//! Every shipped simulation, rebuilt in the page from the compiled scenario
//! table and run to its end, with the sentence of its last step. Its wasm
//! build is how `cargo xtask sims-size` measures what the three simulators
//! add to a page, and shows that no TOML parser comes with them.

use sim_core::{Fact, Player, Simulation};
use simdeck::scenarios::{compiled_scenarios, LiveSim};

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
        let (seed, steps) = (scenario.header.seed, scenario.steps as usize);
        let last = match LiveSim::start(scenario) {
            Ok(LiveSim::Cgroups(sim)) => last_words(sim, seed, steps),
            Ok(LiveSim::Overlay(sim)) => last_words(sim, seed, steps),
            Ok(LiveSim::Logs(sim)) => last_words(sim, seed, steps),
            Err(message) => message,
        };
        lines.push(format!(
            "{}: {steps} steps; last: {last}",
            scenario.file_name
        ));
    }
    lines.join("\n")
}

/// The object and sentence of the last of `steps` steps.
fn last_words<S: Simulation>(sim: S, seed: u64, steps: usize) -> String {
    let mut player = Player::new(sim, seed);
    player.seek(steps);
    player
        .last_event()
        .map(|e| format!("{}: {}", e.fact.object(), e.fact.detail()))
        .unwrap_or_default()
}
