//! The cgroup tree: groups, their settings and counters, parent/child links.
//!
//! Contract: the tree is a map from normalised path (`/a/b`, the root is `/`)
//! to group; a path names its parent, so parent and child links need no
//! store of their own. Every listing (children, subtree, all groups) comes
//! out sorted by path, so nothing depends on insertion or hash order.

use crate::controller::Controller;
use serde::Serialize;
use sim_core::{SortedMap, SortedSet};

/// The deepest group path accepted.
pub const MAX_DEPTH: usize = 32;
/// Default `cpu.shares`.
pub const DEFAULT_SHARES: u64 = 1024;
/// Default `cpu.weight`.
pub const DEFAULT_WEIGHT: u64 = 100;
/// Default `cpu.cfs_period_us`.
pub const DEFAULT_PERIOD_US: u64 = 100_000;

/// CPU settings and counters of one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CpuState {
    /// v1 `cpu.shares`.
    pub shares: u64,
    /// v2 `cpu.weight`.
    pub weight: u64,
    /// `cpu.cfs_period_us`.
    pub period_us: u64,
    /// `cpu.cfs_quota_us`; `None` is -1 (unlimited).
    pub quota_us: Option<u64>,
    /// `cpu.stat` nr_periods: periods in which the group had runnable threads.
    pub nr_periods: u64,
    /// `cpu.stat` nr_throttled: periods in which it was throttled.
    pub nr_throttled: u64,
    /// `cpu.stat` throttled_time, summed over the CPUs' run queues, in ns.
    pub throttled_time_ns: u64,
    /// `cpuacct.usage`: CPU time used by the group and its descendants, in ns.
    pub usage_ns: u64,
    /// Whether the group's own quota is spent right now.
    pub throttled: bool,
    /// Whether it is stopped because an ancestor is throttled.
    pub held: bool,
    /// Quota left in the current period, in ns.
    #[serde(skip)]
    pub runtime_left_ns: u64,
    /// Start of the current period.
    #[serde(skip)]
    pub period_start_ns: u64,
    /// When the current throttling began.
    #[serde(skip)]
    pub throttled_since_ns: u64,
    /// How many CPUs' run queues the current throttling holds.
    #[serde(skip)]
    pub throttled_cpus: u64,
    /// CPU time used in the current period, in ns.
    #[serde(skip)]
    pub period_used_ns: u64,
    /// Whether the group had runnable threads in the current period.
    #[serde(skip)]
    pub period_active: bool,
    /// CPU time used since the last report, in ns.
    #[serde(skip)]
    pub window_used_ns: u64,
}

impl Default for CpuState {
    fn default() -> Self {
        CpuState {
            shares: DEFAULT_SHARES,
            weight: DEFAULT_WEIGHT,
            period_us: DEFAULT_PERIOD_US,
            quota_us: None,
            nr_periods: 0,
            nr_throttled: 0,
            throttled_time_ns: 0,
            usage_ns: 0,
            throttled: false,
            held: false,
            runtime_left_ns: 0,
            period_start_ns: 0,
            throttled_since_ns: 0,
            throttled_cpus: 0,
            period_used_ns: 0,
            period_active: false,
            window_used_ns: 0,
        }
    }
}

/// `memory.events` (v2) counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct MemoryEvents {
    /// Times usage went over `memory.high`.
    pub high: u64,
    /// Times a charge hit `memory.max`.
    pub max: u64,
    /// Times the group ran out of memory.
    pub oom: u64,
    /// Tasks the OOM killer killed in the group.
    pub oom_kill: u64,
}

/// Memory settings and counters of one group.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct MemoryState {
    /// The hard limit in pages (`memory.limit_in_bytes` / `memory.max`); `None` is unlimited.
    pub limit_pages: Option<u64>,
    /// v2 `memory.high` in pages; `None` is `max`.
    pub high_pages: Option<u64>,
    /// `memory.oom_control` oom_kill_disable.
    pub oom_kill_disable: bool,
    /// `memory.oom_control` under_oom.
    pub under_oom: bool,
    /// v2 `memory.oom.group`.
    pub oom_group: bool,
    /// Page cache charged to this group, in bytes.
    pub cache_bytes: u64,
    /// `memory.failcnt`.
    pub failcnt: u64,
    /// `memory.max_usage_in_bytes`.
    pub max_usage_bytes: u64,
    /// `memory.events`.
    pub events: MemoryEvents,
}

/// One cgroup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    /// Its path, e.g. `/demo`.
    pub path: String,
    /// The controller hierarchies it exists in.
    pub controllers: SortedSet<Controller>,
    /// When it was created, in ns.
    pub created_ns: u64,
    /// CPU settings and counters.
    pub cpu: CpuState,
    /// Memory settings and counters.
    pub memory: MemoryState,
}

/// The tree of groups.
#[derive(Debug, Clone)]
pub struct Hierarchy {
    by_path: SortedMap<String, Group>,
}

/// Normalises a group path (`demo`, `/a/b/`) to `/demo`, `/a/b`; errors name the problem.
pub fn normalize(raw: &str) -> Result<String, String> {
    let parts: Vec<&str> = raw.split('/').filter(|p| !p.is_empty()).collect();
    if let Some(bad) = parts.iter().find(|p| **p == "." || **p == "..") {
        return Err(format!("`{bad}` is not allowed in a cgroup path"));
    }
    if parts.len() > MAX_DEPTH {
        return Err(format!(
            "cgroup paths may be at most {MAX_DEPTH} levels deep"
        ));
    }
    Ok(format!("/{}", parts.join("/")))
}

/// The parent of a normalised path (`None` for the root).
pub fn parent_of(path: &str) -> Option<String> {
    if path == "/" {
        return None;
    }
    let cut = path.rfind('/').unwrap_or(0);
    Some(if cut == 0 {
        "/".to_string()
    } else {
        path[..cut].to_string()
    })
}

