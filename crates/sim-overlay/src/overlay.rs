//! An overlay mount: read-only lower layers, an optional upper layer, and the
//! merged view the kernel shows at the mount point.
//!
//! Contract: lowers are `Arc<Layer>` and are only ever read; every change goes
//! to the upper map through [`Mount::apply`]. An operation is planned on a
//! scratch copy ([`Mount::plan`]) as a list of [`MountStep`]s, each carrying
//! one [`Edit`]; applying those edits in order to the real mount yields the
//! same upper layer, one step at a time.

use crate::layer::{
    ancestors, base_name, children, is_within, join, parent, xattr_list, Entry, Layer, Xattrs,
};
use crate::layer::{DIR_MODE, FILE_MODE};
use crate::rules;
use serde::Serialize;
use sim_core::Rule;
use std::collections::{BTreeMap, BTreeSet};
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

/// One step of a file operation: what happened, why, and the edit it makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountStep {
    /// The path in the merged view the step is about.
    pub path: String,
    /// Machine-readable kind, e.g. `copy-up`.
    pub kind: &'static str,
    /// One sentence saying what happened.
    pub detail: String,
    /// The rule that produced it.
    pub rule: Rule,
    /// The change to the upper layer.
    pub edit: Edit,
}

/// The data a write or append brings: text and its size in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Data {
    /// Text shown by `cat`.
    pub text: String,
    /// Size in bytes.
    pub size: u64,
}

/// A file operation on the merged view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileOp {
    /// `cat path`.
    Read(String),
    /// `ls path`.
    List(String),
    /// `echo data > path`.
    Write(String, Data),
    /// `echo data >> path`.
    Append(String, Data),
    /// `chmod mode path`.
    Chmod(String, u32),
    /// `setfattr -n name -v value path`: sets one extended attribute.
    SetXattr {
        /// The path in the merged view.
        path: String,
        /// The attribute's name, e.g. `user.note`.
        name: String,
        /// Its new value.
        value: String,
    },
    /// `rm -r path`.
    Delete(String),
    /// `mkdir path`.
    Mkdir(String),
    /// `mv from to`.
    Rename(String, String),
    /// `ln existing new`.
    Link(String, String),
}

/// One entry of the merged view with the layer it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shown {
    /// The entry as the topmost layer has it.
    pub entry: Entry,
    /// The layer it comes from (`upper` or a lower layer's name).
    pub from: String,
    /// For directories: every layer whose listing is merged in, top first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub merged_from: Vec<String>,
}

/// An overlay mount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    lowers: Vec<Arc<Layer>>,
    upper: Option<BTreeMap<String, Entry>>,
    redirect_dir: bool,
}

impl Mount {
    /// A mount of `lowers` (top first, as in `lowerdir=`), writable when
    /// `writable` (upperdir and workdir given), with the redirect_dir option.
    pub fn new(lowers: Vec<Arc<Layer>>, writable: bool, redirect_dir: bool) -> Mount {
        Mount {
            lowers,
            upper: writable.then(BTreeMap::new),
            redirect_dir,
        }
    }

    /// The lower layers, top first.
    pub fn lowers(&self) -> &[Arc<Layer>] {
        &self.lowers
    }

