//! Ordered maps and sets kept as one sorted `Vec`.
//!
//! [`SortedMap`] and [`SortedSet`] iterate in key order exactly as
//! `BTreeMap` and `BTreeSet` do, so a simulator can swap them in without any
//! trace changing; they find keys by binary search and insert or remove by
//! moving the tail of the `Vec`. That is fast for the small and mostly
//! read maps of the simulators, and far smaller in the wasm: every key and
//! value type of a `BTreeMap` links its own copy of the B-tree's node code,
//! while a sorted `Vec` needs little more than a binary search.
//! Build a large one with [`FromIterator`] (one sort) rather than by many
//! inserts.
//!
//! [`sort_stable_by`], [`sort_stable_by_key`] and [`sort_stable_by_cached_key`]
//! sort a `Vec` as the slice methods of those names do, through one sort of
//! positions that every caller shares: the wasm holds one copy of the sorting
//! code instead of one per element type and comparison.

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, Serializer};
use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::marker::PhantomData;

/// A map ordered by key, kept as a `Vec` of `(key, value)` sorted by key
/// with no key twice.
#[derive(Clone, PartialEq, Eq)]
pub struct SortedMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> SortedMap<K, V> {
    /// An empty map.
    pub const fn new() -> Self {
        SortedMap {
            entries: Vec::new(),
        }
    }

    /// How many entries the map holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map holds no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries in key order.
    pub fn iter(&self) -> Iter<'_, K, V> {
        Iter {
            inner: self.entries.iter(),
        }
    }

    /// The keys in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The values in key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(_, v)| v)
    }

    /// The values in key order, mutable.
    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    /// The keys in order, taken out of the map.
    pub fn into_keys(self) -> impl DoubleEndedIterator<Item = K> + ExactSizeIterator {
        self.entries.into_iter().map(|(k, _)| k)
    }

    /// Keeps only the entries for which `keep` says yes, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    /// Where `key` is (`Ok`) or would go (`Err`).
    fn position<Q>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    /// The value for `key`.
    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let at = self.position(key).ok()?;
        self.entries.get(at).map(|(_, v)| v)
    }

    /// The value for `key`, mutable.
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let at = self.position(key).ok()?;
        self.entries.get_mut(at).map(|(_, v)| v)
    }

    /// Whether the map holds `key`.
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.position(key).is_ok()
    }

    /// Sets `key` to `value` and gives back the value it replaced; the key
    /// already in the map stays, as in `BTreeMap::insert`.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.position(&key) {
            Ok(at) => self
                .entries
                .get_mut(at)
                .map(|(_, old)| std::mem::replace(old, value)),
            Err(at) => {
                self.entries.insert(at, (key, value));
                None
            }
        }
    }

    /// The value for `key`, first set to `make()` if the map has none: what
    /// `BTreeMap::entry(key).or_insert_with(make)` gives.
    pub fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> &mut V {
        let at = match self.position(&key) {
            Ok(at) => at,
            Err(at) => {
                self.entries.insert(at, (key, make()));
                at
            }
        };
        &mut self.entries[at].1
    }

    /// Takes the entry for `key` out and gives back its value.
    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let at = self.position(key).ok()?;
        Some(self.entries.remove(at).1)
    }

    /// The entries whose key is `start` or after, in order: what
    /// `BTreeMap::range(start..)` gives.
    pub fn range_from<Q>(&self, start: &Q) -> Iter<'_, K, V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let at = self.position(start).unwrap_or_else(|at| at);
        Iter {
            inner: self.entries[at..].iter(),
        }
    }
}

/// The positions `0..len` in the order that sorts them by `compare`, equal
/// ones in their own order. Not generic: this is the one sort every caller
/// of [`sort_stable_by`] shares.
fn stable_order(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_unstable_by(|&a, &b| compare(a, b).then(a.cmp(&b)));
    order
}

/// Sorts `items` by `compare`, keeping the order of equal items: what
/// `slice::sort_by` does, through the one sort all callers share.
pub fn sort_stable_by<T>(items: &mut Vec<T>, mut compare: impl FnMut(&T, &T) -> Ordering) {
    let order = stable_order(items.len(), &mut |a, b| compare(&items[a], &items[b]));
    rearrange(items, &order);
}

