//! The rules of node-level logging that every event of this simulator cites.
//!
//! Contract: one `const` [`Rule`] per behaviour, taken from
//! `semantics.md` section 6 and the sources it names; `says` is one sentence a
//! presenter can read aloud. [`ALL`] lists every one of them.

use sim_core::Rule;

/// Where a container's log file lives.
pub const POD_LOG_FILE: Rule = Rule {
    id: "logs.pod-log-file",
    says: "The runtime writes a container's stdout and stderr to /var/log/pods/<namespace>_<pod>_<uid>/<container>/<restartCount>.log.",
    source: "kubelet kuberuntime BuildContainerLogsDirectory (CRI LogPath)",
};

/// The `/var/log/containers` link.
pub const CONTAINERS_SYMLINK: Rule = Rule {
    id: "logs.containers-symlink",
    says: "The kubelet links /var/log/containers/<pod>_<namespace>_<container>-<containerID>.log to the container's log file.",
    source: "kubelet kuberuntime legacy log symlink",
};

/// A pod gets its UID.
pub const POD_UID: Rule = Rule {
    id: "logs.pod-uid",
    says: "Every pod has a unique UID, and its log directory name includes it so a recreated pod never mixes with the old one.",
    source: "Kubernetes object metadata.uid",
};

/// A complete line of output.
pub const CRI_FULL_LINE: Rule = Rule {
    id: "logs.cri-full-line",
    says: "The runtime writes each line of output as `<RFC3339Nano time> <stdout|stderr> F <content>`.",
    source: "CRI logging format (kubernetes/cri-api)",
};

/// A line longer than the runtime's limit.
pub const CRI_PARTIAL_LINE: Rule = Rule {
    id: "logs.cri-partial-line",
    says: "Output longer than the runtime's max line size is cut into partial lines tagged P; the last piece is tagged F.",
    source: "containerd max_container_log_line_size (default 16 KiB)",
};

/// Output of a stopped container.
pub const NOT_RUNNING: Rule = Rule {
    id: "logs.not-running",
    says: "A container that is not running produces no output and cannot crash again.",
    source: "container lifecycle (CRI)",
};

/// A container exits.
pub const CONTAINER_EXIT: Rule = Rule {
    id: "logs.container-exit",
    says: "When a container exits its log file stays on the node, so its output can still be read.",
    source: "kubelet kuberuntime container status",
};

/// Back-off before a restart.
pub const RESTART_BACKOFF: Rule = Rule {
    id: "logs.restart-backoff",
    says: "The kubelet restarts a crashed container after a back-off of 10 seconds that doubles with each restart, up to 5 minutes.",
    source: "kubelet CrashLoopBackOff (backOffPeriod 10s, MaxContainerBackOff 300s)",
};

/// A restart opens the next file.
pub const RESTART_NEW_FILE: Rule = Rule {
    id: "logs.restart-new-file",
    says: "A restarted container gets restartCount + 1 and a new container ID, so the runtime opens a new file <restartCount>.log beside the old one.",
    source: "kubelet kuberuntime BuildContainerLogsDirectory (CRI LogPath)",
};

/// Rotation step 1.
pub const ROTATE_REMOVE_EXCESS: Rule = Rule {
    id: "logs.rotate-remove-excess",
    says: "Before rotating, the kubelet deletes rotated files, oldest first, until at most containerLogMaxFiles - 2 remain.",
    source: "kubelet container_log_manager removeExcessLogs",
};

/// Rotation step 2.
pub const ROTATE_COMPRESS: Rule = Rule {
    id: "logs.rotate-compress",
    says: "Before rotating, the kubelet gzips every rotated file that is still plain, so only the newest rotated file is ever uncompressed.",
    source: "kubelet container_log_manager compressLog",
};

/// Rotation step 3.
pub const ROTATE_RENAME: Rule = Rule {
    id: "logs.rotate-rename",
    says: "At each periodic check, the kubelet renames a running container's log that has reached containerLogMaxSize to <log>.<YYYYMMDD-hhmmss>.",
    source: "kubelet container_log_manager rotateLatestLog",
};

/// Rotation step 4.
pub const ROTATE_REOPEN: Rule = Rule {
    id: "logs.rotate-reopen",
    says: "After the rename, the kubelet asks the runtime to reopen the container log, which starts a new empty file at the original path.",
    source: "CRI ReopenContainerLog",
};

/// Rotation settings changed while the node runs.
pub const ROTATION_SETTINGS: Rule = Rule {
    id: "logs.rotation-settings",
    says: "The kubelet rotates by its containerLogMaxSize and containerLogMaxFiles settings; new values apply from the next periodic check.",
    source: "kubelet configuration containerLogMaxSize, containerLogMaxFiles",
};

/// `kubectl logs`.
pub const KUBECTL_LOGS: Rule = Rule {
    id: "logs.kubectl-logs",
    says: "kubectl logs reads only the container's newest log file, parses its CRI lines and joins partial lines up to the F line.",
    source: "kubelet kuberuntime logs ReadLogs",
};

/// `kubectl logs --previous`.
pub const KUBECTL_PREVIOUS: Rule = Rule {
    id: "logs.kubectl-previous",
    says: "kubectl logs --previous reads the log file of the container's last terminated instance.",
    source: "kubelet validateContainerLogStatus (lastState.terminated)",
};

