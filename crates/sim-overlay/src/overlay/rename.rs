//! Renaming: inside upper after a copy-up, with redirects for lower
//! directories (redirect_dir) and a whiteout at the old name when a lower layer has it.

use super::copy_up;
use super::mount::{Edit, Origin, Resolved};
use super::note::{DirMove, Failure, MountNote, Replaced};
use super::planner::Planner;
use crate::layer::{base_name, is_within, parent, Entry, Xattrs, DIR_MODE};

pub(super) fn rename(p: &mut Planner, from: &str, to: &str) {
    let source = p.mount.resolve(from);
    if source == Resolved::Missing {
        p.fail(from, Failure::NoSuchPath);
        return;
    }
    if is_within(to, from) {
        p.fail(
            from,
            Failure::Inside {
                to: to.to_string(),
                from: from.to_string(),
            },
        );
        return;
    }
    if !p.parent_is_dir(to) {
        return;
    }
    let target = p.mount.resolve(to);
    match (&source, &target) {
        (Resolved::NonDir { .. }, Resolved::Dir { .. }) => {
            p.fail(from, Failure::OntoDir { to: to.to_string() });
            return;
        }
        (Resolved::Dir { .. }, Resolved::NonDir { .. }) => {
            p.fail(from, Failure::OntoNonDir { to: to.to_string() });
            return;
        }
        _ => {}
    }
    let replaced = match &target {
        Resolved::Missing => Replaced::Nothing,
        Resolved::Dir { .. } => Replaced::EmptyDir,
        Resolved::NonDir { .. } => Replaced::Entry,
    };
    match source {
        Resolved::Dir { layers } => {
            let lower_path = layers
                .iter()
                .find(|(o, _)| *o != Origin::Upper)
                .map(|(_, k)| k.clone());
            if lower_path.is_some() && !p.mount.redirect_dir() {
                p.fail(from, Failure::LowerDirNoRedirect);
                return;
            }
            if let Resolved::Dir { layers } = &target {
                if !p.mount.is_empty_dir(layers) {
                    p.fail(from, Failure::NotEmpty { to: to.to_string() });
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
                    copy_up::entry(p, from);
                    copy_up::parents(p, to);
                    let (mode, xattrs) = match p.mount.entry_at(Origin::Upper, from) {
                        Some(Entry::Dir { mode, xattrs, .. }) => (*mode, xattrs.clone()),
                        _ => (DIR_MODE, Xattrs::new()),
                    };
                    let note = MountNote::MovedDir {
                        from: from.to_string(),
                        replaced,
                        how: DirMove::Redirect {
                            redirect: redirect.clone(),
                        },
                    };
                    p.emit(
                        to,
                        note,
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
                    let note = MountNote::MovedDir {
                        from: from.to_string(),
                        replaced,
                        how: if opaque.is_some() {
                            DirMove::Opaque
                        } else {
                            DirMove::Plain
                        },
                    };
                    p.emit(
                        to,
                        note,
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
            copy_up::entry(p, from);
            copy_up::parents(p, to);
            let note = MountNote::MovedFile {
                from: from.to_string(),
                replaced,
            };
            p.emit(
                to,
                note,
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
        MountNote::RenameWhiteout { to: to.to_string() },
        Edit::Put(from.to_string(), Entry::Whiteout),
    );
}
