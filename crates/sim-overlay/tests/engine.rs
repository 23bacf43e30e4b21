//! The engine contract: conformance with and without inputs, what inputs do
//! and refuse, the config's binary form, and the list of rules.

use sim_core::testing::conformance;
use sim_core::{Fact, JsonState, Player};
use sim_overlay::overlay::{Data, FileOp};
use sim_overlay::{load, rules, Config, OverlayFact, OverlayInput, OverlaySim};
use std::collections::BTreeSet;

/// More steps than any of these scenarios takes.
const LIMIT: usize = 100_000;

fn scenario_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../slides/scenarios")
}

/// The shipped overlay scenarios and the crate's test scenarios, by name.
fn scenarios() -> Vec<(String, String)> {
    let mut out = Vec::new();
    // The shipped overlay scenarios, and every test scenario of this crate.
    for (dir, prefix) in [
        (scenario_dir(), "overlay-"),
        (
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data"),
            "",
        ),
    ] {
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".toml") && n.starts_with(prefix))
            .collect();
        files.sort();
        for name in files {
            let src = std::fs::read_to_string(dir.join(&name)).unwrap();
            out.push((name, src));
        }
    }
    out
}

fn config(name: &str) -> (u64, Config) {
    let src = std::fs::read_to_string(scenario_dir().join(name)).unwrap();
    let (header, config) = load(name, &src).unwrap_or_else(|e| panic!("{e}"));
    (header.seed, config)
}

fn file(on: &str, op: FileOp) -> OverlayInput {
    OverlayInput::File {
        on: on.to_string(),
        op,
    }
}

fn text(s: &str) -> Data {
    Data {
        text: s.to_string(),
        size: s.len() as u64,
    }
}

/// The slide-18 mount with a what-if write early on, and at the end the
/// operations the script does not show: errors, deleting an upper-only
/// file, renaming a file, and an upper-only directory renamed over a
/// deleted lower one.
fn mount_inputs() -> Vec<(usize, OverlayInput)> {
    let early = (
        2,
        file("/merged", FileOp::Write("/data/x".into(), text("what if"))),
    );
    let (seed, config) = config("overlay-mount.toml");
    let mut p = Player::new(OverlaySim::new(config), seed);
    p.seek(early.0);
    p.input(early.1.clone()).unwrap();
    p.run_to_end(LIMIT);
    let end = p.position();
    let mut inputs = vec![early];
    inputs.extend(
        [
            FileOp::Read("/missing".into()),
            FileOp::Read("/etc".into()),
            FileOp::Write("/note".into(), text("hi")),
            FileOp::Delete("/note".into()),
            FileOp::Rename("/etc/hosts".into(), "/etc/hosts.bak".into()),
            FileOp::Mkdir("/fresh".into()),
            FileOp::Delete("/etc".into()),
            FileOp::Rename("/fresh".into(), "/etc".into()),
        ]
        .into_iter()
        .map(|op| (end, file("/merged", op))),
    );
    inputs
}

fn played_with(name: &str, inputs: &[(usize, OverlayInput)]) -> Player<OverlaySim> {
    let (seed, config) = config(name);
    let mut p = Player::new(OverlaySim::new(config), seed);
    for (at, input) in inputs {
        p.seek(*at);
        p.input(input.clone())
            .unwrap_or_else(|e| panic!("{input:?}: {e}"));
    }
    p.run_to_end(LIMIT);
    p
}

#[test]
fn every_shipped_scenario_conforms_and_the_mount_replays_its_inputs() {
    for (name, _) in scenarios()
        .iter()
        .filter(|(n, _)| n.starts_with("overlay-"))
    {
        let (seed, config) = config(name);
        conformance(
            || Player::new(OverlaySim::new(config.clone()), seed),
            &[],
            LIMIT,
        );
    }
    let (seed, config) = config("overlay-mount.toml");
    conformance(
        || Player::new(OverlaySim::new(config.clone()), seed),
        &mount_inputs(),
        LIMIT,
    );
}

