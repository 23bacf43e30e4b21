//! One test (or table row) per rule of semantics.md section 1, and its worked
//! examples, run through inline scenarios.

mod common;

use common::*;
use sim_cgroups::kubelet::{container_cgroup_values, ContainerResources};
use sim_cgroups::process::Namespace;
use sim_cgroups::weight::WeightFormula;
use sim_core::{StepRecord, Trace};

/// The content of file `name` of group `path` at the end of the run.
fn file(run: &Finished, path: &str, name: &str) -> String {
    run.sim
        .files(path)
        .unwrap_or_else(|| panic!("no group {path}"))
        .remove(name)
        .unwrap_or_else(|| panic!("{path} has no {name}"))
}

fn last(trace: &Trace) -> &StepRecord {
    trace.steps.last().unwrap()
}

#[test]
fn worked_example_quota_2000000_period_1000000_on_8_cpus() {
    let t = run_inline(
        "cpus = 8",
        "",
        &[
            "cgcreate -g cpu:demo",
            "cgset -r cpu.cfs_period_us=1000000 -r cpu.cfs_quota_us=2000000 demo",
            "cgexec -g cpu:demo stress --cpu 8 --timeout 5s",
        ],
    );
    let periods = by_rule(&t, "cfs.period");
    assert_eq!(periods.len(), 5);
    assert!(periods
        .iter()
        .all(|e| e.detail.contains("it ran 2.000 s of CPU and was throttled")));
    assert_eq!(
        by_rule(&t, "cfs.throttle").len(),
        5,
        "throttled every period"
    );
    assert_eq!(
        file(&t, "/demo", "cpuacct.usage"),
        "10000000000",
        "2 s per 1 s period"
    );
    assert_eq!(
        file(&t, "/demo", "cpu.stat"),
        "nr_periods 5\nnr_throttled 5\nthrottled_time 30000000000"
    );
}

#[test]
fn worked_example_half_a_cpu_runs_50ms_then_waits_50ms() {
    let t = run_inline(
        "cpus = 4",
        "",
        &[
            "cgcreate -g cpu:half",
            "cgset -r cpu.cfs_quota_us=50000 half",
            "cgexec -g cpu:half stress --cpu 1 --timeout 1s",
        ],
    );
    let throttles = by_rule(&t, "cfs.throttle");
    assert_eq!(throttles.len(), 10);
    for (i, e) in throttles.iter().enumerate() {
        assert_eq!(e.time_ns, i as u64 * 100_000_000 + 50_000_000, "runs 50 ms");
        assert!(e.detail.contains("wait 0.050 s"), "{}", e.detail);
    }
    assert_eq!(file(&t, "/half", "cpuacct.usage"), "500000000");
}

#[test]
fn worked_example_shares_512_and_1024_on_one_cpu() {
    let t = run_inline(
        "cpus = 1\nreport_every_ms = 1000",
        "[[cgroup]]\npath = \"/low\"\nset = [\"cpu.shares=512\"]\n[[cgroup]]\npath = \"/high\"\nset = [\"cpu.shares=1024\"]",
        &[
            "cgexec -g cpu:/low stress --cpu 1 --timeout 3s &",
            "cgexec -g cpu:/high stress --cpu 1 --timeout 1s",
            "sleep 2",
        ],
    );
    let reports: Vec<&StepRecord> = t.steps.iter().filter(|e| e.kind == "usage").collect();
    assert_eq!(reports.len(), 3);
    assert_eq!(reports[0].rule.id, "cpu.shares");
    assert!(
        reports[0].detail.contains("/high 0.667 s"),
        "{}",
        reports[0].detail
    );
    assert!(
        reports[0].detail.contains("/low 0.333 s"),
        "{}",
        reports[0].detail
    );
    for r in &reports[1..] {
        assert_eq!(
            r.rule.id, "cpu.uncontended",
            "the idle sibling's share goes to /low"
        );
        assert!(
            r.detail.contains("/low 1.000 s") && !r.detail.contains("/high"),
            "{}",
            r.detail
        );
    }
}

