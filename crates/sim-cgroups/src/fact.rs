//! What a step of the cgroups simulation did, as structured fields; the
//! sentence a presenter reads is rendered only when asked for.
//!
//! Contract: every [`CgroupFact`] names one rule of [`crate::rules`], and
//! [`Fact::detail`] renders exactly the sentence the simulator has always
//! printed for it (the JSON traces are byte-stable).

use crate::controller::Controller;
use crate::process::ChargeKind;
use crate::program::Unshare;
use crate::rules;
use crate::units::{bytes, count, seconds, PAGE_SIZE};
use sim_core::{Fact, Rule};

/// How a started process got into its groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    /// `cgexec -g ...` put it there.
    ByCgexec,
    /// It was forked from the shell and inherited the shell's groups.
    ByFork,
}

/// The program a started process runs, as the start event describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Started {
    /// An interactive shell.
    Shell,
    /// `dd` writing `bytes` to `file`.
    Dd {
        /// The file written.
        file: String,
        /// Bytes written.
        bytes: u64,
    },
    /// `stress` with its workers.
    Stress {
        /// Spinning workers.
        cpu: u32,
        /// Memory workers.
        vm: u32,
        /// The first worker's pid.
        first_worker: u32,
        /// The last worker's pid.
        last_worker: u32,
        /// `--timeout`, in ns.
        timeout_ns: Option<u64>,
        /// Whether the line ended with `&`.
        background: bool,
    },
}

/// One group's part of a CPU usage report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsagePart {
    /// CPU used by tasks attached directly to the root group.
    Root {
        /// CPU time, in ns.
        used_ns: u64,
    },
    /// CPU used by a group and its descendants.
    Group {
        /// The group.
        path: String,
        /// CPU time, in ns.
        used_ns: u64,
        /// Its `cpu.weight` (v2) or `cpu.shares` (v1).
        weight: u64,
        /// Whether `weight` is a v2 `cpu.weight`.
        v2: bool,
    },
}

/// The setting a successful write changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setting {
    /// `cpu.shares` as written.
    Shares(u64),
    /// `cpu.shares` clamped into 2..262144.
    SharesClamped {
        /// The value written.
        asked: u64,
        /// The value kept.
        shares: u64,
    },
    /// `cpu.weight`.
    Weight(u64),
    /// A quota per period.
    Quota {
        /// The group.
        path: String,
        /// The quota, in us.
        quota_us: u64,
        /// The period, in us.
        period_us: u64,
    },
    /// No quota, with its period.
    Unlimited {
        /// The group.
        path: String,
        /// The period, in us.
        period_us: u64,
    },
    /// A memory limit, as written in whole pages.
    Limit {
        /// `memory.limit_in_bytes` or `memory.max`.
        file: &'static str,
        /// The limit, in bytes.
        bytes: u64,
    },
    /// A memory limit rounded down to whole pages.
    LimitRounded {
        /// `memory.limit_in_bytes` or `memory.max`.
        file: &'static str,
        /// The bytes written.
        asked: u64,
        /// The limit kept, in bytes.
        bytes: u64,
    },
    /// No memory limit.
    NoLimit {
        /// `memory.limit_in_bytes` or `memory.max`.
        file: &'static str,
    },
    /// `memory.high` in pages, `None` for max.
    High(Option<u64>),
    /// `memory.oom_control`: whether the killer is disabled.
    OomControl(bool),
    /// `memory.oom.group`.
    OomGroup(bool),
}

