//! Filesystem entries and immutable layers.
//!
//! Contract: a [`Layer`] cannot change once built (no `&mut` access exists),
//! so lower layers shared through `Arc` never change; its digest depends only
//! on its entries, so identical layers get the same digest. Paths are absolute,
//! normalized (`/a/b`), and every entry's parent directories are present.

use serde::{Deserialize, Serialize};
use sim_core::SortedMap;
use std::hash::Hasher;

/// Default mode of directories created implicitly.
pub const DIR_MODE: u32 = 0o755;
/// Default mode of files created without an explicit mode.
pub const FILE_MODE: u32 = 0o644;

/// Extended attributes of an entry: name (with its namespace, e.g.
/// `user.origin`) to value.
pub type Xattrs = SortedMap<String, String>;

/// One entry of a layer, at one path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Entry {
    /// A directory; `opaque` hides same-named directories below,
    /// `redirect` points lower lookups at another path.
    Dir {
        /// Permission bits.
        mode: u32,
        /// `trusted.overlay.opaque=y`.
        opaque: bool,
        /// `trusted.overlay.redirect`, the path lower layers are read at.
        redirect: Option<String>,
        /// Extended attributes other than overlayfs' own, name to value.
        xattrs: Xattrs,
    },
    /// A regular file with its bytes.
    File {
        /// Permission bits.
        mode: u32,
        /// Size in bytes.
        size: u64,
        /// The text shown by `cat` (may be empty when only a size is known).
        content: String,
        /// Extended attributes, name to value (e.g. `user.origin` = `base`).
        xattrs: Xattrs,
    },
    /// A second name for the file at `target` in the same layer.
    HardLink {
        /// The path of the file this name links to.
        target: String,
    },
    /// A whiteout: a character device 0/0 hiding the name in lower layers.
    Whiteout,
}

impl Entry {
    /// A plain directory with `mode`.
    pub fn dir(mode: u32) -> Entry {
        Entry::Dir {
            mode,
            opaque: false,
            redirect: None,
            xattrs: Xattrs::new(),
        }
    }

    /// A file holding `content`, its size being the content's length.
    pub fn text(content: &str, mode: u32) -> Entry {
        Entry::File {
            mode,
            size: content.len() as u64,
            content: content.to_string(),
            xattrs: Xattrs::new(),
        }
    }

    /// The same entry with extended attribute `name` set to `value`
    /// (whiteouts and hard links carry none and are returned unchanged).
    pub fn with_xattr(mut self, name: &str, value: &str) -> Entry {
        if let Entry::Dir { xattrs, .. } | Entry::File { xattrs, .. } = &mut self {
            xattrs.insert(name.to_string(), value.to_string());
        }
        self
    }

    /// The extended attributes of a file or directory (none for others).
    pub fn xattrs(&self) -> Option<&Xattrs> {
        match self {
            Entry::Dir { xattrs, .. } | Entry::File { xattrs, .. } => Some(xattrs),
            Entry::HardLink { .. } | Entry::Whiteout => None,
        }
    }

    /// Whether this is a directory without overlayfs' own marks (neither
    /// opaque nor redirected): one that only holds other names.
    pub fn is_plain_dir(&self) -> bool {
        matches!(
            self,
            Entry::Dir {
                opaque: false,
                redirect: None,
                ..
            }
        )
    }

    /// Whether this is a directory.
    pub fn is_dir(&self) -> bool {
        matches!(self, Entry::Dir { .. })
    }

    /// The bytes this entry stores in its layer.
    pub fn bytes(&self) -> u64 {
        match self {
            Entry::File { size, .. } => *size,
            _ => 0,
        }
    }

    /// A short name for the kind of entry, as `ls -l` would hint it.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Entry::Dir { opaque: true, .. } => "opaque directory",
            Entry::Dir { .. } => "directory",
            Entry::File { .. } => "file",
            Entry::HardLink { .. } => "hard link",
            Entry::Whiteout => "whiteout (char 0/0)",
        }
    }
}