#[test]
fn ancestors_bound_children_whose_quotas_add_up_to_more() {
    let t = run_inline(
        "cpus = 4",
        "[[cgroup]]\npath = \"/p\"\nset = [\"cpu.cfs_quota_us=100000\"]\n[[cgroup]]\npath = \"/p/a\"\nset = [\"cpu.cfs_quota_us=100000\"]\n[[cgroup]]\npath = \"/p/b\"\nset = [\"cpu.cfs_quota_us=100000\"]",
        &[
            "cgexec -g cpu:/p/a stress --cpu 2 --timeout 1s &",
            "cgexec -g cpu:/p/b stress --cpu 2 --timeout 1s",
        ],
    );
    // 1 CPU for /p although /p/a and /p/b may use 1 CPU each.
    assert_eq!(file(&t, "/p", "cpuacct.usage"), "1000000000");
    let held = by_rule(&t, "cfs.ancestor");
    assert!(held.iter().any(|e| e.object.ends_with("/p/a")));
    assert!(held.iter().any(|e| e.object.ends_with("/p/b")));
    assert_eq!(
        file(&t, "/p/a", "cpu.stat").lines().nth(1),
        Some("nr_throttled 0")
    );
}

#[test]
fn kernel_answers_to_cpu_writes() {
    // (file=value, expected kind, expected rule, what a cat shows afterwards)
    let rows: &[(&str, &str, &str, &str, &str)] = &[
        (
            "cpu.cfs_period_us=999",
            "EINVAL",
            "cfs.range",
            "cpu.cfs_period_us",
            "100000",
        ),
        (
            "cpu.cfs_period_us=1000001",
            "EINVAL",
            "cfs.range",
            "cpu.cfs_period_us",
            "100000",
        ),
        (
            "cpu.cfs_period_us=1000",
            "written",
            "write.setting",
            "cpu.cfs_period_us",
            "1000",
        ),
        (
            "cpu.cfs_period_us=1000000",
            "written",
            "write.setting",
            "cpu.cfs_period_us",
            "1000000",
        ),
        (
            "cpu.cfs_quota_us=999",
            "EINVAL",
            "cfs.range",
            "cpu.cfs_quota_us",
            "-1",
        ),
        (
            "cpu.cfs_quota_us=0",
            "EINVAL",
            "cfs.range",
            "cpu.cfs_quota_us",
            "-1",
        ),
        (
            "cpu.cfs_quota_us=1000",
            "written",
            "write.setting",
            "cpu.cfs_quota_us",
            "1000",
        ),
        (
            "cpu.cfs_quota_us=17592186044416",
            "EINVAL",
            "cfs.range",
            "cpu.cfs_quota_us",
            "-1",
        ),
        (
            "cpu.cfs_quota_us=-1",
            "written",
            "write.setting",
            "cpu.cfs_quota_us",
            "-1",
        ),
        (
            "cpu.cfs_quota_us=lots",
            "EINVAL",
            "write.einval",
            "cpu.cfs_quota_us",
            "-1",
        ),
        (
            "cpu.shares=abc",
            "EINVAL",
            "write.einval",
            "cpu.shares",
            "1024",
        ),
        (
            "cpu.shares=1",
            "written",
            "cpu.shares-clamp",
            "cpu.shares",
            "2",
        ),
        (
            "cpu.shares=300000",
            "written",
            "cpu.shares-clamp",
            "cpu.shares",
            "262144",
        ),
        (
            "cpu.shares=2",
            "written",
            "write.setting",
            "cpu.shares",
            "2",
        ),
        (
            "cpu.stat=1",
            "EACCES",
            "file.eacces",
            "cpu.stat",
            "nr_periods 0\nnr_throttled 0\nthrottled_time 0",
        ),
    ];
    for &(write, kind, rule, read, after) in rows {
        let line = format!("cgset -r {write} g");
        let t = run_inline("", "[[cgroup]]\npath = \"/g\"", &[&line]);
        let e = last(&t);
        assert_eq!(
            (e.kind.as_str(), e.rule.id),
            (kind, rule),
            "{write}: {}",
            e.detail
        );
        assert_eq!(file(&t, "/g", read), after, "{write}");
    }
}