/// What one step of the cgroups simulation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CgroupFact {
    /// A shell variable was set.
    Variable {
        /// Its name.
        name: String,
        /// Its value.
        value: String,
        /// Whether `uuidgen` drew it.
        uuidgen: bool,
    },
    /// `echo` printed a line.
    Echo {
        /// The line.
        text: String,
    },
    /// `hostname` printed the UTS namespace's name.
    Hostname {
        /// The name.
        name: String,
    },
    /// `hostname NAME` set it.
    HostnameSet {
        /// The new name.
        name: String,
        /// The host's name, when the shell is in a UTS namespace of its own.
        host: Option<String>,
    },
    /// `ip link` listed the devices.
    Links {
        /// Whether the shell is in a network namespace of its own.
        own_namespace: bool,
    },
    /// A group was created (or already existed).
    Created {
        /// The group.
        path: String,
        /// The controllers named.
        controllers: Vec<Controller>,
        /// The groups that were new in some controller, parents first.
        made: Vec<String>,
    },
    /// A write succeeded.
    Written {
        /// The group.
        path: String,
        /// The file.
        file: String,
        /// What it changed.
        setting: Setting,
        /// The rule behind the value (the kubelet's, when it wrote it).
        rule: &'static Rule,
    },
    /// `cgdelete` removed a group and its children.
    Deleted {
        /// The group.
        path: String,
        /// The controllers named.
        controllers: Vec<Controller>,
        /// How many groups went.
        groups: usize,
        /// Tasks moved to the parent first.
        moved: Vec<u32>,
        /// The parent they moved to.
        parent: String,
    },
    /// `rmdir` removed an empty group.
    Removed {
        /// The directory as written.
        fs_path: String,
        /// The group.
        path: String,
    },
    /// `ls -l` listed a cgroup directory.
    Listed {
        /// The directory as written.
        fs_path: String,
        /// How many files it holds.
        files: usize,
    },
    /// `cat` read a cgroup file.
    Read {
        /// The file as written.
        fs_path: String,
        /// Its content.
        content: String,
    },
    /// The kernel (or the shell) refused: an errno and its message.
    Refused {
        /// What was refused.
        object: String,
        /// The errno, e.g. `EINVAL`.
        errno: &'static str,
        /// The message.
        message: String,
        /// The rule that refuses.
        rule: &'static Rule,
    },
    /// A write failed the way the kernel fails it.
    WriteRefused {
        /// The group.
        path: String,
        /// The file.
        file: String,
        /// The value written.
        value: String,
        /// The errno.
        errno: &'static str,
        /// Why.
        why: String,
        /// The rule that refuses.
        rule: &'static Rule,
    },
    /// A process started.
    Started {
        /// Its pid.
        pid: u32,
        /// How it got into its groups.
        placed: Placed,
        /// What it runs.
        program: Started,
        /// Its cpu group.
        cpu_group: String,
        /// Its memory group.
        memory_group: String,
    },
    /// A process got new namespaces.
    Unshared {
        /// Its pid.
        pid: u32,
        /// Which.
        unshare: Unshare,
    },
    /// `exit` without an open shell.
    NoShell,
    /// `exit` of a shell already gone.
    ShellGone {
        /// Its pid.
        pid: u32,
    },
    /// A shell exited.
    ShellExited {
        /// Its pid.
        pid: u32,
        /// The cpu group it left.
        cpu_group: String,
        /// The memory group it left.
        memory_group: String,
    },
    /// dd finished.
    DdFinished {
        /// Its pid.
        pid: u32,
        /// Its command.
        command: String,
        /// Its memory group, still charged with the page cache.
        memory_group: String,
    },
    /// stress saw a worker killed and exited.
    StressGaveUp {
        /// Its pid.
        pid: u32,
        /// The other workers it stopped.
        others: usize,
    },
    /// A process was killed by an input.
    Killed {
        /// Its pid.
        pid: u32,
        /// Its command.
        command: String,
        /// How many of its workers went with it.
        with: usize,
    },
    /// stress reached its `--timeout`.
    TimedOut {
        /// Its pid.
        pid: u32,
        /// Its workers.
        workers: usize,
        /// The cpu group they leave.
        cpu_group: String,
    },
    /// `sleep` ended.
    Slept {
        /// When, in ns.
        at_ns: u64,
    },
    /// Nothing more can happen while the script waits.
    Stuck,
    /// A group spent its quota.
    Throttled {
        /// The group.
        path: String,
        /// Its quota, in ns.
        quota_ns: u64,
        /// How far into the period, in ns.
        into_ns: u64,
        /// Its period, in ns.
        period_ns: u64,
        /// Its runnable threads.
        threads: u64,
        /// `nr_throttled` now.
        nr_throttled: u64,
    },
    /// A group waits for a throttled ancestor.
    Held {
        /// The group.
        path: String,
        /// Its own quota left, in ns, if it has a quota.
        own_left_ns: Option<u64>,
        /// The throttled ancestor.
        ancestor: String,
    },
    /// A group's period ended.
    PeriodEnded {
        /// The group.
        path: String,
        /// `nr_periods` now.
        nr_periods: u64,
        /// CPU used in the period, in ns.
        used_ns: u64,
        /// Whether it was throttled in the period.
        was_throttled: bool,
        /// `nr_throttled` now.
        nr_throttled: u64,
        /// `throttled_time` now, in ns.
        throttled_time_ns: u64,
    },
    /// A CPU usage report.
    Usage {
        /// The window, in ns.
        window_ns: u64,
        /// The groups that used CPU.
        parts: Vec<UsagePart>,
        /// Whether weights decided the split in the window.
        contended: bool,
    },
    /// A charge would cross a limit.
    LimitHit {
        /// The charging task.
        pid: u32,
        /// Bytes it wants.
        wants: u64,
        /// The group whose limit it hits.
        group: String,
        /// That group's usage.
        usage: u64,
        /// Its limit.
        limit: u64,
        /// Its failcnt now.
        failcnt: u64,
    },
    /// Memory was charged.
    Charged {
        /// The task.
        pid: u32,
        /// Bytes.
        amount: u64,
        /// Anonymous memory or page cache.
        kind: ChargeKind,
        /// Its memory group.
        group: String,
        /// The group's usage now.
        usage: u64,
    },
    /// A charge took a group over `memory.high`.
    OverHigh {
        /// The task.
        pid: u32,
        /// Bytes charged.
        amount: u64,
        /// The group.
        group: String,
        /// Its `memory.high`, in bytes.
        high: u64,
        /// Page cache reclaimed.
        freed: u64,
        /// Its usage after reclaim.
        usage: u64,
    },
    /// Reclaim at a limit, before the charge is retried or the group is out of memory.
    Reclaimed {
        /// The group.
        group: String,
        /// Page cache freed.
        freed: u64,
        /// Whether the charge fits now.
        fits: bool,
    },
    /// Reclaim to get under a lowered limit.
    ShrinkReclaimed {
        /// The group.
        group: String,
        /// Page cache freed.
        freed: u64,
    },
    /// Out of memory with the killer disabled: the task hangs.
    OomHang {
        /// The group.
        group: String,
        /// The task.
        pid: u32,
    },
    /// The OOM killer killed the bulkiest task of the group.
    OomKill {
        /// The group.
        group: String,
        /// The victim.
        pid: u32,
        /// Its command.
        command: String,
        /// Its size, in bytes.
        size: u64,
    },
    /// `memory.oom.group`: every task of the group was killed.
    OomGroupKill {
        /// The group.
        group: String,
        /// The victims.
        victims: Vec<u32>,
    },
    /// A task hung at a limit retries.
    Resumed {
        /// The task.
        pid: u32,
        /// Its charge, in bytes.
        amount: u64,
    },
}

