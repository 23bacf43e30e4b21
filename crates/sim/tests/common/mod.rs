//! What the golden tests share: run every shipped scenario twice through the
//! built-in registry and compare with the golden file.

use simdeck_sim::{digest_file, run_to_end, shipped, Registry, Run, REBLESS_COMMAND, STEP_LIMIT};

/// The golden digest file, as committed.
pub const GOLDEN: &str = include_str!("../../../../slides/scenarios/digests.txt");

/// Runs every shipped scenario twice, checks both runs give the same trace
/// bytes, and returns the digest file's text.
pub fn shipped_digests() -> Result<String, String> {
    let registry = Registry::builtin();
    let mut runs: Vec<Run> = Vec::new();
    for scenario in shipped() {
        let run = |_| {
            run_to_end(&registry, scenario.path, scenario.source, None, STEP_LIMIT)
                .map_err(|e| e.to_string())
        };
        let (first, second) = (run(1)?, run(2)?);
        if first.trace.to_json() != second.trace.to_json() {
            return Err(format!(
                "{}: two runs with seed {} gave different traces",
                scenario.path, first.trace.seed
            ));
        }
        runs.push(first);
    }
    Ok(digest_file(&runs))
}

/// `Ok` when `actual` has the golden file's lines; otherwise every differing
/// line and how to re-bless.
pub fn compare_with_golden(actual: &str) -> Result<(), String> {
    let (actual, golden): (Vec<&str>, Vec<&str>) =
        (actual.lines().collect(), GOLDEN.lines().collect());
    if actual == golden {
        return Ok(());
    }
    let mut report = String::from("the traces differ from slides/scenarios/digests.txt:\n");
    for line in golden.iter().filter(|l| !actual.contains(l)) {
        report.push_str(&format!("  golden only: {line}\n"));
    }
    for line in actual.iter().filter(|l| !golden.contains(l)) {
        report.push_str(&format!("  now:         {line}\n"));
    }
    report.push_str(&format!(
        "if the change is intended, re-bless with:\n  {REBLESS_COMMAND}"
    ));
    Err(report)
}