#[test]
fn v1_refuses_a_child_above_its_parent_but_v2_does_not() {
    let groups = "[[cgroup]]\npath = \"/p\"\nset = [\"cpu.cfs_quota_us=50000\"]\n[[cgroup]]\npath = \"/p/c\"";
    let t = run_inline("", groups, &["cgset -r cpu.cfs_quota_us=60000 /p/c"]);
    assert_eq!(
        (last(&t).kind.as_str(), last(&t).rule.id),
        ("EINVAL", "cfs.child-above-parent")
    );
    let t = run_inline("", groups, &["cgset -r cpu.cfs_quota_us=50000 /p/c"]);
    assert_eq!(last(&t).kind, "written", "equal to the parent is fine");
    let t = run_inline(
        "",
        groups,
        &[
            "cgset -r cpu.cfs_quota_us=40000 /p/c",
            "cgset -r cpu.cfs_quota_us=30000 /p",
        ],
    );
    assert_eq!(
        last(&t).kind,
        "EINVAL",
        "lowering the parent under a child fails too"
    );
    let v2 =
        "[[cgroup]]\npath = \"/p\"\nset = [\"cpu.max=50000 100000\"]\n[[cgroup]]\npath = \"/p/c\"";
    let t = run_inline("cgroup = \"v2\"", v2, &["cgset -r cpu.max=60000 /p/c"]);
    assert_eq!(last(&t).kind, "written");
    assert_eq!(file(&t, "/p/c", "cpu.max"), "60000 100000");
}

#[test]
fn v2_files_and_their_errors() {
    let rows: &[(&str, &str, &str, &str)] = &[
        ("cpu.weight=0", "ERANGE", "cpu.weight", "100"),
        ("cpu.weight=10001", "ERANGE", "cpu.weight", "100"),
        ("cpu.weight=10000", "written", "cpu.weight", "10000"),
        ("cpu.max=max", "written", "cpu.max", "max 100000"),
        ("cpu.max=20000 50000", "written", "cpu.max", "20000 50000"),
        ("cpu.max=500 100000", "EINVAL", "cpu.max", "max 100000"),
        ("memory.max=100000000", "written", "memory.max", "99999744"),
        ("memory.high=50M", "written", "memory.high", "52428800"),
        ("memory.oom.group=2", "EINVAL", "memory.oom.group", "0"),
    ];
    for &(write, kind, read, after) in rows {
        let line = format!("cgset -r \"{write}\" g");
        let t = run_inline("cgroup = \"v2\"", "[[cgroup]]\npath = \"/g\"", &[&line]);
        assert_eq!(last(&t).kind, kind, "{write}: {}", last(&t).detail);
        assert_eq!(file(&t, "/g", read), after, "{write}");
    }
}

#[test]
fn groups_that_are_busy_or_missing() {
    let t = run_inline(
        "",
        "[[cgroup]]\npath = \"/p\"\n[[cgroup]]\npath = \"/p/c\"",
        &["cgdelete -g cpu,memory:/p"],
    );
    assert_eq!(
        (last(&t).kind.as_str(), last(&t).rule.id),
        ("EBUSY", "cgroup.ebusy")
    );
    let t = run_inline(
        "",
        "[[cgroup]]\npath = \"/p\"\n[[cgroup]]\npath = \"/p/c\"",
        &["cgdelete -r -g cpu,memory:/p"],
    );
    assert_eq!(last(&t).kind, "deleted");
    assert_eq!(t.sim.tree().paths(), vec!["/"]);
    // rmdir refuses a group with tasks; cgdelete moves them to the parent first.
    let lines = [
        "cgexec -g cpu:/p stress --cpu 1 --timeout 9s &",
        "rmdir /sys/fs/cgroup/cpu/p",
        "cgdelete -g cpu:/p",
    ];
    let t = run_inline(
        "",
        "[[cgroup]]\npath = \"/p\"\ncontrollers = [\"cpu\"]",
        &lines,
    );
    let kinds: Vec<&str> = t.steps.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, vec!["started", "EBUSY", "deleted"]);
    assert!(t.sim.processes().values().all(|p| p.cpu_group == "/"));
    for line in [
        "cgset -r cpu.shares=5 nope",
        "cgexec -g cpu:nope stress --cpu 1 --timeout 1s",
        "cgdelete -g cpu:nope",
        "cat /sys/fs/cgroup/cpu/nope/cpu.shares",
    ] {
        let t = run_inline("", "", &[line]);
        assert_eq!(
            (t.steps[0].kind.as_str(), t.steps[0].rule.id),
            ("ENOENT", "cgroup.enoent"),
            "{line}"
        );
    }
}

