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

/// The first shipped scenario of `simulator`, as a path from this crate's directory.
fn shipped_path(simulator: &str) -> (String, &'static str) {
    let scenario = simdeck_sim::shipped()
        .iter()
        .find(|s| s.file_name.starts_with(&format!("{simulator}-")))
        .unwrap();
    (
        format!("{}/../../{}", env!("CARGO_MANIFEST_DIR"), scenario.path),
        scenario.source,
    )
}

fn json_run(args: &[&str]) -> serde_json::Value {
    let out = simdeck_sim(args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

#[test]
fn run_as_json_has_the_documented_keys_in_order() {
    for simulator in ["cgroups", "overlay", "logs", "scheduler"] {
        let (path, _) = shipped_path(simulator);
        let out = simdeck_sim(&["run", &path, "--format", "json"]);
        let text = stdout(&out);
        let trace: serde_json::Value = serde_json::from_str(&text).unwrap();
        let keys: Vec<&str> = trace
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys.len(), 4, "{keys:?}");
        let order: Vec<usize> = ["\"seed\"", "\"steps\"", "\"finished\"", "\"final_state\""]
            .iter()
            .map(|key| text.find(key).unwrap())
            .collect();
        assert!(
            order.windows(2).all(|w| w[0] < w[1]),
            "{path}: keys out of order"
        );
        assert_eq!(trace["finished"], true);
        let steps = trace["steps"].as_array().unwrap();
        assert!(!steps.is_empty(), "{path}");
        for (index, step) in steps.iter().enumerate() {
            assert_eq!(step["step"], index + 1);
            assert!(step["time_ns"].is_u64());
            for key in ["object", "kind", "detail"] {
                assert!(step[key].is_string(), "{path} step {index}: {key}");
            }
            for key in ["id", "says", "source"] {
                assert!(
                    !step["rule"][key].as_str().unwrap().is_empty(),
                    "{path} step {index}: rule.{key}"
                );
            }
        }
    }
}

#[test]
fn inputs_from_a_file_are_given_at_their_steps_and_a_trace_replays_from_its_own() {
    let (path, _) = shipped_path("logs");
    let dir = temp_dir_with(&[(
        "inputs.json",
        r#"[{"at_step": 3, "input": {"action": "stop-agent"}}]"#,
    )]);
    let inputs = dir.join("inputs.json").display().to_string();
    let plain = json_run(&["run", &path, "--format", "json"]);
    let given = json_run(&["run", &path, "--inputs", &inputs, "--format", "json"]);
    assert_eq!(
        given["inputs"],
        serde_json::json!([{ "at_step": 3, "input": { "action": "stop-agent" } }])
    );
    assert!(plain.get("inputs").is_none());
    assert_ne!(given["steps"], plain["steps"], "stopping the agent shows");
    // The trace's own `inputs` replay it byte for byte.
    std::fs::write(dir.join("again.json"), given["inputs"].to_string()).unwrap();
    let again = dir.join("again.json").display().to_string();
    let replayed = simdeck_sim(&["run", &path, "--inputs", &again, "--format", "json"]);
    let first = simdeck_sim(&["run", &path, "--inputs", &inputs, "--format", "json"]);
    assert_eq!(stdout(&replayed), stdout(&first));
}

#[test]
fn bad_inputs_files_say_which_input_and_why() {
    let (path, _) = shipped_path("logs");
    let dir = temp_dir_with(&[
        (
            "refused.json",
            r#"[{"at_step": 3, "input": {"action": "fly"}}]"#,
        ),
        (
            "late.json",
            r#"[{"at_step": 100000, "input": {"action": "stop-agent"}}]"#,
        ),
        ("broken.json", r#"[{"at_step": 3, "input": "#),
    ]);
    let error = |name: &str| {
        let file = dir.join(name).display().to_string();
        let out = simdeck_sim(&["run", &path, "--inputs", &file]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        stderr(&out)
    };
    let refused = error("refused.json");
    assert!(
        refused.contains("input 1 at step 3 is refused"),
        "{refused}"
    );
    assert!(refused.contains("unknown variant `fly`"), "{refused}");
    let late = error("late.json");
    assert!(
        late.contains("input 1 is for step 100000, but the run ends at step"),
        "{late}"
    );
    let broken = error("broken.json");
    assert!(broken.contains("expected an array of"), "{broken}");
    assert!(broken.contains("line 1"), "{broken}");
}

#[test]
fn seed_overrides_the_file_and_steps_stop_early() {
    let (path, source) = shipped_path("cgroups");
    let header = sim_core::scenario::read_header(&path, source).unwrap();
    let own = json_run(&["run", &path, "--format", "json"]);
    assert_eq!(own["seed"], header.seed);
    let other_seed = header.seed + 1000;
    let reseeded = json_run(&[
        "run",
        &path,
        "--format=json",
        "--seed",
        &other_seed.to_string(),
    ]);
    assert_eq!(reseeded["seed"], other_seed);
    let cut = json_run(&["run", &path, "--format", "json", "--steps", "2"]);
    assert_eq!(cut["steps"].as_array().unwrap().len(), 2);
    assert_eq!(cut["finished"], false);
    assert_eq!(cut["steps"][1], own["steps"][1]);
}

#[test]
fn run_as_text_prints_one_line_per_step_then_the_final_state() {
    let (path, _) = shipped_path("overlay");
    let trace = json_run(&["run", &path, "--format", "json"]);
    let out = simdeck_sim(&["run", &path]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let first = &trace["steps"][0];
    let line = format!(
        "#1  {}  {}  {}  {}  [{}: {} — {}]",
        sim_core::SimTime(first["time_ns"].as_u64().unwrap()),
        first["object"].as_str().unwrap(),
        first["kind"].as_str().unwrap(),
        first["detail"].as_str().unwrap(),
        first["rule"]["id"].as_str().unwrap(),
        first["rule"]["says"].as_str().unwrap(),
        first["rule"]["source"].as_str().unwrap(),
    );
    assert!(text.lines().any(|l| l == line), "{line}\nnot in\n{text}");
    let steps = trace["steps"].as_array().unwrap().len();
    assert_eq!(
        text.lines()
            .filter(|l| l.starts_with('#') && !l.starts_with("# "))
            .count(),
        steps
    );
    let (_, state) = text.split_once("final state:\n").unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(state).unwrap(),
        trace["final_state"]
    );
}

#[test]
fn check_without_a_directory_checks_every_shipped_scenario() {
    let out = Command::new(env!("CARGO_BIN_EXE_simdeck-sim"))
        .arg("check")
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let printed = stdout(&out);
    for scenario in simdeck_sim::shipped() {
        assert!(
            printed.contains(&format!("ok {} (", scenario.path)),
            "{printed}"
        );
    }
}

#[test]
fn check_reports_what_a_simulator_rejects_at_its_line() {
    let (_, logs) = shipped_path("logs");
    let action = "action = \"write\"";
    let line = logs.lines().position(|l| l.starts_with(action)).unwrap() + 1;
    let bad_logs = logs.replacen(action, "action = \"explode\"", 1);
    let bad_cgroups = "[scenario]\ntitle = \"t\"\nsimulator = \"cgroups\"\n\n[bogus]\nx = 1\n";
    let dir = temp_dir_with(&[
        ("cgroups-bad.toml", bad_cgroups),
        ("logs-bad.toml", &bad_logs),
    ]);
    let out = simdeck_sim(&["check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let printed = stdout(&out);
    let cgroups = format!("{}:5:", dir.join("cgroups-bad.toml").display());
    assert!(
        printed.contains(&cgroups) && printed.contains("`bogus`"),
        "{printed}"
    );
    let logs = format!(
        "{}:{line}:10: unknown variant `explode`",
        dir.join("logs-bad.toml").display()
    );
    assert!(printed.contains(&logs), "{printed}");
    std::fs::remove_dir_all(dir).unwrap();
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
        "{}:3:13: unknown simulator `cgroupz`: expected one of `cgroups`, `overlay`, `logs`",
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
