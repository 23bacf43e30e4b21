//! Deleting: whiteouts for names a lower layer has, plain removal otherwise;
//! an upper file's other hard-link names keep its data.

use super::copy_up;
use super::mount::{Edit, Origin, Resolved};
use super::note::{Failure, MountNote};
use super::planner::Planner;
use crate::layer::{children, join, Entry};
use sim_core::SortedSet;

pub(super) fn delete(p: &mut Planner, path: &str) {
    match p.mount.resolve(path) {
        Resolved::Missing => p.fail(path, Failure::NoSuchPath),
        Resolved::Dir { layers } => {
            let names: SortedSet<String> = layers
                .iter()
                .filter_map(|(o, k)| p.mount.layer(*o).map(|m| children(m, k)))
                .flatten()
                .map(str::to_string)
                .collect();
            for name in names {
                let child = join(path, &name);
                if p.mount.resolve(&child) != Resolved::Missing {
                    delete(p, &child);
                }
            }
            let in_upper = p.mount.entry_at(Origin::Upper, path).is_some();
            match (in_upper, p.mount.lower_has(path)) {
                (true, true) => p.emit(
                    path,
                    MountNote::RmdirWhiteout,
                    Edit::Replace(path.to_string(), Entry::Whiteout),
                ),
                (true, false) => {
                    p.emit(path, MountNote::RemovedDir, Edit::Remove(path.to_string()))
                }
                (false, _) => whiteout(p, path),
            }
        }
        Resolved::NonDir { origin, .. } => {
            if origin == Origin::Upper {
                keep_hard_links(p, path);
                if p.mount.lower_has(path) {
                    p.emit(
                        path,
                        MountNote::WhiteoutUpper,
                        Edit::Replace(path.to_string(), Entry::Whiteout),
                    );
                } else {
                    p.emit(path, MountNote::Removed, Edit::Remove(path.to_string()));
                }
            } else {
                whiteout(p, path);
            }
        }
    }
}

fn whiteout(p: &mut Planner, path: &str) {
    copy_up::parents(p, path);
    p.emit(
        path,
        MountNote::Whiteout,
        Edit::Put(path.to_string(), Entry::Whiteout),
    );
}

/// Before an upper file is removed, its first other name takes its data.
fn keep_hard_links(p: &mut Planner, path: &str) {
    let Some(Entry::File { .. }) = p.mount.entry_at(Origin::Upper, path) else {
        return;
    };
    let links: Vec<String> = p
        .mount
        .upper()
        .into_iter()
        .flatten()
        .filter(|(_, e)| matches!(e, Entry::HardLink { target } if target == path))
        .map(|(k, _)| k.clone())
        .collect();
    let Some((heir, others)) = links.split_first() else {
        return;
    };
    let Some(data) = p.mount.entry_at(Origin::Upper, path).cloned() else {
        return;
    };
    p.emit(
        heir,
        MountNote::LinkKeepsData {
            of: path.to_string(),
        },
        Edit::Put(heir.clone(), data),
    );
    for other in others {
        p.emit(
            other,
            MountNote::LinkRetarget { heir: heir.clone() },
            Edit::Put(
                other.clone(),
                Entry::HardLink {
                    target: heir.clone(),
                },
            ),
        );
    }
}
