//! Section 6 of semantics.md, rule by rule, through whole scenarios.

use proptest::prelude::*;
use sim_core::{Event, Fact, Player};
use sim_logs::{rules, LogsFact, LogsSim};

/// More steps than any scenario here takes.
const STEP_LIMIT: usize = 100_000;

const HEADER: &str = "[scenario]\ntitle = \"t\"\nsimulator = \"logs\"\nseed = 5\n";
const COUNTER: &str =
    "[[pods]]\nname = \"counter\"\nuid = \"u1\"\n[[pods.containers]]\nname = \"count\"\n";
const DIR: &str = "/var/log/pods/default_counter_u1/count/";

fn sim(rest: &str) -> LogsSim {
    let src = format!("{HEADER}{rest}");
    LogsSim::new(
        sim_logs::load("t.toml", &src)
            .unwrap_or_else(|e| panic!("{e}"))
            .1,
    )
}

fn run(rest: &str) -> Player<LogsSim> {
    let mut p = Player::new(sim(rest), 5);
    assert!(p.run_to_end(STEP_LIMIT));
    p
}

fn write(at_ms: u64, stream: &str, text: &str, repeat: u64, every_ms: u64) -> String {
    format!("[[script]]\nat_ms = {at_ms}\naction = \"write\"\npod = \"counter\"\ncontainer = \"count\"\nstream = \"{stream}\"\ntext = \"{text}\"\nrepeat = {repeat}\nevery_ms = {every_ms}\n")
}

fn action(at_ms: u64, action: &str, extra: &str) -> String {
    format!("[[script]]\nat_ms = {at_ms}\naction = \"{action}\"\npod = \"counter\"\ncontainer = \"count\"\n{extra}")
}

fn output(p: &Player<LogsSim>) -> Vec<String> {
    p.sim().last_output().unwrap().output.clone()
}

fn events_with(p: &Player<LogsSim>, rule_id: &str) -> Vec<Event<LogsFact>> {
    p.trace()
        .iter()
        .filter(|e| e.fact.rule().id == rule_id)
        .cloned()
        .collect()
}

fn files(p: &Player<LogsSim>) -> Vec<String> {
    p.sim()
        .log_files()
        .into_iter()
        .map(|(f, _)| f.trim_start_matches(DIR).to_string())
        .collect()
}

#[test]
fn worked_example_counter_restart_and_previous() {
    let script = [
        write(1000, "stdout", "{i}: before", 2, 1000),
        action(3000, "crash", ""),
        write(14000, "stdout", "{i}: after", 1, 1000),
        action(15000, "kubectl-logs", ""),
    ]
    .concat();
    let p = run(&format!("{COUNTER}{script}"));
    assert_eq!(files(&p), vec!["0.log", "1.log"]);
    assert_eq!(output(&p), vec!["0: after"]);
    let restarted = events_with(&p, rules::RESTART_NEW_FILE.id);
    assert_eq!(restarted.len(), 1);
    assert!(
        restarted[0].fact.detail().contains(&format!("{DIR}1.log")),
        "{}",
        restarted[0].fact.detail()
    );
    assert_eq!(
        restarted[0].time.as_nanos(),
        13_000_000_000,
        "10 s back-off after the crash at 3 s"
    );
    let p = run(&format!(
        "{COUNTER}{script}{}",
        action(16000, "kubectl-logs", "previous = true\n")
    ));
    assert_eq!(output(&p), vec!["0: before", "1: before"]);
    assert!(p
        .last_event()
        .unwrap()
        .fact
        .detail()
        .contains(&format!("{DIR}0.log")));
    assert_eq!(
        *p.last_event().unwrap().fact.rule(),
        rules::KUBECTL_PREVIOUS
    );
}

#[test]
fn first_file_is_restart_zero_with_a_containers_symlink() {
    let p = run(&format!(
        "{COUNTER}{}",
        write(0, "stdout", "log content", 1, 1)
    ));
    assert_eq!(files(&p), vec!["0.log"]);
    let state = p.sim().clone();
    let json = sim_core::JsonState::state_json(&state, p.now());
    let link = &json["symlinks"][0];
    let name = link["link"].as_str().unwrap();
    let id = json["pods"][0]["containers"][0]["container_id"]
        .as_str()
        .unwrap();
    assert_eq!(
        name,
        format!("/var/log/containers/counter_default_count-{id}.log")
    );
    assert_eq!(link["target"], format!("{DIR}0.log"));
    assert_eq!(id.len(), 64);
    let line = &json["files"][0]["last_lines"][0];
    assert_eq!(line, "1970-01-01T00:00:00Z stdout F log content");
}

