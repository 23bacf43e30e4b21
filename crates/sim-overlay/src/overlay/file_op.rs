//! File operations on a merged view and the steps they are planned into.

use super::mount::Edit;
use super::note::MountNote;
use serde::{Deserialize, Serialize};
use sim_core::Rule;

/// One step of a file operation: what happened, why, and the edit it makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountStep {
    /// The path in the merged view the step is about.
    pub path: String,
    /// What happened.
    pub note: MountNote,
    /// The change to the upper layer.
    pub edit: Edit,
}

impl MountStep {
    /// Machine-readable kind, e.g. `copy-up`.
    pub fn kind(&self) -> &'static str {
        self.note.kind()
    }

    /// The rule that produced it.
    pub fn rule(&self) -> &'static Rule {
        self.note.rule()
    }

    /// One sentence saying what happened.
    pub fn detail(&self) -> String {
        self.note.detail(&self.path)
    }
}

/// The data a write or append brings: text and its size in bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Data {
    /// Text shown by `cat`.
    pub text: String,
    /// Size in bytes.
    pub size: u64,
}

/// A file operation on the merged view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileOp {
    /// `cat path`.
    Read(String),
    /// `ls path`.
    List(String),
    /// `echo data > path`.
    Write(String, Data),
    /// `echo data >> path`.
    Append(String, Data),
    /// `chmod mode path`.
    Chmod(String, u32),
    /// `setfattr -n name -v value path`: sets one extended attribute.
    SetXattr {
        /// The path in the merged view.
        path: String,
        /// The attribute's name, e.g. `user.note`.
        name: String,
        /// Its new value.
        value: String,
    },
    /// `rm -r path`.
    Delete(String),
    /// `mkdir path`.
    Mkdir(String),
    /// `mv from to`.
    Rename(String, String),
    /// `ln existing new`.
    Link(String, String),
}
