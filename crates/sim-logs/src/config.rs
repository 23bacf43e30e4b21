//! A simulation's configuration: node settings, pods, and the timed script.
//!
//! Contract: a [`Config`] is plain, serializable data. The loader (feature
//! `load`) only builds configs that passed validation: sizes and counts in
//! range, pod and container references are indices that exist, and the
//! script is in the order it was written (the simulator orders it by time).
//! A config that did not pass validation never makes the simulator panic: a
//! reference that does not exist does nothing.

use crate::cri::Stream;
use crate::wallclock::Timestamp;
use serde::{Deserialize, Serialize};
use sim_core::SimTime;

/// The value of `scenario.simulator` in this simulator's files.
pub const SIMULATOR: &str = "logs";
/// The fewest log files per container `containerLogMaxFiles` may keep.
pub const MIN_MAX_FILES: u64 = 2;
/// The most log files per container `containerLogMaxFiles` may keep here.
pub const MAX_MAX_FILES: u64 = 1000;
/// The latest time a script action may have: one day of virtual time.
pub const MAX_AT_MS: u64 = 86_400_000;
/// The shortest agent poll interval.
pub const MIN_POLL_INTERVAL_MS: u64 = 100;

/// Kubelet and runtime settings of the node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Wall-clock time at virtual time zero.
    pub start: Timestamp,
    /// Kubelet `containerLogMaxSize`, in bytes.
    pub container_log_max_size: u64,
    /// Kubelet `containerLogMaxFiles`.
    pub container_log_max_files: u64,
    /// Kubelet log check period (`containerLogMonitorInterval`), in seconds.
    pub container_log_monitor_interval_s: u64,
    /// Runtime max line size in bytes (containerd `max_container_log_line_size`); `None` = no limit.
    pub max_line_size: Option<usize>,
    /// Modelled gzip output size, in percent of the plain size.
    pub gzip_percent: u64,
}

/// The node logging agent (a DaemonSet pod on this node).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentSettings {
    /// Its name, e.g. `fluent-bit`.
    pub name: String,
    /// How often it looks for new files and new lines.
    pub poll_interval_ms: u64,
    /// When it first looks.
    pub start_ms: u64,
}

/// What a container does for logging.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// An ordinary container writing to stdout/stderr (and maybe files).
    App,
    /// Tails a shared file and prints it to its own stdout.
    StreamingSidecar,
    /// Tails a shared file and ships it to the backend itself.
    AgentSidecar,
}

/// One container of a pod.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerSpec {
    /// Container name.
    pub name: String,
    /// Logging role.
    pub role: Role,
    /// For sidecars: the shared file it tails.
    pub tails: Option<String>,
}

/// One pod on the node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PodSpec {
    /// Namespace.
    pub namespace: String,
    /// Pod name.
    pub name: String,
    /// A fixed UID, or `None` to draw one from the seed.
    pub uid: Option<String>,
    /// Mount path of the emptyDir all its containers share, if any.
    pub empty_dir: Option<String>,
    /// Its containers, in order.
    pub containers: Vec<ContainerSpec>,
}

/// A container reference: pod index and container index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerRef {
    /// Index into the pods.
    pub pod: usize,
    /// Index into that pod's containers.
    pub container: usize,
}

/// One action of the script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    /// The container prints `message` (one line, no newline) on `stream`.
    Write {
        /// Who writes.
        target: ContainerRef,
        /// Which stream.
        stream: Stream,
        /// The line.
        message: String,
    },
    /// The container appends `message` as a line to the shared file `path`.
    WriteFile {
        /// Who writes.
        target: ContainerRef,
        /// Path inside the shared emptyDir.
        path: String,
        /// The line.
        message: String,
    },
    /// The container exits with `exit_code`.
    Crash {
        /// Who exits.
        target: ContainerRef,
        /// Exit status.
        exit_code: i32,
    },
    /// `kubectl logs` (with `--previous` when `previous`).
    KubectlLogs {
        /// Whose logs.
        target: ContainerRef,
        /// Read the last terminated instance.
        previous: bool,
    },
    /// List the container's log directory.
    List {
        /// Whose directory.
        target: ContainerRef,
    },
    /// Parse one CRI line and say what it means.
    ParseLine {
        /// The line.
        line: String,
    },
}

