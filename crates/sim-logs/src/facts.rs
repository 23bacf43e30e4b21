//! What each step of the logs simulation did, as structured fields.
//!
//! Contract: one [`LogsFact`] variant per kind of step. Its fields are what
//! happened (paths, sizes, inodes, names); [`Fact::detail`] renders the
//! sentence a presenter reads, only when asked, and [`Fact::rule`] names the
//! rule behind it (see [`crate::rules`]).

use crate::agent::WATCHED_DIR;
use crate::cri::Tag;
use crate::rules;
use sim_core::{Fact, Rule};

/// What one step of the logs simulation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogsFact {
    /// A pod got its UID.
    PodCreated {
        /// The pod's namespace.
        namespace: String,
        /// The pod's name.
        name: String,
        /// Its UID.
        uid: String,
    },
    /// A container's first instance started.
    ContainerStarted {
        /// `pod <namespace>/<name> container <name>`.
        container: String,
        /// The first 12 digits of its container ID.
        short_id: String,
        /// Its log file.
        path: String,
        /// The log file's inode.
        inode: u64,
    },
    /// A crashed container's restart back-off is over.
    BackOffOver {
        /// `pod <namespace>/<name> container <name>`.
        container: String,
        /// The back-off it waited, in seconds.
        backoff_s: u64,
        /// The back-off after its next exit, in seconds.
        next_backoff_s: u64,
    },
    /// A crashed container started again.
    ContainerRestarted {
        /// `pod <namespace>/<name> container <name>`.
        container: String,
        /// Its restart count now.
        restart_count: u32,
        /// The first 12 digits of its new container ID.
        short_id: String,
        /// Its new log file.
        path: String,
        /// The new log file's inode.
        inode: u64,
    },
    /// The kubelet linked `/var/log/containers/...` to a log file.
    SymlinkCreated {
        /// The link.
        link: String,
        /// The log file it points at.
        path: String,
    },
    /// The runtime appended one CRI line to a log file.
    LineAppended {
        /// The log file.
        path: String,
        /// `pod <namespace>/<name> container <name>`.
        container: String,
        /// The CRI line as written.
        line: String,
        /// Bytes of content in the line.
        content_bytes: usize,
        /// The file's size after the append.
        size: u64,
        /// Partial or full.
        tag: Tag,
        /// Whether a streaming sidecar printed it.
        via_sidecar: bool,
    },
    /// An application appended a line to a file in its pod's emptyDir.
    SharedFileWritten {
        /// The shared file.
        path: String,
        /// `pod <namespace>/<name> container <name>`.
        container: String,
        /// The line.
        message: String,
        /// How many sidecar steps follow.
        readers: usize,
    },
    /// A sidecar logging agent shipped a shared-file line to the backend.
    SidecarShipped {
        /// `pod <namespace>/<name> container <name>` of the sidecar.
        container: String,
        /// The shared file.
        path: String,
        /// The line.
        message: String,
    },
    /// A container that is not running was asked to do something.
    NotRunning {
        /// `pod <namespace>/<name> container <name>`.
        container: String,
        /// What it cannot do, e.g. `crash`.
        what: &'static str,
    },
    /// A container exited.
    ContainerExited {
        /// `pod <namespace>/<name> container <name>`.
        container: String,
        /// Its exit status.
        exit_code: i32,
        /// The log file that stays on the node.
        path: String,
        /// Seconds until the kubelet restarts it.
        backoff_s: u64,
    },
    /// The kubelet deleted an excess rotated file.
    RotatedRemoved {
        /// The deleted file.
        path: String,
        /// Its size.
        size: u64,
        /// How many rotated files are kept.
        kept: u64,
    },
    /// The kubelet gzipped a rotated file.
    RotatedCompressed {
        /// The plain file (now `<path>.gz`).
        path: String,
        /// Its plain size.
        plain: u64,
        /// The compressed size.
        size: u64,
        /// The modelled ratio, in percent.
        percent: u64,
    },
    /// The kubelet renamed a full log file.
    Rotated {
        /// The log file's name before.
        from: String,
        /// Its name now.
        to: String,
        /// Its size.
        size: u64,
        /// `containerLogMaxSize` in bytes.
        max: u64,
    },
    /// The runtime reopened a container's log after a rename.
    Reopened {
        /// The new file.
        path: String,
        /// `pod <namespace>/<name> container <name>`.
        container: String,
        /// The new file's inode.
        inode: u64,
    },
    /// The kubelet's rotation settings were changed.
    RotationSettingsChanged {
        /// `containerLogMaxSize` before, in bytes.
        old_max_size: u64,
        /// `containerLogMaxSize` now, in bytes.
        max_size: u64,
        /// `containerLogMaxFiles` before.
        old_max_files: u64,
        /// `containerLogMaxFiles` now.
        max_files: u64,
    },
    /// `kubectl logs` failed.
    KubectlRefused {
        /// The command as typed.
        command: String,
        /// What it printed.
        message: String,
        /// Whether it asked for `--previous`.
        previous: bool,
    },
    /// `kubectl logs` read a log file.
    KubectlRead {
        /// The command as typed.
        command: String,
        /// The file it read.
        path: String,
        /// CRI lines read.
        lines: usize,
        /// Messages printed.
        messages: usize,
        /// The last message printed.
        last: Option<String>,
        /// Whether it asked for `--previous`.
        previous: bool,
    },
    /// `ls -l` of a container's log directory.
    Listed {
        /// The directory.
        dir: String,
        /// Each file as (name, inode, size), in name order.
        entries: Vec<(String, u64, u64)>,
    },
    /// One CRI line parsed (or not).
    LineParsed {
        /// Whether it is a valid CRI line.
        valid: bool,
        /// What the parser said.
        said: String,
    },
    /// The node agent found a file rotated away before it ever opened it.
    AgentMissed {
        /// The agent's name.
        agent: String,
        /// The rotated file.
        path: String,
    },
    /// The node agent started following a file.
    AgentFollows {
        /// The agent's name.
        agent: String,
        /// The file.
        path: String,
        /// Its inode.
        inode: u64,
    },
    /// The node agent read a file and shipped its messages.
    AgentShipped {
        /// The agent's name.
        agent: String,
        /// The file (or `(deleted inode N)`).
        path: String,
        /// Offset before the read.
        from: u64,
        /// Offset after the read.
        to: u64,
        /// CRI lines read.
        lines: usize,
        /// Bad lines skipped.
        bad_lines: usize,
        /// Messages shipped.
        shipped: usize,
    },
    /// The node agent closed a drained rotated file.
    AgentReleased {
        /// The agent's name.
        agent: String,
        /// The path it had when last read.
        path: String,
        /// Its inode.
        inode: u64,
        /// Its name now, if it still has one.
        now_named: Option<String>,
        /// The offset it was read to.
        offset: u64,
    },
    /// The node agent stopped.
    AgentStopped {
        /// The agent's name.
        agent: String,
        /// How many followed files it closed.
        closed: usize,
    },
    /// The node agent started again.
    AgentStarted {
        /// The agent's name.
        agent: String,
        /// Followed files it reopened.
        resumed: usize,
        /// Followed files gone while it was down.
        lost: usize,
    },
}

