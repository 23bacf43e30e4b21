//! One type for every simulator.
//!
//! Contract: an [`AnySim`] behaves exactly like the simulation it wraps — each
//! `step` and `state` call is passed straight through — so a trace made through
//! it is byte for byte the trace the simulator makes on its own.

use sim_core::{Event, SimRng, SimTime, Simulation};

/// Object-safe twin of [`Simulation`], so different simulators fit one type.
trait DynSimulation {
    fn dyn_step(&mut self, now: &mut SimTime, rng: &mut SimRng) -> Option<Event>;
    fn dyn_state(&self) -> serde_json::Value;
    fn boxed_clone(&self) -> Box<dyn DynSimulation>;
}

impl<S: Simulation + 'static> DynSimulation for S {
    fn dyn_step(&mut self, now: &mut SimTime, rng: &mut SimRng) -> Option<Event> {
        Simulation::step(self, now, rng)
    }

    fn dyn_state(&self) -> serde_json::Value {
        Simulation::state(self)
    }

    fn boxed_clone(&self) -> Box<dyn DynSimulation> {
        Box::new(self.clone())
    }
}

/// Any registered simulator's simulation, runnable with [`sim_core::Player`].
pub struct AnySim {
    simulator: &'static str,
    inner: Box<dyn DynSimulation>,
}

impl AnySim {
    /// Wraps `sim`, made by the simulator named `simulator`.
    pub fn new<S: Simulation + 'static>(simulator: &'static str, sim: S) -> Self {
        AnySim {
            simulator,
            inner: Box::new(sim),
        }
    }

    /// The name of the simulator that made this simulation, e.g. `cgroups`.
    pub fn simulator(&self) -> &'static str {
        self.simulator
    }
}

impl Clone for AnySim {
    fn clone(&self) -> Self {
        AnySim {
            simulator: self.simulator,
            inner: self.inner.boxed_clone(),
        }
    }
}

impl std::fmt::Debug for AnySim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnySim")
            .field("simulator", &self.simulator)
            .finish_non_exhaustive()
    }
}

impl Simulation for AnySim {
    fn step(&mut self, now: &mut SimTime, rng: &mut SimRng) -> Option<Event> {
        self.inner.dyn_step(now, rng)
    }

    fn state(&self) -> serde_json::Value {
        self.inner.dyn_state()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_sim::{Counter, SIMULATOR};
    use sim_core::{Player, DEFAULT_STEP_LIMIT};

    fn counter(ticks: u32) -> Counter {
        Counter { total: 0, ticks }
    }

    #[test]
    fn wrapping_changes_no_byte_of_the_trace() {
        let mut direct = Player::new(counter(40), 9);
        let mut wrapped = Player::new(AnySim::new(SIMULATOR, counter(40)), 9);
        assert!(direct.run_to_end(DEFAULT_STEP_LIMIT));
        assert!(wrapped.run_to_end(DEFAULT_STEP_LIMIT));
        assert_eq!(direct.to_trace().to_json(), wrapped.to_trace().to_json());
        assert_eq!(wrapped.sim().simulator(), SIMULATOR);
    }

    #[test]
    fn a_clone_runs_on_independently() {
        let mut original = AnySim::new(SIMULATOR, counter(3));
        let copy = original.clone();
        let (mut now, mut rng) = (SimTime::ZERO, SimRng::new(1));
        assert!(original.step(&mut now, &mut rng).is_some());
        assert_ne!(original.state(), copy.state());
        assert_eq!(copy.state(), serde_json::json!({ "total": 0, "ticks": 3 }));
    }
}
