//! Bad scenario files give located errors naming the field and what is allowed.

use sim_core::testing::assert_error_at;

const HEAD: &str = "[scenario]\ntitle = \"t\"\nsimulator = \"logs\"\n";
const POD: &str = "[[pods]]\nname = \"counter\"\n[[pods.containers]]\nname = \"count\"\n";

#[test]
fn each_bad_file_is_reported_at_its_line_with_the_expectation() {
    let cases: Vec<(String, usize, Vec<&str>)> = vec![
        ("[scenario]\ntitle = \"t\"\nsimulator = \"cgroups\"\n".into(), 3, vec!["for the `cgroups` simulator", "simulator = \"logs\""]),
        (format!("{HEAD}[node]\ncontainer_log_max_size = \"10MB\"\n"), 5, vec!["container_log_max_size", "Ki, Mi, Gi"]),
        (format!("{HEAD}[node]\ncontainer_log_max_files = 1\n"), 5, vec!["container_log_max_files", "from 2 to"]),
        (format!("{HEAD}[node]\ncontainer_log_monitor_interval_s = 1\n"), 5, vec!["container_log_monitor_interval_s", "from 3"]),
        (format!("{HEAD}[node]\nstart = \"2016-10-06\"\n"), 5, vec!["start", "RFC 3339"]),
        (format!("{HEAD}[node]\ncolour = 1\n"), 5, vec!["colour", "container_log_max_size"]),
        (format!("{HEAD}{POD}[[script]]\nat_ms = 0\naction = \"explode\"\n"), 10, vec!["explode", "write", "kubectl-logs", "parse-line"]),
        (format!("{HEAD}{POD}[[script]]\nat_ms = -5\naction = \"ls\"\npod = \"counter\"\ncontainer = \"count\"\n"), 9, vec!["at_ms", "-5", "from 0"]),
        (format!("{HEAD}{POD}[[script]]\nat_ms = 0\naction = \"ls\"\npod = \"nginx\"\ncontainer = \"count\"\n"), 11, vec!["unknown pod `nginx`", "`default/counter`"]),
        (format!("{HEAD}{POD}[[script]]\nat_ms = 0\naction = \"ls\"\npod = \"counter\"\ncontainer = \"app\"\n"), 12, vec!["unknown container `app`", "`count`"]),
        (format!("{HEAD}{POD}[[script]]\nat_ms = 0\naction = \"write\"\npod = \"counter\"\ncontainer = \"count\"\nstream = \"stdin\"\ntext = \"x\"\n"), 13, vec!["stdin", "stdout", "stderr"]),
        (format!("{HEAD}{POD}[[script]]\nat_ms = 0\naction = \"write\"\npod = \"counter\"\ncontainer = \"count\"\ntext = \"x\"\n"), 10, vec!["action `write` needs `stream`"]),
        (format!("{HEAD}{POD}[[script]]\nat_ms = 0\naction = \"crash\"\npod = \"counter\"\ncontainer = \"count\"\nline = \"x\"\n"), 13, vec!["action `crash` does not take `line`", "`exit_code`"]),
        (format!("{HEAD}{POD}[[script]]\nat_ms = 0\naction = \"write-file\"\npod = \"counter\"\ncontainer = \"count\"\npath = \"/tmp/a\"\ntext = \"x\"\n"), 13, vec!["no `empty_dir`"]),
        (format!("{HEAD}[[pods]]\nname = \"counter\"\n[[pods.containers]]\nname = \"tail\"\nrole = \"sidecar\"\n"), 8, vec!["sidecar", "app", "streaming-sidecar", "agent-sidecar"]),
        (format!("{HEAD}[[pods]]\nname = \"counter\"\nempty_dir = \"/var/log\"\n[[pods.containers]]\nname = \"tail\"\nrole = \"streaming-sidecar\"\ntails = \"/etc/passwd\"\n"), 10, vec!["not inside the pod's emptyDir `/var/log`"]),
        (format!("{HEAD}[[pods]]\nname = \"Counter\"\n[[pods.containers]]\nname = \"count\"\n"), 5, vec!["lowercase"]),
        (format!("{HEAD}[agent]\nname = \"fluent-bit\"\npoll_interval_ms = 10\n"), 6, vec!["poll_interval_ms", "from 100"]),
    ];
    check(cases);
}