/// `lo` and `eth0` on the host; only `lo`, down, in a new network namespace.
pub fn link_lines(own_namespace: bool) -> Vec<String> {
    if own_namespace {
        vec!["1: lo: <LOOPBACK> mtu 65536 state DOWN".to_string()]
    } else {
        vec![
            "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 state UNKNOWN".to_string(),
            "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP".to_string(),
        ]
    }
}

/// A file of a group as an object: `/demo/cpu.shares`, `/cpu.shares` for the root.
fn file_object(path: &str, file: &str) -> String {
    if path == "/" {
        format!("/{file}")
    } else {
        format!("{path}/{file}")
    }
}

fn names(controllers: &[Controller]) -> String {
    controllers
        .iter()
        .map(|c| c.name())
        .collect::<Vec<_>>()
        .join(",")
}

impl Setting {
    fn detail(&self) -> String {
        match self {
            Setting::Shares(shares) => {
                format!("cpu.shares = {shares}: the group's weight against busy siblings")
            }
            Setting::SharesClamped { asked, shares } => {
                format!("cpu.shares {asked} is clamped to {shares}")
            }
            Setting::Weight(weight) => {
                format!("cpu.weight = {weight}: the group's weight against busy siblings")
            }
            Setting::Quota {
                path,
                quota_us,
                period_us,
            } => {
                // CPUs to two decimals, rounded half up.
                let period = u128::from((*period_us).max(1));
                let hundredths = (u128::from(*quota_us) * 100 + period / 2) / period;
                format!(
                    "{path} may now run {} of CPU per {} period = {}.{:02} CPUs",
                    seconds(quota_us.saturating_mul(1_000)),
                    seconds(period_us.saturating_mul(1_000)),
                    hundredths / 100,
                    hundredths % 100
                )
            }
            Setting::Unlimited { path, period_us } => format!(
                "{path} has no quota (unlimited); its period is now {}",
                seconds(period_us.saturating_mul(1_000))
            ),
            Setting::Limit { file, bytes: limit } => {
                format!("{file} = {limit} bytes ({})", bytes(*limit))
            }
            Setting::LimitRounded {
                file,
                asked,
                bytes: limit,
            } => format!(
                "{file} {asked} is kept as {} whole pages = {limit} bytes",
                limit / PAGE_SIZE
            ),
            Setting::NoLimit { file } => format!("{file}: unlimited"),
            Setting::High(Some(pages)) => format!(
                "memory.high = {} bytes: above it the group is throttled, never killed",
                pages * PAGE_SIZE
            ),
            Setting::High(None) => "memory.high: max".to_string(),
            Setting::OomControl(true) => {
                "memory.oom_control = 1: the OOM killer is disabled for this group".to_string()
            }
            Setting::OomControl(false) => {
                "memory.oom_control = 0: the OOM killer is enabled".to_string()
            }
            Setting::OomGroup(on) => format!("memory.oom.group = {}", u8::from(*on)),
        }
    }
}

