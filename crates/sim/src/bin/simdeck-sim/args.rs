//! Command-line arguments of `simdeck-sim`.
//!
//! Contract: [`parse`] accepts exactly the forms in [`USAGE`]; anything else is
//! a [`UsageError`] saying what was wrong (the binary exits with code 2).

use std::ffi::OsString;
use std::fmt;

/// The usage text, printed by `--help` and after every usage error.
pub const USAGE: &str = "\
usage:
  simdeck-sim run <file.toml> [--seed N] [--steps N] [--inputs F] [--format text|json]
      run one scenario and print its trace and final state
      --seed N      use seed N instead of the file's `seed`
      --steps N     stop after N steps
      --inputs F    give the inputs in the JSON file F at their steps: an array of
                    {\"at_step\": N, \"input\": ...}, the shape of a trace's `inputs`
      --format F    `text` (default): one line per step, then the final state as JSON;
                    `json`: the trace in the stable JSON format (slides/scenarios/README.md)
  simdeck-sim check [dir]
      load and run every *.toml scenario in dir (default: slides/scenarios)
  simdeck-sim digest [dir]
      print the golden digest line of every scenario in dir (default: slides/scenarios)
  simdeck-sim help
      print this text
";

/// How `run` prints a trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One line per step, then the final state as pretty JSON.
    Text,
    /// [`sim_core::Trace::to_json`].
    Json,
}

/// What the user asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Run one scenario.
    Run {
        /// The scenario file.
        file: String,
        /// A seed replacing the file's own.
        seed: Option<u64>,
        /// Stop after this many steps.
        steps: Option<usize>,
        /// A JSON file of inputs to give at their steps.
        inputs: Option<String>,
        /// How to print the trace.
        format: Format,
    },
    /// Check every scenario in a directory.
    Check {
        /// The directory holding the scenarios.
        dir: String,
    },
    /// Print the digest lines of every scenario in a directory.
    Digest {
        /// The directory holding the scenarios.
        dir: String,
    },
    /// Print the usage text.
    Help,
}

/// A command line that does not match [`USAGE`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses the arguments after the program name.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command, UsageError> {
    let mut args = args
        .into_iter()
        .map(|arg| {
            arg.into_string()
                .map_err(|bad| UsageError(format!("argument {bad:?} is not valid UTF-8")))
        })
        .collect::<Result<Vec<String>, UsageError>>()?
        .into_iter();
    let command = args
        .next()
        .ok_or_else(|| UsageError("missing command".to_string()))?;
    match command.as_str() {
        "run" => parse_run(args),
        "check" => parse_dir(args).map(|dir| Command::Check { dir }),
        "digest" => parse_dir(args).map(|dir| Command::Digest { dir }),
        "help" | "--help" | "-h" => Ok(Command::Help),
        other => Err(UsageError(format!(
            "unknown command `{other}`: expected `run`, `check`, `digest` or `help`"
        ))),
    }
}

fn parse_run(mut args: impl Iterator<Item = String>) -> Result<Command, UsageError> {
    let (mut file, mut seed, mut steps, mut inputs, mut format) =
        (None, None, None, None, Format::Text);
    while let Some(arg) = args.next() {
        if arg == "--help" || arg == "-h" {
            return Ok(Command::Help);
        }
        let Some(flag) = arg.strip_prefix("--") else {
            if arg.starts_with('-') {
                return Err(UsageError(format!("unknown option `{arg}`")));
            }
            if file.replace(arg.clone()).is_some() {
                return Err(UsageError(format!(
                    "unexpected argument `{arg}`: `run` takes one scenario file"
                )));
            }
            continue;
        };
        let (name, inline) = match flag.split_once('=') {
            Some((name, value)) => (name, Some(value.to_string())),
            None => (flag, None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| UsageError(format!("`--{name}` needs a value")))
        };
        match name {
            "seed" => seed = Some(number(name, &value()?)?),
            "steps" => steps = Some(number(name, &value()?)?),
            "inputs" => inputs = Some(value()?),
            "format" => {
                format = match value()?.as_str() {
                    "text" => Format::Text,
                    "json" => Format::Json,
                    other => {
                        return Err(UsageError(format!(
                            "unknown format `{other}`: expected `text` or `json`"
                        )))
                    }
                }
            }
            _ => return Err(UsageError(format!("unknown option `{arg}`"))),
        }
    }
    let file = file.ok_or_else(|| UsageError("`run` needs a scenario file".to_string()))?;
    Ok(Command::Run {
        file,
        seed,
        steps,
        inputs,
        format,
    })
}

