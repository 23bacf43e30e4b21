//! What-if edits and faults fed into a running simulation.
//!
//! Contract: [`ops`] checks an input against the current system and either
//! refuses it (changing nothing) or returns the kernel ops it causes; those
//! run before anything already waiting, so the input's effect is the next
//! step, as a write or a kill the kernel answers with its own rule.

use crate::hierarchy::normalize;
use crate::op::Op;
use crate::system::System;
use serde::{Deserialize, Serialize};
use sim_core::InputError;

/// An input to the cgroups simulation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CgroupInput {
    /// Sets a group's CFS quota per period in microseconds (`None`:
    /// unlimited), as `cgset -r cpu.cfs_quota_us=` (v1) or `cpu.max` (v2).
    SetCpuQuota {
        /// The group, e.g. `/demo`.
        group: String,
        /// The quota, in microseconds.
        quota_us: Option<u64>,
    },
    /// Sets a group's hard memory limit in bytes (`None`: unlimited), as
    /// `memory.limit_in_bytes` (v1) or `memory.max` (v2).
    SetMemoryLimit {
        /// The group, e.g. `/demo`.
        group: String,
        /// The limit, in bytes.
        bytes: Option<u64>,
    },
    /// Kills a process with SIGKILL (stress takes its workers with it).
    Kill {
        /// The process.
        pid: u32,
    },
}

/// The ops `input` causes on `system`, or why it cannot be given.
pub fn ops(system: &System, input: &CgroupInput) -> Result<Vec<Op>, InputError> {
    let v2 = system.machine.is_v2();
    match input {
        CgroupInput::SetCpuQuota { group, quota_us } => {
            let path = existing_group(system, group)?;
            let (file, value) = match (v2, quota_us) {
                (false, Some(q)) => ("cpu.cfs_quota_us", q.to_string()),
                (false, None) => ("cpu.cfs_quota_us", "-1".to_string()),
                (true, Some(q)) => ("cpu.max", q.to_string()),
                (true, None) => ("cpu.max", "max".to_string()),
            };
            Ok(vec![write(path, file, value)])
        }
        CgroupInput::SetMemoryLimit { group, bytes } => {
            let path = existing_group(system, group)?;
            let file = if v2 {
                "memory.max"
            } else {
                "memory.limit_in_bytes"
            };
            let value = match bytes {
                Some(b) => b.to_string(),
                None if v2 => "max".to_string(),
                None => "-1".to_string(),
            };
            Ok(vec![write(path, file, value)])
        }
        CgroupInput::Kill { pid } => {
            if system.processes.contains_key(pid) {
                Ok(vec![Op::Kill { pid: *pid }])
            } else {
                Err(InputError(format!("there is no process {pid} to kill")))
            }
        }
    }
}

fn write(path: String, file: &str, value: String) -> Op {
    Op::Write {
        path,
        file: file.to_string(),
        value,
        by: None,
    }
}

/// The normalised path of `group`, if it exists.
fn existing_group(system: &System, group: &str) -> Result<String, InputError> {
    let path = normalize(group).map_err(|e| InputError(format!("{group}: {e}")))?;
    if system.tree.get(&path).is_some() {
        Ok(path)
    } else {
        Err(InputError(format!("there is no cgroup {path}")))
    }
}
