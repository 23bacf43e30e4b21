//! The scheduling queue: PreEnqueue's gated pods, activeQ in PrioritySort
//! order, backoffQ, and the unschedulable pods.
//!
//! Contract: as kube-scheduler's `PriorityQueue`. activeQ pops the highest
//! priority, then the earliest timestamp (then the pod's index, so equal
//! pods keep a fixed order). A pod's backoff is 1 s * 2^(attempts-1),
//! capped at 10 s, from its last failure; backoffQ is flushed every second
//! and the unschedulable pods every 30 s (those waiting more than 5 min).
//! A pod that failed in a cycle during which a move request came goes to
//! backoffQ instead of unschedulable.

use crate::cluster::PodId;
use sim_core::SimTime;
use sim_core::{SortedMap, SortedSet};
use std::cmp::Reverse;

/// The first backoff (`podInitialBackoffDuration`).
pub const INITIAL_BACKOFF: SimTime = SimTime::from_secs(1);
/// The longest backoff (`podMaxBackoffDuration`).
pub const MAX_BACKOFF: SimTime = SimTime::from_secs(10);
/// How often backoffQ is checked.
pub const BACKOFF_CHECK: SimTime = SimTime::from_secs(1);
/// How often the unschedulable pods are checked.
pub const FLUSH_CHECK: SimTime = SimTime::from_secs(30);
/// How long a pod stays unschedulable before a flush moves it (`podMaxInUnschedulablePodsDuration`).
pub const MAX_UNSCHEDULABLE: SimTime = SimTime::from_secs(300);

/// Which part of the queue a pod is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Held by PreEnqueue.
    Gated,
    /// activeQ.
    Active,
    /// backoffQ.
    Backoff,
    /// The unschedulable pods.
    Unschedulable,
}

impl Place {
    /// The place as kube-scheduler's metrics name it.
    pub fn name(self) -> &'static str {
        match self {
            Place::Gated => "gated",
            Place::Active => "activeQ",
            Place::Backoff => "backoffQ",
            Place::Unschedulable => "unschedulablePods",
        }
    }
}

/// `1 s * 2^(attempts-1)`, capped at 10 s.
pub fn backoff_duration(attempts: u32) -> SimTime {
    let doublings = attempts.saturating_sub(1).min(16);
    let d = SimTime(INITIAL_BACKOFF.0.saturating_mul(1 << doublings));
    d.min(MAX_BACKOFF)
}

/// The scheduling queue.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SchedulingQueue {
    active: SortedSet<(Reverse<i32>, SimTime, PodId)>,
    backoff: SortedSet<(SimTime, PodId)>,
    unschedulable: SortedMap<PodId, SimTime>,
    gated: SortedSet<PodId>,
    /// The scheduling cycle during which the last move request came.
    move_request_cycle: Option<u64>,
}

impl SchedulingQueue {
    /// Puts a pod into activeQ with its priority and timestamp.
    pub fn push_active(&mut self, pod: PodId, priority: i32, timestamp: SimTime) {
        self.active.insert((Reverse(priority), timestamp, pod));
    }

    /// Holds a gated pod.
    pub fn push_gated(&mut self, pod: PodId) {
        self.gated.insert(pod);
    }

    /// Takes a pod out of the gated set (its gates were removed); `true` if it was there.
    pub fn ungate(&mut self, pod: PodId) -> bool {
        self.gated.remove(&pod)
    }

    /// Puts a failed pod back: backoffQ until `expiry` if a move request
    /// came during its cycle `cycle` (or `error`), else the unschedulable pods.
    pub fn requeue(
        &mut self,
        pod: PodId,
        cycle: u64,
        timestamp: SimTime,
        expiry: SimTime,
        error: bool,
    ) -> Place {
        if error || self.move_request_cycle.is_some_and(|m| m >= cycle) {
            self.backoff.insert((expiry, pod));
            Place::Backoff
        } else {
            self.unschedulable.insert(pod, timestamp);
            Place::Unschedulable
        }
    }

    /// Pops the head of activeQ.
    pub fn pop(&mut self) -> Option<PodId> {
        self.active.pop_first().map(|(_, _, pod)| pod)
    }

    /// Removes a pod from wherever it is.
    pub fn remove(&mut self, pod: PodId) {
        self.active.retain(|e| e.2 != pod);
        self.backoff.retain(|e| e.1 != pod);
        self.unschedulable.remove(&pod);
        self.gated.remove(&pod);
    }

    /// Notes a move request during scheduling cycle `cycle` and takes every
    /// unschedulable pod out; each comes back with where it should go: the
    /// caller passes `backing_off(pod)` to decide.
    pub fn take_unschedulable(&mut self, cycle: u64) -> Vec<(PodId, SimTime)> {
        self.move_request_cycle = Some(cycle);
        std::mem::take(&mut self.unschedulable)
            .into_iter()
            .collect()
    }

    /// Puts a moved pod into backoffQ until `expiry`.
    pub fn push_backoff(&mut self, pod: PodId, expiry: SimTime) {
        self.backoff.insert((expiry, pod));
    }

    /// When backoffQ is next checked and moves a pod.
    pub fn next_backoff_check(&self) -> Option<SimTime> {
        let (expiry, _) = self.backoff.first()?;
        Some(ceil_to(*expiry, BACKOFF_CHECK))
    }

