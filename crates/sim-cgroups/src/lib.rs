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
//! Modules: [`scenario`] documents the file format and loads it; [`command`]
//! parses script lines; [`hierarchy`] is the group tree;
//! [`cpu`] splits CPU among busy groups; `bandwidth` lets time pass under CFS
//! quotas; `memory` charges, reclaims and OOM-kills; `settings` applies writes
//! with the kernel's errors; `files` renders the cgroup filesystem;
//! [`weight`] and [`kubelet`] are the runc and kubelet conversions; [`rules`]
//! lists every rule.

mod bandwidth;
pub mod command;
pub mod cpu;
mod files;
pub mod hierarchy;
pub mod kubelet;
mod memory;
pub mod process;
pub mod rules;
pub mod scenario;
mod settings;
mod sim;
pub mod units;
pub mod weight;

pub use scenario::{load, SIMULATOR};
pub use settings::{WRITABLE_V1, WRITABLE_V2};
pub use sim::{CgroupSim, CgroupVersion, Locale, Machine, ScriptLine, WallClock};
