//! Replay is exact: on random scenarios (random pods and containers, writes of
//! random lengths, crashes and restarts, rotation settings, agent on or off), a
//! player moved to any step, forward, back or by random jumps, shows exactly the
//! state and trace of a run that only ever went forward.

use proptest::prelude::*;
use sim_core::{JsonState, Player};
use sim_logs::LogsSim;

/// More steps than any generated scenario takes.
const STEP_LIMIT: usize = 100_000;
use std::fmt::Write as _;

/// One pod of a generated scenario.
#[derive(Debug, Clone)]
struct PodGen {
    apps: usize,
    empty_dir: bool,
    streaming_sidecar: bool,
    agent_sidecar: bool,
    fixed_uid: bool,
}

/// One script entry of a generated scenario, with indices taken modulo what exists.
#[derive(Debug, Clone)]
struct EntryGen {
    kind: u8,
    at_ms: u64,
    pod: usize,
    container: usize,
    stderr: bool,
    length: Option<u64>,
    repeat: u64,
    every_ms: u64,
    previous: bool,
    exit_code: u8,
    second_file: bool,
}

/// A whole generated scenario.
#[derive(Debug, Clone)]
struct ScenarioGen {
    seed: u64,
    max_size: u64,
    max_files: u64,
    max_line_size: i64,
    monitor_s: u64,
    gzip_percent: u64,
    agent: Option<(u64, u64)>,
    pods: Vec<PodGen>,
    script: Vec<EntryGen>,
}

fn pod_gen() -> impl Strategy<Value = PodGen> {
    (
        1usize..=2,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(apps, empty_dir, streaming_sidecar, agent_sidecar, fixed_uid)| PodGen {
                apps,
                empty_dir,
                streaming_sidecar: empty_dir && streaming_sidecar,
                agent_sidecar: empty_dir && agent_sidecar,
                fixed_uid,
            },
        )
}

fn entry_gen() -> impl Strategy<Value = EntryGen> {
    (
        (0u8..7, 0u64..40_000, 0usize..8, 0usize..8, any::<bool>()),
        (
            prop::option::of(0u64..400),
            1u64..20,
            1u64..4_000,
            any::<bool>(),
            1u8..=255,
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (kind, at_ms, pod, container, stderr),
                (length, repeat, every_ms, previous, exit_code, second_file),
            )| EntryGen {
                kind,
                at_ms,
                pod,
                container,
                stderr,
                length,
                repeat,
                every_ms,
                previous,
                exit_code,
                second_file,
            },
        )
}

fn scenario_gen() -> impl Strategy<Value = ScenarioGen> {
    (
        (
            0u64..1 << 40,
            40u64..800,
            2u64..7,
            prop_oneof![Just(-1i64), Just(0), 16i64..200],
            3u64..15,
            1u64..=100,
        ),
        prop::option::of((100u64..6_000, 0u64..20_000)),
        prop::collection::vec(pod_gen(), 1..=3),
        prop::collection::vec(entry_gen(), 1..12),
    )
        .prop_map(
            |(
                (seed, max_size, max_files, max_line_size, monitor_s, gzip_percent),
                agent,
                pods,
                script,
            )| {
                ScenarioGen {
                    seed,
                    max_size,
                    max_files,
                    max_line_size,
                    monitor_s,
                    gzip_percent,
                    agent,
                    pods,
                    script,
                }
            },
        )
}

