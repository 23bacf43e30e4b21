//! The simulated host as the kernel sees it: the machine, the cgroup tree, the
//! processes and the namespaces' hostnames.
//!
//! Contract: plain data plus queries over it; the kernel behaviours
//! (`bandwidth`, `memory`, `settings`, `tasks`, `namespaces`, `files`) are
//! functions that take a `System` and change it, and nothing here knows the
//! script or the shell that drives them.

use crate::hierarchy::Hierarchy;
use crate::machine::Machine;
use crate::process::{Namespace, Process};
use crate::units::PAGE_SIZE;
use sim_core::SortedMap;

/// The first pid the simulation hands out.
const FIRST_PID: u32 = 1000;

/// The window a CPU usage report covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageWindow {
    /// When the next report is due, in ns.
    pub next_report_ns: u64,
    /// When the current window began, in ns.
    pub start_ns: u64,
    /// Whether weights decided the split at some instant of the window.
    pub contended: bool,
}

/// The simulated host.
#[derive(Debug, Clone)]
pub struct System {
    /// Its fixed settings.
    pub machine: Machine,
    /// The cgroup tree.
    pub tree: Hierarchy,
    /// The live processes, by pid.
    pub processes: SortedMap<u32, Process>,
    /// The pid the next process gets.
    pub next_pid: u32,
    /// The number the next new namespace gets.
    pub next_namespace: u32,
    /// The hostname of each UTS namespace.
    pub hostnames: SortedMap<Namespace, String>,
    /// The CPU usage report window.
    pub usage: UsageWindow,
}

impl System {
    /// A host with `machine`'s settings and the groups of `tree`, no processes yet.
    pub fn new(machine: Machine, tree: Hierarchy) -> Self {
        let hostname = machine.hostname.clone();
        let next_report_ns = machine.report_every_ns;
        System {
            machine,
            tree,
            processes: SortedMap::new(),
            next_pid: FIRST_PID,
            next_namespace: 1,
            hostnames: SortedMap::from([(Namespace::Host, hostname)]),
            usage: UsageWindow {
                next_report_ns,
                start_ns: 0,
                contended: false,
            },
        }
    }

    /// Hands out the next pid.
    pub fn allocate_pid(&mut self) -> u32 {
        let pid = self.next_pid;
        self.next_pid = self.next_pid.saturating_add(1);
        pid
    }

    /// Memory charged to `path` and its descendants, in bytes (saturating at
    /// `u64::MAX`).
    pub fn memory_usage(&self, path: &str) -> u64 {
        let cache = self
            .tree
            .groups()
            .filter(|g| Hierarchy::is_within(&g.path, path))
            .map(|g| g.memory.cache_bytes);
        let anon = self
            .processes
            .values()
            .filter(|p| Hierarchy::is_within(&p.memory_group, path))
            .map(|p| p.anon_bytes);
        cache.chain(anon).fold(0, u64::saturating_add)
    }

    /// The hard memory limit of `path` in bytes, if any.
    pub fn limit_bytes(&self, path: &str) -> Option<u64> {
        self.tree
            .get(path)?
            .memory
            .limit_pages
            .map(|p| p.saturating_mul(PAGE_SIZE))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::machine::{CgroupVersion, Locale, WallClock};
    use crate::process::{Activity, Namespaces};
    use crate::weight::RuncVersion;

    #[test]
    fn memory_usage_saturates_instead_of_overflowing() {
        let machine = Machine {
            cpus: 1,
            cgroup: CgroupVersion::V1,
            runc: RuncVersion::QUADRATIC_SINCE,
            kubernetes_minor: 30,
            locale: Locale::C,
            clock: WallClock {
                month: 1,
                day: 1,
                hour: 0,
                minute: 0,
            },
            report_every_ns: 0,
            hostname: "host".to_string(),
        };
        let mut system = System::new(machine, Hierarchy::new());
        // Five tasks of 2^62 bytes each (as 4096 workers of 1 PiB would hold):
        // their sum is over u64::MAX.
        for pid in 1..=5 {
            let task = Process {
                pid,
                command: "stress (vm worker)".to_string(),
                parent: None,
                cpu_group: "/".to_string(),
                memory_group: "/".to_string(),
                activity: Activity::Holding,
                anon_bytes: 1 << 62,
                waiting_charge: 0,
                waiting_for_cache: false,
                ends_ns: None,
                cpu_time_ns: 0,
                namespaces: Namespaces::HOST,
            };
            system.processes.insert(pid, task);
        }
        if let Some(root) = system.tree.get_mut("/") {
            root.memory.cache_bytes = u64::MAX;
        }
        assert_eq!(system.memory_usage("/"), u64::MAX);
    }
}
