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

use crate::hierarchy::Hierarchy;
use crate::process::Activity;
use crate::rules;
use crate::sim::{CgroupSim, ChargeKind, Op};
use crate::units::{bytes, PAGE_SIZE};
use sim_core::Event;

impl CgroupSim {
    /// The hard limit of `path` in bytes, if any.
    pub(crate) fn limit_bytes(&self, path: &str) -> Option<u64> {
        self.tree
            .get(path)?
            .memory
            .limit_pages
            .map(|p| p.saturating_mul(PAGE_SIZE))
    }

    /// The nearest group on the way up from `group` whose limit `bytes` more would cross.
    fn first_limit_crossed(&self, group: &str, bytes: u64) -> Option<String> {
        self.tree.self_and_ancestors(group).into_iter().find(|g| {
            self.limit_bytes(g)
                .is_some_and(|limit| self.memory_usage(g).saturating_add(bytes) > limit)
        })
    }

    pub(crate) fn charge(&mut self, pid: u32, amount: u64, kind: ChargeKind) -> Option<Event> {
        let process = self.processes.get(&pid)?.clone();
        let group = process.memory_group.clone();
        if let Some(over) = self.first_limit_crossed(&group, amount) {
            let usage = self.memory_usage(&over);
            let limit = self.limit_bytes(&over).unwrap_or(u64::MAX);
            if let Some(g) = self.tree.get_mut(&over) {
                g.memory.failcnt += 1;
                g.memory.events.max += 1;
            }
            let failcnt = self.tree.get(&over).map_or(0, |g| g.memory.failcnt);
            self.ops.push_front(Op::Reclaim {
                group: over.clone(),
                pid,
                bytes: amount,
                kind,
            });
            return Some(self.event(
                format!("cgroup memory:{over}"),
                "limit-hit",
                format!(
                    "pid {pid} wants {} more but memory:{over} uses {} of its {} limit; failcnt is now {failcnt}",
                    bytes(amount),
                    bytes(usage),
                    bytes(limit)
                ),
                rules::MEMORY_LIMIT_HIT,
            ));
        }
        match kind {
            ChargeKind::Anon => {
                if let Some(p) = self.processes.get_mut(&pid) {
                    p.anon_bytes = p.anon_bytes.saturating_add(amount);
                }
            }
            ChargeKind::Cache => {
                if let Some(g) = self.tree.get_mut(&group) {
                    g.memory.cache_bytes = g.memory.cache_bytes.saturating_add(amount);
                }
            }
        }
        let chain = self.tree.self_and_ancestors(&group);
        let mut over_high = None;
        for g in &chain {
            let usage = self.memory_usage(g);
            if let Some(group) = self.tree.get_mut(g) {
                group.memory.max_usage_bytes = group.memory.max_usage_bytes.max(usage);
                let high = group.memory.high_pages.map(|p| p.saturating_mul(PAGE_SIZE));
                if over_high.is_none() && high.is_some_and(|h| usage > h) {
                    group.memory.events.high += 1;
                    over_high = Some((g.clone(), usage, high.unwrap_or(0)));
                }
            }
        }
        if let Some((g, usage, high)) = over_high {
            let freed = self.reclaim_cache(&g, usage.saturating_sub(high));
            let now_using = self.memory_usage(&g);
            return Some(self.event(
                format!("cgroup memory:{g}"),
                "over-high",
                format!(
                    "pid {pid} gets its {}; memory:{g} went over its memory.high {}: {} of page cache is reclaimed and the group, now at {}, is throttled, never killed",
                    bytes(amount),
                    bytes(high),
                    bytes(freed),
                    bytes(now_using)
                ),
                rules::MEMORY_HIGH,
            ));
        }
        let usage = self.memory_usage(&group);
        let (rule, what) = match kind {
            ChargeKind::Anon => (rules::MEMORY_CHARGE, "anonymous memory"),
            ChargeKind::Cache => (rules::PAGE_CACHE, "page cache"),
        };
        Some(self.event(
            format!("cgroup memory:{group}"),
            "charged",
            format!(
                "pid {pid} is charged {} of {what}; memory:{group} now uses {}",
                bytes(amount),
                bytes(usage)
            ),
            rule,
        ))
    }

