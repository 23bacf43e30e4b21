//! Reads and listings: lookups that never change upper.

use super::mount::{Edit, Origin, Resolved};
use super::planner::Planner;
use crate::layer::{children, join, Entry};
use crate::rules;
use std::collections::BTreeSet;

pub(super) fn read(p: &mut Planner, path: &str) {
    match p.mount.resolve(path) {
        Resolved::Missing => p.fail(path, "ENOENT", "no layer shows it", &rules::NO_SUCH_PATH),
        Resolved::Dir { .. } => p.fail(path, "EISDIR", "it is a directory", &rules::WRONG_KIND),
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
            if hidden.is_empty() {
                p.emit(
                    path,
                    "read",
                    format!("reads {content:?} ({size} bytes) from {from}"),
                    &rules::READ,
                    Edit::None,
                );
            } else {
                p.emit(
                    path,
                    "read",
                    format!(
                        "reads {content:?} ({size} bytes) from {from}, which hides the same name in {}",
                        hidden.join(", ")
                    ),
                    &rules::NON_DIR_HIDES,
                    Edit::None,
                );
            }
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
        Resolved::Missing => p.fail(path, "ENOENT", "no layer shows it", &rules::NO_SUCH_PATH),
        Resolved::NonDir { .. } => {
            p.fail(path, "ENOTDIR", "it is not a directory", &rules::WRONG_KIND)
        }
        Resolved::Dir { layers } => {
            let names: BTreeSet<&str> = layers
                .iter()
                .filter_map(|(o, k)| p.mount.layer(*o).map(|m| children(m, k)))
                .flatten()
                .collect();
            let mut shown = Vec::new();
            for name in names {
                let child = p.mount.resolve_child(&layers, name);
                if let Some((origin, _)) = p.mount.top_entry(&child) {
                    shown.push(format!("{name} ({})", p.mount.label(origin)));
                }
            }
            let from: Vec<String> = layers.iter().map(|(o, _)| p.mount.label(*o)).collect();
            // Whiteouts of the merged layers, each hiding its name below.
            let whiteouts: Vec<String> = layers
                .iter()
                .filter_map(|(o, k)| {
                    let m = p.mount.layer(*o)?;
                    let names: Vec<String> = children(m, k)
                        .into_iter()
                        .filter(|n| m.get(&join(k, n)) == Some(&Entry::Whiteout))
                        .map(|n| {
                            let label = p.mount.label(*o);
                            format!("; the whiteout for {n} in {label} hides it only in the layers below {label}")
                        })
                        .collect();
                    Some(names)
                })
                .flatten()
                .collect();
            let (rule, hidden) = if !whiteouts.is_empty() {
                (&rules::WHITEOUT_OWN_LAYER, whiteouts.concat())
            } else if layers.len() > 1 {
                (&rules::DIR_MERGE, String::new())
            } else {
                (&rules::LOOKUP, String::new())
            };
            p.emit(
                path,
                "list",
                format!(
                    "lists [{}], merged from {}{hidden}",
                    shown.join(", "),
                    from.join(", ")
                ),
                rule,
                Edit::None,
            );
        }
    }
}