#[test]
fn memory_limit_is_kept_in_pages_and_cannot_drop_under_usage_on_v1() {
    let t = run_inline(
        "",
        "",
        &[
            "cgcreate -g memory:m",
            "cgset -r memory.limit_in_bytes=4097 m",
        ],
    );
    assert_eq!(last(&t).rule.id, "memory.pages");
    assert_eq!(file(&t, "/m", "memory.limit_in_bytes"), "4096");
    let t = run_inline(
        "",
        "[[cgroup]]\npath = \"/m\"",
        &[
            "cgexec -g memory:m stress --vm 1 --vm-bytes 10M --vm-hang 0 &",
            "cgset -r memory.limit_in_bytes=5M m",
        ],
    );
    assert_eq!(
        (last(&t).kind.as_str(), last(&t).rule.id),
        ("EBUSY", "memory.reclaim")
    );
}

#[test]
fn reclaim_comes_first_and_is_sometimes_enough() {
    let lines = [
        "cgexec -g memory:m dd if=/dev/zero of=/f bs=1M count=80",
        "cgexec -g memory:m stress --vm 1 --vm-bytes 50M --vm-hang 0 &",
        "cat /sys/fs/cgroup/memory/m/memory.stat",
    ];
    let t = run_inline(
        "",
        "[[cgroup]]\npath = \"/m\"\nset = [\"memory.limit_in_bytes=100M\"]",
        &lines,
    );
    let ids: Vec<&str> = t.steps.iter().map(|e| e.rule.id).collect();
    assert!(ids.contains(&"memory.failcnt") && ids.contains(&"memory.reclaim"));
    assert!(
        !ids.contains(&"memory.oom-kill"),
        "dropping 30 MiB of cache was enough"
    );
    assert_eq!(
        last(&t).detail,
        format!(
            "cache {}; rss {}; hierarchical_memory_limit {}",
            50u64 << 20,
            50u64 << 20,
            100u64 << 20
        )
    );
    assert_eq!(file(&t, "/m", "memory.failcnt"), "1");
}

#[test]
fn oom_kills_the_bulkiest_task_of_that_group_only() {
    let groups = "[[cgroup]]\npath = \"/a\"\nset = [\"memory.limit_in_bytes=100M\"]\n[[cgroup]]\npath = \"/b\"";
    let lines = [
        "cgexec -g memory:/b stress --vm 1 --vm-bytes 300M --vm-hang 0 &",
        "cgexec -g memory:/a stress --vm 1 --vm-bytes 20M --vm-hang 0 &",
        "cgexec -g memory:/a stress --vm 1 --vm-bytes 60M --vm-hang 0 &",
        "cgexec -g memory:/a stress --vm 1 --vm-bytes 30M --vm-hang 0 &",
    ];
    let t = run_inline("", groups, &lines);
    let kill = by_rule(&t, "memory.oom-kill");
    assert_eq!(kill.len(), 1);
    assert!(
        kill[0].detail.contains("kills pid 1005"),
        "the 60 MiB worker: {}",
        kill[0].detail
    );
    assert_eq!(
        file(&t, "/b", "memory.usage_in_bytes"),
        (300u64 << 20).to_string()
    );
    assert_eq!(
        file(&t, "/a", "memory.usage_in_bytes"),
        (50u64 << 20).to_string()
    );
    assert_eq!(
        file(&t, "/a", "memory.oom_control"),
        "oom_kill_disable 0\nunder_oom 0\noom_kill 1"
    );
}

#[test]
fn oom_control_hangs_the_task_until_room_is_made() {
    let lines = [
        "cgset -r memory.oom_control=1 m",
        "cgexec -g memory:m stress --vm 1 --vm-bytes 20M --vm-hang 0 &",
        "cat /sys/fs/cgroup/memory/m/memory.oom_control",
        "cgset -r memory.oom_control=0 m",
    ];
    let t = run_inline(
        "",
        "[[cgroup]]\npath = \"/m\"\nset = [\"memory.limit_in_bytes=10M\"]",
        &lines,
    );
    let hang = t.steps.iter().position(|e| e.kind == "oom-hang").unwrap();
    assert_eq!(
        t.steps[hang + 1].detail,
        "oom_kill_disable 1; under_oom 1; oom_kill 0"
    );
    let after: Vec<&str> = t.steps[hang + 2..].iter().map(|e| e.rule.id).collect();
    assert_eq!(
        after,
        vec![
            "write.setting",
            "memory.oom-resume",
            "memory.failcnt",
            "memory.reclaim",
            "memory.oom-kill",
            "process.exit"
        ],
        "re-enabling the killer wakes the task, whose retry is then killed"
    );
}

