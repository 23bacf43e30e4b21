//! The engine contract (sim_core's conformance kit) on every shipped
//! scenario and on a scenario with inputs, and the rule list.

mod common;

use common::{load, scenario, shipped, STEP_LIMIT};
use sim_core::testing::conformance;
use sim_core::{Fact, Player};
use sim_scheduler::{rules, Config, SchedInput, SchedulerSim};
use std::collections::BTreeSet;

#[test]
fn every_shipped_scenario_conforms() {
    let files = shipped();
    assert!(files.len() >= 2, "expected the slide 19 and 20 scenarios");
    for file in &files {
        assert_eq!(file.header.simulator, sim_scheduler::SIMULATOR);
        conformance(|| file.player(), &[], STEP_LIMIT);
    }
}

const CORDONED: &str = r#"
[[nodes]]
name = "a"
cpu = "1"
memory = "1Gi"
unschedulable = true

[[nodes]]
name = "b"
cpu = "1"
memory = "1Gi"

[[pods]]
name = "big"
cpu = "800m"

[[pods]]
name = "small"
cpu = "500m"
"#;

#[test]
fn a_scenario_with_inputs_conforms_and_replays_them() {
    let file = load("inputs.toml", &scenario(CORDONED));
    let inputs = vec![
        (
            3,
            SchedInput::AddNode {
                name: "c".into(),
                like: "b".into(),
            },
        ),
        (20, SchedInput::Uncordon { node: "a".into() }),
    ];
    conformance(|| file.player(), &inputs, STEP_LIMIT);
}

#[test]
fn refused_inputs_say_why() {
    let file = load("inputs.toml", &scenario(CORDONED));
    let mut p = file.player();
    let e = p
        .input(SchedInput::DeletePod {
            pod: "nobody".into(),
        })
        .unwrap_err();
    assert!(e.0.contains("no pod “nobody”"), "{e}");
    let e = p
        .input(SchedInput::AddNode {
            name: "a".into(),
            like: "b".into(),
        })
        .unwrap_err();
    assert!(e.0.contains("exists already"), "{e}");
}

#[test]
fn every_rule_is_listed_once_and_every_step_names_a_listed_rule() {
    let ids: BTreeSet<&str> = rules::ALL.iter().map(|r| r.id).collect();
    assert_eq!(ids.len(), rules::ALL.len(), "rule ids are unique");
    for rule in rules::ALL {
        assert!(rule.says.ends_with('.'), "{}", rule.id);
        assert!(!rule.source.is_empty(), "{}", rule.id);
    }
    for file in shipped() {
        let mut p = file.player();
        p.run_to_end(STEP_LIMIT);
        for e in p.trace() {
            assert!(ids.contains(e.fact.rule().id), "{}", e.fact.rule().id);
        }
    }
}

#[test]
fn every_shipped_config_survives_the_site_s_binary_form() {
    for file in shipped() {
        let bytes = postcard::to_allocvec(&file.config).unwrap();
        let decoded: Config = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(decoded, file.config, "{}", file.name);
        let mut from_bytes = Player::new(SchedulerSim::new(decoded), file.header.seed);
        let mut loaded = file.player();
        from_bytes.run_to_end(STEP_LIMIT);
        loaded.run_to_end(STEP_LIMIT);
        assert_eq!(from_bytes.to_trace().to_json(), loaded.to_trace().to_json());
    }
}