#[test]
fn negative_or_zero_sizes_counts_and_times_name_the_field_and_what_is_allowed() {
    let cases: Vec<(String, usize, Vec<&str>)> = vec![
        (format!("{HEAD}[node]\ncontainer_log_max_size = \"-5\"\n"), 5, vec!["`container_log_max_size` is -5", "negative size turns rotation off", "positive size such as `10Mi`"]),
        (format!("{HEAD}[node]\ncontainer_log_max_size = \"-5Mi\"\n"), 5, vec!["`container_log_max_size` is -5Mi", "positive size"]),
        (format!("{HEAD}[node]\ncontainer_log_max_size = \"0\"\n"), 5, vec!["`container_log_max_size` is 0", "positive size such as `10Mi`"]),
        (format!("{HEAD}[node]\ncontainer_log_max_size = \"0Ki\"\n"), 5, vec!["`container_log_max_size` is 0", "positive size"]),
        (format!("{HEAD}[node]\ncontainer_log_max_files = -3\n"), 5, vec!["`container_log_max_files` is -3", "from 2 to 1000"]),
        (format!("{HEAD}[node]\ncontainer_log_max_files = 0\n"), 5, vec!["`container_log_max_files` is 0", "from 2 to 1000"]),
        (format!("{HEAD}[node]\ncontainer_log_monitor_interval_s = -10\n"), 5, vec!["`container_log_monitor_interval_s` is -10", "from 3"]),
        (format!("{HEAD}[node]\ngzip_percent = -1\n"), 5, vec!["`gzip_percent` is -1", "from 1 to 100"]),
        (format!("{HEAD}[agent]\nname = \"fluent-bit\"\npoll_interval_ms = 1000\nstart_ms = -1\n"), 7, vec!["`start_ms` is -1", "from 0"]),
        (format!("{HEAD}[agent]\nname = \"fluent-bit\"\npoll_interval_ms = -1\n"), 6, vec!["`poll_interval_ms` is -1", "from 100"]),
        (format!("{HEAD}{POD}[[script]]\nat_ms = -1\naction = \"ls\"\npod = \"counter\"\ncontainer = \"count\"\n"), 9, vec!["`at_ms` is -1", "from 0 to 86400000"]),
        (format!("{HEAD}{POD}[[script]]\nat_ms = 0\naction = \"write\"\npod = \"counter\"\ncontainer = \"count\"\nstream = \"stdout\"\ntext = \"x\"\nrepeat = 2\nevery_ms = -100\n"), 16, vec!["`every_ms` is -100", "from 1"]),
        (format!("{HEAD}{POD}[[script]]\nat_ms = 0\naction = \"write\"\npod = \"counter\"\ncontainer = \"count\"\nstream = \"stdout\"\ntext = \"x\"\nrepeat = -2\n"), 15, vec!["`repeat` is -2", "from 1"]),
        (format!("{HEAD}{POD}[[script]]\nat_ms = 0\naction = \"write\"\npod = \"counter\"\ncontainer = \"count\"\nstream = \"stdout\"\ntext = \"x\"\nlength = -7\n"), 15, vec!["`length` is -7", "from 0"]),
    ];
    check(cases);
}

fn check(cases: Vec<(String, usize, Vec<&str>)>) {
    for (src, line, says) in cases {
        let error = assert_error_at(sim_logs::load("bad.toml", &src), line, &says);
        assert_eq!(error.file, "bad.toml", "{error}\n{src}");
    }
}
