//! Simulated processes: where they are in the cgroup trees, what they do, and
//! which namespaces they live in.
//!
//! Contract: a process is in exactly one group per controller; only `Spinning`
//! processes want CPU (one CPU each); `anon_bytes` is what is charged to its
//! memory group.

use serde::Serialize;

/// What a process is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Activity {
    /// Waiting for input (a shell) or for its workers (stress itself).
    Sleeping,
    /// Spinning on one CPU.
    Spinning,
    /// Holding its memory and otherwise idle.
    Holding,
    /// Stuck in a charge at the memory limit (OOM killer disabled).
    HungAtLimit,
}

/// How a memory charge is reclaimable: what a process touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChargeKind {
    /// Anonymous memory of the process (not reclaimable without swap).
    Anon,
    /// Page cache (reclaimable).
    Cache,
}

/// A namespace: the host's, or a new one numbered from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Namespace {
    /// Shared with the host.
    Host,
    /// Created by `unshare`, with its number.
    New(u32),
}

/// The namespaces of one process, as `ls -l /proc/PID/ns` would show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Namespaces {
    /// cgroup namespace (never unshared here).
    pub cgroup: Namespace,
    /// System V IPC.
    pub ipc: Namespace,
    /// Mount namespace (never unshared here).
    pub mnt: Namespace,
    /// Network stack.
    pub net: Namespace,
    /// PID namespace (never unshared here).
    pub pid: Namespace,
    /// User namespace (never unshared here).
    pub user: Namespace,
    /// Hostname.
    pub uts: Namespace,
}

impl Namespaces {
    /// All the host's.
    pub const HOST: Namespaces = Namespaces {
        cgroup: Namespace::Host,
        ipc: Namespace::Host,
        mnt: Namespace::Host,
        net: Namespace::Host,
        pid: Namespace::Host,
        user: Namespace::Host,
        uts: Namespace::Host,
    };
}

/// One process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Process {
    /// Its pid.
    pub pid: u32,
    /// Its command line.
    pub command: String,
    /// The process that started it (stress for its workers, the shell for commands).
    pub parent: Option<u32>,
    /// Its group in the cpu hierarchy.
    pub cpu_group: String,
    /// Its group in the memory hierarchy.
    pub memory_group: String,
    /// What it is doing.
    pub activity: Activity,
    /// Anonymous memory charged to it, in bytes.
    pub anon_bytes: u64,
    /// A charge waiting while it hangs at the limit, in bytes.
    pub waiting_charge: u64,
    /// Whether that waiting charge is page cache (a `dd`) rather than anonymous memory.
    pub waiting_for_cache: bool,
    /// When it exits on its own (stress `--timeout`), in ns.
    pub ends_ns: Option<u64>,
    /// CPU time it used, in ns.
    pub cpu_time_ns: u64,
    /// Its namespaces.
    pub namespaces: Namespaces,
}

impl Process {
    /// Whether it wants a CPU right now.
    pub fn runnable(&self) -> bool {
        self.activity == Activity::Spinning
    }
}
