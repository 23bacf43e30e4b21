//! The shipped `overlay-*.toml` scenarios: they load, run deterministically,
//! and show what their slide teaches.

use sim_core::{Fact, JsonState, Player};
use sim_overlay::layer::Entry;
use sim_overlay::{load, OverlaySim};
use std::sync::Arc;

/// More steps than any of these scenarios takes.
const LIMIT: usize = 100_000;

fn scenario_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../slides/scenarios")
}

fn shipped() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(scenario_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("overlay-") && n.ends_with(".toml"))
        .map(|n| {
            let src = std::fs::read_to_string(scenario_dir().join(&n)).unwrap();
            (n, src)
        })
        .collect();
    files.sort();
    files
}

fn played(name: &str) -> Player<OverlaySim> {
    let src = std::fs::read_to_string(scenario_dir().join(name)).unwrap();
    let (header, config) = load(name, &src).unwrap_or_else(|e| panic!("{e}"));
    let sim = OverlaySim::new(config);
    let mut p = Player::new(sim, header.seed);
    assert!(p.run_to_end(LIMIT));
    p
}

/// The position just after the first step whose kind and detail match.
fn after(p: &Player<OverlaySim>, kind: &str, detail: &str) -> usize {
    p.trace()
        .iter()
        .position(|e| e.fact.kind() == kind && e.fact.detail().contains(detail))
        .unwrap_or_else(|| panic!("no {kind} step with {detail:?}"))
        + 1
}

#[test]
fn every_shipped_scenario_loads_and_replays_byte_for_byte() {
    let files = shipped();
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "overlay-containers.toml",
            "overlay-dockerfile.toml",
            "overlay-mount.toml",
            "overlay-storage-driver.toml"
        ]
    );
    let mut slides = Vec::new();
    for (name, src) in &files {
        let (header, config) = load(name, src).unwrap_or_else(|e| panic!("{e}"));
        let sim = OverlaySim::new(config);
        assert_eq!(header.simulator, "overlay");
        assert!(!header.title.is_empty() && !header.description.is_empty());
        slides.extend(header.slides.iter().copied());
        // Determinism and seeking are the conformance kit's (tests/engine.rs).
        let mut p = Player::new(sim.clone(), header.seed);
        assert!(p.run_to_end(LIMIT), "{name} finishes");
        let full = p.to_trace();
        assert!(full.steps.len() >= 8, "{name} is a real figure");
        // Another seed changes only the random overlay2 directory names.
        let mut other = Player::new(sim.clone(), header.seed + 1);
        other.run_to_end(LIMIT);
        assert_eq!(other.trace().len(), full.steps.len());
    }
    slides.sort_unstable();
    assert_eq!(slides, vec![15, 16, 17, 18]);
}

#[test]
fn slide_16_the_seed_dockerfile_adds_three_layers_and_rm_never_shrinks() {
    let mut p = played("overlay-dockerfile.toml");
    let end = p.position();
    let image = p.sim().image("myapp:latest").unwrap().clone();
    assert_eq!(
        image.layers.len(),
        1 + 3,
        "the base layer plus COPY, RUN, RUN"
    );
    let made: Vec<&str> = image.layers.iter().map(|l| l.name()).collect();
    assert_eq!(
        made,
        vec![
            "ubuntu:22.04 rootfs",
            "COPY . /app",
            "RUN make /app",
            "RUN rm -r $HOME/.cache"
        ]
    );
    let metadata: Vec<bool> = image.history.iter().map(|h| h.empty_layer).collect();
    assert_eq!(metadata, vec![false, true, false, false, false, true]);
    assert_eq!(
        image.config.labels["org.opencontainers.image.authors"],
        "org@example.com"
    );
    assert_eq!(
        image.config.cmd,
        vec!["/bin/sh", "-c", "python /app/app.py"]
    );

    let size_after = |p: &mut Player<OverlaySim>, at: usize| {
        p.seek(at);
        let i = p.sim().image("myapp:latest").unwrap();
        (i.size(), i.visible_bytes(), i.layers.len())
    };
    let before_rm = after(&p, "layer", "RUN make /app");
    let after_rm = after(&p, "layer", "RUN rm -r");
    let (size_before, visible_before, layers_before) = size_after(&mut p, before_rm);
    let (size_rm, visible_rm, layers_rm) = size_after(&mut p, after_rm);
    assert_eq!(layers_rm, layers_before + 1);
    assert_eq!(size_rm, size_before, "deleting never shrinks the image");
    assert!(visible_rm < visible_before, "but the files are hidden");
    let cache: u64 = 52428800 + 10485760;
    assert_eq!(visible_before - visible_rm, cache);
    p.seek(end);
    let shrink = &p.trace()[after_rm];
    assert_eq!(shrink.fact.rule().id, "build.delete-never-shrinks");
    // The LABEL step added no layer.
    let label = after(&p, "metadata", "LABEL");
    p.seek(label - 1);
    let n = p.sim().image("myapp:latest").unwrap().layers.len();
    p.seek(label);
    assert_eq!(p.sim().image("myapp:latest").unwrap().layers.len(), n);
}