impl Started {
    fn detail(&self, pid: u32, how: &str, place: &str) -> String {
        match self {
            Started::Shell => {
                format!("{how} sh (pid {pid}) in {place}; the following lines run inside it")
            }
            Started::Dd { file, bytes: size } => format!(
                "{how} dd (pid {pid}) in {place}; it writes {} to {file}",
                bytes(*size)
            ),
            Started::Stress {
                cpu,
                vm,
                first_worker,
                last_worker,
                timeout_ns,
                background,
            } => {
                let timeout = timeout_ns.map_or_else(
                    || "no timeout".to_string(),
                    |t| format!("timeout {}", seconds(t)),
                );
                let kinds: Vec<String> = [(*cpu, "cpu worker"), (*vm, "vm worker")]
                    .into_iter()
                    .filter(|&(n, _)| n > 0)
                    .map(|(n, noun)| count(u64::from(n), noun))
                    .collect();
                let pids = if first_worker == last_worker {
                    format!("pid {first_worker}")
                } else {
                    format!("pids {first_worker}-{last_worker}")
                };
                format!(
                    "{how} stress (pid {pid}) in {place}; it forks {} ({pids}), {timeout}{}",
                    kinds.join(" and "),
                    if *background {
                        ", in the background"
                    } else {
                        ""
                    }
                )
            }
        }
    }
}