/// Sorts `items` by `key`, computed once per item, keeping the order of items
/// with equal keys: what `slice::sort_by_cached_key` does, through the one
/// sort all callers share.
pub fn sort_stable_by_cached_key<T, K: Ord>(items: &mut Vec<T>, key: impl FnMut(&T) -> K) {
    let keys: Vec<K> = items.iter().map(key).collect();
    let order = stable_order(keys.len(), &mut |a, b| keys[a].cmp(&keys[b]));
    rearrange(items, &order);
}

/// Puts `items` in `order`, a permutation of their positions.
fn rearrange<T>(items: &mut Vec<T>, order: &[usize]) {
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        order
            .iter()
            .filter_map(|&at| slots.get_mut(at).and_then(Option::take)),
    );
}

/// Sorts `items` by `key`, keeping the order of items with equal keys: what
/// `slice::sort_by_key` does, through the one sort all callers share.
pub fn sort_stable_by_key<T, K: Ord>(items: &mut Vec<T>, mut key: impl FnMut(&T) -> K) {
    sort_stable_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `entries` by key, keeping their order among equal keys, then keeps
/// one entry per key with the last value given for it, as inserting them one
/// after another into a `BTreeMap` does.
fn sort_keeping_last<K: Ord, V>(entries: &mut Vec<(K, V)>) {
    sort_stable_by(entries, |a, b| a.0.cmp(&b.0));
    entries.dedup_by(|later, kept| {
        let same = later.0 == kept.0;
        if same {
            std::mem::swap(&mut later.1, &mut kept.1);
        }
        same
    });
}

impl<K: Ord + Borrow<Q>, Q: Ord + ?Sized, V> std::ops::Index<&Q> for SortedMap<K, V> {
    type Output = V;

    /// The value for `key`; panics if there is none, as `BTreeMap`'s index
    /// does (for tests: the simulators use [`SortedMap::get`]).
    fn index(&self, key: &Q) -> &V {
        match self.get(key) {
            Some(value) => value,
            None => panic!("no entry for the key in the SortedMap"),
        }
    }
}

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        SortedMap::new()
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for SortedMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for SortedMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut entries: Vec<(K, V)> = iter.into_iter().collect();
        sort_keeping_last(&mut entries);
        SortedMap { entries }
    }
}

impl<K: Ord, V> Extend<(K, V)> for SortedMap<K, V> {
    /// Adds the pairs as inserts one after another would, in one sort.
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        self.entries.extend(iter);
        sort_keeping_last(&mut self.entries);
    }
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for SortedMap<K, V> {
    fn from(pairs: [(K, V); N]) -> Self {
        pairs.into_iter().collect()
    }
}

impl<K, V> IntoIterator for SortedMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a, K, V> IntoIterator for &'a SortedMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// A map's entries in key order, as `(&key, &value)`.
#[derive(Clone)]
pub struct Iter<'a, K, V> {
    inner: std::slice::Iter<'a, (K, V)>,
}

impl<'a, K, V> Iterator for Iter<'a, K, V> {
    type Item = (&'a K, &'a V);

    fn next(&mut self) -> Option<Self::Item> {
        self.inner.next().map(|(k, v)| (k, v))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl<K, V> DoubleEndedIterator for Iter<'_, K, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.inner.next_back().map(|(k, v)| (k, v))
    }
}

impl<K, V> ExactSizeIterator for Iter<'_, K, V> {}

impl<K: Serialize, V: Serialize> Serialize for SortedMap<K, V> {
    /// A map, key after key, as `BTreeMap` serializes.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>> Deserialize<'de> for SortedMap<K, V> {
    /// A map, as `BTreeMap` deserializes: a key given twice keeps its last value.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<K, V>(PhantomData<(K, V)>);

