//! Node-level container logging, simulated step by step (deck slides 22-24).
//!
//! Contract: follows section 6 of `semantics.md`. Containers' stdout and
//! stderr become CRI lines (`<RFC3339Nano> <stream> <P|F> <content>`) in
//! `/var/log/pods/<namespace>_<pod>_<uid>/<container>/<restartCount>.log`
//! with a `/var/log/containers/...` symlink; the kubelet rotates logs by size
//! and count every check period; `kubectl logs` reads only the newest file and
//! `--previous` the last terminated instance's; a node logging agent, a
//! streaming sidecar and a sidecar agent show the three collection patterns.
//! Every event names the [`sim_core::Rule`] behind it (see [`rules`]).
//!
//! The public entry points are [`SIMULATOR`], [`load`] and [`LogsSim`].

pub mod agent;
mod agent_poll;
pub mod cri;
mod kubectl;
mod node;
pub mod node_fs;
mod rotation;
pub mod rules;
mod runtime;
pub mod scenario;
pub mod setup;
pub mod shared;
pub mod sim;
mod view;
pub mod wallclock;

pub use sim::LogsSim;

use sim_core::scenario::{Header, ScenarioError};

/// The value of `scenario.simulator` in this simulator's files.
pub const SIMULATOR: &str = "logs";

/// Parses and validates a `logs` scenario file into its header and a
/// simulation ready to run; errors carry the file, line and column.
pub fn load(file: &str, src: &str) -> Result<(Header, LogsSim), ScenarioError> {
    scenario::load(file, src).map(|(header, setup)| (header, LogsSim::new(setup)))
}
