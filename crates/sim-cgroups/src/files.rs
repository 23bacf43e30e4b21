//! The cgroup filesystem as `ls -l` and `cat` see it, generated from the
//! simulated state, plus the v2 files runc would write for a v1 group.
//!
//! Contract: a v1 cpu directory lists exactly the files and modes of the
//! deck's slide 9 (`cpu` co-mounted with `cpuacct`); every readable file's
//! content is computed from the group's settings and counters, never stored.

use crate::controller::Controller;
use crate::fact::CgroupFact;
use crate::hierarchy::{normalize, Group, Hierarchy};
use crate::machine::{CgroupVersion, Locale};
use crate::op::refused;
use crate::rules;
use crate::system::System;
use crate::units::PAGE_SIZE;
use crate::weight::shares_to_weight;
use sim_core::sorted::sort_stable_by_cached_key;
use sim_core::SortedMap;

/// Where the cgroup filesystem is mounted.
pub const MOUNT: &str = "/sys/fs/cgroup";
/// What an unlimited v1 memory limit reads as (the largest page-aligned i64).
pub const UNLIMITED_V1: u64 = 9_223_372_036_854_771_712;

/// Who may read or write a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileMode {
    /// Readable and writable.
    ReadWrite,
    /// Readable only.
    ReadOnly,
    /// Writable only.
    WriteOnly,
}

const V1_CPU: &[(&str, FileMode)] = &[
    ("cgroup.clone_children", FileMode::ReadWrite),
    ("cgroup.event_control", FileMode::WriteOnly),
    ("cgroup.procs", FileMode::ReadWrite),
    ("cpu.cfs_period_us", FileMode::ReadWrite),
    ("cpu.cfs_quota_us", FileMode::ReadWrite),
    ("cpu.rt_period_us", FileMode::ReadWrite),
    ("cpu.rt_runtime_us", FileMode::ReadWrite),
    ("cpu.shares", FileMode::ReadWrite),
    ("cpu.stat", FileMode::ReadOnly),
    ("cpuacct.stat", FileMode::ReadOnly),
    ("cpuacct.usage", FileMode::ReadWrite),
    ("cpuacct.usage_percpu", FileMode::ReadOnly),
    ("notify_on_release", FileMode::ReadWrite),
    ("tasks", FileMode::ReadWrite),
];

const V1_MEMORY: &[(&str, FileMode)] = &[
    ("cgroup.clone_children", FileMode::ReadWrite),
    ("cgroup.event_control", FileMode::WriteOnly),
    ("cgroup.procs", FileMode::ReadWrite),
    ("memory.failcnt", FileMode::ReadWrite),
    ("memory.force_empty", FileMode::WriteOnly),
    ("memory.limit_in_bytes", FileMode::ReadWrite),
    ("memory.max_usage_in_bytes", FileMode::ReadWrite),
    ("memory.oom_control", FileMode::ReadWrite),
    ("memory.stat", FileMode::ReadOnly),
    ("memory.usage_in_bytes", FileMode::ReadOnly),
    ("memory.use_hierarchy", FileMode::ReadWrite),
    ("notify_on_release", FileMode::ReadWrite),
    ("tasks", FileMode::ReadWrite),
];

const V2_CORE: &[(&str, FileMode)] = &[
    ("cgroup.controllers", FileMode::ReadOnly),
    ("cgroup.events", FileMode::ReadOnly),
    ("cgroup.procs", FileMode::ReadWrite),
    ("cgroup.subtree_control", FileMode::ReadWrite),
    ("cgroup.type", FileMode::ReadWrite),
];

const V2_CPU: &[(&str, FileMode)] = &[
    ("cpu.max", FileMode::ReadWrite),
    ("cpu.stat", FileMode::ReadOnly),
    ("cpu.weight", FileMode::ReadWrite),
];

const V2_MEMORY: &[(&str, FileMode)] = &[
    ("memory.current", FileMode::ReadOnly),
    ("memory.events", FileMode::ReadOnly),
    ("memory.high", FileMode::ReadWrite),
    ("memory.max", FileMode::ReadWrite),
    ("memory.oom.group", FileMode::ReadWrite),
    ("memory.stat", FileMode::ReadOnly),
];

