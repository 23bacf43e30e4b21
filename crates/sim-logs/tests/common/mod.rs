//! What several test files share: the shipped scenarios and the test
//! scenario driven by inputs. Each test file uses part of it.
#![allow(dead_code)]

use sim_core::{Header, Player};
use sim_logs::cri::Stream;
use sim_logs::{Config, LogsInput, LogsSim};
use std::path::{Path, PathBuf};

/// More steps than any scenario here takes.
pub const STEP_LIMIT: usize = 100_000;

/// A scenario file, loaded: its name, header, config and a simulation at step 0.
pub struct Loaded {
    pub name: String,
    pub header: Header,
    pub config: Config,
    pub sim: LogsSim,
}

impl Loaded {
    /// A fresh player at step 0 with the file's seed.
    pub fn player(&self) -> Player<LogsSim> {
        Player::new(self.sim.clone(), self.header.seed)
    }
}

fn load_dir(dir: &Path) -> Vec<Loaded> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("logs-") && n.ends_with(".toml"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let src = std::fs::read_to_string(dir.join(&name)).unwrap();
            let (header, config) = sim_logs::load(&name, &src).unwrap_or_else(|e| panic!("{e}"));
            Loaded {
                name,
                header,
                sim: LogsSim::new(config.clone()),
                config,
            }
        })
        .collect()
}

/// The shipped `slides/scenarios/logs-*.toml`, in name order.
pub fn shipped() -> Vec<Loaded> {
    load_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../slides/scenarios"))
}

/// The test scenario `tests/scenarios/logs-inputs.toml`.
pub fn input_scenario() -> Loaded {
    load_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios"))
        .into_iter()
        .find(|l| l.name == "logs-inputs.toml")
        .unwrap()
}

/// The inputs of the test scenario, each with the step it is given at.
pub fn scenario_inputs() -> Vec<(usize, LogsInput)> {
    let counter = |input: fn(String, String) -> LogsInput| input("counter".into(), "count".into());
    vec![
        (
            12,
            counter(|pod, container| LogsInput::Write {
                pod,
                container,
                stream: Stream::Stderr,
                text: "injected by the presenter".into(),
            }),
        ),
        (
            25,
            LogsInput::SetRotation {
                max_size: 300,
                max_files: 2,
            },
        ),
        (
            40,
            counter(|pod, container| LogsInput::Crash {
                pod,
                container,
                exit_code: 137,
            }),
        ),
        (55, LogsInput::StopAgent),
        (75, LogsInput::StartAgent),
    ]
}
