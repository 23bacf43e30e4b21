//! The simulators in a real browser, built from the scenario table compiled
//! at build time: every shipped scenario gives the golden digest computed
//! natively, with no scenario text or TOML parser in the page.
#![cfg(target_arch = "wasm32")]

use sim_cgroups::CgroupSim;
use sim_core::CompiledScenario;
use sim_core::{JsonState, Player, Simulation};
use sim_logs::LogsSim;
use sim_overlay::OverlaySim;
use sim_scheduler::SchedulerSim;
use simdeck::scenarios::{compiled_scenarios, LiveSimulation};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The golden digest file, as committed.
const GOLDEN: &str = include_str!("../slides/scenarios/digests.txt");

/// The digest line of one run of `scenario` to the end, rebuilt by simulator
/// `S`: `<file> seed=<seed> steps=<n> digest=<hex>`.
fn digest_line<S: LiveSimulation + JsonState>(scenario: &CompiledScenario) -> String {
    digest_of(S::build(S::config_of(scenario).unwrap()), scenario)
}

/// The digest line of one run of `sim`, built from `scenario`, to the end.
fn digest_of<S: Simulation + JsonState>(sim: S, scenario: &CompiledScenario) -> String {
    let (file, seed, steps) = (
        scenario.file_name.as_str(),
        scenario.header.seed,
        scenario.steps,
    );
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
        let line = match scenario.header.simulator.as_str() {
            sim_cgroups::SIMULATOR => digest_line::<CgroupSim>(scenario),
            sim_overlay::SIMULATOR => digest_line::<OverlaySim>(scenario),
            sim_logs::SIMULATOR => digest_line::<LogsSim>(scenario),
            sim_scheduler::SIMULATOR => digest_line::<SchedulerSim>(scenario),
            other => panic!("no simulator {other}"),
        };
        assert_eq!(line, expected);
    }
}

#[wasm_bindgen_test]
fn a_config_of_the_wrong_simulator_is_a_located_message() {
    let mut scenarios = compiled_scenarios().unwrap();
    let wrong = scenarios.remove(0);
    let message = OverlaySim::config_of(&wrong).unwrap_err();
    assert!(message.contains(&wrong.file_name), "{message}");
    assert!(message.contains("not overlay"), "{message}");
    let mut garbled = scenarios.remove(0);
    garbled.config.truncate(1);
    let message = CgroupSim::config_of(&garbled).unwrap_err();
    assert!(message.contains("cannot be read"), "{message}");
}
