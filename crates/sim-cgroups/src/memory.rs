//! Memory charging: limits, failcnt, reclaim, the OOM killer and
//! `memory.oom_control`, `memory.high`.
//!
//! Contract: a charge walks from the task's group up to the root and stops at
//! the nearest group whose limit it would cross (the kernel's
//! `page_counter_try_charge`). That group counts a failure, reclaims its page
//! cache, and if still short either OOM-kills the bulkiest task inside it
//! (never outside) or, with the killer disabled, leaves the task hanging.
//! Usage never exceeds a limit: every charge either fits or produces one of
//! these events first.

use crate::fact::CgroupFact;
use crate::hierarchy::Hierarchy;
use crate::op::{Op, Outcome};
use crate::process::{Activity, ChargeKind, Process};
use crate::system::System;
use crate::units::PAGE_SIZE;
use sim_core::sorted::sort_stable_by;

/// The nearest group on the way up from `group` whose limit `bytes` more would cross.
fn first_limit_crossed(system: &System, group: &str, bytes: u64) -> Option<String> {
    system.tree.self_and_ancestors(group).into_iter().find(|g| {
        system
            .limit_bytes(g)
            .is_some_and(|limit| system.memory_usage(g).saturating_add(bytes) > limit)
    })
}

/// Charges `amount` bytes of `kind` to `pid`'s memory group, or hits the
/// nearest limit on the way up.
pub fn charge(system: &mut System, pid: u32, amount: u64, kind: ChargeKind) -> Outcome {
    let Some(process) = system.processes.get(&pid) else {
        return Outcome::nothing();
    };
    let group = process.memory_group.clone();
    if let Some(over) = first_limit_crossed(system, &group, amount) {
        let usage = system.memory_usage(&over);
        let limit = system.limit_bytes(&over).unwrap_or(u64::MAX);
        if let Some(g) = system.tree.get_mut(&over) {
            g.memory.failcnt += 1;
            g.memory.events.max += 1;
        }
        let failcnt = system.tree.get(&over).map_or(0, |g| g.memory.failcnt);
        let retry = Op::Reclaim {
            group: over.clone(),
            pid,
            bytes: amount,
            kind,
        };
        let fact = CgroupFact::LimitHit {
            pid,
            wants: amount,
            group: over,
            usage,
            limit,
            failcnt,
        };
        return Outcome::from(fact).then([retry]);
    }
    match kind {
        ChargeKind::Anon => {
            if let Some(p) = system.processes.get_mut(&pid) {
                p.anon_bytes = p.anon_bytes.saturating_add(amount);
            }
        }
        ChargeKind::Cache => {
            if let Some(g) = system.tree.get_mut(&group) {
                g.memory.cache_bytes = g.memory.cache_bytes.saturating_add(amount);
            }
        }
    }
    let chain = system.tree.self_and_ancestors(&group);
    let mut over_high = None;
    for g in &chain {
        let usage = system.memory_usage(g);
        if let Some(group) = system.tree.get_mut(g) {
            group.memory.max_usage_bytes = group.memory.max_usage_bytes.max(usage);
            let high = group.memory.high_pages.map(|p| p.saturating_mul(PAGE_SIZE));
            if over_high.is_none() && high.is_some_and(|h| usage > h) {
                group.memory.events.high += 1;
                over_high = Some((g.clone(), usage, high.unwrap_or(0)));
            }
        }
    }
    if let Some((g, usage, high)) = over_high {
        let freed = reclaim_cache(system, &g, usage.saturating_sub(high));
        let now_using = system.memory_usage(&g);
        return CgroupFact::OverHigh {
            pid,
            amount,
            group: g,
            high,
            freed,
            usage: now_using,
        }
        .into();
    }
    let usage = system.memory_usage(&group);
    CgroupFact::Charged {
        pid,
        amount,
        kind,
        group,
        usage,
    }
    .into()
}

