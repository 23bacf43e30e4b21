//! What can be fed into a running overlay simulation.
//!
//! Contract: [`OverlayInput::check`] accepts an input only when it names a
//! mount or container the world has and carries valid paths, modes and xattr
//! names; an accepted input is planned with the same rules as the same
//! scripted action.

use crate::config::Action;
use crate::layer::{check_path, check_xattr_name};
use crate::overlay::FileOp;
use crate::world::World;
use serde::{Deserialize, Serialize};
use sim_core::InputError;

/// An input: a presenter's action on the host.
///
/// In a JSON trace it reads `{"file": {"on": "/merged", "op": {"write":
/// ["/etc/a", {"text": "hi", "size": 2}]}}}` or `{"docker-rm": {"container":
/// "web-2"}}`; file operations are named `read`, `list`, `write`, `append`,
/// `chmod` (mode as a number), `set-xattr` (`path`, `name`, `value`),
/// `delete`, `mkdir`, `rename` and `link`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OverlayInput {
    /// Runs one file operation (write, delete, rename, chmod...) on a mount
    /// target or a container.
    File {
        /// The mount point (`/merged`) or container name (`web-1`).
        on: String,
        /// The operation.
        op: FileOp,
    },
    /// `docker rm` of a container.
    DockerRm {
        /// The container.
        container: String,
    },
}

impl OverlayInput {
    /// The action this input performs on `world`, or why it cannot.
    pub(crate) fn check(&self, world: &World) -> Result<Action, InputError> {
        let names = |containers_only: bool| -> String {
            world
                .mounts
                .iter()
                .filter(|(_, r)| !containers_only || r.container.is_some())
                .map(|(n, _)| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            OverlayInput::File { on, op } => {
                if !world.mounts.contains_key(on) {
                    return Err(InputError(format!(
                        "`{on}` is not mounted: expected a mount target or a running container: one of [{}]",
                        names(false)
                    )));
                }
                check_op(op).map_err(InputError)?;
                Ok(Action::File {
                    on: on.clone(),
                    op: op.clone(),
                })
            }
            OverlayInput::DockerRm { container } => {
                if world
                    .mounts
                    .get(container)
                    .is_none_or(|r| r.container.is_none())
                {
                    return Err(InputError(format!(
                        "unknown container `{container}`: expected one of [{}]",
                        names(true)
                    )));
                }
                Ok(Action::DockerRm(container.clone()))
            }
        }
    }
}

/// Checks the paths, mode and xattr name of a file operation.
fn check_op(op: &FileOp) -> Result<(), String> {
    match op {
        FileOp::List(path) if path == "/" => Ok(()),
        FileOp::Read(path)
        | FileOp::List(path)
        | FileOp::Write(path, _)
        | FileOp::Append(path, _)
        | FileOp::Delete(path)
        | FileOp::Mkdir(path) => check_path(path),
        FileOp::Chmod(path, mode) => {
            check_path(path)?;
            if *mode > 0o7777 {
                return Err(format!(
                    "invalid mode {mode:o}: expected octal permission bits from 0000 to 7777"
                ));
            }
            Ok(())
        }
        FileOp::SetXattr { path, name, .. } => {
            check_path(path)?;
            check_xattr_name(name)
        }
        FileOp::Rename(from, to) | FileOp::Link(from, to) => {
            check_path(from)?;
            check_path(to)
        }
    }
}