#[test]
fn memory_high_throttles_but_never_kills_and_oom_group_kills_all() {
    let t = run_inline(
        "cgroup = \"v2\"",
        "[[cgroup]]\npath = \"/h\"\nset = [\"memory.high=10M\"]",
        &["cgexec -g memory:h stress --vm 2 --vm-bytes 30M --vm-hang 0 &"],
    );
    assert_eq!(by_rule(&t, "memory.high").len(), 2);
    assert!(by_rule(&t, "memory.oom-kill").is_empty());
    assert_eq!(
        file(&t, "/h", "memory.events"),
        "low 0\nhigh 2\nmax 0\noom 0\noom_kill 0"
    );
    let t = run_inline(
        "cgroup = \"v2\"",
        "[[cgroup]]\npath = \"/g\"\nset = [\"memory.max=100M\", \"memory.oom.group=1\"]",
        &[
            "cgexec -g memory:g stress --vm 2 --vm-bytes 40M --vm-hang 0 &",
            "cgexec -g memory:g stress --vm 1 --vm-bytes 40M --vm-hang 0 &",
        ],
    );
    let kill = by_rule(&t, "memory.oom-group");
    assert_eq!(
        kill.len(),
        1,
        "{:?}",
        t.steps.iter().map(|e| &e.detail).collect::<Vec<_>>()
    );
    assert_eq!(file(&t, "/g", "memory.current"), "0");
    assert_eq!(
        file(&t, "/g", "memory.events").lines().last(),
        Some("oom_kill 5")
    );
}

#[test]
fn unshare_lists_new_and_shared_namespaces_per_process() {
    let t = run_inline(
        "",
        "",
        &[
            "unshare --uts --net sh",
            "hostname box",
            "ip link",
            "exit",
            "hostname",
        ],
    );
    assert_eq!(last(&t).detail, "host", "the host keeps its hostname");
    let links = t.steps.iter().find(|e| e.rule.id == "ns.net").unwrap();
    assert_eq!(links.detail, "1: lo: <LOOPBACK> mtu 65536 state DOWN");
    let t = run_inline("", "", &["unshare --ipc sh"]);
    let shell = t.sim.processes().values().next().unwrap().namespaces;
    assert_eq!(shell.ipc, Namespace::New(1));
    let shared = [
        shell.uts,
        shell.net,
        shell.pid,
        shell.mnt,
        shell.user,
        shell.cgroup,
    ];
    assert!(shared.iter().all(|ns| *ns == Namespace::Host), "{shell:?}");
}

#[test]
fn kubelet_writes_what_the_pure_functions_compute() {
    let resources = ContainerResources {
        cpu_request_milli: Some(250),
        cpu_limit_milli: Some(500),
        memory_limit: Some(128 << 20),
        ..Default::default()
    };
    for (machine, formula, v2) in [
        ("cgroup = \"v1\"", WeightFormula::Quadratic, false),
        (
            "cgroup = \"v2\"\nrunc = \"1.3.1\"",
            WeightFormula::Linear,
            true,
        ),
        (
            "cgroup = \"v2\"\nrunc = \"1.3.2\"",
            WeightFormula::Quadratic,
            true,
        ),
    ] {
        let t = run_inline(
            machine,
            "",
            &["kubelet create-container /kubepods/burstable/pod1/app --requests cpu=250m --limits cpu=500m,memory=128Mi"],
        );
        let want = container_cgroup_values(&resources, 30, formula, v2);
        let g = "/kubepods/burstable/pod1/app";
        if v2 {
            assert_eq!(file(&t, g, "cpu.weight"), want.weight.unwrap().to_string());
            assert_eq!(file(&t, g, "cpu.max"), "50000 100000");
            assert_eq!(file(&t, g, "memory.max"), (128u64 << 20).to_string());
            assert_eq!(file(&t, g, "memory.oom.group"), "1");
            assert!(t.steps.iter().any(|e| e.rule.id == "kubelet.oom-group"));
        } else {
            assert_eq!(file(&t, g, "cpu.shares"), want.shares.to_string());
            assert_eq!(file(&t, g, "cpu.cfs_quota_us"), "50000");
            assert_eq!(
                file(&t, g, "memory.limit_in_bytes"),
                (128u64 << 20).to_string()
            );
            assert!(t.steps.iter().any(|e| e.rule.id == "kubelet.shares"));
        }
    }
}

