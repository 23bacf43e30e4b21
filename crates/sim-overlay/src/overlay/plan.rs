//! Planning a file operation: the read-only check, then the planner of its kind.

use super::file_op::{FileOp, MountStep};
use super::metadata::Metadata;
use super::mount::Mount;
use super::note::Failure;
use super::planner::Planner;
use super::{create, delete, metadata, read, rename, write};

impl Mount {
    /// Plans `op`, applies its steps to `self` in order, and returns them.
    pub fn perform(&mut self, op: &FileOp) -> Vec<MountStep> {
        let steps = self.plan(op);
        for step in &steps {
            self.apply(&step.edit);
        }
        steps
    }

    /// Plans `op` as the steps the kernel takes, without changing `self`.
    pub fn plan(&self, op: &FileOp) -> Vec<MountStep> {
        let mut planner = Planner::new(self.clone());
        dispatch(&mut planner, op);
        planner.into_steps()
    }
}

/// Plans `op` on the planner's mount: a change on a read-only mount fails
/// with EROFS, everything else goes to the planner of its kind.
fn dispatch(p: &mut Planner, op: &FileOp) {
    let path = match op {
        FileOp::Read(path) | FileOp::List(path) => path,
        FileOp::Write(path, _)
        | FileOp::Append(path, _)
        | FileOp::Chmod(path, _)
        | FileOp::SetXattr { path, .. }
        | FileOp::Delete(path)
        | FileOp::Mkdir(path)
        | FileOp::Rename(path, _)
        | FileOp::Link(path, _) => {
            if p.mount.upper().is_none() {
                p.fail(path, Failure::ReadOnly);
                return;
            }
            path
        }
    };
    match op {
        FileOp::Read(_) => read::read(p, path),
        FileOp::List(_) => read::list(p, path),
        FileOp::Write(_, data) => write::write(p, path, data, false),
        FileOp::Append(_, data) => write::write(p, path, data, true),
        FileOp::Chmod(_, mode) => metadata::change(p, path, &Metadata::Mode(*mode)),
        FileOp::SetXattr { name, value, .. } => {
            metadata::change(p, path, &Metadata::Xattr(name, value))
        }
        FileOp::Delete(_) => delete::delete(p, path),
        FileOp::Mkdir(_) => create::mkdir(p, path),
        FileOp::Rename(_, to) => rename::rename(p, path, to),
        FileOp::Link(_, new) => create::link(p, path, new),
    }
}
