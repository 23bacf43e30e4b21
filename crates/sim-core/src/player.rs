//! Driving a simulation forward, back, to any step, and feeding it inputs.

use crate::SortedMap;
use crate::{Context, Event, Fact, InputError, SimRng, SimTime, Simulation};

/// What a [`Player`] keeps of the steps it has taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Record {
    /// Every event, so the whole trace can be shown and printed.
    #[default]
    Every,
    /// Only a [`Summary`] and the current step's event: memory stays flat
    /// however long the run, for runs of millions of steps.
    Summary,
}

/// How a [`Player`] remembers a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlayerConfig {
    /// Steps between two kept snapshots of the whole state (at least 1).
    pub snapshot_every: usize,
    /// The most snapshots kept (at least 2); past it every other one is
    /// dropped and the interval doubles, so memory stays bounded and going
    /// back costs at most one interval of replay.
    pub max_snapshots: usize,
    /// What is kept of the steps taken.
    pub record: Record,
}

impl Default for PlayerConfig {
    /// A snapshot every 32 steps, at most 1,024 of them, every event kept.
    fn default() -> Self {
        PlayerConfig {
            snapshot_every: 32,
            max_snapshots: 1024,
            record: Record::Every,
        }
    }
}

/// Counts of a run's steps, kept instead of the events in [`Record::Summary`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    /// Steps taken.
    pub steps: u64,
    /// Steps per rule id.
    pub per_rule: SortedMap<&'static str, u64>,
}

impl Summary {
    fn count<F: Fact>(&mut self, fact: &F) {
        self.steps += 1;
        *self.per_rule.get_or_insert_with(fact.rule().id, || 0) += 1;
    }
}

/// The whole state at one position.
#[derive(Clone)]
struct Snapshot<S: Simulation> {
    position: usize,
    sim: S,
    now: SimTime,
    rng: SimRng,
    summary: Summary,
    last: Option<Event<S::Fact>>,
}

/// Runs a [`Simulation`] step by step, returns to any earlier step, and takes
/// inputs at the current step.
///
/// Going back restores the nearest snapshot and replays forward, which is
/// exact because simulations are deterministic. Inputs are recorded with the
/// step they were given at and replayed there.
#[derive(Clone)]
pub struct Player<S: Simulation> {
    seed: u64,
    config: PlayerConfig,
    interval: usize,
    snapshots: Vec<Snapshot<S>>,
    current: Snapshot<S>,
    events: Vec<Event<S::Fact>>,
    inputs: Vec<(usize, S::Input)>,
    finished_at: Option<usize>,
}

impl<S: Simulation> Player<S> {
    /// A player at step 0 of `sim`, with randomness from `seed`, keeping every event.
    pub fn new(sim: S, seed: u64) -> Self {
        Player::with_config(sim, seed, PlayerConfig::default())
    }

    /// A player at step 0 of `sim` that remembers the run as `config` says.
    pub fn with_config(sim: S, seed: u64, config: PlayerConfig) -> Self {
        let config = PlayerConfig {
            snapshot_every: config.snapshot_every.max(1),
            max_snapshots: config.max_snapshots.max(2),
            record: config.record,
        };
        let start = Snapshot {
            position: 0,
            sim,
            now: SimTime::ZERO,
            rng: SimRng::new(seed),
            summary: Summary::default(),
            last: None,
        };
        Player {
            seed,
            config,
            interval: config.snapshot_every,
            snapshots: vec![start.clone()],
            current: start,
            events: Vec::new(),
            inputs: Vec::new(),
            finished_at: None,
        }
    }

    /// The seed this player was started with.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// How the player remembers the run.
    pub fn config(&self) -> PlayerConfig {
        self.config
    }

    /// How many steps have been applied to the current state.
    pub fn position(&self) -> usize {
        self.current.position
    }

    /// The simulation as it is after [`Self::position`] steps.
    pub fn sim(&self) -> &S {
        &self.current.sim
    }

    /// The virtual time after [`Self::position`] steps.
    pub fn now(&self) -> SimTime {
        self.current.now
    }

    /// The events up to the current position, oldest first; empty when the
    /// player keeps only a [`Summary`].
    pub fn trace(&self) -> &[Event<S::Fact>] {
        let end = self.position().min(self.events.len());
        &self.events[..end]
    }

    /// The event of the current step, if any step has been taken.
    pub fn last_event(&self) -> Option<&Event<S::Fact>> {
        match self.config.record {
            Record::Every => self.position().checked_sub(1).map(|i| &self.events[i]),
            Record::Summary => self.current.last.as_ref(),
        }
    }