    /// The upper layer's entries, `None` for a read-only mount.
    pub fn upper(&self) -> Option<&BTreeMap<String, Entry>> {
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

    fn layer(&self, origin: Origin) -> Option<&BTreeMap<String, Entry>> {
        match origin {
            Origin::Upper => self.upper.as_ref(),
            Origin::Lower(i) => self.lowers.get(i).map(|l| l.entries()),
        }
    }

    /// The entry at `key` inside one layer.
    pub fn entry_at(&self, origin: Origin, key: &str) -> Option<&Entry> {
        self.layer(origin).and_then(|m| m.get(key))
    }

    fn root(&self) -> Vec<(Origin, String)> {
        self.origins().map(|o| (o, "/".to_string())).collect()
    }

    /// Resolves `name` inside a directory merged from `dir_layers`: the first
    /// layer that has it wins; directories below a directory merge until an
    /// opaque one; a whiteout or non-directory ends the search.
    fn resolve_child(&self, dir_layers: &[(Origin, String)], name: &str) -> Resolved {
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
    fn top_entry(&self, resolved: &Resolved) -> Option<(Origin, &Entry)> {
        match resolved {
            Resolved::Missing => None,
            Resolved::NonDir { origin, key } => self.entry_at(*origin, key).map(|e| (*origin, e)),
            Resolved::Dir { layers } => layers
                .first()
                .and_then(|(o, k)| self.entry_at(*o, k).map(|e| (*o, e))),
        }
    }

    /// The merged view: every visible path with its entry and provenance.
    pub fn merged_view(&self) -> BTreeMap<String, Shown> {
        let mut out = BTreeMap::new();
        self.walk("/", &self.root(), &mut out);
        out
    }

    fn walk(&self, dir: &str, layers: &[(Origin, String)], out: &mut BTreeMap<String, Shown>) {
        let names: BTreeSet<&str> = layers
            .iter()
            .filter_map(|(o, k)| self.layer(*o).map(|m| children(m, k)))
            .flatten()
            .collect();
        for name in names {
            let path = join(dir, name);
            let resolved = self.resolve_child(layers, name);
            let Some((origin, entry)) = self.top_entry(&resolved) else {
                continue;
            };
            let merged_from = match &resolved {
                Resolved::Dir { layers } => layers.iter().map(|(o, _)| self.label(*o)).collect(),
                _ => Vec::new(),
            };
            out.insert(
                path.clone(),
                Shown {
                    entry: entry.clone(),
                    from: self.label(origin),
                    merged_from,
                },
            );
            if let Resolved::Dir { layers } = resolved {
                self.walk(&path, &layers, out);
            }
        }
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

    /// Plans `op`, applies its steps to `self` in order, and returns them.
    pub fn perform(&mut self, op: &FileOp) -> Vec<MountStep> {
        let steps = self.plan(op);
        for step in &steps {
            self.apply(&step.edit);
        }
        steps
    }

    /// Plans `op` as the steps the kernel takes, without changing `self`.
    pub fn plan(&self, op: &FileOp) -> Vec<MountStep> {
        let mut run = Run {
            mount: self.clone(),
            steps: Vec::new(),
        };
        run.perform(op);
        run.steps
    }
}

/// A metadata change: new permission bits, or one extended attribute.
enum Metadata<'a> {
    Mode(u32),
    Xattr(&'a String, &'a String),
}

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

/// A scratch mount that records each step it takes.
struct Run {
    mount: Mount,
    steps: Vec<MountStep>,
}

impl Run {
    fn emit(&mut self, path: &str, kind: &'static str, detail: String, rule: Rule, edit: Edit) {
        self.mount.apply(&edit);
        self.steps.push(MountStep {
            path: path.to_string(),
            kind,
            detail,
            rule,
            edit,
        });
    }

    fn fail(&mut self, path: &str, errno: &str, why: &str, rule: Rule) {
        self.emit(
            path,
            "error",
            format!("fails with {errno}: {why}"),
            rule,
            Edit::None,
        );
    }

    fn perform(&mut self, op: &FileOp) {
        let path = match op {
            FileOp::Read(p) | FileOp::List(p) => p,
            FileOp::Write(p, _)
            | FileOp::Append(p, _)
            | FileOp::Chmod(p, _)
            | FileOp::SetXattr { path: p, .. }
            | FileOp::Delete(p)
            | FileOp::Mkdir(p)
            | FileOp::Rename(p, _)
            | FileOp::Link(p, _) => {
                if self.mount.upper.is_none() {
                    self.fail(
                        p,
                        "EROFS",
                        "the mount has no upperdir, so it is read-only",
                        rules::MOUNT_READ_ONLY,
                    );
                    return;
                }
                p
            }
        };
        let path = path.clone();
        match op {
            FileOp::Read(_) => self.read(&path),
            FileOp::List(_) => self.list(&path),
            FileOp::Write(_, data) => self.write(&path, data, false),
            FileOp::Append(_, data) => self.write(&path, data, true),
            FileOp::Chmod(_, mode) => self.change_metadata(&path, &Metadata::Mode(*mode)),
            FileOp::SetXattr { name, value, .. } => {
                self.change_metadata(&path, &Metadata::Xattr(name, value))
            }
            FileOp::Delete(_) => self.delete(&path),
            FileOp::Mkdir(_) => self.mkdir(&path),
            FileOp::Rename(_, to) => self.rename(&path, to),
            FileOp::Link(_, new) => self.link(&path, new),
        }
    }

    /// The file at a non-directory, following a hard link in its layer:
    /// the path that holds the data, and the file entry.
    fn file_at(&self, origin: Origin, key: &str) -> Option<(String, Entry)> {
        match self.mount.entry_at(origin, key)? {
            file @ Entry::File { .. } => Some((key.to_string(), file.clone())),
            Entry::HardLink { target } => match self.mount.entry_at(origin, target)? {
                file @ Entry::File { .. } => Some((target.clone(), file.clone())),
                _ => None,
            },
            _ => None,
        }
    }

    fn read(&mut self, path: &str) {
        match self.mount.resolve(path) {
            Resolved::Missing => {
                self.fail(path, "ENOENT", "no layer shows it", rules::NO_SUCH_PATH)
            }
            Resolved::Dir { .. } => {
                self.fail(path, "EISDIR", "it is a directory", rules::WRONG_KIND)
            }
            Resolved::NonDir { origin, key } => {
                let Some((_, Entry::File { size, content, .. })) = self.file_at(origin, &key)
                else {
                    return;
                };
                let from = self.mount.label(origin);
                let hidden: Vec<String> = (0..self.mount.lowers.len())
                    .map(Origin::Lower)
                    .filter(|o| *o > origin && self.mount.entry_at(*o, &key).is_some())
                    .map(|o| self.mount.label(o))
                    .collect();
                if hidden.is_empty() {
                    self.emit(
                        path,
                        "read",
                        format!("reads {content:?} ({size} bytes) from {from}"),
                        rules::READ,
                        Edit::None,
                    );
                } else {
                    self.emit(
                        path,
                        "read",
                        format!(
                            "reads {content:?} ({size} bytes) from {from}, which hides the same name in {}",
                            hidden.join(", ")
                        ),
                        rules::NON_DIR_HIDES,
                        Edit::None,
                    );
                }
            }
        }
    }

    fn list(&mut self, path: &str) {
        let resolved = if path == "/" {
            Resolved::Dir {
                layers: self.mount.root(),
            }
        } else {
            self.mount.resolve(path)
        };
        match resolved {
            Resolved::Missing => {
                self.fail(path, "ENOENT", "no layer shows it", rules::NO_SUCH_PATH)
            }
            Resolved::NonDir { .. } => {
                self.fail(path, "ENOTDIR", "it is not a directory", rules::WRONG_KIND)
            }
            Resolved::Dir { layers } => {
                let names: BTreeSet<&str> = layers
                    .iter()
                    .filter_map(|(o, k)| self.mount.layer(*o).map(|m| children(m, k)))
                    .flatten()
                    .collect();
                let mut shown = Vec::new();
                for name in names {
                    let child = self.mount.resolve_child(&layers, name);
                    if let Some((origin, _)) = self.mount.top_entry(&child) {
                        shown.push(format!("{name} ({})", self.mount.label(origin)));
                    }
                }
                let from: Vec<String> = layers.iter().map(|(o, _)| self.mount.label(*o)).collect();
                // Whiteouts of the merged layers, each hiding its name below.
                let whiteouts: Vec<String> = layers
                    .iter()
                    .filter_map(|(o, k)| {
                        let m = self.mount.layer(*o)?;
                        let names: Vec<String> = children(m, k)
                            .into_iter()
                            .filter(|n| m.get(&join(k, n)) == Some(&Entry::Whiteout))
                            .map(|n| {
                                let label = self.mount.label(*o);
                                format!("; the whiteout for {n} in {label} hides it only in the layers below {label}")
                            })
                            .collect();
                        Some(names)
                    })
                    .flatten()
                    .collect();
                let (rule, hidden) = if !whiteouts.is_empty() {
                    (rules::WHITEOUT_OWN_LAYER, whiteouts.concat())
                } else if layers.len() > 1 {
                    (rules::DIR_MERGE, String::new())
                } else {
                    (rules::LOOKUP, String::new())
                };
                self.emit(
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

    /// Copies up every ancestor directory of `path` that upper lacks.
    fn copy_up_parents(&mut self, path: &str) {
        for dir in ancestors(path) {
            if matches!(
                self.mount.entry_at(Origin::Upper, dir),
                Some(Entry::Dir { .. })
            ) {
                continue;
            }
            let resolved = self.mount.resolve(dir);
            let Some((origin, Entry::Dir { mode, xattrs, .. })) = self.mount.top_entry(&resolved)
            else {
                continue;
            };
            let (mode, xattrs, from) = (*mode, xattrs.clone(), self.mount.label(origin));
            self.emit(
                dir,
                "copy-up-parent",
                format!(
                    "copies up parent directory {dir} from {from}, keeping mode {mode:04o} and xattrs ({})",
                    xattr_list(&xattrs)
                ),
                rules::COPY_UP_PARENT,
                Edit::Put(dir.to_string(), upper_dir(mode, xattrs)),
            );
        }
    }

    /// Copies up a lower entry (after its parents); no-op if it is in upper.
    fn copy_up(&mut self, path: &str, rule: Rule) {
        let resolved = self.mount.resolve(path);
        let Some((origin, entry)) = self.mount.top_entry(&resolved) else {
            return;
        };
        if origin == Origin::Upper {
            return;
        }
        let from = self.mount.label(origin);
        let entry = entry.clone();
        self.copy_up_parents(path);
        match (entry, &resolved) {
            (Entry::Dir { mode, xattrs, .. }, _) => self.emit(
                path,
                "copy-up",
                format!(
                    "copies up directory {path} from {from} as an empty directory with mode {mode:04o} and xattrs ({}); its contents stay in the lower layers and merge",
                    xattr_list(&xattrs)
                ),
                rules::COPY_UP_DIR,
                Edit::Put(path.to_string(), upper_dir(mode, xattrs)),
            ),
            (_, Resolved::NonDir { origin, key }) => {
                let Some((_, file @ Entry::File { size, .. })) = self.file_at(*origin, key) else {
                    return;
                };
                let xattrs = file.xattrs().map(xattr_list).unwrap_or_default();
                self.emit(
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

    fn parent_is_dir(&mut self, path: &str) -> bool {
        let dir = parent(path);
        if dir == "/" || matches!(self.mount.resolve(dir), Resolved::Dir { .. }) {
            return true;
        }
        self.fail(
            path,
            "ENOENT",
            &format!("its parent {dir} is not a directory in the merged view"),
            rules::NO_SUCH_PATH,
        );
        false
    }

    fn write(&mut self, path: &str, data: &Data, append: bool) {
        let verb = if append { "appends" } else { "writes" };
        match self.mount.resolve(path) {
            Resolved::Dir { .. } => {
                self.fail(path, "EISDIR", "it is a directory", rules::WRONG_KIND)
            }
            Resolved::Missing => {
                if !self.parent_is_dir(path) {
                    return;
                }
                self.copy_up_parents(path);
                self.emit(
                    path,
                    "create",
                    format!("creates {path} in upper and {verb} {} bytes", data.size),
                    rules::CREATE_IN_UPPER,
                    Edit::Put(
                        path.to_string(),
                        Entry::File {
                            mode: FILE_MODE,
                            size: data.size,
                            content: data.text.clone(),
                            xattrs: Xattrs::new(),
                        },
                    ),
                );
            }
            Resolved::NonDir { origin, .. } => {
                if origin != Origin::Upper {
                    self.copy_up(path, rules::COPY_UP_FILE);
                }
                let Some((
                    target,
                    Entry::File {
                        mode,
                        size,
                        content,
                        xattrs,
                    },
                )) = self.file_at(Origin::Upper, path)
                else {
                    return;
                };
                let (size, content) = if append {
                    (size.saturating_add(data.size), content + &data.text)
                } else {
                    (data.size, data.text.clone())
                };
                self.emit(
                    path,
                    if append { "append" } else { "write" },
                    format!(
                        "{verb} {} bytes to the upper copy, now {size} bytes",
                        data.size
                    ),
                    rules::UPPER_CHANGE,
                    Edit::Put(
                        target,
                        Entry::File {
                            mode,
                            size,
                            content,
                            xattrs,
                        },
                    ),
                );
            }
        }
    }

    /// A metadata change (mode or xattr): copies a lower entry up first.
    fn change_metadata(&mut self, path: &str, change: &Metadata) {
        let resolved = self.mount.resolve(path);
        if resolved == Resolved::Missing {
            self.fail(path, "ENOENT", "no layer shows it", rules::NO_SUCH_PATH);
            return;
        }
        self.copy_up(path, rules::COPY_UP_FILE);
        let (key, entry) = match self.mount.entry_at(Origin::Upper, path) {
            Some(Entry::HardLink { target }) => {
                let target = target.clone();
                let entry = self.mount.entry_at(Origin::Upper, &target).cloned();
                (target, entry)
            }
            other => (path.to_string(), other.cloned()),
        };
        let Some(mut changed) = entry.filter(|e| e.xattrs().is_some()) else {
            return;
        };
        let (kind, detail) = match (change, &mut changed) {
            (Metadata::Mode(new), Entry::File { mode, .. } | Entry::Dir { mode, .. }) => {
                *mode = *new;
                ("chmod", format!("sets mode {new:04o} on the upper copy"))
            }
            (
                Metadata::Xattr(name, value),
                Entry::File { xattrs, .. } | Entry::Dir { xattrs, .. },
            ) => {
                xattrs.insert((*name).clone(), (*value).clone());
                (
                    "setxattr",
                    format!("sets xattr {name}={value} on the upper copy"),
                )
            }
            _ => return,
        };
        self.emit(
            path,
            kind,
            detail,
            rules::UPPER_CHANGE,
            Edit::Put(key, changed),
        );
    }

    fn delete(&mut self, path: &str) {
        match self.mount.resolve(path) {
            Resolved::Missing => {
                self.fail(path, "ENOENT", "no layer shows it", rules::NO_SUCH_PATH)
            }
            Resolved::Dir { layers } => {
                let names: BTreeSet<String> = layers
                    .iter()
                    .filter_map(|(o, k)| self.mount.layer(*o).map(|m| children(m, k)))
                    .flatten()
                    .map(str::to_string)
                    .collect();
                for name in names {
                    let child = join(path, &name);
                    if self.mount.resolve(&child) != Resolved::Missing {
                        self.delete(&child);
                    }
                }
                let in_upper = self.mount.entry_at(Origin::Upper, path).is_some();
                match (in_upper, self.mount.lower_has(path)) {
                    (true, true) => self.emit(
                        path,
                        "whiteout",
                        format!(
                            "removes the upper copy of {path} and leaves one whiteout (char 0/0)"
                        ),
                        rules::RMDIR_WHITEOUT,
                        Edit::Replace(path.to_string(), Entry::Whiteout),
                    ),
                    (true, false) => self.emit(
                        path,
                        "remove",
                        format!("removes directory {path} from upper"),
                        rules::REMOVE_FROM_UPPER,
                        Edit::Remove(path.to_string()),
                    ),
                    (false, _) => self.whiteout(path),
                }
            }
            Resolved::NonDir { origin, .. } => {
                if origin == Origin::Upper {
                    self.keep_hard_links(path);
                    if self.mount.lower_has(path) {
                        self.emit(
                            path,
                            "whiteout",
                            format!("replaces the upper {path} by a whiteout (char 0/0), since a lower layer has it too"),
                            rules::WHITEOUT,
                            Edit::Replace(path.to_string(), Entry::Whiteout),
                        );
                    } else {
                        self.emit(
                            path,
                            "remove",
                            format!("removes {path} from upper"),
                            rules::REMOVE_FROM_UPPER,
                            Edit::Remove(path.to_string()),
                        );
                    }
                } else {
                    self.whiteout(path);
                }
            }
        }
    }

    fn whiteout(&mut self, path: &str) {
        self.copy_up_parents(path);
        self.emit(
            path,
            "whiteout",
            format!("creates a whiteout (char 0/0) for {path} in upper; the lower layers keep their copy"),
            rules::WHITEOUT,
            Edit::Put(path.to_string(), Entry::Whiteout),
        );
    }

    /// Hides the old name of a rename that a lower layer still has.
    fn rename_whiteout(&mut self, from: &str, to: &str) {
        self.emit(
            from,
            "whiteout",
            format!("leaves a whiteout (char 0/0) at the old name {from}, since a lower layer still has it and it now lives at {to}"),
            rules::RENAME_WHITEOUT,
            Edit::Put(from.to_string(), Entry::Whiteout),
        );
    }

    /// Before an upper file is removed, its first other name takes its data.
    fn keep_hard_links(&mut self, path: &str) {
        let Some(Entry::File { .. }) = self.mount.entry_at(Origin::Upper, path) else {
            return;
        };
        let links: Vec<String> = self
            .mount
            .upper
            .iter()
            .flatten()
            .filter(|(_, e)| matches!(e, Entry::HardLink { target } if target == path))
            .map(|(k, _)| k.clone())
            .collect();
        let Some((heir, others)) = links.split_first() else {
            return;
        };
        let Some(data) = self.mount.entry_at(Origin::Upper, path).cloned() else {
            return;
        };
        self.emit(
            heir,
            "link-keeps-data",
            format!("{heir} is another name of {path}, so it keeps the data"),
            rules::UPPER_CHANGE,
            Edit::Put(heir.clone(), data),
        );
        for other in others {
            self.emit(
                other,
                "link-retarget",
                format!("{other} now links to {heir}"),
                rules::UPPER_CHANGE,
                Edit::Put(
                    other.clone(),
                    Entry::HardLink {
                        target: heir.clone(),
                    },
                ),
            );
        }
    }

    fn mkdir(&mut self, path: &str) {
        if self.mount.resolve(path) != Resolved::Missing {
            self.fail(path, "EEXIST", "the name already exists", rules::WRONG_KIND);
            return;
        }
        if !self.parent_is_dir(path) {
            return;
        }
        self.copy_up_parents(path);
        if self.mount.entry_at(Origin::Upper, path) == Some(&Entry::Whiteout) {
            self.emit(
                path,
                "opaque-dir",
                format!("replaces the whiteout by an opaque directory {path} (trusted.overlay.opaque=y), hiding the lower contents"),
                rules::OPAQUE_DIR,
                Edit::Put(
                    path.to_string(),
                    Entry::Dir {
                        mode: DIR_MODE,
                        opaque: true,
                        redirect: None,
                        xattrs: Xattrs::new(),
                    },
                ),
            );
        } else {
            self.emit(
                path,
                "create",
                format!("creates directory {path} in upper"),
                rules::CREATE_IN_UPPER,
                Edit::Put(path.to_string(), Entry::dir(DIR_MODE)),
            );
        }
    }

    fn rename(&mut self, from: &str, to: &str) {
        let source = self.mount.resolve(from);
        if source == Resolved::Missing {
            self.fail(from, "ENOENT", "no layer shows it", rules::NO_SUCH_PATH);
            return;
        }
        if is_within(to, from) {
            self.fail(
                from,
                "EINVAL",
                &format!("{to} lies inside {from}"),
                rules::WRONG_KIND,
            );
            return;
        }
        if !self.parent_is_dir(to) {
            return;
        }
        let target = self.mount.resolve(to);
        match (&source, &target) {
            (Resolved::NonDir { .. }, Resolved::Dir { .. }) => {
                self.fail(
                    from,
                    "EISDIR",
                    &format!("{to} is a directory"),
                    rules::WRONG_KIND,
                );
                return;
            }
            (Resolved::Dir { .. }, Resolved::NonDir { .. }) => {
                self.fail(
                    from,
                    "ENOTDIR",
                    &format!("{to} is not a directory"),
                    rules::WRONG_KIND,
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
                if lower_path.is_some() && !self.mount.redirect_dir {
                    self.fail(
                        from,
                        "EXDEV",
                        "it is a directory from a lower layer and redirect_dir is off (mv then falls back to copying)",
                        rules::RENAME_EXDEV,
                    );
                    return;
                }
                if let Resolved::Dir { layers } = &target {
                    if !self.is_empty_dir(layers) {
                        self.fail(
                            from,
                            "ENOTEMPTY",
                            &format!("{to} is a directory that is not empty"),
                            rules::WRONG_KIND,
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
                        self.copy_up(from, rules::COPY_UP_FILE);
                        self.copy_up_parents(to);
                        let (mode, xattrs) = match self.mount.entry_at(Origin::Upper, from) {
                            Some(Entry::Dir { mode, xattrs, .. }) => (*mode, xattrs.clone()),
                            _ => (DIR_MODE, Xattrs::new()),
                        };
                        self.emit(
                            to,
                            "redirect",
                            format!("moves the upper directory {from} to {to}{replacing} and sets trusted.overlay.redirect={redirect}"),
                            rules::RENAME_REDIRECT,
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
                        self.rename_whiteout(from, to);
                    }
                    None => {
                        self.copy_up_parents(to);
                        let opaque = match self.mount.entry_at(Origin::Upper, from) {
                            Some(Entry::Dir { mode, xattrs, .. }) if self.mount.lower_has(to) => {
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
                                rules::RENAME_OPAQUE,
                            )
                        } else {
                            (
                                format!("moves the upper-only directory {from} to {to}{replacing}"),
                                rules::RENAME_IN_UPPER,
                            )
                        };
                        self.emit(
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
                self.copy_up(from, rules::COPY_UP_FILE);
                self.copy_up_parents(to);
                self.emit(
                    to,
                    "rename",
                    format!("moves the upper copy of {from} to {to}{replacing}"),
                    rules::RENAME_IN_UPPER,
                    Edit::Move {
                        from: from.to_string(),
                        to: to.to_string(),
                        root: None,
                    },
                );
                if self.mount.lower_has(from) {
                    self.rename_whiteout(from, to);
                }
            }
            Resolved::Missing => {}
        }
    }

    /// Whether a directory merged from `layers` shows no entries.
    fn is_empty_dir(&self, layers: &[(Origin, String)]) -> bool {
        layers
            .iter()
            .filter_map(|(o, k)| self.mount.layer(*o).map(|m| children(m, k)))
            .flatten()
            .all(|name| self.mount.resolve_child(layers, name) == Resolved::Missing)
    }

    fn link(&mut self, existing: &str, new: &str) {
        match self.mount.resolve(existing) {
            Resolved::Missing => {
                self.fail(existing, "ENOENT", "no layer shows it", rules::NO_SUCH_PATH)
            }
            Resolved::Dir { .. } => self.fail(
                existing,
                "EPERM",
                "directories cannot be hard-linked",
                rules::WRONG_KIND,
            ),
            Resolved::NonDir { origin, .. } => {
                if self.mount.resolve(new) != Resolved::Missing {
                    self.fail(
                        new,
                        "EEXIST",
                        "the new name already exists",
                        rules::WRONG_KIND,
                    );
                    return;
                }
                if !self.parent_is_dir(new) {
                    return;
                }
                if origin != Origin::Upper {
                    self.copy_up(existing, rules::HARDLINK_COPY_UP);
                }
                let Some((target, ..)) = self.file_at(Origin::Upper, existing) else {
                    return;
                };
                self.copy_up_parents(new);
                self.emit(
                    new,
                    "link",
                    format!("creates {new} in upper as another name of the upper file {target}"),
                    rules::HARDLINK_COPY_UP,
                    Edit::Put(new.to_string(), Entry::HardLink { target }),
                );
            }
        }
    }
}