/// An action at a virtual time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimedOp {
    /// When.
    pub at: SimTime,
    /// What.
    pub op: Op,
}

/// Everything a simulation starts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    /// Node settings.
    pub settings: Settings,
    /// The node logging agent, if deployed.
    pub agent: Option<AgentSettings>,
    /// The pods.
    pub pods: Vec<PodSpec>,
    /// The script.
    pub script: Vec<TimedOp>,
}

/// The knob `node.container_log_max_size`: kubelet `containerLogMaxSize`, in bytes.
pub const KNOB_MAX_SIZE: &str = "node.container_log_max_size";
/// The knob `node.container_log_max_files`: kubelet `containerLogMaxFiles`.
pub const KNOB_MAX_FILES: &str = "node.container_log_max_files";
/// The knob `agent.poll_interval_ms`: how often the node agent polls, in ms.
pub const KNOB_POLL_INTERVAL: &str = "agent.poll_interval_ms";
/// The knob `agent.start_ms`: when the node agent first looks, in ms.
pub const KNOB_AGENT_START: &str = "agent.start_ms";

/// The knobs a what-if may turn, each named as its field in a scenario file
/// (`[node]` or `[agent]`) and bounded as the loader bounds it.
impl sim_core::Tunable for Config {
    fn knob(&self, knob: &str) -> Result<i64, String> {
        let value = match knob {
            KNOB_MAX_SIZE => self.settings.container_log_max_size,
            KNOB_MAX_FILES => self.settings.container_log_max_files,
            KNOB_POLL_INTERVAL => self.agent_settings(knob)?.poll_interval_ms,
            KNOB_AGENT_START => self.agent_settings(knob)?.start_ms,
            other => return Err(unknown_knob(other)),
        };
        Ok(i64::try_from(value).unwrap_or(i64::MAX))
    }

    fn set_knob(&mut self, knob: &str, value: i64) -> Result<(), String> {
        let (min, max) = match knob {
            KNOB_MAX_SIZE => (1, u64::MAX),
            KNOB_MAX_FILES => (MIN_MAX_FILES, MAX_MAX_FILES),
            KNOB_POLL_INTERVAL => (MIN_POLL_INTERVAL_MS, MAX_AT_MS),
            KNOB_AGENT_START => (0, MAX_AT_MS),
            other => return Err(unknown_knob(other)),
        };
        let value = u64::try_from(value)
            .ok()
            .filter(|v| (min..=max).contains(v))
            .ok_or_else(|| {
                if max == u64::MAX {
                    format!("`{knob}` is {value}: expected at least {min}")
                } else {
                    format!("`{knob}` is {value}: expected a whole number from {min} to {max}")
                }
            })?;
        match knob {
            KNOB_MAX_SIZE => self.settings.container_log_max_size = value,
            KNOB_MAX_FILES => self.settings.container_log_max_files = value,
            KNOB_POLL_INTERVAL => self.agent_settings_mut(knob)?.poll_interval_ms = value,
            _ => self.agent_settings_mut(knob)?.start_ms = value,
        }
        Ok(())
    }
}

impl Config {
    fn agent_settings(&self, knob: &str) -> Result<&AgentSettings, String> {
        self.agent.as_ref().ok_or_else(|| no_agent(knob))
    }

    fn agent_settings_mut(&mut self, knob: &str) -> Result<&mut AgentSettings, String> {
        self.agent.as_mut().ok_or_else(|| no_agent(knob))
    }
}

fn no_agent(knob: &str) -> String {
    format!("`{knob}` needs a node logging agent, and this scenario deploys none")
}

fn unknown_knob(knob: &str) -> String {
    format!(
        "the logs simulator has no knob `{knob}`: expected one of `{KNOB_MAX_SIZE}`, `{KNOB_MAX_FILES}`, `{KNOB_POLL_INTERVAL}`, `{KNOB_AGENT_START}`"
    )
}
