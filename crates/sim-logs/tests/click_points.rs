//! The shipped scenarios' click points stop where their names say.

mod common;

use common::{shipped, Loaded, STEP_LIMIT};
use sim_core::{Player, Timeline};
use sim_logs::LogsSim;

/// A player of `name` and the step of each click (index 0: the start).
fn clicks(name: &str) -> (Player<LogsSim>, Vec<usize>) {
    let file: Loaded = shipped().into_iter().find(|l| l.name == name).unwrap();
    let mut player = file.player();
    let timeline = Timeline::record(&mut player, STEP_LIMIT);
    let steps = timeline.click_steps(&file.header.clicks);
    assert_eq!(steps.len(), file.header.clicks.len() + 1, "{name}");
    assert!(
        steps.windows(2).all(|w| w[0] < w[1]),
        "{name}: each click moves on: {steps:?}"
    );
    (player, steps)
}

fn command(sim: &LogsSim) -> (String, Vec<String>) {
    let out = sim.last_output().expect("a command ran");
    (out.command.clone(), out.output.clone())
}

#[test]
fn node_level_clicks_show_writes_rotation_kubectl_logs_and_previous() {
    let (mut p, steps) = clicks("logs-node-level.toml");
    p.seek(steps[1]);
    let files: Vec<_> = p
        .sim()
        .files()
        .map(|f| (f.name().to_string(), f.lines()))
        .collect();
    assert_eq!(files, [("0.log".to_string(), 5)]);
    p.seek(steps[2]);
    assert_eq!(p.sim().rotated_files().count(), 1);
    assert!(p.sim().rotated_files().all(|f| !f.gzip));
    p.seek(steps[3]);
    let max_files = p.sim().settings().container_log_max_files as usize;
    assert_eq!(
        p.sim().files().count(),
        max_files,
        "the count limit is reached"
    );
    assert!(p.sim().rotated_files().any(|f| f.gzip));
    p.seek(steps[4]);
    let (typed, output) = command(p.sim());
    assert_eq!(typed, "kubectl logs counter -c count");
    let current = p.sim().files().find(|f| !f.rotated).unwrap();
    assert_eq!(
        output.len(),
        current.lines(),
        "only the newest file is read"
    );
    p.seek(steps[5]);
    let c = &p.sim().containers()[0];
    assert_eq!(c.restart_count, 1);
    assert!(c.log_file.as_deref().unwrap().ends_with("/1.log"));
    p.seek(steps[6]);
    let (typed, output) = command(p.sim());
    assert_eq!(typed, "kubectl logs counter -c count --previous");
    assert_eq!(
        output.last().map(String::as_str),
        Some("fatal: counter overflow")
    );
}

#[test]
fn agent_clicks_show_the_late_start_offsets_rotation_and_the_end() {
    let (mut p, steps) = clicks("logs-node-agent.toml");
    p.seek(steps[0]);
    assert!(p.sim().agent().unwrap().following.is_empty());
    p.seek(steps[1]);
    let agent = p.sim().agent().unwrap();
    assert_eq!(
        agent.missed.len(),
        1,
        "the file rotated before the agent started"
    );
    assert!(!agent.following.is_empty() && !p.sim().backend().is_empty());
    let shipped_at_1 = p.sim().backend().len();
    p.seek(steps[2]);
    assert!(p.sim().backend().len() > shipped_at_1);
    p.seek(steps.last().copied().unwrap());
    let agent = p.sim().agent().unwrap();
    assert_eq!(
        agent.missed.len(),
        1,
        "rotation under a running agent loses nothing"
    );
    for (ino, tail) in &agent.following {
        let file = p.sim().files().find(|f| f.inode == *ino).unwrap();
        assert_eq!(tail.offset, file.size, "{} is read to its end", file.path);
    }
}

#[test]
fn sidecar_clicks_show_both_sidecars_and_what_kubectl_logs_prints() {
    let (mut p, steps) = clicks("logs-streaming-sidecar.toml");
    p.seek(steps[1]);
    let pod = p.sim().pods().next().unwrap();
    assert_eq!(
        pod.shared_files.keys().collect::<Vec<_>>(),
        ["/var/log/1.log"]
    );
    let sidecar_file = |p: &Player<LogsSim>| {
        p.sim()
            .files()
            .find(|f| f.path.contains("/count-log-1/"))
            .map(|f| f.lines())
    };
    assert_eq!(sidecar_file(&p), Some(1));
    p.seek(steps[2]);
    assert_eq!(
        p.sim().backend().len(),
        1,
        "the sidecar agent shipped 2.log's line"
    );
    p.seek(steps[3]);
    assert!(p
        .sim()
        .backend()
        .iter()
        .any(|r| r.shipped_by == "fluent-bit"));
    for (click, container, printed) in [
        (4, "count", 0),
        (5, "count-log-1", 3),
        (6, "count-agent", 0),
    ] {
        p.seek(steps[click]);
        let (typed, output) = command(p.sim());
        assert_eq!(typed, format!("kubectl logs counter -c {container}"));
        assert_eq!(output.len(), printed, "{container}");
    }
}
