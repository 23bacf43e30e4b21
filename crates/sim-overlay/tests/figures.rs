//! What the live figures of slides 15-18 read: the script position that
//! click points count, the knobs what-if parameters turn, and the typed
//! accessors the drawings use.

use sim_core::scenario::Header;
use sim_core::{Fact, Player, Simulation, Timeline, Tunable};
use sim_overlay::image::BuildNote;
use sim_overlay::layer::Entry;
use sim_overlay::{load, Config, OverlayFact, OverlaySim};

/// More steps than any of these scenarios takes.
const LIMIT: usize = 100_000;

fn repo() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scenario(name: &str) -> (Header, Config) {
    let src = std::fs::read_to_string(repo().join("slides/scenarios").join(name)).unwrap();
    load(name, &src).unwrap_or_else(|e| panic!("{e}"))
}

/// A player of `config` at its end, and the step each click shows.
fn clicked(header: &Header, config: Config) -> (Player<OverlaySim>, Vec<usize>) {
    let mut player = Player::new(OverlaySim::new(config), header.seed);
    let timeline = Timeline::record(&mut player, LIMIT);
    (player, timeline.click_steps(&header.clicks))
}

/// The lines of the slide's code block opened by `fence`, and its click
/// steps (`{all|3|4}` gives `["all", "3", "4"]`).
fn code_block(fence: &str) -> (Vec<String>, Vec<String>) {
    let deck = std::fs::read_to_string(repo().join("slides/slides.md")).unwrap();
    let start = deck.find(fence).expect("the slide's code block");
    let header = &deck[start..deck[start..].find('\n').unwrap() + start];
    let steps = header
        .split('{')
        .nth(1)
        .and_then(|s| s.strip_suffix('}'))
        .unwrap()
        .split('|')
        .map(str::to_string)
        .collect();
    let body = &deck[start + header.len() + 1..];
    let lines = body
        .lines()
        .take_while(|l| !l.starts_with("```"))
        .map(str::to_string)
        .collect();
    (lines, steps)
}

/// The instructions whose build steps ran in `steps` of the trace.
fn built(player: &Player<OverlaySim>, steps: std::ops::Range<usize>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for event in &player.trace()[steps] {
        if let OverlayFact::Build { instruction, .. } = &event.fact {
            if out.last() != Some(instruction) {
                out.push(instruction.clone());
            }
        }
    }
    out
}

#[test]
fn slide_16_each_click_builds_exactly_the_instruction_the_code_highlights() {
    let (header, config) = scenario("overlay-dockerfile.toml");
    let (lines, highlights) = code_block("```dockerfile {");
    let (player, click_steps) = clicked(&header, config);
    assert_eq!(
        highlights.len(),
        click_steps.len(),
        "one click point per highlight step"
    );
    assert_eq!(highlights[0], "all");
    assert_eq!(click_steps[0], 0, "click 0: nothing built yet");
    for k in 1..click_steps.len() {
        let line: usize = highlights[k].parse().unwrap();
        let highlighted = lines[line - 1].trim();
        assert_eq!(
            built(&player, click_steps[k - 1]..click_steps[k]),
            vec![highlighted.to_string()],
            "click {k} builds line {line}"
        );
    }
    // Each instruction is one unit, FROM's pull and RUN rm's size check included.
    let units: Vec<usize> = {
        let mut p = Player::new(OverlaySim::new(scenario("overlay-dockerfile.toml").1), 0);
        let mut out = Vec::new();
        while p.forward().is_some() {
            out.push(p.sim().script_position());
        }
        out
    };
    assert_eq!(units.first(), Some(&1));
    assert_eq!(units.iter().max(), Some(&8), "six instructions, run and ls");
    assert!(units.windows(2).all(|w| w[0] <= w[1]), "it never decreases");
}

#[test]
fn figure_slides_click_points_stop_where_their_names_say() {
    let (header, config) = scenario("overlay-containers.toml");
    let (mut player, steps) = clicked(&header, config);
    player.seek(steps[1]);
    let containers: Vec<&str> = player
        .sim()
        .mounts()
        .filter(|(_, r)| r.container.is_some())
        .map(|(n, _)| n)
        .collect();
    assert_eq!(containers, vec!["web-1", "web-2", "web-3"]);
    assert!(player
        .sim()
        .mount("web-1")
        .unwrap()
        .upper()
        .unwrap()
        .is_empty());
    player.seek(steps[2]);
    let upper = player.sim().mount("web-1").unwrap().upper_entries();
    assert!(upper.iter().any(|e| e.path == "/etc/motd" && e.over_lower));

    let (header, config) = scenario("overlay-mount.toml");
    let (mut player, steps) = clicked(&header, config);
    player.seek(steps[5]);
    let last = player.trace()[steps[5] - 1].fact.detail();
    assert!(last.contains("EXDEV"), "{last}");
}

