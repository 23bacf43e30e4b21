//! Scenario files: human-written TOML that sets up a simulation (feature `load`).
//!
//! Every scenario starts with a `[scenario]` table ([`Header`]); the rest of
//! the file belongs to the simulator it names. Errors are located: file, line,
//! column, and what was expected (serde names the field and the allowed values).

use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::ops::Range;

pub use crate::located::{line_column, Header, ScenarioError, Source};
use crate::WhatIf;
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
    let header = parse::<Envelope>(file, src)?.scenario;
    check_header(file, src, &header)?;
    Ok(header)
}

/// The header's lists with where each entry is, to locate errors.
#[derive(Deserialize, Default)]
struct Lists {
    #[serde(default)]
    click: Vec<Spanned<toml::Value>>,
    #[serde(default)]
    what_if: Vec<Spanned<toml::Value>>,
}

fn header_lists(file: &str, src: &str) -> Lists {
    #[derive(Deserialize)]
    struct Probe {
        scenario: Lists,
    }
    parse::<Probe>(file, src).map_or_else(|_| Lists::default(), |p| p.scenario)
}

/// The bytes of entry `index` of the header's `[[scenario.click]]` list
/// (`what_if` false) or `[[scenario.what_if]]` list, to locate an error
/// about it; the file's start when there is no such entry.
pub fn header_entry_span(file: &str, src: &str, what_if: bool, index: usize) -> Range<usize> {
    let lists = header_lists(file, src);
    let list = if what_if {
        &lists.what_if
    } else {
        &lists.click
    };
    list.get(index).map_or(0..0, |v| v.span())
}

/// Checks what serde cannot: click points in script order, what-if keys
/// well formed and unique, bounds in order. Errors point at the entry.
fn check_header(file: &str, src: &str, header: &Header) -> Result<(), ScenarioError> {
    if header.clicks.is_empty() && header.what_if.is_empty() {
        return Ok(());
    }
    let lists = header_lists(file, src);
    let at = |list: &[Spanned<toml::Value>], i: usize| list.get(i).map_or(0..0, |v| v.span());
    let mut previous = 0;
    for (i, point) in header.clicks.iter().enumerate() {
        if point.after <= previous && (i > 0 || point.after == 0) {
            let message = if i == 0 {
                "a click point must wait for at least one script unit: expected `after` ≥ 1"
                    .to_string()
            } else {
                format!(
                    "click point “{}” waits for {} script units, not more than the click before it ({previous}): click points go in script order",
                    point.name, point.after
                )
            };
            return Err(ScenarioError::at(file, src, at(&lists.click, i), message));
        }
        previous = point.after;
    }
    for (i, what_if) in header.what_if.iter().enumerate() {
        let problem = WhatIf::key_problem(&what_if.key)
            .or_else(|| {
                header.what_if[..i]
                    .iter()
                    .any(|w| w.key == what_if.key)
                    .then(|| format!("what-if key `{}` is used twice", what_if.key))
            })
            .or_else(|| {
                (what_if.min > what_if.max).then(|| {
                    format!(
                        "what-if `{}`: min {} is greater than max {}",
                        what_if.key, what_if.min, what_if.max
                    )
                })
            });
        if let Some(message) = problem {
            return Err(ScenarioError::at(file, src, at(&lists.what_if, i), message));
        }
    }
    Ok(())
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
    fn reads_click_points_and_what_ifs() {
        let src = "[scenario]\ntitle = \"t\"\nsimulator = \"x\"\n\n[[scenario.click]]\nname = \"one\"\nafter = 1\n\n[[scenario.click]]\nname = \"two\"\nafter = 3\n\n[[scenario.what_if]]\nkey = \"q\"\nlabel = \"Quota\"\nknob = \"quota\"\nmin = 1\nmax = 9\nunit = \"ms\"\n";
        let h = read_header("a.toml", src).unwrap();
        assert_eq!(h.clicks.iter().map(|c| c.after).collect::<Vec<_>>(), [1, 3]);
        assert_eq!(h.clicks[1].name, "two");
        assert_eq!((h.what_if[0].key.as_str(), h.what_if[0].max), ("q", 9));
    }

    #[test]
    fn click_points_out_of_order_are_located_at_the_entry() {
        let src = "[scenario]\ntitle = \"t\"\nsimulator = \"x\"\n\n[[scenario.click]]\nname = \"one\"\nafter = 3\n\n[[scenario.click]]\nname = \"two\"\nafter = 2\n";
        let e = read_header("a.toml", src).unwrap_err();
        assert_eq!(e.line, 9, "{e}");
        assert!(
            e.message.contains("“two”") && e.message.contains("script order"),
            "{e}"
        );
        let zero = src.replace("after = 3", "after = 0");
        let e = read_header("a.toml", &zero).unwrap_err();
        assert_eq!(e.line, 5, "{e}");
        assert!(e.message.contains("at least one"), "{e}");
    }

    #[test]
    fn bad_what_ifs_are_located_at_the_entry() {
        let one =
            "[[scenario.what_if]]\nkey = \"q\"\nlabel = \"Q\"\nknob = \"k\"\nmin = 1\nmax = 9\n";
        let head = "[scenario]\ntitle = \"t\"\nsimulator = \"x\"\n\n";
        let twice = format!("{head}{one}\n{one}");
        let e = read_header("a.toml", &twice).unwrap_err();
        assert_eq!(e.line, 12, "{e}");
        assert!(e.message.contains("used twice"), "{e}");
        let bad_key = format!("{head}{}", one.replace("\"q\"", "\"Quota\""));
        assert!(read_header("a.toml", &bad_key)
            .unwrap_err()
            .message
            .contains("lowercase"));
        let reversed = format!("{head}{}", one.replace("max = 9", "max = 0"));
        let e = read_header("a.toml", &reversed).unwrap_err();
        assert!(e.message.contains("min 1 is greater than max 0"), "{e}");
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
