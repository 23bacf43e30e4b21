//! The node's log directories: files with inodes, renames, gzip, symlinks.
//!
//! Contract: paths map to inodes; a rename keeps the inode (so a reader holding
//! it open keeps reading), gzip writes a new inode and removes the plain one.
//! An unlinked inode survives while a reader holds it open. Every listing is in
//! path order. Compressed size is a model, not real gzip:
//! `18 + ceil(plain bytes × gzip_percent / 100)` (18 bytes of gzip header and
//! trailer, and a fixed ratio set in the scenario).

use serde::Serialize;
use sim_core::SortedMap;

/// Bytes of a gzip member's header and trailer.
pub const GZIP_OVERHEAD: u64 = 18;

/// One file's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inode {
    /// The plain text (for a gzip file: the text it decompresses to).
    pub text: String,
    /// Bytes on disk.
    pub size: u64,
    /// Whether this is a gzip file.
    pub gzip: bool,
    /// The inode the text was first written to (kept through gzip).
    pub lineage: u64,
    /// Whether a reader holds it open.
    pub held_open: bool,
}

/// Log files and links of one node.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeFs {
    paths: SortedMap<String, u64>,
    inodes: SortedMap<u64, Inode>,
    symlinks: SortedMap<String, String>,
    next_inode: u64,
}

impl NodeFs {
    /// Creates an empty file at `path` (replacing what was there) and returns its inode.
    pub fn create(&mut self, path: &str) -> u64 {
        self.unlink(path);
        self.next_inode += 1;
        let ino = self.next_inode;
        self.inodes.insert(
            ino,
            Inode {
                text: String::new(),
                size: 0,
                gzip: false,
                lineage: ino,
                held_open: false,
            },
        );
        self.paths.insert(path.to_string(), ino);
        ino
    }

    /// Appends `line` and a newline to the file at `path`; `false` if it does not exist.
    pub fn append_line(&mut self, path: &str, line: &str) -> bool {
        let Some(inode) = self.paths.get(path).and_then(|i| self.inodes.get_mut(i)) else {
            return false;
        };
        inode.text.push_str(line);
        inode.text.push('\n');
        inode.size = inode.text.len() as u64;
        true
    }

    /// The inode number at `path`.
    pub fn inode_at(&self, path: &str) -> Option<u64> {
        self.paths.get(path).copied()
    }

    /// The file data at `path`.
    pub fn file(&self, path: &str) -> Option<&Inode> {
        self.paths.get(path).and_then(|i| self.inodes.get(i))
    }

    /// The data of inode `ino`, linked or held open.
    pub fn inode(&self, ino: u64) -> Option<&Inode> {
        self.inodes.get(&ino)
    }

    /// The first path (in path order) that names inode `ino`.
    pub fn path_of(&self, ino: u64) -> Option<&str> {
        self.paths
            .iter()
            .find(|(_, i)| **i == ino)
            .map(|(p, _)| p.as_str())
    }

    /// Renames `from` to `to`, keeping the inode; `false` if `from` is missing.
    pub fn rename(&mut self, from: &str, to: &str) -> bool {
        let Some(ino) = self.paths.remove(from) else {
            return false;
        };
        self.unlink(to);
        self.paths.insert(to.to_string(), ino);
        true
    }

    /// Removes `path`; the inode goes too unless a reader holds it open.
    pub fn unlink(&mut self, path: &str) {
        if let Some(ino) = self.paths.remove(path) {
            self.drop_if_orphan(ino);
        }
    }

    /// Replaces the plain file at `path` with `<path>.gz` holding the same text
    /// at the modelled compressed size; returns the new size.
    pub fn gzip(&mut self, path: &str, gzip_percent: u64) -> Option<u64> {
        let ino = self.paths.get(path).copied()?;
        let plain = self.inodes.get(&ino)?.clone();
        let size = compressed_size(plain.size, gzip_percent);
        let gz = self.create(&format!("{path}.gz"));
        if let Some(inode) = self.inodes.get_mut(&gz) {
            inode.text = plain.text;
            inode.size = size;
            inode.gzip = true;
            inode.lineage = plain.lineage;
        }
        self.unlink(path);
        Some(size)
    }

    /// Marks inode `ino` as held open (or not) by a reader.
    pub fn set_held_open(&mut self, ino: u64, held: bool) {
        if let Some(inode) = self.inodes.get_mut(&ino) {
            inode.held_open = held;
        }
        if !held {
            self.drop_if_orphan(ino);
        }
    }

    fn drop_if_orphan(&mut self, ino: u64) {
        let linked = self.paths.values().any(|i| *i == ino);
        if !linked && self.inodes.get(&ino).is_some_and(|i| !i.held_open) {
            self.inodes.remove(&ino);
        }
    }

    /// Paths starting with `prefix`, in path order, with their inode data.
    pub fn files_under<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a str, u64, &'a Inode)> + 'a {
        self.paths
            .range_from(prefix)
            .take_while(move |(p, _)| p.starts_with(prefix))
            .filter_map(|(p, i)| self.inodes.get(i).map(|inode| (p.as_str(), *i, inode)))
    }

    /// Creates or replaces the symlink `link` pointing at `target`.
    pub fn symlink(&mut self, link: &str, target: &str) {
        self.symlinks.insert(link.to_string(), target.to_string());
    }

    /// Every symlink as (link, target), in link order.
    pub fn symlinks(&self) -> impl Iterator<Item = (&str, &str)> {
        self.symlinks.iter().map(|(l, t)| (l.as_str(), t.as_str()))
    }
}

/// The modelled gzip size of `plain` bytes at `gzip_percent`.
pub fn compressed_size(plain: u64, gzip_percent: u64) -> u64 {
    GZIP_OVERHEAD + (plain.saturating_mul(gzip_percent)).div_ceil(100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rename_keeps_the_inode_and_gzip_replaces_it() {
        let mut fs = NodeFs::default();
        let ino = fs.create("/d/0.log");
        assert!(fs.append_line("/d/0.log", "hello"));
        assert!(fs.rename("/d/0.log", "/d/0.log.20161006-001709"));
        assert_eq!(fs.inode_at("/d/0.log.20161006-001709"), Some(ino));
        assert_eq!(fs.inode_at("/d/0.log"), None);
        assert_eq!(fs.gzip("/d/0.log.20161006-001709", 10), Some(18 + 1));
        let gz = fs.file("/d/0.log.20161006-001709.gz").unwrap();
        assert!(gz.gzip && gz.text == "hello\n" && gz.lineage == ino);
        assert!(fs.inode(ino).is_none(), "the plain inode is gone");
    }

    #[test]
    fn an_open_inode_outlives_its_name() {
        let mut fs = NodeFs::default();
        let ino = fs.create("/d/0.log");
        fs.set_held_open(ino, true);
        fs.unlink("/d/0.log");
        assert!(fs.inode(ino).is_some());
        fs.set_held_open(ino, false);
        assert!(fs.inode(ino).is_none());
    }

    #[test]
    fn compressed_size_rounds_up() {
        assert_eq!(compressed_size(1000, 10), 118);
        assert_eq!(compressed_size(1001, 10), 119);
        assert_eq!(compressed_size(0, 10), 18);
    }
}
