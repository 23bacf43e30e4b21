//! Bad scenario files give a located error naming the field and what is
//! allowed, never a panic.

use sim_cgroups::load;
use sim_core::line_column;
use sim_core::testing::assert_error_at;

const HEADER: &str = "[scenario]\ntitle = \"t\"\nsimulator = \"cgroups\"\n";

/// (what is wrong, file body after the header, where the error must point
/// (first occurrence of this text), words the message must contain)
const ROWS: &[(&str, &str, &str, &[&str])] = &[
    (
        "unknown command",
        "[script]\nlines = [\n  \"cgmake -g cpu:a\",\n]\n",
        "cgmake",
        &[
            "unknown command `cgmake`",
            "allowed: cgcreate, cgset, cgexec",
        ],
    ),
    (
        "unknown cgset option",
        "[script]\nlines = [\"cgset -x cpu.shares=5 a\"]\n",
        "-x",
        &["unknown option `-x`", "allowed: -r"],
    ),
    (
        "unknown controller",
        "[script]\nlines = [\"cgcreate -g blkio:a\"]\n",
        "blkio:a",
        &[
            "unknown controller `blkio`",
            "allowed: cpu, cpuacct, memory",
        ],
    ),
    (
        "unshare option not simulated",
        "[script]\nlines = [\"unshare --pid sh\"]\n",
        "--pid",
        &["--pid", "allowed: --uts, --ipc, --net"],
    ),
    (
        "negative size",
        "[script]\nlines = [\"stress --vm 1 --vm-bytes -5M &\"]\n",
        "-5M",
        &["--vm-bytes expects bytes like 150M", "-5M"],
    ),
    (
        "size that fits memparse but not the simulation",
        "[script]\nlines = [\"stress --vm 1 --vm-bytes 16000000T &\"]\n",
        "16000000T",
        &["--vm-bytes 16000000T", "at most 1 PiB"],
    ),
    (
        "dd total that does not fit",
        "[script]\nlines = [\"dd if=/dev/zero of=/f bs=16000000T count=2\"]\n",
        "bs=16000000T",
        &["dd: bs * count", "at most 1 PiB"],
    ),
    (
        "missing parent cgroup",
        "[[cgroup]]\npath = \"/a/b\"\n\n[script]\nlines = []\n",
        "\"/a/b\"",
        &["parent cgroup `/a` does not exist"],
    ),
    (
        "kernel refuses a starting setting",
        "[[cgroup]]\npath = \"/a\"\nset = [\"cpu.cfs_period_us=10\"]\n\n[script]\nlines = []\n",
        "10\"]",
        &["EINVAL", "1000..1000000"],
    ),
    (
        "file not writable by the simulator",
        "[[cgroup]]\npath = \"/a\"\nset = [\"cpu.rt_runtime_us=5\"]\n\n[script]\nlines = []\n",
        "cpu.rt_runtime_us",
        &["allowed: cpu.shares, cpu.cfs_period_us, cpu.cfs_quota_us"],
    ),
    (
        "v2 file on a v1 machine",
        "[script]\nlines = [\"cgset -r cpu.max=max a\"]\n",
        "cpu.max",
        &["cgroup v2 file", "machine.cgroup"],
    ),
    (
        "variable used before it is set",
        "[script]\nlines = [\"cgcreate -g cpu:$UUID\"]\n",
        "$UUID",
        &["`$UUID` is used before it is set"],
    ),
    (
        "exit without a shell",
        "[script]\nlines = [\"exit\"]\n",
        "exit",
        &["without an open shell"],
    ),
    (
        "foreground spinner without timeout",
        "[script]\nlines = [\"stress --cpu 2\"]\n",
        "stress",
        &["needs --timeout"],
    ),
    (
        "unknown machine field",
        "[machine]\ncolour = \"red\"\n\n[script]\nlines = []\n",
        "colour",
        &["unknown field `colour`", "cpus", "report_every_ms"],
    ),
    (
        "bad enum value",
        "[machine]\ncgroup = \"v3\"\n\n[script]\nlines = []\n",
        "\"v3\"",
        &["unknown variant `v3`", "`v1`", "`v2`"],
    ),
    (
        "impossible cpu count",
        "[machine]\ncpus = 0\n\n[script]\nlines = []\n",
        "0",
        &["machine.cpus", "1..=1024"],
    ),
    (
        "bad runc version",
        "[machine]\nrunc = \"latest\"\n\n[script]\nlines = []\n",
        "\"latest\"",
        &["machine.runc", "1.3.2"],
    ),
    (
        "unknown cgroup controller in a table",
        "[[cgroup]]\npath = \"/a\"\ncontrollers = [\"io\"]\n\n[script]\nlines = []\n",
        "\"io\"",
        &["unknown variant `io`", "`cpu`", "`memory`"],
    ),
];

#[test]
fn each_bad_scenario_points_at_its_mistake() {
    for &(what, body, at, words) in ROWS {
        let src = format!("{HEADER}\n{body}");
        let offset = src.find(at).unwrap_or_else(|| panic!("{what}: marker"));
        let (line, column) = line_column(&src, offset);
        let e = assert_error_at(load("bad.toml", &src), line, words);
        assert_eq!(e.column, column, "{what}: {e}");
        assert!(e
            .to_string()
            .starts_with(&format!("bad.toml:{line}:{column}: ")));
    }
}

#[test]
fn another_simulator_s_file_is_refused_at_its_simulator_field() {
    let src = "[scenario]\ntitle = \"t\"\nsimulator = \"overlay\"\n\n[script]\nlines = []\n";
    let e = assert_error_at(load("x.toml", src), 3, &["`overlay`", "`cgroups`"]);
    assert_eq!(e.column, 13, "{e}");
}

#[test]
fn a_file_without_a_script_says_what_is_missing() {
    // A table missing from the whole file is reported at its start.
    let e = assert_error_at(load("x.toml", HEADER), 1, &["missing field `script`"]);
    assert_eq!(e.column, 1, "{e}");
}
