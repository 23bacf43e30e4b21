//! Renaming: inside upper after a copy-up, with redirects for lower
//! directories (redirect_dir) and a whiteout at the old name when a lower layer has it.

use super::copy_up;
use super::mount::{Edit, Origin, Resolved};
use super::planner::Planner;
use crate::layer::{base_name, is_within, parent, Entry, Xattrs, DIR_MODE};
use crate::rules;

pub(super) fn rename(p: &mut Planner, from: &str, to: &str) {
    let source = p.mount.resolve(from);
    if source == Resolved::Missing {
        p.fail(from, "ENOENT", "no layer shows it", &rules::NO_SUCH_PATH);
        return;
    }
    if is_within(to, from) {
        p.fail(
            from,
            "EINVAL",
            &format!("{to} lies inside {from}"),
            &rules::WRONG_KIND,
        );
        return;
    }
    if !p.parent_is_dir(to) {
        return;
    }
    let target = p.mount.resolve(to);
    match (&source, &target) {
        (Resolved::NonDir { .. }, Resolved::Dir { .. }) => {
            p.fail(
                from,
                "EISDIR",
                &format!("{to} is a directory"),
                &rules::WRONG_KIND,
            );
            return;
        }
        (Resolved::Dir { .. }, Resolved::NonDir { .. }) => {
            p.fail(
                from,
                "ENOTDIR",
                &format!("{to} is not a directory"),
                &rules::WRONG_KIND,
            );
            return;
        }
        _ => {}
    }
    let replacing = match &target {
        Resolved::Missing => String::new(),
        Resolved::Dir { .. } => format!(", replacing the empty directory {to}"),
        Resolved::NonDir { .. } => format!(", replacing {to}"),
    };
    match source {
        Resolved::Dir { layers } => {
            let lower_path = layers
                .iter()
                .find(|(o, _)| *o != Origin::Upper)
                .map(|(_, k)| k.clone());
            if lower_path.is_some() && !p.mount.redirect_dir() {
                p.fail(
                    from,
                    "EXDEV",
                    "it is a directory from a lower layer and redirect_dir is off (mv then falls back to copying)",
                    &rules::RENAME_EXDEV,
                );
                return;
            }
            if let Resolved::Dir { layers } = &target {
                if !p.mount.is_empty_dir(layers) {
                    p.fail(
                        from,
                        "ENOTEMPTY",
                        &format!("{to} is a directory that is not empty"),
                        &rules::WRONG_KIND,
                    );
                    return;
                }
            }
            match lower_path {
                Some(lower_path) => {
                    // The kernel writes a relative redirect (the old name)
                    // when the directory stays in the same parent.
                    let redirect = if parent(from) == parent(to) && lower_path == from {
                        base_name(from).to_string()
                    } else {
                        lower_path
                    };
                    copy_up::entry(p, from, &rules::COPY_UP_FILE);
                    copy_up::parents(p, to);
                    let (mode, xattrs) = match p.mount.entry_at(Origin::Upper, from) {
                        Some(Entry::Dir { mode, xattrs, .. }) => (*mode, xattrs.clone()),
                        _ => (DIR_MODE, Xattrs::new()),
                    };
                    p.emit(
                        to,
                        "redirect",
                        format!("moves the upper directory {from} to {to}{replacing} and sets trusted.overlay.redirect={redirect}"),
                        &rules::RENAME_REDIRECT,
                        Edit::Move {
                            from: from.to_string(),
                            to: to.to_string(),
                            root: Some(Entry::Dir {
                                mode,
                                opaque: false,
                                redirect: Some(redirect),
                                xattrs,
                            }),
                        },
                    );
                    rename_whiteout(p, from, to);
                }
                None => {
                    copy_up::parents(p, to);
                    let opaque = match p.mount.entry_at(Origin::Upper, from) {
                        Some(Entry::Dir { mode, xattrs, .. }) if p.mount.lower_has(to) => {
                            Some(Entry::Dir {
                                mode: *mode,
                                opaque: true,
                                redirect: None,
                                xattrs: xattrs.clone(),
                            })
                        }
                        _ => None,
                    };
                    let (detail, rule) = if opaque.is_some() {
                        (
                            format!("moves the upper-only directory {from} to {to}{replacing} and marks it opaque (trusted.overlay.opaque=y), so the lower {to} stays hidden"),
                            &rules::RENAME_OPAQUE,
                        )
                    } else {
                        (
                            format!("moves the upper-only directory {from} to {to}{replacing}"),
                            &rules::RENAME_IN_UPPER,
                        )
                    };
                    p.emit(
                        to,
                        "rename",
                        detail,
                        rule,
                        Edit::Move {
                            from: from.to_string(),
                            to: to.to_string(),
                            root: opaque,
                        },
                    );
                }
            }
        }
        Resolved::NonDir { .. } => {
            copy_up::entry(p, from, &rules::COPY_UP_FILE);
            copy_up::parents(p, to);
            p.emit(
                to,
                "rename",
                format!("moves the upper copy of {from} to {to}{replacing}"),
                &rules::RENAME_IN_UPPER,
                Edit::Move {
                    from: from.to_string(),
                    to: to.to_string(),
                    root: None,
                },
            );
            if p.mount.lower_has(from) {
                rename_whiteout(p, from, to);
            }
        }
        Resolved::Missing => {}
    }
}

/// Hides the old name of a rename that a lower layer still has.
fn rename_whiteout(p: &mut Planner, from: &str, to: &str) {
    p.emit(
        from,
        "whiteout",
        format!("leaves a whiteout (char 0/0) at the old name {from}, since a lower layer still has it and it now lives at {to}"),
        &rules::RENAME_WHITEOUT,
        Edit::Put(from.to_string(), Entry::Whiteout),
    );
}
