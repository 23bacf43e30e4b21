//! One test per overlay rule of semantics.md section 2, plus its worked examples,
//! driven through the public `Mount` API.

use sim_core::SortedMap;
use sim_overlay::layer::{Entry, Layer, DIR_MODE, FILE_MODE};
use sim_overlay::overlay::{Data, Edit, FileOp, Mount, MountStep, Origin, Resolved};
use sim_overlay::rules;
use std::sync::Arc;

fn layer(name: &str, entries: &[(&str, Entry)]) -> Arc<Layer> {
    Arc::new(Layer::new(
        name,
        entries
            .iter()
            .map(|(p, e)| (p.to_string(), e.clone()))
            .collect::<SortedMap<_, _>>(),
    ))
}

fn text(s: &str) -> Entry {
    Entry::text(s, FILE_MODE)
}

fn data(s: &str) -> Data {
    Data {
        text: s.to_string(),
        size: s.len() as u64,
    }
}

/// L2 (`/etc/a`="v2", `/etc/b`) over L1 (`/etc/a`="v1", `/etc/c`, `/bin/sh`).
fn two_lowers(writable: bool, redirect_dir: bool) -> (Mount, Arc<Layer>, Arc<Layer>) {
    let l1 = layer(
        "L1",
        &[
            ("/etc/a", text("v1")),
            ("/etc/c", text("c1")),
            ("/bin/sh", text("shell")),
        ],
    );
    let l2 = layer("L2", &[("/etc/a", text("v2")), ("/etc/b", text("b2"))]);
    let mount = Mount::new(vec![l2.clone(), l1.clone()], writable, redirect_dir);
    (mount, l1, l2)
}

fn upper(m: &Mount) -> &SortedMap<String, Entry> {
    m.upper().unwrap()
}

fn rule_ids(steps: &[MountStep]) -> Vec<&'static str> {
    steps.iter().map(|s| s.rule().id).collect()
}

fn content(m: &Mount, path: &str) -> String {
    match &m.merged_view()[path].entry {
        Entry::File { content, .. } => content.clone(),
        other => panic!("{path} is {other:?}"),
    }
}

#[test]
fn worked_example_higher_lower_wins() {
    let (mut m, l1, l2) = two_lowers(true, false);
    let steps = m.perform(&FileOp::Read("/etc/a".into()));
    assert_eq!(steps.len(), 1);
    assert!(
        steps[0].detail().contains("\"v2\""),
        "{}",
        steps[0].detail()
    );
    assert!(steps[0].detail().contains("L2") && steps[0].detail().contains("L1"));
    assert_eq!(*steps[0].rule(), rules::NON_DIR_HIDES);
    assert_eq!(steps[0].edit, Edit::None);
    assert_eq!(m.merged_view()["/etc/a"].from, "L2");
    assert!(upper(&m).is_empty(), "reading never copies up");
    assert_eq!(l1.entries()["/etc/a"], text("v1"));
    assert_eq!(l2.entries()["/etc/a"], text("v2"));
}

#[test]
fn lowerdir_stacks_right_to_left() {
    let (m, _, _) = two_lowers(false, false);
    // The first lowerdir (L2) is the top lower: its /etc/a wins.
    assert_eq!(m.label(Origin::Lower(0)), "L2");
    assert_eq!(content(&m, "/etc/a"), "v2");
    let l1 = m.lowers()[1].clone();
    let l2 = m.lowers()[0].clone();
    let swapped = Mount::new(vec![l1, l2], false, false);
    assert_eq!(content(&swapped, "/etc/a"), "v1");
}

#[test]
fn same_named_directories_merge() {
    let (mut m, _, _) = two_lowers(true, false);
    let shown = m.merged_view();
    assert_eq!(shown["/etc"].merged_from, vec!["L2", "L1"]);
    let steps = m.perform(&FileOp::List("/etc".into()));
    assert_eq!(rule_ids(&steps), vec![rules::DIR_MERGE.id]);
    assert!(
        steps[0].detail().contains("a (L2), b (L2), c (L1)"),
        "{}",
        steps[0].detail()
    );
}

