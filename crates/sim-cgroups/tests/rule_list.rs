//! The crate's list of rules: ids are unique, and every rule is produced by at
//! least one shipped scenario or one of the test scenarios below.

mod common;

use common::*;
use sim_cgroups::rules::ALL;
use sim_cgroups::CgroupInput;
use sim_core::Fact;
use std::collections::BTreeSet;

/// Scripts for the rules no shipped scenario shows: (machine, groups, lines).
const TEST_SCENARIOS: &[(&str, &str, &[&str])] = &[
    ("", "", &["cgcreate -g cpu:a", "cgset -r cpu.cfs_period_us=10 a"]),
    ("", "", &["cgcreate -g cpu:a", "cgset -r cpu.shares=1 a"]),
    ("", "", &["cgcreate -g cpu:a", "cgset -r cpu.shares=x a"]),
    ("", "", &["cgcreate -g cpu:a", "cgset -r cpu.stat=1 a"]),
    (
        "",
        "[[cgroup]]\npath = \"/p\"\nset = [\"cpu.cfs_quota_us=50000\"]\n\n[[cgroup]]\npath = \"/p/c\"",
        &["cgset -r cpu.cfs_quota_us=60000 /p/c"],
    ),
    ("cgroup = \"v2\"", "", &["cgcreate -g cpu:a", "cgset -r cpu.weight=0 a"]),
    ("", "", &["cgcreate -g cpu:/a/b", "cgdelete -g cpu:/a"]),
    ("", "", &["cgcreate -g memory:a", "cgset -r memory.limit_in_bytes=1001 a"]),
    (
        "cgroup = \"v2\"",
        "",
        &[
            "cgcreate -g memory:h",
            "cgset -r memory.high=1M h",
            "cgexec -g memory:h stress --vm 1 --vm-bytes 2M --vm-hang 0 &",
        ],
    ),
    (
        "cgroup = \"v2\"",
        "",
        &[
            "cgcreate -g memory:g",
            "cgset -r memory.max=1M -r memory.oom.group=1 g",
            "cgexec -g memory:g stress --vm 2 --vm-bytes 1M --vm-hang 0 &",
        ],
    ),
    ("cgroup = \"v2\"\nrunc = \"1.3.2\"", "", &["kubelet create-container /k --requests cpu=1 --limits memory=64Mi"]),
    ("cgroup = \"v2\"\nrunc = \"1.3.1\"", "", &["kubelet create-container /k --requests cpu=1"]),
    ("", "", &["kubelet create-container /k --limits cpu=250m,memory=64Mi"]),
    ("", "", &["unshare --uts --net sh", "hostname box", "ip link", "exit"]),
    ("", "", &["X=demo", "echo $X", "U=$(uuidgen)", "sleep 1", "cat /sys/fs/cgroup/cpu/none/cpu.stat"]),
];

#[test]
fn rule_ids_are_unique() {
    let mut seen = BTreeSet::new();
    for rule in ALL {
        assert!(seen.insert(rule.id), "{} is listed twice", rule.id);
        assert!(
            !rule.says.is_empty() && !rule.source.is_empty(),
            "{}",
            rule.id
        );
    }
}

#[test]
fn every_rule_is_produced_by_a_shipped_or_test_scenario() {
    let mut produced = BTreeSet::new();
    for (name, src) in shipped() {
        produced.extend(run(player(&name, &src)).steps.iter().map(|e| e.rule.id));
    }
    for &(machine, groups, lines) in TEST_SCENARIOS {
        produced.extend(
            run_inline(machine, groups, lines)
                .steps
                .iter()
                .map(|e| e.rule.id),
        );
    }
    let mut killed = shipped_player("cgroups-hierarchy.toml");
    killed.seek(3);
    killed
        .input(CgroupInput::Kill { pid: 1001 })
        .expect("the web worker runs");
    let killed = finish(killed);
    produced.extend(killed.trace().iter().map(|e| e.fact.rule().id));
    let listed: BTreeSet<&str> = ALL.iter().map(|r| r.id).collect();
    let missing: Vec<&&str> = listed.difference(&produced).collect();
    assert!(missing.is_empty(), "no scenario produces {missing:?}");
    let unlisted: Vec<&&str> = produced.difference(&listed).collect();
    assert!(unlisted.is_empty(), "rules::ALL lacks {unlisted:?}");
}