#[test]
fn the_runc_version_setting_changes_the_v2_mapping() {
    for (runc, weight) in [("1.3.1", "20"), ("1.3.2", "59")] {
        let machine = format!("runc = \"{runc}\"");
        let t = run_inline(
            &machine,
            "[[cgroup]]\npath = \"/g\"\nset = [\"cpu.shares=512\"]",
            &["cat /sys/fs/cgroup/cpu/g/cpu.shares"],
        );
        assert_eq!(
            t.sim.v2_mapping("/g").unwrap()["cpu.weight"],
            weight,
            "runc {runc}"
        );
    }
}

#[test]
fn each_remaining_rule_fires_where_it_should() {
    // (machine, script, step (1-based) whose rule is checked, rule id, words in its detail)
    let rows: &[(&str, &[&str], usize, &str, &str)] = &[
        (
            "",
            &["cgcreate -g cpu:/a/b"],
            1,
            "cgroup.create",
            "missing parents /a",
        ),
        ("", &["X=demo", "echo $X"], 2, "shell.echo", "demo"),
        ("", &["X=demo"], 1, "shell.assign", "X=demo"),
        ("", &["U=$(uuidgen)"], 1, "shell.variable", "-4"),
        (
            "",
            &["cgcreate -g cpu:a", "cgexec -g cpu:a sh"],
            2,
            "cgroup.attach",
            "sh (pid 1000) in cpu:/a",
        ),
        (
            "",
            &[
                "cgcreate -g cpu:a",
                "cgexec -g cpu:a sh",
                "stress --cpu 1 --timeout 1s &",
            ],
            3,
            "stress.start",
            "cpu:/a",
        ),
        (
            "",
            &[
                "cgcreate -g cpu:a",
                "cgexec -g cpu:a sh",
                "dd if=/dev/zero of=/f bs=1M count=1",
            ],
            3,
            "fork.inherits",
            "dd (pid 1001) in cpu:/a",
        ),
        (
            "",
            &["unshare --uts sh"],
            2,
            "ns.unshare",
            "uts (own hostname)",
        ),
        (
            "",
            &["unshare --uts sh", "hostname box"],
            3,
            "ns.uts",
            "this UTS namespace only",
        ),
        (
            "",
            &["sh", "exit"],
            2,
            "process.exit",
            "sh (pid 1000) exits",
        ),
        (
            "",
            &["stress --cpu 1 --timeout 0.5s"],
            2,
            "process.exit",
            "--timeout",
        ),
        ("", &["sleep 2"], 1, "time.passes", "2.000 s"),
        (
            "",
            &["cat /sys/fs/cgroup/memory/memory.usage_in_bytes"],
            1,
            "cgroupfs.read",
            "0",
        ),
        (
            "",
            &["dd if=/dev/zero of=/f bs=4k count=2"],
            2,
            "memory.page-cache",
            "8192 bytes of page cache",
        ),
        (
            "",
            &["stress --vm 1 --vm-bytes 4k --vm-hang 0 &"],
            2,
            "memory.charge",
            "4096 bytes of anonymous memory",
        ),
        (
            "cgroup = \"v2\"\nrunc = \"1.3.2\"",
            &["kubelet create-container /k --requests cpu=1"],
            2,
            "runc.weight-quadratic",
            "cpu.weight = 100",
        ),
        (
            "cgroup = \"v2\"\nrunc = \"1.3.1\"",
            &["kubelet create-container /k --requests cpu=1"],
            2,
            "runc.weight-linear",
            "cpu.weight = 39",
        ),
        (
            "",
            &["kubelet create-container /k --limits cpu=250m"],
            4,
            "kubelet.quota",
            "0.025 s of CPU per 0.100 s",
        ),
        (
            "",
            &["kubelet create-container /k --limits memory=64Mi"],
            5,
            "kubelet.memory",
            "67108864",
        ),
        (
            "",
            &["kubelet create-container /k"],
            2,
            "kubelet.shares",
            "cpu.shares = 2",
        ),
        (
            "cgroup = \"v2\"",
            &["cgcreate -g cpu:a", "cgset -r cpu.weight=0 a"],
            2,
            "cpu.weight-range",
            "ERANGE",
        ),
    ];
    for &(machine, lines, step, rule, words) in rows {
        let t = run_inline(machine, "", lines);
        let e = &t.steps[step - 1];
        assert_eq!(e.rule.id, rule, "{lines:?}: {}", e.detail);
        assert!(
            e.detail.contains(words),
            "{lines:?}: `{words}` not in {}",
            e.detail
        );
    }
}

