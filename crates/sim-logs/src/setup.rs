//! A validated scenario: node settings, pods, and the timed script.
//!
//! Contract: every value here has passed validation (see [`crate::scenario`]),
//! pod and container references are indices that exist, and the script is in
//! the order it was written (the simulator orders it by time).

use crate::cri::Stream;
use crate::wallclock::Timestamp;
use serde::Serialize;
use sim_core::SimTime;

/// Kubelet and runtime settings of the node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgentSettings {
    /// Its name, e.g. `fluent-bit`.
    pub name: String,
    /// How often it looks for new files and new lines.
    pub poll_interval_ms: u64,
    /// When it first looks.
    pub start_ms: u64,
}

/// What a container does for logging.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContainerSpec {
    /// Container name.
    pub name: String,
    /// Logging role.
    pub role: Role,
    /// For sidecars: the shared file it tails.
    pub tails: Option<String>,
}

/// One pod on the node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContainerRef {
    /// Index into the pods.
    pub pod: usize,
    /// Index into that pod's containers.
    pub container: usize,
}

/// One action of the script.
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimedOp {
    /// When.
    pub at: SimTime,
    /// What.
    pub op: Op,
}

/// Everything a simulation starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setup {
    /// Node settings.
    pub settings: Settings,
    /// The node logging agent, if deployed.
    pub agent: Option<AgentSettings>,
    /// The pods.
    pub pods: Vec<PodSpec>,
    /// The script.
    pub script: Vec<TimedOp>,
}
