//! The contract every simulator implements.

use crate::{Context, Event, Fact};
use serde::Serialize;
use std::fmt;

/// A state that moves one event at a time and accepts inputs between steps.
///
/// A simulation is plain data (`Clone`): it holds its state and the rest of
/// its script. It takes time only from the [`Context`]'s clock and randomness
/// only from the context's streams, so the same seed and the same inputs
/// always yield the same steps.
pub trait Simulation: Clone {
    /// What its steps report.
    type Fact: Fact;
    /// What can be fed into it while it runs: a what-if edit, a fault, a
    /// presenter's action. Recorded in the trace, so a run replays exactly.
    type Input: Clone + fmt::Debug + PartialEq + Serialize;

    /// Performs the next step and says what happened, or returns `None` when
    /// there is nothing left to do.
    fn step(&mut self, cx: &mut Context<'_>) -> Option<Event<Self::Fact>>;

    /// Takes `input` now, between two steps. Its effects show in the state
    /// and in the steps that follow; an error leaves the simulation unchanged.
    /// Where the input's own steps fall among steps already planned is the
    /// simulator's to say, on its `handle` (a kill lands at once, a file
    /// operation after the one under way); any planned step an input can
    /// overtake must check again, when its turn comes, that it still applies.
    fn handle(&mut self, cx: &mut Context<'_>, input: &Self::Input) -> Result<(), InputError>;

    /// How many units of its script the simulation has started: shell lines,
    /// actions, timed entries, whatever its scenario file calls the parts of
    /// its script. It never decreases; click points count these units. A
    /// simulation without a script stays at 0.
    fn script_position(&self) -> usize {
        0
    }
}

/// Why a simulation refused an input, in a sentence for the person who gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputError(pub String);

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InputError {}

/// The input type of a simulation that takes none: it has no values, so no
/// input can ever be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum NoInput {}
