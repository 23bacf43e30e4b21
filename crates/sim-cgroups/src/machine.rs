//! The simulated machine's fixed settings.
//!
//! Contract: plain data, set once when the simulation is built and never
//! changed by a step.

use crate::weight::RuncVersion;
use serde::{Deserialize, Serialize};

/// Which cgroup interface the machine mounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CgroupVersion {
    /// cgroup v1: one hierarchy per controller under `/sys/fs/cgroup/<controller>`.
    V1,
    /// cgroup v2: one unified hierarchy under `/sys/fs/cgroup`.
    V2,
}

/// How `ls -l` prints its header and dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Locale {
    /// `total 0`, `Feb 27 14:32`, names sorted bytewise.
    C,
    /// `总用量 0`, `2月  27 14:32`, names sorted ignoring punctuation (as on slide 9).
    ZhCn,
}

/// The wall-clock time at which the scenario starts, for `ls -l` dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WallClock {
    /// Month, 1-12.
    pub month: u32,
    /// Day of the month.
    pub day: u32,
    /// Hour, 0-23.
    pub hour: u32,
    /// Minute, 0-59.
    pub minute: u32,
}

/// The simulated machine's fixed settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Machine {
    /// Number of CPUs.
    pub cpus: u64,
    /// Mounted cgroup version.
    pub cgroup: CgroupVersion,
    /// The runc release whose shares-to-weight formula applies.
    pub runc: RuncVersion,
    /// The Kubernetes minor release (1.x) the kubelet runs.
    pub kubernetes_minor: u32,
    /// `ls -l` locale.
    pub locale: Locale,
    /// Wall clock at the start.
    pub clock: WallClock,
    /// How often a CPU usage report is emitted while threads run, in ns (0 = never).
    pub report_every_ns: u64,
    /// The host's hostname.
    pub hostname: String,
}

impl Machine {
    /// Whether the machine mounts cgroup v2.
    pub fn is_v2(&self) -> bool {
        self.cgroup == CgroupVersion::V2
    }
}