impl Default for Hierarchy {
    fn default() -> Self {
        Self::new()
    }
}

impl Hierarchy {
    /// A tree with only the root group, in every controller.
    pub fn new() -> Self {
        let root = Group {
            path: "/".to_string(),
            controllers: [Controller::Cpu, Controller::Memory].into_iter().collect(),
            created_ns: 0,
            cpu: CpuState::default(),
            memory: MemoryState::default(),
        };
        Hierarchy {
            by_path: SortedMap::from([("/".to_string(), root)]),
        }
    }

    /// The group at `path`.
    pub fn get(&self, path: &str) -> Option<&Group> {
        self.by_path.get(path)
    }

    /// The group at `path`, mutably.
    pub fn get_mut(&mut self, path: &str) -> Option<&mut Group> {
        self.by_path.get_mut(path)
    }

    /// Whether `path` exists in `controller`'s hierarchy.
    pub fn exists_in(&self, path: &str, controller: Controller) -> bool {
        self.get(path)
            .is_some_and(|g| g.controllers.contains(&controller))
    }

    /// Every group path, sorted.
    pub fn paths(&self) -> Vec<String> {
        self.by_path.keys().cloned().collect()
    }

    /// Every group, sorted by path.
    pub fn groups(&self) -> impl Iterator<Item = &Group> {
        self.by_path.values()
    }

    /// The children of `path`, sorted by path.
    pub fn children(&self, path: &str) -> Vec<String> {
        self.by_path
            .keys()
            .filter(|p| parent_of(p).as_deref() == Some(path))
            .cloned()
            .collect()
    }

    /// `path` and its ancestors, nearest first, ending at the root.
    pub fn self_and_ancestors(&self, path: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut current = self.by_path.contains_key(path).then(|| path.to_string());
        while let Some(p) = current {
            current = parent_of(&p).filter(|parent| self.by_path.contains_key(parent));
            out.push(p);
        }
        out
    }

    /// Whether `path` is `ancestor` or lies below it.
    pub fn is_within(path: &str, ancestor: &str) -> bool {
        ancestor == "/"
            || path == ancestor
            || path
                .strip_prefix(ancestor)
                .is_some_and(|r| r.starts_with('/'))
    }

    /// `path` and all its descendants, sorted.
    pub fn subtree(&self, path: &str) -> Vec<String> {
        self.by_path
            .keys()
            .filter(|p| Self::is_within(p, path))
            .cloned()
            .collect()
    }

    /// Creates `path` (and missing parents) in `controllers`; returns the
    /// paths that were new in some controller, parents first.
    pub fn create(&mut self, path: &str, controllers: &[Controller], now_ns: u64) -> Vec<String> {
        let mut chain = self.ancestors_to_create(path);
        chain.reverse();
        let mut changed = Vec::new();
        for p in chain {
            let parent_exists = parent_of(&p).is_some_and(|pp| self.by_path.contains_key(&pp));
            if !self.by_path.contains_key(&p) && !parent_exists {
                continue;
            }
            let g = self.by_path.get_or_insert_with(p.clone(), || Group {
                path: p.clone(),
                controllers: SortedSet::new(),
                created_ns: now_ns,
                cpu: CpuState::default(),
                memory: MemoryState::default(),
            });
            let before = g.controllers.len();
            g.controllers.extend(controllers.iter().copied());
            if g.controllers.len() != before {
                changed.push(p);
            }
        }
        changed
    }

    /// `path` and its ancestors below the root, nearest first.
    fn ancestors_to_create(&self, path: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut current = Some(path.to_string());
        while let Some(p) = current {
            if p == "/" {
                break;
            }
            current = parent_of(&p);
            out.push(p);
        }
        out
    }

    /// Removes `controller` from `path`; the group disappears when it is in
    /// no controller any more. Children must have been removed first.
    pub fn remove(&mut self, path: &str, controller: Controller) {
        let Some(g) = self.by_path.get_mut(path) else {
            return;
        };
        g.controllers.remove(&controller);
        if g.controllers.is_empty() && path != "/" {
            self.by_path.remove(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalise_and_reject_dots() {
        assert_eq!(normalize("demo"), Ok("/demo".into()));
        assert_eq!(normalize("/a//b/"), Ok("/a/b".into()));
        assert_eq!(normalize(""), Ok("/".into()));
        assert!(normalize("a/../b").is_err());
        assert_eq!(parent_of("/a/b").as_deref(), Some("/a"));
        assert_eq!(parent_of("/a").as_deref(), Some("/"));
        assert_eq!(parent_of("/"), None);
    }

    #[test]
    fn create_makes_parents_and_lists_are_sorted() {
        let mut h = Hierarchy::new();
        let made = h.create("/p/b", &[Controller::Cpu], 5);
        assert_eq!(made, vec!["/p".to_string(), "/p/b".to_string()]);
        h.create("/p/a", &[Controller::Cpu, Controller::Memory], 6);
        assert_eq!(h.children("/p"), vec!["/p/a", "/p/b"]);
        assert_eq!(h.self_and_ancestors("/p/a"), vec!["/p/a", "/p", "/"]);
        assert_eq!(h.subtree("/p"), vec!["/p", "/p/a", "/p/b"]);
        assert!(h.exists_in("/p/a", Controller::Memory));
        assert!(!h.exists_in("/p/b", Controller::Memory));
        assert!(
            h.exists_in("/p", Controller::Memory),
            "parent joins the memory hierarchy too"
        );
        h.remove("/p/b", Controller::Cpu);
        assert_eq!(h.children("/p"), vec!["/p/a"]);
        assert!(!Hierarchy::is_within("/pa", "/p"));
    }
}
