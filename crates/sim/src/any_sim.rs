//! One type for every simulator.
//!
//! Contract: an [`AnySim`] behaves exactly like the simulation it wraps — each
//! `step`, `handle` and state call is passed straight through, facts keep
//! rendering lazily — so a trace made through it is byte for byte the trace
//! the simulator makes on its own.

use serde::de::DeserializeOwned;
use serde::Serialize;
use sim_core::{Context, Event, Fact, InputError, JsonState, Rule, SimTime, Simulation};
use std::fmt;
use std::sync::Arc;

/// Object-safe twin of [`Simulation`] + [`JsonState`], so different simulators fit one type.
trait DynSimulation {
    fn dyn_step(&mut self, cx: &mut Context<'_>) -> Option<Event<AnyFact>>;
    fn dyn_handle(&mut self, cx: &mut Context<'_>, input: &AnyInput) -> Result<(), InputError>;
    fn dyn_state(&self, now: SimTime) -> serde_json::Value;
    fn dyn_script_position(&self) -> usize;
    fn boxed_clone(&self) -> Box<dyn DynSimulation>;
}

impl<S> DynSimulation for S
where
    S: Simulation + JsonState + 'static,
    S::Input: DeserializeOwned,
{
    fn dyn_step(&mut self, cx: &mut Context<'_>) -> Option<Event<AnyFact>> {
        Simulation::step(self, cx).map(|e| Event::new(e.time, AnyFact(Arc::new(e.fact))))
    }

    fn dyn_handle(&mut self, cx: &mut Context<'_>, input: &AnyInput) -> Result<(), InputError> {
        let typed: S::Input = serde_json::from_value(input.0.clone())
            .map_err(|e| InputError(format!("not an input of this simulator: {e}")))?;
        Simulation::handle(self, cx, &typed)
    }

    fn dyn_state(&self, now: SimTime) -> serde_json::Value {
        self.state_json(now)
    }

    fn dyn_script_position(&self) -> usize {
        self.script_position()
    }

    fn boxed_clone(&self) -> Box<dyn DynSimulation> {
        Box::new(self.clone())
    }
}

/// Object-safe twin of [`Fact`].
trait DynFact: fmt::Debug {
    fn dyn_rule(&self) -> &'static Rule;
    fn dyn_kind(&self) -> &'static str;
    fn dyn_object(&self) -> String;
    fn dyn_detail(&self) -> String;
}

impl<F: Fact> DynFact for F {
    fn dyn_rule(&self) -> &'static Rule {
        self.rule()
    }

    fn dyn_kind(&self) -> &'static str {
        self.kind()
    }

    fn dyn_object(&self) -> String {
        self.object()
    }

    fn dyn_detail(&self) -> String {
        self.detail()
    }
}

/// Any simulator's fact, still unrendered.
#[derive(Debug, Clone)]
pub struct AnyFact(Arc<dyn DynFact>);

impl Fact for AnyFact {
    fn rule(&self) -> &'static Rule {
        self.0.dyn_rule()
    }

    fn kind(&self) -> &'static str {
        self.0.dyn_kind()
    }

    fn object(&self) -> String {
        self.0.dyn_object()
    }

    fn detail(&self) -> String {
        self.0.dyn_detail()
    }
}

/// Any simulator's input, as the JSON its own input type reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct AnyInput(pub serde_json::Value);

/// Any registered simulator's simulation, runnable with [`sim_core::Player`].
pub struct AnySim {
    simulator: &'static str,
    inner: Box<dyn DynSimulation>,
}

impl AnySim {
    /// Wraps `sim`, made by the simulator named `simulator`.
    pub fn new<S>(simulator: &'static str, sim: S) -> Self
    where
        S: Simulation + JsonState + 'static,
        S::Input: DeserializeOwned,
    {
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

impl fmt::Debug for AnySim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AnySim")
            .field("simulator", &self.simulator)
            .finish_non_exhaustive()
    }
}

impl Simulation for AnySim {
    type Fact = AnyFact;
    type Input = AnyInput;

    fn step(&mut self, cx: &mut Context<'_>) -> Option<Event<AnyFact>> {
        self.inner.dyn_step(cx)
    }

    fn handle(&mut self, cx: &mut Context<'_>, input: &AnyInput) -> Result<(), InputError> {
        self.inner.dyn_handle(cx, input)
    }

    fn script_position(&self) -> usize {
        self.inner.dyn_script_position()
    }
}

impl JsonState for AnySim {
    fn state_json(&self, now: SimTime) -> serde_json::Value {
        self.inner.dyn_state(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_sim::SIMULATOR;
    use sim_core::testing::counter::{Bump, Counter};
    use sim_core::{Player, SimRng};

    #[test]
    fn wrapping_changes_no_byte_of_the_trace_with_or_without_inputs() {
        let mut direct = Player::new(Counter::new(40), 9);
        let mut wrapped = Player::new(AnySim::new(SIMULATOR, Counter::new(40)), 9);
        direct.seek(10);
        wrapped.seek(10);
        direct.input(Bump(7)).expect("accepted");
        wrapped
            .input(AnyInput(serde_json::json!(7)))
            .expect("accepted");
        assert!(direct.run_to_end(1000));
        assert!(wrapped.run_to_end(1000));
        assert_eq!(direct.to_trace().to_json(), wrapped.to_trace().to_json());
        assert_eq!(wrapped.sim().simulator(), SIMULATOR);
    }

    #[test]
    fn an_input_of_the_wrong_shape_is_refused_with_a_reason() {
        let mut wrapped = Player::new(AnySim::new(SIMULATOR, Counter::new(4)), 1);
        let e = wrapped
            .input(AnyInput(serde_json::json!({ "kill": "x" })))
            .unwrap_err();
        assert!(e.0.contains("not an input of this simulator"), "{e}");
        assert!(wrapped.inputs().is_empty());
    }

    #[test]
    fn a_clone_runs_on_independently() {
        let mut original = AnySim::new(SIMULATOR, Counter::new(3));
        let copy = original.clone();
        let (mut now, mut rng) = (SimTime::ZERO, SimRng::new(1));
        let mut cx = Context::new(&mut now, &mut rng, 1);
        assert!(original.step(&mut cx).is_some());
        assert_ne!(original.state_json(now), copy.state_json(now));
        assert_eq!(
            copy.state_json(now),
            serde_json::json!({ "total": 0, "ticks": 3 })
        );
    }
}
