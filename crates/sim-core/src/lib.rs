//! The deterministic engine every simdeck simulator runs on.
//!
//! Contract: the same scenario, seed and inputs give the same trace, byte for
//! byte, on every target. Nothing here reads the OS clock or OS entropy, and
//! no hash-map iteration order reaches a result.
//!
//! - [`SimTime`] is the one virtual clock, owned by the [`Player`] and moved
//!   by simulations through their [`Context`].
//! - [`SimRng`] is the seeded random source; [`Context::stream`] gives each
//!   entity its own stream, and [`ids`] draws UUIDs and hex IDs from one.
//! - [`Simulation`] is what a simulator implements: steps that report a
//!   [`Fact`] naming its [`Rule`], and inputs taken between steps.
//! - [`Player`] drives it forward, back, to any step, takes inputs, and keeps
//!   every event or only a [`Summary`] for very long runs.
//! - [`MicroQueue`] and [`Agenda`] hold planned steps and timed work.
//! - [`quantity`] parses Kubernetes quantities.
//! - [`SortedMap`] and [`SortedSet`] are the simulators' ordered maps and
//!   sets: sorted `Vec`s that iterate as `BTreeMap` and `BTreeSet` do;
//!   [`sorted::sort_stable_by`] is the one stable sort the simulators share.
//! - [`CompiledScenario`] is a scenario as the site embeds it; its
//!   [`ClickPoint`]s become steps through a [`Timeline`], its [`WhatIf`]
//!   parameters turn a [`Tunable`] config's knobs.
//! - [`ScenarioError`] and [`Source`] locate problems in scenario files;
//!   parsing them is [`scenario`] (feature `load`).
//! - [`JsonState`] and [`Trace`] are the runner's JSON (feature `json`);
//!   [`testing`] is the conformance kit (feature `testing`).

mod agenda;
mod clicks;
mod clock;
mod compiled;
mod context;
mod event;
#[cfg(any(test, feature = "json"))]
mod json;
mod located;
mod player;
pub mod quantity;
mod queue;
mod rng;
#[cfg(any(test, feature = "load"))]
pub mod scenario;
mod simulation;
pub mod sorted;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
mod what_if;

pub use agenda::Agenda;
pub use clicks::{ClickPoint, Timeline};
pub use clock::SimTime;
pub use compiled::{CompiledScenario, ScenarioTable};
pub use context::Context;
pub use event::{Event, Fact, Rule, TextFact};
#[cfg(any(test, feature = "json"))]
pub use json::{InputRecord, JsonState, StepRecord, Trace};
pub use located::{line_column, Header, ScenarioError, Source};
pub use player::{Player, PlayerConfig, Record, Summary};
pub use queue::MicroQueue;
pub use rng::{ids, SimRng};
pub use simulation::{InputError, NoInput, Simulation};
pub use sorted::{SortedMap, SortedSet};
pub use what_if::{apply_edits, Tunable, WhatIf};
