//! The scratch mount an operation is planned on, recording each step.
//!
//! Contract: [`Planner::emit`] applies a step's edit to the scratch mount at
//! once, so every later lookup of the same operation sees the step's effect.

use super::file_op::MountStep;
use super::mount::{Edit, Mount, Resolved};
use super::note::{Failure, MountNote};
use crate::layer::parent;

/// A scratch mount that records each step it takes.
pub(super) struct Planner {
    pub(super) mount: Mount,
    steps: Vec<MountStep>,
}

impl Planner {
    /// A planner on a copy of `mount`.
    pub(super) fn new(mount: Mount) -> Planner {
        Planner {
            mount,
            steps: Vec::new(),
        }
    }

    /// The steps recorded so far, in order.
    pub(super) fn into_steps(self) -> Vec<MountStep> {
        self.steps
    }

    /// Records a step about `path` and applies its edit to the scratch mount.
    pub(super) fn emit(&mut self, path: &str, note: MountNote, edit: Edit) {
        self.mount.apply(&edit);
        self.steps.push(MountStep {
            path: path.to_string(),
            note,
            edit,
        });
    }

    /// Records a failed call on `path`, which changes nothing.
    pub(super) fn fail(&mut self, path: &str, failure: Failure) {
        self.emit(path, MountNote::Failed(failure), Edit::None);
    }

    /// Whether the parent of `path` is a directory; fails with ENOENT otherwise.
    pub(super) fn parent_is_dir(&mut self, path: &str) -> bool {
        let dir = parent(path);
        if dir == "/" || matches!(self.mount.resolve(dir), Resolved::Dir { .. }) {
            return true;
        }
        self.fail(
            path,
            Failure::ParentNotDir {
                parent: dir.to_string(),
            },
        );
        false
    }
}