impl ScenarioGen {
    /// The scenario as a TOML file the loader accepts.
    fn to_toml(&self) -> String {
        let mut s = format!(
            "[scenario]\ntitle = \"random\"\nsimulator = \"logs\"\nseed = {}\n\
             [node]\ncontainer_log_max_size = \"{}\"\ncontainer_log_max_files = {}\n\
             max_line_size = {}\ncontainer_log_monitor_interval_s = {}\ngzip_percent = {}\n",
            self.seed,
            self.max_size,
            self.max_files,
            self.max_line_size,
            self.monitor_s,
            self.gzip_percent
        );
        if let Some((poll, start)) = self.agent {
            let _ = write!(
                s,
                "[agent]\nname = \"fluent-bit\"\npoll_interval_ms = {poll}\nstart_ms = {start}\n"
            );
        }
        for (i, pod) in self.pods.iter().enumerate() {
            let _ = write!(
                s,
                "[[pods]]\nnamespace = \"ns{}\"\nname = \"pod{i}\"\n",
                i % 2
            );
            if pod.fixed_uid {
                let _ = writeln!(s, "uid = \"uid-{i}\"");
            }
            if pod.empty_dir {
                s.push_str("empty_dir = \"/var/log\"\n");
            }
            for c in 0..pod.apps {
                let _ = write!(s, "[[pods.containers]]\nname = \"app{c}\"\n");
            }
            if pod.streaming_sidecar {
                s.push_str("[[pods.containers]]\nname = \"tail\"\nrole = \"streaming-sidecar\"\ntails = \"/var/log/1.log\"\n");
            }
            if pod.agent_sidecar {
                s.push_str("[[pods.containers]]\nname = \"ship\"\nrole = \"agent-sidecar\"\ntails = \"/var/log/2.log\"\n");
            }
        }
        for e in &self.script {
            let pod_index = e.pod % self.pods.len();
            let pod = &self.pods[pod_index];
            let mut names: Vec<String> = (0..pod.apps).map(|c| format!("app{c}")).collect();
            if pod.streaming_sidecar {
                names.push("tail".into());
            }
            if pod.agent_sidecar {
                names.push("ship".into());
            }
            let any_container = &names[e.container % names.len()];
            let app = format!("app{}", e.container % pod.apps);
            let target = |c: &str| {
                format!(
                    "[[script]]\nat_ms = {}\npod = \"ns{}/pod{pod_index}\"\ncontainer = \"{c}\"\n",
                    e.at_ms,
                    pod_index % 2
                )
            };
            let writes = format!(
                "text = \"{{i}} {}\"\nrepeat = {}\nevery_ms = {}\n{}",
                if e.stderr { "oops" } else { "line" },
                e.repeat,
                e.every_ms,
                e.length
                    .map_or_else(String::new, |n| format!("length = {n}\n"))
            );
            match e.kind {
                0 | 1 => {
                    let stream = if e.stderr { "stderr" } else { "stdout" };
                    let _ = write!(
                        s,
                        "{}action = \"write\"\nstream = \"{stream}\"\n{writes}",
                        target(&app)
                    );
                }
                2 if pod.empty_dir => {
                    let file = if e.second_file { 2 } else { 1 };
                    let _ = write!(
                        s,
                        "{}action = \"write-file\"\npath = \"/var/log/{file}.log\"\n{writes}",
                        target(&app)
                    );
                }
                2 | 3 => {
                    let _ = write!(
                        s,
                        "{}action = \"crash\"\nexit_code = {}\n",
                        target(any_container),
                        e.exit_code
                    );
                }
                4 => {
                    let _ = write!(
                        s,
                        "{}action = \"kubectl-logs\"\nprevious = {}\n",
                        target(any_container),
                        e.previous
                    );
                }
                5 => {
                    let _ = writeln!(s, "{}action = \"ls\"", target(any_container));
                }
                _ => {
                    let tag = if e.previous { "P" } else { "F" };
                    let stream = if e.stderr { "stderr" } else { "stdin" };
                    let _ = write!(s, "[[script]]\nat_ms = {}\naction = \"parse-line\"\nline = \"2016-10-06T00:17:09Z {stream} {tag} x{}\"\n", e.at_ms, e.repeat);
                }
            }
        }
        s
    }
}

/// A player's position, virtual time and state, to compare exactly.
fn snapshot(p: &Player<LogsSim>) -> (usize, u64, String) {
    (
        p.position(),
        p.now().as_nanos(),
        p.sim().state_json(p.now()).to_string(),
    )
}

/// A way to move a player.
#[derive(Debug, Clone)]
enum Move {
    Seek(usize),
    Back,
    Forward,
}

fn moves() -> impl Strategy<Value = Vec<Move>> {
    prop::collection::vec(
        prop_oneof![
            (0usize..2_000).prop_map(Move::Seek),
            Just(Move::Back),
            Just(Move::Forward),
        ],
        1..24,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn any_seek_on_a_random_scenario_reproduces_the_forward_run(scenario in scenario_gen(), moves in moves()) {
        let src = scenario.to_toml();
        let (header, config) = sim_logs::load("random.toml", &src).map_err(|e| TestCaseError::fail(format!("{e}\n{src}")))?;
        let sim = LogsSim::new(config);
        let mut reference = Player::new(sim.clone(), header.seed);
        let mut at_step = vec![snapshot(&reference)];
        while reference.forward().is_some() {
            at_step.push(snapshot(&reference));
        }
        prop_assert!(reference.at_end() && reference.position() < STEP_LIMIT);
        let total = reference.position();
        let same = |p: &Player<LogsSim>| {
            snapshot(p) == at_step[p.position()] && p.trace() == &reference.trace()[..p.position()]
        };
        let mut p = Player::new(sim, header.seed);
        for target in 0..=total {
            p.seek(target);
            prop_assert_eq!(p.position(), target);
            prop_assert!(same(&p), "seek forward to {} of {}", target, total);
        }
        for target in (0..=total).rev() {
            p.seek(target);
            prop_assert_eq!(p.position(), target);
            prop_assert!(same(&p), "seek back to {} of {}", target, total);
        }
        for m in moves {
            match m {
                Move::Seek(target) => {
                    let reached = p.seek(target % (total + 2));
                    prop_assert_eq!(reached, (target % (total + 2)).min(total));
                }
                Move::Back => {
                    p.back();
                }
                Move::Forward => {
                    p.forward();
                }
            }
            prop_assert!(same(&p), "after {:?}", m);
        }
        p.run_to_end(STEP_LIMIT);
        prop_assert_eq!(p.to_trace().to_json(), reference.to_trace().to_json());
    }
}
