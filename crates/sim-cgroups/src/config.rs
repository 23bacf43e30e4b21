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
use crate::script::{Command, ScriptLine};
use crate::units::{memparse, MAX_BYTES, PAGE_SIZE};
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

/// The files a knob may turn, with the range the kernel keeps as written.
const KNOB_FILES: [(&str, i64, i64); 4] = [
    ("cpu.shares", 2, 262_144),
    ("cpu.cfs_period_us", 1_000, 1_000_000),
    ("cpu.cfs_quota_us", 1_000, (1 << 44) - 1),
    ("memory.limit_in_bytes", PAGE_SIZE as i64, MAX_BYTES as i64),
];

/// Why `value` cannot be written to `file` by a knob, if it cannot.
fn knob_value_problem(file: &str, value: i64) -> Option<String> {
    let Some(&(_, min, max)) = KNOB_FILES.iter().find(|(f, _, _)| *f == file) else {
        let files: Vec<&str> = KNOB_FILES.iter().map(|(f, _, _)| *f).collect();
        return Some(format!(
            "`{file}` is not a file a knob turns; these are: {}",
            files.join(", ")
        ));
    };
    let unlimited_quota = file == "cpu.cfs_quota_us" && value == -1;
    (!(min..=max).contains(&value) && !unlimited_quota).then(|| {
        format!("{file} takes {min} to {max}; {value} is outside, and the kernel would not keep it as written")
    })
}

impl Config {
    /// The first script line writing `file` with `cgset`: its index and the
    /// value word's position in its writes.
    fn first_cgset(&self, file: &str) -> Option<(usize, usize)> {
        self.script
            .iter()
            .enumerate()
            .find_map(|(i, line)| match &line.command {
                Command::Cgset { writes, .. } => {
                    writes.iter().position(|(f, _)| f == file).map(|w| (i, w))
                }
                _ => None,
            })
    }

    fn group_config(&self, path: &str) -> Result<&GroupConfig, String> {
        self.groups
            .iter()
            .find(|g| g.path == path)
            .ok_or_else(|| format!("the scenario starts with no group {path}"))
    }

    /// The value the script's first `cgset -r FILE=...` writes.
    fn cgset_value(&self, file: &str) -> Result<i64, String> {
        let (line, write) = self
            .first_cgset(file)
            .ok_or_else(|| format!("the script never sets {file} with cgset"))?;
        let word = self
            .script
            .get(line)
            .map(|l| l.command_write(write))
            .unwrap_or_default();
        let bytes = if file == "memory.limit_in_bytes" {
            memparse(&word)
        } else {
            word.parse::<u64>().ok()
        };
        bytes
            .and_then(|b| i64::try_from(b).ok())
            .or_else(|| (file == "cpu.cfs_quota_us" && word == "-1").then_some(-1))
            .ok_or_else(|| format!("the script sets {file} to `{word}`, not a number"))
    }

    /// Makes the script's first `cgset -r FILE=...` write `value` (its
    /// text too).
    fn set_cgset_value(&mut self, file: &str, value: i64) -> Result<(), String> {
        let (line, write) = self
            .first_cgset(file)
            .ok_or_else(|| format!("the script never sets {file} with cgset"))?;
        let Some(line) = self.script.get_mut(line) else {
            return Ok(());
        };
        if let Command::Cgset { writes, .. } = &mut line.command {
            if let Some((_, word)) = writes.get_mut(write) {
                let old = format!("{file}={}", word.0);
                word.0 = value.to_string();
                line.text = line.text.replacen(&old, &format!("{file}={value}"), 1);
            }
        }
        Ok(())
    }
}

impl ScriptLine {
    /// The value word of write `write` of a `cgset` line, as written.
    fn command_write(&self, write: usize) -> String {
        match &self.command {
            Command::Cgset { writes, .. } => writes
                .get(write)
                .map(|(_, w)| w.0.clone())
                .unwrap_or_default(),
            _ => String::new(),
        }
    }
}

/// Knobs: `cpus` (the machine's CPUs, 1 to 1024); `cgset FILE`, the value
/// the script's first `cgset -r FILE=...` writes; `GROUP FILE` (e.g.
/// `/low cpu.shares`), a setting of a group the scenario starts with
/// (`cpu.shares` or `memory.limit_in_bytes`, in bytes, kept in whole pages).
impl sim_core::Tunable for Config {
    fn knob(&self, knob: &str) -> Result<i64, String> {
        match knob.split_once(' ') {
            None if knob == "cpus" => i64::try_from(self.machine.cpus)
                .map_err(|_| "the machine has more CPUs than a knob can show".to_string()),
            Some(("cgset", file)) => self.cgset_value(file),
            Some((path, "cpu.shares")) => Ok(self.group_config(path)?.cpu.shares as i64),
            Some((path, "memory.limit_in_bytes")) => {
                let pages = self.group_config(path)?.memory.limit_pages;
                pages
                    .map(|p| p.saturating_mul(PAGE_SIZE) as i64)
                    .ok_or_else(|| format!("{path} starts with no memory limit"))
            }
            _ => Err(unknown_knob(knob)),
        }
    }

    fn set_knob(&mut self, knob: &str, value: i64) -> Result<(), String> {
        match knob.split_once(' ') {
            None if knob == "cpus" => match u64::try_from(value) {
                Ok(cpus) if (1..=1024).contains(&cpus) => {
                    self.machine.cpus = cpus;
                    Ok(())
                }
                _ => Err(format!("a machine has 1 to 1024 CPUs, not {value}")),
            },
            Some(("cgset", file)) => {
                if let Some(problem) = knob_value_problem(file, value) {
                    return Err(problem);
                }
                self.set_cgset_value(file, value)
            }
            Some((path, file @ ("cpu.shares" | "memory.limit_in_bytes"))) => {
                if let Some(problem) = knob_value_problem(file, value) {
                    return Err(problem);
                }
                let path = path.to_string();
                self.group_config(&path)?;
                let value = value.unsigned_abs();
                if let Some(group) = self.groups.iter_mut().find(|g| g.path == path) {
                    if file == "cpu.shares" {
                        group.cpu.shares = value;
                    } else {
                        group.memory.limit_pages = Some(value / PAGE_SIZE);
                    }
                }
                Ok(())
            }
            _ => Err(unknown_knob(knob)),
        }
    }
}

fn unknown_knob(knob: &str) -> String {
    format!(
        "the cgroups simulator has no knob `{knob}`; its knobs are `cpus`, `cgset FILE` and `GROUP FILE` (cpu.shares or memory.limit_in_bytes)"
    )
}