    pub(crate) fn reclaim(
        &mut self,
        over: &str,
        pid: u32,
        amount: u64,
        kind: ChargeKind,
    ) -> Option<Event> {
        if !self.processes.contains_key(&pid) {
            return None;
        }
        let limit = self.limit_bytes(over).unwrap_or(u64::MAX);
        let mut needed = self
            .memory_usage(over)
            .saturating_add(amount)
            .saturating_sub(limit);
        let mut freed = 0;
        for path in self.tree.subtree(over) {
            if let Some(g) = self.tree.get_mut(&path) {
                let take = g.memory.cache_bytes.min(needed);
                g.memory.cache_bytes -= take;
                needed -= take;
                freed += take;
            }
        }
        let fits = needed == 0;
        self.ops.push_front(if fits {
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
        });
        let outcome = if fits {
            "enough: the charge is retried"
        } else {
            "not enough: memory:{} is out of memory"
        };
        Some(self.event(
            format!("cgroup memory:{over}"),
            "reclaimed",
            format!(
                "memory:{over} reclaims {} of page cache; {}",
                bytes(freed),
                outcome.replace("{}", over)
            ),
            rules::MEMORY_RECLAIM,
        ))
    }

    pub(crate) fn out_of_memory(
        &mut self,
        over: &str,
        pid: u32,
        amount: u64,
        kind: ChargeKind,
    ) -> Option<Event> {
        let disabled = self.tree.get(over)?.memory.oom_kill_disable;
        if let Some(g) = self.tree.get_mut(over) {
            g.memory.events.oom += 1;
        }
        if disabled {
            if let Some(g) = self.tree.get_mut(over) {
                g.memory.under_oom = true;
            }
            let p = self.processes.get_mut(&pid)?;
            p.activity = Activity::HungAtLimit;
            p.waiting_charge = amount;
            p.waiting_for_cache = kind == ChargeKind::Cache;
            return Some(self.event(
                format!("cgroup memory:{over}"),
                "oom-hang",
                format!("memory:{over} is out of memory but memory.oom_control disables the killer: pid {pid} hangs and under_oom reads 1"),
                rules::MEMORY_OOM_DISABLED,
            ));
        }
        // The charging task has touched the part of its request that fit
        // under the limit (after reclaim) and holds no more than that.
        let room = self
            .limit_bytes(over)
            .unwrap_or(u64::MAX)
            .saturating_sub(self.memory_usage(over));
        let size = |p: &crate::process::Process| {
            p.anon_bytes
                .saturating_add(if p.pid == pid { amount.min(room) } else { 0 })
        };
        let victim = self
            .processes
            .values()
            .filter(|p| Hierarchy::is_within(&p.memory_group, over))
            .max_by_key(|p| (size(p), std::cmp::Reverse(p.pid)))?
            .clone();
        let victim_size = size(&victim);
        let group_kill = self.tree.get(over).is_some_and(|g| g.memory.oom_group);
        let victims: Vec<u32> = if group_kill {
            self.processes
                .values()
                .filter(|p| Hierarchy::is_within(&p.memory_group, over))
                .map(|p| p.pid)
                .collect()
        } else {
            vec![victim.pid]
        };
        let mut stress_parents = Vec::new();
        for v in &victims {
            if let Some(dead) = self.processes.remove(v) {
                if dead.command.starts_with("stress (") {
                    stress_parents.extend(dead.parent);
                }
            }
            self.shells.retain(|s| s != v);
        }
        if let Some(g) = self.tree.get_mut(over) {
            g.memory.events.oom_kill += victims.len() as u64;
        }
        let mut follow = Vec::new();
        if self.processes.contains_key(&pid) {
            follow.push(Op::Charge {
                pid,
                bytes: amount,
                kind,
            });
        }
        stress_parents.sort_unstable();
        stress_parents.dedup();
        follow.extend(
            stress_parents
                .into_iter()
                .filter(|p| self.processes.contains_key(p))
                .map(|pid| Op::StressGivesUp { pid }),
        );
        for op in follow.into_iter().rev() {
            self.ops.push_front(op);
        }
        let (rule, detail) = if group_kill {
            (
                rules::MEMORY_OOM_GROUP,
                format!(
                    "memory:{over} is out of memory and has memory.oom.group=1: the OOM killer kills all {} of its tasks (pids {:?})",
                    victims.len(),
                    victims
                ),
            )
        } else {
            (
                rules::MEMORY_OOM_KILL,
                format!(
                    "memory:{over} is out of memory: the OOM killer kills pid {} ({}, {} of memory), the bulkiest task in memory:{over}; nothing outside it is touched",
                    victim.pid,
                    victim.command,
                    bytes(victim_size)
                ),
            )
        };
        Some(self.event(format!("cgroup memory:{over}"), "oom-kill", detail, rule))
    }

