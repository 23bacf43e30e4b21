//! Inputs fed into a running simulation: what-if quotas and memory limits and
//! a kill take effect as the next step with the kernel's own rule, a refused
//! input changes nothing, and a run with inputs replays exactly (the engine's
//! conformance kit, also run on every shipped scenario without inputs).

mod common;

use common::*;
use sim_cgroups::{CgroupFact, CgroupInput, CgroupSim};
use sim_core::testing::conformance;
use sim_core::{Fact, Player};

/// The slide 10 hierarchy with a tighter quota for /team/web from the start,
/// the web worker killed once both stress runs are under way, and a lower
/// web memory limit later on.
fn what_if_inputs() -> Vec<(usize, CgroupInput)> {
    vec![
        (
            0,
            CgroupInput::SetCpuQuota {
                group: "/team/web".into(),
                quota_us: Some(30_000),
            },
        ),
        (3, CgroupInput::Kill { pid: 1001 }),
        (
            12,
            CgroupInput::SetMemoryLimit {
                group: "/team/web".into(),
                bytes: Some(100 << 20),
            },
        ),
    ]
}

fn hierarchy() -> Player<CgroupSim> {
    shipped_player("cgroups-hierarchy.toml")
}

#[test]
fn every_shipped_scenario_conforms_and_a_run_with_inputs_replays_exactly() {
    for (name, _) in shipped() {
        conformance(|| shipped_player(&name), &[], STEP_LIMIT);
    }
    conformance(hierarchy, &what_if_inputs(), STEP_LIMIT);
}

#[test]
fn a_quota_input_is_the_next_step_and_bounds_the_group_from_then_on() {
    let mut p = hierarchy();
    p.input(CgroupInput::SetCpuQuota {
        group: "team/web".into(),
        quota_us: Some(30_000),
    })
    .expect("accepted");
    let e = p.forward().expect("a step").clone();
    assert_eq!(e.fact.rule().id, "write.setting");
    assert_eq!(e.fact.object(), "/team/web/cpu.cfs_quota_us");
    assert!(
        e.fact.detail().contains("= 0.30 CPUs"),
        "{}",
        e.fact.detail()
    );
    assert_eq!(
        p.sim().group("/team/web").unwrap().cpu.quota_us,
        Some(30_000)
    );
    assert!(p.run_to_end(STEP_LIMIT));
    let throttles: Vec<_> = p
        .trace()
        .iter()
        .filter(|e| e.fact.rule().id == "cfs.throttle" && e.fact.object() == "cgroup cpu:/team/web")
        .collect();
    assert!(!throttles.is_empty());
    assert!(throttles
        .iter()
        .all(|e| e.fact.detail().contains("used its 0.030 s quota")));
}

#[test]
fn the_kernel_answers_a_quota_it_refuses_with_einval() {
    let mut p = hierarchy();
    for (quota_us, rule) in [(10, "cfs.range"), (50_000, "cfs.child-above-parent")] {
        p.input(CgroupInput::SetCpuQuota {
            group: "/team".into(),
            quota_us: Some(quota_us),
        })
        .expect("given; the kernel decides");
        let e = p.forward().expect("a step").clone();
        assert_eq!((e.fact.kind(), e.fact.rule().id), ("EINVAL", rule));
        assert_eq!(p.sim().group("/team").unwrap().cpu.quota_us, Some(100_000));
    }
}

#[test]
fn killing_a_stress_worker_ends_it_and_stress_gives_up() {
    let mut p = hierarchy();
    p.seek(3);
    assert!(p.sim().processes().contains_key(&1001));
    p.input(CgroupInput::Kill { pid: 1001 }).expect("alive");
    let killed = p.forward().expect("a step").clone();
    assert_eq!(killed.fact.rule().id, "process.kill");
    assert_eq!(killed.fact.object(), "pid 1001");
    let gave_up = p.forward().expect("a step").clone();
    assert_eq!(gave_up.fact.object(), "pid 1000");
    assert!(gave_up.fact.detail().contains("killed by signal 9"));
    assert!(!p.sim().processes().contains_key(&1000));
    assert!(
        p.sim().processes().contains_key(&1002),
        "batch keeps running"
    );
}