        impl<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>> Visitor<'de> for MapVisitor<K, V> {
            type Value = SortedMap<K, V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = access.next_entry()? {
                    entries.push(entry);
                }
                sort_keeping_last(&mut entries);
                Ok(SortedMap { entries })
            }
        }

        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

/// A set ordered by value, kept as a sorted `Vec` with no value twice.
#[derive(Clone, PartialEq, Eq)]
pub struct SortedSet<T> {
    items: Vec<T>,
}

impl<T> SortedSet<T> {
    /// An empty set.
    pub const fn new() -> Self {
        SortedSet { items: Vec::new() }
    }

    /// How many values the set holds.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the set holds no value.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The values in order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }

    /// The smallest value.
    pub fn first(&self) -> Option<&T> {
        self.items.first()
    }

    /// The largest value.
    pub fn last(&self) -> Option<&T> {
        self.items.last()
    }

    /// Keeps only the values for which `keep` says yes, in order.
    pub fn retain(&mut self, keep: impl FnMut(&T) -> bool) {
        self.items.retain(keep);
    }
}

impl<T: Ord> SortedSet<T> {
    /// Where `value` is (`Ok`) or would go (`Err`).
    fn position<Q>(&self, value: &Q) -> Result<usize, usize>
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.items.binary_search_by(|t| t.borrow().cmp(value))
    }

    /// Whether the set holds `value`.
    pub fn contains<Q>(&self, value: &Q) -> bool
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.position(value).is_ok()
    }

    /// Adds `value`; says whether it was new (an equal value already there
    /// stays, as in `BTreeSet::insert`).
    pub fn insert(&mut self, value: T) -> bool {
        match self.position(&value) {
            Ok(_) => false,
            Err(at) => {
                self.items.insert(at, value);
                true
            }
        }
    }

    /// Takes the smallest value out.
    pub fn pop_first(&mut self) -> Option<T> {
        (!self.items.is_empty()).then(|| self.items.remove(0))
    }

    /// Takes `value` out; says whether it was there.
    pub fn remove<Q>(&mut self, value: &Q) -> bool
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match self.position(value) {
            Ok(at) => {
                self.items.remove(at);
                true
            }
            Err(_) => false,
        }
    }
}

/// Sorts `items` and keeps one of each run of equal values.
fn sort_unique<T: Ord>(items: &mut Vec<T>) {
    sort_stable_by(items, T::cmp);
    items.dedup();
}

impl<T> Default for SortedSet<T> {
    fn default() -> Self {
        SortedSet::new()
    }
}

impl<T: fmt::Debug> fmt::Debug for SortedSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl<T: Ord> FromIterator<T> for SortedSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut items: Vec<T> = iter.into_iter().collect();
        sort_unique(&mut items);
        SortedSet { items }
    }
}

impl<T: Ord> Extend<T> for SortedSet<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        self.items.extend(iter);
        sort_unique(&mut self.items);
    }
}

impl<T> IntoIterator for SortedSet<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a SortedSet<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T: Serialize> Serialize for SortedSet<T> {
    /// A sequence in order, as `BTreeSet` serializes.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de, T: Deserialize<'de> + Ord> Deserialize<'de> for SortedSet<T> {
    /// A sequence, as `BTreeSet` deserializes: a value given twice is kept once.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut items = Vec::<T>::deserialize(deserializer)?;
        sort_unique(&mut items);
        Ok(SortedSet { items })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// One change or look-up made to a map and to its `BTreeMap` twin.
    #[derive(Debug, Clone)]
    enum Op {
        Insert(u8, u32),
        Remove(u8),
        Get(u8),
        GetOrInsert(u8, u32),
        AddOne(u8),
        Extend(Vec<(u8, u32)>),
        RetainEven,
        RangeFrom(u8),
    }

    fn op() -> impl Strategy<Value = Op> {
        let key = 0u8..24;
        prop_oneof![
            (key.clone(), any::<u32>()).prop_map(|(k, v)| Op::Insert(k, v)),
            key.clone().prop_map(Op::Remove),
            key.clone().prop_map(Op::Get),
            (key.clone(), any::<u32>()).prop_map(|(k, v)| Op::GetOrInsert(k, v)),
            key.clone().prop_map(Op::AddOne),
            prop::collection::vec((key.clone(), any::<u32>()), 0..8).prop_map(Op::Extend),
            Just(Op::RetainEven),
            key.prop_map(Op::RangeFrom),
        ]
    }

