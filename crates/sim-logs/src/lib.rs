//! Node-level container logging, simulated step by step (deck slides 22-24).
//!
//! Contract: follows section 6 of `semantics.md`. Containers' stdout and
//! stderr become CRI lines (`<RFC3339Nano> <stream> <P|F> <content>`) in
//! `/var/log/pods/<namespace>_<pod>_<uid>/<container>/<restartCount>.log`
//! with a `/var/log/containers/...` symlink; the kubelet rotates logs by size
//! and count every check period; `kubectl logs` reads only the newest file and
//! `--previous` the last terminated instance's; a node logging agent, a
//! streaming sidecar and a sidecar agent show the three collection patterns.
//! Every step reports a [`LogsFact`] naming the [`sim_core::Rule`] behind it
//! (see [`rules`]).
//!
//! The public entry points are [`SIMULATOR`], [`Config`], [`LogsSim::new`]
//! and [`LogsInput`]. Feature `load` adds `load`, which reads a TOML
//! scenario file into a validated [`Config`]; feature `json` adds
//! `sim_core::JsonState` for [`LogsSim`] (the runner's state JSON).

pub mod agent;
mod agent_poll;
pub mod config;
pub mod cri;
pub mod facts;
mod input;
mod kubectl;
mod node;
pub mod node_fs;
mod rotation;
pub mod rules;
mod runtime;
#[cfg(feature = "load")]
pub mod scenario;
pub mod shared;
pub mod sim;
mod state;
#[cfg(feature = "json")]
mod view;
pub mod wallclock;

pub use config::{Config, SIMULATOR};
pub use facts::LogsFact;
pub use input::LogsInput;
pub use node::{CommandOutput, Phase};
#[cfg(feature = "load")]
pub use scenario::load;
pub use sim::LogsSim;
pub use state::{ContainerStatus, LogFile, PodStatus};