#[test]
fn a_memory_limit_input_under_usage_is_refused_with_ebusy_on_v1() {
    let mut p = hierarchy();
    let at = loop {
        let e = p.forward().expect("the web group fills up").clone();
        if e.fact.rule().id == "memory.charge" && e.fact.object() == "cgroup memory:/team/web" {
            break p.sim().memory_usage("/team/web");
        }
    };
    assert!(at > 4096);
    p.input(CgroupInput::SetMemoryLimit {
        group: "/team/web".into(),
        bytes: Some(4096),
    })
    .expect("accepted");
    let e = p.forward().expect("a step").clone();
    assert_eq!(
        (e.fact.kind(), e.fact.rule().id),
        ("EBUSY", "memory.reclaim")
    );
}

#[test]
fn refused_inputs_change_nothing() {
    let mut p = hierarchy();
    p.seek(2);
    let before = p.to_trace();
    let bad = [
        CgroupInput::Kill { pid: 4242 },
        CgroupInput::SetCpuQuota {
            group: "/nowhere".into(),
            quota_us: None,
        },
        CgroupInput::SetMemoryLimit {
            group: "/a/../b".into(),
            bytes: None,
        },
    ];
    for input in bad {
        let e = p.input(input.clone()).expect_err("refused");
        assert!(!e.0.is_empty(), "{input:?}");
    }
    assert!(p.inputs().is_empty());
    assert_eq!(p.to_trace(), before);
}

#[test]
fn a_lower_memory_max_on_v2_reclaims_then_oom_kills_inside_the_group() {
    let src = inline(
        "cgroup = \"v2\"",
        "[[cgroup]]\npath = \"/m\"",
        &[
            "cgexec -g memory:/m stress --vm 2 --vm-bytes 30M --vm-hang 0 &",
            "sleep 1",
        ],
    );
    let mut p = player("v2.toml", &src);
    while p.sim().memory_usage("/m") < 60 << 20 {
        p.forward().expect("both workers charge 30M");
    }
    p.input(CgroupInput::SetMemoryLimit {
        group: "/m".into(),
        bytes: Some(40 << 20),
    })
    .expect("accepted");
    let written = p.forward().expect("a step").clone();
    assert_eq!(written.fact.object(), "/m/memory.max");
    assert_eq!(written.fact.rule().id, "write.setting");
    let killed = p.forward().expect("a step").clone();
    assert_eq!(killed.fact.rule().id, "memory.oom-kill");
    assert!(p.sim().memory_usage("/m") <= 40 << 20);
    assert!(p.run_to_end(STEP_LIMIT));
}

/// Two stress workers of 30 MiB each in /m, limited to 50 MiB: the second
/// one's charge cannot fit and no page cache is there to reclaim.
fn two_workers_over_the_limit() -> Player<CgroupSim> {
    let src = inline(
        "",
        "[[cgroup]]\npath = \"/m\"\nset = [\"memory.limit_in_bytes=50M\"]",
        &[
            "cgexec -g memory:/m stress --vm 1 --vm-bytes 30M --vm-hang 0 &",
            "cgexec -g memory:/m stress --vm 1 --vm-bytes 30M --vm-hang 0 &",
            "sleep 1",
        ],
    );
    player("oom.toml", &src)
}

/// Steps to where reclaim has just failed for a charge (the OOM step is
/// planned next); returns the charging task and the other vm worker.
fn to_failed_reclaim(p: &mut Player<CgroupSim>) -> (u32, u32) {
    let mut charging = None;
    loop {
        match &p.forward().expect("the second charge hits the limit").fact {
            CgroupFact::LimitHit { pid, .. } => charging = Some(*pid),
            CgroupFact::Reclaimed { fits: false, .. } => break,
            _ => {}
        }
    }
    let charging = charging.expect("a limit hit before reclaim");
    let other = p
        .sim()
        .processes()
        .values()
        .find(|t| t.command == "stress (vm worker)" && t.pid != charging)
        .map(|t| t.pid)
        .expect("the first worker holds its 30 MiB");
    (charging, other)
}

/// Whether any event from step `from` on is an OOM kill.
fn oom_kills_from(p: &Player<CgroupSim>, from: usize) -> Vec<String> {
    p.trace()[from..]
        .iter()
        .filter(|e| e.fact.kind() == "oom-kill")
        .map(|e| e.fact.detail())
        .collect()
}

