//! Invariants over random scripts: memory usage never exceeds a limit; the CPU
//! time a group's processes gain in one period never exceeds its quota (nor
//! any ancestor's, nor CPUs x period); a spent quota with runnable threads is
//! throttled before time moves on; the machine never hands out more CPU than
//! it has; and replaying from any step gives the same trace.

mod common;

use common::*;
use proptest::prelude::*;
use sim_cgroups::hierarchy::Hierarchy;
use sim_cgroups::CgroupFact;
use sim_cgroups::CgroupSim;
use sim_core::{Event, Fact, Player};
use std::collections::BTreeMap;

/// A random group path among a small family, parents created on demand.
fn path() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["/a", "/b", "/a/x", "/a/y", "/b/z"])
}

/// One random script line.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        (path(), 1_000u64..300_000, 1_000u64..300_000).prop_map(|(p, period, quota)| format!(
            "cgset -r cpu.cfs_period_us={period} -r cpu.cfs_quota_us={quota} {p}"
        )),
        (path(), 1u64..5_000).prop_map(|(p, s)| format!("cgset -r cpu.shares={s} {p}")),
        (path(), 1u64..200).prop_map(|(p, m)| format!("cgset -r memory.limit_in_bytes={m}M {p}")),
        (path(), 0u8..2).prop_map(|(p, f)| format!("cgset -r memory.oom_control={f} {p}")),
        (path(), 1u32..5, 1u64..2_000).prop_map(|(p, n, ms)| format!(
            "cgexec -g cpu,memory:{p} stress --cpu {n} --timeout {}.{:03}s &",
            ms / 1000,
            ms % 1000
        )),
        (path(), 1u32..3, 1u64..120).prop_map(|(p, n, m)| format!(
            "cgexec -g cpu,memory:{p} stress --vm {n} --vm-bytes {m}M --vm-hang 0 --timeout 1s &"
        )),
        (path(), 1u64..80).prop_map(|(p, m)| format!(
            "cgexec -g memory:{p} dd if=/dev/zero of=/f bs=1M count={m}"
        )),
        (1u64..1_500).prop_map(|ms| format!("sleep {}.{:03}", ms / 1000, ms % 1000)),
    ]
}

fn script() -> impl Strategy<Value = (String, Vec<String>)> {
    (1u64..5, prop::collection::vec(line(), 1..14)).prop_map(|(cpus, body)| {
        let mut lines: Vec<String> = ["/a/x", "/a/y", "/b/z"]
            .iter()
            .map(|p| format!("cgcreate -g cpu,memory:{p}"))
            .collect();
        lines.extend(body);
        (format!("cpus = {cpus}\nreport_every_ms = 250"), lines)
    })
}

/// CPU gained in the current period by each quota group's subtree, counted
/// from the processes' own CPU time (not from the simulator's quota books).
#[derive(Default)]
struct PeriodBooks {
    /// Per group: (period start, CPU gained by its subtree's processes since).
    gained: BTreeMap<String, (u64, u64)>,
    /// Each process's CPU time after the previous step.
    cpu_time: BTreeMap<u32, u64>,
    /// Groups whose quota was spent with threads runnable, not yet throttled,
    /// and the instant that was seen.
    pending_throttle: BTreeMap<String, u64>,
}

