//! Every shipped scenario is deterministic and matches its golden digest.
#![cfg(not(target_arch = "wasm32"))]

mod common;

#[test]
fn every_shipped_scenario_repeats_byte_for_byte_and_matches_the_golden_digest() {
    let digests = common::shipped_digests().unwrap_or_else(|e| panic!("{e}"));
    if let Err(report) = common::compare_with_golden(&digests) {
        panic!("{report}");
    }
}

#[test]
fn the_golden_file_has_one_line_per_shipped_scenario_in_table_order() {
    let names: Vec<&str> = common::GOLDEN
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split(' ').next())
        .collect();
    let shipped: Vec<&str> = simdeck_sim::shipped().iter().map(|s| s.file_name).collect();
    assert_eq!(
        names,
        shipped,
        "re-bless with: {}",
        simdeck_sim::REBLESS_COMMAND
    );
}
