//! Deleting: whiteouts for names a lower layer has, plain removal otherwise;
//! an upper file's other hard-link names keep its data.

use super::copy_up;
use super::mount::{Edit, Origin, Resolved};
use super::planner::Planner;
use crate::layer::{children, join, Entry};
use crate::rules;
use std::collections::BTreeSet;

pub(super) fn delete(p: &mut Planner, path: &str) {
    match p.mount.resolve(path) {
        Resolved::Missing => p.fail(path, "ENOENT", "no layer shows it", &rules::NO_SUCH_PATH),
        Resolved::Dir { layers } => {
            let names: BTreeSet<String> = layers
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
                    "whiteout",
                    format!("removes the upper copy of {path} and leaves one whiteout (char 0/0)"),
                    &rules::RMDIR_WHITEOUT,
                    Edit::Replace(path.to_string(), Entry::Whiteout),
                ),
                (true, false) => p.emit(
                    path,
                    "remove",
                    format!("removes directory {path} from upper"),
                    &rules::REMOVE_FROM_UPPER,
                    Edit::Remove(path.to_string()),
                ),
                (false, _) => whiteout(p, path),
            }
        }
        Resolved::NonDir { origin, .. } => {
            if origin == Origin::Upper {
                keep_hard_links(p, path);
                if p.mount.lower_has(path) {
                    p.emit(
                        path,
                        "whiteout",
                        format!("replaces the upper {path} by a whiteout (char 0/0), since a lower layer has it too"),
                        &rules::WHITEOUT,
                        Edit::Replace(path.to_string(), Entry::Whiteout),
                    );
                } else {
                    p.emit(
                        path,
                        "remove",
                        format!("removes {path} from upper"),
                        &rules::REMOVE_FROM_UPPER,
                        Edit::Remove(path.to_string()),
                    );
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
        "whiteout",
        format!(
            "creates a whiteout (char 0/0) for {path} in upper; the lower layers keep their copy"
        ),
        &rules::WHITEOUT,
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
        "link-keeps-data",
        format!("{heir} is another name of {path}, so it keeps the data"),
        &rules::UPPER_CHANGE,
        Edit::Put(heir.clone(), data),
    );
    for other in others {
        p.emit(
            other,
            "link-retarget",
            format!("{other} now links to {heir}"),
            &rules::UPPER_CHANGE,
            Edit::Put(
                other.clone(),
                Entry::HardLink {
                    target: heir.clone(),
                },
            ),
        );
    }
}