#[test]
fn a_listing_names_each_visible_entry_with_its_layer() {
    let (mut m, _, _) = two_lowers(true, false);
    m.perform(&FileOp::Write("/etc/n".into(), data("new")));
    m.perform(&FileOp::Delete("/etc/b".into()));
    let listing = m.listing("/etc").unwrap();
    let names: Vec<(&str, &str)> = listing
        .iter()
        .map(|(n, s)| (n.as_str(), s.from.as_str()))
        .collect();
    assert_eq!(names, vec![("a", "L2"), ("c", "L1"), ("n", "upper")]);
    let merged = m.merged_view();
    for (name, shown) in &listing {
        assert_eq!(&merged[&format!("/etc/{name}")], shown);
    }
    let root = m.listing("/").unwrap();
    assert_eq!(root[1].0, "etc");
    assert_eq!(root[1].1.merged_from, vec!["upper", "L2", "L1"]);
    assert_eq!(m.listing("/etc/a"), None);
    assert_eq!(m.listing("/nothing"), None);
}

#[test]
fn a_non_directory_hides_a_directory_below() {
    let low = layer("low", &[("/x/inner", text("hidden"))]);
    let high = layer("high", &[("/x", text("file"))]);
    let m = Mount::new(vec![high, low], true, false);
    let shown = m.merged_view();
    assert_eq!(shown["/x"].from, "high");
    assert!(!shown.contains_key("/x/inner"));
    assert_eq!(m.resolve("/x/inner"), Resolved::Missing);
}

#[test]
fn worked_example_append_copies_up_the_whole_file_once() {
    let (mut m, l1, l2) = two_lowers(true, false);
    let first = m.perform(&FileOp::Append("/etc/a".into(), data("+1")));
    assert_eq!(
        rule_ids(&first),
        vec![
            rules::COPY_UP_PARENT.id,
            rules::COPY_UP_FILE.id,
            rules::UPPER_CHANGE.id
        ]
    );
    assert!(first[1].detail().contains("whole file") && first[1].detail().contains("2 bytes"));
    let second = m.perform(&FileOp::Append("/etc/a".into(), data("+2")));
    assert_eq!(rule_ids(&second), vec![rules::UPPER_CHANGE.id]);
    assert_eq!(content(&m, "/etc/a"), "v2+1+2");
    assert_eq!(m.merged_view()["/etc/a"].from, "upper");
    assert_eq!(upper(&m)["/etc"], Entry::dir(DIR_MODE));
    assert_eq!(l2.entries()["/etc/a"], text("v2"));
    assert_eq!(l1.entries()["/etc/a"], text("v1"));
}

#[test]
fn copy_up_keeps_parent_metadata() {
    let low = layer(
        "low",
        &[
            (
                "/secret",
                Entry::dir(0o700).with_xattr("security.selinux", "secret_t"),
            ),
            ("/secret/key", text("k")),
        ],
    );
    let mut m = Mount::new(vec![low], true, false);
    let steps = m.perform(&FileOp::Write("/secret/key".into(), data("new")));
    assert!(
        steps[0].detail().contains("security.selinux=secret_t"),
        "{}",
        steps[0].detail()
    );
    assert_eq!(
        upper(&m)["/secret"],
        Entry::dir(0o700).with_xattr("security.selinux", "secret_t")
    );
}

#[test]
fn copy_up_copies_the_file_then_its_xattrs() {
    let tagged = text("v1").with_xattr("user.origin", "base");
    let low = layer("low", &[("/etc/a", tagged.clone())]);
    let mut m = Mount::new(vec![low.clone()], true, false);
    let steps = m.perform(&FileOp::Append("/etc/a".into(), data("+1")));
    assert_eq!(*steps[1].rule(), rules::COPY_UP_FILE);
    assert!(
        steps[1].detail().contains("xattrs (user.origin=base)"),
        "{}",
        steps[1].detail()
    );
    assert!(rules::COPY_UP_FILE.says.contains("extended attributes"));
    assert_eq!(
        upper(&m)["/etc/a"].xattrs().unwrap()["user.origin"],
        "base",
        "the upper copy keeps the lower file's xattrs"
    );
    assert_eq!(content(&m, "/etc/a"), "v1+1");
    assert_eq!(
        low.entries()["/etc/a"],
        tagged,
        "the lower file never changes"
    );
}