#[test]
fn the_size_knob_reads_sets_and_refuses_and_the_build_tells_the_new_sizes() {
    let (header, config) = scenario("overlay-dockerfile.toml");
    let knob = "size /root/.cache/ccache/0/objects in RUN make /app";
    assert_eq!(config.knob(knob), Ok(52_428_800));
    let mut bigger = config.clone();
    bigger.set_knob(knob, 100_000_000).unwrap();
    assert_eq!(bigger.knob(knob), Ok(100_000_000));
    let size_at_end = |config: Config| {
        let (mut player, steps) = clicked(&header, config);
        player.seek(*steps.last().unwrap());
        let image = player.sim().image("myapp:latest").unwrap().clone();
        let still = player
            .trace()
            .iter()
            .find(|e| e.fact.kind() == "size")
            .map(|e| e.fact.detail())
            .unwrap();
        (image.size(), image.visible_bytes(), still)
    };
    let (size, visible, _) = size_at_end(config.clone());
    let (big_size, big_visible, still) = size_at_end(bigger);
    assert_eq!(
        big_size - size,
        100_000_000 - 52_428_800,
        "the rm layer frees nothing"
    );
    assert_eq!(
        big_visible, visible,
        "what a container sees does not change"
    );
    assert!(
        still.contains(&format!("still {big_size} bytes")),
        "{still}"
    );

    let mut refused = config.clone();
    let e = refused.set_knob(knob, -1).unwrap_err();
    assert!(e.contains("0 or more"), "{e}");
    let e = refused
        .set_knob("size /nope in RUN make /app", 5)
        .unwrap_err();
    assert_eq!(e, "layer `RUN make /app` has no file `/nope`");
    let e = refused.knob("size /etc/a in nowhere").unwrap_err();
    assert!(e.contains("no layer `nowhere`"), "{e}");
    let e = refused.knob("colour").unwrap_err();
    assert!(e.contains("no knob `colour`"), "{e}");
    assert_eq!(refused, config, "a refusal changes nothing");

    // A base layer's file: the FROM step's bytes follow it.
    let (header, config) = scenario("overlay-dockerfile.toml");
    let from_bytes = |config: Config| {
        let (player, _) = clicked(&header, config);
        player
            .trace()
            .iter()
            .find_map(|e| match &e.fact {
                OverlayFact::Build {
                    note: BuildNote::From { bytes, .. },
                    ..
                } => Some(*bytes),
                _ => None,
            })
            .unwrap()
    };
    let knob = "size /bin/bash in ubuntu:22.04 rootfs";
    let mut base = config.clone();
    base.set_knob(knob, 10).unwrap();
    let was = u64::try_from(config.knob(knob).unwrap()).unwrap();
    assert_eq!(from_bytes(base), from_bytes(config) - was + 10);
}

#[test]
fn the_redirect_dir_knob_turns_the_exdev_rename_into_a_redirect() {
    let (header, config) = scenario("overlay-mount.toml");
    assert_eq!(config.knob("redirect_dir /merged"), Ok(0));
    assert_eq!(config.knob("redirect_dir /merged2"), Ok(1));
    let mut on = config.clone();
    on.set_knob("redirect_dir /merged", 1).unwrap();
    assert_eq!(on.knob("redirect_dir /merged"), Ok(1));
    let (mut player, steps) = clicked(&header, on);
    player.seek(steps[5]);
    let record = player.sim().mount_record("/merged").unwrap();
    assert!(
        record.options.ends_with(",redirect_dir=on"),
        "{}",
        record.options
    );
    assert!(
        player.sim().listing("/merged", "/config").is_some(),
        "the rename worked"
    );
    assert!(
        !player
            .trace()
            .iter()
            .any(|e| e.fact.detail().contains("EXDEV")),
        "no EXDEV"
    );
    let mut off = config.clone();
    off.set_knob("redirect_dir /merged2", 0).unwrap();
    let (player, _) = clicked(&header, off);
    let exdev = player
        .trace()
        .iter()
        .filter(|e| e.fact.detail().contains("EXDEV"));
    assert_eq!(exdev.count(), 2, "both renames fail");

    let mut refused = config.clone();
    let e = refused.set_knob("redirect_dir /merged", 2).unwrap_err();
    assert_eq!(e, "redirect_dir is 0 (off) or 1 (on); 2 is neither");
    let e = refused.set_knob("redirect_dir /elsewhere", 1).unwrap_err();
    assert_eq!(e, "the script mounts nothing at `/elsewhere`");
    assert_eq!(refused, config);
}