/// The controller a file belongs to, from its prefix.
pub fn controller_of(file: &str) -> Option<Controller> {
    if file.starts_with("cpu.") || file.starts_with("cpuacct.") {
        Some(Controller::Cpu)
    } else if file.starts_with("memory.") {
        Some(Controller::Memory)
    } else {
        None
    }
}

/// The files of one controller's directory (v1) or of a group's directory
/// restricted to `controllers` (v2), in kernel order.
fn files_of(version: CgroupVersion, controllers: &[Controller]) -> Vec<(&'static str, FileMode)> {
    match version {
        CgroupVersion::V1 => {
            let mut out = Vec::new();
            for c in controllers {
                let list = match c {
                    Controller::Cpu => V1_CPU,
                    Controller::Memory => V1_MEMORY,
                };
                for &f in list {
                    if !out.iter().any(|(n, _)| *n == f.0) {
                        out.push(f);
                    }
                }
            }
            out
        }
        CgroupVersion::V2 => {
            let mut out = V2_CORE.to_vec();
            if controllers.contains(&Controller::Cpu) {
                out.extend_from_slice(V2_CPU);
            }
            if controllers.contains(&Controller::Memory) {
                out.extend_from_slice(V2_MEMORY);
            }
            out
        }
    }
}

/// The mode of `file` on `version`, if such a file exists.
pub fn file_mode(version: CgroupVersion, file: &str) -> Option<FileMode> {
    files_of(version, &[Controller::Cpu, Controller::Memory])
        .into_iter()
        .find(|(n, _)| *n == file)
        .map(|(_, m)| m)
}

/// Whether `name` is a file of any controller on `version`.
pub fn is_file_name(version: CgroupVersion, name: &str) -> bool {
    file_mode(version, name).is_some()
}

fn mode_string(version: CgroupVersion, mode: FileMode) -> &'static str {
    match (version, mode) {
        (CgroupVersion::V1, FileMode::ReadWrite) => "-rw-rw-r--",
        (CgroupVersion::V1, FileMode::WriteOnly) => "--w--w----",
        (CgroupVersion::V2, FileMode::ReadWrite) => "-rw-r--r--",
        (CgroupVersion::V2, FileMode::WriteOnly) => "--w-------",
        (_, FileMode::ReadOnly) => "-r--r--r--",
    }
}

/// The sort key `ls` uses: bytewise in the C locale; letters and digits only,
/// case-folded, in zh_CN.UTF-8 (so `cpuacct.stat` sorts before `cpu.cfs_period_us`).
fn collation_key(locale: Locale, name: &str) -> (String, String) {
    match locale {
        Locale::C => (name.to_string(), String::new()),
        Locale::ZhCn => (
            name.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect(),
            name.to_string(),
        ),
    }
}

/// The ls date of something created `elapsed_ns` after the scenario's start.
fn ls_date(system: &System, elapsed_ns: u64) -> String {
    let clock = system.machine.clock;
    let minutes =
        u64::from(clock.hour) * 60 + u64::from(clock.minute) + elapsed_ns / 60_000_000_000;
    let day = u64::from(clock.day) + minutes / (24 * 60);
    let (hour, minute) = (minutes / 60 % 24, minutes % 60);
    match system.machine.locale {
        Locale::C => {
            const MONTHS: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            let month = MONTHS
                .get((clock.month as usize).saturating_sub(1))
                .copied()
                .unwrap_or("Jan");
            format!("{month} {day:>2} {hour:02}:{minute:02}")
        }
        Locale::ZhCn => {
            let pad = if clock.month < 10 { " " } else { "" };
            format!("{}月{pad} {day:>2} {hour:02}:{minute:02}", clock.month)
        }
    }
}

