//! The `simdeck-sim` binary as a user sees it: output, exit codes, messages.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

fn simdeck_sim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_simdeck-sim"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// A fresh directory under the system temp dir holding `files`.
fn temp_dir_with(files: &[(&str, &str)]) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "simdeck-sim-cli-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    dir
}

const UNKNOWN_SIMULATOR: &str = "[scenario]\ntitle = \"t\"\nsimulator = \"cgroupz\"\n";
const BAD_HEADER: &str = "[scenario]\ntitle = \"t\"\nsimulator = \"cgroups\"\ncolour = \"red\"\n";

#[test]
fn check_reports_each_bad_file_located_and_fails() {
    let dir = temp_dir_with(&[
        ("a-unknown.toml", UNKNOWN_SIMULATOR),
        ("b-header.toml", BAD_HEADER),
        ("notes.txt", "not a scenario"),
    ]);
    let out = simdeck_sim(&["check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let printed = stdout(&out);
    let unknown = format!(
        "{}:3:13: unknown simulator `cgroupz`: ",
        dir.join("a-unknown.toml").display()
    );
    assert!(printed.contains(&unknown), "{printed}");
    let header = format!("{}:4:1:", dir.join("b-header.toml").display());
    assert!(
        printed.contains(&header) && printed.contains("colour"),
        "{printed}"
    );
    assert!(!printed.contains("notes.txt"), "{printed}");
    assert!(
        stderr(&out).contains("2 scenarios checked, 2 failed"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn digest_refuses_a_directory_with_a_bad_scenario() {
    let dir = temp_dir_with(&[("bad.toml", UNKNOWN_SIMULATOR)]);
    let out = simdeck_sim(&["digest", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out).contains("bad.toml:3:13: unknown simulator"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn check_of_an_empty_or_missing_directory_fails_clearly() {
    let dir = temp_dir_with(&[]);
    let out = simdeck_sim(&["check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no scenario files (*.toml)"),
        "{}",
        stderr(&out)
    );
    let missing = dir.join("nowhere");
    let out = simdeck_sim(&["check", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("cannot read directory"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn run_of_a_missing_file_fails_with_its_name() {
    let out = simdeck_sim(&["run", "no/such/scenario.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("cannot read no/such/scenario.toml"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn run_of_a_bad_scenario_prints_the_located_error() {
    let dir = temp_dir_with(&[("bad.toml", UNKNOWN_SIMULATOR)]);
    let file = dir.join("bad.toml");
    let out = simdeck_sim(&["run", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let expected = format!("{}:3:13: unknown simulator", file.display());
    assert!(stderr(&out).contains(&expected), "{}", stderr(&out));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn bad_arguments_exit_2_with_the_usage() {
    for args in [
        &["run", "a.toml", "--colour"][..],
        &["fly"],
        &[],
        &["run", "a.toml", "--seed", "x"],
    ] {
        let out = simdeck_sim(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains("usage:\n  simdeck-sim run <file.toml>"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(stdout(&out).is_empty());
    }
    let out = simdeck_sim(&["run", "a.toml", "--colour"]);
    assert!(stderr(&out).contains("unknown option `--colour`"));
    let help = simdeck_sim(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).starts_with("usage:"));
}
