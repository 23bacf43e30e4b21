//! Letting time pass: CFS bandwidth periods, throttling, timeouts and CPU
//! usage reports.
//!
//! Contract: time advances in exact intervals between happenings (a period
//! boundary, a quota running out, a process timeout, a report); within an
//! interval every group gets the constant rate [`crate::cpu::allocate`] gives
//! it. A group's quota is consumed by its whole subtree; when it reaches zero
//! the group is throttled (and its descendants with it) until its period
//! ends. Each happening is one step.

use crate::cpu::{allocate, Allocation, CpuNode, MICRO_CPUS_PER_CPU};
use crate::fact::{CgroupFact, UsagePart};
use crate::hierarchy::{parent_of, DEFAULT_SHARES};
use crate::op::{Op, Outcome, Until};
use crate::system::System;
use crate::tasks::remove_process_tree;
use sim_core::SortedMap;
use sim_core::{Context, SimTime};

/// One thing that happens at the current instant.
enum Happening {
    PeriodEnd(String),
    Timeout(u32),
    Throttle(String),
    HeldByAncestor(String, String),
    Report,
}

/// Runnable threads directly in each cpu group.
fn runnable_own(system: &System) -> SortedMap<String, u64> {
    let mut own = SortedMap::new();
    for p in system.processes.values().filter(|p| p.runnable()) {
        *own.get_or_insert_with(p.cpu_group.clone(), || 0) += 1;
    }
    own
}

/// Runnable threads in each group's subtree, throttling ignored.
fn runnable_subtree(system: &System) -> SortedMap<String, u64> {
    let mut total: SortedMap<String, u64> = SortedMap::new();
    for (group, n) in runnable_own(system) {
        for g in system.tree.self_and_ancestors(&group) {
            *total.get_or_insert_with(g, || 0) += n;
        }
    }
    total
}

fn throttled_ancestor(system: &System, path: &str) -> Option<String> {
    system
        .tree
        .self_and_ancestors(path)
        .into_iter()
        .skip(1)
        .find(|g| system.tree.get(g).is_some_and(|g| g.cpu.throttled))
}

/// The next happening due now, if any.
fn due(system: &System, now: u64, until: Until) -> Option<Happening> {
    let busy = runnable_subtree(system);
    for g in system.tree.groups() {
        let period_ns = g.cpu.period_us.saturating_mul(1000);
        if g.cpu.quota_us.is_some()
            && (g.cpu.period_active || g.cpu.throttled)
            && g.cpu.period_start_ns.saturating_add(period_ns) <= now
        {
            return Some(Happening::PeriodEnd(g.path.clone()));
        }
    }
    if let Some(p) = system
        .processes
        .values()
        .find(|p| p.ends_ns.is_some_and(|e| e <= now))
    {
        return Some(Happening::Timeout(p.pid));
    }
    for g in system.tree.groups() {
        let active = busy.get(&g.path).copied().unwrap_or(0) > 0;
        if g.cpu.quota_us.is_some() && !g.cpu.throttled && g.cpu.runtime_left_ns == 0 && active {
            return Some(Happening::Throttle(g.path.clone()));
        }
    }
    for g in system.tree.groups() {
        let own_busy = system
            .processes
            .values()
            .any(|p| p.runnable() && p.cpu_group == g.path);
        if own_busy && !g.cpu.throttled && !g.cpu.held {
            if let Some(a) = throttled_ancestor(system, &g.path) {
                return Some(Happening::HeldByAncestor(g.path.clone(), a));
            }
        }
    }
    let report_due = system.machine.report_every_ns > 0
        && system.usage.next_report_ns <= now
        && !matches!(until, Until::Time(t) if t < system.usage.next_report_ns);
    report_due.then_some(Happening::Report)
}

