//! Inputs fed into a running simulation: each one's effect, the refusals,
//! and how they appear in the trace.

mod common;

use common::{input_scenario, scenario_inputs, shipped, STEP_LIMIT};
use sim_core::{Fact, JsonState, Player, SimTime};
use sim_logs::cri::Stream;
use sim_logs::{rules, LogsFact, LogsInput, LogsSim};

/// The test scenario's player after `inputs`, run to the end.
fn run_with(inputs: &[(usize, LogsInput)]) -> Player<LogsSim> {
    let mut p = input_scenario().player();
    for (at, input) in inputs {
        assert_eq!(p.seek(*at), *at, "the run is shorter than step {at}");
        p.input(input.clone()).unwrap();
    }
    assert!(p.run_to_end(STEP_LIMIT));
    p
}

/// The facts from step `from` on.
fn facts_after(p: &Player<LogsSim>, from: usize) -> Vec<LogsFact> {
    p.trace()[from..].iter().map(|e| e.fact.clone()).collect()
}

#[test]
fn a_write_input_becomes_a_cri_line_that_the_agent_ships() {
    let inputs = scenario_inputs();
    let (at, write) = inputs[0].clone();
    assert!(matches!(write, LogsInput::Write { .. }));
    let p = run_with(&[(at, write)]);
    let next = &p.trace()[at];
    assert_eq!(*next.fact.rule(), rules::CRI_FULL_LINE);
    assert!(
        next.fact
            .detail()
            .contains(" stderr F injected by the presenter`"),
        "{}",
        next.fact.detail()
    );
    let shipped: Vec<_> = p
        .sim()
        .backend()
        .into_iter()
        .filter(|r| r.text == "injected by the presenter")
        .collect();
    assert_eq!(shipped.len(), 1);
    assert_eq!(shipped[0].stream, "stderr");
}

#[test]
fn an_input_is_planned_on_the_state_the_steps_already_planned_leave() {
    let file = shipped()
        .into_iter()
        .find(|f| f.name == "logs-node-agent.toml")
        .unwrap();
    let mut reference = file.player();
    assert!(reference.run_to_end(STEP_LIMIT));
    let nginx = "pod shop/web container nginx";
    let planned_at_zero = reference
        .trace()
        .iter()
        .take_while(|e| e.time == SimTime::ZERO)
        .count();
    let nginx_started = reference
        .trace()
        .iter()
        .position(|e| matches!(&e.fact, LogsFact::ContainerStarted { container, .. } if container == nginx))
        .unwrap();
    assert!(nginx_started > 0 && nginx_started < planned_at_zero);
    let write = LogsInput::Write {
        pod: "shop/web".into(),
        container: "nginx".into(),
        stream: Stream::Stdout,
        text: "given before nginx started".into(),
    };
    let crash = LogsInput::Crash {
        pod: "shop/web".into(),
        container: "nginx".into(),
        exit_code: 3,
    };
    for at in 0..=planned_at_zero {
        for input in [&write, &crash] {
            let mut p = file.player();
            p.seek(at);
            p.input(input.clone()).unwrap();
            assert!(p.run_to_end(STEP_LIMIT));
            let trace = p.trace();
            assert_eq!(
                trace[..planned_at_zero],
                reference.trace()[..planned_at_zero],
                "input at step {at}: the steps already planned come first, unchanged"
            );
            let effect = &trace[planned_at_zero];
            assert_eq!(effect.time, SimTime::ZERO, "input at step {at}");
            let done = match &effect.fact {
                LogsFact::LineAppended {
                    container, line, ..
                } => {
                    container == nginx
                        && line == "2016-10-06T00:17:09Z stdout F given before nginx started"
                }
                LogsFact::ContainerExited {
                    container,
                    exit_code,
                    ..
                } => container == nginx && *exit_code == 3,
                _ => false,
            };
            assert!(done, "input {input:?} at step {at}: {:?}", effect.fact);
            let refused: Vec<_> = trace[..planned_at_zero + 1]
                .iter()
                .filter(|e| matches!(e.fact, LogsFact::NotRunning { .. }))
                .collect();
            assert!(refused.is_empty(), "input at step {at}: {refused:?}");
        }
    }
}