    proptest! {
        #[test]
        fn a_map_answers_and_iterates_as_a_btreemap_does(ops in prop::collection::vec(op(), 0..60)) {
            let mut sorted = SortedMap::new();
            let mut tree = BTreeMap::new();
            for op in ops {
                match op {
                    Op::Insert(k, v) => prop_assert_eq!(sorted.insert(k, v), tree.insert(k, v)),
                    Op::Remove(k) => prop_assert_eq!(sorted.remove(&k), tree.remove(&k)),
                    Op::Get(k) => {
                        prop_assert_eq!(sorted.get(&k), tree.get(&k));
                        prop_assert_eq!(sorted.contains_key(&k), tree.contains_key(&k));
                    }
                    Op::GetOrInsert(k, v) => prop_assert_eq!(
                        *sorted.get_or_insert_with(k, || v),
                        *tree.entry(k).or_insert_with(|| v)
                    ),
                    Op::AddOne(k) => {
                        if let (Some(s), Some(t)) = (sorted.get_mut(&k), tree.get_mut(&k)) {
                            *s = s.wrapping_add(1);
                            *t = t.wrapping_add(1);
                        }
                    }
                    Op::Extend(pairs) => {
                        sorted.extend(pairs.clone());
                        tree.extend(pairs);
                    }
                    Op::RetainEven => {
                        sorted.retain(|_, v| *v % 2 == 0);
                        tree.retain(|_, v| *v % 2 == 0);
                    }
                    Op::RangeFrom(k) => prop_assert!(sorted.range_from(&k).eq(tree.range(k..))),
                }
                prop_assert_eq!(sorted.len(), tree.len());
                prop_assert_eq!(sorted.is_empty(), tree.is_empty());
                prop_assert!(sorted.iter().eq(tree.iter()));
                prop_assert!(sorted.iter().rev().eq(tree.iter().rev()));
                prop_assert!(sorted.keys().eq(tree.keys()));
                prop_assert!(sorted.values().eq(tree.values()));
            }
            prop_assert!(sorted.into_iter().eq(tree));
        }

        #[test]
        fn a_map_built_from_pairs_keeps_the_last_value_of_a_key_as_a_btreemap_does(
            pairs in prop::collection::vec((0u8..16, any::<u32>()), 0..40)
        ) {
            let sorted: SortedMap<u8, u32> = pairs.iter().copied().collect();
            let tree: BTreeMap<u8, u32> = pairs.iter().copied().collect();
            prop_assert!(sorted.iter().eq(tree.iter()));
        }

        #[test]
        fn a_set_answers_and_iterates_as_a_btreeset_does(
            ops in prop::collection::vec((0u8..3, 0u8..24), 0..60),
            start in prop::collection::vec(0u8..24, 0..20),
        ) {
            let mut sorted: SortedSet<u8> = start.iter().copied().collect();
            let mut tree: BTreeSet<u8> = start.iter().copied().collect();
            for (action, v) in ops {
                match action {
                    0 => prop_assert_eq!(sorted.insert(v), tree.insert(v)),
                    1 => prop_assert_eq!(sorted.remove(&v), tree.remove(&v)),
                    _ => prop_assert_eq!(sorted.pop_first(), tree.pop_first()),
                }
                prop_assert_eq!(sorted.contains(&v), tree.contains(&v));
                prop_assert_eq!(sorted.len(), tree.len());
                prop_assert!(sorted.iter().eq(tree.iter()));
                prop_assert_eq!(sorted.first(), tree.first());
                prop_assert_eq!(sorted.last(), tree.last());
            }
            sorted.extend(start.iter().copied());
            tree.extend(start.iter().copied());
            prop_assert!(sorted.into_iter().eq(tree));
        }
    }