/// Reclaims page cache in `over` for `pid`'s charge; retries the charge or
/// declares the group out of memory.
pub fn reclaim(
    system: &mut System,
    over: &str,
    pid: u32,
    amount: u64,
    kind: ChargeKind,
) -> Outcome {
    if !system.processes.contains_key(&pid) {
        return Outcome::nothing();
    }
    let limit = system.limit_bytes(over).unwrap_or(u64::MAX);
    let mut needed = system
        .memory_usage(over)
        .saturating_add(amount)
        .saturating_sub(limit);
    let mut freed = 0;
    for path in system.tree.subtree(over) {
        if let Some(g) = system.tree.get_mut(&path) {
            let take = g.memory.cache_bytes.min(needed);
            g.memory.cache_bytes -= take;
            needed -= take;
            freed += take;
        }
    }
    let fits = needed == 0;
    let next = if fits {
        Op::Charge {
            pid,
            bytes: amount,
            kind,
        }
    } else {
        Op::OutOfMemory {
            group: over.to_string(),
            pid,
            bytes: amount,
            kind,
        }
    };
    let fact = CgroupFact::Reclaimed {
        group: over.to_string(),
        freed,
        fits,
    };
    Outcome::from(fact).then([next])
}

/// The OOM step of `pid`'s charge of `amount` in `over`, after reclaim
/// failed. Like the kernel (which re-checks the margin under `oom_lock` and
/// kills nobody else for a dying task) it first looks again: a task gone
/// meanwhile has no charge left to fail, and a charge that fits now (a raised
/// limit, a task that left) goes on. Otherwise the OOM killer runs, or,
/// disabled, the task hangs.
pub fn out_of_memory(
    system: &mut System,
    over: &str,
    pid: u32,
    amount: u64,
    kind: ChargeKind,
) -> Outcome {
    if !system.processes.contains_key(&pid) {
        return Outcome::nothing();
    }
    let limit = system.limit_bytes(over).unwrap_or(u64::MAX);
    if system.memory_usage(over).saturating_add(amount) <= limit {
        return Outcome::next(vec![Op::Charge {
            pid,
            bytes: amount,
            kind,
        }]);
    }
    kill_or_hang(system, over, pid, amount, kind)
}

/// The OOM killer (or, disabled, a hang) in `over`, for `pid`'s charge of
/// `amount` (none for a lowered limit).
fn kill_or_hang(
    system: &mut System,
    over: &str,
    pid: u32,
    amount: u64,
    kind: ChargeKind,
) -> Outcome {
    let Some(disabled) = system.tree.get(over).map(|g| g.memory.oom_kill_disable) else {
        return Outcome::nothing();
    };
    if let Some(g) = system.tree.get_mut(over) {
        g.memory.events.oom += 1;
    }
    if disabled {
        if let Some(g) = system.tree.get_mut(over) {
            g.memory.under_oom = true;
        }
        let Some(p) = system.processes.get_mut(&pid) else {
            return Outcome::nothing();
        };
        p.activity = Activity::HungAtLimit;
        p.waiting_charge = amount;
        p.waiting_for_cache = kind == ChargeKind::Cache;
        return CgroupFact::OomHang {
            group: over.to_string(),
            pid,
        }
        .into();
    }
    // The charging task has touched the part of its request that fit
    // under the limit (after reclaim) and holds no more than that.
    let room = system
        .limit_bytes(over)
        .unwrap_or(u64::MAX)
        .saturating_sub(system.memory_usage(over));
    let size = |p: &Process| {
        p.anon_bytes
            .saturating_add(if p.pid == pid { amount.min(room) } else { 0 })
    };
    let Some(victim) = system
        .processes
        .values()
        .filter(|p| Hierarchy::is_within(&p.memory_group, over))
        .max_by_key(|p| (size(p), std::cmp::Reverse(p.pid)))
        .cloned()
    else {
        return Outcome::nothing();
    };
    let victim_size = size(&victim);
    let group_kill = system.tree.get(over).is_some_and(|g| g.memory.oom_group);
    let victims: Vec<u32> = if group_kill {
        system
            .processes
            .values()
            .filter(|p| Hierarchy::is_within(&p.memory_group, over))
            .map(|p| p.pid)
            .collect()
    } else {
        vec![victim.pid]
    };
    let mut stress_parents = Vec::new();
    for v in &victims {
        if let Some(dead) = system.processes.remove(v) {
            if dead.command.starts_with("stress (") {
                stress_parents.extend(dead.parent);
            }
        }
    }
    if let Some(g) = system.tree.get_mut(over) {
        g.memory.events.oom_kill += victims.len() as u64;
    }
    let mut follow = Vec::new();
    if system.processes.contains_key(&pid) {
        follow.push(Op::Charge {
            pid,
            bytes: amount,
            kind,
        });
    }
    sort_stable_by(&mut stress_parents, Ord::cmp);
    stress_parents.dedup();
    follow.extend(
        stress_parents
            .into_iter()
            .filter(|p| system.processes.contains_key(p))
            .map(|pid| Op::StressGivesUp { pid }),
    );
    let fact = if group_kill {
        CgroupFact::OomGroupKill {
            group: over.to_string(),
            victims,
        }
    } else {
        CgroupFact::OomKill {
            group: over.to_string(),
            pid: victim.pid,
            command: victim.command,
            size: victim_size,
        }
    };
    Outcome::from(fact).then(follow)
}