#[test]
fn a_crash_input_exits_refuses_writes_during_the_back_off_and_restarts() {
    let inputs = scenario_inputs();
    let (at, crash) = inputs[2].clone();
    assert!(matches!(crash, LogsInput::Crash { .. }));
    let p = run_with(&[(at, crash)]);
    let after = facts_after(&p, at);
    assert!(
        matches!(&after[0], LogsFact::ContainerExited { exit_code: 137, .. }),
        "{:?}",
        after[0]
    );
    let first_restart = after
        .iter()
        .position(|f| matches!(f, LogsFact::ContainerRestarted { .. }))
        .unwrap();
    assert!(matches!(
        after[first_restart - 1],
        LogsFact::BackOffOver { backoff_s: 10, .. }
    ));
    let refused = after[..first_restart]
        .iter()
        .filter(|f| {
            matches!(
                f,
                LogsFact::NotRunning {
                    what: "write to its stdout/stderr",
                    ..
                }
            )
        })
        .count();
    assert!(refused >= 9, "writes during the 10 s back-off: {refused}");
    let sim = p.sim();
    assert_eq!(sim.containers()[0].restart_count, 1);
    assert_eq!(
        *p.last_event().unwrap().fact.rule(),
        rules::KUBECTL_PREVIOUS
    );
    assert!(p
        .last_event()
        .unwrap()
        .fact
        .detail()
        .contains("/count/0.log:"));
}

#[test]
fn new_rotation_settings_apply_from_the_next_check() {
    let inputs = scenario_inputs();
    let (at, set) = inputs[1].clone();
    assert!(matches!(set, LogsInput::SetRotation { .. }));
    let p = run_with(&[(at, set)]);
    let after = facts_after(&p, at);
    assert_eq!(
        after[0],
        LogsFact::RotationSettingsChanged {
            old_max_size: 2048,
            max_size: 300,
            old_max_files: 4,
            max_files: 2,
        }
    );
    assert_eq!(p.sim().settings().container_log_max_size, 300);
    assert_eq!(p.sim().settings().container_log_max_files, 2);
    let renames: Vec<u64> = after
        .iter()
        .filter_map(|f| match f {
            LogsFact::Rotated { size, .. } => Some(*size),
            _ => None,
        })
        .collect();
    assert!(renames.len() >= 2, "{renames:?}");
    assert!(
        renames.iter().all(|size| (300..2048).contains(size)),
        "{renames:?}"
    );
    assert!(
        p.sim().rotated_files().count() <= 1,
        "max files 2: the current file and at most one rotated"
    );
}

#[test]
fn a_stopped_agent_ships_nothing_then_resumes_at_its_offsets() {
    let inputs = scenario_inputs();
    let (stop_at, stop) = inputs[3].clone();
    let (start_at, start) = inputs[4].clone();
    assert_eq!((stop, start), (LogsInput::StopAgent, LogsInput::StartAgent));
    let p = run_with(&inputs[3..]);
    let trace = p.trace();
    let stopped = trace[stop_at..]
        .iter()
        .position(|e| matches!(e.fact, LogsFact::AgentStopped { .. }))
        .unwrap()
        + stop_at;
    let started = trace[start_at..]
        .iter()
        .position(|e| matches!(e.fact, LogsFact::AgentStarted { .. }))
        .unwrap()
        + start_at;
    assert!(
        trace[stopped..started].iter().all(|e| !matches!(
            e.fact,
            LogsFact::AgentShipped { .. } | LogsFact::AgentFollows { .. }
        )),
        "nothing is read while the agent is down"
    );
    assert!(
        trace[started..]
            .iter()
            .any(|e| matches!(e.fact, LogsFact::AgentShipped { .. })),
        "it ships again after starting"
    );
    assert!(!p.sim().agent().unwrap().stopped);
    let mut shipped: Vec<&str> = p.sim().backend().iter().map(|r| r.text.as_str()).collect();
    let total = shipped.len();
    shipped.sort_unstable();
    shipped.dedup();
    assert_eq!(shipped.len(), total, "no message is shipped twice");
    let current = p.sim().files().find(|f| !f.rotated).unwrap();
    let last_written = current.text.lines().last().unwrap();
    let last_text = last_written.splitn(4, ' ').nth(3).unwrap();
    assert!(
        shipped.contains(&last_text),
        "{last_text} shipped after the restart"
    );
}

