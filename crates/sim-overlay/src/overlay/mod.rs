//! Overlay mounts and the file operations on them.
//!
//! Contract: a [`Mount`] holds read-only lowers and an optional upper; its
//! lookup rule and merged view live in `mount`, apart from the operations.
//! An operation is planned on a scratch copy ([`Mount::plan`]) as a list of
//! [`MountStep`]s, each carrying one [`Edit`]; applying those edits in order
//! to the real mount yields the same upper layer, one step at a time.
//!
//! Modules, each depending only on those above it:
//! `mount` (lookup, merged view, edits), `note` (what a step did),
//! `file_op` (operations and steps),
//! `planner` (the scratch mount that records steps), `copy_up`, then one
//! module per kind of operation (`read`, `write`, `metadata`, `delete`,
//! `create`, `rename`), and `plan`, which sends an operation to its module.

mod copy_up;
mod create;
mod delete;
mod file_op;
mod metadata;
mod mount;
mod note;
mod plan;
mod planner;
mod read;
mod rename;
mod write;

pub use file_op::{Data, FileOp, MountStep};
pub use mount::{Edit, Mount, Origin, Resolved, Shown, UpperEntry};
pub use note::{DirMove, Failure, MountNote, Replaced};