fn number<T: std::str::FromStr>(name: &str, text: &str) -> Result<T, UsageError> {
    text.parse().map_err(|_| {
        UsageError(format!(
            "`--{name}` needs a whole number of zero or more, not `{text}`"
        ))
    })
}

fn parse_dir(mut args: impl Iterator<Item = String>) -> Result<String, UsageError> {
    let dir = match args.next() {
        Some(flag) if flag.starts_with('-') => {
            return Err(UsageError(format!("unknown option `{flag}`")))
        }
        Some(dir) => dir,
        None => simdeck_sim::SCENARIO_DIR.to_string(),
    };
    match args.next() {
        Some(extra) => Err(UsageError(format!(
            "unexpected argument `{extra}`: expected at most one directory"
        ))),
        None => Ok(dir),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(args: &[&str]) -> Result<Command, UsageError> {
        parse(args.iter().map(OsString::from))
    }

    #[test]
    fn run_takes_a_file_and_options_in_any_order_and_both_spellings() {
        assert_eq!(
            parse_str(&[
                "run",
                "--seed",
                "5",
                "a.toml",
                "--steps=3",
                "--inputs",
                "i.json",
                "--format",
                "json"
            ]),
            Ok(Command::Run {
                file: "a.toml".into(),
                seed: Some(5),
                steps: Some(3),
                inputs: Some("i.json".into()),
                format: Format::Json
            })
        );
        assert_eq!(
            parse_str(&["run", "a.toml"]),
            Ok(Command::Run {
                file: "a.toml".into(),
                seed: None,
                steps: None,
                inputs: None,
                format: Format::Text
            })
        );
    }

    #[test]
    fn bad_arguments_say_what_is_wrong() {
        let message = |args: &[&str]| parse_str(args).unwrap_err().0;
        assert!(message(&[]).contains("missing command"));
        assert!(message(&["fly"]).contains("unknown command `fly`"));
        assert!(message(&["run"]).contains("needs a scenario file"));
        assert!(message(&["run", "a", "b"]).contains("unexpected argument `b`"));
        assert!(message(&["run", "a", "--seed"]).contains("`--seed` needs a value"));
        assert!(message(&["run", "a", "--seed", "-1"]).contains("whole number"));
        assert!(message(&["run", "a", "--format", "xml"]).contains("`text` or `json`"));
        assert!(message(&["run", "a", "--inputs"]).contains("`--inputs` needs a value"));
        assert!(message(&["run", "a", "--colour"]).contains("unknown option `--colour`"));
        assert!(message(&["run", "a", "-v"]).contains("unknown option `-v`"));
        assert!(message(&["check", "a", "b"]).contains("at most one directory"));
        assert!(message(&["digest", "--all"]).contains("unknown option `--all`"));
    }

    #[test]
    fn directories_default_to_the_shipped_scenarios() {
        assert_eq!(
            parse_str(&["check"]),
            Ok(Command::Check {
                dir: "slides/scenarios".into()
            })
        );
        assert_eq!(
            parse_str(&["digest", "d"]),
            Ok(Command::Digest { dir: "d".into() })
        );
        assert_eq!(parse_str(&["run", "--help"]), Ok(Command::Help));
    }
}
