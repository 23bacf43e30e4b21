//! The shipped `logs-*.toml` scenarios load, run to the end, and replay exactly.

use sim_core::Player;
use sim_logs::LogsSim;
use std::path::PathBuf;

fn scenario_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../slides/scenarios")
}

fn shipped() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(scenario_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("logs-") && name.ends_with(".toml")
        })
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_shipped_scenario_runs_twice_to_the_same_bytes() {
    let files = shipped();
    for (name, src) in &files {
        let (header, config) = sim_logs::load(name, src).unwrap_or_else(|e| panic!("{e}"));
        let sim = LogsSim::new(config);
        assert_eq!(header.simulator, sim_logs::SIMULATOR);
        let run = || {
            let mut p = Player::new(sim.clone(), header.seed);
            assert!(p.run_to_end(100_000), "{name} did not finish");
            p.to_trace().to_json()
        };
        let first = run();
        assert_eq!(first, run(), "{name}");
        if std::env::var("PRINT_TRACE").is_ok() {
            println!("{first}");
        }
    }
    let names: Vec<&String> = files.iter().map(|(n, _)| n).collect();
    assert!(
        names.len() >= 3,
        "expected the slide 22, 23 and 24 scenarios, found {names:?}"
    );
}
