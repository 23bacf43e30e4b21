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

impl sim_core::Tunable for Config {
    fn knob(&self, knob: &str) -> Result<i64, String> {
        Err(format!("the logs simulator has no knob `{knob}`"))
    }

    fn set_knob(&mut self, knob: &str, _value: i64) -> Result<(), String> {
        Err(format!("the logs simulator has no knob `{knob}`"))
    }
}
