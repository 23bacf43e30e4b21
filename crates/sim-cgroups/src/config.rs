//! What a cgroups simulation starts from: the machine, the groups that exist
//! before the script, and the script.
//!
//! Contract: plain, serializable data. The loader (feature `load`) produces
//! only valid configs: its groups are listed parents first with settings the
//! kernel accepted; [`crate::CgroupSim::new`] builds the simulation from any
//! config without parsing anything and never panics.

use crate::controller::Controller;
use crate::hierarchy::{Group, Hierarchy, DEFAULT_PERIOD_US, DEFAULT_SHARES, DEFAULT_WEIGHT};
use crate::machine::Machine;
use crate::script::ScriptLine;
use serde::{Deserialize, Serialize};

/// Everything a cgroups simulation starts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    /// The machine's fixed settings.
    pub machine: Machine,
    /// Groups that exist before the script starts, parents first.
    pub groups: Vec<GroupConfig>,
    /// The script, line by line.
    pub script: Vec<ScriptLine>,
}

/// A group that exists before the script starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupConfig {
    /// Its normalised path, e.g. `/parent`.
    pub path: String,
    /// The controller hierarchies it exists in.
    pub controllers: Vec<Controller>,
    /// Its CPU settings.
    pub cpu: CpuSettings,
    /// Its memory settings.
    pub memory: MemorySettings,
}

/// The CPU settings of a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CpuSettings {
    /// v1 `cpu.shares`.
    pub shares: u64,
    /// v2 `cpu.weight`.
    pub weight: u64,
    /// `cpu.cfs_period_us`.
    pub period_us: u64,
    /// `cpu.cfs_quota_us`; `None` is unlimited.
    pub quota_us: Option<u64>,
}

impl Default for CpuSettings {
    fn default() -> Self {
        CpuSettings {
            shares: DEFAULT_SHARES,
            weight: DEFAULT_WEIGHT,
            period_us: DEFAULT_PERIOD_US,
            quota_us: None,
        }
    }
}

/// The memory settings of a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MemorySettings {
    /// The hard limit in pages; `None` is unlimited.
    pub limit_pages: Option<u64>,
    /// v2 `memory.high` in pages; `None` is `max`.
    pub high_pages: Option<u64>,
    /// `memory.oom_control` = 1.
    pub oom_kill_disable: bool,
    /// v2 `memory.oom.group` = 1.
    pub oom_group: bool,
}

impl GroupConfig {
    /// The settings `group` has now, as a group to start with.
    pub fn of(group: &Group) -> Self {
        GroupConfig {
            path: group.path.clone(),
            controllers: group.controllers.iter().copied().collect(),
            cpu: CpuSettings {
                shares: group.cpu.shares,
                weight: group.cpu.weight,
                period_us: group.cpu.period_us,
                quota_us: group.cpu.quota_us,
            },
            memory: MemorySettings {
                limit_pages: group.memory.limit_pages,
                high_pages: group.memory.high_pages,
                oom_kill_disable: group.memory.oom_kill_disable,
                oom_group: group.memory.oom_group,
            },
        }
    }
}

/// The tree at time 0 with `groups` (and any parent they lack) created and
/// set up, each quota full for its first period.
pub fn initial_tree(groups: &[GroupConfig]) -> Hierarchy {
    let mut tree = Hierarchy::new();
    for config in groups {
        tree.create(&config.path, &config.controllers, 0);
        if let Some(group) = tree.get_mut(&config.path) {
            let (cpu, memory) = (config.cpu, config.memory);
            group.cpu.shares = cpu.shares;
            group.cpu.weight = cpu.weight;
            group.cpu.period_us = cpu.period_us;
            group.cpu.quota_us = cpu.quota_us;
            group.cpu.runtime_left_ns = cpu.quota_us.unwrap_or(0).saturating_mul(1_000);
            group.memory.limit_pages = memory.limit_pages;
            group.memory.high_pages = memory.high_pages;
            group.memory.oom_kill_disable = memory.oom_kill_disable;
            group.memory.oom_group = memory.oom_group;
        }
    }
    tree
}

impl sim_core::Tunable for Config {
    fn knob(&self, knob: &str) -> Result<i64, String> {
        Err(format!("the cgroups simulator has no knob `{knob}`"))
    }

    fn set_knob(&mut self, knob: &str, _value: i64) -> Result<(), String> {
        Err(format!("the cgroups simulator has no knob `{knob}`"))
    }
}
