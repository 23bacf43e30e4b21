//! The kit every simulator's tests use (feature `testing`): the conformance
//! check, the located-error assertion, and a toy simulation.

use crate::json::JsonState;
use crate::located::ScenarioError;
use crate::{Player, PlayerConfig, Record, Simulation};

/// Checks the engine contract on one run of `make()`'s player (a fresh player
/// at step 0, inputs to give as `(step, input)` pairs), to at most `limit` steps,
/// once as `make()` configures the player and once with snapshots every 3
/// steps, at most 4 kept (so restoring and thinning are exercised):
///
/// - two runs give the same trace, byte for byte;
/// - seeking back and forth to any of several steps gives a fresh run's state
///   and trace at that step, with or without inputs;
/// - a clone taken mid-run continues exactly as the original;
/// - a run with inputs, replayed from step 0, gives the same trace;
/// - an input given at the end of a run that was played to its end gives the
///   same future as one given after seeking to the end;
/// - a player that keeps only a summary ends in the same state.
///
/// Panics with what differed (it is for tests).
pub fn conformance<S, F>(make: F, inputs: &[(usize, S::Input)], limit: usize)
where
    S: Simulation + JsonState,
    F: Fn() -> Player<S>,
{
    let probe = make();
    let (start, seed) = (probe.sim().clone(), probe.seed());
    let small = PlayerConfig {
        snapshot_every: 3,
        max_snapshots: 4,
        record: Record::Every,
    };
    check_contract(&make, inputs, limit);
    check_contract(
        &|| Player::with_config(start.clone(), seed, small),
        inputs,
        limit,
    );
    let mut every = make();
    every.run_to_end(limit);
    let summary = PlayerConfig {
        record: Record::Summary,
        ..small
    };
    let mut summarized = Player::with_config(start.clone(), seed, summary);
    summarized.run_to_end(limit);
    assert!(
        summarized.sim().state_json(summarized.now()) == every.sim().state_json(every.now())
            && summarized.summary().steps == every.position() as u64,
        "a player keeping only a summary ended elsewhere"
    );
}

fn check_contract<S, F>(make: &F, inputs: &[(usize, S::Input)], limit: usize)
where
    S: Simulation + JsonState,
    F: Fn() -> Player<S>,
{
    let given_up_to = |target: usize| {
        let mut p = make();
        for (at, input) in inputs.iter().filter(|(at, _)| *at <= target) {
            assert_eq!(
                p.seek(*at),
                *at,
                "input {input:?}: the run ends before step {at}"
            );
            if let Err(e) = p.input(input.clone()) {
                panic!("input {input:?} at step {at} was refused: {e}");
            }
        }
        p.seek(target);
        p
    };
    let run = |with_inputs: bool| {
        let mut p = if with_inputs {
            given_up_to(usize::MAX)
        } else {
            make()
        };
        p.run_to_end(limit);
        p
    };
    let first = run(false);
    let expected = first.to_trace().to_json();
    assert!(
        expected == run(false).to_trace().to_json(),
        "two runs differ"
    );
    let end = first.position();

    let mut seeker = run(false);
    for target in probe_steps(end) {
        seeker.seek(target);
        let mut fresh = make();
        fresh.seek(target);
        assert!(
            seen(&seeker) == seen(&fresh),
            "seeking back to step {target} differs from a fresh run"
        );
    }

    let mut original = make();
    original.seek(end / 2);
    let mut copy = original.clone();
    original.run_to_end(limit);
    copy.run_to_end(limit);
    assert!(
        original.to_trace().to_json() == copy.to_trace().to_json(),
        "a clone taken at step {} continued differently",
        end / 2
    );

    let Some((_, what_if)) = inputs.last() else {
        return;
    };
    let mut given = run(true);
    let with_inputs = given.to_trace().to_json();
    assert!(with_inputs != expected, "the inputs changed nothing");
    let reached = given.position();
    for target in probe_steps(reached) {
        given.seek(target);
        assert!(
            seen(&given) == seen(&given_up_to(target)),
            "with inputs, seeking to step {target} differs from a run that went straight there"
        );
    }
    given.seek(0);
    given.seek(reached);
    assert!(
        given.to_trace().to_json() == with_inputs,
        "a run with inputs replayed differently"
    );
    assert!(
        with_inputs == run(true).to_trace().to_json(),
        "two runs with the same inputs differ"
    );

    let mut played = run(false);
    let mut sought = make();
    sought.seek(end);
    let late = |p: &mut Player<S>| {
        let accepted = p.input(what_if.clone()).is_ok();
        p.run_to_end(limit);
        (accepted, p.to_trace().to_json())
    };
    assert!(
        late(&mut played) == late(&mut sought),
        "an input at the end of a played run differs from one given after seeking there"
    );
}

/// What a viewer sees at the current step: the steps so far, the clock and
/// the state (not whether the end is known yet, which depends on the path).
fn seen<S: Simulation + JsonState>(p: &Player<S>) -> (String, u64, usize) {
    let trace = p.to_trace();
    let steps = serde_json::to_string(&trace.steps).unwrap_or_default();
    let state = trace.final_state.to_string();
    (steps + &state, p.now().as_nanos(), p.position())
}

/// Steps worth seeking to in a run of `end` steps: both ends, around the
/// snapshot boundaries and a spread in between, visited back and forth.
fn probe_steps(end: usize) -> Vec<usize> {
    let mut steps = vec![end, 0, 1, end / 2, end.saturating_sub(1), 31, 32, 33];
    steps.extend((1..8).map(|i| end * i / 8));
    steps.push(end / 3);
    steps.retain(|s| *s <= end);
    steps
}

