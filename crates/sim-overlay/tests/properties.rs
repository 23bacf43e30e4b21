//! Property tests: random operations on random layer stacks never change a
//! lower layer, and the merged view always equals an independent reference:
//! extracting the layers bottom to top, the way an image tar is applied.

use proptest::prelude::*;
use sim_core::SortedMap;
use sim_overlay::layer::{is_within, Entry, Layer, DIR_MODE};
use sim_overlay::overlay::{Data, FileOp, Mount};
use std::collections::BTreeMap;
use std::sync::Arc;

const PATHS: [&str; 9] = [
    "/a", "/a/x", "/a/b", "/a/b/y", "/c", "/c/z", "/f", "/a/n", "/g",
];

fn entry_strategy() -> impl Strategy<Value = Option<Entry>> {
    prop_oneof![
        3 => Just(None),
        2 => "[a-z]{1,3}".prop_map(|s| Some(Entry::text(&s, 0o644))),
        1 => "[a-z]{1,3}".prop_map(|s| Some(Entry::text(&s, 0o644).with_xattr("user.k", &s))),
        1 => Just(Some(Entry::dir(DIR_MODE))),
        1 => Just(Some(Entry::Whiteout)),
        1 => Just(Some(Entry::dir(0o700).with_xattr("user.d", "v"))),
        1 => Just(Some(Entry::Dir { mode: 0o700, opaque: true, redirect: None, xattrs: Default::default() })),
    ]
}

/// A layer over a few fixed paths; children of a non-directory are dropped.
fn layer_strategy(name: String) -> impl Strategy<Value = Layer> {
    proptest::collection::vec(entry_strategy(), PATHS.len()).prop_map(move |choices| {
        let mut entries = SortedMap::new();
        for (path, choice) in PATHS.iter().zip(choices) {
            if let Some(e) = choice {
                entries.insert(path.to_string(), e);
            }
        }
        let blockers: Vec<String> = entries
            .iter()
            .filter(|(_, e)| !e.is_dir())
            .map(|(p, _)| p.clone())
            .collect();
        entries.retain(|p, _| !blockers.iter().any(|b| b != p && is_within(p, b)));
        Layer::new(name.clone(), entries)
    })
}

fn op_strategy() -> impl Strategy<Value = FileOp> {
    let path = || proptest::sample::select(PATHS.to_vec()).prop_map(str::to_string);
    prop_oneof![
        path().prop_map(FileOp::Read),
        path().prop_map(FileOp::List),
        (path(), "[a-z]{0,3}").prop_map(|(p, s)| FileOp::Write(
            p,
            Data {
                size: s.len() as u64,
                text: s
            }
        )),
        (path(), "[a-z]{1,3}").prop_map(|(p, s)| FileOp::Append(
            p,
            Data {
                size: s.len() as u64,
                text: s
            }
        )),
        (path(), prop_oneof![Just(0o600u32), Just(0o755u32)])
            .prop_map(|(p, m)| FileOp::Chmod(p, m)),
        (path(), "[a-z]{1,3}").prop_map(|(path, value)| FileOp::SetXattr {
            path,
            name: "user.k".to_string(),
            value
        }),
        path().prop_map(FileOp::Delete),
        path().prop_map(FileOp::Mkdir),
        (path(), path()).prop_map(|(a, b)| FileOp::Rename(a, b)),
        (path(), path()).prop_map(|(a, b)| FileOp::Link(a, b)),
    ]
}

