//! The simulators in a real browser, built from the scenario table compiled
//! at build time: every shipped scenario gives the golden digest computed
//! natively, with no scenario text or TOML parser in the page.
#![cfg(target_arch = "wasm32")]

use sim_core::{JsonState, Player, Simulation};
use simdeck::scenarios::{compiled_scenarios, LiveSim};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The golden digest file, as committed.
const GOLDEN: &str = include_str!("../slides/scenarios/digests.txt");

/// The digest line of one run to the end: `<file> seed=<seed> steps=<n> digest=<hex>`.
fn digest_line<S: Simulation + JsonState>(file: &str, sim: S, seed: u64, steps: u64) -> String {
    let mut player = Player::new(sim, seed);
    assert!(player.run_to_end(steps as usize + 1), "{file} does not end");
    assert_eq!(player.position() as u64, steps, "{file}: step count");
    let trace = player.to_trace();
    format!(
        "{file} seed={seed} steps={} digest={}",
        trace.steps.len(),
        trace.digest()
    )
}

#[wasm_bindgen_test]
fn the_browser_computes_the_native_golden_digests_from_the_compiled_table() {
    let scenarios = compiled_scenarios().unwrap();
    let golden: Vec<&str> = GOLDEN.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        scenarios.len(),
        golden.len(),
        "a scenario failed to compile"
    );
    for (scenario, expected) in scenarios.iter().zip(golden) {
        let (file, seed, steps) = (
            scenario.file_name.as_str(),
            scenario.header.seed,
            scenario.steps,
        );
        let line = match LiveSim::start(scenario).unwrap() {
            LiveSim::Cgroups(sim) => digest_line(file, sim, seed, steps),
            LiveSim::Overlay(sim) => digest_line(file, sim, seed, steps),
            LiveSim::Logs(sim) => digest_line(file, sim, seed, steps),
        };
        assert_eq!(line, expected);
    }
}

#[wasm_bindgen_test]
fn a_config_of_the_wrong_simulator_is_a_located_message() {
    let mut scenarios = compiled_scenarios().unwrap();
    let mut wrong = scenarios.remove(0);
    wrong.header.simulator = "scheduler".into();
    let message = LiveSim::start(&wrong).unwrap_err();
    assert!(message.contains(&wrong.file_name), "{message}");
    assert!(message.contains("no simulator `scheduler`"), "{message}");
    let mut garbled = scenarios.remove(0);
    garbled.config.truncate(1);
    let message = LiveSim::start(&garbled).unwrap_err();
    assert!(message.contains("cannot be read"), "{message}");
}
