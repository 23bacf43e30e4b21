//! An overlay mount and its lookup rule: read-only lower layers, an optional
//! upper layer, and the merged view the kernel shows at the mount point.
//!
//! Contract: lowers are `Arc<Layer>` and are only ever read; every change goes
//! to the upper map through [`Mount::apply`], one [`Edit`] at a time. Lookups
//! never change the mount.

use crate::layer::{base_name, children, is_within, join, parent, Entry, Layer};
use sim_core::{SortedMap, SortedSet};
use std::sync::Arc;

/// Which layer of a mount an entry comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    /// The read-write upper layer.
    Upper,
    /// A lower layer, `0` being the top lower (the first `lowerdir`).
    Lower(usize),
}

/// What a path resolves to in the merged view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// No layer shows the name.
    Missing,
    /// A non-directory, found in `origin` at `key` (the path inside that layer).
    NonDir {
        /// The layer it comes from.
        origin: Origin,
        /// Its path inside that layer.
        key: String,
    },
    /// A directory merged from these layers, top first, with the path inside each.
    Dir {
        /// The contributing layers and the path of the directory inside each.
        layers: Vec<(Origin, String)>,
    },
}

/// One change to the upper layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// Nothing changes (reads, listings, errors).
    None,
    /// Sets the entry at a path.
    Put(String, Entry),
    /// Removes a path and everything below it.
    Remove(String),
    /// Removes a path and everything below it, then sets the entry.
    Replace(String, Entry),
    /// Moves a subtree onto `to`, replacing whatever upper had there;
    /// `root`, if given, replaces the moved top entry.
    Move {
        /// The old path.
        from: String,
        /// The new path.
        to: String,
        /// The new top entry, e.g. a directory with a redirect.
        root: Option<Entry>,
    },
}

/// One entry of the merged view with the layer it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// The entry as the topmost layer has it.
    pub entry: Entry,
    /// The layer it comes from (`upper` or a lower layer's name).
    pub from: String,
    /// For directories: every layer whose listing is merged in, top first.
    pub merged_from: Vec<String>,
}

/// One entry of a mount's upper layer, and whether it stands over a name
/// a lower layer has (a copy-up, a whiteout) or is new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpperEntry<'a> {
    /// Its path.
    pub path: &'a str,
    /// The entry.
    pub entry: &'a Entry,
    /// Whether a lower layer would show this path without it.
    pub over_lower: bool,
}

/// An overlay mount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    lowers: Vec<Arc<Layer>>,
    upper: Option<SortedMap<String, Entry>>,
    redirect_dir: bool,
}

impl Mount {
    /// A mount of `lowers` (top first, as in `lowerdir=`), writable when
    /// `writable` (upperdir and workdir given), with the redirect_dir option.
    pub fn new(lowers: Vec<Arc<Layer>>, writable: bool, redirect_dir: bool) -> Mount {
        Mount {
            lowers,
            upper: writable.then(SortedMap::new),
            redirect_dir,
        }
    }

    /// The lower layers, top first.
    pub fn lowers(&self) -> &[Arc<Layer>] {
        &self.lowers
    }

    /// The upper layer's entries, `None` for a read-only mount.
    pub fn upper(&self) -> Option<&SortedMap<String, Entry>> {
        self.upper.as_ref()
    }

    /// Whether the redirect_dir option is on.
    pub fn redirect_dir(&self) -> bool {
        self.redirect_dir
    }

    /// The name of a layer of this mount.
    pub fn label(&self, origin: Origin) -> String {
        match origin {
            Origin::Upper => "upper".to_string(),
            Origin::Lower(i) => self
                .lowers
                .get(i)
                .map_or_else(|| format!("lower {i}"), |l| l.name().to_string()),
        }
    }

    pub(super) fn layer(&self, origin: Origin) -> Option<&SortedMap<String, Entry>> {
        match origin {
            Origin::Upper => self.upper.as_ref(),
            Origin::Lower(i) => self.lowers.get(i).map(|l| l.entries()),
        }
    }

    /// The entry at `key` inside one layer.
    pub fn entry_at(&self, origin: Origin, key: &str) -> Option<&Entry> {
        self.layer(origin).and_then(|m| m.get(key))
    }

    pub(super) fn root(&self) -> Vec<(Origin, String)> {
        self.origins().map(|o| (o, "/".to_string())).collect()
    }

