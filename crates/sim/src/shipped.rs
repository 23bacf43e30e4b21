//! The scenarios shipped with the deck, embedded at build time.
//!
//! Contract: [`shipped`] lists every `slides/scenarios/*.toml` file, sorted by
//! file name, with its text as it was when this crate was built (see
//! `build.rs`). It is the one list the checks, the golden digests, the
//! browser test and the benchmark all use.

/// One scenario file embedded in the binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShippedScenario {
    /// The file name, e.g. `cgroups-shares.toml`.
    pub file_name: &'static str,
    /// The path from the repository root, e.g. `slides/scenarios/cgroups-shares.toml`.
    pub path: &'static str,
    /// The file's text.
    pub source: &'static str,
}

/// Where the shipped scenarios live, from the repository root.
pub const SCENARIO_DIR: &str = "slides/scenarios";

static SHIPPED: &[ShippedScenario] = include!(concat!(env!("OUT_DIR"), "/shipped_scenarios.rs"));

/// Every shipped scenario, sorted by file name.
pub fn shipped() -> &'static [ShippedScenario] {
    SHIPPED
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_every_entry_lives_in_the_scenario_dir() {
        let names: Vec<&str> = shipped().iter().map(|s| s.file_name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
        for scenario in shipped() {
            assert_eq!(
                scenario.path,
                format!("{SCENARIO_DIR}/{}", scenario.file_name)
            );
            assert!(scenario.file_name.ends_with(".toml"));
            assert!(scenario.source.contains("[scenario]"), "{}", scenario.path);
        }
    }
}