#[test]
fn slide_17_containers_share_lowers_and_keep_separate_uppers() {
    let mut p = played("overlay-containers.toml");
    let runs = after(&p, "run", "runs web-3");
    let copied = after(&p, "append", "");
    let removed = after(&p, "rm", "still used by web-1, web-3");
    let tar = after(&p, "tar", "");
    let total = p.position();
    assert!(p.trace()[tar - 1]
        .fact
        .detail()
        .contains("var/log/.wh.dpkg.log"));
    p.seek(runs);
    let image = p.sim().image("ubuntu:15.04").unwrap().clone();
    for c in ["web-1", "web-2", "web-3"] {
        let lowers = p.sim().lowers_of(c).unwrap();
        assert_eq!(lowers.len(), 4);
        for (lower, layer) in lowers.iter().zip(image.layers.iter().rev()) {
            assert!(Arc::ptr_eq(lower, layer), "{c} shares the image's layer");
        }
        assert!(p.sim().mount(c).unwrap().upper().unwrap().is_empty());
    }
    p.seek(copied);
    let web1 = p.sim().mount("web-1").unwrap();
    assert!(
        matches!(&web1.upper().unwrap()["/etc/motd"], Entry::File { content, .. } if content.ends_with("(web-1)"))
    );
    for c in ["web-2", "web-3"] {
        assert!(p.sim().mount(c).unwrap().upper().unwrap().is_empty(), "{c}");
    }
    let stored = p.sim().stored_layers();
    p.seek(removed);
    assert!(p.sim().mount("web-2").is_none());
    assert!(p.sim().mount("web-1").is_some() && p.sim().mount("web-3").is_some());
    assert_eq!(p.sim().stored_layers(), stored, "image layers stay");
    assert_eq!(p.sim().image("ubuntu:15.04").unwrap(), &image);
    p.seek(total);
    let snapshot = p.sim().image("web:snapshot").unwrap();
    assert_eq!(snapshot.layers.len(), 5);
    assert_eq!(snapshot.layers[..4], image.layers[..]);
}

#[test]
fn slide_15_a_shared_base_layer_is_stored_once() {
    let p = played("overlay-storage-driver.toml");
    assert_eq!(
        p.sim().stored_layers(),
        3,
        "ubuntu, python and nginx layers"
    );
    let shared: Vec<_> = p
        .trace()
        .iter()
        .filter(|e| e.fact.kind() == "shared")
        .collect();
    assert_eq!(shared.len(), 2);
    assert!(shared
        .iter()
        .all(|e| e.fact.rule().id == "overlay2.layer.shared"));
    let state = p.sim().state_json(p.now());
    let store = state["store"].as_object().unwrap();
    let lowers: Vec<&str> = store
        .values()
        .map(|l| l["lower"].as_str().unwrap())
        .collect();
    let ubuntu_link = store
        .values()
        .find(|l| l["name"] == "ubuntu:22.04 rootfs")
        .unwrap()["link"]
        .as_str()
        .unwrap();
    assert_eq!(ubuntu_link.len(), 26);
    assert_eq!(
        lowers
            .iter()
            .filter(|l| **l == format!("l/{ubuntu_link}"))
            .count(),
        2,
        "python and nginx layers both sit on the one ubuntu layer"
    );
    assert!(store
        .keys()
        .all(|k| k.starts_with("/var/lib/docker/overlay2/")));
}

#[test]
fn slide_18_the_mount_shows_every_overlay_rule() {
    let p = played("overlay-mount.toml");
    let rules: Vec<&str> = p.trace().iter().map(|e| e.fact.rule().id).collect();
    for id in [
        "overlay.mount.stack",
        "overlay.lookup.dir-merge",
        "overlay.lookup.non-dir-hides",
        "overlay.copy-up.parents",
        "overlay.copy-up.file",
        "overlay.copy-up.dir",
        "overlay.upper.change",
        "overlay.delete.whiteout",
        "overlay.delete.rmdir",
        "overlay.opaque-dir",
        "overlay.link.copy-up",
        "overlay.rename.exdev",
        "overlay.rename.redirect",
        "overlay.rename.whiteout",
        "overlay.mount.read-only",
    ] {
        assert!(rules.contains(&id), "missing {id}");
    }
    let copy_ups = p
        .trace()
        .iter()
        .filter(|e| e.fact.kind() == "copy-up" && e.fact.object() == "/merged/etc/a")
        .count();
    assert_eq!(copy_ups, 1, "the whole file is copied up once");
    let state = p.sim().state_json(p.now());
    assert_eq!(
        state["mounts"]["/merged"]["upper"]["/etc/b"]["type"],
        "whiteout"
    );
    assert_eq!(state["mounts"]["/merged"]["upper"]["/data"]["opaque"], true);
    assert_eq!(
        state["mounts"]["/merged"]["merged"]["/etc/a"]["entry"]["content"],
        "v2+1+2"
    );
    assert_eq!(state["mounts"]["/readonly"]["read_only"], true);
}

