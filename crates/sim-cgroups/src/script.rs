//! A scenario's script: the shell lines it runs, each with its parsed
//! command.
//!
//! Contract: plain data (the parsed form of the deck's shell commands); the
//! parser lives in `command`, the interpreter in `shell`. `$NAME` and
//! `${NAME}` in words are kept here and expanded when the command runs.

use crate::controller::Controller;
use crate::kubelet::ContainerResources;
use crate::program::Launch;
use serde::{Deserialize, Serialize};

/// A script line: its text and what it means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScriptLine {
    /// The line as written.
    pub text: String,
    /// The parsed command.
    pub command: Command,
}

/// A word that may contain `$NAME` references, expanded when the command runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Word(pub String);

impl Word {
    /// The word split into literal text and `$NAME` references, in order.
    fn segments(&self) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut rest = self.0.as_str();
        while let Some(at) = rest.find('$') {
            out.push((false, &rest[..at]));
            rest = &rest[at + 1..];
            if let Some(braced) = rest.strip_prefix('{') {
                let end = braced.find('}').unwrap_or(braced.len());
                out.push((true, &braced[..end]));
                rest = braced.get(end + 1..).unwrap_or("");
            } else {
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                out.push((true, &rest[..end]));
                rest = &rest[end..];
            }
        }
        out.push((false, rest));
        out
    }

    /// The variable names the word refers to, in order.
    pub fn variables(&self) -> Vec<String> {
        self.segments()
            .into_iter()
            .filter(|(is_variable, _)| *is_variable)
            .map(|(_, name)| name.to_string())
            .collect()
    }

    /// The word with each `$NAME` replaced by `lookup(NAME)` (empty if unset).
    pub fn expand(&self, lookup: impl Fn(&str) -> Option<String>) -> String {
        self.segments()
            .into_iter()
            .map(|(is_variable, text)| {
                if is_variable {
                    lookup(text).unwrap_or_default()
                } else {
                    text.to_string()
                }
            })
            .collect()
    }
}

/// `-g controllers:path`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// The controllers named (deduplicated, sorted).
    pub controllers: Vec<Controller>,
    /// The group path, relative to each controller's root.
    pub path: Word,
}

/// One parsed script line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Command {
    /// `NAME=$(uuidgen)`.
    Uuidgen {
        /// Variable set.
        name: String,
    },
    /// `NAME=value`.
    Assign {
        /// Variable set.
        name: String,
        /// Its value.
        value: Word,
    },
    /// `cgcreate -g ctl,ctl:path ...`.
    Cgcreate {
        /// Groups to create.
        targets: Vec<Target>,
    },
    /// `cgset -r file=value ... path ...`.
    Cgset {
        /// Files and values, in order.
        writes: Vec<(String, Word)>,
        /// Groups written.
        groups: Vec<Word>,
    },
    /// `cgexec -g ctl:path ... program`.
    Cgexec {
        /// Groups joined.
        targets: Vec<Target>,
        /// What runs there.
        launch: Launch,
    },
    /// `cgdelete [-r] -g ctl:path ...`.
    Cgdelete {
        /// `-r`.
        recursive: bool,
        /// Groups removed.
        targets: Vec<Target>,
    },
    /// `rmdir /sys/fs/cgroup/...`.
    Rmdir {
        /// Directory removed.
        path: Word,
    },
    /// `ls -l /sys/fs/cgroup/...`.
    List {
        /// Directory listed.
        path: Word,
    },
    /// `cat /sys/fs/cgroup/.../file`.
    Cat {
        /// File read.
        path: Word,
    },
    /// `echo words...`.
    Echo {
        /// Words printed.
        words: Vec<Word>,
    },
    /// `sleep DURATION`.
    Sleep {
        /// How long, in nanoseconds.
        ns: u64,
    },
    /// `exit`: leaves the innermost shell.
    Exit,
    /// `hostname [NAME]`.
    Hostname {
        /// New name, or `None` to print it.
        name: Option<Word>,
    },
    /// `ip link`.
    IpLink,
    /// A program started from the current shell.
    Run {
        /// What runs.
        launch: Launch,
    },
    /// `kubelet create-container PATH --requests ... --limits ...`.
    Kubelet {
        /// The container's cgroup.
        path: Word,
        /// Its requests and limits.
        resources: ContainerResources,
    },
}

impl Command {
    /// The variables the command's words refer to, in order.
    pub fn variables(&self) -> Vec<String> {
        let words: Vec<&Word> = match self {
            Command::Assign { value, .. } => vec![value],
            Command::Cgcreate { targets }
            | Command::Cgexec { targets, .. }
            | Command::Cgdelete { targets, .. } => targets.iter().map(|t| &t.path).collect(),
            Command::Cgset { writes, groups } => {
                writes.iter().map(|(_, v)| v).chain(groups).collect()
            }
            Command::Rmdir { path }
            | Command::List { path }
            | Command::Cat { path }
            | Command::Kubelet { path, .. } => vec![path],
            Command::Echo { words } => words.iter().collect(),
            Command::Hostname { name } => name.iter().collect(),
            Command::Uuidgen { .. }
            | Command::Sleep { .. }
            | Command::Exit
            | Command::IpLink
            | Command::Run { .. } => Vec::new(),
        };
        words.iter().flat_map(|w| w.variables()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_expand_variables() {
        let w = Word("/x/$UUID/${UUID}y".into());
        assert_eq!(
            w.expand(|n| (n == "UUID").then(|| "u".to_string())),
            "/x/u/uy"
        );
        assert_eq!(w.variables(), vec!["UUID".to_string(), "UUID".to_string()]);
    }
}