#[test]
fn previous_without_a_terminated_instance_fails() {
    let p = run(&format!(
        "{COUNTER}{}",
        action(0, "kubectl-logs", "previous = true\n")
    ));
    let last = p.last_event().unwrap();
    assert_eq!(*last.fact.rule(), rules::KUBECTL_PREVIOUS_MISSING);
    assert!(last
        .fact
        .detail()
        .contains("previous terminated container \"count\" in pod \"counter\" not found"));
}

#[test]
fn long_output_becomes_partial_lines_that_kubectl_joins() {
    let node = "[node]\nmax_line_size = 10\n";
    let script = format!(
        "{}{}",
        "[[script]]\nat_ms = 0\naction = \"write\"\npod = \"counter\"\ncontainer = \"count\"\nstream = \"stderr\"\ntext = \"abc\"\nlength = 25\n",
        action(1, "kubectl-logs", "")
    );
    let p = run(&format!("{node}{COUNTER}{script}"));
    let tags: Vec<&str> = p
        .trace()
        .iter()
        .filter(|e| e.fact.kind().ends_with("line"))
        .map(|e| e.fact.rule().id)
        .collect();
    assert_eq!(
        tags,
        vec![
            rules::CRI_PARTIAL_LINE.id,
            rules::CRI_PARTIAL_LINE.id,
            rules::CRI_FULL_LINE.id
        ]
    );
    let json = sim_core::JsonState::state_json(p.sim(), p.now());
    let lines: Vec<&str> = json["files"][0]["last_lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert_eq!(
        lines,
        vec![
            "1970-01-01T00:00:00Z stderr P abcabcabca",
            "1970-01-01T00:00:00Z stderr P bcabcabcab",
            "1970-01-01T00:00:00Z stderr F cabca",
        ]
    );
    assert_eq!(output(&p), vec!["abcabcabcabcabcabcabcabca"]);
}

#[test]
fn rotation_happens_only_at_checks_and_only_at_max_size() {
    // 10-byte messages make 31-byte lines; 100 bytes are reached by the 4th line at 3 s.
    let node = "[node]\ncontainer_log_max_size = \"100\"\ncontainer_log_max_files = 5\n";
    let p = run(&format!(
        "{node}{COUNTER}{}{}",
        write(0, "stdout", "0123456789", 3, 1000),
        write(3000, "stdout", "0123456789", 1, 1000) + &action(25000, "ls", "")
    ));
    let renames = events_with(&p, rules::ROTATE_RENAME.id);
    assert_eq!(
        renames.len(),
        1,
        "93 bytes at the 0 s check is under the limit; 124 at 10 s is over"
    );
    assert_eq!(renames[0].time.as_nanos(), 10_000_000_000);
    assert!(renames[0]
        .fact
        .detail()
        .contains("renamed to /var/log/pods/default_counter_u1/count/0.log.19700101-000010"));
    assert_eq!(files(&p), vec!["0.log", "0.log.19700101-000010"]);
    assert_eq!(p.sim().log_files()[0].1, 0, "the reopened file is empty");
}

