//! Where a problem in a scenario file is, and the header every scenario has.
//!
//! Plain data with no parser behind it, so the browser can hold it: the
//! parsing lives in [`crate::scenario`] (feature `load`).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::Range;

pub use crate::clicks::ClickPoint;
pub use crate::what_if::WhatIf;

/// The `[scenario]` table shared by every scenario file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// A short title shown above the live figure.
    pub title: String,
    /// Which simulator runs it, e.g. `cgroups`, `overlay`, `logs`.
    pub simulator: String,
    /// The deck slides (1-based) this scenario is the live figure of.
    #[serde(default)]
    pub slides: Vec<u32>,
    /// The world seed; the same seed always gives the same trace.
    #[serde(default)]
    pub seed: u64,
    /// What the scenario shows, for authors and learners.
    #[serde(default)]
    pub description: String,
    /// The named places in the script where the slide's clicks stop
    /// (`[[scenario.click]]`), in script order.
    #[serde(default, rename = "click")]
    pub clicks: Vec<ClickPoint>,
    /// The parameters a learner may change, with their bounds
    /// (`[[scenario.what_if]]`).
    #[serde(default)]
    pub what_if: Vec<WhatIf>,
}

/// A problem in a scenario file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioError {
    /// The file's name as given by the caller.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong and what was expected.
    pub message: String,
}

impl ScenarioError {
    /// An error about the bytes `span` of `src`.
    pub fn at(file: &str, src: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        let (line, column) = line_column(src, span.start);
        ScenarioError {
            file: file.to_string(),
            line,
            column,
            message: message.into(),
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for ScenarioError {}

/// 1-based line and column (in characters) of byte `offset` in `src`.
pub fn line_column(src: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(src.len());
    // An offset inside a character counts as that character's start.
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// A scenario file being loaded: every error about it names the file, the
/// line and the column. The one located-error helper every loader uses.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The file's name as given by the caller.
    pub file: &'a str,
    /// The file's text.
    pub text: &'a str,
}

impl<'a> Source<'a> {
    /// The file `file` with text `text`.
    pub fn new(file: &'a str, text: &'a str) -> Self {
        Source { file, text }
    }

    /// An error about the bytes `span` of the file.
    pub fn error(&self, span: Range<usize>, message: impl Into<String>) -> ScenarioError {
        ScenarioError::at(self.file, self.text, span, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters() {
        assert_eq!(line_column("ab\nc语d", 7), (2, 3));
        assert_eq!(line_column("x", 99), (1, 2));
        assert_eq!(line_column("a\n语b", 3), (2, 1), "inside 语 is at 语");
    }

    #[test]
    fn a_source_locates_its_errors() {
        let e = Source::new("f.toml", "a = 1\nb = x\n").error(10..11, "bad");
        assert_eq!((e.line, e.column), (2, 5));
        assert_eq!(e.to_string(), "f.toml:2:5: bad");
    }
}