/// Runs one step of a wait; re-queues the wait until it is over.
pub fn wait(system: &mut System, cx: &mut Context<'_>, until: Until) -> Outcome {
    loop {
        if let Until::Exit(pid) = until {
            if !system.processes.contains_key(&pid) {
                return Outcome::nothing();
            }
        }
        let now = cx.now().as_nanos();
        roll_idle_periods(system, now);
        if let Some(h) = due(system, now, until) {
            return Outcome::from(happen(system, now, h)).then([Op::Wait(until)]);
        }
        if let Until::Time(t) = until {
            if now >= t {
                return CgroupFact::Slept { at_ns: now }.into();
            }
        }
        match next_happening(system, now, until) {
            Some(next) => cx.advance_to(SimTime::from_nanos(next)),
            None => return CgroupFact::Stuck.into(),
        }
    }
}

/// Restarts the periods of quota groups that sat idle, silently (the
/// kernel's period timer stops while a group has nothing to run).
fn roll_idle_periods(system: &mut System, now: u64) {
    let every = system.machine.report_every_ns;
    let window_empty = system.tree.groups().all(|g| g.cpu.window_used_ns == 0);
    if every > 0 && window_empty && system.usage.next_report_ns <= now {
        while system.usage.next_report_ns <= now {
            system.usage.next_report_ns = system.usage.next_report_ns.saturating_add(every);
        }
        system.usage.start_ns = system.usage.next_report_ns.saturating_sub(every);
    }
    for path in system.tree.paths() {
        if let Some(g) = system.tree.get_mut(&path) {
            let period_ns = g.cpu.period_us.saturating_mul(1000).max(1);
            if g.cpu.quota_us.is_some()
                && !g.cpu.period_active
                && !g.cpu.throttled
                && g.cpu.period_start_ns.saturating_add(period_ns) <= now
            {
                g.cpu.period_start_ns = now - (now - g.cpu.period_start_ns) % period_ns;
                g.cpu.runtime_left_ns = g.cpu.quota_us.unwrap_or(0).saturating_mul(1000);
                g.cpu.period_used_ns = 0;
            }
        }
    }
}

/// The split of the CPUs at this instant: every group path, sorted, and
/// what [`allocate`] gives each (its own threads and its subtree).
fn split(system: &System) -> (Vec<String>, Allocation) {
    let paths = system.tree.paths();
    let index: SortedMap<&str, usize> = paths
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str(), i))
        .collect();
    let own = runnable_own(system);
    let v2 = system.machine.is_v2();
    let mut nodes: Vec<CpuNode> = paths
        .iter()
        .map(|p| {
            let g = system.tree.get(p);
            CpuNode {
                weight: g.map_or(0, |g| if v2 { g.cpu.weight } else { g.cpu.shares }),
                own_threads: own.get(p).copied().unwrap_or(0),
                children: Vec::new(),
                throttled: g.is_some_and(|g| g.cpu.throttled),
            }
        })
        .collect();
    for (i, p) in paths.iter().enumerate() {
        if let Some(parent) = parent_of(p).and_then(|pp| index.get(pp.as_str()).copied()) {
            nodes[parent].children.push(i);
        }
    }
    let thread_weight = if v2 { 100 } else { DEFAULT_SHARES };
    let alloc = allocate(&nodes, 0, system.machine.cpus, thread_weight);
    (paths, alloc)
}

/// The CPU each group and its descendants get at this instant, in
/// micro-CPUs ([`MICRO_CPUS_PER_CPU`] is one CPU), by path; groups that get
/// nothing are listed with 0.
pub fn cpu_now(system: &System) -> SortedMap<String, u64> {
    let (paths, alloc) = split(system);
    paths.into_iter().zip(alloc.subtree).collect()
}

