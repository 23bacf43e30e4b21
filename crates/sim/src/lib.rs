//! Runs any simdeck scenario, whichever simulator it names.
//!
//! Contract: a scenario file's `[scenario]` header names its simulator; the
//! [`Registry`] loads the file with that simulator and wraps it as an
//! [`AnySim`], which any [`sim_core::Player`] can drive. Running through the
//! registry changes no byte of the trace. Everything here is pure Rust with no
//! I/O, and it is the one place TOML scenario files are read: the site ships
//! only what [`Registry::compile`] makes of them.
//!
//! - [`Registry`] maps simulator names to their loaders; [`Registry::builtin`]
//!   knows every simulator shipped with simdeck; [`Registry::compile`] turns a
//!   scenario into the binary form the site embeds.
//! - [`shipped`] is the table of scenario files embedded at build time.
//! - [`check_all`] runs scenarios to their end; [`digest_file`] renders the
//!   golden digests.

mod any_sim;
mod check;
mod paths;
mod registry;
mod shipped;
#[cfg(test)]
mod test_sim;

pub use any_sim::{AnyFact, AnyInput, AnySim};
pub use check::{check_all, digest_file, run_to_end, Run, REBLESS_COMMAND, STEP_LIMIT};
pub use registry::{Registry, Scenario};
pub use shipped::{shipped, ShippedScenario, SCENARIO_DIR};
