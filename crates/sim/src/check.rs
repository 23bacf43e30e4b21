//! Running scenarios to their end: the check mode and the golden digests.
//!
//! Contract: a scenario passes when it loads and its script finishes within the
//! step limit; a scenario that is still running at the limit is an error like
//! any other. A digest line records the file name, seed, step count and
//! [`Trace::digest`] of a finished run; [`digest_file`] is the exact text of
//! `slides/scenarios/digests.txt`.

use crate::Registry;
use sim_core::{ScenarioError, Trace};

/// The most steps the runner plays of a scenario's script; a script still
/// running then is reported as an error (the engine itself has no ceiling).
pub const STEP_LIMIT: usize = 100_000;

/// The command that rewrites the golden digest file from the current simulators.
pub const REBLESS_COMMAND: &str =
    "cargo run -p simdeck-sim -- digest > slides/scenarios/digests.txt";

/// A scenario run to the end of its script.
#[derive(Debug, Clone)]
pub struct Run {
    /// The file's name as given.
    pub file: String,
    /// The simulator that ran it.
    pub simulator: &'static str,
    /// The whole trace; its `seed` is the one the run used.
    pub trace: Trace,
}

impl Run {
    /// The file's name without its directories, as the digest file records it.
    pub fn file_name(&self) -> &str {
        crate::paths::file_name(&self.file)
    }

    /// One line of the digest file: `<file name> seed=<seed> steps=<n> digest=<16 hex>`.
    pub fn digest_line(&self) -> String {
        format!(
            "{} seed={} steps={} digest={}",
            self.file_name(),
            self.trace.seed,
            self.trace.steps.len(),
            self.trace.digest()
        )
    }
}

/// Loads `src` (named `file`), runs it with `seed` (or the file's seed) and
/// fails if it has not finished after `limit` steps.
pub fn run_to_end(
    registry: &Registry,
    file: &str,
    src: &str,
    seed: Option<u64>,
    limit: usize,
) -> Result<Run, ScenarioError> {
    let (scenario, player) = registry.play(file, src, seed, limit)?;
    Ok(Run {
        file: file.to_string(),
        simulator: scenario.sim.simulator(),
        trace: player.to_trace(),
    })
}

/// Runs every `(file, source)` pair to its end with its own seed, in order.
pub fn check_all<'a>(
    registry: &Registry,
    scenarios: impl IntoIterator<Item = (&'a str, &'a str)>,
    limit: usize,
) -> Vec<Result<Run, ScenarioError>> {
    scenarios
        .into_iter()
        .map(|(file, src)| run_to_end(registry, file, src, None, limit))
        .collect()
}

/// The golden digest file's text for `runs`: a comment saying how to
/// regenerate it, then one [`Run::digest_line`] per run.
pub fn digest_file(runs: &[Run]) -> String {
    let mut text = format!(
        "# Golden trace digests of the shipped scenarios. Regenerate with:\n# {REBLESS_COMMAND}\n"
    );
    for run in runs {
        text.push_str(&run.digest_line());
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_sim;

    use test_sim::registry;

    #[test]
    fn a_finished_run_records_seed_steps_and_digest() {
        let run = run_to_end(
            &registry(),
            "dir/a.toml",
            &test_sim::scenario(4, 11),
            None,
            10,
        )
        .unwrap();
        assert_eq!(run.file_name(), "a.toml");
        assert_eq!(run.simulator, test_sim::SIMULATOR);
        assert!(run.trace.finished);
        let line = run.digest_line();
        assert_eq!(
            line,
            format!("a.toml seed=11 steps=4 digest={}", run.trace.digest())
        );
        let reseeded = run_to_end(
            &registry(),
            "a.toml",
            &test_sim::scenario(4, 11),
            Some(12),
            10,
        )
        .unwrap();
        assert_eq!(reseeded.trace.seed, 12);
        assert_ne!(reseeded.trace.digest(), run.trace.digest());
    }

    #[test]
    fn a_script_still_running_at_the_limit_is_an_error() {
        let e = run_to_end(
            &registry(),
            "long.toml",
            &test_sim::scenario(11, 0),
            None,
            10,
        )
        .unwrap_err();
        assert_eq!((e.file.as_str(), e.line, e.column), ("long.toml", 1, 1));
        assert!(e.message.contains("did not finish within 10 steps"), "{e}");
    }

    #[test]
    fn check_all_reports_each_file_in_order() {
        let good = test_sim::scenario(2, 0);
        let bad = "[scenario]\ntitle = \"t\"\nsimulator = \"nope\"\n".to_string();
        let results = check_all(
            &registry(),
            [("good.toml", good.as_str()), ("bad.toml", bad.as_str())],
            10,
        );
        assert_eq!(results.len(), 2);
        assert_eq!(results[0].as_ref().unwrap().file, "good.toml");
        let e = results[1].as_ref().unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("bad.toml", 3));
    }

    #[test]
    fn the_digest_file_starts_with_the_rebless_command_then_one_line_per_run() {
        let runs: Vec<Run> = check_all(
            &registry(),
            [
                ("a.toml", test_sim::scenario(1, 1).as_str()),
                ("b.toml", test_sim::scenario(2, 2).as_str()),
            ],
            10,
        )
        .into_iter()
        .map(Result::unwrap)
        .collect();
        let text = digest_file(&runs);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4);
        assert!(lines[1].contains(REBLESS_COMMAND));
        assert!(lines[2].starts_with("a.toml seed=1 steps=1 digest="));
        assert!(lines[3].starts_with("b.toml seed=2 steps=2 digest="));
    }
}