#[test]
fn the_charging_task_counts_only_what_fit_under_the_limit() {
    // 150M limit: a worker holds 90M; another asks for 95M but can hold at
    // most the 60M that fit, so the 90M worker is the bulkiest.
    let groups = "[[cgroup]]\npath = \"/a\"\nset = [\"memory.limit_in_bytes=150M\"]";
    let lines = [
        "cgexec -g memory:/a stress --vm 1 --vm-bytes 90M --vm-hang 0 &",
        "cgexec -g memory:/a stress --vm 1 --vm-bytes 95M --vm-hang 0 &",
    ];
    let t = run_inline("", groups, &lines);
    let kill = by_rule(&t, "memory.oom-kill");
    assert!(!kill.is_empty());
    let holds_90m = t
        .steps
        .iter()
        .find(|e| e.rule.id == "memory.charge" && e.detail.contains("charged 90.0 MiB"))
        .and_then(|e| e.detail.split(" is charged").next())
        .unwrap();
    assert!(
        kill[0].detail.contains(&format!("kills {holds_90m} ")),
        "the worker holding 90 MiB: {}",
        kill[0].detail
    );
    assert!(
        kill[0].detail.contains("90.0 MiB of memory"),
        "{}",
        kill[0].detail
    );
    // Read aloud: one worker is "1 vm worker (pid N)", never "1 workers".
    assert!(t
        .steps
        .iter()
        .all(|e| !e.detail.contains("1 workers") && !e.detail.contains("(0)")));
    assert!(t
        .steps
        .iter()
        .any(|e| e.detail.contains("forks 1 vm worker (pid ")));
    assert!(t.steps.iter().any(|e| e
        .detail
        .contains("sees its worker killed by signal 9 and exits")));
}

#[test]
fn any_negative_quota_means_unlimited_and_reads_back_as_minus_one() {
    for quota in ["-1", "-2", "-1000", "-9223372036854775808"] {
        let line = format!("cgset -r cpu.cfs_quota_us={quota} g");
        let t = run_inline(
            "",
            "[[cgroup]]\npath = \"/g\"\nset = [\"cpu.cfs_quota_us=50000\"]",
            &[&line],
        );
        let e = last(&t);
        assert_eq!(
            (e.kind.as_str(), e.rule.id),
            ("written", "write.setting"),
            "{quota}: {}",
            e.detail
        );
        assert!(
            e.detail.contains("no quota (unlimited)"),
            "{quota}: {}",
            e.detail
        );
        assert_eq!(file(&t, "/g", "cpu.cfs_quota_us"), "-1", "{quota}");
    }
    // Not a 64-bit number: refused as the kernel's kstrtoll refuses it.
    let t = run_inline(
        "",
        "[[cgroup]]\npath = \"/g\"",
        &["cgset -r cpu.cfs_quota_us=-99999999999999999999 g"],
    );
    assert_eq!(last(&t).kind, "EINVAL");
    // v2 cpu.max takes `max` or an unsigned number: a negative quota is refused.
    let t = run_inline(
        "cgroup = \"v2\"",
        "[[cgroup]]\npath = \"/g\"",
        &["cgset -r cpu.max=-1 g"],
    );
    assert_eq!(last(&t).kind, "EINVAL", "{}", last(&t).detail);
}

#[test]
fn writes_to_root_files_name_the_file_with_one_slash() {
    let t = run_inline("", "", &["cgset -r cpu.shares=512 /"]);
    assert!(
        last(&t).object.starts_with("/cpu.shares"),
        "{}",
        last(&t).object
    );
}