/// Asserts that `result` is an error at `line` whose message contains every
/// one of `needles`, and returns it.
pub fn assert_error_at<T: std::fmt::Debug>(
    result: Result<T, ScenarioError>,
    line: usize,
    needles: &[&str],
) -> ScenarioError {
    let error = match result {
        Ok(value) => panic!("expected an error at line {line}, got {value:?}"),
        Err(error) => error,
    };
    assert_eq!(error.line, line, "wrong line: {error}");
    for needle in needles {
        assert!(
            error.message.contains(needle),
            "`{needle}` missing: {error}"
        );
    }
    error
}

/// A toy simulation: counts up by random amounts, one tick per step.
pub mod counter {
    use crate::json::JsonState;
    use crate::{Context, Event, InputError, Rule, SimTime, Simulation, TextFact};
    use serde::{Deserialize, Serialize};

    /// The rule of every tick.
    pub const COUNT: Rule = Rule {
        id: "test.count",
        says: "The counter goes up by a random amount each tick.",
        source: "sim-core tests",
    };

    /// Counts up for `ticks` steps.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Counter {
        /// The count so far.
        pub total: u64,
        /// Ticks left.
        pub ticks: u32,
        /// Ticks taken.
        pub taken: u32,
        /// Ticks per script unit (0: the counter has no script).
        pub unit_every: u32,
    }

    impl Counter {
        /// A counter at 0 with `ticks` ticks to go and no script.
        pub fn new(ticks: u32) -> Self {
            Counter {
                total: 0,
                ticks,
                taken: 0,
                unit_every: 0,
            }
        }

        /// The same counter, starting a script unit every `ticks` ticks.
        pub fn with_unit_every(self, ticks: u32) -> Self {
            Counter {
                unit_every: ticks,
                ..self
            }
        }
    }

    /// Adds a fixed amount at once; a bump of 0 is refused.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Bump(pub u64);

    impl Simulation for Counter {
        type Fact = TextFact;
        type Input = Bump;

        fn step(&mut self, cx: &mut Context<'_>) -> Option<Event<TextFact>> {
            if self.ticks == 0 {
                return None;
            }
            self.ticks -= 1;
            self.taken += 1;
            self.total += cx.rng().below(10);
            cx.advance_by(SimTime::from_millis(100));
            Some(Event::new(
                cx.now(),
                TextFact {
                    rule: &COUNT,
                    kind: "tick",
                    object: "counter".into(),
                    detail: format!("total {}", self.total),
                },
            ))
        }

        fn handle(&mut self, _cx: &mut Context<'_>, input: &Bump) -> Result<(), InputError> {
            if input.0 == 0 {
                return Err(InputError("a bump of 0 changes nothing".into()));
            }
            self.total += input.0;
            Ok(())
        }

        fn script_position(&self) -> usize {
            match self.unit_every {
                0 => 0,
                every => self.taken.div_ceil(every) as usize,
            }
        }
    }

    impl JsonState for Counter {
        fn state_json(&self, _now: crate::SimTime) -> serde_json::Value {
            serde_json::json!({ "total": self.total, "ticks": self.ticks })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::counter::{Bump, Counter};
    use super::*;

    #[test]
    fn the_counter_conforms_with_and_without_inputs() {
        conformance(|| Player::new(Counter::new(80), 3), &[], 1000);
        conformance(
            || Player::new(Counter::new(80), 3),
            &[(0, Bump(1)), (40, Bump(7)), (40, Bump(2)), (79, Bump(5))],
            1000,
        );
    }

    /// A simulation that breaks the contract: it counts its own clones into
    /// its state, so a clone mid-run differs.
    #[derive(Debug, PartialEq, Eq)]
    struct Leaky(Counter, u32);

    impl Clone for Leaky {
        fn clone(&self) -> Self {
            Leaky(self.0.clone(), self.1 + 1)
        }
    }

    impl Simulation for Leaky {
        type Fact = crate::TextFact;
        type Input = Bump;
        fn step(&mut self, cx: &mut crate::Context<'_>) -> Option<crate::Event<Self::Fact>> {
            self.0.step(cx)
        }
        fn handle(
            &mut self,
            cx: &mut crate::Context<'_>,
            input: &Bump,
        ) -> Result<(), crate::InputError> {
            self.0.handle(cx, input)
        }
    }

    impl JsonState for Leaky {
        fn state_json(&self, _now: crate::SimTime) -> serde_json::Value {
            serde_json::json!({ "total": self.0.total, "clones": self.1 })
        }
    }

    #[test]
    #[should_panic(expected = "differ")]
    fn a_simulation_that_depends_on_cloning_fails_conformance() {
        conformance(|| Player::new(Leaky(Counter::new(80), 0), 3), &[], 1000);
    }

    #[test]
    fn the_located_error_assertion_checks_line_and_words() {
        let error = ScenarioError {
            file: "a.toml".into(),
            line: 3,
            column: 1,
            message: "expected `x`".into(),
        };
        assert_error_at::<()>(Err(error.clone()), 3, &["`x`"]);
        let wrong_line = std::panic::catch_unwind(|| {
            assert_error_at::<()>(Err(error.clone()), 4, &[]);
        });
        assert!(wrong_line.is_err());
    }
}
