//! The deterministic engine every simdeck simulator runs on.
//!
//! Contract: the same scenario and the same seed give the same trace, byte for
//! byte, on every target. Nothing here reads the OS clock or OS entropy, and no
//! hash-map iteration order reaches a result.
//!
//! - [`SimTime`] is the virtual clock: simulators advance it themselves, so a
//!   30-minute timeout costs nothing.
//! - [`SimRng`] is the seeded random source; [`SimRng::stream`] derives
//!   independent per-entity streams from one world seed.
//! - [`Event`] is one step of a simulation; it names the [`Rule`] that caused it.
//! - [`Simulation`] is what a simulator implements; [`Player`] drives it forward,
//!   back, and to any step.
//! - [`scenario`] loads the human-written TOML scenario files with located errors.

mod clock;
mod event;
mod player;
mod rng;
pub mod scenario;

pub use clock::SimTime;
pub use event::{Event, Rule};
pub use player::{Player, Simulation, Trace, DEFAULT_STEP_LIMIT};
pub use rng::SimRng;
