//! Copy-up: how a lower entry, and first its parent directories, come into
//! upper before anything changes them.

use super::mount::{Edit, Origin, Resolved};
use super::planner::Planner;
use crate::layer::{ancestors, xattr_list, Entry, Xattrs};
use crate::rules;
use sim_core::Rule;

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
            "copy-up-parent",
            format!(
                "copies up parent directory {dir} from {from}, keeping mode {mode:04o} and xattrs ({})",
                xattr_list(&xattrs)
            ),
            &rules::COPY_UP_PARENT,
            Edit::Put(dir.to_string(), upper_dir(mode, xattrs)),
        );
    }
}

/// Copies up a lower entry (after its parents); no-op if it is in upper.
pub(super) fn entry(p: &mut Planner, path: &str, rule: &'static Rule) {
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
            "copy-up",
            format!(
                "copies up directory {path} from {from} as an empty directory with mode {mode:04o} and xattrs ({}); its contents stay in the lower layers and merge",
                xattr_list(&xattrs)
            ),
            &rules::COPY_UP_DIR,
            Edit::Put(path.to_string(), upper_dir(mode, xattrs)),
        ),
        (_, Resolved::NonDir { origin, key }) => {
            let Some((_, file @ Entry::File { size, .. })) = p.mount.file_at(*origin, key) else {
                return;
            };
            let xattrs = file.xattrs().map(xattr_list).unwrap_or_default();
            p.emit(
                path,
                "copy-up",
                format!("copies the whole file {path} ({size} bytes) from {from} into upper, then its xattrs ({xattrs})"),
                rule,
                Edit::Put(path.to_string(), file),
            );
        }
        _ => {}
    }
}