    /// Counts of the steps up to the current position (kept in
    /// [`Record::Summary`]; empty otherwise).
    pub fn summary(&self) -> &Summary {
        &self.current.summary
    }

    /// The inputs given so far, each with the step it was given at.
    pub fn inputs(&self) -> &[(usize, S::Input)] {
        &self.inputs
    }

    /// How many snapshots are kept now (bounded by the config).
    pub fn snapshot_count(&self) -> usize {
        self.snapshots.len()
    }

    /// The number of steps in the whole run, once the end has been reached.
    pub fn total_steps(&self) -> Option<usize> {
        self.finished_at
    }

    /// Whether the current position is the end of the script.
    pub fn at_end(&self) -> bool {
        self.finished_at == Some(self.position())
    }

    /// Takes one step; returns its event, or `None` at the end of the script.
    pub fn forward(&mut self) -> Option<&Event<S::Fact>> {
        if self.at_end() {
            return None;
        }
        let seed = self.seed;
        let current = &mut self.current;
        let mut cx = Context::new(&mut current.now, &mut current.rng, seed);
        let Some(event) = current.sim.step(&mut cx) else {
            // The call that found nothing to do may still have done silent
            // work (moved the clock, used up queued no-ops). Undo it, so the
            // end is the same state however it was reached and an input given
            // there replays exactly.
            let end = current.position;
            self.finished_at = Some(end);
            self.current = self.snapshot_at_or_before(end).clone();
            while self.position() < end && self.forward().is_some() {}
            return None;
        };
        current.position += 1;
        match self.config.record {
            Record::Every => {
                if current.position > self.events.len() {
                    self.events.push(event);
                } else {
                    let recorded = &self.events[current.position - 1];
                    debug_assert!(
                        recorded.time == event.time
                            && recorded.fact.rule().id == event.fact.rule().id
                            && recorded.fact.detail() == event.fact.detail(),
                        "a replayed step differs from the recorded one"
                    );
                }
            }
            Record::Summary => {
                current.summary.count(&event.fact);
                current.last = Some(event);
            }
        }
        self.replay_inputs_here();
        self.keep_snapshot();
        self.last_event()
    }

    /// Goes back one step; returns `false` at step 0.
    pub fn back(&mut self) -> bool {
        match self.position().checked_sub(1) {
            Some(target) => {
                self.seek(target);
                true
            }
            None => false,
        }
    }

    /// Moves to step `target` (clamped to the end of the script) and returns
    /// the position reached.
    pub fn seek(&mut self, target: usize) -> usize {
        let nearest = self.snapshot_at_or_before(target);
        if target < self.position() || nearest.position > self.position() {
            self.current = nearest.clone();
        }
        while self.position() < target {
            if self.forward().is_none() {
                break;
            }
        }
        self.position()
    }

    /// Runs until the script ends or `limit` steps have been taken in all.
    /// Returns `true` when the script finished.
    pub fn run_to_end(&mut self, limit: usize) -> bool {
        while !self.at_end() {
            if self.position() >= limit {
                return false;
            }
            self.forward();
        }
        true
    }

    /// Gives `input` to the simulation at the current step. What had been
    /// recorded after this step (events, snapshots, later inputs) is dropped:
    /// the run now has another future. A refused input changes nothing.
    pub fn input(&mut self, input: S::Input) -> Result<(), InputError> {
        let seed = self.seed;
        let current = &mut self.current;
        let (now, rng) = (current.now, current.rng.clone());
        let mut cx = Context::new(&mut current.now, &mut current.rng, seed);
        if let Err(refused) = current.sim.handle(&mut cx, &input) {
            // Refused means nothing changed, not even the clock or the draws.
            (current.now, current.rng) = (now, rng);
            return Err(refused);
        }
        let here = current.position;
        self.events.truncate(here);
        self.inputs.retain(|(at, _)| *at <= here);
        self.inputs.push((here, input));
        self.snapshots.retain(|s| s.position < here);
        self.finished_at = None;
        if self.snapshots.is_empty() || here.is_multiple_of(self.interval) {
            self.snapshots.push(self.current.clone());
        }
        Ok(())
    }

    /// The latest snapshot at or before step `target` (the one at step 0 is
    /// always kept).
    fn snapshot_at_or_before(&self, target: usize) -> &Snapshot<S> {
        let index = self
            .snapshots
            .partition_point(|s| s.position <= target)
            .saturating_sub(1);
        &self.snapshots[index]
    }

