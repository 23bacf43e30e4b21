//! New names: directories (opaque over a whiteout) and hard links.

use super::copy_up;
use super::mount::{Edit, Origin, Resolved};
use super::note::{Failure, MountNote};
use super::planner::Planner;
use crate::layer::{Entry, Xattrs, DIR_MODE};

pub(super) fn mkdir(p: &mut Planner, path: &str) {
    if p.mount.resolve(path) != Resolved::Missing {
        p.fail(path, Failure::Exists);
        return;
    }
    if !p.parent_is_dir(path) {
        return;
    }
    copy_up::parents(p, path);
    if p.mount.entry_at(Origin::Upper, path) == Some(&Entry::Whiteout) {
        p.emit(
            path,
            MountNote::OpaqueDir,
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
            MountNote::CreatedDir,
            Edit::Put(path.to_string(), Entry::dir(DIR_MODE)),
        );
    }
}

pub(super) fn link(p: &mut Planner, existing: &str, new: &str) {
    match p.mount.resolve(existing) {
        Resolved::Missing => p.fail(existing, Failure::NoSuchPath),
        Resolved::Dir { .. } => p.fail(existing, Failure::DirLink),
        Resolved::NonDir { origin, .. } => {
            if p.mount.resolve(new) != Resolved::Missing {
                p.fail(new, Failure::NewNameExists);
                return;
            }
            if !p.parent_is_dir(new) {
                return;
            }
            if origin != Origin::Upper {
                copy_up::for_link(p, existing);
            }
            let Some((target, ..)) = p.mount.file_at(Origin::Upper, existing) else {
                return;
            };
            copy_up::parents(p, new);
            p.emit(
                new,
                MountNote::Linked {
                    target: target.clone(),
                },
                Edit::Put(new.to_string(), Entry::HardLink { target }),
            );
        }
    }
}
