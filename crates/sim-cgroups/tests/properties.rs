//! Invariants over random scripts: memory usage never exceeds a limit, CPU
//! time in a period never exceeds the quota, the machine never hands out more
//! CPU than it has, and replaying from any step gives the same trace.

mod common;

use common::*;
use proptest::prelude::*;
use sim_cgroups::CgroupSim;
use sim_core::Player;

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

fn check_step(
    sim: &CgroupSim,
    before_root_ns: u64,
    before_time: u64,
    now: u64,
) -> Result<u64, TestCaseError> {
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
        if let Some(q) = g.cpu.quota_us {
            prop_assert!(
                g.cpu.period_used_ns <= q * 1000,
                "{} ran {} ns in a period with quota {q} us",
                g.path,
                g.cpu.period_used_ns
            );
        }
    }
    let root = sim.tree().get("/").map_or(0, |g| g.cpu.usage_ns);
    let cpus = sim.machine().cpus;
    prop_assert!(
        root - before_root_ns <= cpus * (now - before_time),
        "{} ns of CPU handed out in {} ns on {cpus} CPUs",
        root - before_root_ns,
        now - before_time
    );
    Ok(root)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn limits_quotas_and_cpus_are_never_exceeded((machine, lines) in script()) {
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let mut p = player("prop.toml", &inline(&machine, "", &refs));
        let (mut root, mut time) = (0, 0);
        let mut steps = 0;
        while p.forward().is_some() {
            steps += 1;
            prop_assert!(steps < 20_000, "runaway script");
            let now = p.now().as_nanos();
            root = check_step(p.sim(), root, time, now)?;
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
            prop_assert_eq!(p.trace(), &full.steps[..target]);
            let mut fresh = player("prop.toml", &src);
            fresh.seek(target);
            prop_assert_eq!(p.sim().tree().paths(), fresh.sim().tree().paths());
            prop_assert_eq!(p.to_trace().final_state, fresh.to_trace().final_state);
        }
    }
}