#[test]
fn an_input_is_planned_with_the_rules_of_the_same_scripted_action() {
    let inputs = mount_inputs();
    let p = played_with("overlay-mount.toml", &inputs);
    let end = inputs.last().unwrap().0;
    let (seed, config) = config("overlay-mount.toml");
    let mut plain = Player::new(OverlaySim::new(config), seed);
    plain.seek(2);
    plain.input(inputs[0].1.clone()).unwrap();
    plain.run_to_end(LIMIT);
    // Planning the same operations on the mount as it was at the end gives
    // the same steps as the inputs did, in order.
    let mut mount = plain.sim().mount("/merged").unwrap().clone();
    let expected: Vec<String> = inputs[1..]
        .iter()
        .flat_map(|(_, input)| match input {
            OverlayInput::File { op, .. } => mount.perform(op),
            OverlayInput::DockerRm { .. } => Vec::new(),
        })
        .map(|s| s.detail())
        .collect();
    let given: Vec<String> = p.trace()[end..].iter().map(|e| e.fact.detail()).collect();
    assert_eq!(given, expected);
    let ids: BTreeSet<&str> = p.trace()[end..].iter().map(|e| e.fact.rule().id).collect();
    for rule in [
        &rules::NO_SUCH_PATH,
        &rules::WRONG_KIND,
        &rules::REMOVE_FROM_UPPER,
        &rules::RENAME_IN_UPPER,
        &rules::RENAME_OPAQUE,
    ] {
        assert!(ids.contains(rule.id), "{} missing from {ids:?}", rule.id);
    }
    // The early what-if write comes right after step 2, then the script goes on.
    let early: Vec<(&str, String)> = p.trace()[2..5]
        .iter()
        .map(|e| (e.fact.kind(), e.fact.object()))
        .collect();
    assert_eq!(
        early,
        vec![
            ("copy-up-parent", "/merged/data".to_string()),
            ("copy-up", "/merged/data/x".to_string()),
            ("write", "/merged/data/x".to_string()),
        ]
    );
    // The directory renamed over the deleted /etc hides the lower one.
    let merged = p.sim().merged_view("/merged").unwrap();
    assert!(matches!(
        &merged["/etc"].entry,
        sim_overlay::layer::Entry::Dir { opaque: true, .. }
    ));
    assert!(!merged.contains_key("/etc/hosts.bak"));
}

#[test]
fn an_input_waits_for_the_steps_already_planned() {
    let (seed, config) = config("overlay-mount.toml");
    let mut p = Player::new(OverlaySim::new(config), seed);
    // Stop inside the first append: its parent was copied up, the file not yet.
    while p
        .forward()
        .is_some_and(|e| e.fact.kind() != "copy-up-parent")
    {}
    let at = p.position();
    p.input(file("/merged", FileOp::Read("/etc/a".into())))
        .unwrap();
    p.run_to_end(LIMIT);
    let kinds: Vec<&str> = p.trace()[at..at + 3]
        .iter()
        .map(|e| e.fact.kind())
        .collect();
    assert_eq!(kinds, vec!["copy-up", "append", "read"]);
    let read = p.trace()[at + 2].fact.detail();
    assert!(read.contains("from upper"), "{read}");
}

#[test]
fn refused_inputs_say_why_and_change_nothing() {
    let (seed, config) = config("overlay-containers.toml");
    let mut p = Player::new(OverlaySim::new(config.clone()), seed);
    p.seek(7);
    let before = p.sim().state_json(p.now());
    let refused = [
        (
            file("/nowhere", FileOp::Read("/etc".into())),
            "is not mounted",
        ),
        (
            file("web-1", FileOp::Read("etc".into())),
            "must be absolute",
        ),
        (
            file("web-1", FileOp::Chmod("/etc".into(), 0o17777)),
            "invalid mode",
        ),
        (
            file(
                "web-1",
                FileOp::SetXattr {
                    path: "/etc".into(),
                    name: "trusted.overlay.opaque".into(),
                    value: "y".into(),
                },
            ),
            "overlayfs' own",
        ),
        (
            OverlayInput::DockerRm {
                container: "web-9".into(),
            },
            "unknown container `web-9`: expected one of [`web-1`, `web-2`, `web-3`]",
        ),
    ];
    for (input, why) in refused {
        let e = p.input(input.clone()).unwrap_err();
        assert!(e.0.contains(why), "{input:?}: {e}");
    }
    assert_eq!(p.sim().state_json(p.now()), before);
    assert!(p.inputs().is_empty());
    p.run_to_end(LIMIT);
    let mut fresh = Player::new(OverlaySim::new(config), seed);
    fresh.run_to_end(LIMIT);
    assert_eq!(p.to_trace().to_json(), fresh.to_trace().to_json());
}