    /// Applies again the inputs recorded at the current step (when replaying).
    fn replay_inputs_here(&mut self) {
        let here = self.current.position;
        let start = self.inputs.partition_point(|(at, _)| *at < here);
        for (_, input) in self.inputs[start..]
            .iter()
            .take_while(|(at, _)| *at == here)
        {
            let current = &mut self.current;
            let mut cx = Context::new(&mut current.now, &mut current.rng, self.seed);
            let replayed = current.sim.handle(&mut cx, input);
            debug_assert!(replayed.is_ok(), "a recorded input was refused on replay");
        }
    }

    /// Keeps a snapshot at interval boundaries not yet snapshotted, thinning
    /// the snapshots when there are too many.
    fn keep_snapshot(&mut self) {
        let here = self.current.position;
        let newest = self.snapshots.last().map_or(0, |s| s.position);
        if !here.is_multiple_of(self.interval) || here <= newest {
            return;
        }
        self.snapshots.push(self.current.clone());
        if self.snapshots.len() > self.config.max_snapshots {
            self.interval = self.interval.saturating_mul(2);
            let interval = self.interval;
            self.snapshots
                .retain(|s| s.position == 0 || s.position.is_multiple_of(interval));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::counter::{Bump, Counter};

    fn player(ticks: u32) -> Player<Counter> {
        Player::new(Counter::new(ticks), 42)
    }

    #[test]
    fn runs_to_end_and_stops() {
        let mut p = player(5);
        assert!(p.run_to_end(1000));
        assert_eq!(p.total_steps(), Some(5));
        assert_eq!(p.trace().len(), 5);
        assert_eq!(p.now(), SimTime::from_millis(500));
        assert!(p.forward().is_none());
        assert_eq!(p.position(), 5);
    }

    #[test]
    fn going_back_and_seeking_reproduce_the_same_state() {
        let mut p = player(100);
        p.run_to_end(1000);
        let full: Vec<_> = p.trace().to_vec();
        for target in [0, 1, 31, 32, 33, 64, 99, 100] {
            p.seek(target);
            let mut fresh = player(100);
            fresh.seek(target);
            assert_eq!(p.sim(), fresh.sim(), "state at {target}");
            assert_eq!(p.now(), fresh.now(), "clock at {target}");
            assert_eq!(p.trace(), &full[..target]);
        }
        p.seek(50);
        assert!(p.back());
        assert_eq!(p.position(), 49);
        p.seek(1000);
        assert_eq!(p.position(), 100);
        assert_eq!(p.trace(), &full[..]);
    }

    #[test]
    fn step_limit_stops_an_endless_script() {
        let mut p = player(u32::MAX);
        assert!(!p.run_to_end(10));
        assert_eq!(p.position(), 10);
        assert!(!p.at_end());
    }

    #[test]
    fn an_input_changes_the_future_and_replays_where_it_was_given() {
        let mut p = player(10);
        p.seek(4);
        p.input(Bump(1000)).expect("a bump is accepted");
        assert_eq!(p.sim().total, player_total_at(4) + 1000);
        p.run_to_end(100);
        let with_input: Vec<_> = p.trace().to_vec();
        let final_total = p.sim().total;
        p.seek(2);
        p.seek(10);
        assert_eq!(p.trace(), &with_input[..]);
        assert_eq!(p.sim().total, final_total);
        assert_eq!(p.inputs(), &[(4, Bump(1000))]);
    }

    #[test]
    fn an_input_drops_the_old_future_and_a_refused_one_changes_nothing() {
        let mut p = player(10);
        p.run_to_end(100);
        p.seek(3);
        p.input(Bump(5)).expect("accepted");
        assert_eq!(p.total_steps(), None);
        p.seek(6);
        p.input(Bump(7)).expect("accepted");
        p.seek(3);
        p.input(Bump(9)).expect("accepted");
        assert_eq!(p.inputs(), &[(3, Bump(5)), (3, Bump(9))]);
        let before = p.sim().clone();
        assert!(p.input(Bump(0)).is_err());
        assert_eq!(p.sim(), &before);
        assert_eq!(p.inputs().len(), 2);
    }

    #[test]
    fn an_input_at_step_zero_is_part_of_every_replay() {
        let mut p = player(3);
        p.input(Bump(100)).expect("accepted");
        p.run_to_end(100);
        p.seek(0);
        assert_eq!(p.sim().total, 100);
    }

    #[test]
    fn summary_mode_keeps_no_events_and_bounded_snapshots() {
        let config = PlayerConfig {
            snapshot_every: 4,
            max_snapshots: 8,
            record: Record::Summary,
        };
        let mut p = Player::with_config(Counter::new(u32::MAX), 7, config);
        p.run_to_end(10_000);
        assert!(p.trace().is_empty());
        assert!(p.snapshot_count() <= 8, "{}", p.snapshot_count());
        assert_eq!(p.summary().steps, 10_000);
        assert_eq!(p.summary().per_rule.get("test.count"), Some(&10_000));
        let last = p.last_event().cloned();
        let state = p.sim().clone();
        p.seek(1234);
        assert_eq!(p.summary().steps, 1234);
        p.seek(10_000);
        assert_eq!(p.sim(), &state);
        assert_eq!(p.last_event().cloned(), last);
        let mut every = player(u32::MAX);
        every.seek(1234);
        let mut summary = Player::with_config(Counter::new(u32::MAX), 42, config);
        summary.seek(1234);
        assert_eq!(summary.sim(), every.sim());
        assert_eq!(summary.last_event(), every.last_event());
    }

    /// A simulation with visible steps at given times and, after the last one,
    /// silent work that moves the clock before it finds nothing to do; an
    /// input notes the time it was given.
    #[derive(Debug, Clone, PartialEq, Eq)]
    struct TrailingWork {
        items: Vec<(u64, bool)>,
        next: usize,
        noted: Vec<SimTime>,
    }

    impl Simulation for TrailingWork {
        type Fact = crate::TextFact;
        type Input = Bump;

        fn step(&mut self, cx: &mut Context<'_>) -> Option<Event<Self::Fact>> {
            while let Some(&(ms, visible)) = self.items.get(self.next) {
                self.next += 1;
                cx.advance_to(SimTime::from_millis(ms));
                if visible {
                    let fact = crate::TextFact {
                        rule: &crate::testing::counter::COUNT,
                        kind: "tick",
                        object: "o".into(),
                        detail: format!("at {ms} ms"),
                    };
                    return Some(Event::new(cx.now(), fact));
                }
            }
            None
        }

        fn handle(&mut self, cx: &mut Context<'_>, input: &Bump) -> Result<(), InputError> {
            if input.0 == 0 {
                cx.rng().next_u64();
                cx.advance_by(SimTime::from_secs(1));
                return Err(InputError("refused after touching the context".into()));
            }
            self.noted.push(cx.now());
            Ok(())
        }
    }

    fn trailing() -> Player<TrailingWork> {
        let items = vec![(100, true), (200, true), (300, false)];
        Player::new(
            TrailingWork {
                items,
                next: 0,
                noted: Vec::new(),
            },
            1,
        )
    }

    #[test]
    fn the_end_is_the_same_state_however_it_was_reached() {
        let mut ran = trailing();
        assert!(ran.run_to_end(10));
        let mut sought = trailing();
        sought.seek(2);
        assert_eq!((ran.sim(), ran.now()), (sought.sim(), sought.now()));
        ran.input(Bump(1)).expect("accepted");
        let given = (ran.sim().clone(), ran.now());
        assert_eq!(given.0.noted, vec![SimTime::from_millis(200)]);
        ran.seek(0);
        ran.seek(2);
        assert_eq!((ran.sim().clone(), ran.now()), given);
    }

    #[test]
    fn a_refused_input_leaves_even_the_clock_and_the_draws_alone() {
        let (mut p, mut fresh) = (player(10), player(10));
        p.seek(3);
        fresh.seek(3);
        assert!(p.input(Bump(0)).is_err());
        let mut q = trailing();
        q.seek(1);
        assert!(q.input(Bump(0)).is_err());
        assert_eq!(q.now(), SimTime::from_millis(100));
        p.run_to_end(100);
        fresh.run_to_end(100);
        assert_eq!((p.sim(), p.now()), (fresh.sim(), fresh.now()));
        assert_eq!(p.trace(), fresh.trace());
    }

    #[test]
    fn seeking_forward_starts_from_a_snapshot_ahead() {
        let config = PlayerConfig {
            snapshot_every: 4,
            max_snapshots: 64,
            record: Record::Summary,
        };
        let mut p = Player::with_config(Counter::new(200), 9, config);
        p.run_to_end(1000);
        let end = (p.sim().clone(), p.now(), p.last_event().cloned());
        p.seek(0);
        p.seek(197);
        p.forward();
        p.forward();
        p.forward();
        assert_eq!((p.sim().clone(), p.now(), p.last_event().cloned()), end);
        assert_eq!(p.summary().steps, 200);
    }

    fn player_total_at(step: usize) -> u64 {
        let mut p = player(10);
        p.seek(step);
        p.sim().total
    }
}