/// Queues a retry for every task hanging at a limit inside `path`.
pub fn wake_hung_tasks(system: &System, path: &str) -> Vec<Op> {
    system
        .processes
        .values()
        .filter(|p| {
            p.activity == Activity::HungAtLimit && Hierarchy::is_within(&p.memory_group, path)
        })
        .map(|p| Op::Resume { pid: p.pid })
        .collect()
}

/// Clears `under_oom` in every group where no task hangs at a limit any
/// more (the last hung task was killed).
pub fn clear_idle_under_oom(system: &mut System) {
    for path in system.tree.paths() {
        let still_hung = system.processes.values().any(|p| {
            p.activity == Activity::HungAtLimit && Hierarchy::is_within(&p.memory_group, &path)
        });
        if let Some(g) = system.tree.get_mut(&path).filter(|_| !still_hung) {
            g.memory.under_oom = false;
        }
    }
}

/// A task hung at a limit wakes up and retries its charge.
pub fn resume(system: &mut System, pid: u32) -> Outcome {
    let Some(p) = system
        .processes
        .get_mut(&pid)
        .filter(|p| p.activity == Activity::HungAtLimit)
    else {
        return Outcome::nothing();
    };
    let cache = std::mem::take(&mut p.waiting_for_cache);
    p.activity = if cache {
        Activity::Sleeping
    } else {
        Activity::Holding
    };
    let amount = std::mem::take(&mut p.waiting_charge);
    let group = p.memory_group.clone();
    for g in system.tree.self_and_ancestors(&group) {
        if let Some(g) = system.tree.get_mut(&g) {
            g.memory.under_oom = false;
        }
    }
    let kind = if cache {
        ChargeKind::Cache
    } else {
        ChargeKind::Anon
    };
    let mut next = vec![Op::Charge {
        pid,
        bytes: amount,
        kind,
    }];
    if cache {
        next.push(Op::FinishDd { pid });
    }
    Outcome::from(CgroupFact::Resumed { pid, amount }).then(next)
}

/// Brings `group` back under a lowered v2 `memory.max`: reclaim, then OOM kills.
pub fn shrink(system: &mut System, group: &str) -> Outcome {
    let Some(limit) = system.limit_bytes(group) else {
        return Outcome::nothing();
    };
    let usage = system.memory_usage(group);
    let killer_disabled = system
        .tree
        .get(group)
        .is_none_or(|g| g.memory.oom_kill_disable);
    if usage <= limit || killer_disabled {
        return Outcome::nothing();
    }
    let freed = reclaim_cache(system, group, usage - limit);
    let has_tasks = system
        .processes
        .values()
        .any(|p| Hierarchy::is_within(&p.memory_group, group));
    if freed == 0 && !has_tasks {
        return Outcome::nothing();
    }
    let again = Op::Shrink {
        group: group.to_string(),
    };
    if freed > 0 {
        let fact = CgroupFact::ShrinkReclaimed {
            group: group.to_string(),
            freed,
        };
        return Outcome::from(fact).then([again]);
    }
    kill_or_hang(system, group, 0, 0, ChargeKind::Anon).then([again])
}

/// Drops up to `amount` bytes of page cache inside `path`; returns what it freed.
pub fn reclaim_cache(system: &mut System, path: &str, amount: u64) -> u64 {
    let mut needed = amount;
    for p in system.tree.subtree(path) {
        if let Some(g) = system.tree.get_mut(&p) {
            let take = g.memory.cache_bytes.min(needed);
            g.memory.cache_bytes -= take;
            needed -= take;
        }
    }
    amount - needed
}
