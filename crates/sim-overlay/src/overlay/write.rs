//! Writes and appends: a new file is created in upper, a lower one is copied up first.

use super::copy_up;
use super::file_op::Data;
use super::mount::{Edit, Origin, Resolved};
use super::planner::Planner;
use crate::layer::{Entry, Xattrs, FILE_MODE};
use crate::rules;

pub(super) fn write(p: &mut Planner, path: &str, data: &Data, append: bool) {
    let verb = if append { "appends" } else { "writes" };
    match p.mount.resolve(path) {
        Resolved::Dir { .. } => p.fail(path, "EISDIR", "it is a directory", &rules::WRONG_KIND),
        Resolved::Missing => {
            if !p.parent_is_dir(path) {
                return;
            }
            copy_up::parents(p, path);
            p.emit(
                path,
                "create",
                format!("creates {path} in upper and {verb} {} bytes", data.size),
                &rules::CREATE_IN_UPPER,
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
                copy_up::entry(p, path, &rules::COPY_UP_FILE);
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
                if append { "append" } else { "write" },
                format!(
                    "{verb} {} bytes to the upper copy, now {size} bytes",
                    data.size
                ),
                &rules::UPPER_CHANGE,
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
