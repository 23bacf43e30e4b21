//! Copy-up: how a lower entry, and first its parent directories, come into
//! upper before anything changes them.

use super::mount::{Edit, Origin, Resolved};
use super::note::MountNote;
use super::planner::Planner;
use crate::layer::{ancestors, Entry, Xattrs};

/// A directory copied up into upper: the lower one's mode and xattrs, but
/// none of overlayfs' own attributes (opaque, redirect).
fn upper_dir(mode: u32, xattrs: Xattrs) -> Entry {
    Entry::Dir {
        mode,
        opaque: false,
        redirect: None,
        xattrs,
    }
}

/// Copies up every ancestor directory of `path` that upper lacks.
pub(super) fn parents(p: &mut Planner, path: &str) {
    for dir in ancestors(path) {
        if matches!(
            p.mount.entry_at(Origin::Upper, dir),
            Some(Entry::Dir { .. })
        ) {
            continue;
        }
        let resolved = p.mount.resolve(dir);
        let Some((origin, Entry::Dir { mode, xattrs, .. })) = p.mount.top_entry(&resolved) else {
            continue;
        };
        let (mode, xattrs, from) = (*mode, xattrs.clone(), p.mount.label(origin));
        p.emit(
            dir,
            MountNote::CopyUpParent {
                from,
                mode,
                xattrs: xattrs.clone(),
            },
            Edit::Put(dir.to_string(), upper_dir(mode, xattrs)),
        );
    }
}

/// Copies up a lower entry (after its parents) before a change or a
/// rename; no-op if it is in upper.
pub(super) fn entry(p: &mut Planner, path: &str) {
    copy(p, path, false);
}

/// Copies up a lower file (after its parents) to hard-link it; no-op if it
/// is in upper.
pub(super) fn for_link(p: &mut Planner, path: &str) {
    copy(p, path, true);
}

fn copy(p: &mut Planner, path: &str, for_link: bool) {
    let resolved = p.mount.resolve(path);
    let Some((origin, entry)) = p.mount.top_entry(&resolved) else {
        return;
    };
    if origin == Origin::Upper {
        return;
    }
    let from = p.mount.label(origin);
    let entry = entry.clone();
    parents(p, path);
    match (entry, &resolved) {
        (Entry::Dir { mode, xattrs, .. }, _) => p.emit(
            path,
            MountNote::CopyUpDir {
                from,
                mode,
                xattrs: xattrs.clone(),
            },
            Edit::Put(path.to_string(), upper_dir(mode, xattrs)),
        ),
        (_, Resolved::NonDir { origin, key }) => {
            let Some((_, file @ Entry::File { size, .. })) = p.mount.file_at(*origin, key) else {
                return;
            };
            let note = MountNote::CopyUpFile {
                from,
                size,
                xattrs: file.xattrs().cloned().unwrap_or_default(),
                for_link,
            };
            p.emit(path, note, Edit::Put(path.to_string(), file));
        }
        _ => {}
    }
}