#[test]
fn the_agent_cannot_be_stopped_twice_started_while_running_or_stopped_when_absent() {
    let mut p = input_scenario().player();
    p.seek(5);
    let running = p.input(LogsInput::StartAgent).unwrap_err();
    assert!(running.0.contains("already running"), "{running}");
    p.input(LogsInput::StopAgent).unwrap();
    let twice = p.input(LogsInput::StopAgent).unwrap_err();
    assert!(twice.0.contains("already stopped"), "{twice}");
    p.input(LogsInput::StartAgent).unwrap();
    assert_eq!(p.inputs().len(), 2);
    let src = "[scenario]\ntitle = \"t\"\nsimulator = \"logs\"\n";
    let mut bare = Player::new(LogsSim::new(sim_logs::load("t.toml", src).unwrap().1), 1);
    let absent = bare.input(LogsInput::StopAgent).unwrap_err();
    assert!(absent.0.contains("no node logging agent"), "{absent}");
}

#[test]
fn a_refused_input_changes_nothing_and_says_why() {
    let bad = [
        (
            LogsInput::Crash {
                pod: "web".into(),
                container: "count".into(),
                exit_code: 1,
            },
            "no container `count` in pod `web`",
        ),
        (
            LogsInput::Write {
                pod: "default/counter".into(),
                container: "app".into(),
                stream: Stream::Stdout,
                text: "x".into(),
            },
            "no container `app`",
        ),
        (
            LogsInput::Write {
                pod: "counter".into(),
                container: "count".into(),
                stream: Stream::Stdout,
                text: "two\nlines".into(),
            },
            "newline",
        ),
        (
            LogsInput::SetRotation {
                max_size: 0,
                max_files: 3,
            },
            "at least 1 byte",
        ),
        (
            LogsInput::SetRotation {
                max_size: 100,
                max_files: 1,
            },
            "containerLogMaxFiles is 1: expected 2 to 1000",
        ),
    ];
    let reference = run_with(&[]);
    for (input, says) in bad {
        let mut p = input_scenario().player();
        p.seek(20);
        let state = p.sim().state_json(p.now());
        let error = p.input(input.clone()).unwrap_err();
        assert!(error.0.contains(says), "{input:?}: {error}");
        assert_eq!(p.sim().state_json(p.now()), state);
        assert!(p.inputs().is_empty());
        p.run_to_end(STEP_LIMIT);
        assert_eq!(p.to_trace().to_json(), reference.to_trace().to_json());
    }
}

#[test]
fn the_trace_records_each_input_at_its_step() {
    let p = run_with(&scenario_inputs());
    let json = p.to_trace().to_json();
    assert!(
        json.contains("\"at_step\": 40,\n      \"input\": {\n        \"action\": \"crash\",\n        \"container\": \"count\",\n        \"exit_code\": 137,\n        \"pod\": \"counter\"\n"),
        "{}",
        &json[..json.len().min(2000)]
    );
    assert!(json.contains("\"action\": \"set-rotation\""));
}

#[test]
fn inputs_read_back_from_their_json_as_the_runner_gives_them() {
    for (_, input) in scenario_inputs() {
        let json = serde_json::to_value(&input).unwrap();
        let back: LogsInput = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(back, input, "{json}");
    }
    let typed: LogsInput = serde_json::from_str(
        r#"{"action": "crash", "pod": "shop/web", "container": "nginx", "exit_code": 2}"#,
    )
    .unwrap();
    assert_eq!(
        typed,
        LogsInput::Crash {
            pod: "shop/web".into(),
            container: "nginx".into(),
            exit_code: 2
        }
    );
}