#[test]
fn without_an_input_the_failed_charge_oom_kills_the_bulkier_worker() {
    let mut p = two_workers_over_the_limit();
    let (_, other) = to_failed_reclaim(&mut p);
    let next = p.forward().expect("the OOM step").clone();
    assert!(
        matches!(next.fact, CgroupFact::OomKill { pid, .. } if pid == other),
        "{}",
        next.fact.detail()
    );
}

#[test]
fn killing_the_charging_task_mid_oom_oom_kills_nobody() {
    let mut p = two_workers_over_the_limit();
    let (charging, other) = to_failed_reclaim(&mut p);
    let from = p.position();
    p.input(CgroupInput::Kill { pid: charging })
        .expect("the charging task is alive");
    let killed = p.forward().expect("the kill is the next step").clone();
    assert_eq!(killed.fact.object(), format!("pid {charging}"));
    assert!(p.run_to_end(STEP_LIMIT));
    assert_eq!(oom_kills_from(&p, from), Vec::<String>::new());
    assert!(p.sim().processes().contains_key(&other));
    assert_eq!(p.sim().memory_usage("/m"), 30 << 20);
    let control = p
        .sim()
        .read_file("/sys/fs/cgroup/memory/m/memory.oom_control")
        .expect("a v1 memory group");
    assert!(control.ends_with("oom_kill 0"), "{control}");
}

#[test]
fn raising_the_limit_mid_oom_lets_the_charge_through() {
    let mut p = two_workers_over_the_limit();
    let (charging, other) = to_failed_reclaim(&mut p);
    let from = p.position();
    p.input(CgroupInput::SetMemoryLimit {
        group: "/m".into(),
        bytes: Some(1 << 30),
    })
    .expect("accepted");
    let written = p.forward().expect("the write is the next step").clone();
    assert_eq!(written.fact.object(), "/m/memory.limit_in_bytes");
    let charged = p.forward().expect("the charge goes on").clone();
    assert!(
        matches!(charged.fact, CgroupFact::Charged { pid, amount, .. } if pid == charging && amount == 30 << 20),
        "{}",
        charged.fact.detail()
    );
    assert!(p.run_to_end(STEP_LIMIT));
    assert_eq!(oom_kills_from(&p, from), Vec::<String>::new());
    assert!(p.sim().processes().contains_key(&other));
    assert_eq!(p.sim().memory_usage("/m"), 60 << 20);
}

#[test]
fn killing_the_would_be_victim_mid_oom_makes_room_for_the_charge() {
    let mut p = two_workers_over_the_limit();
    let (charging, other) = to_failed_reclaim(&mut p);
    let from = p.position();
    p.input(CgroupInput::Kill { pid: other })
        .expect("the first worker is alive");
    assert!(p.run_to_end(STEP_LIMIT));
    assert_eq!(oom_kills_from(&p, from), Vec::<String>::new());
    assert!(p.trace()[from..].iter().any(|e| matches!(
        e.fact,
        CgroupFact::Charged { pid, .. } if pid == charging
    )));
    assert!(p.sim().processes().contains_key(&charging));
    assert_eq!(p.sim().memory_usage("/m"), 30 << 20);
}

#[test]
fn killing_the_only_hung_task_takes_the_group_out_of_oom() {
    let src = inline(
        "",
        "[[cgroup]]\npath = \"/m\"\nset = [\"memory.limit_in_bytes=10M\", \"memory.oom_control=1\"]",
        &[
            "cgexec -g memory:/m stress --vm 1 --vm-bytes 20M --vm-hang 0 &",
            "sleep 1",
        ],
    );
    let mut p = player("hang.toml", &src);
    let control = |p: &Player<CgroupSim>| {
        p.sim()
            .read_file("/sys/fs/cgroup/memory/m/memory.oom_control")
            .expect("a v1 memory group")
    };
    let hung = loop {
        if let CgroupFact::OomHang { pid, .. } = p.forward().expect("the worker hangs").fact {
            break pid;
        }
    };
    assert!(control(&p).contains("under_oom 1"), "{}", control(&p));
    p.input(CgroupInput::Kill { pid: hung })
        .expect("hung, alive");
    p.forward().expect("the kill");
    assert!(!p.sim().processes().contains_key(&hung));
    assert!(control(&p).contains("under_oom 0"), "{}", control(&p));
}