#[test]
fn setting_an_xattr_is_a_metadata_change_that_copies_up() {
    let tagged = text("v1").with_xattr("user.origin", "base");
    let low = layer("low", &[("/etc/a", tagged.clone())]);
    let mut m = Mount::new(vec![low.clone()], true, false);
    let steps = m.perform(&FileOp::SetXattr {
        path: "/etc/a".into(),
        name: "user.note".into(),
        value: "edited".into(),
    });
    assert_eq!(
        rule_ids(&steps),
        vec![
            rules::COPY_UP_PARENT.id,
            rules::COPY_UP_FILE.id,
            rules::UPPER_CHANGE.id
        ]
    );
    assert_eq!(
        upper(&m)["/etc/a"],
        tagged.clone().with_xattr("user.note", "edited")
    );
    assert_eq!(low.entries()["/etc/a"], tagged);
    // A second one hits the upper copy only.
    let steps = m.perform(&FileOp::SetXattr {
        path: "/etc/a".into(),
        name: "user.note".into(),
        value: "again".into(),
    });
    assert_eq!(rule_ids(&steps), vec![rules::UPPER_CHANGE.id]);
    assert_eq!(
        m.merged_view()["/etc/a"].entry.xattrs().unwrap()["user.note"],
        "again"
    );
}

#[test]
fn chmod_is_a_metadata_change_that_copies_up() {
    let (mut m, l1, _) = two_lowers(true, false);
    let steps = m.perform(&FileOp::Chmod("/bin/sh".into(), 0o700));
    assert_eq!(
        rule_ids(&steps),
        vec![
            rules::COPY_UP_PARENT.id,
            rules::COPY_UP_FILE.id,
            rules::UPPER_CHANGE.id
        ]
    );
    assert!(matches!(
        upper(&m)["/bin/sh"],
        Entry::File { mode: 0o700, .. }
    ));
    assert_eq!(l1.entries()["/bin/sh"], text("shell"));
}

#[test]
fn a_lower_directory_is_copied_up_empty_by_its_own_rule() {
    let (mut m, _, _) = two_lowers(true, false);
    let steps = m.perform(&FileOp::Chmod("/etc".into(), 0o700));
    assert_eq!(
        rule_ids(&steps),
        vec![rules::COPY_UP_DIR.id, rules::UPPER_CHANGE.id]
    );
    assert!(steps[0].detail().contains("empty"), "{}", steps[0].detail());
    // Only the directory itself is in upper; its lower contents still merge.
    assert_eq!(upper(&m).keys().collect::<Vec<_>>(), vec!["/etc"]);
    assert_eq!(content(&m, "/etc/a"), "v2");
    assert_eq!(content(&m, "/etc/c"), "c1");
}

#[test]
fn writing_a_new_file_creates_it_in_upper() {
    let (mut m, _, _) = two_lowers(true, false);
    let steps = m.perform(&FileOp::Write("/etc/new".into(), data("n")));
    assert_eq!(
        rule_ids(&steps),
        vec![rules::COPY_UP_PARENT.id, rules::CREATE_IN_UPPER.id]
    );
    assert_eq!(m.merged_view()["/etc/new"].from, "upper");
}

#[test]
fn worked_example_rm_leaves_a_whiteout_and_lowers_unchanged() {
    let (mut m, l1, l2) = two_lowers(true, false);
    let before = (l1.as_ref().clone(), l2.as_ref().clone());
    let steps = m.perform(&FileOp::Delete("/etc/a".into()));
    assert_eq!(*steps.last().unwrap().rule(), rules::WHITEOUT);
    assert_eq!(upper(&m)["/etc/a"], Entry::Whiteout);
    assert!(!m.merged_view().contains_key("/etc/a"));
    assert_eq!((l1.as_ref().clone(), l2.as_ref().clone()), before);
}

