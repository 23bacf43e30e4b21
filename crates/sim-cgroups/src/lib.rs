//! The cgroups simulator of the deck's slides 7-10: a machine with N CPUs, a
//! cgroup v1 (or v2) hierarchy with the cpu and memory controllers, and the
//! deck's own shell session (`cgcreate`, `cgset`, `cgexec ... unshare ... sh`,
//! `exit`, `cgdelete`, `ls -l`, `cat`) plus workloads (`stress`, `dd`) and the
//! kubelet's view of a container's resources.
//!
//! Contract: `load` (feature `load`) turns a scenario file into a validated
//! [`Config`]; [`CgroupSim::new`] builds the simulation from it without
//! parsing anything; stepping it with [`sim_core::Player`] yields one
//! [`CgroupFact`] per change, each naming the rule (kernel, runc, kubelet,
//! libcgroup, util-linux) that produced it; [`CgroupInput`]s (a quota, a
//! memory limit, a kill) can be fed in between steps. The same config, seed
//! and inputs always give the same trace. Rules follow
//! `shared/reference/semantics.md` section 1. The JSON state (feature `json`)
//! is the runner's; views read the typed state ([`CgroupSim::system`],
//! [`CgroupSim::files`], [`CgroupSim::read_file`], ...).
//!
//! Modules, in layers (each uses only the layers above it):
//! - the model: [`controller`], [`machine`], [`hierarchy`] (the group tree),
//!   [`process`], [`program`], and [`system`], which holds them together;
//!   [`script`] is the parsed script and [`config`] the starting point;
//! - pure rules: [`cpu`] splits CPU among busy groups, [`weight`] and
//!   [`kubelet`] are the runc and kubelet conversions, [`units`] reads and
//!   prints quantities, [`rules`] lists every rule and [`fact`] renders what
//!   happened;
//! - the kernel's behaviours, as functions over the system: `settings`
//!   (create, write with the kernel's errors, delete), `bandwidth` (time
//!   passing under CFS quotas), `memory` (charge, reclaim, OOM), `tasks`
//!   (start, kill and exit processes), `namespaces`, `files` (the cgroup
//!   filesystem); each returns an `op::Outcome`;
//! - the shell interpreter (`shell`), the inputs ([`input`]), the simulation
//!   that queues and applies the ops (`sim`), the JSON view (`view`) and the
//!   loader (`scenario`, with the line parser `command`).

mod bandwidth;
#[cfg(feature = "load")]
pub mod command;
pub mod config;
pub mod controller;
pub mod cpu;
pub mod fact;
mod files;
pub mod hierarchy;
pub mod input;
pub mod kubelet;
pub mod machine;
mod memory;
mod namespaces;
mod op;
pub mod process;
pub mod program;
pub mod rules;
#[cfg(feature = "load")]
pub mod scenario;
pub mod script;
mod settings;
mod shell;
mod sim;
pub mod system;
mod tasks;
pub mod units;
#[cfg(feature = "json")]
mod view;
pub mod weight;

/// The value of `scenario.simulator` for this simulator.
pub const SIMULATOR: &str = "cgroups";

pub use config::Config;
pub use fact::CgroupFact;
pub use input::CgroupInput;
pub use machine::{CgroupVersion, Locale, Machine, WallClock};
#[cfg(feature = "load")]
pub use scenario::load;
pub use script::ScriptLine;
pub use settings::{WRITABLE_V1, WRITABLE_V2};
pub use shell::Shell;
pub use sim::CgroupSim;
pub use system::System;
