//! Reads and listings: lookups that never change upper.

use super::mount::{Edit, Origin, Resolved};
use super::note::{Failure, MountNote};
use super::planner::Planner;
use crate::layer::{children, join, Entry};
use sim_core::SortedSet;

pub(super) fn read(p: &mut Planner, path: &str) {
    match p.mount.resolve(path) {
        Resolved::Missing => p.fail(path, Failure::NoSuchPath),
        Resolved::Dir { .. } => p.fail(path, Failure::IsDir),
        Resolved::NonDir { origin, key } => {
            let Some((_, Entry::File { size, content, .. })) = p.mount.file_at(origin, &key) else {
                return;
            };
            let from = p.mount.label(origin);
            let hidden: Vec<String> = (0..p.mount.lowers().len())
                .map(Origin::Lower)
                .filter(|o| *o > origin && p.mount.entry_at(*o, &key).is_some())
                .map(|o| p.mount.label(o))
                .collect();
            p.emit(
                path,
                MountNote::Read {
                    content,
                    size,
                    from,
                    hidden,
                },
                Edit::None,
            );
        }
    }
}

pub(super) fn list(p: &mut Planner, path: &str) {
    let resolved = if path == "/" {
        Resolved::Dir {
            layers: p.mount.root(),
        }
    } else {
        p.mount.resolve(path)
    };
    match resolved {
        Resolved::Missing => p.fail(path, Failure::NoSuchPath),
        Resolved::NonDir { .. } => p.fail(path, Failure::NotDir),
        Resolved::Dir { layers } => {
            let names: SortedSet<&str> = layers
                .iter()
                .filter_map(|(o, k)| p.mount.layer(*o).map(|m| children(m, k)))
                .flatten()
                .collect();
            let mut shown = Vec::new();
            for name in names {
                let child = p.mount.resolve_child(&layers, name);
                if let Some((origin, _)) = p.mount.top_entry(&child) {
                    shown.push((name.to_string(), p.mount.label(origin)));
                }
            }
            let from: Vec<String> = layers.iter().map(|(o, _)| p.mount.label(*o)).collect();
            // Whiteouts of the merged layers, each hiding its name below.
            let whiteouts: Vec<(String, String)> = layers
                .iter()
                .filter_map(|(o, k)| {
                    let m = p.mount.layer(*o)?;
                    let names: Vec<(String, String)> = children(m, k)
                        .into_iter()
                        .filter(|n| m.get(&join(k, n)) == Some(&Entry::Whiteout))
                        .map(|n| (n.to_string(), p.mount.label(*o)))
                        .collect();
                    Some(names)
                })
                .flatten()
                .collect();
            p.emit(
                path,
                MountNote::Listed {
                    shown,
                    from,
                    whiteouts,
                },
                Edit::None,
            );
        }
    }
}