/// Runs every group from `now` to the next happening (at most to the wait's
/// end) and returns that instant; `None` when nothing would ever happen.
fn next_happening(system: &mut System, now: u64, until: Until) -> Option<u64> {
    let (paths, alloc) = split(system);
    let own = runnable_own(system);
    let busy = runnable_subtree(system);

    let mut next: Option<u64> = match until {
        Until::Time(t) => Some(t),
        Until::Exit(_) => None,
    };
    let mut consider = |t: u64| next = Some(next.map_or(t, |n| n.min(t)));
    for (i, p) in paths.iter().enumerate() {
        let Some(g) = system.tree.get(p) else {
            continue;
        };
        if g.cpu.quota_us.is_none() {
            continue;
        }
        let active = busy.get(p).copied().unwrap_or(0) > 0;
        if active || g.cpu.throttled {
            consider(
                g.cpu
                    .period_start_ns
                    .saturating_add(g.cpu.period_us.saturating_mul(1000)),
            );
        }
        let rate = alloc.subtree[i];
        if rate > 0 && !g.cpu.throttled {
            let ns = (u128::from(g.cpu.runtime_left_ns) * u128::from(MICRO_CPUS_PER_CPU))
                .div_ceil(u128::from(rate));
            consider(now.saturating_add(u64::try_from(ns).unwrap_or(u64::MAX)));
        }
    }
    for p in system.processes.values() {
        if let Some(e) = p.ends_ns {
            consider(e);
        }
    }
    // A report is due on time while anything runs or the window holds
    // usage not yet reported.
    let anything_runs = alloc.subtree.first().copied().unwrap_or(0) > 0;
    let window_used = system.tree.groups().any(|g| g.cpu.window_used_ns > 0);
    if system.machine.report_every_ns > 0
        && (anything_runs || window_used)
        && system.usage.next_report_ns > now
    {
        consider(system.usage.next_report_ns);
    }
    let next = next?;
    let dt = next.saturating_sub(now);
    system.usage.contended |= alloc.contended && dt > 0;
    let ns_at = |rate: u64| -> u64 {
        u64::try_from(u128::from(rate) * u128::from(dt) / u128::from(MICRO_CPUS_PER_CPU))
            .unwrap_or(u64::MAX)
    };
    // The interval ends when a quota runs out, but integer rounding of
    // that instant may overshoot it by a few ns: scale the whole subtree
    // of a group (and its processes) down to the quota it has left.
    let mut cut: SortedMap<&str, (u128, u128)> = SortedMap::new();
    for (i, p) in paths.iter().enumerate() {
        let raw = ns_at(alloc.subtree[i]);
        let own_cut = system
            .tree
            .get(p)
            .filter(|g| g.cpu.quota_us.is_some() && raw > g.cpu.runtime_left_ns)
            .map(|g| (u128::from(g.cpu.runtime_left_ns), u128::from(raw)));
        let parent_cut = parent_of(p).and_then(|pp| cut.get(pp.as_str()).copied());
        let tighter = match (own_cut, parent_cut) {
            (Some(a), Some(b)) => Some(if a.0 * b.1 <= b.0 * a.1 { a } else { b }),
            (a, b) => a.or(b),
        };
        if let Some(c) = tighter {
            cut.insert(p.as_str(), c);
        }
    }
    let scaled = |p: &str, ns: u64| -> u64 {
        cut.get(p).map_or(ns, |&(num, den)| {
            u64::try_from(u128::from(ns) * num / den.max(1)).unwrap_or(u64::MAX)
        })
    };
    for (i, p) in paths.iter().enumerate() {
        let used = scaled(p, ns_at(alloc.subtree[i]));
        let active = busy.get(p).copied().unwrap_or(0) > 0;
        if let Some(g) = system.tree.get_mut(p) {
            g.cpu.usage_ns = g.cpu.usage_ns.saturating_add(used);
            g.cpu.window_used_ns = g.cpu.window_used_ns.saturating_add(used);
            if g.cpu.quota_us.is_some() {
                g.cpu.period_used_ns = g.cpu.period_used_ns.saturating_add(used);
                g.cpu.runtime_left_ns = g.cpu.runtime_left_ns.saturating_sub(used);
                g.cpu.period_active |= active && dt > 0;
            }
        }
        let share = own.get(p).copied().unwrap_or(0);
        if let Some(raw_each) = ns_at(alloc.own[i]).checked_div(share) {
            let each = scaled(p, raw_each);
            for proc in system
                .processes
                .values_mut()
                .filter(|q| q.runnable() && q.cpu_group == *p)
            {
                proc.cpu_time_ns = proc.cpu_time_ns.saturating_add(each);
            }
        }
    }
    Some(next)
}

