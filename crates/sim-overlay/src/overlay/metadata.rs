//! Metadata changes (chmod, setxattr): a lower entry is copied up, then changed in upper.

use super::copy_up;
use super::mount::{Edit, Origin, Resolved};
use super::note::{Failure, MountNote};
use super::planner::Planner;
use crate::layer::Entry;

/// A metadata change: new permission bits, or one extended attribute.
pub(super) enum Metadata<'a> {
    Mode(u32),
    Xattr(&'a String, &'a String),
}

/// A metadata change (mode or xattr): copies a lower entry up first.
pub(super) fn change(p: &mut Planner, path: &str, change: &Metadata) {
    let resolved = p.mount.resolve(path);
    if resolved == Resolved::Missing {
        p.fail(path, Failure::NoSuchPath);
        return;
    }
    copy_up::entry(p, path);
    let (key, entry) = match p.mount.entry_at(Origin::Upper, path) {
        Some(Entry::HardLink { target }) => {
            let target = target.clone();
            let entry = p.mount.entry_at(Origin::Upper, &target).cloned();
            (target, entry)
        }
        other => (path.to_string(), other.cloned()),
    };
    let Some(mut changed) = entry.filter(|e| e.xattrs().is_some()) else {
        return;
    };
    let note = match (change, &mut changed) {
        (Metadata::Mode(new), Entry::File { mode, .. } | Entry::Dir { mode, .. }) => {
            *mode = *new;
            MountNote::Chmod { mode: *new }
        }
        (Metadata::Xattr(name, value), Entry::File { xattrs, .. } | Entry::Dir { xattrs, .. }) => {
            xattrs.insert((*name).clone(), (*value).clone());
            MountNote::SetXattr {
                name: (*name).clone(),
                value: (*value).clone(),
            }
        }
        _ => return,
    };
    p.emit(path, note, Edit::Put(key, changed));
}
