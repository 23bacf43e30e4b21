//! The micro-step queue: one action planned into several steps.

use std::collections::VecDeque;

/// Steps already planned, applied one per [`crate::Simulation::step`], oldest
/// first. A step that plans more work puts it in front of what was already
/// waiting, so an action's consequences come before the next action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MicroQueue<T> {
    items: VecDeque<T>,
}

impl<T> MicroQueue<T> {
    /// An empty queue.
    pub fn new() -> Self {
        MicroQueue {
            items: VecDeque::new(),
        }
    }

    /// Adds `item` after everything waiting.
    pub fn push_back(&mut self, item: T) {
        self.items.push_back(item);
    }

    /// Puts `items`, in their order, before everything waiting.
    pub fn push_front_all(&mut self, items: impl IntoIterator<Item = T>) {
        let items: Vec<T> = items.into_iter().collect();
        for item in items.into_iter().rev() {
            self.items.push_front(item);
        }
    }

    /// The next planned step, if any.
    pub fn pop_front(&mut self) -> Option<T> {
        self.items.pop_front()
    }

    /// The next planned step, without taking it.
    pub fn front(&self) -> Option<&T> {
        self.items.front()
    }

    /// Whether nothing is planned.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many steps are planned.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Drops every planned step.
    pub fn clear(&mut self) {
        self.items.clear();
    }

    /// The planned steps, next first.
    pub fn iter(&self) -> std::collections::vec_deque::Iter<'_, T> {
        self.items.iter()
    }
}

impl<T> Default for MicroQueue<T> {
    fn default() -> Self {
        MicroQueue::new()
    }
}

impl<T> FromIterator<T> for MicroQueue<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        MicroQueue {
            items: iter.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planned_consequences_come_before_what_was_waiting() {
        let mut q: MicroQueue<u32> = [1, 2].into_iter().collect();
        assert_eq!(q.pop_front(), Some(1));
        q.push_front_all([10, 11]);
        q.push_back(3);
        assert_eq!(q.front(), Some(&10));
        assert_eq!(q.len(), 4);
        let order: Vec<u32> = std::iter::from_fn(|| q.pop_front()).collect();
        assert_eq!(order, vec![10, 11, 2, 3]);
        assert!(q.is_empty());
    }
}
