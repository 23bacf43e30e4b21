//! What-if parameters: the values of a scenario a learner may change.
//!
//! A scenario declares each parameter (`[[scenario.what_if]]`): a short key
//! for URLs, a label, the simulator's *knob* it turns and its bounds. Each
//! simulator's config says which knobs it has ([`Tunable`]); an edit is
//! checked against the bounds first, then by the knob, and a refused edit
//! leaves the config as it was.

use serde::{Deserialize, Serialize};

/// One parameter a learner may change, with its bounds.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WhatIf {
    /// Its short name in permalinks: one to three lowercase letters or digits,
    /// starting with a letter, e.g. `q`.
    pub key: String,
    /// What it is, e.g. "cpu.cfs_quota_us".
    pub label: String,
    /// The simulator's knob it turns, e.g. `cgset cpu.cfs_quota_us`.
    pub knob: String,
    /// The least value allowed.
    pub min: i64,
    /// The greatest value allowed.
    pub max: i64,
    /// The unit shown after the value, e.g. `µs`.
    #[serde(default)]
    pub unit: String,
}

impl WhatIf {
    /// `value` when it is within bounds, else a sentence saying the bounds.
    pub fn check(&self, value: i64) -> Result<i64, String> {
        if (self.min..=self.max).contains(&value) {
            Ok(value)
        } else {
            Err(format!(
                "{} must be between {} and {}{}; {value} is not.",
                self.label,
                self.min,
                self.max,
                unit_suffix(&self.unit)
            ))
        }
    }

    /// Why `key` cannot name a what-if, if it cannot. (The player's own URL
    /// parameters, `clicks`, `step` and `seed`, are longer, so never clash.)
    pub fn key_problem(key: &str) -> Option<String> {
        let mut chars = key.chars();
        let well_formed = key.len() <= 3
            && chars.next().is_some_and(|c| c.is_ascii_lowercase())
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        (!well_formed).then(|| {
            format!(
                "what-if key `{key}` must be one to three lowercase letters or digits, starting with a letter"
            )
        })
    }
}

fn unit_suffix(unit: &str) -> String {
    if unit.is_empty() {
        String::new()
    } else {
        format!(" {unit}")
    }
}

/// A config with knobs a what-if can turn.
pub trait Tunable {
    /// The value the knob `knob` has in this config, or why there is none
    /// (an unknown knob, or one the script never sets).
    fn knob(&self, knob: &str) -> Result<i64, String>;

    /// Turns the knob `knob` to `value`, or says why it cannot be; a refusal
    /// changes nothing.
    fn set_knob(&mut self, knob: &str, value: i64) -> Result<(), String>;
}

/// Applies `edits` (what-if key, value) to `config`: each key must be one of
/// `what_ifs` and each value within its bounds. On any error the config is
/// left as it was and the sentence names the parameter.
pub fn apply_edits<C: Tunable + Clone>(
    config: &C,
    what_ifs: &[WhatIf],
    edits: &[(String, i64)],
) -> Result<C, String> {
    let mut edited = config.clone();
    for (key, value) in edits {
        let what_if = what_ifs
            .iter()
            .find(|w| &w.key == key)
            .ok_or_else(|| format!("This figure has no parameter “{key}”."))?;
        let value = what_if.check(*value)?;
        edited
            .set_knob(&what_if.knob, value)
            .map_err(|e| format!("{}: {e}", what_if.label))?;
    }
    Ok(edited)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq)]
    struct Box {
        width: i64,
    }

    impl Tunable for Box {
        fn knob(&self, knob: &str) -> Result<i64, String> {
            match knob {
                "width" => Ok(self.width),
                other => Err(format!("no knob `{other}`")),
            }
        }

        fn set_knob(&mut self, knob: &str, value: i64) -> Result<(), String> {
            match knob {
                "width" if value % 2 == 0 => {
                    self.width = value;
                    Ok(())
                }
                "width" => Err("the width must be even".into()),
                other => Err(format!("no knob `{other}`")),
            }
        }
    }

    fn width() -> WhatIf {
        WhatIf {
            key: "w".into(),
            label: "Width".into(),
            knob: "width".into(),
            min: 2,
            max: 10,
            unit: "px".into(),
        }
    }

    #[test]
    fn edits_within_bounds_turn_the_knob() {
        let edited = apply_edits(&Box { width: 4 }, &[width()], &[("w".into(), 8)]).unwrap();
        assert_eq!(edited, Box { width: 8 });
    }

    #[test]
    fn out_of_bounds_unknown_and_refused_edits_say_why() {
        let config = Box { width: 4 };
        let e = apply_edits(&config, &[width()], &[("w".into(), 12)]).unwrap_err();
        assert_eq!(e, "Width must be between 2 and 10 px; 12 is not.");
        let e = apply_edits(&config, &[width()], &[("z".into(), 1)]).unwrap_err();
        assert!(e.contains("no parameter “z”"), "{e}");
        let e = apply_edits(&config, &[width()], &[("w".into(), 5)]).unwrap_err();
        assert_eq!(e, "Width: the width must be even");
    }

    #[test]
    fn keys_are_short_lowercase_and_not_the_players() {
        assert_eq!(WhatIf::key_problem("q"), None);
        assert_eq!(WhatIf::key_problem("m2"), None);
        for bad in ["", "Q", "2a", "abcd", "a-b", "step", "seed"] {
            assert!(WhatIf::key_problem(bad).is_some(), "{bad}");
        }
    }
}