    proptest! {
        #[test]
        fn the_shared_sort_orders_as_the_standard_stable_sort_does(
            items in prop::collection::vec((0u8..8, any::<u16>()), 0..80)
        ) {
            let mut shared = items.clone();
            let mut standard = items.clone();
            sort_stable_by_key(&mut shared, |(k, _)| *k);
            standard.sort_by_key(|(k, _)| *k);
            prop_assert_eq!(&shared, &standard);
            let mut shared = items.clone();
            let mut standard = items;
            let descending_sevenths = |a: &(u8, u16), b: &(u8, u16)| {
                (b.1 % 7).cmp(&(a.1 % 7)).then_with(|| a.0.cmp(&b.0))
            };
            sort_stable_by(&mut shared, descending_sevenths);
            standard.sort_by(descending_sevenths);
            prop_assert_eq!(&shared, &standard);
            sort_stable_by_cached_key(&mut shared, |(k, v)| (*v % 5, *k));
            standard.sort_by_cached_key(|(k, v)| (*v % 5, *k));
            prop_assert_eq!(shared, standard);
        }
    }

    #[test]
    fn insert_over_a_key_keeps_the_key_already_there() {
        /// A key whose order looks only at its first field.
        #[derive(Debug, Clone, Copy)]
        struct Tagged(u8, char);
        impl PartialEq for Tagged {
            fn eq(&self, other: &Self) -> bool {
                self.0 == other.0
            }
        }
        impl Eq for Tagged {}
        impl PartialOrd for Tagged {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }
        impl Ord for Tagged {
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                self.0.cmp(&other.0)
            }
        }
        let mut sorted = SortedMap::from([(Tagged(1, 'a'), 10)]);
        let mut tree = BTreeMap::from([(Tagged(1, 'a'), 10)]);
        assert_eq!(sorted.insert(Tagged(1, 'b'), 20), Some(10));
        assert_eq!(tree.insert(Tagged(1, 'b'), 20), Some(10));
        let keys = |m: &SortedMap<Tagged, i32>| m.keys().map(|k| k.1).collect::<String>();
        assert_eq!(keys(&sorted), tree.keys().map(|k| k.1).collect::<String>());
        assert_eq!(keys(&sorted), "a");
    }

    #[test]
    fn maps_and_sets_serialize_as_btreemap_and_btreeset_do() {
        let pairs = [
            ("b".to_string(), 2),
            ("a".to_string(), 1),
            ("c".to_string(), 3),
        ];
        let sorted = SortedMap::from(pairs.clone());
        let tree = BTreeMap::from(pairs);
        let json = serde_json::to_string(&sorted).unwrap();
        assert_eq!(json, serde_json::to_string(&tree).unwrap());
        assert_eq!(
            serde_json::from_str::<SortedMap<String, i32>>(&json).unwrap(),
            sorted
        );
        let set = SortedSet::from_iter([3, 1, 2, 1]);
        let json = serde_json::to_string(&set).unwrap();
        assert_eq!(
            json,
            serde_json::to_string(&BTreeSet::from([3, 1, 2, 1])).unwrap()
        );
        assert_eq!(serde_json::from_str::<SortedSet<i32>>(&json).unwrap(), set);
    }

    #[test]
    fn a_key_given_twice_when_deserializing_keeps_its_last_value_as_in_a_btreemap() {
        let json = r#"{"b": 1, "a": 2, "b": 3}"#;
        let sorted: SortedMap<String, i32> = serde_json::from_str(json).unwrap();
        let tree: BTreeMap<String, i32> = serde_json::from_str(json).unwrap();
        assert!(sorted.iter().eq(tree.iter()));
    }

    #[test]
    fn a_set_read_out_of_order_or_with_repeats_is_sorted_once_as_a_btreeset() {
        let json = "[3, 1, 3, 2]";
        let sorted: SortedSet<i32> = serde_json::from_str(json).unwrap();
        let tree: BTreeSet<i32> = serde_json::from_str(json).unwrap();
        assert!(sorted.iter().eq(tree.iter()));
        assert!(serde_json::from_str::<SortedSet<i32>>("{}").is_err());
    }
}