    /// Queues a retry for every task hanging at a limit inside `path`.
    pub(crate) fn wake_hung_tasks(&mut self, path: &str) {
        let hung: Vec<u32> = self
            .processes
            .values()
            .filter(|p| {
                p.activity == Activity::HungAtLimit && Hierarchy::is_within(&p.memory_group, path)
            })
            .map(|p| p.pid)
            .collect();
        for pid in hung.into_iter().rev() {
            self.ops.push_front(Op::Resume { pid });
        }
    }

    pub(crate) fn resume(&mut self, pid: u32) -> Option<Event> {
        let p = self.processes.get_mut(&pid)?;
        if p.activity != Activity::HungAtLimit {
            return None;
        }
        let cache = std::mem::take(&mut p.waiting_for_cache);
        p.activity = if cache {
            Activity::Sleeping
        } else {
            Activity::Holding
        };
        let amount = std::mem::take(&mut p.waiting_charge);
        let group = p.memory_group.clone();
        for g in self.tree.self_and_ancestors(&group) {
            if let Some(g) = self.tree.get_mut(&g) {
                g.memory.under_oom = false;
            }
        }
        if cache {
            self.ops.push_front(Op::FinishDd { pid });
        }
        let kind = if cache {
            ChargeKind::Cache
        } else {
            ChargeKind::Anon
        };
        self.ops.push_front(Op::Charge {
            pid,
            bytes: amount,
            kind,
        });
        Some(self.event(
            format!("pid {pid}"),
            "resumed",
            format!(
                "pid {pid} wakes up and retries its {} charge",
                bytes(amount)
            ),
            rules::MEMORY_UNHANG,
        ))
    }

    /// Brings `group` back under a lowered v2 `memory.max`: reclaim, then OOM kills.
    pub(crate) fn shrink(&mut self, group: &str) -> Option<Event> {
        let limit = self.limit_bytes(group)?;
        let usage = self.memory_usage(group);
        if usage <= limit || self.tree.get(group)?.memory.oom_kill_disable {
            return None;
        }
        let freed = self.reclaim_cache(group, usage - limit);
        let has_tasks = self
            .processes
            .values()
            .any(|p| Hierarchy::is_within(&p.memory_group, group));
        if freed == 0 && !has_tasks {
            return None;
        }
        self.ops.push_front(Op::Shrink {
            group: group.to_string(),
        });
        if freed > 0 {
            return Some(self.event(
                format!("cgroup memory:{group}"),
                "reclaimed",
                format!(
                    "memory:{group} is over its new limit and reclaims {} of page cache",
                    bytes(freed)
                ),
                rules::MEMORY_RECLAIM,
            ));
        }
        self.out_of_memory(group, 0, 0, ChargeKind::Anon)
    }
}