#[test]
fn deleting_an_upper_only_file_removes_it() {
    let (mut m, _, _) = two_lowers(true, false);
    m.perform(&FileOp::Write("/etc/new".into(), data("n")));
    let steps = m.perform(&FileOp::Delete("/etc/new".into()));
    assert_eq!(rule_ids(&steps), vec![rules::REMOVE_FROM_UPPER.id]);
    assert!(!upper(&m).contains_key("/etc/new"));
}

#[test]
fn deleting_a_copied_up_file_still_needs_a_whiteout() {
    let (mut m, _, _) = two_lowers(true, false);
    m.perform(&FileOp::Append("/etc/a".into(), data("+")));
    let steps = m.perform(&FileOp::Delete("/etc/a".into()));
    assert_eq!(rule_ids(&steps), vec![rules::WHITEOUT.id]);
    assert_eq!(upper(&m)["/etc/a"], Entry::Whiteout);
}

#[test]
fn rm_r_then_mkdir_makes_an_opaque_directory() {
    let (mut m, _, _) = two_lowers(true, false);
    let steps = m.perform(&FileOp::Delete("/etc".into()));
    assert_eq!(*steps.last().unwrap().rule(), rules::RMDIR_WHITEOUT);
    assert_eq!(upper(&m)["/etc"], Entry::Whiteout);
    assert_eq!(
        upper(&m).len(),
        1,
        "the child whiteouts go with the directory"
    );
    let steps = m.perform(&FileOp::Mkdir("/etc".into()));
    assert_eq!(rule_ids(&steps), vec![rules::OPAQUE_DIR.id]);
    assert!(matches!(upper(&m)["/etc"], Entry::Dir { opaque: true, .. }));
    let shown = m.merged_view();
    assert!(shown.keys().all(|p| !p.starts_with("/etc/")), "{shown:?}");
    assert_eq!(shown["/etc"].merged_from, vec!["upper"]);
}

#[test]
fn an_opaque_layer_directory_hides_lower_contents_but_keeps_its_own() {
    let low = layer("low", &[("/d/x", text("x")), ("/f", text("old"))]);
    let high = layer(
        "high",
        &[
            (
                "/d",
                Entry::Dir {
                    mode: DIR_MODE,
                    opaque: true,
                    redirect: None,
                    xattrs: Default::default(),
                },
            ),
            ("/d/y", text("y")),
            ("/f", text("new")),
        ],
    );
    let m = Mount::new(vec![high, low], false, false);
    let shown = m.merged_view();
    assert!(shown.contains_key("/d/y"));
    assert!(!shown.contains_key("/d/x"));
    assert_eq!(content(&m, "/f"), "new");
}

#[test]
fn a_listing_names_the_whiteouts_that_hide_lower_names_only() {
    let l1 = layer("L1", &[("/etc/a", text("v1")), ("/etc/c", text("c1"))]);
    // One image layer both deletes /etc/c (whiteout) and adds its own /etc/n.
    let l2 = layer("L2", &[("/etc/c", Entry::Whiteout), ("/etc/n", text("n2"))]);
    let mut m = Mount::new(vec![l2, l1], true, false);
    let steps = m.perform(&FileOp::List("/etc".into()));
    assert_eq!(rule_ids(&steps), vec![rules::WHITEOUT_OWN_LAYER.id]);
    let detail = steps[0].detail();
    assert!(detail.contains("[a (L1), n (L2)]"), "{detail}");
    assert!(detail.contains("whiteout for c in L2"), "{detail}");
}

