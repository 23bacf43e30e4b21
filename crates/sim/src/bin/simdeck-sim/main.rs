//! `simdeck-sim`: the headless scenario runner.
//!
//! Contract: `run` prints one scenario's trace and final state, `check`
//! validates every scenario in a directory, `digest` prints their golden
//! digest lines. Exit codes: 0 success, 1 a scenario or file failed (with a
//! `file:line:col: message`), 2 bad arguments (with the usage text).

mod args;
mod text;

use args::{Command, Format, USAGE};
use serde::Deserialize;
use sim_core::Player;
use simdeck_sim::{digest_file, run_to_end, AnyInput, AnySim, Registry, Run, STEP_LIMIT};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// A failure already worded for the user, with its exit code and whatever
/// was still to be printed on stdout.
struct Failure {
    stdout: String,
    message: String,
    code: u8,
}

impl Failure {
    fn scenario(message: impl Into<String>) -> Self {
        Failure {
            stdout: String::new(),
            message: message.into(),
            code: 1,
        }
    }
}

fn main() -> ExitCode {
    let outcome = args::parse(std::env::args_os().skip(1))
        .map_err(|e| Failure {
            stdout: String::new(),
            message: format!("{e}\n\n{USAGE}"),
            code: 2,
        })
        .and_then(|command| execute(command, &Registry::builtin()));
    match outcome {
        Ok(output) => match std::io::stdout().lock().write_all(output.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::from(1),
        },
        Err(failure) => {
            // Nothing more can be done if stdout or stderr is closed.
            let _ = std::io::stdout()
                .lock()
                .write_all(failure.stdout.as_bytes());
            let _ = writeln!(std::io::stderr(), "simdeck-sim: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

/// Carries out `command`, returning what to print on success.
fn execute(command: Command, registry: &Registry) -> Result<String, Failure> {
    match command {
        Command::Help => Ok(USAGE.to_string()),
        Command::Run {
            file,
            seed,
            steps,
            inputs,
            format,
        } => run(registry, &file, seed, steps, inputs.as_deref(), format),
        Command::Check { dir } => check(registry, &dir),
        Command::Digest { dir } => digest(registry, &dir),
    }
}

fn run(
    registry: &Registry,
    file: &str,
    seed: Option<u64>,
    steps: Option<usize>,
    inputs: Option<&str>,
    format: Format,
) -> Result<String, Failure> {
    let src = std::fs::read_to_string(file)
        .map_err(|e| Failure::scenario(format!("cannot read {file}: {e}")))?;
    let scenario = registry
        .load(file, &src)
        .map_err(|e| Failure::scenario(e.to_string()))?;
    let mut player = scenario.player(seed);
    if let Some(path) = inputs {
        give_inputs(&mut player, path)?;
    }
    let finished = player.run_to_end(steps.unwrap_or(STEP_LIMIT));
    if !finished && steps.is_none() {
        return Err(Failure::scenario(format!(
            "{file}:1:1: the script did not finish within {STEP_LIMIT} steps"
        )));
    }
    let trace = player.to_trace();
    Ok(match format {
        Format::Json => trace.to_json() + "\n",
        Format::Text => text::report(&scenario.header, &trace),
    })
}

/// Gives `player` the inputs listed in the JSON file `path`, each at its step.
fn give_inputs(player: &mut Player<AnySim>, path: &str) -> Result<(), Failure> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Given {
        at_step: usize,
        input: serde_json::Value,
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::scenario(format!("cannot read {path}: {e}")))?;
    let given: Vec<Given> = serde_json::from_str(&text).map_err(|e| {
        Failure::scenario(format!(
            "{path}: {e}; expected an array of {{\"at_step\": N, \"input\": ...}}"
        ))
    })?;
    for (n, Given { at_step, input }) in given.into_iter().enumerate() {
        let reached = player.seek(at_step);
        if reached != at_step {
            return Err(Failure::scenario(format!(
                "{path}: input {} is for step {at_step}, but the run ends at step {reached}",
                n + 1
            )));
        }
        player.input(AnyInput(input)).map_err(|e| {
            Failure::scenario(format!(
                "{path}: input {} at step {at_step} is refused: {e}",
                n + 1
            ))
        })?;
    }
    Ok(())
}

/// The `*.toml` files directly in `dir`, sorted by name, each with its text.
fn scenario_files(dir: &str) -> Result<Vec<(String, std::io::Result<String>)>, Failure> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Failure::scenario(format!("cannot read directory {dir}: {e}")))?;
    let mut paths: Vec<_> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file() && path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    if paths.is_empty() {
        return Err(Failure::scenario(format!(
            "no scenario files (*.toml) in {dir}"
        )));
    }
    paths.sort();
    Ok(paths
        .into_iter()
        .map(|path| {
            let name = Path::new(dir)
                .join(path.file_name().unwrap_or_default())
                .display()
                .to_string();
            (name, std::fs::read_to_string(&path))
        })
        .collect())
}

/// Runs every scenario in `dir`; each gets its run or its worded error.
fn run_all(registry: &Registry, dir: &str) -> Result<Vec<Result<Run, String>>, Failure> {
    Ok(scenario_files(dir)?
        .into_iter()
        .map(|(file, src)| match src {
            Ok(src) => {
                run_to_end(registry, &file, &src, None, STEP_LIMIT).map_err(|e| e.to_string())
            }
            Err(e) => Err(format!("{file}: cannot read: {e}")),
        })
        .collect())
}

fn check(registry: &Registry, dir: &str) -> Result<String, Failure> {
    let results = run_all(registry, dir)?;
    let mut report = String::new();
    let mut failed = 0;
    for result in &results {
        match result {
            Ok(run) => report.push_str(&format!(
                "ok {} ({}, seed {}, {} steps)\n",
                run.file,
                run.simulator,
                run.trace.seed,
                run.trace.steps.len()
            )),
            Err(message) => {
                failed += 1;
                report.push_str(message);
                report.push('\n');
            }
        }
    }
    let summary = format!("{} scenarios checked, {failed} failed", results.len());
    if failed == 0 {
        Ok(report + &summary + "\n")
    } else {
        Err(Failure {
            stdout: report,
            message: summary,
            code: 1,
        })
    }
}

fn digest(registry: &Registry, dir: &str) -> Result<String, Failure> {
    let (runs, errors): (Vec<_>, Vec<_>) =
        run_all(registry, dir)?.into_iter().partition(Result::is_ok);
    if !errors.is_empty() {
        let messages: Vec<String> = errors.into_iter().filter_map(Result::err).collect();
        return Err(Failure::scenario(messages.join("\n")));
    }
    let runs: Vec<Run> = runs.into_iter().filter_map(Result::ok).collect();
    Ok(digest_file(&runs))
}
