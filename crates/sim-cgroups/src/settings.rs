//! Creating groups, writing their files and removing them, with the
//! kernel's answers.
//!
//! Contract: a write either changes exactly the setting named and says so, or
//! fails the way the kernel fails (EINVAL, ERANGE, EACCES, EBUSY, ENOENT) and
//! changes nothing. These failures are events of the simulation, not errors
//! of the scenario.

use crate::controller::Controller;
use crate::fact::{CgroupFact, Setting};
use crate::files::{controller_of, file_mode, locate, FileMode};
use crate::hierarchy::{normalize, parent_of, Hierarchy};
use crate::machine::CgroupVersion;
use crate::memory::{reclaim_cache, wake_hung_tasks};
use crate::op::{refused, Op, Outcome};
use crate::rules;
use crate::system::System;
use crate::units::{bytes, memparse, PAGE_SIZE};
use sim_core::Rule;
use sim_core::SortedMap;

/// The files a scenario may write with `cgset`, on cgroup v1.
pub const WRITABLE_V1: &[&str] = &[
    "cpu.shares",
    "cpu.cfs_period_us",
    "cpu.cfs_quota_us",
    "memory.limit_in_bytes",
    "memory.oom_control",
];

/// The files a scenario may write with `cgset`, on cgroup v2.
pub const WRITABLE_V2: &[&str] = &[
    "cpu.weight",
    "cpu.max",
    "memory.max",
    "memory.high",
    "memory.oom.group",
];

/// Shares the kernel accepts without clamping.
const SHARES_RANGE: (u64, u64) = (2, 262_144);
/// cfs period bounds in microseconds.
const PERIOD_RANGE_US: (u64, u64) = (1_000, 1_000_000);
/// Smallest cfs quota in microseconds.
const MIN_QUOTA_US: u64 = 1_000;
/// Largest cfs quota in microseconds (the kernel's `max_cfs_runtime`).
const MAX_QUOTA_US: u64 = (1 << 44) - 1;
/// Fixed-point shift the kernel uses to compare quota/period ratios.
const BW_SHIFT: u32 = 20;

/// A failed write: errno, rule, explanation.
struct Refusal {
    errno: &'static str,
    rule: &'static Rule,
    why: String,
}

fn refuse(errno: &'static str, rule: &'static Rule, why: impl Into<String>) -> Refusal {
    Refusal {
        errno,
        rule,
        why: why.into(),
    }
}

fn parse_u64(value: &str) -> Option<u64> {
    (!value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()))
        .then(|| value.parse().ok())
        .flatten()
}

fn ratio(quota_us: Option<u64>, period_us: u64) -> Option<u128> {
    quota_us.map(|q| (u128::from(q) << BW_SHIFT) / u128::from(period_us.max(1)))
}

/// Writes `value` to `file` of group `raw` at `now_ns`; `by` names the writer
/// (the kubelet) when it is not the user.
pub fn write(
    system: &mut System,
    now_ns: u64,
    raw: &str,
    file: &str,
    value: &str,
    by: Option<&'static Rule>,
) -> Outcome {
    let mut then = Vec::new();
    let said = write_fact(system, now_ns, raw, file, value, by, &mut then);
    Outcome::from(said).then(then)
}