    /// Resolves `name` inside a directory merged from `dir_layers`: the first
    /// layer that has it wins; directories below a directory merge until an
    /// opaque one; a whiteout or non-directory ends the search.
    pub(super) fn resolve_child(&self, dir_layers: &[(Origin, String)], name: &str) -> Resolved {
        let mut merged: Vec<(Origin, String)> = Vec::new();
        // Where to look next: each layer with the path of the name inside it.
        let mut candidates: Vec<(Origin, String)> = dir_layers
            .iter()
            .map(|(origin, dir)| (*origin, join(dir, name)))
            .collect();
        let mut next = 0;
        while let Some((origin, key)) = candidates.get(next).cloned() {
            next += 1;
            match self.entry_at(origin, &key) {
                None => continue,
                Some(Entry::Whiteout) => break,
                Some(Entry::Dir {
                    opaque, redirect, ..
                }) => {
                    merged.push((origin, key));
                    if *opaque {
                        break;
                    }
                    if let Some(target) = redirect {
                        // An absolute redirect is looked up from the root of
                        // the layers below (stopping where they would); a
                        // relative one replaces only the name in the same
                        // directory.
                        let below: Vec<(Origin, String)> = if target.starts_with('/') {
                            let stack = self
                                .origins()
                                .filter(|o| *o > origin)
                                .map(|o| (o, "/".to_string()))
                                .collect();
                            match self.resolve_in(stack, target) {
                                Resolved::Dir { layers } => layers,
                                _ => Vec::new(),
                            }
                        } else {
                            candidates
                                .iter()
                                .skip(next)
                                .map(|(o, k)| (*o, join(parent(k), target)))
                                .collect()
                        };
                        candidates.truncate(next);
                        candidates.extend(below);
                    }
                }
                Some(_) => {
                    if merged.is_empty() {
                        return Resolved::NonDir { origin, key };
                    }
                    break;
                }
            }
        }
        if merged.is_empty() {
            Resolved::Missing
        } else {
            Resolved::Dir { layers: merged }
        }
    }

    /// Every layer of the mount, top first.
    fn origins(&self) -> impl Iterator<Item = Origin> {
        self.upper
            .is_some()
            .then_some(Origin::Upper)
            .into_iter()
            .chain((0..self.lowers.len()).map(Origin::Lower))
    }

    /// Resolves a path of the merged view.
    pub fn resolve(&self, path: &str) -> Resolved {
        self.resolve_in(self.root(), path)
    }

    /// Resolves `path` from the root of the layers in `stack` only.
    fn resolve_in(&self, stack: Vec<(Origin, String)>, path: &str) -> Resolved {
        let mut current = Resolved::Dir { layers: stack };
        for component in path.split('/').filter(|c| !c.is_empty()) {
            current = match current {
                Resolved::Dir { layers } => self.resolve_child(&layers, component),
                _ => return Resolved::Missing,
            };
        }
        current
    }

    /// The entry a resolution points at (the top one for a directory).
    pub(super) fn top_entry(&self, resolved: &Resolved) -> Option<(Origin, &Entry)> {
        match resolved {
            Resolved::Missing => None,
            Resolved::NonDir { origin, key } => self.entry_at(*origin, key).map(|e| (*origin, e)),
            Resolved::Dir { layers } => layers
                .first()
                .and_then(|(o, k)| self.entry_at(*o, k).map(|e| (*o, e))),
        }
    }

    /// The merged view: every visible path with its entry and provenance.
    pub fn merged_view(&self) -> SortedMap<String, Shown> {
        let mut out = SortedMap::new();
        self.walk("/", &self.root(), &mut out);
        out
    }

    fn walk(&self, dir: &str, layers: &[(Origin, String)], out: &mut SortedMap<String, Shown>) {
        for (name, resolved, shown) in self.entries_of(layers) {
            let path = join(dir, name);
            out.insert(path.clone(), shown);
            if let Resolved::Dir { layers } = resolved {
                self.walk(&path, &layers, out);
            }
        }
    }

