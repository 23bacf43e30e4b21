//! Scenario files: human-written TOML that sets up a simulation (feature `load`).
//!
//! Every scenario starts with a `[scenario]` table ([`Header`]); the rest of
//! the file belongs to the simulator it names. Errors are located: file, line,
//! column, and what was expected (serde names the field and the allowed values).

use serde::de::DeserializeOwned;
use serde::Deserialize;

pub use crate::located::{line_column, Header, ScenarioError, Source};
pub use toml::Spanned;

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
}