#[test]
fn rotation_keeps_max_files_minus_two_rotated_gzips_older_and_kubectl_reads_newest_only() {
    let node =
        "[node]\ncontainer_log_max_size = \"60\"\ncontainer_log_max_files = 4\ngzip_percent = 50\n";
    let mut p = Player::new(
        sim(&format!(
            "{node}{COUNTER}{}{}",
            write(0, "stdout", "{i}", 100, 500),
            action(50000, "kubectl-logs", "")
        )),
        5,
    );
    let rotated_now = |p: &Player<LogsSim>| -> Vec<String> {
        files(p)
            .into_iter()
            .filter(|f| f.starts_with("0.log."))
            .collect()
    };
    let mut before = rotated_now(&p);
    let mut kubectl_step_lines = None;
    while p.forward().is_some() {
        let e = p.last_event().unwrap().clone();
        let n = p.sim().log_files().len();
        assert!(
            n <= 4,
            "{n} files after step {}: {:?}",
            p.position(),
            p.sim().log_files()
        );
        if *e.fact.rule() == rules::ROTATE_RENAME {
            assert!(
                before.len() <= 2,
                "at most MaxFiles - 2 rotated before the rename: {before:?}"
            );
            assert!(
                before.iter().all(|f| f.ends_with(".gz")),
                "all older rotated files gzipped: {before:?}"
            );
        }
        if *e.fact.rule() == rules::KUBECTL_LOGS {
            kubectl_step_lines =
                sim_core::JsonState::state_json(p.sim(), p.now())["files"][0]["lines"].as_u64();
        }
        before = rotated_now(&p);
    }
    let names = files(&p);
    let rotated: Vec<&String> = names.iter().filter(|f| f.starts_with("0.log.")).collect();
    assert_eq!(rotated.len(), 3, "{names:?}");
    let plain: Vec<&&String> = rotated.iter().filter(|f| !f.ends_with(".gz")).collect();
    assert_eq!(
        plain.len(),
        1,
        "only the newest rotated file stays plain: {names:?}"
    );
    assert!(
        rotated
            .iter()
            .all(|f| f.ends_with(".gz") || f > &rotated[0]),
        "{names:?}"
    );
    assert_eq!(
        plain[0],
        rotated.last().unwrap(),
        "the plain one is the newest"
    );
    let removed = events_with(&p, rules::ROTATE_REMOVE_EXCESS.id);
    assert!(
        !removed.is_empty()
            && removed
                .iter()
                .all(|e| e.fact.detail().contains("keep at most 2 rotated files"))
    );
    // Compressed size follows the stated model.
    for e in events_with(&p, rules::ROTATE_COMPRESS.id) {
        let sizes: Vec<u64> = e
            .fact
            .detail()
            .split(": ")
            .nth(1)
            .unwrap()
            .split(" bytes")
            .next()
            .unwrap()
            .split(" -> ")
            .map(|n| n.parse().unwrap())
            .collect();
        assert_eq!(
            sizes[1],
            18 + (sizes[0] * 50).div_ceil(100),
            "{}",
            e.fact.detail()
        );
    }
    // kubectl logs shows exactly the lines of the current file.
    assert_eq!(Some(output(&p).len() as u64), kubectl_step_lines);
    assert!(output(&p).len() < 100);
    assert_eq!(output(&p).last().unwrap(), "99");
}

#[test]
fn a_stopped_container_is_not_rotated_and_writes_nothing() {
    let node = "[node]\ncontainer_log_max_size = \"10\"\n";
    let script = [
        write(500, "stdout", "hello", 1, 1),
        action(1000, "crash", ""),
        write(2000, "stdout", "ignored", 1, 1),
        action(10500, "ls", ""),
    ]
    .concat();
    let p = run(&format!("{node}{COUNTER}{script}"));
    assert!(events_with(&p, rules::ROTATE_RENAME.id).is_empty());
    assert_eq!(events_with(&p, rules::NOT_RUNNING.id).len(), 1);
    assert_eq!(
        output(&p).len(),
        1,
        "the 10 s check left the stopped container's file alone: {:?}",
        output(&p)
    );
    assert!(
        output(&p)[0].ends_with(" 0.log (inode 1)"),
        "{:?}",
        output(&p)
    );
    let listed = events_with(&p, rules::LIST_LOG_DIR.id).pop().unwrap();
    assert!(
        listed.fact.detail().starts_with("1 file(s): 0.log (")
            && listed.fact.detail().ends_with(" bytes, inode 1)"),
        "the spoken listing names the file first, then its size: {}",
        listed.fact.detail()
    );
}

#[test]
fn keeping_one_rotated_file_is_said_in_the_singular() {
    let node = "[node]\ncontainer_log_max_size = \"100\"\ncontainer_log_max_files = 3\n";
    let script = write(
        0,
        "stdout",
        "{i}: a line of forty bytes or so......",
        60,
        1000,
    );
    let p = run(&format!("{node}{COUNTER}{script}"));
    let removed = events_with(&p, rules::ROTATE_REMOVE_EXCESS.id);
    assert!(!removed.is_empty());
    for e in removed {
        assert!(
            e.fact.detail().ends_with("to keep at most 1 rotated file"),
            "{}",
            e.fact.detail()
        );
    }
}

#[test]
fn back_off_doubles_between_restarts() {
    let script = [
        action(0, "crash", ""),
        action(11000, "crash", ""),
        action(32000, "crash", ""),
        action(80000, "ls", ""),
    ]
    .concat();
    let p = run(&format!("{COUNTER}{script}"));
    let times: Vec<u64> = events_with(&p, rules::RESTART_NEW_FILE.id)
        .iter()
        .map(|e| e.time.as_nanos() / 1_000_000_000)
        .collect();
    assert_eq!(times, vec![10, 31, 72]);
}

