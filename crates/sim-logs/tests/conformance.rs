//! The engine contract (sim_core's conformance kit) on every shipped scenario
//! and on the test scenario with inputs, and the rule list.

mod common;

use common::{input_scenario, scenario_inputs, shipped, STEP_LIMIT};
use sim_core::testing::conformance;
use sim_core::{Fact, Player};
use sim_logs::{rules, Config, LogsSim};
use std::collections::BTreeSet;

#[test]
fn every_shipped_scenario_conforms() {
    let files = shipped();
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    assert!(
        names.len() >= 3,
        "expected the slide 22, 23 and 24 scenarios, found {names:?}"
    );
    for file in &files {
        assert_eq!(file.header.simulator, sim_logs::SIMULATOR, "{}", file.name);
        conformance(|| file.player(), &[], STEP_LIMIT);
        assert!(
            file.player().run_to_end(STEP_LIMIT),
            "{} did not finish",
            file.name
        );
    }
}

#[test]
fn the_scenario_with_inputs_conforms_and_replays_its_inputs() {
    let file = input_scenario();
    conformance(|| file.player(), &scenario_inputs(), STEP_LIMIT);
}

#[test]
fn every_shipped_config_survives_the_site_s_binary_form() {
    for file in shipped() {
        let bytes = postcard::to_allocvec(&file.config).unwrap();
        let decoded: Config = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(decoded, file.config, "{}", file.name);
        let mut from_bytes = Player::new(LogsSim::new(decoded), file.header.seed);
        let mut loaded = file.player();
        from_bytes.run_to_end(STEP_LIMIT);
        loaded.run_to_end(STEP_LIMIT);
        assert_eq!(
            from_bytes.to_trace().to_json(),
            loaded.to_trace().to_json(),
            "{}",
            file.name
        );
    }
}

#[test]
fn rule_ids_are_unique_and_named_for_this_simulator() {
    let mut ids = BTreeSet::new();
    for rule in rules::ALL {
        assert!(rule.id.starts_with("logs."), "{}", rule.id);
        assert!(ids.insert(rule.id), "{} is listed twice", rule.id);
    }
}

#[test]
fn every_rule_is_produced_by_a_shipped_or_test_scenario() {
    let mut produced = BTreeSet::new();
    for file in shipped() {
        let mut p = file.player();
        assert!(p.run_to_end(STEP_LIMIT), "{}", file.name);
        produced.extend(p.trace().iter().map(|e| e.fact.rule().id));
    }
    let file = input_scenario();
    let mut p = file.player();
    for (at, input) in scenario_inputs() {
        p.seek(at);
        p.input(input).unwrap();
    }
    assert!(p.run_to_end(STEP_LIMIT));
    produced.extend(p.trace().iter().map(|e| e.fact.rule().id));
    let listed: BTreeSet<&str> = rules::ALL.iter().map(|r| r.id).collect();
    let never: Vec<&&str> = listed.difference(&produced).collect();
    assert!(never.is_empty(), "never produced: {never:?}");
    let unlisted: Vec<&&str> = produced.difference(&listed).collect();
    assert!(
        unlisted.is_empty(),
        "produced but not in rules::ALL: {unlisted:?}"
    );
}