/// `kubectl logs --previous` with nothing terminated.
pub const KUBECTL_PREVIOUS_MISSING: Rule = Rule {
    id: "logs.kubectl-previous-missing",
    says: "If the container never terminated, kubectl logs --previous fails with \"previous terminated container not found\".",
    source: "kubelet validateContainerLogStatus",
};

/// Looking at a directory.
pub const LIST_LOG_DIR: Rule = Rule {
    id: "logs.list-log-dir",
    says: "A container's log directory holds one file per restart, the rotated files and the gzipped older ones.",
    source: "kubelet container_log_manager",
};

/// Parsing a CRI line.
pub const CRI_PARSE: Rule = Rule {
    id: "logs.cri-parse",
    says: "A CRI line is a timestamp, the stream stdout or stderr, the tags and the content, separated by single spaces; a first tag P means partial and any other tag means full, while a bad timestamp, another stream or a missing field is an error.",
    source: "CRI logging format (kubernetes/cri-api), kubelet parseCRILog",
};

/// Node agent discovery.
pub const AGENT_DISCOVER: Rule = Rule {
    id: "logs.agent-discover",
    says: "The node logging agent, a DaemonSet, starts following every new file matching /var/log/pods/*/*/*.log and reads it from the beginning.",
    source: "Kubernetes logging architecture: node logging agent",
};

/// Node agent shipping.
pub const AGENT_SHIP: Rule = Rule {
    id: "logs.agent-ship",
    says: "The agent reads each followed file from its saved offset to the end, ships the joined messages to the backend and saves the new offset.",
    source: "Kubernetes logging architecture: node logging agent",
};

/// Node agent and rotation.
pub const AGENT_RELEASE_ROTATED: Rule = Rule {
    id: "logs.agent-release-rotated",
    says: "A renamed file keeps its inode, so the agent finishes reading a rotated file through its open handle and then lets go of it.",
    source: "POSIX rename keeps the inode; kubelet rotateLatestLog leaves it uncompressed for the agent",
};

/// Node agent misses.
pub const AGENT_MISSED: Rule = Rule {
    id: "logs.agent-missed",
    says: "The agent only opens files named *.log, so a file rotated away before the agent ever opened it is never shipped.",
    source: "Kubernetes logging architecture: node logging agent",
};

/// Node agent stops.
pub const AGENT_STOP: Rule = Rule {
    id: "logs.agent-stop",
    says: "When the node logging agent stops, it closes every file it follows but keeps their saved offsets in its position database; while it is down nothing is shipped.",
    source: "Kubernetes logging architecture: node logging agent; Fluent Bit tail input DB",
};

/// Node agent starts again.
pub const AGENT_START: Rule = Rule {
    id: "logs.agent-start",
    says: "When the node logging agent starts again, it reopens the files it followed by inode and resumes at their saved offsets at its next poll; a file deleted or compressed meanwhile is lost to it.",
    source: "Kubernetes logging architecture: node logging agent; Fluent Bit tail input DB",
};

/// App writing into a shared file.
pub const APP_WRITES_FILE: Rule = Rule {
    id: "logs.app-writes-file",
    says: "An application that writes to a file in a shared emptyDir bypasses the runtime: nothing reaches /var/log/pods.",
    source: "Kubernetes logging architecture: sidecar container",
};

/// Streaming sidecar.
pub const STREAMING_SIDECAR: Rule = Rule {
    id: "logs.streaming-sidecar",
    says: "A streaming sidecar tails the shared file and prints each new line to its own stdout, which the runtime writes as ordinary CRI lines of the sidecar.",
    source: "Kubernetes logging architecture: streaming sidecar container",
};

/// Sidecar with its own logging agent.
pub const SIDECAR_AGENT: Rule = Rule {
    id: "logs.sidecar-agent",
    says: "A sidecar logging agent ships the shared file straight to the backend, so those lines never appear in kubectl logs.",
    source: "Kubernetes logging architecture: sidecar container with a logging agent",
};

/// Every rule of this simulator, in the order they are declared.
pub const ALL: &[&Rule] = &[
    &POD_LOG_FILE,
    &CONTAINERS_SYMLINK,
    &POD_UID,
    &CRI_FULL_LINE,
    &CRI_PARTIAL_LINE,
    &NOT_RUNNING,
    &CONTAINER_EXIT,
    &RESTART_BACKOFF,
    &RESTART_NEW_FILE,
    &ROTATE_REMOVE_EXCESS,
    &ROTATE_COMPRESS,
    &ROTATE_RENAME,
    &ROTATE_REOPEN,
    &ROTATION_SETTINGS,
    &KUBECTL_LOGS,
    &KUBECTL_PREVIOUS,
    &KUBECTL_PREVIOUS_MISSING,
    &LIST_LOG_DIR,
    &CRI_PARSE,
    &AGENT_DISCOVER,
    &AGENT_SHIP,
    &AGENT_RELEASE_ROTATED,
    &AGENT_MISSED,
    &AGENT_STOP,
    &AGENT_START,
    &APP_WRITES_FILE,
    &STREAMING_SIDECAR,
    &SIDECAR_AGENT,
];
