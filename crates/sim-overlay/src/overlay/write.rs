//! Writes and appends: a new file is created in upper, a lower one is copied up first.

use super::copy_up;
use super::file_op::Data;
use super::mount::{Edit, Origin, Resolved};
use super::note::{Failure, MountNote};
use super::planner::Planner;
use crate::layer::{Entry, Xattrs, FILE_MODE};

pub(super) fn write(p: &mut Planner, path: &str, data: &Data, append: bool) {
    match p.mount.resolve(path) {
        Resolved::Dir { .. } => p.fail(path, Failure::IsDir),
        Resolved::Missing => {
            if !p.parent_is_dir(path) {
                return;
            }
            copy_up::parents(p, path);
            p.emit(
                path,
                MountNote::CreatedFile {
                    append,
                    bytes: data.size,
                },
                Edit::Put(
                    path.to_string(),
                    Entry::File {
                        mode: FILE_MODE,
                        size: data.size,
                        content: data.text.clone(),
                        xattrs: Xattrs::new(),
                    },
                ),
            );
        }
        Resolved::NonDir { origin, .. } => {
            if origin != Origin::Upper {
                copy_up::entry(p, path);
            }
            let Some((
                target,
                Entry::File {
                    mode,
                    size,
                    content,
                    xattrs,
                },
            )) = p.mount.file_at(Origin::Upper, path)
            else {
                return;
            };
            let (size, content) = if append {
                (size.saturating_add(data.size), content + &data.text)
            } else {
                (data.size, data.text.clone())
            };
            p.emit(
                path,
                MountNote::Written {
                    append,
                    bytes: data.size,
                    size,
                },
                Edit::Put(
                    target,
                    Entry::File {
                        mode,
                        size,
                        content,
                        xattrs,
                    },
                ),
            );
        }
    }
}
