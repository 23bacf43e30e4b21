//! The node logging agent: which files it follows and how far it has read.
//!
//! Contract: the agent follows files by inode. It discovers files named
//! `/var/log/pods/*/*/*.log`, reads each from its saved byte offset to the end,
//! joins partial CRI lines per file, and keeps a rotated (renamed) file open
//! until it has drained it. Files it never opened before they were rotated away
//! are reported once as missed. A stopped agent keeps its saved offsets (its
//! position database) and resumes from them. All collections are ordered.

use crate::cri::{parse_line, Joiner, LogMessage};
use serde::Serialize;
use sim_core::{SortedMap, SortedSet};

/// The directory the agent watches.
pub const WATCHED_DIR: &str = "/var/log/pods/";

/// Whether the agent's glob `/var/log/pods/*/*/*.log` matches `path`.
pub fn matches_glob(path: &str) -> bool {
    path.strip_prefix(WATCHED_DIR)
        .is_some_and(|rest| rest.split('/').count() == 3 && rest.ends_with(".log"))
}

/// How far the agent has read one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tail {
    /// The path it had when last read.
    pub path: String,
    /// Bytes already read.
    pub offset: u64,
    #[serde(skip)]
    joiner: Joiner,
}

/// A message as stored in the logging backend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShippedRecord {
    /// Who shipped it: the node agent's name or `sidecar <pod>/<container>`.
    pub shipped_by: String,
    /// The file it was read from.
    pub file: String,
    /// The message time (RFC 3339), or the time it was shipped for plain files.
    pub time: String,
    /// `stdout`, `stderr`, or `file` for a plain file read by a sidecar agent.
    pub stream: String,
    /// The message.
    pub text: String,
}

/// The node logging agent's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeAgent {
    /// Its name.
    pub name: String,
    /// Followed files by inode.
    pub following: SortedMap<u64, Tail>,
    /// Data lineages (first inode of each file's text) it has opened.
    #[serde(skip)]
    seen: SortedSet<u64>,
    /// Rotated files it never read, by path.
    pub missed: Vec<String>,
    #[serde(skip)]
    missed_lineages: SortedSet<u64>,
    /// Whether it is stopped (shown only then).
    #[serde(skip_serializing_if = "is_false")]
    pub stopped: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// What one read of a file produced.
pub struct ReadResult {
    /// Byte offset before the read.
    pub from: u64,
    /// Byte offset after the read.
    pub to: u64,
    /// CRI lines read.
    pub lines: usize,
    /// Lines that were not valid CRI lines (skipped, as the kubelet does).
    pub bad_lines: usize,
    /// Messages completed by this read.
    pub messages: Vec<LogMessage>,
}

impl NodeAgent {
    /// An agent that follows nothing yet.
    pub fn new(name: &str) -> Self {
        NodeAgent {
            name: name.to_string(),
            following: SortedMap::new(),
            seen: SortedSet::new(),
            missed: Vec::new(),
            missed_lineages: SortedSet::new(),
            stopped: false,
        }
    }

    /// Starts following inode `ino` at `path` from offset 0.
    pub fn follow(&mut self, ino: u64, lineage: u64, path: &str) {
        self.seen.insert(lineage);
        self.following.insert(
            ino,
            Tail {
                path: path.to_string(),
                offset: 0,
                joiner: Joiner::default(),
            },
        );
    }

    /// Whether the text of `lineage` was ever opened or already reported missed.
    pub fn knows(&self, lineage: u64) -> bool {
        self.seen.contains(&lineage) || self.missed_lineages.contains(&lineage)
    }

    /// Records that the file at `path` (text `lineage`) was never read.
    pub fn record_missed(&mut self, lineage: u64, path: &str) {
        self.missed_lineages.insert(lineage);
        self.missed.push(path.to_string());
    }

    /// Reads `text` (the whole file) of inode `ino` from the saved offset.
    pub fn read(&mut self, ino: u64, path: &str, text: &str) -> Option<ReadResult> {
        let tail = self.following.get_mut(&ino)?;
        let from = tail.offset;
        let new = text.get(usize::try_from(from).ok()?..)?;
        let mut result = ReadResult {
            from,
            to: text.len() as u64,
            lines: 0,
            bad_lines: 0,
            messages: Vec::new(),
        };
        for line in new.split_terminator('\n') {
            match parse_line(line) {
                Ok(cri) => {
                    result.lines += 1;
                    result.messages.extend(tail.joiner.push(&cri));
                }
                Err(_) => result.bad_lines += 1,
            }
        }
        tail.offset = result.to;
        tail.path = path.to_string();
        Some(result)
    }

    /// Stops following inode `ino`.
    pub fn release(&mut self, ino: u64) -> Option<Tail> {
        self.following.remove(&ino)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_glob_matches_only_current_log_files() {
        assert!(matches_glob("/var/log/pods/default_counter_u/count/0.log"));
        assert!(!matches_glob(
            "/var/log/pods/default_counter_u/count/0.log.20161006-001709"
        ));
        assert!(!matches_glob(
            "/var/log/pods/default_counter_u/count/0.log.20161006-001709.gz"
        ));
        assert!(!matches_glob(
            "/var/log/containers/counter_default_count-abc.log"
        ));
    }

    #[test]
    fn reading_resumes_at_the_offset_and_joins_partials_across_reads() {
        let mut agent = NodeAgent::new("fluent-bit");
        agent.follow(7, 7, "/f.log");
        let first = "2016-10-06T00:17:09Z stdout P ab\n";
        let r = agent.read(7, "/f.log", first).unwrap();
        assert_eq!((r.from, r.to, r.lines, r.messages.len()), (0, 33, 1, 0));
        let both = format!("{first}2016-10-06T00:17:09Z stdout F cd\nnot a line\n");
        let r = agent.read(7, "/f.log", &both).unwrap();
        assert_eq!((r.from, r.lines, r.bad_lines), (33, 1, 1));
        assert_eq!(r.messages[0].text, "abcd");
        assert!(agent.read(8, "/g.log", "").is_none());
    }
}