fn write_fact(
    system: &mut System,
    now_ns: u64,
    raw: &str,
    file: &str,
    value: &str,
    by: Option<&'static Rule>,
    then: &mut Vec<Op>,
) -> CgroupFact {
    let path = match normalize(raw) {
        Ok(p) => p,
        Err(e) => return refused(raw, "EINVAL", e, &rules::NO_SUCH_CGROUP),
    };
    let object = if path == "/" {
        format!("/{file}")
    } else {
        format!("{path}/{file}")
    };
    let Some(controller) = controller_of(file) else {
        return refused(
            object,
            "ENOENT",
            format!("{file} is not a cpu or memory file (ENOENT)"),
            &rules::NO_SUCH_CGROUP,
        );
    };
    if !system.tree.exists_in(&path, controller) {
        return refused(
            object,
            "ENOENT",
            format!(
                "{}:{path} does not exist, so {file} cannot be written (ENOENT)",
                controller.name()
            ),
            &rules::NO_SUCH_CGROUP,
        );
    }
    let v2 = system.machine.is_v2();
    let writable = if v2 { WRITABLE_V2 } else { WRITABLE_V1 };
    if !writable.contains(&file) {
        let why = match file_mode(system.machine.cgroup, file) {
            Some(FileMode::ReadOnly) => format!("{file} is read-only (EACCES)"),
            _ => format!("{file} cannot be written here (EACCES)"),
        };
        return refused(object, "EACCES", why, &rules::FILE_ACCESS);
    }
    let outcome = match file {
        "cpu.shares" => write_shares(system, &path, value),
        "cpu.weight" => write_weight(system, &path, value),
        "cpu.cfs_period_us" => write_bandwidth(system, now_ns, &path, None, Some(value)),
        "cpu.cfs_quota_us" => write_bandwidth(system, now_ns, &path, Some(value), None),
        "cpu.max" => write_cpu_max(system, now_ns, &path, value),
        "memory.limit_in_bytes" | "memory.max" => write_limit(system, &path, value, v2, then),
        "memory.high" => write_high(system, &path, value),
        "memory.oom_control" | "memory.oom.group" => write_flag(system, &path, file, value, then),
        _ => Err(refuse(
            "EACCES",
            &rules::FILE_ACCESS,
            format!("{file} cannot be written"),
        )),
    };
    match outcome {
        Ok((rule, setting)) => CgroupFact::Written {
            path,
            file: file.to_string(),
            setting,
            rule: by.unwrap_or(rule),
        },
        Err(r) => CgroupFact::WriteRefused {
            path,
            file: file.to_string(),
            value: value.to_string(),
            errno: r.errno,
            why: r.why,
            rule: r.rule,
        },
    }
}

fn write_shares(
    system: &mut System,
    path: &str,
    value: &str,
) -> Result<(&'static Rule, Setting), Refusal> {
    let asked = parse_u64(value).ok_or_else(|| {
        refuse(
            "EINVAL",
            &rules::WRITE_NOT_A_NUMBER,
            "cpu.shares takes a non-negative integer",
        )
    })?;
    let shares = asked.clamp(SHARES_RANGE.0, SHARES_RANGE.1);
    if let Some(g) = system.tree.get_mut(path) {
        g.cpu.shares = shares;
    }
    Ok(if shares != asked {
        (
            &rules::CPU_SHARES_CLAMP,
            Setting::SharesClamped { asked, shares },
        )
    } else {
        (&rules::WRITE_SETTING, Setting::Shares(shares))
    })
}

fn write_weight(
    system: &mut System,
    path: &str,
    value: &str,
) -> Result<(&'static Rule, Setting), Refusal> {
    let weight = parse_u64(value).ok_or_else(|| {
        refuse(
            "EINVAL",
            &rules::WRITE_NOT_A_NUMBER,
            "cpu.weight takes an integer",
        )
    })?;
    if !(1..=10_000).contains(&weight) {
        return Err(refuse(
            "ERANGE",
            &rules::CPU_WEIGHT_RANGE,
            "cpu.weight must be 1..10000",
        ));
    }
    if let Some(g) = system.tree.get_mut(path) {
        g.cpu.weight = weight;
    }
    Ok((&rules::WRITE_SETTING, Setting::Weight(weight)))
}

fn write_cpu_max(
    system: &mut System,
    now_ns: u64,
    path: &str,
    value: &str,
) -> Result<(&'static Rule, Setting), Refusal> {
    let mut parts = value.split_whitespace();
    let quota = parts.next().unwrap_or("");
    let period = parts.next();
    if parts.next().is_some() {
        return Err(refuse(
            "EINVAL",
            &rules::WRITE_NOT_A_NUMBER,
            "cpu.max takes `$MAX $PERIOD`",
        ));
    }
    // cpu_period_quota_parse: `max` or an unsigned number, never negative.
    let quota = if quota == "max" {
        "-1"
    } else if parse_u64(quota).is_some() {
        quota
    } else {
        return Err(refuse(
            "EINVAL",
            &rules::WRITE_NOT_A_NUMBER,
            "cpu.max takes `$MAX $PERIOD` with $MAX a number of microseconds or max",
        ));
    };
    write_bandwidth(system, now_ns, path, Some(quota), period)
}

