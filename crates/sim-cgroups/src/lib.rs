//! The cgroups simulator of the deck's slides 7-10: a machine with N CPUs, a
//! cgroup v1 (or v2) hierarchy with the cpu and memory controllers, and the
//! deck's own shell session (`cgcreate`, `cgset`, `cgexec ... unshare ... sh`,
//! `exit`, `cgdelete`, `ls -l`, `cat`) plus workloads (`stress`, `dd`) and the
//! kubelet's view of a container's resources.
//!
//! Contract: [`load`] turns a scenario file into a [`CgroupSim`]; stepping it
//! with [`sim_core::Player`] yields one event per change, each naming the rule
//! (kernel, runc, kubelet, libcgroup, util-linux) that produced it. The same
//! scenario and seed always give the same trace. Rules follow
//! `shared/reference/semantics.md` section 1.
//!
//! Modules, in layers (each uses only the layers above it):
//! - the model: [`controller`], [`machine`], [`hierarchy`] (the group tree),
//!   [`process`], [`program`], and [`system`], which holds them together;
//!   [`script`] is the parsed script;
//! - pure rules: [`cpu`] splits CPU among busy groups, [`weight`] and
//!   [`kubelet`] are the runc and kubelet conversions, [`units`] reads and
//!   prints quantities, [`rules`] lists every rule;
//! - the kernel's behaviours, as functions over the system: `settings`
//!   (create, write with the kernel's errors, delete), `bandwidth` (time
//!   passing under CFS quotas), `memory` (charge, reclaim, OOM), `tasks`
//!   (start and exit processes), `namespaces`, `files` (the cgroup
//!   filesystem); each returns an `op::Outcome`;
//! - the shell interpreter (`shell`), the state view (`view`), the
//!   simulation that queues and applies the ops (`sim`), and the loader
//!   ([`scenario`], with the line parser [`command`]).

mod bandwidth;
pub mod command;
pub mod controller;
pub mod cpu;
mod files;
pub mod hierarchy;
pub mod kubelet;
pub mod machine;
mod memory;
mod namespaces;
mod op;
pub mod process;
pub mod program;
pub mod rules;
pub mod scenario;
pub mod script;
mod settings;
mod shell;
mod sim;
pub mod system;
mod tasks;
pub mod units;
mod view;
pub mod weight;

pub use machine::{CgroupVersion, Locale, Machine, WallClock};
pub use scenario::{load, SIMULATOR};
pub use script::ScriptLine;
pub use settings::{WRITABLE_V1, WRITABLE_V2};
pub use shell::Shell;
pub use sim::CgroupSim;
pub use system::System;
