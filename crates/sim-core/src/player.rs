//! Driving a simulation forward, back, and to any step.

use crate::{rng::fnv1a, Event, SimRng, SimTime};
use serde::Serialize;

/// The most steps a [`Player`] runs when asked to run to the end.
pub const DEFAULT_STEP_LIMIT: usize = 100_000;

/// How often the player keeps a full snapshot for going back.
const SNAPSHOT_EVERY: usize = 32;

/// What every simulator implements: a state that moves one event at a time.
///
/// A simulation is plain data (`Clone`): it holds its starting state and the
/// rest of its script. It must take time only from `now` and randomness only
/// from `rng`, so the same seed always yields the same steps.
pub trait Simulation: Clone {
    /// Performs the next step and says what happened, or returns `None` when
    /// the script is finished. `now` is the virtual clock, which the simulation
    /// may only move forward.
    fn step(&mut self, now: &mut SimTime, rng: &mut SimRng) -> Option<Event>;

    /// The current state as JSON, with a stable shape and key order.
    fn state(&self) -> serde_json::Value;
}

#[derive(Clone)]
struct Snapshot<S> {
    sim: S,
    now: SimTime,
    rng: SimRng,
}

/// Runs a [`Simulation`] step by step and can return to any earlier step.
///
/// Going back restores the nearest snapshot and replays forward, which is
/// exact because simulations are deterministic.
pub struct Player<S: Simulation> {
    seed: u64,
    snapshots: Vec<Snapshot<S>>,
    current: Snapshot<S>,
    events: Vec<Event>,
    position: usize,
    finished_at: Option<usize>,
}

impl<S: Simulation> Player<S> {
    /// A player at step 0 of `sim`, with randomness from `seed`.
    pub fn new(sim: S, seed: u64) -> Self {
        let start = Snapshot {
            sim,
            now: SimTime::ZERO,
            rng: SimRng::new(seed),
        };
        Player {
            seed,
            snapshots: vec![start.clone()],
            current: start,
            events: Vec::new(),
            position: 0,
            finished_at: None,
        }
    }

    /// The seed this player was started with.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// How many steps have been applied to the current state.
    pub fn position(&self) -> usize {
        self.position
    }

    /// The simulation as it is after [`Self::position`] steps.
    pub fn sim(&self) -> &S {
        &self.current.sim
    }

    /// The virtual time after [`Self::position`] steps.
    pub fn now(&self) -> SimTime {
        self.current.now
    }

    /// The events up to the current position, oldest first.
    pub fn trace(&self) -> &[Event] {
        &self.events[..self.position]
    }

    /// The event of the current step, if any step has been taken.
    pub fn last_event(&self) -> Option<&Event> {
        self.position.checked_sub(1).map(|i| &self.events[i])
    }

    /// The number of steps in the whole run, once the end has been reached.
    pub fn total_steps(&self) -> Option<usize> {
        self.finished_at
    }

    /// Whether the current position is the end of the script.
    pub fn at_end(&self) -> bool {
        self.finished_at == Some(self.position)
    }

    /// Takes one step; returns its event, or `None` at the end of the script.
    pub fn forward(&mut self) -> Option<&Event> {
        if self.at_end() {
            return None;
        }
        if self.position < self.events.len() {
            // Replaying a step already seen: recompute the state, keep the event.
            let replayed = self
                .current
                .sim
                .step(&mut self.current.now, &mut self.current.rng);
            debug_assert_eq!(
                replayed.map(|e| e.detail),
                Some(self.events[self.position].detail.clone())
            );
        } else {
            match self
                .current
                .sim
                .step(&mut self.current.now, &mut self.current.rng)
            {
                Some(mut event) => {
                    event.step = self.position + 1;
                    self.events.push(event);
                }
                None => {
                    self.finished_at = Some(self.position);
                    return None;
                }
            }
        }
        self.position += 1;
        if self.position.is_multiple_of(SNAPSHOT_EVERY)
            && self.snapshots.len() <= self.position / SNAPSHOT_EVERY
        {
            self.snapshots.push(self.current.clone());
        }
        self.events.get(self.position - 1)
    }

    /// Goes back one step; returns `false` at step 0.
    pub fn back(&mut self) -> bool {
        if self.position == 0 {
            return false;
        }
        self.seek(self.position - 1);
        true
    }