impl Fact for LogsFact {
    fn rule(&self) -> &'static Rule {
        match self {
            LogsFact::PodCreated { .. } => &rules::POD_UID,
            LogsFact::ContainerStarted { .. } => &rules::POD_LOG_FILE,
            LogsFact::BackOffOver { .. } => &rules::RESTART_BACKOFF,
            LogsFact::ContainerRestarted { .. } => &rules::RESTART_NEW_FILE,
            LogsFact::SymlinkCreated { .. } => &rules::CONTAINERS_SYMLINK,
            LogsFact::LineAppended {
                tag, via_sidecar, ..
            } => match (tag, via_sidecar) {
                (Tag::Partial, _) => &rules::CRI_PARTIAL_LINE,
                (Tag::Full, true) => &rules::STREAMING_SIDECAR,
                (Tag::Full, false) => &rules::CRI_FULL_LINE,
            },
            LogsFact::SharedFileWritten { .. } => &rules::APP_WRITES_FILE,
            LogsFact::SidecarShipped { .. } => &rules::SIDECAR_AGENT,
            LogsFact::NotRunning { .. } => &rules::NOT_RUNNING,
            LogsFact::ContainerExited { .. } => &rules::CONTAINER_EXIT,
            LogsFact::RotatedRemoved { .. } => &rules::ROTATE_REMOVE_EXCESS,
            LogsFact::RotatedCompressed { .. } => &rules::ROTATE_COMPRESS,
            LogsFact::Rotated { .. } => &rules::ROTATE_RENAME,
            LogsFact::Reopened { .. } => &rules::ROTATE_REOPEN,
            LogsFact::RotationSettingsChanged { .. } => &rules::ROTATION_SETTINGS,
            LogsFact::KubectlRefused { previous: true, .. } => &rules::KUBECTL_PREVIOUS_MISSING,
            LogsFact::KubectlRefused {
                previous: false, ..
            }
            | LogsFact::KubectlRead {
                previous: false, ..
            } => &rules::KUBECTL_LOGS,
            LogsFact::KubectlRead { previous: true, .. } => &rules::KUBECTL_PREVIOUS,
            LogsFact::Listed { .. } => &rules::LIST_LOG_DIR,
            LogsFact::LineParsed { .. } => &rules::CRI_PARSE,
            LogsFact::AgentMissed { .. } => &rules::AGENT_MISSED,
            LogsFact::AgentFollows { .. } => &rules::AGENT_DISCOVER,
            LogsFact::AgentShipped { .. } => &rules::AGENT_SHIP,
            LogsFact::AgentReleased { .. } => &rules::AGENT_RELEASE_ROTATED,
            LogsFact::AgentStopped { .. } => &rules::AGENT_STOP,
            LogsFact::AgentStarted { .. } => &rules::AGENT_START,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            LogsFact::PodCreated { .. } => "pod-created",
            LogsFact::ContainerStarted { .. } => "container-started",
            LogsFact::BackOffOver { .. } => "back-off-over",
            LogsFact::ContainerRestarted { .. } => "container-restarted",
            LogsFact::SymlinkCreated { .. } => "symlink-created",
            LogsFact::LineAppended {
                tag, via_sidecar, ..
            } => match (tag, via_sidecar) {
                (Tag::Partial, _) => "partial-line",
                (Tag::Full, true) => "sidecar-line",
                (Tag::Full, false) => "line",
            },
            LogsFact::SharedFileWritten { .. } => "file-write",
            LogsFact::SidecarShipped { .. } => "sidecar-shipped",
            LogsFact::NotRunning { .. } => "not-running",
            LogsFact::ContainerExited { .. } => "container-exited",
            LogsFact::RotatedRemoved { .. } => "rotated-removed",
            LogsFact::RotatedCompressed { .. } => "rotated-compressed",
            LogsFact::Rotated { .. } => "rotated",
            LogsFact::Reopened { .. } => "reopened",
            LogsFact::RotationSettingsChanged { .. } => "rotation-settings",
            LogsFact::KubectlRefused { .. } => "kubectl-error",
            LogsFact::KubectlRead { .. } => "kubectl-logs",
            LogsFact::Listed { .. } => "listed",
            LogsFact::LineParsed { valid: true, .. } => "parsed",
            LogsFact::LineParsed { valid: false, .. } => "parse-error",
            LogsFact::AgentMissed { .. } => "agent-missed",
            LogsFact::AgentFollows { .. } => "agent-follows",
            LogsFact::AgentShipped { .. } => "agent-shipped",
            LogsFact::AgentReleased { .. } => "agent-released",
            LogsFact::AgentStopped { .. } => "agent-stopped",
            LogsFact::AgentStarted { .. } => "agent-started",
        }
    }

    fn object(&self) -> String {
        match self {
            LogsFact::PodCreated {
                namespace, name, ..
            } => format!("pod {namespace}/{name}"),
            LogsFact::ContainerStarted { container, .. }
            | LogsFact::BackOffOver { container, .. }
            | LogsFact::ContainerRestarted { container, .. }
            | LogsFact::SidecarShipped { container, .. }
            | LogsFact::NotRunning { container, .. }
            | LogsFact::ContainerExited { container, .. } => container.clone(),
            LogsFact::SymlinkCreated { link, .. } => link.clone(),
            LogsFact::SharedFileWritten { path, .. } => format!("emptyDir {path}"),
            LogsFact::LineAppended { path, .. }
            | LogsFact::RotatedRemoved { path, .. }
            | LogsFact::RotatedCompressed { path, .. }
            | LogsFact::Reopened { path, .. }
            | LogsFact::AgentMissed { path, .. }
            | LogsFact::AgentFollows { path, .. }
            | LogsFact::AgentShipped { path, .. }
            | LogsFact::AgentReleased { path, .. } => path.clone(),
            LogsFact::Rotated { from, .. } => from.clone(),
            LogsFact::RotationSettingsChanged { .. } => "kubelet".to_string(),
            LogsFact::KubectlRefused { command, .. } | LogsFact::KubectlRead { command, .. } => {
                command.clone()
            }
            LogsFact::Listed { dir, .. } => dir.clone(),
            LogsFact::LineParsed { .. } => "CRI line".to_string(),
            LogsFact::AgentStopped { agent, .. } | LogsFact::AgentStarted { agent, .. } => {
                format!("node agent {agent}")
            }
        }
    }

    fn detail(&self) -> String {
        match self {
            LogsFact::PodCreated {
                namespace,
                name,
                uid,
            } => format!("pod {namespace}/{name} is created with UID {uid}; its logs go under {WATCHED_DIR}{namespace}_{name}_{uid}/"),
            LogsFact::ContainerStarted {
                short_id,
                path,
                inode,
                ..
            } => format!("container {short_id} started; the runtime opens {path} (inode {inode})"),
            LogsFact::BackOffOver {
                backoff_s,
                next_backoff_s,
                ..
            } => format!("its back-off of {backoff_s} s is over, so the kubelet starts it again; after another exit it would wait {next_backoff_s} s"),
            LogsFact::ContainerRestarted {
                restart_count,
                short_id,
                path,
                inode,
                ..
            } => format!("restartCount is now {restart_count}; new container {short_id} writes to a new file {path} (inode {inode})"),
            LogsFact::SymlinkCreated { link, path } => format!("{link} -> {path}"),
            LogsFact::LineAppended {
                container,
                line,
                content_bytes,
                size,
                ..
            } => format!(
                "{container} appends `{}` ({content_bytes} bytes of content); file is now {size} bytes",
                abbreviate(line, 100)
            ),
            LogsFact::SharedFileWritten {
                path,
                container,
                message,
                readers,
            } => format!("{container} appends `{}` to {path} in the shared emptyDir ({readers} sidecar step(s) follow); nothing is written to /var/log/pods", abbreviate(message, 80)),
            LogsFact::SidecarShipped { path, message, .. } => format!("ships `{}` from {path} straight to the backend; it never reaches /var/log/pods", abbreviate(message, 80)),
            LogsFact::NotRunning { what, .. } => {
                format!("the container is not running, so it cannot {what}")
            }
            LogsFact::ContainerExited {
                exit_code,
                path,
                backoff_s,
                ..
            } => format!(
                "exited with code {exit_code}; {path} stays on the node; restart in {backoff_s} s"
            ),
            LogsFact::RotatedRemoved { path, size, kept } => format!(
                "deleted {path} ({size} bytes), oldest first, to keep at most {kept} rotated {}",
                if *kept == 1 { "file" } else { "files" }
            ),
            LogsFact::RotatedCompressed {
                path,
                plain,
                size,
                percent,
            } => format!("gzipped {path} to {path}.gz: {plain} -> {size} bytes (modelled as 18 + ceil({plain} x {percent}%))"),
            LogsFact::Rotated {
                from,
                to,
                size,
                max,
            } => format!("{from} is {size} bytes >= containerLogMaxSize {max}: renamed to {to}"),
            LogsFact::Reopened {
                path,
                container,
                inode,
            } => format!(
                "the runtime reopens {path} for {container}: a new empty file (inode {inode})"
            ),
            LogsFact::RotationSettingsChanged {
                old_max_size,
                max_size,
                old_max_files,
                max_files,
            } => format!("containerLogMaxSize {old_max_size} -> {max_size} bytes, containerLogMaxFiles {old_max_files} -> {max_files}; the next periodic check uses them"),
            LogsFact::KubectlRefused { message, .. } => message.clone(),
            LogsFact::KubectlRead {
                path,
                lines,
                messages,
                last,
                ..
            } => {
                let last = last.as_deref().map_or_else(
                    || "nothing".to_string(),
                    |l| format!("last `{}`", abbreviate(l, 60)),
                );
                format!("reads only {path}: {lines} CRI line(s) joined into {messages} message(s), {last}")
            }
            LogsFact::Listed { entries, .. } => format!(
                "{} file(s): {}",
                entries.len(),
                entries
                    .iter()
                    .map(|(name, ino, size)| format!("{name} ({size} bytes, inode {ino})"))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            LogsFact::LineParsed { said, .. } => said.clone(),
            LogsFact::AgentMissed { agent, .. } => format!("{agent} never opened this file before it was rotated away from its *.log name; its lines are never shipped"),
            LogsFact::AgentFollows { agent, path, inode } => {
                format!("{agent} opens {path} (inode {inode}) and will read it from offset 0")
            }
            LogsFact::AgentShipped {
                agent,
                from,
                to,
                lines,
                bad_lines,
                shipped,
                ..
            } => {
                let skipped = if *bad_lines > 0 {
                    format!(", skipped {bad_lines} bad line(s)")
                } else {
                    String::new()
                };
                format!("{agent} reads bytes {from}..{to} ({lines} CRI lines{skipped}) and ships {shipped} message(s); offset saved at {to}")
            }
            LogsFact::AgentReleased {
                agent,
                inode,
                now_named,
                offset,
                ..
            } => {
                let now_named = now_named
                    .as_deref()
                    .map_or_else(|| "deleted".to_string(), |p| format!("now {p}"));
                format!("{agent} has read inode {inode} ({now_named}) to its end at offset {offset} and closes it")
            }
            LogsFact::AgentStopped { agent, closed } => format!("{agent} stops: it closes the {closed} file(s) it follows and keeps their offsets; nothing is shipped until it starts again"),
            LogsFact::AgentStarted {
                agent,
                resumed,
                lost,
            } => format!("{agent} starts again: it reopens {resumed} followed file(s) at their saved offsets and resumes at its next poll; {lost} followed file(s) were deleted or compressed while it was down, their unread lines are lost"),
        }
    }
}

/// `text` itself, or its first `max_chars` characters and its byte length.
fn abbreviate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let head: String = text.chars().take(max_chars).collect();
    format!("{head}... ({} bytes)", text.len())
}