/// The reference: apply layers bottom to top like an image tar. Whiteouts,
/// opaque directories and non-directories remove what is below; a redirected
/// directory takes the content its target had below this layer (and only the
/// layer's entries inside it then remove from that); then the layer's entries
/// land.
fn flatten(
    layers_bottom_first: &[(String, &SortedMap<String, Entry>)],
) -> BTreeMap<String, (Entry, String)> {
    let mut tree: BTreeMap<String, (Entry, String)> = BTreeMap::new();
    for (name, entries) in layers_bottom_first {
        let below = tree.clone();
        // Where a path of this layer reads from below: each redirected
        // directory on the way replaces the path (absolute) or its name (relative).
        let below_path = |path: &str| -> String {
            let mut merged = String::from("/");
            let mut source = String::from("/");
            for c in path.split('/').filter(|c| !c.is_empty()) {
                merged = sim_overlay::layer::join(&merged, c);
                source = match entries.get(&merged) {
                    Some(Entry::Dir {
                        redirect: Some(t), ..
                    }) if t.starts_with('/') => t.clone(),
                    Some(Entry::Dir {
                        redirect: Some(t), ..
                    }) => sim_overlay::layer::join(&source, t),
                    _ => sim_overlay::layer::join(&source, c),
                };
            }
            source
        };
        let redirected: Vec<(&String, String)> = entries
            .iter()
            .filter(|(_, e)| {
                matches!(
                    e,
                    Entry::Dir {
                        redirect: Some(_),
                        ..
                    }
                )
            })
            .map(|(path, _)| (path, below_path(path)))
            .collect();
        let inside_redirect = |p: &str| {
            redirected
                .iter()
                .any(|(r, _)| r.as_str() != p && is_within(p, r))
        };
        let remove = |tree: &mut BTreeMap<String, (Entry, String)>, inside: bool| {
            for (path, entry) in entries.iter() {
                if inside_redirect(path) != inside {
                    continue;
                }
                let replace = match entry {
                    Entry::Dir { opaque, .. } => {
                        *opaque || tree.get(path).is_some_and(|(e, _)| !e.is_dir())
                    }
                    _ => true,
                };
                if replace {
                    let keep_self = matches!(entry, Entry::Dir { opaque: true, .. });
                    tree.retain(|k, _| !(is_within(k, path) && !(keep_self && k == path)));
                }
            }
        };
        remove(&mut tree, false);
        for (path, from) in &redirected {
            let moved: Vec<(String, (Entry, String))> = below
                .iter()
                .filter(|(k, _)| is_within(k, from))
                .map(|(k, v)| (format!("{path}{}", &k[from.len()..]), v.clone()))
                .collect();
            tree.retain(|k, _| !is_within(k, path));
            tree.extend(moved);
        }
        remove(&mut tree, true);
        for (path, entry) in entries.iter() {
            if *entry != Entry::Whiteout {
                tree.insert(path.clone(), (entry.clone(), name.clone()));
            }
        }
    }
    // Entries whose parent is not a visible directory are not reachable.
    let all = tree.clone();
    tree.retain(|path, _| {
        sim_overlay::layer::ancestors(path)
            .iter()
            .all(|a| all.get(*a).is_some_and(|(e, _)| e.is_dir()))
    });
    tree
}

fn reference(m: &Mount) -> BTreeMap<String, (Entry, String)> {
    let mut layers: Vec<(String, &SortedMap<String, Entry>)> = m
        .lowers()
        .iter()
        .rev()
        .map(|l| (l.name().to_string(), l.entries()))
        .collect();
    if let Some(upper) = m.upper() {
        layers.push(("upper".to_string(), upper));
    }
    flatten(&layers)
}

fn stack_strategy() -> impl Strategy<Value = Vec<Layer>> {
    (1usize..=3).prop_flat_map(|n| {
        (0..n)
            .map(|i| layer_strategy(format!("L{i}")))
            .collect::<Vec<_>>()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn lowers_never_change_and_the_merged_view_matches_the_reference(
        stack in stack_strategy(),
        ops in proptest::collection::vec(op_strategy(), 0..25),
        redirect_dir in any::<bool>(),
    ) {
        let originals = stack.clone();
        let lowers: Vec<Arc<Layer>> = stack.into_iter().map(Arc::new).collect();
        let mut mount = Mount::new(lowers.clone(), true, redirect_dir);
        let view = |m: &Mount| -> BTreeMap<String, (Entry, String)> {
            m.merged_view().into_iter().map(|(p, s)| (p, (s.entry, s.from))).collect()
        };
        prop_assert_eq!(view(&mount), reference(&mount));
        for op in &ops {
            let before = mount.clone();
            let planned = mount.plan(op);
            prop_assert_eq!(&mount, &before, "planning changes nothing");
            let steps = mount.perform(op);
            prop_assert_eq!(&steps, &planned, "the same plan every time");
            for (layer, original) in mount.lowers().iter().zip(&originals) {
                prop_assert_eq!(layer.as_ref(), original);
            }
            prop_assert_eq!(view(&mount), reference(&mount), "after {:?}", op);
        }
        for (layer, original) in lowers.iter().zip(&originals) {
            prop_assert_eq!(layer.as_ref(), original);
        }
    }

    #[test]
    fn a_read_only_mount_never_gets_an_upper(
        stack in stack_strategy(),
        ops in proptest::collection::vec(op_strategy(), 0..15),
    ) {
        let mut mount = Mount::new(stack.into_iter().map(Arc::new).collect(), false, false);
        let view = mount.merged_view();
        for op in &ops {
            mount.perform(op);
            prop_assert!(mount.upper().is_none());
        }
        prop_assert_eq!(mount.merged_view(), view);
    }
}
