//! The runner's JSON: a simulation's state as JSON and the stable JSON trace.

use crate::rng::fnv1a;
use crate::{Fact, Player, Rule, SimTime, Simulation};
use serde::Serialize;

/// A simulation's state as JSON, with a stable shape and key order; the
/// runner prints it and the golden digests cover it. Views read the typed
/// state instead.
pub trait JsonState {
    /// The state as JSON at the engine's time `now` (the simulation keeps no
    /// clock of its own to show).
    fn state_json(&self, now: SimTime) -> serde_json::Value;
}

/// One step as the JSON trace shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepRecord {
    /// Position in the trace, starting at 1.
    pub step: usize,
    /// Virtual time at which it happened, in nanoseconds.
    pub time_ns: u64,
    /// The object it happened to.
    pub object: String,
    /// A short machine-readable kind.
    pub kind: String,
    /// What happened, in one sentence.
    pub detail: String,
    /// The rule that produced it.
    pub rule: Rule,
}

/// One input as the JSON trace shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputRecord {
    /// The number of steps taken when it was given.
    pub at_step: usize,
    /// The input.
    pub input: serde_json::Value,
}

/// A run's record: its inputs, every step and the state after the last one.
///
/// Its JSON form is the runner's stable output format (see the README); a run
/// without inputs prints no `inputs` key, as before inputs existed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trace {
    /// The seed the run used.
    pub seed: u64,
    /// The inputs given, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<InputRecord>,
    /// The steps taken, in order.
    pub steps: Vec<StepRecord>,
    /// Whether the script ran to its end.
    pub finished: bool,
    /// The simulation's state after the last step.
    pub final_state: serde_json::Value,
}

impl Trace {
    /// The trace as pretty JSON; the bytes are the same on every target.
    pub fn to_json(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// A 64-bit FNV-1a digest of [`Self::to_json`], as 16 hex digits.
    pub fn digest(&self) -> String {
        format!("{:016x}", fnv1a(self.to_json().as_bytes()))
    }
}

impl<S: Simulation + JsonState> Player<S> {
    /// The trace up to the current position with the current state, ready to
    /// print or compare (every event must have been kept: [`crate::Record::Every`]).
    pub fn to_trace(&self) -> Trace {
        debug_assert!(
            self.config().record == crate::Record::Every,
            "a summary-mode player keeps no events to print"
        );
        Trace {
            seed: self.seed(),
            inputs: self
                .inputs()
                .iter()
                .filter(|(at, _)| *at <= self.position())
                .map(|(at, input)| InputRecord {
                    at_step: *at,
                    input: serde_json::to_value(input).unwrap_or_default(),
                })
                .collect(),
            steps: self
                .trace()
                .iter()
                .enumerate()
                .map(|(i, e)| StepRecord {
                    step: i + 1,
                    time_ns: e.time.as_nanos(),
                    object: e.fact.object(),
                    kind: e.fact.kind().to_string(),
                    detail: e.fact.detail(),
                    rule: *e.fact.rule(),
                })
                .collect(),
            finished: self.at_end(),
            final_state: self.sim().state_json(self.now()),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::counter::{Bump, Counter};
    use crate::Player;

    fn digest(seed: u64) -> String {
        let mut p = Player::new(Counter::new(20), seed);
        p.run_to_end(1000);
        p.to_trace().digest()
    }

    #[test]
    fn same_seed_same_digest_other_seed_other_digest() {
        assert_eq!(digest(1), digest(1));
        assert_ne!(digest(1), digest(2));
    }

    #[test]
    fn the_json_shape_is_stable_and_inputs_appear_only_when_given() {
        let mut p = Player::new(Counter::new(1), 5);
        p.run_to_end(10);
        let json = p.to_trace().to_json();
        assert!(json.starts_with("{\n  \"seed\": 5,\n  \"steps\": [\n    {\n      \"step\": 1,\n      \"time_ns\": 100000000,\n      \"object\": \"counter\",\n      \"kind\": \"tick\",\n      \"detail\": \"total "), "{json}");
        assert!(!json.contains("inputs"));
        p.input(Bump(3)).expect("accepted");
        let json = p.to_trace().to_json();
        assert!(
            json.contains("\"inputs\": [\n    {\n      \"at_step\": 1,\n      \"input\": 3\n"),
            "{json}"
        );
        p.seek(0);
        assert!(
            p.to_trace().inputs.is_empty(),
            "no input later than the steps shown"
        );
    }
}