#[test]
fn renaming_a_lower_directory_needs_redirect_dir() {
    let (mut off, _, _) = two_lowers(true, false);
    let steps = off.perform(&FileOp::Rename("/etc".into(), "/conf".into()));
    assert_eq!(rule_ids(&steps), vec![rules::RENAME_EXDEV.id]);
    assert!(steps[0].detail().contains("EXDEV"));
    assert!(upper(&off).is_empty());

    let (mut on, _, _) = two_lowers(true, true);
    let steps = on.perform(&FileOp::Rename("/etc".into(), "/conf".into()));
    assert_eq!(
        rule_ids(&steps),
        vec![
            rules::COPY_UP_DIR.id,
            rules::RENAME_REDIRECT.id,
            rules::RENAME_WHITEOUT.id
        ]
    );
    assert!(
        steps[2].detail().contains("old name"),
        "{}",
        steps[2].detail()
    );
    assert_eq!(upper(&on)["/etc"], Entry::Whiteout);
    // Same parent: the redirect is relative, just the old name.
    assert!(matches!(&upper(&on)["/conf"], Entry::Dir { redirect: Some(r), .. } if r == "etc"));
    assert_eq!(content(&on, "/conf/a"), "v2");
    assert_eq!(content(&on, "/conf/c"), "c1");
    assert!(!on.merged_view().contains_key("/etc"));

    // Another parent: the redirect is absolute.
    let (mut on, _, _) = two_lowers(true, true);
    on.perform(&FileOp::Rename("/etc".into(), "/bin/conf".into()));
    assert!(
        matches!(&upper(&on)["/bin/conf"], Entry::Dir { redirect: Some(r), .. } if r == "/etc")
    );
    assert_eq!(content(&on, "/bin/conf/a"), "v2");
    assert_eq!(content(&on, "/bin/sh"), "shell");
}

#[test]
fn renaming_a_lower_file_copies_up_and_whiteouts_the_old_name() {
    let (mut m, _, _) = two_lowers(true, false);
    let steps = m.perform(&FileOp::Rename("/etc/a".into(), "/etc/z".into()));
    assert_eq!(
        rule_ids(&steps),
        vec![
            rules::COPY_UP_PARENT.id,
            rules::COPY_UP_FILE.id,
            rules::RENAME_IN_UPPER.id,
            rules::RENAME_WHITEOUT.id
        ]
    );
    assert_eq!(content(&m, "/etc/z"), "v2");
    assert!(!m.merged_view().contains_key("/etc/a"));
}

fn errno_of(steps: &[MountStep]) -> Option<String> {
    match steps {
        [only] if only.kind() == "error" => only
            .detail()
            .split_whitespace()
            .nth(2)
            .map(|e| e.trim_end_matches(':').to_string()),
        _ => None,
    }
}

#[test]
fn renaming_a_directory_onto_an_empty_directory_replaces_it() {
    let (mut m, _, _) = two_lowers(true, false);
    m.perform(&FileOp::Mkdir("/src".into()));
    m.perform(&FileOp::Write("/src/f".into(), data("f")));
    m.perform(&FileOp::Mkdir("/dst".into()));
    let steps = m.perform(&FileOp::Rename("/src".into(), "/dst".into()));
    assert_eq!(rule_ids(&steps), vec![rules::RENAME_IN_UPPER.id]);
    assert!(
        steps[0].detail().contains("replacing"),
        "{}",
        steps[0].detail()
    );
    assert_eq!(content(&m, "/dst/f"), "f");
    assert!(!m.merged_view().contains_key("/src"));
}

#[test]
fn renaming_a_directory_onto_a_non_empty_one_fails_with_enotempty() {
    let (mut m, _, _) = two_lowers(true, true);
    m.perform(&FileOp::Mkdir("/src".into()));
    let before = m.clone();
    // /etc is merged from both lowers and has entries.
    let steps = m.perform(&FileOp::Rename("/src".into(), "/etc".into()));
    assert_eq!(errno_of(&steps).as_deref(), Some("ENOTEMPTY"), "{steps:?}");
    assert_eq!(m, before);
    // Upper-only and non-empty, too.
    m.perform(&FileOp::Mkdir("/full".into()));
    m.perform(&FileOp::Write("/full/x".into(), data("x")));
    let steps = m.perform(&FileOp::Rename("/src".into(), "/full".into()));
    assert_eq!(errno_of(&steps).as_deref(), Some("ENOTEMPTY"), "{steps:?}");
    // Mismatched kinds keep their errors.
    let steps = m.perform(&FileOp::Rename("/src".into(), "/bin/sh".into()));
    assert_eq!(errno_of(&steps).as_deref(), Some("ENOTDIR"), "{steps:?}");
    let steps = m.perform(&FileOp::Rename("/bin/sh".into(), "/src".into()));
    assert_eq!(errno_of(&steps).as_deref(), Some("EISDIR"), "{steps:?}");
}