/// Writes quota and/or period after the kernel's range and hierarchy checks.
fn write_bandwidth(
    system: &mut System,
    now_ns: u64,
    path: &str,
    quota: Option<&str>,
    period: Option<&str>,
) -> Result<(&'static Rule, Setting), Refusal> {
    let group = system
        .tree
        .get(path)
        .ok_or_else(|| refuse("ENOENT", &rules::NO_SUCH_CGROUP, "no such group"))?;
    let mut period_us = group.cpu.period_us;
    let mut quota_us = group.cpu.quota_us;
    if let Some(p) = period {
        period_us = parse_u64(p).ok_or_else(|| {
            refuse(
                "EINVAL",
                &rules::WRITE_NOT_A_NUMBER,
                "the period takes microseconds",
            )
        })?;
        if !(PERIOD_RANGE_US.0..=PERIOD_RANGE_US.1).contains(&period_us) {
            return Err(refuse(
                "EINVAL",
                &rules::CFS_RANGE,
                format!("a period of {period_us} us is outside 1000..1000000 us (1 ms..1 s)"),
            ));
        }
    }
    if let Some(q) = quota {
        let parsed = q.parse::<i64>().map_err(|_| {
            refuse(
                "EINVAL",
                &rules::WRITE_NOT_A_NUMBER,
                "the quota takes microseconds, or a negative number for unlimited",
            )
        })?;
        // tg_set_cfs_quota: any negative quota means unlimited.
        quota_us = match u64::try_from(parsed) {
            Err(_) => None,
            Ok(v) if (MIN_QUOTA_US..=MAX_QUOTA_US).contains(&v) => Some(v),
            Ok(v) => {
                let why = if v > MAX_QUOTA_US {
                    format!("a quota of {v} us is over the kernel's maximum of {MAX_QUOTA_US} us")
                } else {
                    format!("a quota of {v} us is under 1000 us (1 ms)")
                };
                return Err(refuse("EINVAL", &rules::CFS_RANGE, why));
            }
        };
    }
    if system.machine.cgroup == CgroupVersion::V1 {
        if let Some(child) = child_above_parent(system, path, quota_us, period_us) {
            return Err(refuse(
                "EINVAL",
                &rules::CFS_CHILD_ABOVE_PARENT,
                format!("{child} would be allowed more CPU per period than its parent"),
            ));
        }
    }
    let Some(g) = system.tree.get_mut(path) else {
        return Err(refuse("ENOENT", &rules::NO_SUCH_CGROUP, "no such group"));
    };
    g.cpu.period_us = period_us;
    g.cpu.quota_us = quota_us;
    g.cpu.runtime_left_ns = quota_us.unwrap_or(0).saturating_mul(1_000);
    g.cpu.period_start_ns = now_ns;
    g.cpu.period_used_ns = 0;
    g.cpu.throttled = false;
    let path = path.to_string();
    let setting = match quota_us {
        Some(quota_us) => Setting::Quota {
            path,
            quota_us,
            period_us,
        },
        None => Setting::Unlimited { path, period_us },
    };
    Ok((&rules::WRITE_SETTING, setting))
}

/// The first group whose quota/period would exceed its parent's on v1.
fn child_above_parent(
    system: &System,
    path: &str,
    quota: Option<u64>,
    period: u64,
) -> Option<String> {
    let mut effective: SortedMap<String, Option<u128>> = SortedMap::new();
    for g in system.tree.groups() {
        let own = if g.path == path {
            ratio(quota, period)
        } else {
            ratio(g.cpu.quota_us, g.cpu.period_us)
        };
        let parent = parent_of(&g.path)
            .and_then(|p| effective.get(&p).copied())
            .flatten();
        if let (Some(own), Some(parent)) = (own, parent) {
            if own > parent {
                return Some(g.path.clone());
            }
        }
        effective.insert(g.path.clone(), own.or(parent));
    }
    None
}

