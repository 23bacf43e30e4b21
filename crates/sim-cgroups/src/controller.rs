//! The cgroup controllers this simulator models.
//!
//! Contract: `cpuacct` is co-mounted with `cpu`, so both names (and
//! `cpu,cpuacct`) are one controller here.

use serde::{Deserialize, Serialize};

/// A cgroup controller this simulator models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Controller {
    /// CPU bandwidth and shares (`cpuacct` is co-mounted with it).
    Cpu,
    /// Memory limits and accounting.
    Memory,
}

impl Controller {
    /// Both controllers, in order.
    pub const ALL: [Controller; 2] = [Controller::Cpu, Controller::Memory];

    /// Its name in `-g` lists and mount points.
    pub fn name(self) -> &'static str {
        match self {
            Controller::Cpu => "cpu",
            Controller::Memory => "memory",
        }
    }

    /// Parses a `-g` list entry or a mount directory; `cpuacct` is the same
    /// hierarchy as `cpu`.
    pub fn parse(text: &str) -> Option<Controller> {
        match text {
            "cpu" | "cpuacct" | "cpu,cpuacct" => Some(Controller::Cpu),
            "memory" => Some(Controller::Memory),
            _ => None,
        }
    }
}