#[test]
fn docker_rm_as_an_input_removes_only_the_container_layer() {
    let rm = OverlayInput::DockerRm {
        container: "web-3".into(),
    };
    let p = played_with("overlay-containers.toml", &[(7, rm)]);
    let step = &p.trace()[7].fact;
    assert_eq!(step.rule().id, rules::DOCKER_RM.id);
    assert_eq!(step.object(), "container web-3");
    assert!(
        step.detail().contains("still used by web-1, web-2"),
        "{}",
        step.detail()
    );
    assert!(p.sim().mount("web-3").is_none());
    assert!(p.sim().mount("web-1").is_some());
    // The script's later read in web-3 has nothing to read from.
    assert!(p
        .trace()
        .iter()
        .all(|e| !e.fact.object().starts_with("web-3:")));
}

#[test]
fn inputs_read_back_from_the_json_the_runner_gives() {
    let input = file("/merged", FileOp::Rename("/a".into(), "/b".into()));
    let json = serde_json::to_string(&input).unwrap();
    assert_eq!(
        json,
        r#"{"file":{"on":"/merged","op":{"rename":["/a","/b"]}}}"#
    );
    let back: OverlayInput = serde_json::from_str(&json).unwrap();
    assert_eq!(back, input);
    let rm: OverlayInput = serde_json::from_str(r#"{"docker-rm":{"container":"web-2"}}"#).unwrap();
    assert_eq!(
        rm,
        OverlayInput::DockerRm {
            container: "web-2".into()
        }
    );
}

#[test]
fn a_config_survives_its_binary_form_and_runs_the_same() {
    for (name, src) in scenarios() {
        let (header, config) = load(&name, &src).unwrap_or_else(|e| panic!("{e}"));
        let bytes = postcard::to_allocvec(&config).unwrap();
        let back: Config = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, config, "{name}");
        let run = |config: Config| {
            let mut p = Player::new(OverlaySim::new(config), header.seed);
            p.run_to_end(LIMIT);
            p.to_trace().to_json()
        };
        assert_eq!(run(back), run(config), "{name}");
    }
}

#[test]
fn a_config_naming_what_it_does_not_define_runs_without_panicking() {
    let (seed, mut config) = config("overlay-containers.toml");
    config.layers.clear();
    config.bases.push(sim_overlay::BaseImage {
        name: "ghost".into(),
        layers: vec!["no-such-layer".into()],
    });
    config
        .script
        .insert(0, sim_overlay::Action::Build("nothing".into()));
    let mut p = Player::new(OverlaySim::new(config), seed);
    assert!(p.run_to_end(LIMIT));
}

#[test]
fn rule_ids_are_unique_and_every_rule_is_produced_by_a_scenario() {
    let ids: Vec<&str> = rules::ALL.iter().map(|r| r.id).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate rule ids in {ids:?}");
    let mut produced = BTreeSet::new();
    let mut record = |p: &Player<OverlaySim>| {
        for e in p.trace() {
            let rule = e.fact.rule();
            assert!(
                rules::ALL.contains(&rule),
                "{} is not in rules::ALL",
                rule.id
            );
            produced.insert(rule.id);
        }
    };
    for (name, src) in scenarios() {
        let (header, config) = load(&name, &src).unwrap_or_else(|e| panic!("{e}"));
        let mut p = Player::new(OverlaySim::new(config), header.seed);
        p.run_to_end(LIMIT);
        record(&p);
    }
    record(&played_with("overlay-mount.toml", &mount_inputs()));
    let never: Vec<&str> = ids
        .into_iter()
        .filter(|id| !produced.contains(id))
        .collect();
    assert!(never.is_empty(), "no scenario produces {never:?}");
}

#[test]
fn a_listing_of_a_container_shows_where_each_entry_comes_from() {
    let p = played_with("overlay-containers.toml", &[]);
    let listing = p.sim().listing("web-4", "/var/log").unwrap();
    let names: Vec<(&str, &str)> = listing
        .iter()
        .map(|(n, s)| (n.as_str(), s.from.as_str()))
        .collect();
    assert_eq!(names, vec![("app.log", "commit of web-1")]);
    assert_eq!(p.sim().listing("web-2", "/"), None, "web-2 was removed");
    let layers: Vec<&str> = p.sim().layers().map(|(id, _)| id).collect();
    assert!(!layers.is_empty());
    let mounts: Vec<&str> = p.sim().mounts().map(|(n, _)| n).collect();
    assert_eq!(mounts, vec!["web-1", "web-3", "web-4"]);
}

