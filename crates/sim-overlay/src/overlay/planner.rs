//! The scratch mount an operation is planned on, recording each step.
//!
//! Contract: [`Planner::emit`] applies a step's edit to the scratch mount at
//! once, so every later lookup of the same operation sees the step's effect.

use super::file_op::MountStep;
use super::mount::{Edit, Mount, Resolved};
use crate::layer::parent;
use crate::rules;
use sim_core::Rule;

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

    pub(super) fn emit(
        &mut self,
        path: &str,
        kind: &'static str,
        detail: String,
        rule: &'static Rule,
        edit: Edit,
    ) {
        self.mount.apply(&edit);
        self.steps.push(MountStep {
            path: path.to_string(),
            kind,
            detail,
            rule,
            edit,
        });
    }

    pub(super) fn fail(&mut self, path: &str, errno: &str, why: &str, rule: &'static Rule) {
        self.emit(
            path,
            "error",
            format!("fails with {errno}: {why}"),
            rule,
            Edit::None,
        );
    }

    /// Whether the parent of `path` is a directory; fails with ENOENT otherwise.
    pub(super) fn parent_is_dir(&mut self, path: &str) -> bool {
        let dir = parent(path);
        if dir == "/" || matches!(self.mount.resolve(dir), Resolved::Dir { .. }) {
            return true;
        }
        self.fail(
            path,
            "ENOENT",
            &format!("its parent {dir} is not a directory in the merged view"),
            &rules::NO_SUCH_PATH,
        );
        false
    }
}