    /// Moves to step `target` (clamped to the end of the script) and returns
    /// the position reached.
    pub fn seek(&mut self, target: usize) -> usize {
        if target < self.position {
            let index = (target / SNAPSHOT_EVERY).min(self.snapshots.len() - 1);
            self.current = self.snapshots[index].clone();
            self.position = index * SNAPSHOT_EVERY;
        }
        while self.position < target {
            if self.forward().is_none() {
                break;
            }
        }
        self.position
    }

    /// Runs to the end of the script, or until `limit` steps have been taken.
    /// Returns `true` when the script finished.
    pub fn run_to_end(&mut self, limit: usize) -> bool {
        while !self.at_end() {
            if self.position >= limit {
                return false;
            }
            self.forward();
        }
        true
    }

    /// The trace so far with the current state, ready to print or compare.
    pub fn to_trace(&self) -> Trace {
        Trace {
            seed: self.seed,
            steps: self.trace().to_vec(),
            finished: self.at_end(),
            final_state: self.current.sim.state(),
        }
    }
}

/// A run's record: every step and the state after the last one.
///
/// Its JSON form is the runner's stable output format (see the README).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trace {
    /// The seed the run used.
    pub seed: u64,
    /// The steps taken, in order.
    pub steps: Vec<Event>,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Rule;

    const COUNT: Rule = Rule {
        id: "test.count",
        says: "The counter goes up by a random amount each tick.",
        source: "this test",
    };

    /// A toy simulation: counts up by random amounts for `ticks` steps.
    #[derive(Clone)]
    struct Counter {
        total: u64,
        ticks: u32,
    }

    impl Simulation for Counter {
        fn step(&mut self, now: &mut SimTime, rng: &mut SimRng) -> Option<Event> {
            if self.ticks == 0 {
                return None;
            }
            self.ticks -= 1;
            self.total += rng.below(10);
            *now = now.plus(SimTime::from_millis(100));
            Some(Event::new(
                *now,
                "counter",
                "tick",
                format!("total {}", self.total),
                COUNT,
            ))
        }

        fn state(&self) -> serde_json::Value {
            serde_json::json!({ "total": self.total })
        }
    }

    fn player(ticks: u32) -> Player<Counter> {
        Player::new(Counter { total: 0, ticks }, 42)
    }

    #[test]
    fn runs_to_end_and_numbers_steps() {
        let mut p = player(5);
        assert!(p.run_to_end(DEFAULT_STEP_LIMIT));
        assert_eq!(p.total_steps(), Some(5));
        let steps: Vec<usize> = p.trace().iter().map(|e| e.step).collect();
        assert_eq!(steps, vec![1, 2, 3, 4, 5]);
        assert_eq!(p.now(), SimTime::from_millis(500));
        assert!(p.forward().is_none());
    }

    #[test]
    fn going_back_and_seeking_reproduce_the_same_state() {
        let mut p = player(100);
        p.run_to_end(DEFAULT_STEP_LIMIT);
        let full = p.to_trace();
        for target in [0, 1, 31, 32, 33, 64, 99, 100] {
            p.seek(target);
            let mut fresh = player(100);
            fresh.seek(target);
            assert_eq!(p.sim().total, fresh.sim().total, "state at {target}");
            assert_eq!(p.trace(), &full.steps[..target]);
        }
        p.seek(50);
        assert!(p.back());
        assert_eq!(p.position(), 49);
        p.seek(1000);
        assert_eq!(p.position(), 100);
        assert_eq!(p.to_trace(), full);
    }

    #[test]
    fn step_limit_stops_an_endless_script() {
        let mut p = player(u32::MAX);
        assert!(!p.run_to_end(10));
        assert_eq!(p.position(), 10);
        assert!(!p.to_trace().finished);
    }

    #[test]
    fn same_seed_same_digest_other_seed_other_digest() {
        let run = |seed| {
            let mut p = Player::new(
                Counter {
                    total: 0,
                    ticks: 20,
                },
                seed,
            );
            p.run_to_end(DEFAULT_STEP_LIMIT);
            p.to_trace().digest()
        };
        assert_eq!(run(1), run(1));
        assert_ne!(run(1), run(2));
    }
}