#[test]
fn a_lower_directory_onto_an_empty_directory_still_needs_redirect_dir() {
    let (mut off, _, _) = two_lowers(true, false);
    off.perform(&FileOp::Mkdir("/empty".into()));
    let steps = off.perform(&FileOp::Rename("/etc".into(), "/empty".into()));
    assert_eq!(rule_ids(&steps), vec![rules::RENAME_EXDEV.id]);
    // EXDEV is checked before the target's emptiness.
    let steps = off.perform(&FileOp::Rename("/etc".into(), "/bin".into()));
    assert_eq!(errno_of(&steps).as_deref(), Some("EXDEV"), "{steps:?}");

    let (mut on, _, _) = two_lowers(true, true);
    on.perform(&FileOp::Mkdir("/empty".into()));
    let steps = on.perform(&FileOp::Rename("/etc".into(), "/empty".into()));
    assert!(
        rule_ids(&steps).contains(&rules::RENAME_REDIRECT.id),
        "{steps:?}"
    );
    assert_eq!(content(&on, "/empty/a"), "v2");
    assert_eq!(content(&on, "/empty/c"), "c1");
    assert!(!on.merged_view().contains_key("/etc"));
}

#[test]
fn an_upper_directory_moved_onto_a_lower_name_becomes_opaque() {
    let (mut m, l1, l2) = two_lowers(true, false);
    m.perform(&FileOp::Mkdir("/x".into()));
    m.perform(&FileOp::Write("/x/f".into(), data("f")));
    for name in ["/etc/a", "/etc/b", "/etc/c"] {
        m.perform(&FileOp::Delete(name.into()));
    }
    // /etc is now an empty merged directory: the rename replaces it.
    let steps = m.perform(&FileOp::Rename("/x".into(), "/etc".into()));
    assert_eq!(rule_ids(&steps), vec![rules::RENAME_OPAQUE.id]);
    assert!(matches!(upper(&m)["/etc"], Entry::Dir { opaque: true, .. }));
    let shown: Vec<String> = m
        .merged_view()
        .into_keys()
        .filter(|k| k.starts_with("/etc/"))
        .collect();
    assert_eq!(shown, vec!["/etc/f"], "the lower /etc stays hidden");
    assert_eq!(l2.entries()["/etc/b"], text("b2"));
    assert_eq!(l1.entries()["/etc/c"], text("c1"));
}

#[test]
fn hard_link_to_a_lower_file_copies_it_up() {
    let (mut m, l1, _) = two_lowers(true, false);
    let steps = m.perform(&FileOp::Link("/bin/sh".into(), "/bin/bash".into()));
    assert_eq!(*steps[1].rule(), rules::HARDLINK_COPY_UP);
    assert_eq!(*steps.last().unwrap().rule(), rules::HARDLINK_COPY_UP);
    assert_eq!(upper(&m)["/bin/sh"], text("shell"));
    assert_eq!(
        upper(&m)["/bin/bash"],
        Entry::HardLink {
            target: "/bin/sh".into()
        }
    );
    // Both names are one file: a write through one shows through the other.
    m.perform(&FileOp::Append("/bin/bash".into(), data("!")));
    assert_eq!(upper(&m)["/bin/sh"], text("shell!"));
    // Removing the first name leaves the data with the second.
    m.perform(&FileOp::Delete("/bin/sh".into()));
    assert_eq!(upper(&m)["/bin/bash"], text("shell!"));
    assert_eq!(l1.entries()["/bin/sh"], text("shell"));
}