/// Splits a path under the mount into controllers, group and file.
pub fn locate(
    system: &System,
    fs_path: &str,
) -> Result<(Vec<Controller>, String, Option<String>), String> {
    let rest = fs_path
        .strip_prefix(MOUNT)
        .ok_or_else(|| format!("{fs_path} is not under {MOUNT}"))?;
    let mut parts: Vec<&str> = rest.split('/').filter(|p| !p.is_empty()).collect();
    let controllers = match system.machine.cgroup {
        CgroupVersion::V1 => {
            if parts.is_empty() {
                return Err(format!(
                    "{fs_path}: name a controller directory: cpu, cpuacct, memory"
                ));
            }
            let dir = parts.remove(0);
            vec![Controller::parse(dir).ok_or_else(|| {
                format!("{MOUNT}/{dir}: no such controller; mounted: cpu,cpuacct (also as cpu and cpuacct), memory")
            })?]
        }
        CgroupVersion::V2 => Controller::ALL.to_vec(),
    };
    let file = match parts.last() {
        Some(last) if is_file_name(system.machine.cgroup, last) => {
            let f = last.to_string();
            parts.pop();
            Some(f)
        }
        _ => None,
    };
    let path = normalize(&parts.join("/"))?;
    Ok((controllers, path, file))
}

/// The content of the cgroup file at `fs_path` (e.g.
/// `/sys/fs/cgroup/cpu/demo/cpu.stat`), or `None` if there is no readable
/// file there.
pub fn read_file(system: &System, fs_path: &str) -> Option<String> {
    let (controllers, path, file) = locate(system, fs_path).ok()?;
    let file = file?;
    let group = system.tree.get(&path)?;
    let present = listed_controllers(group, &controllers);
    files_of(system.machine.cgroup, &present)
        .iter()
        .find(|(n, m)| *n == file && *m != FileMode::WriteOnly)
        .map(|_| read(system, group, &file))
}

fn listed_controllers(group: &Group, controllers: &[Controller]) -> Vec<Controller> {
    controllers
        .iter()
        .copied()
        .filter(|c| group.controllers.contains(c))
        .collect()
}

/// `ls -l fs_path`: the step's fact and what the terminal shows.
pub fn list(system: &System, fs_path: &str) -> (CgroupFact, Vec<String>) {
    let located = locate(system, fs_path);
    let found = located.ok().and_then(|(controllers, path, file)| {
        let group = system.tree.get(&path)?;
        let present = listed_controllers(group, &controllers);
        (file.is_none() && !present.is_empty()).then_some((group.created_ns, present))
    });
    let Some((created_ns, present)) = found else {
        let message = format!("ls: cannot access '{fs_path}': No such file or directory");
        return (
            refused(fs_path, "ENOENT", message.clone(), &rules::NO_SUCH_CGROUP),
            vec![message],
        );
    };
    let version = system.machine.cgroup;
    let locale = system.machine.locale;
    let mut files = files_of(version, &present);
    sort_stable_by_cached_key(&mut files, |(name, _)| collation_key(locale, name));
    let date = ls_date(system, created_ns);
    let total = match locale {
        Locale::C => "total 0",
        Locale::ZhCn => "总用量 0",
    };
    let mut lines = vec![total.to_string()];
    lines.extend(files.iter().map(|(name, mode)| {
        format!(
            "{} 1 root root 0 {date} {name}",
            mode_string(version, *mode)
        )
    }));
    (
        CgroupFact::Listed {
            fs_path: fs_path.to_string(),
            files: files.len(),
        },
        lines,
    )
}

/// `cat fs_path`: the step's fact and what the terminal shows.
pub fn cat(system: &System, fs_path: &str) -> (CgroupFact, Vec<String>) {
    let content =
        locate(system, fs_path)
            .map_err(|e| ("ENOENT", e))
            .and_then(|(controllers, path, file)| {
                let file = file.ok_or(("EISDIR", format!("cat: {fs_path}: Is a directory")))?;
                let group = system
                    .tree
                    .get(&path)
                    .filter(|g| !listed_controllers(g, &controllers).is_empty())
                    .ok_or((
                        "ENOENT",
                        format!("cat: {fs_path}: No such file or directory"),
                    ))?;
                let listed = files_of(
                    system.machine.cgroup,
                    &listed_controllers(group, &controllers),
                );
                match listed.iter().find(|(n, _)| *n == file) {
                    None => Err((
                        "ENOENT",
                        format!("cat: {fs_path}: No such file or directory"),
                    )),
                    Some((_, FileMode::WriteOnly)) => Err((
                        "EACCES",
                        format!("cat: {fs_path}: Permission denied (EACCES)"),
                    )),
                    Some(_) => Ok(read(system, group, &file)),
                }
            });
    match content {
        Ok(text) => {
            let lines = text.lines().map(str::to_string).collect();
            let fact = CgroupFact::Read {
                fs_path: fs_path.to_string(),
                content: text,
            };
            (fact, lines)
        }
        Err((errno, message)) => {
            let rule = if errno == "EACCES" {
                &rules::FILE_ACCESS
            } else {
                &rules::NO_SUCH_CGROUP
            };
            (
                refused(fs_path, errno, message.clone(), rule),
                vec![message],
            )
        }
    }
}