fn happen(system: &mut System, now: u64, h: Happening) -> Option<CgroupFact> {
    match h {
        Happening::PeriodEnd(path) => end_period(system, now, &path),
        Happening::Timeout(pid) => {
            let gone = remove_process_tree(system, pid);
            let cpu_group = gone.last().map(|p| p.cpu_group.clone()).unwrap_or_default();
            Some(CgroupFact::TimedOut {
                pid,
                workers: gone.len().saturating_sub(1),
                cpu_group,
            })
        }
        Happening::Throttle(path) => {
            let cpus = system.machine.cpus;
            let threads = runnable_subtree(system).get(&path).copied().unwrap_or(0);
            let g = system.tree.get_mut(&path)?;
            g.cpu.throttled = true;
            g.cpu.throttled_since_ns = now;
            g.cpu.throttled_cpus = threads.min(cpus);
            g.cpu.nr_throttled += 1;
            Some(CgroupFact::Throttled {
                quota_ns: g.cpu.quota_us.unwrap_or(0).saturating_mul(1000),
                into_ns: now.saturating_sub(g.cpu.period_start_ns),
                period_ns: g.cpu.period_us.saturating_mul(1000),
                threads,
                nr_throttled: g.cpu.nr_throttled,
                path,
            })
        }
        Happening::HeldByAncestor(path, ancestor) => {
            let g = system.tree.get_mut(&path)?;
            g.cpu.held = true;
            Some(CgroupFact::Held {
                own_left_ns: g.cpu.quota_us.map(|_| g.cpu.runtime_left_ns),
                path,
                ancestor,
            })
        }
        Happening::Report => Some(report(system, now)),
    }
}

fn end_period(system: &mut System, now: u64, path: &str) -> Option<CgroupFact> {
    let g = system.tree.get_mut(path)?;
    let period_ns = g.cpu.period_us.saturating_mul(1000);
    g.cpu.nr_periods += 1;
    let was_throttled = g.cpu.throttled;
    if was_throttled {
        let waited = now.saturating_sub(g.cpu.throttled_since_ns);
        g.cpu.throttled_time_ns = g
            .cpu
            .throttled_time_ns
            .saturating_add(waited.saturating_mul(g.cpu.throttled_cpus));
        g.cpu.throttled = false;
    }
    let used = g.cpu.period_used_ns;
    g.cpu.period_start_ns = g.cpu.period_start_ns.saturating_add(period_ns);
    g.cpu.runtime_left_ns = g.cpu.quota_us.unwrap_or(0).saturating_mul(1000);
    g.cpu.period_used_ns = 0;
    g.cpu.period_active = false;
    let fact = CgroupFact::PeriodEnded {
        path: path.to_string(),
        nr_periods: g.cpu.nr_periods,
        used_ns: used,
        was_throttled,
        nr_throttled: g.cpu.nr_throttled,
        throttled_time_ns: g.cpu.throttled_time_ns,
    };
    for p in system.tree.subtree(path) {
        if let Some(d) = system.tree.get_mut(&p) {
            d.cpu.held = false;
        }
    }
    Some(fact)
}

fn report(system: &mut System, now: u64) -> CgroupFact {
    let every = system.machine.report_every_ns.max(1);
    let mut parts = Vec::new();
    let top_level_used = system
        .tree
        .children("/")
        .iter()
        .filter_map(|c| system.tree.get(c))
        .fold(0, |sum, g| u64::saturating_add(sum, g.cpu.window_used_ns));
    for path in system.tree.paths() {
        let Some(g) = system.tree.get_mut(&path) else {
            continue;
        };
        let used = std::mem::take(&mut g.cpu.window_used_ns);
        if path == "/" {
            let own = used.saturating_sub(top_level_used);
            if own > 0 {
                parts.push(UsagePart::Root { used_ns: own });
            }
        } else if used > 0 {
            let v2 = system.machine.is_v2();
            parts.push(UsagePart::Group {
                weight: if v2 { g.cpu.weight } else { g.cpu.shares },
                path,
                used_ns: used,
                v2,
            });
        }
    }
    let contended = std::mem::take(&mut system.usage.contended);
    let window = now.saturating_sub(system.usage.start_ns);
    system.usage.start_ns = now;
    while system.usage.next_report_ns <= now {
        system.usage.next_report_ns = system.usage.next_report_ns.saturating_add(every);
    }
    CgroupFact::Usage {
        window_ns: window,
        parts,
        contended,
    }
}