fn write_limit(
    system: &mut System,
    path: &str,
    value: &str,
    v2: bool,
    then: &mut Vec<Op>,
) -> Result<(&'static Rule, Setting), Refusal> {
    let unlimited = if v2 { value == "max" } else { value == "-1" };
    let asked = if unlimited {
        None
    } else {
        Some(memparse(value).ok_or_else(|| {
            refuse(
                "EINVAL",
                &rules::WRITE_NOT_A_NUMBER,
                if v2 {
                    "memory.max takes bytes (e.g. 100M) or max"
                } else {
                    "memory.limit_in_bytes takes bytes (e.g. 100M) or -1"
                },
            )
        })?)
    };
    let pages = asked.map(|b| b / PAGE_SIZE);
    let limit = pages.map(|p| p * PAGE_SIZE);
    if let Some(limit) = limit {
        let excess = system.memory_usage(path).saturating_sub(limit);
        reclaim_cache(system, path, excess);
        if !v2 && system.memory_usage(path) > limit {
            return Err(refuse(
                "EBUSY",
                &rules::MEMORY_RECLAIM,
                format!(
                    "the group uses {} and reclaim cannot bring it under {}",
                    bytes(system.memory_usage(path)),
                    bytes(limit)
                ),
            ));
        }
    }
    if let Some(g) = system.tree.get_mut(path) {
        g.memory.limit_pages = pages;
    }
    if v2 && limit.is_some_and(|l| system.memory_usage(path) > l) {
        then.push(Op::Shrink {
            group: path.to_string(),
        });
    }
    then.extend(wake_hung_tasks(system, path));
    let file = if v2 {
        "memory.max"
    } else {
        "memory.limit_in_bytes"
    };
    Ok(match (asked, limit) {
        (Some(asked), Some(bytes)) if asked != bytes => (
            &rules::MEMORY_PAGES,
            Setting::LimitRounded { file, asked, bytes },
        ),
        (_, Some(bytes)) => (&rules::WRITE_SETTING, Setting::Limit { file, bytes }),
        _ => (&rules::WRITE_SETTING, Setting::NoLimit { file }),
    })
}

fn write_high(
    system: &mut System,
    path: &str,
    value: &str,
) -> Result<(&'static Rule, Setting), Refusal> {
    let pages = if value == "max" {
        None
    } else {
        Some(
            memparse(value).ok_or_else(|| {
                refuse(
                    "EINVAL",
                    &rules::WRITE_NOT_A_NUMBER,
                    "memory.high takes bytes or max",
                )
            })? / PAGE_SIZE,
        )
    };
    if let Some(g) = system.tree.get_mut(path) {
        g.memory.high_pages = pages;
    }
    Ok((&rules::WRITE_SETTING, Setting::High(pages)))
}

fn write_flag(
    system: &mut System,
    path: &str,
    file: &str,
    value: &str,
    then: &mut Vec<Op>,
) -> Result<(&'static Rule, Setting), Refusal> {
    let on = match value {
        "0" => false,
        "1" => true,
        _ => {
            return Err(refuse(
                "EINVAL",
                &rules::WRITE_NOT_A_NUMBER,
                format!("{file} takes 0 or 1"),
            ))
        }
    };
    if let Some(g) = system.tree.get_mut(path) {
        if file == "memory.oom_control" {
            g.memory.oom_kill_disable = on;
        } else {
            g.memory.oom_group = on;
        }
    }
    if file == "memory.oom_control" && !on {
        then.extend(wake_hung_tasks(system, path));
    }
    Ok(match (file, on) {
        ("memory.oom_control", true) => (&rules::MEMORY_OOM_DISABLED, Setting::OomControl(true)),
        ("memory.oom_control", false) => (&rules::WRITE_SETTING, Setting::OomControl(false)),
        (_, on) => (&rules::MEMORY_OOM_GROUP, Setting::OomGroup(on)),
    })
}

/// `cgcreate` of group `raw` (and missing parents) in `controllers` at `now_ns`.
pub fn create(
    system: &mut System,
    now_ns: u64,
    raw: &str,
    controllers: &[Controller],
) -> CgroupFact {
    let path = match normalize(raw) {
        Ok(p) => p,
        Err(e) => return refused(raw, "EINVAL", e, &rules::NO_SUCH_CGROUP),
    };
    let made = system.tree.create(&path, controllers, now_ns);
    for p in &made {
        if let Some(g) = system.tree.get_mut(p) {
            g.cpu.period_start_ns = now_ns;
        }
    }
    CgroupFact::Created {
        path,
        controllers: controllers.to_vec(),
        made,
    }
}