impl Fact for CgroupFact {
    fn rule(&self) -> &'static Rule {
        match self {
            CgroupFact::Variable { uuidgen: true, .. } => &rules::SHELL_VARIABLE,
            CgroupFact::Variable { uuidgen: false, .. } => &rules::SHELL_ASSIGN,
            CgroupFact::Echo { .. } => &rules::SHELL_ECHO,
            CgroupFact::Hostname { .. } | CgroupFact::HostnameSet { .. } => &rules::UTS_HOSTNAME,
            CgroupFact::Links { .. } => &rules::NET_DEVICES,
            CgroupFact::Created { .. } => &rules::CGROUP_CREATE,
            CgroupFact::Written { rule, .. }
            | CgroupFact::Refused { rule, .. }
            | CgroupFact::WriteRefused { rule, .. } => rule,
            CgroupFact::Deleted { .. } | CgroupFact::Removed { .. } => &rules::CGROUP_DELETE,
            CgroupFact::Listed { .. } => &rules::CGROUPFS_LIST,
            CgroupFact::Read { .. } => &rules::CGROUPFS_READ,
            CgroupFact::Started {
                program: Started::Stress { .. },
                placed: Placed::ByFork,
                ..
            } => &rules::STRESS_START,
            CgroupFact::Started {
                placed: Placed::ByCgexec,
                ..
            } => &rules::CGROUP_ATTACH,
            CgroupFact::Started { .. } => &rules::FORK_INHERITS,
            CgroupFact::Unshared { .. } => &rules::UNSHARE,
            CgroupFact::NoShell
            | CgroupFact::ShellGone { .. }
            | CgroupFact::ShellExited { .. }
            | CgroupFact::DdFinished { .. }
            | CgroupFact::StressGaveUp { .. }
            | CgroupFact::TimedOut { .. } => &rules::PROCESS_EXIT,
            CgroupFact::Killed { .. } => &rules::PROCESS_KILL,
            CgroupFact::Slept { .. } | CgroupFact::Stuck => &rules::TIME_PASSES,
            CgroupFact::Throttled { .. } => &rules::CFS_THROTTLE,
            CgroupFact::Held { .. } => &rules::CFS_ANCESTOR,
            CgroupFact::PeriodEnded { .. } => &rules::CFS_PERIOD,
            CgroupFact::Usage {
                contended: true, ..
            } => &rules::CPU_SHARES,
            CgroupFact::Usage { .. } => &rules::CPU_UNCONTENDED,
            CgroupFact::LimitHit { .. } => &rules::MEMORY_LIMIT_HIT,
            CgroupFact::Charged {
                kind: ChargeKind::Anon,
                ..
            } => &rules::MEMORY_CHARGE,
            CgroupFact::Charged { .. } => &rules::PAGE_CACHE,
            CgroupFact::OverHigh { .. } => &rules::MEMORY_HIGH,
            CgroupFact::Reclaimed { .. } | CgroupFact::ShrinkReclaimed { .. } => {
                &rules::MEMORY_RECLAIM
            }
            CgroupFact::OomHang { .. } => &rules::MEMORY_OOM_DISABLED,
            CgroupFact::OomKill { .. } => &rules::MEMORY_OOM_KILL,
            CgroupFact::OomGroupKill { .. } => &rules::MEMORY_OOM_GROUP,
            CgroupFact::Resumed { .. } => &rules::MEMORY_UNHANG,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            CgroupFact::Variable { .. } => "variable",
            CgroupFact::Echo { .. } | CgroupFact::Hostname { .. } | CgroupFact::Links { .. } => {
                "output"
            }
            CgroupFact::HostnameSet { .. } => "set",
            CgroupFact::Created { .. } => "created",
            CgroupFact::Written { .. } => "written",
            CgroupFact::Deleted { .. } | CgroupFact::Removed { .. } => "deleted",
            CgroupFact::Listed { .. } => "listed",
            CgroupFact::Read { .. } => "read",
            CgroupFact::Refused { errno, .. } | CgroupFact::WriteRefused { errno, .. } => errno,
            CgroupFact::Started { .. } => "started",
            CgroupFact::Unshared { .. } => "unshared",
            CgroupFact::NoShell | CgroupFact::ShellGone { .. } => "exit",
            CgroupFact::ShellExited { .. }
            | CgroupFact::DdFinished { .. }
            | CgroupFact::StressGaveUp { .. }
            | CgroupFact::TimedOut { .. } => "exited",
            CgroupFact::Killed { .. } => "killed",
            CgroupFact::Slept { .. } => "slept",
            CgroupFact::Stuck => "stuck",
            CgroupFact::Throttled { .. } => "throttled",
            CgroupFact::Held { .. } => "held",
            CgroupFact::PeriodEnded { .. } => "period",
            CgroupFact::Usage { .. } => "usage",
            CgroupFact::LimitHit { .. } => "limit-hit",
            CgroupFact::Charged { .. } => "charged",
            CgroupFact::OverHigh { .. } => "over-high",
            CgroupFact::Reclaimed { .. } | CgroupFact::ShrinkReclaimed { .. } => "reclaimed",
            CgroupFact::OomHang { .. } => "oom-hang",
            CgroupFact::OomKill { .. } | CgroupFact::OomGroupKill { .. } => "oom-kill",
            CgroupFact::Resumed { .. } => "resumed",
        }
    }

    fn object(&self) -> String {
        match self {
            CgroupFact::Variable { name, .. } => format!("${name}"),
            CgroupFact::Echo { .. }
            | CgroupFact::Hostname { .. }
            | CgroupFact::Links { .. }
            | CgroupFact::NoShell
            | CgroupFact::Slept { .. }
            | CgroupFact::Stuck => "shell".to_string(),
            CgroupFact::HostnameSet { .. } => "hostname".to_string(),
            CgroupFact::Created {
                path, controllers, ..
            }
            | CgroupFact::Deleted {
                path, controllers, ..
            } => format!("cgroup {}:{path}", names(controllers)),
            CgroupFact::Written { path, file, .. }
            | CgroupFact::WriteRefused { path, file, .. } => file_object(path, file),
            CgroupFact::Removed { fs_path, .. }
            | CgroupFact::Listed { fs_path, .. }
            | CgroupFact::Read { fs_path, .. } => fs_path.clone(),
            CgroupFact::Refused { object, .. } => object.clone(),
            CgroupFact::Started { pid, .. }
            | CgroupFact::Unshared { pid, .. }
            | CgroupFact::ShellGone { pid }
            | CgroupFact::ShellExited { pid, .. }
            | CgroupFact::DdFinished { pid, .. }
            | CgroupFact::StressGaveUp { pid, .. }
            | CgroupFact::TimedOut { pid, .. }
            | CgroupFact::Killed { pid, .. }
            | CgroupFact::Resumed { pid, .. } => format!("pid {pid}"),
            CgroupFact::Throttled { path, .. }
            | CgroupFact::Held { path, .. }
            | CgroupFact::PeriodEnded { path, .. } => format!("cgroup cpu:{path}"),
            CgroupFact::Usage { .. } => "cpu".to_string(),
            CgroupFact::LimitHit { group, .. }
            | CgroupFact::Charged { group, .. }
            | CgroupFact::OverHigh { group, .. }
            | CgroupFact::Reclaimed { group, .. }
            | CgroupFact::ShrinkReclaimed { group, .. }
            | CgroupFact::OomHang { group, .. }
            | CgroupFact::OomKill { group, .. }
            | CgroupFact::OomGroupKill { group, .. } => format!("cgroup memory:{group}"),
        }
    }

    fn detail(&self) -> String {
        match self {
            CgroupFact::Variable {
                name,
                value,
                uuidgen: true,
            } => format!("{name}={value} (uuidgen)"),
            CgroupFact::Variable { name, value, .. } => format!("{name}={value}"),
            CgroupFact::Echo { text } => text.clone(),
            CgroupFact::Hostname { name } => name.clone(),
            CgroupFact::HostnameSet { name, host: None } => {
                format!("the host's hostname becomes {name}")
            }
            CgroupFact::HostnameSet {
                name,
                host: Some(host),
            } => format!(
                "hostname becomes {name} in this UTS namespace only; the host is still {host}"
            ),
            CgroupFact::Links { own_namespace } => link_lines(*own_namespace).join(" / "),
            CgroupFact::Created {
                path,
                controllers,
                made,
            } => {
                let names = names(controllers);
                let parents: Vec<&str> = made
                    .iter()
                    .filter(|p| *p != path)
                    .map(String::as_str)
                    .collect();
                if made.is_empty() {
                    format!("{path} already exists in {names}; nothing changes")
                } else if parents.is_empty() {
                    format!("created {path} in the {names} hierarchies, at default settings")
                } else {
                    format!(
                        "created {path} in the {names} hierarchies, and its missing parents {}, at default settings",
                        parents.join(", ")
                    )
                }
            }
            CgroupFact::Written { setting, .. } => setting.detail(),
            CgroupFact::Deleted {
                path,
                groups,
                moved,
                parent,
                ..
            } => {
                let tasks = if moved.is_empty() {
                    "it had no tasks".to_string()
                } else {
                    format!("its tasks {moved:?} move to {parent} first")
                };
                format!(
                    "cgdelete removes {path} ({}); {tasks}",
                    count(*groups as u64, "group")
                )
            }
            CgroupFact::Removed { path, .. } => format!("rmdir removes the empty group {path}"),
            CgroupFact::Listed { files, .. } => format!("{files} files, each size 0"),
            CgroupFact::Read { content, .. } => {
                if content.is_empty() {
                    "(empty)".to_string()
                } else {
                    content.replace('\n', "; ")
                }
            }
            CgroupFact::Refused { message, .. } => message.clone(),
            CgroupFact::WriteRefused {
                file,
                value,
                errno,
                why,
                ..
            } => format!("writing `{value}` to {file} fails with {errno}: {why}"),
            CgroupFact::Started {
                pid,
                placed,
                program,
                cpu_group,
                memory_group,
            } => {
                let how = match placed {
                    Placed::ByCgexec => "cgexec puts",
                    Placed::ByFork => "the shell forks",
                };
                let place = format!("cpu:{cpu_group} memory:{memory_group}");
                program.detail(*pid, how, &place)
            }
            CgroupFact::Unshared { pid, unshare } => {
                let mut new = Vec::new();
                if unshare.uts {
                    new.push("uts (own hostname)");
                }
                if unshare.ipc {
                    new.push("ipc (own System V IPC)");
                }
                if unshare.net {
                    new.push("net (only lo, down)");
                }
                format!(
                    "pid {pid} gets new namespaces: {}; pid, mnt, user and cgroup stay the host's",
                    new.join(", ")
                )
            }
            CgroupFact::NoShell => "exit: no simulated shell is open; nothing changes".to_string(),
            CgroupFact::ShellGone { pid } => format!("the shell (pid {pid}) is already gone"),
            CgroupFact::ShellExited {
                pid,
                cpu_group,
                memory_group,
            } => format!("sh (pid {pid}) exits and leaves cpu:{cpu_group} and memory:{memory_group}"),
            CgroupFact::DdFinished {
                pid,
                command,
                memory_group,
            } => format!(
                "{command} (pid {pid}) finishes and exits; its page cache stays charged to memory:{memory_group}"
            ),
            CgroupFact::StressGaveUp { pid, others: 0 } => {
                format!("stress (pid {pid}) sees its worker killed by signal 9 and exits")
            }
            CgroupFact::StressGaveUp { pid, others } => format!(
                "stress (pid {pid}) sees a worker killed by signal 9, stops its other {} and exits",
                count(*others as u64, "worker")
            ),
            CgroupFact::TimedOut {
                pid,
                workers,
                cpu_group,
            } => format!(
                "stress (pid {pid}) reaches its --timeout and exits with its {}; they leave cpu:{cpu_group}",
                count(*workers as u64, "worker")
            ),
            CgroupFact::Killed {
                pid,
                command,
                with: 0,
            } => format!("{command} (pid {pid}) is killed by signal 9 and exits"),
            CgroupFact::Killed { pid, command, with } => format!(
                "{command} (pid {pid}) is killed by signal 9 and exits with its {}",
                count(*with as u64, "worker")
            ),
            CgroupFact::Slept { at_ns } => format!("sleep ends at {}", seconds(*at_ns)),
            CgroupFact::Stuck => {
                "nothing more can happen: the foreground command would wait forever".to_string()
            }
            CgroupFact::Throttled {
                path,
                quota_ns,
                into_ns,
                period_ns,
                threads,
                nr_throttled,
            } => format!(
                "cpu:{path} has used its {} quota {} into its {} period; its {threads} runnable threads wait {} (nr_throttled {nr_throttled})",
                seconds(*quota_ns),
                seconds(*into_ns),
                seconds(*period_ns),
                seconds(period_ns.saturating_sub(*into_ns)),
            ),
            CgroupFact::Held {
                path,
                own_left_ns,
                ancestor,
            } => {
                let left = match own_left_ns {
                    Some(ns) => format!("it still has {} of its own quota", seconds(*ns)),
                    None => "it has no quota of its own".to_string(),
                };
                format!("cpu:{path} stops running although {left}: its ancestor {ancestor} is throttled")
            }
            CgroupFact::PeriodEnded {
                path,
                nr_periods,
                used_ns,
                was_throttled,
                nr_throttled,
                throttled_time_ns,
            } => format!(
                "period {nr_periods} of cpu:{path} ends: it ran {} of CPU{}; quota refilled (nr_periods {nr_periods}, nr_throttled {nr_throttled}, throttled_time {})",
                seconds(*used_ns),
                if *was_throttled { " and was throttled" } else { "" },
                seconds(*throttled_time_ns)
            ),
            CgroupFact::Usage {
                window_ns, parts, ..
            } => {
                let parts: Vec<String> = parts
                    .iter()
                    .map(|part| match part {
                        UsagePart::Root { used_ns } => {
                            format!("tasks directly in / {}", seconds(*used_ns))
                        }
                        UsagePart::Group {
                            path,
                            used_ns,
                            weight,
                            v2,
                        } => {
                            let label = if *v2 { "weight" } else { "shares" };
                            format!("{path} {} ({label} {weight})", seconds(*used_ns))
                        }
                    })
                    .collect();
                let what = if parts.is_empty() {
                    "no group used CPU".to_string()
                } else {
                    parts.join(", ")
                };
                format!("CPU used in the last {}: {what}", seconds(*window_ns))
            }
            CgroupFact::LimitHit {
                pid,
                wants,
                group,
                usage,
                limit,
                failcnt,
            } => format!(
                "pid {pid} wants {} more but memory:{group} uses {} of its {} limit; failcnt is now {failcnt}",
                bytes(*wants),
                bytes(*usage),
                bytes(*limit)
            ),
            CgroupFact::Charged {
                pid,
                amount,
                kind,
                group,
                usage,
            } => {
                let what = match kind {
                    ChargeKind::Anon => "anonymous memory",
                    ChargeKind::Cache => "page cache",
                };
                format!(
                    "pid {pid} is charged {} of {what}; memory:{group} now uses {}",
                    bytes(*amount),
                    bytes(*usage)
                )
            }
            CgroupFact::OverHigh {
                pid,
                amount,
                group,
                high,
                freed,
                usage,
            } => format!(
                "pid {pid} gets its {}; memory:{group} went over its memory.high {}: {} of page cache is reclaimed and the group, now at {}, is throttled, never killed",
                bytes(*amount),
                bytes(*high),
                bytes(*freed),
                bytes(*usage)
            ),
            CgroupFact::Reclaimed { group, freed, fits } => {
                let outcome = if *fits {
                    "enough: the charge is retried".to_string()
                } else {
                    format!("not enough: memory:{group} is out of memory")
                };
                format!(
                    "memory:{group} reclaims {} of page cache; {outcome}",
                    bytes(*freed)
                )
            }
            CgroupFact::ShrinkReclaimed { group, freed } => format!(
                "memory:{group} is over its new limit and reclaims {} of page cache",
                bytes(*freed)
            ),
            CgroupFact::OomHang { group, pid } => format!(
                "memory:{group} is out of memory but memory.oom_control disables the killer: pid {pid} hangs and under_oom reads 1"
            ),
            CgroupFact::OomKill {
                group,
                pid,
                command,
                size,
            } => format!(
                "memory:{group} is out of memory: the OOM killer kills pid {pid} ({command}, {} of memory), the bulkiest task in memory:{group}; nothing outside it is touched",
                bytes(*size)
            ),
            CgroupFact::OomGroupKill { group, victims } => format!(
                "memory:{group} is out of memory and has memory.oom.group=1: the OOM killer kills all {} of its tasks (pids {victims:?})",
                victims.len()
            ),
            CgroupFact::Resumed { pid, amount } => format!(
                "pid {pid} wakes up and retries its {} charge",
                bytes(*amount)
            ),
        }
    }
}