#[test]
fn facts_name_their_rule_kind_and_object() {
    let p = played_with("overlay-mount.toml", &[]);
    let first = &p.trace()[0].fact;
    assert!(matches!(first, OverlayFact::Mounted { writable: true, .. }));
    assert_eq!(
        (first.rule().id, first.kind(), first.object()),
        (rules::MOUNT_STACK.id, "mount", "/merged".to_string())
    );
    assert_eq!(
        first.detail(),
        "mounts overlay read-write at /merged: top lower l2, bottom lower l1"
    );
}

/// Each container's directory id and each stored layer's directory id and
/// link, by container name or layer digest.
fn ids_of(seed: u64, config: Config) -> Vec<(String, String)> {
    let mut p = Player::new(OverlaySim::new(config), seed);
    p.run_to_end(LIMIT);
    let sim = p.sim();
    let mut ids: Vec<(String, String)> = sim
        .mounts()
        .filter_map(|(name, r)| {
            let c = r.container.as_ref()?;
            Some((name.to_string(), c.cache_id.clone()))
        })
        .collect();
    ids.extend(sim.store().map(|s| {
        (
            s.layer.digest().to_string(),
            format!("{} {}", s.cache_id, s.link),
        )
    }));
    ids
}

#[test]
fn ids_come_from_per_entity_streams() {
    let (seed, config) = config("overlay-containers.toml");
    let plain = ids_of(seed, config.clone());
    // One more container before the others changes no other id.
    let mut more = config.clone();
    let first_run = more
        .script
        .iter()
        .position(|a| matches!(a, sim_overlay::Action::Run { .. }))
        .unwrap();
    more.script.insert(
        first_run,
        sim_overlay::Action::Run {
            image: "ubuntu:15.04".into(),
            container: "extra".into(),
        },
    );
    let with_extra = ids_of(seed, more);
    for id in &plain {
        assert!(with_extra.contains(id), "{id:?} changed");
    }
    assert_eq!(with_extra.len(), plain.len() + 1);
    // The same seed gives the same ids; another seed other ones.
    assert_eq!(ids_of(seed, config.clone()), plain);
    let other = ids_of(seed + 1, config.clone());
    assert!(plain.iter().all(|id| !other.contains(id)));
    // A container created again under a removed one's name gets a new directory.
    let mut again = config;
    again.script.push(sim_overlay::Action::Run {
        image: "ubuntu:15.04".into(),
        container: "web-2".into(),
    });
    let mut p = Player::new(OverlaySim::new(again), seed);
    p.run_to_end(LIMIT);
    let dirs: Vec<String> = p
        .trace()
        .iter()
        .filter_map(|e| match &e.fact {
            OverlayFact::ContainerRun {
                container,
                cache_id,
                ..
            } if container == "web-2" => Some(cache_id.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(dirs.len(), 2);
    assert_ne!(dirs[0], dirs[1]);
}

#[test]
fn every_file_operation_has_the_json_name_the_input_docs_give() {
    let d = text("hi");
    let ops = [
        (FileOp::Read("/a".into()), "read"),
        (FileOp::List("/".into()), "list"),
        (FileOp::Write("/a".into(), d.clone()), "write"),
        (FileOp::Append("/a".into(), d), "append"),
        (FileOp::Chmod("/a".into(), 0o600), "chmod"),
        (
            FileOp::SetXattr {
                path: "/a".into(),
                name: "user.k".into(),
                value: "v".into(),
            },
            "set-xattr",
        ),
        (FileOp::Delete("/a".into()), "delete"),
        (FileOp::Mkdir("/a".into()), "mkdir"),
        (FileOp::Rename("/a".into(), "/b".into()), "rename"),
        (FileOp::Link("/a".into(), "/b".into()), "link"),
    ];
    for (op, name) in ops {
        let json = serde_json::to_value(&op).unwrap();
        assert!(json.get(name).is_some(), "{op:?} is {json}");
    }
}