#[test]
fn slide_15_accessors_name_each_image_dirs_and_who_shares_them() {
    let (header, config) = scenario("overlay-storage-driver.toml");
    let (mut player, steps) = clicked(&header, config);
    player.seek(*steps.last().unwrap());
    let sim = player.sim();
    let python = sim.layer_dirs_of("python:3.10-ubuntu");
    let nginx = sim.layer_dirs_of("nginx:ubuntu");
    assert_eq!(python.len(), 2);
    assert_eq!(
        python[0].cache_id, nginx[0].cache_id,
        "the base layer is shared"
    );
    assert_ne!(python[1].cache_id, nginx[1].cache_id);
    assert_eq!(
        sim.images_using(&python[0].cache_id),
        vec!["nginx:ubuntu", "python:3.10-ubuntu", "ubuntu:22.04"]
    );
    assert_eq!(
        sim.images_using(&python[1].cache_id),
        vec!["python:3.10-ubuntu"]
    );
    assert!(sim.layer_dirs_of("missing").is_empty());
    let record = sim.mount_record("py").unwrap();
    let lower = format!("lowerdir=l/{}:l/{}", python[1].link, python[0].link);
    assert!(record.options.starts_with(&lower), "{}", record.options);
    let written = sim.mount("py").unwrap().upper_entries();
    assert!(written.iter().any(|e| e.path == "/tmp/out.txt"
        && !e.over_lower
        && matches!(e.entry, Entry::File { .. })));
}

#[test]
fn slide_16_and_18_accessors_pair_history_with_layers_and_list_notable_paths() {
    let (header, config) = scenario("overlay-dockerfile.toml");
    let (mut player, steps) = clicked(&header, config);
    player.seek(*steps.last().unwrap());
    assert_eq!(
        player.sim().built_images().collect::<Vec<_>>(),
        vec!["myapp:latest"]
    );
    let image = player.sim().image("myapp:latest").unwrap();
    let rows = image.history_layers();
    let made: Vec<(bool, Option<&str>)> = rows
        .iter()
        .map(|(h, l)| (h.empty_layer, l.map(|l| l.name())))
        .collect();
    assert_eq!(
        made,
        vec![
            (false, Some("ubuntu:22.04 rootfs")),
            (true, None),
            (false, Some("COPY . /app")),
            (false, Some("RUN make /app")),
            (false, Some("RUN rm -r $HOME/.cache")),
            (true, None),
        ]
    );
    assert_eq!(image.layers[3].whiteout_count(), 1);
    let visible = image.visible_bytes_per_layer();
    let cache = 52_428_800 + 10_485_760;
    assert_eq!(
        visible[2],
        image.layers[2].bytes() - cache,
        "the cache is hidden"
    );
    assert_eq!(visible[0], image.layers[0].bytes());
    assert_eq!(visible.iter().sum::<u64>(), image.visible_bytes());
    assert_eq!(image.layers[2].whiteout_count(), 0);

    let (header, config) = scenario("overlay-mount.toml");
    let (mut player, steps) = clicked(&header, config);
    player.seek(0);
    assert!(player.sim().mount("/merged").is_none());
    player.seek(steps[1]);
    let mount = player.sim().mount("/merged").unwrap();
    assert_eq!(
        mount.notable_paths(),
        vec![
            "/bin/sh",
            "/data/x",
            "/data/y",
            "/data/z",
            "/etc/a",
            "/etc/b",
            "/etc/hosts"
        ]
    );
    player.seek(steps[4]);
    let mount = player.sim().mount("/merged").unwrap();
    let paths = mount.notable_paths();
    assert!(
        paths.contains(&"/data".to_string()),
        "the opaque directory: {paths:?}"
    );
    assert!(paths.contains(&"/data/new".to_string()));
    let upper = mount.upper_entries();
    let data = upper.iter().find(|e| e.path == "/data").unwrap();
    assert!(matches!(data.entry, Entry::Dir { opaque: true, .. }) && data.over_lower);
}