fn pids_in(system: &System, group: &Group, controller: Controller) -> String {
    system
        .processes
        .values()
        .filter(|p| match controller {
            Controller::Cpu => p.cpu_group == group.path,
            Controller::Memory => p.memory_group == group.path,
        })
        .map(|p| p.pid.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn limit_v1(pages: Option<u64>) -> String {
    pages
        .map_or(UNLIMITED_V1, |p| p.saturating_mul(PAGE_SIZE))
        .to_string()
}

fn limit_v2(pages: Option<u64>) -> String {
    pages.map_or_else(
        || "max".to_string(),
        |p| p.saturating_mul(PAGE_SIZE).to_string(),
    )
}

fn cpu_max(group: &Group) -> String {
    let quota = group
        .cpu
        .quota_us
        .map_or_else(|| "max".to_string(), |q| q.to_string());
    format!("{quota} {}", group.cpu.period_us)
}

fn memory_stat(system: &System, group: &Group) -> (u64, u64) {
    let usage = system.memory_usage(&group.path);
    let cache = system
        .tree
        .subtree(&group.path)
        .iter()
        .filter_map(|p| system.tree.get(p))
        .map(|g| g.memory.cache_bytes)
        .fold(0, u64::saturating_add);
    (usage.saturating_sub(cache), cache)
}

/// The content of a readable file of `group`, as the kernel prints it.
fn read(system: &System, group: &Group, file: &str) -> String {
    let cpu = &group.cpu;
    let memory = &group.memory;
    let v2 = system.machine.cgroup == CgroupVersion::V2;
    let procs = |c| pids_in(system, group, c);
    match file {
        "cgroup.procs" | "tasks" if v2 => {
            let cpu_pids = procs(Controller::Cpu);
            if cpu_pids.is_empty() { procs(Controller::Memory) } else { cpu_pids }
        }
        "cgroup.procs" | "tasks" => {
            let by_cpu = group.controllers.contains(&Controller::Cpu);
            procs(if by_cpu { Controller::Cpu } else { Controller::Memory })
        }
        "cgroup.clone_children" | "notify_on_release" | "cpu.rt_runtime_us" => "0".to_string(),
        "cpu.rt_period_us" => "1000000".to_string(),
        "cpu.shares" => cpu.shares.to_string(),
        "cpu.cfs_period_us" => cpu.period_us.to_string(),
        "cpu.cfs_quota_us" => cpu.quota_us.map_or_else(|| "-1".to_string(), |q| q.to_string()),
        "cpu.stat" if v2 => format!(
            "usage_usec {}\nuser_usec {}\nsystem_usec 0\nnr_periods {}\nnr_throttled {}\nthrottled_usec {}",
            cpu.usage_ns / 1000,
            cpu.usage_ns / 1000,
            cpu.nr_periods,
            cpu.nr_throttled,
            cpu.throttled_time_ns / 1000
        ),
        "cpu.stat" => format!(
            "nr_periods {}\nnr_throttled {}\nthrottled_time {}",
            cpu.nr_periods, cpu.nr_throttled, cpu.throttled_time_ns
        ),
        "cpuacct.usage" => cpu.usage_ns.to_string(),
        "cpuacct.stat" => format!("user {}\nsystem 0", cpu.usage_ns / 10_000_000),
        "cpuacct.usage_percpu" => {
            let cpus = system.machine.cpus.max(1);
            (0..cpus)
                .map(|i| (cpu.usage_ns / cpus + u64::from(i < cpu.usage_ns % cpus)).to_string())
                .collect::<Vec<_>>()
                .join(" ")
        }
        "cpu.max" => cpu_max(group),
        "cpu.weight" => cpu.weight.to_string(),
        "memory.failcnt" => memory.failcnt.to_string(),
        "memory.limit_in_bytes" => limit_v1(memory.limit_pages),
        "memory.max_usage_in_bytes" => memory.max_usage_bytes.to_string(),
        "memory.usage_in_bytes" | "memory.current" => system.memory_usage(&group.path).to_string(),
        "memory.use_hierarchy" => "1".to_string(),
        "memory.oom_control" => format!(
            "oom_kill_disable {}\nunder_oom {}\noom_kill {}",
            u8::from(memory.oom_kill_disable),
            u8::from(memory.under_oom),
            memory.events.oom_kill
        ),
        "memory.stat" => {
            let (anon, cache) = memory_stat(system, group);
            if v2 {
                format!("anon {anon}\nfile {cache}")
            } else {
                format!("cache {cache}\nrss {anon}\nhierarchical_memory_limit {}", limit_v1(memory.limit_pages))
            }
        }
        "memory.max" => limit_v2(memory.limit_pages),
        "memory.high" => limit_v2(memory.high_pages),
        "memory.oom.group" => u8::from(memory.oom_group).to_string(),
        "memory.events" => format!(
            "low 0\nhigh {}\nmax {}\noom {}\noom_kill {}",
            memory.events.high, memory.events.max, memory.events.oom, memory.events.oom_kill
        ),
        "cgroup.controllers" => controller_names(group),
        "cgroup.subtree_control" => {
            if system.tree.children(&group.path).is_empty() { String::new() } else { controller_names(group) }
        }
        "cgroup.type" => "domain".to_string(),
        "cgroup.events" => {
            let populated = system.processes.values().any(|p| {
                Hierarchy::is_within(&p.cpu_group, &group.path)
                    || Hierarchy::is_within(&p.memory_group, &group.path)
            });
            format!("populated {}\nfrozen 0", u8::from(populated))
        }
        _ => String::new(),
    }
}

fn controller_names(group: &Group) -> String {
    group
        .controllers
        .iter()
        .map(|c| c.name())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every readable file of `group` with its content, for the state view.
pub fn snapshot(system: &System, group: &Group) -> SortedMap<String, String> {
    let controllers: Vec<Controller> = group.controllers.iter().copied().collect();
    files_of(system.machine.cgroup, &controllers)
        .into_iter()
        .filter(|(_, mode)| *mode != FileMode::WriteOnly)
        .map(|(name, _)| (name.to_string(), read(system, group, name)))
        .collect()
}

/// The v2 files runc would write for this v1 group (cpu.weight by the
/// machine's runc version).
pub fn v2_mapping(system: &System, group: &Group) -> SortedMap<String, String> {
    let weight = shares_to_weight(group.cpu.shares, system.machine.runc.formula())
        .map_or_else(|| "(unset)".to_string(), |w| w.to_string());
    let memory = &group.memory;
    SortedMap::from([
        ("cpu.max".to_string(), cpu_max(group)),
        ("cpu.weight".to_string(), weight),
        ("memory.max".to_string(), limit_v2(memory.limit_pages)),
        (
            "memory.events".to_string(),
            format!(
                "max {} oom {} oom_kill {}",
                memory.failcnt, memory.events.oom, memory.events.oom_kill
            ),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zh_cn_collation_matches_slide_nine_order() {
        let mut names: Vec<&str> = V1_CPU.iter().map(|(n, _)| *n).collect();
        names.sort_by_cached_key(|n| collation_key(Locale::ZhCn, n));
        assert_eq!(
            names,
            vec![
                "cgroup.clone_children",
                "cgroup.event_control",
                "cgroup.procs",
                "cpuacct.stat",
                "cpuacct.usage",
                "cpuacct.usage_percpu",
                "cpu.cfs_period_us",
                "cpu.cfs_quota_us",
                "cpu.rt_period_us",
                "cpu.rt_runtime_us",
                "cpu.shares",
                "cpu.stat",
                "notify_on_release",
                "tasks",
            ]
        );
        names.sort_by_cached_key(|n| collation_key(Locale::C, n));
        assert_eq!(names[3], "cpu.cfs_period_us", "C locale sorts bytewise");
    }

    #[test]
    fn controllers_come_from_prefixes() {
        assert_eq!(controller_of("cpuacct.usage"), Some(Controller::Cpu));
        assert_eq!(controller_of("memory.max"), Some(Controller::Memory));
        assert_eq!(controller_of("tasks"), None);
    }
}
