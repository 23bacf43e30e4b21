//! What a presenter, a what-if edit or a fault feeds into a running logs
//! simulation.
//!
//! Contract: plain, serializable data; the simulation checks an input when it
//! is given (an unknown container or a value out of range is refused with a
//! sentence) and queues it after the steps already planned; a write or a
//! crash is planned like a script action when its turn comes.

use crate::cri::Stream;
use serde::{Deserialize, Serialize};

/// What can be fed into a running logs simulation.
///
/// Pods are named `<namespace>/<name>`, or `<name>` in namespace `default`,
/// as in scenario files. A write to or a crash of a container that is not
/// running when its turn comes is accepted and shows as a `not-running`
/// step, as in a script.
/// Kubelet checks stop after the last script action, so new rotation
/// settings given later change the settings but rotate nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum LogsInput {
    /// The container prints `text` (one line) on `stream`.
    Write {
        /// The pod.
        pod: String,
        /// The container.
        container: String,
        /// Which stream.
        stream: Stream,
        /// The line, without a newline.
        text: String,
    },
    /// The container exits with `exit_code`; the kubelet restarts it after
    /// its back-off.
    Crash {
        /// The pod.
        pod: String,
        /// The container.
        container: String,
        /// Its exit status.
        exit_code: i32,
    },
    /// The kubelet's rotation settings change; the next check uses them.
    SetRotation {
        /// `containerLogMaxSize`, in bytes (at least 1).
        max_size: u64,
        /// `containerLogMaxFiles` (2 to 1000).
        max_files: u64,
    },
    /// The node logging agent stops (it keeps its saved offsets).
    StopAgent,
    /// The node logging agent starts again and resumes at its next poll.
    StartAgent,
}