    /// Takes the pods whose backoff has ended by `now`.
    pub fn take_backoff_done(&mut self, now: SimTime) -> Vec<PodId> {
        let mut done = Vec::new();
        while let Some(&(expiry, pod)) = self.backoff.first() {
            if expiry > now {
                break;
            }
            self.backoff.pop_first();
            done.push(pod);
        }
        done
    }

    /// When the unschedulable pods are next checked and one has waited long enough.
    pub fn next_flush(&self) -> Option<SimTime> {
        self.unschedulable
            .values()
            .map(|t| SimTime((t.plus(MAX_UNSCHEDULABLE).0 / FLUSH_CHECK.0 + 1) * FLUSH_CHECK.0))
            .min()
    }

    /// Takes the pods that have been unschedulable for more than 5 minutes at `now`.
    pub fn take_flushed(&mut self, now: SimTime) -> Vec<PodId> {
        let old: Vec<PodId> = self
            .unschedulable
            .iter()
            .filter(|(_, t)| now.since(**t) > MAX_UNSCHEDULABLE)
            .map(|(p, _)| *p)
            .collect();
        for p in &old {
            self.unschedulable.remove(p);
        }
        old
    }

    /// How many pods are in activeQ.
    pub fn active_len(&self) -> usize {
        self.active.len()
    }

    /// The pods in activeQ, in pop order.
    pub fn active(&self) -> impl Iterator<Item = PodId> + '_ {
        self.active.iter().map(|e| e.2)
    }

    /// The pods in backoffQ with their expiry, earliest first.
    pub fn backoff(&self) -> impl Iterator<Item = (PodId, SimTime)> + '_ {
        self.backoff.iter().map(|(t, p)| (*p, *t))
    }

    /// The unschedulable pods with the time they were put there.
    pub fn unschedulable(&self) -> impl Iterator<Item = (PodId, SimTime)> + '_ {
        self.unschedulable.iter().map(|(p, t)| (*p, *t))
    }

    /// The gated pods.
    pub fn gated(&self) -> impl Iterator<Item = PodId> + '_ {
        self.gated.iter().copied()
    }

    /// Where pod `pod` is, if queued.
    pub fn place(&self, pod: PodId) -> Option<Place> {
        if self.gated.contains(&pod) {
            Some(Place::Gated)
        } else if self.active.iter().any(|e| e.2 == pod) {
            Some(Place::Active)
        } else if self.backoff.iter().any(|e| e.1 == pod) {
            Some(Place::Backoff)
        } else if self.unschedulable.contains_key(&pod) {
            Some(Place::Unschedulable)
        } else {
            None
        }
    }
}

fn ceil_to(t: SimTime, period: SimTime) -> SimTime {
    SimTime(t.0.div_ceil(period.0) * period.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_one_second_up_to_ten() {
        let cases = [(1, 1), (2, 2), (3, 4), (4, 8), (5, 10), (9, 10), (40, 10)];
        for (attempts, secs) in cases {
            assert_eq!(
                backoff_duration(attempts),
                SimTime::from_secs(secs),
                "{attempts}"
            );
        }
    }

    #[test]
    fn active_pops_by_priority_then_timestamp() {
        let mut q = SchedulingQueue::default();
        q.push_active(0, 10, SimTime::from_secs(5));
        q.push_active(1, 100, SimTime::from_secs(9));
        q.push_active(2, 10, SimTime::from_secs(1));
        q.push_active(3, -5, SimTime::ZERO);
        let order: Vec<PodId> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(order, [1, 2, 0, 3]);
    }

    #[test]
    fn a_failure_during_a_move_request_backs_off_instead() {
        let mut q = SchedulingQueue::default();
        let t = SimTime::from_secs(3);
        assert_eq!(q.requeue(0, 1, t, t, false), Place::Unschedulable);
        assert_eq!(q.take_unschedulable(2), vec![(0, t)]);
        assert_eq!(
            q.requeue(1, 2, t, t, false),
            Place::Backoff,
            "failed in cycle 2 after the request"
        );
        assert_eq!(q.requeue(2, 3, t, t, false), Place::Unschedulable);
        assert_eq!(
            q.requeue(3, 3, t, t, true),
            Place::Backoff,
            "errors back off"
        );
    }

    #[test]
    fn backoff_is_checked_every_second_and_the_flush_every_30_seconds_after_5_minutes() {
        let mut q = SchedulingQueue::default();
        q.push_backoff(0, SimTime::from_millis(2_500));
        assert_eq!(q.next_backoff_check(), Some(SimTime::from_secs(3)));
        assert!(q.take_backoff_done(SimTime::from_secs(2)).is_empty());
        assert_eq!(q.take_backoff_done(SimTime::from_secs(3)), vec![0]);
        q.requeue(1, 1, SimTime::from_secs(10), SimTime::ZERO, false);
        q.requeue(2, 1, SimTime::from_secs(30), SimTime::ZERO, false);
        // 10 s + 300 s = 310 s: the first check after it is 330 s.
        assert_eq!(q.next_flush(), Some(SimTime::from_secs(330)));
        assert_eq!(q.take_flushed(SimTime::from_secs(330)), vec![1]);
        // 30 s + 300 s = 330 s exactly is not "more than 5 minutes": 360 s.
        assert_eq!(q.next_flush(), Some(SimTime::from_secs(360)));
        assert!(q.take_flushed(SimTime::from_secs(330)).is_empty());
    }
}
