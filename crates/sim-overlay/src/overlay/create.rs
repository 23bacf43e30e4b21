//! New names: directories (opaque over a whiteout) and hard links.

use super::copy_up;
use super::mount::{Edit, Origin, Resolved};
use super::planner::Planner;
use crate::layer::{Entry, Xattrs, DIR_MODE};
use crate::rules;

pub(super) fn mkdir(p: &mut Planner, path: &str) {
    if p.mount.resolve(path) != Resolved::Missing {
        p.fail(
            path,
            "EEXIST",
            "the name already exists",
            &rules::WRONG_KIND,
        );
        return;
    }
    if !p.parent_is_dir(path) {
        return;
    }
    copy_up::parents(p, path);
    if p.mount.entry_at(Origin::Upper, path) == Some(&Entry::Whiteout) {
        p.emit(
            path,
            "opaque-dir",
            format!("replaces the whiteout by an opaque directory {path} (trusted.overlay.opaque=y), hiding the lower contents"),
            &rules::OPAQUE_DIR,
            Edit::Put(
                path.to_string(),
                Entry::Dir {
                    mode: DIR_MODE,
                    opaque: true,
                    redirect: None,
                    xattrs: Xattrs::new(),
                },
            ),
        );
    } else {
        p.emit(
            path,
            "create",
            format!("creates directory {path} in upper"),
            &rules::CREATE_IN_UPPER,
            Edit::Put(path.to_string(), Entry::dir(DIR_MODE)),
        );
    }
}

pub(super) fn link(p: &mut Planner, existing: &str, new: &str) {
    match p.mount.resolve(existing) {
        Resolved::Missing => p.fail(
            existing,
            "ENOENT",
            "no layer shows it",
            &rules::NO_SUCH_PATH,
        ),
        Resolved::Dir { .. } => p.fail(
            existing,
            "EPERM",
            "directories cannot be hard-linked",
            &rules::WRONG_KIND,
        ),
        Resolved::NonDir { origin, .. } => {
            if p.mount.resolve(new) != Resolved::Missing {
                p.fail(
                    new,
                    "EEXIST",
                    "the new name already exists",
                    &rules::WRONG_KIND,
                );
                return;
            }
            if !p.parent_is_dir(new) {
                return;
            }
            if origin != Origin::Upper {
                copy_up::entry(p, existing, &rules::HARDLINK_COPY_UP);
            }
            let Some((target, ..)) = p.mount.file_at(Origin::Upper, existing) else {
                return;
            };
            copy_up::parents(p, new);
            p.emit(
                new,
                "link",
                format!("creates {new} in upper as another name of the upper file {target}"),
                &rules::HARDLINK_COPY_UP,
                Edit::Put(new.to_string(), Entry::HardLink { target }),
            );
        }
    }
}
