//! The agenda: things due at given virtual times.
//!
//! Contract: one time-ordered queue for all of a simulation's timed work.
//! Items come out earliest first; items due at the same time come out by
//! rank, lowest first (so a simulation says which kind of work comes first
//! at equal times), and items of equal time and rank in the order they were
//! scheduled.

use crate::SimTime;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// Items due at virtual times, taken earliest first, then by rank, then in
/// the order they were scheduled (see the module docs).
#[derive(Debug, Clone)]
pub struct Agenda<T> {
    heap: BinaryHeap<Reverse<Entry<T>>>,
    scheduled: u64,
}

#[derive(Debug, Clone)]
struct Entry<T> {
    at: SimTime,
    rank: u32,
    order: u64,
    item: T,
}

impl<T> Entry<T> {
    fn key(&self) -> (SimTime, u32, u64) {
        (self.at, self.rank, self.order)
    }
}

impl<T> PartialEq for Entry<T> {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl<T> Eq for Entry<T> {}

impl<T> PartialOrd for Entry<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> Ord for Entry<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

impl<T> Agenda<T> {
    /// An empty agenda.
    pub fn new() -> Self {
        Agenda {
            heap: BinaryHeap::new(),
            scheduled: 0,
        }
    }

    /// Schedules `item` for `at`, at rank 0 (before any higher rank due then).
    pub fn schedule(&mut self, at: SimTime, item: T) {
        self.schedule_ranked(at, 0, item);
    }

    /// Schedules `item` for `at`; among items due at `at` it comes after
    /// those of lower rank and before those of higher rank.
    pub fn schedule_ranked(&mut self, at: SimTime, rank: u32, item: T) {
        let order = self.scheduled;
        self.scheduled += 1;
        self.heap.push(Reverse(Entry {
            at,
            rank,
            order,
            item,
        }));
    }

    /// When the earliest item is due.
    pub fn next_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|Reverse(e)| e.at)
    }

    /// The earliest item, without taking it.
    pub fn peek(&self) -> Option<(SimTime, &T)> {
        self.heap.peek().map(|Reverse(e)| (e.at, &e.item))
    }

    /// Takes the earliest item with its time.
    pub fn pop(&mut self) -> Option<(SimTime, T)> {
        self.heap.pop().map(|Reverse(e)| (e.at, e.item))
    }

    /// Takes the earliest item if it is due at or before `now`.
    pub fn pop_due(&mut self, now: SimTime) -> Option<(SimTime, T)> {
        if self.next_time()? <= now {
            self.pop()
        } else {
            None
        }
    }

    /// How many items wait.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// Every waiting item with its time, in the order they will come out.
    pub fn in_order(&self) -> Vec<(SimTime, &T)> {
        let mut entries: Vec<&Entry<T>> = self.heap.iter().map(|Reverse(e)| e).collect();
        crate::sorted::sort_stable_by(&mut entries, Ord::cmp);
        entries.into_iter().map(|e| (e.at, &e.item)).collect()
    }

    /// Drops every item for which `keep` is false.
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        self.heap.retain(|Reverse(e)| keep(&e.item));
    }
}

impl<T> Default for Agenda<T> {
    fn default() -> Self {
        Agenda::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_first_and_ties_in_scheduling_order() {
        let mut a = Agenda::new();
        a.schedule(SimTime(30), "c");
        a.schedule(SimTime(10), "a1");
        a.schedule(SimTime(20), "b");
        a.schedule(SimTime(10), "a2");
        assert_eq!(a.next_time(), Some(SimTime(10)));
        let listed: Vec<&str> = a.in_order().into_iter().map(|(_, i)| *i).collect();
        assert_eq!(listed, vec!["a1", "a2", "b", "c"]);
        assert_eq!(a.pop_due(SimTime(5)), None);
        assert_eq!(a.pop_due(SimTime(10)), Some((SimTime(10), "a1")));
        a.retain(|i| *i != "b");
        let rest: Vec<(SimTime, &str)> = std::iter::from_fn(|| a.pop()).collect();
        assert_eq!(rest, vec![(SimTime(10), "a2"), (SimTime(30), "c")]);
        assert!(a.is_empty());
    }

    #[test]
    fn same_time_items_come_out_by_rank_then_in_scheduling_order() {
        let mut a = Agenda::new();
        a.schedule_ranked(SimTime(10), 2, "late poll");
        a.schedule_ranked(SimTime(5), 3, "early poll");
        a.schedule_ranked(SimTime(10), 1, "restart 1");
        a.schedule_ranked(SimTime(10), 2, "later poll");
        a.schedule(SimTime(10), "script");
        a.schedule_ranked(SimTime(10), 1, "restart 2");
        let listed: Vec<&str> = a.in_order().into_iter().map(|(_, i)| *i).collect();
        let taken: Vec<&str> = std::iter::from_fn(|| a.pop().map(|(_, i)| i)).collect();
        assert_eq!(
            taken,
            vec![
                "early poll",
                "script",
                "restart 1",
                "restart 2",
                "late poll",
                "later poll"
            ]
        );
        assert_eq!(listed, taken);
    }
}
