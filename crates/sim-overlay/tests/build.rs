//! Dockerfile builds through a scenario: which instructions add layers, what
//! the metadata becomes, and that builds on one base share its layers.

use sim_core::{Fact, Player};
use sim_overlay::{load, OverlaySim};
use std::sync::Arc;

/// More steps than any of these scenarios takes.
const LIMIT: usize = 100_000;

/// Every kind of instruction, two images on one base.
const SRC: &str = include_str!("data/build-all.toml");

fn run() -> Player<OverlaySim> {
    let (_, config) = load("all.toml", SRC).unwrap_or_else(|e| panic!("{e}"));
    let sim = OverlaySim::new(config);
    let mut p = Player::new(sim, 0);
    assert!(p.run_to_end(LIMIT));
    p
}

#[test]
fn only_run_copy_add_and_workdir_make_layers() {
    let p = run();
    let image = p.sim().image("all").unwrap();
    let names: Vec<&str> = image.layers.iter().map(|l| l.name()).collect();
    assert_eq!(
        names,
        vec![
            "base",
            "WORKDIR /srv",
            "WORKDIR app",
            "ADD site.tar /srv/app/",
            "COPY conf /etc/conf",
            "RUN apt-get install -y x"
        ]
    );
    // /srv exists in the base: WORKDIR /srv makes an empty layer; app is new.
    assert!(image.layers[1].entries().is_empty());
    assert!(image.layers[2].entries().contains_key("/srv/app"));
    let rules: Vec<(&str, &str)> = p
        .trace()
        .iter()
        .filter(|e| e.fact.object() == "image all")
        .map(|e| (e.fact.kind(), e.fact.rule().id))
        .collect();
    let expected = [
        ("metadata", "build.metadata"),
        ("from", "build.from"),
        ("metadata", "build.metadata"),
        ("metadata", "build.metadata"),
        ("metadata", "build.metadata"),
        ("metadata", "build.metadata"),
        ("layer", "build.workdir"),
        ("layer", "build.workdir"),
        ("metadata", "build.metadata"),
        ("layer", "build.layer"),
        ("layer", "build.layer"),
        ("layer", "build.layer"),
    ];
    assert_eq!(rules, expected);
}

#[test]
fn metadata_lands_in_the_image_config() {
    let p = run();
    let config = &p.sim().image("all").unwrap().config;
    assert_eq!(config.args["VERSION"], "1");
    assert_eq!(config.env["MODE"], "prod");
    assert_eq!(config.env["LEVEL"], "3");
    assert_eq!(config.user, "app");
    let ports: Vec<&str> = config.exposed_ports.iter().map(String::as_str).collect();
    assert_eq!(ports, vec!["53/udp", "80/tcp"]);
    assert_eq!(config.entrypoint, vec!["/bin/sh", "-c"]);
    assert_eq!(config.workdir, "/");
}

#[test]
fn images_built_on_one_base_share_its_layer() {
    let p = run();
    let all = p.sim().image("all").unwrap();
    let other = p.sim().image("other").unwrap();
    assert!(Arc::ptr_eq(&all.layers[0], &other.layers[0]));
    // base and the 5 layers of `all`; `other` adds nothing: its base is
    // stored, and its empty `RUN true` layer on that base has the same chain
    // ID as the empty `WORKDIR /srv` layer of `all`.
    assert_eq!(p.sim().stored_layers(), 6);
    assert_eq!(other.chain_ids()[1], all.chain_ids()[1]);
    let shared = p
        .trace()
        .iter()
        .filter(|e| e.fact.kind() == "shared")
        .count();
    assert_eq!(shared, 0, "a base already pulled is not pulled again");
    let pulls = p
        .trace()
        .iter()
        .filter(|e| e.fact.detail().starts_with("FROM pulls"))
        .count();
    assert_eq!(pulls, 1);
}