#[test]
fn a_mount_without_upper_is_read_only() {
    let (mut m, _, _) = two_lowers(false, false);
    for op in [
        FileOp::Write("/etc/a".into(), data("x")),
        FileOp::Append("/etc/a".into(), data("x")),
        FileOp::Chmod("/etc/a".into(), 0o600),
        FileOp::SetXattr {
            path: "/etc/a".into(),
            name: "user.k".into(),
            value: "v".into(),
        },
        FileOp::Delete("/etc/a".into()),
        FileOp::Mkdir("/new".into()),
        FileOp::Rename("/etc/a".into(), "/etc/z".into()),
        FileOp::Link("/etc/a".into(), "/etc/z".into()),
    ] {
        let steps = m.perform(&op);
        assert_eq!(rule_ids(&steps), vec![rules::MOUNT_READ_ONLY.id], "{op:?}");
        assert!(steps[0].detail().contains("EROFS"));
    }
    assert!(m.upper().is_none());
    assert_eq!(content(&m, "/etc/a"), "v2");
}

#[test]
fn kernel_errors_for_missing_and_wrong_kinds() {
    let (mut m, _, _) = two_lowers(true, false);
    let cases = [
        (
            FileOp::Read("/nope".into()),
            "ENOENT",
            rules::NO_SUCH_PATH.id,
        ),
        (FileOp::Read("/etc".into()), "EISDIR", rules::WRONG_KIND.id),
        (
            FileOp::List("/etc/a".into()),
            "ENOTDIR",
            rules::WRONG_KIND.id,
        ),
        (FileOp::Mkdir("/etc".into()), "EEXIST", rules::WRONG_KIND.id),
        (
            FileOp::Write("/no/such/file".into(), data("x")),
            "ENOENT",
            rules::NO_SUCH_PATH.id,
        ),
        (
            FileOp::Link("/etc".into(), "/x".into()),
            "EPERM",
            rules::WRONG_KIND.id,
        ),
        (
            FileOp::Rename("/etc".into(), "/etc/sub".into()),
            "EINVAL",
            rules::WRONG_KIND.id,
        ),
    ];
    for (op, errno, rule) in cases {
        let steps = m.perform(&op);
        assert_eq!(steps.len(), 1, "{op:?}");
        assert!(
            steps[0].detail().contains(errno),
            "{op:?}: {}",
            steps[0].detail()
        );
        assert_eq!(steps[0].rule().id, rule);
    }
    assert!(upper(&m).is_empty());
}

#[test]
fn every_rule_speaks_one_sentence_with_a_source() {
    let all = [
        rules::MOUNT_STACK,
        rules::MOUNT_READ_ONLY,
        rules::LOOKUP,
        rules::NON_DIR_HIDES,
        rules::DIR_MERGE,
        rules::NO_SUCH_PATH,
        rules::WRONG_KIND,
        rules::COPY_UP_PARENT,
        rules::COPY_UP_FILE,
        rules::COPY_UP_DIR,
        rules::UPPER_CHANGE,
        rules::CREATE_IN_UPPER,
        rules::WHITEOUT,
        rules::REMOVE_FROM_UPPER,
        rules::RMDIR_WHITEOUT,
        rules::OPAQUE_DIR,
        rules::WHITEOUT_OWN_LAYER,
        rules::RENAME_EXDEV,
        rules::RENAME_REDIRECT,
        rules::RENAME_WHITEOUT,
        rules::RENAME_OPAQUE,
        rules::RENAME_IN_UPPER,
        rules::HARDLINK_COPY_UP,
        rules::READ,
        rules::TAR_WHITEOUT,
        rules::DOCKER_CONTAINER,
        rules::DOCKER_RM,
        rules::LAYER_SHARED,
        rules::LAYER_STORED,
        rules::COMMIT,
        rules::BUILD_FROM,
        rules::BUILD_LAYER,
        rules::BUILD_WORKDIR,
        rules::BUILD_METADATA,
        rules::DELETE_NEVER_SHRINKS,
    ];
    let mut ids: Vec<&str> = all.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "rule ids are unique");
    for r in all {
        assert!(
            r.says.ends_with('.') && r.says.matches(". ").count() == 0,
            "{}",
            r.id
        );
        assert!(!r.source.is_empty());
    }
}