#[test]
fn each_restart_follows_its_back_off_and_names_the_next_one() {
    let script = [action(0, "crash", ""), action(11000, "crash", "")].concat();
    let p = run(&format!("{COUNTER}{script}"));
    let trace = p.trace();
    let over: Vec<(usize, u64, String)> = trace
        .iter()
        .enumerate()
        .filter(|(_, e)| *e.fact.rule() == rules::RESTART_BACKOFF)
        .map(|(i, e)| (i, e.time.as_nanos() / 1_000_000_000, e.fact.detail()))
        .collect();
    assert_eq!(over.len(), 2, "{over:?}");
    assert_eq!((over[0].1, over[1].1), (10, 31));
    assert!(over[0].2.contains("back-off of 10 s") && over[0].2.ends_with("wait 20 s"));
    assert!(over[1].2.contains("back-off of 20 s") && over[1].2.ends_with("wait 40 s"));
    for (i, at, _) in &over {
        let next = &trace[i + 1];
        assert_eq!(*next.fact.rule(), rules::RESTART_NEW_FILE);
        assert_eq!(next.time.as_nanos() / 1_000_000_000, *at);
    }
}

#[test]
fn node_agent_ships_every_message_once_across_rotations() {
    let node = "[node]\ncontainer_log_max_size = \"100\"\ncontainer_log_max_files = 3\nmax_line_size = 8\n";
    let agent = "[agent]\nname = \"fluent-bit\"\npoll_interval_ms = 3000\n";
    let p = run(&format!(
        "{node}{agent}{COUNTER}{}{}",
        write(0, "stdout", "message {i}", 40, 1000),
        action(60000, "ls", "")
    ));
    assert!(events_with(&p, rules::ROTATE_RENAME.id).len() >= 3);
    assert!(!events_with(&p, rules::AGENT_RELEASE_ROTATED.id).is_empty());
    assert!(events_with(&p, rules::AGENT_MISSED.id).is_empty());
    let shipped: Vec<String> = p.sim().backend().iter().map(|r| r.text.clone()).collect();
    let expected: Vec<String> = (0..40).map(|i| format!("message {i}")).collect();
    assert_eq!(
        shipped, expected,
        "P lines are joined and nothing is lost or repeated"
    );
}

#[test]
fn a_late_agent_misses_files_rotated_before_it_looked() {
    let node = "[node]\ncontainer_log_max_size = \"50\"\n";
    let agent = "[agent]\nname = \"fluent-bit\"\npoll_interval_ms = 1000\nstart_ms = 15000\n";
    let p = run(&format!(
        "{node}{agent}{COUNTER}{}{}",
        write(0, "stdout", "early {i}", 3, 1000),
        write(16000, "stdout", "late", 1, 1) + &action(20000, "ls", "")
    ));
    let missed = events_with(&p, rules::AGENT_MISSED.id);
    assert_eq!(missed.len(), 1);
    assert!(missed[0].fact.object().ends_with("0.log.19700101-000010"));
    let shipped: Vec<&str> = p.sim().backend().iter().map(|r| r.text.as_str()).collect();
    assert_eq!(shipped, vec!["late"]);
}

#[test]
fn streaming_sidecar_and_sidecar_agent_patterns() {
    let pod = "[[pods]]\nname = \"counter\"\nuid = \"u1\"\nempty_dir = \"/var/log\"\n[[pods.containers]]\nname = \"count\"\n[[pods.containers]]\nname = \"count-log-1\"\nrole = \"streaming-sidecar\"\ntails = \"/var/log/1.log\"\n[[pods.containers]]\nname = \"count-agent\"\nrole = \"agent-sidecar\"\ntails = \"/var/log/2.log\"\n";
    let wf = |at: u64, path: &str, text: &str| {
        format!("[[script]]\nat_ms = {at}\naction = \"write-file\"\npod = \"counter\"\ncontainer = \"count\"\npath = \"{path}\"\ntext = \"{text}\"\n")
    };
    let logs = |at: u64, c: &str| {
        format!("[[script]]\nat_ms = {at}\naction = \"kubectl-logs\"\npod = \"counter\"\ncontainer = \"{c}\"\n")
    };
    let base = format!(
        "{pod}{}{}",
        wf(0, "/var/log/1.log", "streamed"),
        wf(1, "/var/log/2.log", "shipped")
    );
    let p = run(&format!("{base}{}", logs(10, "count-log-1")));
    assert_eq!(output(&p), vec!["streamed"]);
    assert_eq!(events_with(&p, rules::STREAMING_SIDECAR.id).len(), 1);
    let p = run(&format!("{base}{}", logs(10, "count")));
    assert!(output(&p).is_empty(), "the app's own stdout is empty");
    let p = run(&format!("{base}{}", logs(10, "count-agent")));
    assert!(
        output(&p).is_empty(),
        "the sidecar agent's lines are not in kubectl logs"
    );
    let backend = p.sim().backend();
    assert_eq!(backend.len(), 1);
    assert_eq!(
        (backend[0].shipped_by.as_str(), backend[0].text.as_str()),
        ("sidecar counter/count-agent", "shipped")
    );
    let in_pods: u64 = p
        .sim()
        .log_files()
        .iter()
        .filter(|(f, _)| f.contains("/count-agent/"))
        .map(|(_, s)| *s)
        .sum();
    assert_eq!(in_pods, 0);
}