/// Extended attributes as `name=value` pairs for a step detail, or `none`.
pub fn xattr_list(xattrs: &Xattrs) -> String {
    if xattrs.is_empty() {
        return "none".to_string();
    }
    xattrs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The parent of an absolute path (`/` for top-level names).
pub fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

/// The last component of a path.
pub fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// `dir` joined with `name`.
pub fn join(dir: &str, name: &str) -> String {
    if dir == "/" {
        format!("/{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// The strict ancestors of `path`, outermost first, without `/`.
pub fn ancestors(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut p = parent(path);
    while p != "/" {
        out.push(p);
        p = parent(p);
    }
    out.reverse();
    out
}

/// Whether `path` is `dir` itself or lies below it.
pub fn is_within(path: &str, dir: &str) -> bool {
    path == dir || (path.starts_with(dir) && path.as_bytes().get(dir.len()) == Some(&b'/'))
}

/// Checks that `path` is absolute and normalized; says what is wrong otherwise.
pub fn check_path(path: &str) -> Result<(), String> {
    if !path.starts_with('/') {
        return Err(format!("path `{path}` must be absolute (start with `/`)"));
    }
    if path == "/" {
        return Err("path `/` is the root itself; name an entry below it".to_string());
    }
    if path
        .split('/')
        .skip(1)
        .any(|c| c.is_empty() || c == "." || c == "..")
    {
        return Err(format!(
            "path `{path}` must be normalized: no empty, `.` or `..` components and no trailing `/`"
        ));
    }
    Ok(())
}

/// Checks an extended attribute name: a namespace prefix, and not one of
/// overlayfs' own `trusted.overlay.*` attributes; says what is wrong otherwise.
pub fn check_xattr_name(name: &str) -> Result<(), String> {
    const NAMESPACES: [&str; 4] = ["user.", "trusted.", "security.", "system."];
    let prefixed = NAMESPACES
        .iter()
        .any(|ns| name.len() > ns.len() && name.starts_with(ns));
    if !prefixed {
        return Err(format!("xattr name `{name}` needs a namespace: expected user.<name>, trusted.<name>, security.<name> or system.<name>"));
    }
    if name.starts_with("trusted.overlay.") {
        return Err(format!("xattr `{name}` is overlayfs' own: use `whiteouts`/`opaque` in layers, or mount options"));
    }
    Ok(())
}

/// The direct children names of `dir` among `entries`' keys.
pub fn children<'a>(entries: &'a SortedMap<String, Entry>, dir: &str) -> Vec<&'a str> {
    let prefix = if dir == "/" {
        "/".to_string()
    } else {
        format!("{dir}/")
    };
    entries
        .range_from(prefix.as_str())
        .take_while(|(k, _)| k.starts_with(&prefix))
        .map(|(k, _)| &k[prefix.len()..])
        .filter(|rest| !rest.contains('/'))
        .collect()
}

/// An image layer: read-only entries with a content digest.
///
/// It is stored (serialized) as its name and entries; the digest is computed
/// again when it is read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "LayerData", from = "LayerData")]
pub struct Layer {
    name: String,
    digest: String,
    entries: SortedMap<String, Entry>,
}

impl Layer {
    /// Freezes `entries` into a layer called `name` (e.g. the instruction that
    /// made it). Missing parent directories are added with [`DIR_MODE`].
    pub fn new(name: impl Into<String>, mut entries: SortedMap<String, Entry>) -> Layer {
        let paths: Vec<String> = entries.keys().cloned().collect();
        for path in &paths {
            for dir in ancestors(path) {
                entries.get_or_insert_with(dir.to_string(), || Entry::dir(DIR_MODE));
            }
        }
        let digest = digest_of(&entries);
        Layer {
            name: name.into(),
            digest,
            entries,
        }
    }

    /// What the layer is called in the figure.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The content digest, `fnv1a64:<16 hex digits>`.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// The entries, by path.
    pub fn entries(&self) -> &SortedMap<String, Entry> {
        &self.entries
    }

    /// Bytes stored in this layer (files only; whiteouts and dirs cost 0).
    pub fn bytes(&self) -> u64 {
        self.entries.values().map(Entry::bytes).sum()
    }

    /// How many regular files the layer holds.
    pub fn file_count(&self) -> usize {
        self.entries
            .values()
            .filter(|e| matches!(e, Entry::File { .. }))
            .count()
    }

    /// How many whiteouts the layer holds.
    pub fn whiteout_count(&self) -> usize {
        self.entries
            .values()
            .filter(|e| matches!(e, Entry::Whiteout))
            .count()
    }

    /// The layer as the member names of its image tar, whiteouts spelled
    /// `.wh.<name>` and opaque directories marked by `.wh..wh..opq`.
    pub fn tar_members(&self) -> Vec<String> {
        tar_members(&self.entries)
    }
}

/// How a [`Layer`] is stored: what it is called and its entries.
#[derive(Serialize, Deserialize)]
struct LayerData {
    name: String,
    entries: SortedMap<String, Entry>,
}

impl From<Layer> for LayerData {
    fn from(layer: Layer) -> LayerData {
        LayerData {
            name: layer.name,
            entries: layer.entries,
        }
    }
}

impl From<LayerData> for Layer {
    fn from(data: LayerData) -> Layer {
        Layer::new(data.name, data.entries)
    }
}

/// The image-tar member names for `entries` (see [`Layer::tar_members`]).
pub fn tar_members(entries: &SortedMap<String, Entry>) -> Vec<String> {
    let mut out = Vec::new();
    for (path, entry) in entries {
        let rel = path.trim_start_matches('/');
        match entry {
            Entry::Dir { opaque, .. } => {
                out.push(format!("{rel}/"));
                if *opaque {
                    out.push(format!("{rel}/.wh..wh..opq"));
                }
            }
            Entry::File { .. } => out.push(rel.to_string()),
            Entry::HardLink { target } => {
                out.push(format!("{rel} link to {}", target.trim_start_matches('/')))
            }
            Entry::Whiteout => {
                let dir = parent(path);
                let wh = join(dir, &format!(".wh.{}", base_name(path)));
                out.push(wh.trim_start_matches('/').to_string());
            }
        }
    }
    out
}

/// A deterministic digest of entries: FNV-1a 64 over a canonical encoding.
pub fn digest_of(entries: &SortedMap<String, Entry>) -> String {
    let mut h = fnv::FnvHasher::default();
    for (path, entry) in entries {
        h.write(path.as_bytes());
        h.write_u8(0);
        match entry {
            Entry::Dir {
                mode,
                opaque,
                redirect,
                xattrs,
            } => {
                h.write(b"d");
                h.write_u32(*mode);
                h.write_u8(u8::from(*opaque));
                h.write(redirect.as_deref().unwrap_or("").as_bytes());
                hash_xattrs(&mut h, xattrs);
            }
            Entry::File {
                mode,
                size,
                content,
                xattrs,
            } => {
                h.write(b"f");
                h.write_u32(*mode);
                h.write_u64(*size);
                h.write(content.as_bytes());
                hash_xattrs(&mut h, xattrs);
            }
            Entry::HardLink { target } => {
                h.write(b"l");
                h.write(target.as_bytes());
            }
            Entry::Whiteout => h.write(b"w"),
        }
        h.write_u8(0);
    }
    format!("fnv1a64:{:016x}", h.finish())
}

fn hash_xattrs(h: &mut fnv::FnvHasher, xattrs: &Xattrs) {
    for (name, value) in xattrs {
        h.write(name.as_bytes());
        h.write_u8(b'=');
        h.write(value.as_bytes());
        h.write_u8(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(files: &[(&str, Entry)]) -> Layer {
        Layer::new(
            "t",
            files
                .iter()
                .map(|(p, e)| (p.to_string(), e.clone()))
                .collect(),
        )
    }

    #[test]
    fn path_helpers() {
        assert_eq!(parent("/etc/a"), "/etc");
        assert_eq!(parent("/etc"), "/");
        assert_eq!(base_name("/etc/a"), "a");
        assert_eq!(ancestors("/a/b/c"), vec!["/a", "/a/b"]);
        assert!(is_within("/a/b", "/a") && is_within("/a", "/a") && !is_within("/ab", "/a"));
        assert!(check_path("etc").is_err());
        assert!(check_path("/etc/").is_err());
        assert!(check_path("/etc/../x").is_err());
        assert!(check_path("/etc/a").is_ok());
    }

    #[test]
    fn parents_are_added_and_digest_depends_only_on_content() {
        let a = layer(&[("/etc/a", Entry::text("v1", FILE_MODE))]);
        assert_eq!(a.entries().get("/etc"), Some(&Entry::dir(DIR_MODE)));
        let same = Layer::new("other name", a.entries().clone());
        assert_eq!(a.digest(), same.digest());
        let changed = layer(&[("/etc/a", Entry::text("v2", FILE_MODE))]);
        assert_ne!(a.digest(), changed.digest());
        let tagged = layer(&[(
            "/etc/a",
            Entry::text("v1", FILE_MODE).with_xattr("user.k", "v"),
        )]);
        assert_ne!(a.digest(), tagged.digest(), "xattrs are content");
    }

    #[test]
    fn tar_spells_whiteouts_and_opaque_dirs() {
        let l = layer(&[
            ("/etc/a", Entry::Whiteout),
            (
                "/var",
                Entry::Dir {
                    mode: DIR_MODE,
                    opaque: true,
                    redirect: None,
                    xattrs: Xattrs::new(),
                },
            ),
        ]);
        assert_eq!(
            l.tar_members(),
            vec!["etc/", "etc/.wh.a", "var/", "var/.wh..wh..opq"]
        );
        assert_eq!(l.bytes(), 0);
    }

    #[test]
    fn children_lists_direct_names_only() {
        let l = layer(&[
            ("/a/b/c", Entry::text("x", FILE_MODE)),
            ("/a/d", Entry::text("yy", FILE_MODE)),
        ]);
        assert_eq!(children(l.entries(), "/a"), vec!["b", "d"]);
        assert_eq!(children(l.entries(), "/"), vec!["a"]);
        assert_eq!(l.bytes(), 3);
    }
}
