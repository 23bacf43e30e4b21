//! The shipped cgroups scenarios load, finish and show what their slides
//! promise (that they replay identically is the engine's conformance kit,
//! run on each of them in `inputs.rs`).

mod common;

use common::*;
use sim_cgroups::load;
use sim_cgroups::process::Namespace;
use sim_core::Fact;

#[test]
fn every_shipped_scenario_loads_finishes_and_the_slides_are_each_named_once() {
    let shipped = shipped();
    assert!(shipped.len() >= 4, "scenarios for slides 7-10");
    let mut slides = Vec::new();
    for (name, src) in &shipped {
        let (header, _) = load(name, src).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(header.simulator, "cgroups", "{name}");
        // A runner-only scenario (cgroups-oom-control) names no slide; the
        // slides named in all are checked below.
        assert!(!header.description.is_empty(), "{name}");
        slides.extend(header.slides);
        let trace = run(player(name, src));
        assert!(trace.finished && !trace.steps.is_empty(), "{name}");
        assert!(trace
            .steps
            .iter()
            .all(|e| !e.rule.says.is_empty() && !e.rule.source.is_empty()));
    }
    slides.sort();
    assert_eq!(slides, vec![7, 8, 9, 10]);
}

#[test]
fn slide_8_session_limits_throttles_and_cleans_up() {
    let mut p = shipped_player("cgroups-deck-session.toml");
    // Stop just before `exit` to look inside the running container's group.
    let mut at_exit = None;
    while let Some(e) = p.forward() {
        if e.fact.kind() == "read" && e.fact.object().ends_with("memory.limit_in_bytes") {
            at_exit = Some(p.position());
            break;
        }
    }
    assert!(at_exit.is_some());
    let sim = p.sim();
    let group = sim
        .tree()
        .paths()
        .into_iter()
        .find(|g| g != "/")
        .expect("the $UUID group");
    let cpu = |f: &str| {
        sim.read_file(&format!("/sys/fs/cgroup/cpu{group}/{f}"))
            .unwrap()
    };
    let mem = |f: &str| {
        sim.read_file(&format!("/sys/fs/cgroup/memory{group}/{f}"))
            .unwrap()
    };
    assert_eq!(
        mem("memory.limit_in_bytes"),
        "99999744",
        "100000000 rounded down to pages"
    );
    assert_eq!(cpu("cpu.shares"), "512");
    assert_eq!(cpu("cpu.cfs_period_us"), "1000000");
    assert_eq!(cpu("cpu.cfs_quota_us"), "2000000");
    // 8 threads on 8 CPUs for 3 s with 2 CPUs of quota: 3 periods, all throttled,
    // 2 s of CPU each; each period 8 run queues wait 0.75 s.
    assert_eq!(
        cpu("cpu.stat"),
        "nr_periods 3\nnr_throttled 3\nthrottled_time 18000000000"
    );
    assert_eq!(cpu("cpuacct.usage"), "6000000000");
    let shell = sim
        .processes()
        .values()
        .find(|p| p.command.contains("sh"))
        .unwrap();
    let ns = shell.namespaces;
    assert_eq!(
        (ns.uts, ns.ipc, ns.net),
        (Namespace::New(1), Namespace::New(2), Namespace::New(3))
    );
    for shared in [ns.pid, ns.mnt, ns.user, ns.cgroup] {
        assert_eq!(shared, Namespace::Host, "{ns:?}: stays the host's");
    }
    p.run_to_end(STEP_LIMIT);
    let trace = p.to_trace();
    assert_eq!(
        p.sim().tree().paths(),
        vec!["/"],
        "cgdelete removed the group"
    );
    assert_eq!(trace.steps.last().unwrap().rule.id, "cgroup.delete");
    let throttles = by_rule(&trace, "cfs.throttle");
    let starts: Vec<u64> = throttles.iter().map(|e| e.time_ns).collect();
    assert_eq!(starts, vec![250_000_000, 1_250_000_000, 2_250_000_000]);
}

#[test]
fn slide_9_listing_is_the_slides_listing() {
    let slides = std::fs::read_to_string(scenarios_dir().join("../slides.md")).unwrap();
    let start = slides.find("# ls -l /sys/fs/cgroup/cpu/$UUID\n").unwrap();
    let expected: Vec<&str> = slides[start..]
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with("```"))
        .collect();
    assert_eq!(expected.len(), 15);
    let mut p = shipped_player("cgroups-ls-listing.toml");
    while let Some(e) = p.forward() {
        if e.fact.rule().id == "cgroupfs.list" {
            break;
        }
    }
    assert_eq!(p.sim().terminal(), expected.as_slice());
}

#[test]
fn slide_10_parent_bounds_children_shares_split_and_oom_stays_in_one_child() {
    let end = finish(shipped_player("cgroups-hierarchy.toml"));
    let trace = end.to_trace();
    // Parent quota 0.1 s per 0.1 s; each child may use 0.08 s but they get 0.05 s each.
    let child_periods: Vec<_> = by_rule(&trace, "cfs.period")
        .into_iter()
        .filter(|e| e.object.contains("/team/"))
        .collect();
    assert!(!child_periods.is_empty());
    assert!(child_periods
        .iter()
        .all(|e| e.detail.contains("it ran 0.050 s")));
    assert!(!by_rule(&trace, "cfs.ancestor").is_empty());
    // Shares 512 : 1024 under contention, then all of it for the 512 group.
    let reports = by_rule(&trace, "cpu.shares");
    assert!(reports
        .iter()
        .any(|e| e.detail.contains("/shared/a 0.333 s") && e.detail.contains("/shared/b 0.667 s")));
    assert!(by_rule(&trace, "cpu.uncontended")
        .iter()
        .any(|e| e.detail.contains("/shared/a 1.000 s") && !e.detail.contains("/shared/b")));
    // Reclaim first, then one OOM kill, inside /team/web only.
    let reclaim = by_rule(&trace, "memory.reclaim");
    let kills = by_rule(&trace, "memory.oom-kill");
    assert_eq!(kills.len(), 1);
    assert!(reclaim[0].step < kills[0].step);
    assert_eq!(kills[0].object, "cgroup memory:/team/web");
    let batch = end.sim().files("/team/batch").unwrap();
    assert_eq!(batch["memory.usage_in_bytes"], (100u64 << 20).to_string());
    assert_eq!(
        batch["memory.oom_control"],
        "oom_kill_disable 0\nunder_oom 0\noom_kill 0"
    );
}

#[test]
fn slide_7_kill_then_hang_then_resume() {
    let trace = run(shipped_player("cgroups-oom-control.toml"));
    let kinds: Vec<&str> = trace
        .steps
        .iter()
        .filter(|e| e.object.contains("box") || e.object.starts_with("pid"))
        .map(|e| e.rule.id)
        .collect();
    let kill = kinds.iter().position(|k| *k == "memory.oom-kill").unwrap();
    let hang = trace
        .steps
        .iter()
        .position(|e| e.kind == "oom-hang")
        .unwrap();
    let resume = kinds
        .iter()
        .position(|k| *k == "memory.oom-resume")
        .unwrap();
    assert!(kill < resume);
    assert!(trace.steps[hang + 1].detail.contains("under_oom 1"));
    assert_eq!(
        trace.steps.last().unwrap().detail,
        (150u64 << 20).to_string()
    );
}
