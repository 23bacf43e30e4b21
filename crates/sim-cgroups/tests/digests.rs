//! Every shipped cgroups scenario's trace matches its golden digest in
//! `slides/scenarios/digests.txt` (the line the runner's `digest` command
//! prints), so a change that alters a trace cannot pass unnoticed.

mod common;

use common::*;

#[test]
fn every_shipped_trace_matches_its_golden_digest() {
    let golden = std::fs::read_to_string(scenarios_dir().join("digests.txt")).unwrap();
    for (name, src) in shipped() {
        let p = finish(player(&name, &src));
        let trace = p.to_trace();
        let line = format!(
            "{name} seed={} steps={} digest={}",
            trace.seed,
            trace.steps.len(),
            trace.digest()
        );
        assert!(
            golden.lines().any(|l| l == line),
            "{line} is not in digests.txt"
        );
    }
}