/// `cgdelete [-r]` of group `raw` in `controllers`.
pub fn delete(
    system: &mut System,
    raw: &str,
    controllers: &[Controller],
    recursive: bool,
) -> CgroupFact {
    let names: Vec<&str> = controllers.iter().map(|c| c.name()).collect();
    let path = match normalize(raw) {
        Ok(p) => p,
        Err(e) => return refused(raw, "EINVAL", e, &rules::NO_SUCH_CGROUP),
    };
    let object = format!("cgroup {}:{path}", names.join(","));
    if path == "/" {
        return refused(
            object,
            "EBUSY",
            "the root group cannot be removed (EBUSY)",
            &rules::CGROUP_BUSY,
        );
    }
    if let Some(c) = controllers
        .iter()
        .find(|&&c| !system.tree.exists_in(&path, c))
    {
        return refused(
            object,
            "ENOENT",
            format!("cgdelete: {}:{path} does not exist (ENOENT)", c.name()),
            &rules::NO_SUCH_CGROUP,
        );
    }
    let mut doomed: Vec<String> = system
        .tree
        .subtree(&path)
        .into_iter()
        .filter(|p| controllers.iter().any(|&c| system.tree.exists_in(p, c)))
        .collect();
    if doomed.len() > 1 && !recursive {
        let children = system.tree.children(&path).join(", ");
        return refused(
            object,
            "EBUSY",
            format!("cgdelete without -r: {path} still has child groups ({children}), so rmdir fails with EBUSY"),
            &rules::CGROUP_BUSY,
        );
    }
    let parent = parent_of(&path).unwrap_or_else(|| "/".to_string());
    let mut moved = Vec::new();
    for p in system.processes.values_mut() {
        for &c in controllers {
            let slot = match c {
                Controller::Cpu => &mut p.cpu_group,
                Controller::Memory => &mut p.memory_group,
            };
            if Hierarchy::is_within(slot, &path) {
                *slot = parent.clone();
                if !moved.contains(&p.pid) {
                    moved.push(p.pid);
                }
            }
        }
    }
    doomed.reverse();
    let mut cache = 0;
    for p in &doomed {
        if controllers.contains(&Controller::Memory) {
            if let Some(g) = system.tree.get_mut(p) {
                cache = u64::saturating_add(cache, std::mem::take(&mut g.memory.cache_bytes));
            }
        }
        for &c in controllers {
            system.tree.remove(p, c);
        }
    }
    if let Some(g) = system.tree.get_mut(&parent) {
        g.memory.cache_bytes = g.memory.cache_bytes.saturating_add(cache);
    }
    CgroupFact::Deleted {
        path,
        controllers: controllers.to_vec(),
        groups: doomed.len(),
        moved,
        parent,
    }
}

/// `rmdir fs_path` of a cgroup directory.
pub fn rmdir(system: &mut System, fs_path: &str) -> CgroupFact {
    let (controllers, path, file) = match locate(system, fs_path) {
        Ok(found) => found,
        Err(e) => return refused(fs_path, "ENOENT", e, &rules::NO_SUCH_CGROUP),
    };
    if file.is_some() || !controllers.iter().all(|&c| system.tree.exists_in(&path, c)) {
        return refused(
            fs_path,
            "ENOENT",
            format!("rmdir: {fs_path}: no such cgroup directory (ENOENT)"),
            &rules::NO_SUCH_CGROUP,
        );
    }
    if path == "/" {
        return refused(
            fs_path,
            "EBUSY",
            "the root group cannot be removed (EBUSY)",
            &rules::CGROUP_BUSY,
        );
    }
    let children = system.tree.children(&path);
    let tasks: Vec<u32> = system
        .processes
        .values()
        .filter(|p| {
            controllers.iter().any(|c| match c {
                Controller::Cpu => p.cpu_group == path,
                Controller::Memory => p.memory_group == path,
            })
        })
        .map(|p| p.pid)
        .collect();
    if !children.is_empty() || !tasks.is_empty() {
        return refused(
            fs_path,
            "EBUSY",
            format!("rmdir {fs_path} fails with EBUSY: children {children:?}, tasks {tasks:?}"),
            &rules::CGROUP_BUSY,
        );
    }
    for &c in &controllers {
        system.tree.remove(&path, c);
    }
    CgroupFact::Removed {
        fs_path: fs_path.to_string(),
        path,
    }
}
