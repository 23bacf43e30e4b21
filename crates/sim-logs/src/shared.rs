//! Append-only lists that are cheap to clone, for state that only grows.
//!
//! Contract: an [`AppendLog`] behaves like a `Vec` that is only pushed to,
//! but a clone shares every full chunk of [`CHUNK`] items with the original,
//! so cloning costs one pointer per chunk plus at most [`CHUNK`] items. It
//! serializes as a plain list, and two logs are equal when their items are.

use serde::{Serialize, Serializer};
use std::sync::Arc;

/// How many items a chunk holds before it is frozen and shared.
pub const CHUNK: usize = 64;

/// A list that only grows, cheap to clone (see the module docs).
#[derive(Debug, Clone)]
pub struct AppendLog<T> {
    frozen: Vec<Arc<[T]>>,
    tail: Vec<T>,
}

impl<T> Default for AppendLog<T> {
    fn default() -> Self {
        AppendLog {
            frozen: Vec::new(),
            tail: Vec::new(),
        }
    }
}

impl<T> AppendLog<T> {
    /// Adds `item` at the end.
    pub fn push(&mut self, item: T) {
        self.tail.push(item);
        if self.tail.len() >= CHUNK {
            let full = std::mem::take(&mut self.tail);
            self.frozen.push(full.into());
        }
    }

    /// How many items it holds.
    pub fn len(&self) -> usize {
        self.frozen.len() * CHUNK + self.tail.len()
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.frozen.is_empty() && self.tail.is_empty()
    }

    /// The items, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &T> + '_ {
        self.frozen.iter().flat_map(|c| c.iter()).chain(&self.tail)
    }
}

impl<T: PartialEq> PartialEq for AppendLog<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<T: Eq> Eq for AppendLog<T> {}

impl<T: Serialize> Serialize for AppendLog<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_full_chunks_and_keep_their_own_items() {
        let mut log = AppendLog::default();
        for i in 0..(2 * CHUNK + 3) {
            log.push(i);
        }
        let snapshot = log.clone();
        assert!(Arc::ptr_eq(&log.frozen[1], &snapshot.frozen[1]));
        log.push(1000);
        assert_eq!(snapshot.len(), 2 * CHUNK + 3);
        assert_eq!(log.len(), 2 * CHUNK + 4);
        assert_eq!(log.iter().last(), Some(&1000));
        assert_ne!(log, snapshot);
        let expected: Vec<usize> = (0..(2 * CHUNK + 3)).collect();
        assert!(snapshot.iter().copied().eq(expected.iter().copied()));
        assert_eq!(
            serde_json::to_string(&snapshot).unwrap(),
            serde_json::to_string(&expected).unwrap()
        );
        assert!(AppendLog::<u8>::default().is_empty());
    }
}
