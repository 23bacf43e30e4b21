//! Shared helpers of the scheduler simulator's tests: the shipped scenarios
//! and small scenarios written inline.

#![allow(dead_code)]

use sim_core::scenario::Header;
use sim_core::{Fact, Player};
use sim_scheduler::{Config, SchedulerSim};

/// More steps than any test scenario takes.
pub const STEP_LIMIT: usize = 100_000;

/// A loaded scenario.
pub struct Loaded {
    pub name: String,
    pub header: Header,
    pub config: Config,
}

impl Loaded {
    pub fn player(&self) -> Player<SchedulerSim> {
        Player::new(SchedulerSim::new(self.config.clone()), self.header.seed)
    }
}

/// Loads `src` (named `name`), panicking with the located error.
pub fn load(name: &str, src: &str) -> Loaded {
    let (header, config) = sim_scheduler::load(name, src).unwrap_or_else(|e| panic!("{e}"));
    Loaded {
        name: name.to_string(),
        header,
        config,
    }
}

/// Every shipped `scheduler-*.toml` scenario.
pub fn shipped() -> Vec<Loaded> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../slides/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("scheduler-") && n.ends_with(".toml"))
        })
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            load(&name, &std::fs::read_to_string(p).unwrap())
        })
        .collect()
}

/// A scenario header followed by `body`.
pub fn scenario(body: &str) -> String {
    format!("[scenario]\ntitle = \"t\"\nsimulator = \"scheduler\"\nseed = 3\n\n{body}")
}

/// Plays `loaded` to its end and returns (kind, detail) of every step.
pub fn steps(loaded: &Loaded) -> Vec<(String, String)> {
    let mut p = loaded.player();
    assert!(p.run_to_end(STEP_LIMIT), "{} did not finish", loaded.name);
    p.trace()
        .iter()
        .map(|e| (e.fact.kind().to_string(), e.fact.detail()))
        .collect()
}
