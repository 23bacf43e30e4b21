//! Helpers shared by the integration tests: loading shipped scenarios and
//! inline ones, and running them to the end.

#![allow(dead_code)]

use sim_cgroups::{load, CgroupSim};
use sim_core::{Player, StepRecord, Trace};
use std::path::PathBuf;

/// The directory holding the deck's scenario files.
pub fn scenarios_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../slides/scenarios")
}

/// Every shipped cgroups scenario: (file name, source).
pub fn shipped() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(scenarios_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            name.starts_with("cgroups-") && name.ends_with(".toml")
        })
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Loads one shipped scenario by file name.
pub fn shipped_player(name: &str) -> Player<CgroupSim> {
    let src = std::fs::read_to_string(scenarios_dir().join(name)).unwrap();
    player(name, &src)
}

/// The most steps a test runs a scenario for.
pub const STEP_LIMIT: usize = 100_000;

/// A player for scenario source `src`, seeded from its header.
pub fn player(name: &str, src: &str) -> Player<CgroupSim> {
    let (header, config) = load(name, src).unwrap_or_else(|e| panic!("{e}"));
    Player::new(CgroupSim::new(config), header.seed)
}

/// Runs to the end and returns the player there.
pub fn finish(mut p: Player<CgroupSim>) -> Player<CgroupSim> {
    assert!(p.run_to_end(STEP_LIMIT), "script must finish");
    p
}

/// Runs to the end and returns the trace.
pub fn run(p: Player<CgroupSim>) -> Trace {
    finish(p).to_trace()
}

/// A minimal scenario around `machine` settings and script `lines`.
pub fn inline(machine: &str, groups: &str, lines: &[&str]) -> String {
    let lines: Vec<String> = lines.iter().map(|l| format!("  {l:?},")).collect();
    format!(
        "[scenario]\ntitle = \"t\"\nsimulator = \"cgroups\"\n\n[machine]\n{machine}\n\n{groups}\n\n[script]\nlines = [\n{}\n]\n",
        lines.join("\n")
    )
}

/// A run at its end: the trace (what the runner prints) and the simulation
/// (what views read through its typed accessors).
pub struct Finished {
    /// The JSON trace.
    pub trace: Trace,
    /// The simulation after the last step.
    pub sim: CgroupSim,
}

impl std::ops::Deref for Finished {
    type Target = Trace;

    fn deref(&self) -> &Trace {
        &self.trace
    }
}

/// Runs an inline scenario to the end.
pub fn run_inline(machine: &str, groups: &str, lines: &[&str]) -> Finished {
    let p = finish(player("inline.toml", &inline(machine, groups, lines)));
    Finished {
        trace: p.to_trace(),
        sim: p.sim().clone(),
    }
}

/// The events of `trace` produced by rule `id`.
pub fn by_rule<'a>(trace: &'a Trace, id: &str) -> Vec<&'a StepRecord> {
    trace.steps.iter().filter(|e| e.rule.id == id).collect()
}