#[test]
fn a_whiteout_never_hides_files_of_its_own_layer() {
    let src = r#"
[scenario]
title = "own layer"
simulator = "overlay"

[[layer]]
id = "low"
files = [{ path = "/d/x", content = "x" }, { path = "/f", content = "old" }]

[[layer]]
id = "high"
whiteouts = ["/d", "/f"]
files = [{ path = "/d/y", content = "y" }, { path = "/f", content = "new" }]

[[action]]
op = "mount"
target = "/m"
options = "lowerdir=high:low"

[[action]]
op = "ls"
on = "/m"
path = "/d"

[[action]]
op = "cat"
on = "/m"
path = "/f"
"#;
    let (_, config) = load("own.toml", src).unwrap();
    let sim = OverlaySim::new(config);
    let mut p = Player::new(sim, 0);
    p.run_to_end(LIMIT);
    let details: Vec<String> = p.trace().iter().map(|e| e.fact.detail()).collect();
    assert!(details[1].contains("[y (high)]"), "{details:?}");
    assert!(details[2].contains("\"new\""), "{details:?}");
}

#[test]
fn layer_file_xattrs_are_copied_up_and_shown_in_the_state() {
    let src = r#"
[scenario]
title = "xattrs"
simulator = "overlay"

[[layer]]
id = "low"
files = [{ path = "/etc/a", content = "v1", xattrs = { "user.origin" = "base" } }]

[[action]]
op = "mount"
target = "/m"
options = "lowerdir=low,upperdir=/u,workdir=/w"

[[action]]
op = "setxattr"
on = "/m"
path = "/etc/a"
xattr = "user.note"
value = "edited"
"#;
    let (_, config) = load("xattrs.toml", src).unwrap();
    let sim = OverlaySim::new(config);
    let mut p = Player::new(sim, 0);
    p.run_to_end(LIMIT);
    let kinds: Vec<&str> = p.trace().iter().map(|e| e.fact.kind()).collect();
    assert_eq!(
        kinds,
        vec!["mount", "copy-up-parent", "copy-up", "setxattr"]
    );
    let state = p.sim().state_json(p.now());
    let upper = &state["mounts"]["/m"]["upper"]["/etc/a"]["xattrs"];
    assert_eq!(upper["user.origin"], "base");
    assert_eq!(upper["user.note"], "edited");
    let merged = &state["mounts"]["/m"]["merged"]["/etc/a"]["entry"]["xattrs"];
    assert_eq!(merged["user.note"], "edited");
    let lower = p.sim().lowers_of("/m").unwrap()[0].entries()["/etc/a"].clone();
    assert_eq!(
        lower.xattrs().unwrap().len(),
        1,
        "the lower file keeps only its own xattr"
    );
}

#[test]
fn slide_17_a_committed_layer_whiteout_hides_only_the_layers_below() {
    let p = played("overlay-containers.toml");
    let listing = p
        .trace()
        .iter()
        .find(|e| e.fact.object() == "web-4:/var/log")
        .expect("web-4 lists /var/log");
    assert_eq!(listing.fact.rule().id, "overlay.whiteout.own-layer");
    assert!(
        listing
            .fact
            .detail()
            .contains("[app.log (commit of web-1)]"),
        "{}",
        listing.fact.detail()
    );
}

#[test]
fn shipped_traces_match_the_golden_digests() {
    let golden = std::fs::read_to_string(scenario_dir().join("digests.txt")).unwrap();
    for (name, src) in shipped() {
        let (header, config) = load(&name, &src).unwrap_or_else(|e| panic!("{e}"));
        let mut p = Player::new(OverlaySim::new(config), header.seed);
        assert!(p.run_to_end(LIMIT), "{name} finishes");
        let line = format!(
            "{name} seed={} steps={} digest={}",
            header.seed,
            p.position(),
            p.to_trace().digest()
        );
        assert!(
            golden.lines().any(|l| l == line),
            "{line} is not in digests.txt (re-bless with the runner's `digest` command if the change is deliberate)"
        );
    }
}
