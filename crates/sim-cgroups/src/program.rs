//! What a started process runs: the program and the namespaces it unshares.
//!
//! Contract: plain data shared by the script (which names programs) and the
//! kernel (which starts them); neither knows the other.

use serde::{Deserialize, Serialize};

/// Namespaces `unshare` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Unshare {
    /// `--uts`: own hostname.
    pub uts: bool,
    /// `--ipc`: own System V IPC.
    pub ipc: bool,
    /// `--net`: own network stack.
    pub net: bool,
}

/// A program a command starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Program {
    /// An interactive shell; later lines run inside it until `exit`.
    Shell,
    /// `stress --cpu N --vm N --vm-bytes B --timeout T`.
    Stress {
        /// Spinning workers.
        cpu: u32,
        /// Memory workers.
        vm: u32,
        /// Bytes each memory worker touches and keeps.
        vm_bytes: u64,
        /// When stress stops its workers, in nanoseconds.
        timeout_ns: Option<u64>,
    },
    /// `dd if=/dev/zero of=FILE bs=B count=N`: writes a file into the page cache.
    Dd {
        /// The file written.
        file: String,
        /// Bytes written.
        bytes: u64,
    },
}

/// A process to start: the program, the namespaces to unshare first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Launch {
    /// Namespaces created by a leading `unshare`.
    pub unshare: Unshare,
    /// What runs.
    pub program: Program,
    /// Whether the line ended with `&`.
    pub background: bool,
}
