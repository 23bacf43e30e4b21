//! What a step may touch of the world: the one clock and the randomness.

use crate::{SimRng, SimTime};

/// Handed to every [`crate::Simulation::step`] and
/// [`crate::Simulation::handle`]: the engine's clock, the world's random
/// stream and the seed for per-entity streams.
///
/// The engine owns the clock; a simulation keeps none of its own and may
/// only move this one forward.
pub struct Context<'a> {
    now: &'a mut SimTime,
    rng: &'a mut SimRng,
    seed: u64,
}

impl<'a> Context<'a> {
    /// A context over `now` and `rng` for a world seeded with `seed`.
    pub fn new(now: &'a mut SimTime, rng: &'a mut SimRng, seed: u64) -> Self {
        Context { now, rng, seed }
    }

    /// The virtual time now.
    pub fn now(&self) -> SimTime {
        *self.now
    }

    /// Moves the clock to `time`; a time earlier than now is ignored, so the
    /// clock never runs backwards.
    pub fn advance_to(&mut self, time: SimTime) {
        *self.now = (*self.now).max(time);
    }

    /// Moves the clock forward by `duration` (saturating).
    pub fn advance_by(&mut self, duration: SimTime) {
        *self.now = self.now.plus(duration);
    }

    /// The world's random stream, shared by everything that is not an entity
    /// of its own.
    pub fn rng(&mut self) -> &mut SimRng {
        self.rng
    }

    /// The world seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// A random stream of one entity: the same `key` under the same seed
    /// always starts with the same draws, whatever else the world holds.
    /// Keys must be unique per draw sequence, e.g. `container:web/app#2`.
    pub fn stream(&self, key: &str) -> SimRng {
        SimRng::stream(self.seed, key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_only_moves_forward() {
        let (mut now, mut rng) = (SimTime::from_secs(5), SimRng::new(1));
        let mut cx = Context::new(&mut now, &mut rng, 1);
        cx.advance_to(SimTime::from_secs(2));
        assert_eq!(cx.now(), SimTime::from_secs(5));
        cx.advance_by(SimTime::from_secs(1));
        cx.advance_to(SimTime::from_secs(9));
        assert_eq!(cx.now(), SimTime::from_secs(9));
        assert_eq!(now, SimTime::from_secs(9));
    }

    #[test]
    fn entity_streams_do_not_depend_on_the_world_stream() {
        let (mut now, mut rng) = (SimTime::ZERO, SimRng::new(9));
        let mut cx = Context::new(&mut now, &mut rng, 9);
        let before = cx.stream("pod:a").next_u64();
        cx.rng().next_u64();
        assert_eq!(cx.stream("pod:a").next_u64(), before);
        assert_ne!(cx.stream("pod:b").next_u64(), before);
        assert_eq!(cx.seed(), 9);
    }
}
