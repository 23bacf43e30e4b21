//! Scenario files: human-written TOML that sets up a simulation.
//!
//! Every scenario starts with a `[scenario]` table ([`Header`]); the rest of
//! the file belongs to the simulator it names. Errors are located: file, line,
//! column, and what was expected (serde names the field and the allowed values).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::Range;

pub use toml::Spanned;

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
}

/// A problem in a scenario file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    let offset = offset.min(src.len());
    let before = src.get(..offset).unwrap_or(src);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Parses a whole scenario file into `T`, with a located error on failure.
pub fn parse<T: DeserializeOwned>(file: &str, src: &str) -> Result<T, ScenarioError> {
    toml::from_str(src).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        ScenarioError::at(file, src, span, e.message().trim().to_string())
    })
}

#[derive(Deserialize)]
struct Envelope {
    scenario: Header,
}

/// Reads only the `[scenario]` table, to learn which simulator to run.
pub fn read_header(file: &str, src: &str) -> Result<Header, ScenarioError> {
    #[derive(Deserialize)]
    struct Probe {
        scenario: Option<toml::Value>,
    }
    let probe: Probe = parse(file, src)?;
    if probe.scenario.is_none() {
        return Err(ScenarioError::at(
            file,
            src,
            0..0,
            "missing `[scenario]` table: expected `title` and `simulator` (one of the registered simulators)",
        ));
    }
    parse::<Envelope>(file, src).map(|e| e.scenario)
}

/// Reads the `[scenario]` table of a file meant for `simulator`; when it
/// names another simulator, the error points at its `simulator` value.
pub fn read_header_for(file: &str, src: &str, simulator: &str) -> Result<Header, ScenarioError> {
    #[derive(Deserialize)]
    struct Probe {
        scenario: NamedSimulator,
    }
    #[derive(Deserialize)]
    struct NamedSimulator {
        simulator: Spanned<String>,
    }
    let header = read_header(file, src)?;
    if header.simulator == simulator {
        return Ok(header);
    }
    let span = parse::<Probe>(file, src).map_or(0..0, |p| p.scenario.simulator.span());
    Err(ScenarioError::at(
        file,
        src,
        span,
        format!(
            "this file is for the `{}` simulator, not `{simulator}`: expected `simulator = \"{simulator}\"`",
            header.simulator
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_header() {
        let src = "[scenario]\ntitle = \"t\"\nsimulator = \"cgroups\"\nslides = [8]\nseed = 3\n\n[other]\nx = 1\n";
        let h = read_header("a.toml", src).unwrap();
        assert_eq!(h.simulator, "cgroups");
        assert_eq!(h.slides, vec![8]);
        assert_eq!(h.seed, 3);
    }

    #[test]
    fn missing_header_is_located_and_says_what_is_expected() {
        let e = read_header("a.toml", "[setup]\nx = 1\n").unwrap_err();
        assert_eq!((e.line, e.column), (1, 1));
        assert!(e.message.contains("[scenario]"), "{e}");
    }

    #[test]
    fn unknown_field_names_the_field_and_its_line() {
        let src = "[scenario]\ntitle = \"t\"\nsimulator = \"x\"\ncolour = 1\n";
        let e = read_header("b.toml", src).unwrap_err();
        assert_eq!(e.line, 4, "{e}");
        assert!(
            e.message.contains("colour") && e.message.contains("simulator"),
            "{e}"
        );
        assert!(e.to_string().starts_with("b.toml:4:"), "{e}");
    }

    #[test]
    fn a_header_for_another_simulator_points_at_its_name() {
        let src = "[scenario]\ntitle = \"t\"\nsimulator = \"logs\"\n";
        assert_eq!(read_header_for("a.toml", src, "logs").unwrap().title, "t");
        let e = read_header_for("a.toml", src, "overlay").unwrap_err();
        assert_eq!((e.line, e.column), (3, 13), "{e}");
        assert!(
            e.message.contains("expected `simulator = \"overlay\"`"),
            "{e}"
        );
    }

    #[test]
    fn line_column_counts_characters() {
        assert_eq!(line_column("ab\nc语d", 7), (2, 3));
        assert_eq!(line_column("x", 99), (1, 2));
    }
}