    /// The visible entries of a directory merged from `layers`, by name,
    /// each with its resolution and how the merged view shows it.
    fn entries_of<'a>(
        &'a self,
        layers: &'a [(Origin, String)],
    ) -> impl Iterator<Item = (&'a str, Resolved, Shown)> + 'a {
        let names: SortedSet<&str> = layers
            .iter()
            .filter_map(|(o, k)| self.layer(*o).map(|m| children(m, k)))
            .flatten()
            .collect();
        names.into_iter().filter_map(move |name| {
            let resolved = self.resolve_child(layers, name);
            let (origin, entry) = self.top_entry(&resolved)?;
            let merged_from = match &resolved {
                Resolved::Dir { layers } => layers.iter().map(|(o, _)| self.label(*o)).collect(),
                _ => Vec::new(),
            };
            let shown = Shown {
                entry: entry.clone(),
                from: self.label(origin),
                merged_from,
            };
            Some((name, resolved, shown))
        })
    }

    /// The directory `dir` (`/` for the root) as `ls` shows it: each visible
    /// name with its entry and the layer it comes from, or `None` when `dir`
    /// is not a directory of the merged view.
    pub fn listing(&self, dir: &str) -> Option<Vec<(String, Shown)>> {
        let layers = if dir == "/" {
            self.root()
        } else {
            match self.resolve(dir) {
                Resolved::Dir { layers } => layers,
                _ => return None,
            }
        };
        Some(
            self.entries_of(&layers)
                .map(|(name, _, shown)| (name.to_string(), shown))
                .collect(),
        )
    }

    /// The upper layer's entries (none for a read-only mount), by path, each
    /// saying whether it stands over a lower name.
    pub fn upper_entries(&self) -> Vec<UpperEntry<'_>> {
        self.upper
            .iter()
            .flatten()
            .map(|(path, entry)| UpperEntry {
                path,
                entry,
                over_lower: self.lower_has(path),
            })
            .collect()
    }

    /// Every path worth a column in a drawing of the mount's layers: each
    /// path where some layer has an entry other than a plain directory (a
    /// file, a link, a whiteout, an opaque or redirected directory), and
    /// each non-directory the merged view shows; sorted.
    pub fn notable_paths(&self) -> Vec<String> {
        let mut paths: SortedSet<String> = self
            .origins()
            .filter_map(|o| self.layer(o))
            .flatten()
            .filter(|(_, e)| !e.is_plain_dir())
            .map(|(p, _)| p.clone())
            .collect();
        paths.extend(
            self.merged_view()
                .into_iter()
                .filter(|(_, shown)| !shown.entry.is_plain_dir())
                .map(|(p, _)| p),
        );
        paths.into_iter().collect()
    }

    /// Whether a lower layer would show `path` if upper had no entry at it.
    pub fn lower_has(&self, path: &str) -> bool {
        let Resolved::Dir { layers } = self.resolve(parent(path)) else {
            return false;
        };
        // The parent's lower entries already carry any redirect of the upper directory.
        let lowers: Vec<(Origin, String)> = layers
            .into_iter()
            .filter(|(o, _)| *o != Origin::Upper)
            .collect();
        self.resolve_child(&lowers, base_name(path)) != Resolved::Missing
    }

    /// Applies one edit to the upper layer (no-op on a read-only mount).
    pub fn apply(&mut self, edit: &Edit) {
        let Some(upper) = self.upper.as_mut() else {
            return;
        };
        match edit {
            Edit::None => {}
            Edit::Put(path, entry) => {
                upper.insert(path.clone(), entry.clone());
            }
            Edit::Remove(path) => upper.retain(|k, _| !is_within(k, path)),
            Edit::Replace(path, entry) => {
                upper.retain(|k, _| !is_within(k, path));
                upper.insert(path.clone(), entry.clone());
            }
            Edit::Move { from, to, root } => {
                let moved: Vec<(String, Entry)> = upper
                    .iter()
                    .filter(|(k, _)| is_within(k, from))
                    .map(|(k, e)| (format!("{to}{}", &k[from.len()..]), e.clone()))
                    .collect();
                upper.retain(|k, _| !is_within(k, from) && !is_within(k, to));
                upper.extend(moved);
                if let Some(entry) = root {
                    upper.insert(to.clone(), entry.clone());
                }
                for entry in upper.values_mut() {
                    if let Entry::HardLink { target } = entry {
                        if is_within(target, from) {
                            *target = format!("{to}{}", &target[from.len()..]);
                        }
                    }
                }
            }
        }
    }

    /// The file at a non-directory, following a hard link in its layer:
    /// the path that holds the data, and the file entry.
    pub(super) fn file_at(&self, origin: Origin, key: &str) -> Option<(String, Entry)> {
        match self.entry_at(origin, key)? {
            file @ Entry::File { .. } => Some((key.to_string(), file.clone())),
            Entry::HardLink { target } => match self.entry_at(origin, target)? {
                file @ Entry::File { .. } => Some((target.clone(), file.clone())),
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether a directory merged from `layers` shows no entries.
    pub(super) fn is_empty_dir(&self, layers: &[(Origin, String)]) -> bool {
        layers
            .iter()
            .filter_map(|(o, k)| self.layer(*o).map(|m| children(m, k)))
            .flatten()
            .all(|name| self.resolve_child(layers, name) == Resolved::Missing)
    }
}