#[test]
fn cpus_per_period_are_rounded_half_up() {
    // 66667 / 100000 = 0.66667 CPUs -> 0.67; 12345 / 100000 = 0.12345 -> 0.12.
    for (quota, cpus) in [
        ("66667", "0.67 CPUs"),
        ("12345", "0.12 CPUs"),
        ("150000", "1.50 CPUs"),
    ] {
        let line = format!("cgset -r cpu.cfs_quota_us={quota} g");
        let t = run_inline("", "[[cgroup]]\npath = \"/g\"", &[&line]);
        assert!(
            last(&t).detail.ends_with(cpus),
            "{quota}: {}",
            last(&t).detail
        );
    }
}

#[test]
fn a_lone_busy_group_is_not_reported_as_contended() {
    let t = run_inline(
        "cpus = 4\nreport_every_ms = 1000",
        "[[cgroup]]\npath = \"/solo\"",
        &["cgexec -g cpu:/solo stress --cpu 8 --timeout 2.5s"],
    );
    let reports: Vec<&StepRecord> = t.steps.iter().filter(|e| e.kind == "usage").collect();
    assert_eq!(reports.len(), 2);
    for r in reports {
        assert_eq!(r.rule.id, "cpu.uncontended", "{}", r.detail);
        assert!(r.detail.contains("/solo 4.000 s"), "{}", r.detail);
    }
}

#[test]
fn a_usage_report_names_the_window_it_covers() {
    // Work for 0.5 s, then a long idle sleep: the report covering the work
    // comes at the end of its 1 s window and says so.
    let t = run_inline(
        "cpus = 1\nreport_every_ms = 1000",
        "",
        &[
            "stress --cpu 1 --timeout 0.5s",
            "sleep 10",
            "stress --cpu 1 --timeout 0.25s",
        ],
    );
    let reports: Vec<&StepRecord> = t.steps.iter().filter(|e| e.kind == "usage").collect();
    assert!(!reports.is_empty());
    for r in &reports {
        let end = r.time_ns;
        let window = r
            .detail
            .strip_prefix("CPU used in the last ")
            .and_then(|d| d.split(" s:").next())
            .unwrap_or_else(|| panic!("{}", r.detail));
        let window_ns = (window.parse::<f64>().unwrap() * 1e9).round() as u64;
        assert!(
            window_ns > 0 && window_ns <= 1_000_000_000,
            "{} at {end}",
            r.detail
        );
        assert_eq!(
            end % 1_000_000_000,
            0,
            "reports fall on the 1 s grid: {}",
            r.detail
        );
    }
    assert_eq!(reports[0].time_ns, 1_000_000_000, "{}", reports[0].detail);
    assert!(
        reports[0]
            .detail
            .ends_with("the last 1.000 s: tasks directly in / 0.500 s"),
        "{}",
        reports[0].detail
    );
}

#[test]
fn each_uuidgen_variable_draws_from_its_own_stream() {
    let uuid_of = |t: &Trace, name: &str| -> String {
        t.steps
            .iter()
            .filter(|e| e.rule.id == "shell.variable" && e.object == format!("${name}"))
            .map(|e| e.detail.clone())
            .next_back()
            .unwrap_or_else(|| panic!("no ${name}"))
    };
    let alone = run_inline("", "", &["U=$(uuidgen)"]);
    let after_another = run_inline("", "", &["V=$(uuidgen)", "U=$(uuidgen)"]);
    assert_eq!(
        uuid_of(&alone, "U"),
        uuid_of(&after_another, "U"),
        "another variable's draw does not shift U"
    );
    assert_ne!(uuid_of(&after_another, "V"), uuid_of(&after_another, "U"));
    let twice = run_inline("", "", &["U=$(uuidgen)", "U=$(uuidgen)"]);
    let draws: Vec<&str> = twice.steps.iter().map(|e| e.detail.as_str()).collect();
    assert_eq!(draws.len(), 2);
    assert_ne!(draws[0], draws[1], "a second uuidgen into U draws anew");
    let other_seed = {
        let src = inline("", "", &["U=$(uuidgen)"]).replace("simulator", "seed = 5\nsimulator");
        run(player("seeded.toml", &src))
    };
    assert_ne!(uuid_of(&alone, "U"), uuid_of(&other_seed, "U"));
}