fn check_step(
    sim: &CgroupSim,
    event: &Event<CgroupFact>,
    books: &mut PeriodBooks,
    before_time: u64,
    now: u64,
) -> Result<(), TestCaseError> {
    for g in sim.tree().groups() {
        if let Some(pages) = g.memory.limit_pages {
            let usage = sim.memory_usage(&g.path);
            prop_assert!(
                usage <= pages * 4096,
                "{} uses {usage} over {}",
                g.path,
                pages * 4096
            );
        }
    }
    let cpus = sim.machine().cpus;
    let dt = now - before_time;
    let mut delta: BTreeMap<u32, u64> = BTreeMap::new();
    for p in sim.processes().values() {
        let before = books.cpu_time.get(&p.pid).copied().unwrap_or(0);
        let d = p.cpu_time_ns - before;
        prop_assert!(d <= dt, "pid {} ran {d} ns in {dt} ns on one thread", p.pid);
        delta.insert(p.pid, d);
    }
    let total: u64 = delta.values().sum();
    prop_assert!(
        total <= cpus * dt,
        "{total} ns of CPU handed out in {dt} ns on {cpus} CPUs"
    );
    books.cpu_time = sim
        .processes()
        .values()
        .map(|p| (p.pid, p.cpu_time_ns))
        .collect();

    let ended_here = |path: &str| {
        event.fact.kind() == "period" && event.fact.object() == format!("cgroup cpu:{path}")
    };
    for g in sim.tree().groups() {
        let Some(quota_us) = g.cpu.quota_us else {
            books.gained.remove(&g.path);
            books.pending_throttle.remove(&g.path);
            continue;
        };
        let quota_ns = quota_us * 1000;
        let period_ns = g.cpu.period_us * 1000;
        let step_gain: u64 = sim
            .processes()
            .values()
            .filter(|p| Hierarchy::is_within(&p.cpu_group, &g.path))
            .map(|p| delta.get(&p.pid).copied().unwrap_or(0))
            .sum();
        let start = g.cpu.period_start_ns;
        let (seen_start, mut gained) = books.gained.get(&g.path).copied().unwrap_or((start, 0));
        if seen_start == start || ended_here(&g.path) {
            // This step's CPU belongs to the period seen so far.
            gained += step_gain;
            prop_assert!(
                gained <= quota_ns,
                "{}: its subtree gained {gained} ns in one period, quota {quota_ns} ns",
                g.path
            );
            prop_assert!(
                gained <= cpus * period_ns,
                "{}: {gained} ns in a {period_ns} ns period on {cpus} CPUs",
                g.path
            );
        }
        if seen_start != start {
            // A new period began (at its end, silently after idling, or by a
            // write); CPU gained after an idle restart belongs to it.
            gained = if ended_here(&g.path) { 0 } else { step_gain };
            books.pending_throttle.remove(&g.path);
        }
        books.gained.insert(g.path.clone(), (start, gained));

        if event.fact.kind() == "throttled"
            && event.fact.object() == format!("cgroup cpu:{}", g.path)
        {
            books.pending_throttle.remove(&g.path);
        }
        let runnable = sim
            .processes()
            .values()
            .any(|p| p.runnable() && Hierarchy::is_within(&p.cpu_group, &g.path));
        if gained >= quota_ns && runnable && !g.cpu.throttled {
            if let Some(&seen) = books.pending_throttle.get(&g.path) {
                prop_assert!(
                    seen == now,
                    "{}: quota spent at {seen} ns with threads runnable, but time moved on to {now} ns without a throttle event",
                    g.path
                );
            } else {
                books.pending_throttle.insert(g.path.clone(), now);
            }
        } else {
            books.pending_throttle.remove(&g.path);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn limits_quotas_and_cpus_are_never_exceeded((machine, lines) in script()) {
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let mut p = player("prop.toml", &inline(&machine, "", &refs));
        let mut books = PeriodBooks::default();
        let mut time = 0;
        let mut steps = 0;
        while let Some(event) = p.forward() {
            let event = event.clone();
            steps += 1;
            prop_assert!(steps < 20_000, "runaway script");
            let now = p.now().as_nanos();
            check_step(p.sim(), &event, &mut books, time, now)?;
            time = now;
        }
    }

    #[test]
    fn replaying_from_any_step_gives_the_same_trace(
        (machine, lines) in script(),
        picks in prop::collection::vec(0usize..10_000, 1..4),
    ) {
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let src = inline(&machine, "", &refs);
        let full = run(player("prop.toml", &src));
        let mut p: Player<CgroupSim> = player("prop.toml", &src);
        p.run_to_end(20_000);
        for pick in picks {
            let target = pick % (full.steps.len() + 1);
            p.seek(target);
            prop_assert_eq!(&p.to_trace().steps[..], &full.steps[..target]);
            let mut fresh = player("prop.toml", &src);
            fresh.seek(target);
            prop_assert_eq!(p.sim().tree().paths(), fresh.sim().tree().paths());
            prop_assert_eq!(p.to_trace().final_state, fresh.to_trace().final_state);
        }
    }
}