#[test]
fn parse_line_action_reports_meaning_or_located_error() {
    let good = "[[script]]\nat_ms = 0\naction = \"parse-line\"\nline = \"2016-10-06T00:17:09.669794202Z stdout F log content\"\n";
    let p = run(&format!("{COUNTER}{good}"));
    assert_eq!(
        p.last_event().unwrap().fact.detail(),
        "stream stdout, full line, content \"log content\", time 2016-10-06T00:17:09.669794202Z"
    );
    let unknown_tag = good.replace("stdout F", "stdout X");
    let p = run(&format!("{COUNTER}{unknown_tag}"));
    assert_eq!(p.last_event().unwrap().fact.kind(), "parsed");
    assert!(p.last_event().unwrap().fact.detail().contains("full line"));
    let bad = good.replace("stdout F", "stdin F");
    let p = run(&format!("{COUNTER}{bad}"));
    assert_eq!(p.last_event().unwrap().fact.kind(), "parse-error");
    assert!(p
        .last_event()
        .unwrap()
        .fact
        .detail()
        .starts_with("line 1, column 32, stream:"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn files_per_container_never_exceed_max_files(max_files in 2u64..6, max_size in 40u64..400, len in 1u64..200, repeat in 1u64..80) {
        let node = format!("[node]\ncontainer_log_max_size = \"{max_size}\"\ncontainer_log_max_files = {max_files}\nmax_line_size = 64\n");
        let script = format!("[[script]]\nat_ms = 0\naction = \"write\"\npod = \"counter\"\ncontainer = \"count\"\nstream = \"stdout\"\ntext = \"x{{i}}\"\nlength = {len}\nrepeat = {repeat}\nevery_ms = 700\n");
        let mut p = Player::new(sim(&format!("{node}{COUNTER}{script}")), 1);
        while p.forward().is_some() {
            prop_assert!(p.sim().log_files().len() as u64 <= max_files, "{:?}", p.sim().log_files());
        }
    }
}

#[test]
fn adding_a_pod_changes_no_other_pods_uid_or_container_id() {
    let counter = "[[pods]]\nname = \"counter\"\n[[pods.containers]]\nname = \"count\"\n";
    let other = "[[pods]]\nname = \"web\"\n[[pods.containers]]\nname = \"nginx\"\n";
    let crash = action(1000, "crash", "");
    let ids = |pods: &str| {
        let p = run(&format!("{pods}{crash}"));
        let sim = p.sim();
        let c = sim
            .containers()
            .into_iter()
            .find(|c| c.pod == "counter")
            .unwrap();
        (
            c.container_id.unwrap().to_string(),
            c.restart_count,
            sim.log_files(),
        )
    };
    let alone = ids(counter);
    let with_other = ids(&format!("{other}{counter}"));
    assert_eq!(alone.1, 1, "the crash restarted the container");
    assert_eq!(alone.0.len(), 64);
    assert_eq!(alone.0, with_other.0);
    let counter_files = |files: &[(String, u64)]| -> Vec<String> {
        files
            .iter()
            .filter(|(f, _)| f.contains("_counter_"))
            .map(|(f, _)| f.clone())
            .collect()
    };
    assert_eq!(counter_files(&alone.2), counter_files(&with_other.2));
    assert!(counter_files(&alone.2)[0].starts_with("/var/log/pods/default_counter_"));
}
