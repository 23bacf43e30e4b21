//! The knobs what-if parameters turn: each reads the config's value, sets
//! it (and the run follows), and refuses a bad value with a sentence.

mod common;

use common::{shipped, Loaded, STEP_LIMIT};
use sim_core::{Player, Tunable};
use sim_logs::config::{KNOB_AGENT_START, KNOB_MAX_FILES, KNOB_MAX_SIZE, KNOB_POLL_INTERVAL};
use sim_logs::{Config, LogsFact, LogsSim};

fn scenario(name: &str) -> Loaded {
    shipped().into_iter().find(|l| l.name == name).unwrap()
}

/// The facts of a whole run of `config` with `seed`.
fn facts(config: Config, seed: u64) -> Vec<LogsFact> {
    let mut player = Player::new(LogsSim::new(config), seed);
    let mut facts = Vec::new();
    while facts.len() < STEP_LIMIT {
        match player.forward() {
            Some(event) => facts.push(event.fact.clone()),
            None => break,
        }
    }
    facts
}

#[test]
fn every_knob_reads_the_value_the_config_holds() {
    let agent = scenario("logs-node-agent.toml");
    let c = &agent.config;
    let settings = &c.settings;
    let a = c.agent.as_ref().unwrap();
    assert_eq!(
        c.knob(KNOB_MAX_SIZE),
        Ok(settings.container_log_max_size as i64)
    );
    assert_eq!(
        c.knob(KNOB_MAX_FILES),
        Ok(settings.container_log_max_files as i64)
    );
    assert_eq!(c.knob(KNOB_POLL_INTERVAL), Ok(a.poll_interval_ms as i64));
    assert_eq!(c.knob(KNOB_AGENT_START), Ok(a.start_ms as i64));
}

#[test]
fn setting_a_knob_changes_the_config_and_the_run() {
    let node = scenario("logs-node-level.toml");
    let seed = node.header.seed;
    let mut bigger = node.config.clone();
    bigger.set_knob(KNOB_MAX_SIZE, 2000).unwrap();
    assert_eq!(bigger.settings.container_log_max_size, 2000);
    let rotations = |facts: &[LogsFact]| {
        facts
            .iter()
            .filter(|f| matches!(f, LogsFact::Rotated { .. }))
            .count()
    };
    let before = rotations(&facts(node.config.clone(), seed));
    let after = rotations(&facts(bigger, seed));
    assert!(
        after < before,
        "{after} rotations with 2000 bytes, {before} with 300"
    );

    let mut more_files = node.config.clone();
    more_files.set_knob(KNOB_MAX_FILES, 6).unwrap();
    assert_eq!(more_files.settings.container_log_max_files, 6);
    let removed = |facts: &[LogsFact]| {
        facts
            .iter()
            .filter(|f| matches!(f, LogsFact::RotatedRemoved { .. }))
            .count()
    };
    assert!(removed(&facts(node.config.clone(), seed)) > 0);
    assert_eq!(removed(&facts(more_files, seed)), 0);

    let agent = scenario("logs-node-agent.toml");
    let missed = |facts: &[LogsFact]| {
        facts
            .iter()
            .filter(|f| matches!(f, LogsFact::AgentMissed { .. }))
            .count()
    };
    let mut early = agent.config.clone();
    early.set_knob(KNOB_AGENT_START, 0).unwrap();
    assert_eq!(early.agent.as_ref().unwrap().start_ms, 0);
    assert!(missed(&facts(agent.config.clone(), agent.header.seed)) > 0);
    assert_eq!(missed(&facts(early.clone(), agent.header.seed)), 0);

    let mut slow = early.clone();
    slow.set_knob(KNOB_POLL_INTERVAL, 15_000).unwrap();
    assert_eq!(slow.agent.as_ref().unwrap().poll_interval_ms, 15_000);
    assert!(
        missed(&facts(slow, agent.header.seed)) > 0,
        "an agent that polls less often than files rotate misses some of them"
    );
}

#[test]
fn bad_values_unknown_knobs_and_a_missing_agent_are_refused_with_a_sentence() {
    let node = scenario("logs-node-level.toml");
    let mut c = node.config.clone();
    for (knob, bad, says) in [
        (
            KNOB_MAX_SIZE,
            0,
            "`node.container_log_max_size` is 0: expected at least 1",
        ),
        (
            KNOB_MAX_FILES,
            1,
            "`node.container_log_max_files` is 1: expected a whole number from 2 to 1000",
        ),
        (
            KNOB_MAX_FILES,
            -3,
            "`node.container_log_max_files` is -3: expected a whole number from 2 to 1000",
        ),
    ] {
        assert_eq!(c.set_knob(knob, bad), Err(says.to_string()));
    }
    let no_agent =
        "`agent.poll_interval_ms` needs a node logging agent, and this scenario deploys none";
    assert_eq!(c.knob(KNOB_POLL_INTERVAL), Err(no_agent.to_string()));
    assert_eq!(
        c.set_knob(KNOB_POLL_INTERVAL, 1000),
        Err(no_agent.to_string())
    );
    let unknown = c.set_knob("node.colour", 1).unwrap_err();
    assert!(
        unknown.starts_with("the logs simulator has no knob `node.colour`: expected one of"),
        "{unknown}"
    );
    assert!(c.knob("node.colour").is_err());
    assert_eq!(c, node.config, "a refused value changes nothing");

    let agent = scenario("logs-node-agent.toml");
    let mut c = agent.config.clone();
    assert_eq!(
        c.set_knob(KNOB_POLL_INTERVAL, 99),
        Err("`agent.poll_interval_ms` is 99: expected a whole number from 100 to 86400000".into())
    );
    assert!(c.set_knob(KNOB_AGENT_START, 86_400_001).is_err());
    assert_eq!(c, agent.config);
}
