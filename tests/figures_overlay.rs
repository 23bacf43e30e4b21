//! The overlay simulator's live figures (slides 15-18) in a real browser:
//! at each click the figure shows the engine's state at that click's step,
//! computed here from the same compiled scenario; a click back restores the
//! figure exactly; a what-if edit redraws it as the simulator says.
#![cfg(target_arch = "wasm32")]

use sim_core::{apply_edits, CompiledScenario, Player, Timeline};
use sim_overlay::layer::Entry;
use sim_overlay::OverlaySim;
use simdeck::scenarios::{table, LiveSimulation, STEP_LIMIT};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement};

mod support;
use support::{count, mount, press, settle, text};

wasm_bindgen_test_configure!(run_in_browser);

fn attr(host: &HtmlElement, selector: &str, name: &str) -> Option<String> {
    host.query_selector(selector)
        .unwrap()
        .and_then(|e| e.get_attribute(name))
}

fn drawing(host: &HtmlElement) -> String {
    host.query_selector(".stage .figure-drawing")
        .unwrap()
        .expect("a live figure")
        .inner_html()
}

/// Waits (at most 20 s) until the frame shows step `step`.
async fn until_step(host: &HtmlElement, step: usize) {
    for _ in 0..400 {
        if text(host, ".stage .fc-count").starts_with(&format!("step {step} /")) {
            return;
        }
        gloo_timers::future::TimeoutFuture::new(50).await;
    }
    panic!(
        "the figure never reached step {step}: {}",
        text(host, ".stage .fc-count")
    );
}

/// The compiled scenario of `file`.
fn scenario(file: &str) -> CompiledScenario {
    table().unwrap().find(file).cloned().unwrap()
}

/// A player of `scenario` (with `edits`) and the step of each click.
fn engine(
    scenario: &CompiledScenario,
    edits: &[(String, i64)],
) -> (Player<OverlaySim>, Vec<usize>) {
    let config = OverlaySim::config_of(scenario).unwrap();
    let config = apply_edits(&config, &scenario.header.what_if, edits).unwrap();
    let mut player = Player::new(OverlaySim::build(config), scenario.header.seed);
    let timeline = Timeline::record(&mut player, STEP_LIMIT);
    let steps = timeline.click_steps(&scenario.header.clicks);
    (player, steps)
}

/// Slide `slide` (scenario `file`) at each of its clicks, loaded as its
/// permalink: `check` compares the figure with the engine at that click's
/// step. Then the first click forward plays to click 1's figure, and from
/// the last click each click back restores the earlier figure exactly.
async fn walk(slide: usize, file: &str, check: fn(&HtmlElement, &OverlaySim)) {
    let scenario = scenario(file);
    let (mut player, steps) = engine(&scenario, &[]);
    let mut seen = Vec::new();
    for (click, &step) in steps.iter().enumerate() {
        let (host, _mounted) = mount(&format!("#/{slide}?clicks={click}"));
        settle().await;
        until_step(&host, step).await;
        player.seek(step);
        check(&host, player.sim());
        seen.push(drawing(&host));
    }
    let (host, mounted) = mount(&format!("#/{slide}"));
    settle().await;
    press("ArrowRight").await;
    until_step(&host, steps[1]).await;
    assert_eq!(
        drawing(&host),
        seen[1],
        "slide {slide}: click 1 played forward"
    );
    drop(mounted);
    let last = steps.len() - 1;
    let (host, _mounted) = mount(&format!("#/{slide}?clicks={last}"));
    settle().await;
    for click in (0..last).rev() {
        press("ArrowLeft").await;
        until_step(&host, steps[click]).await;
        assert_eq!(
            drawing(&host),
            seen[click],
            "slide {slide}: click {click} restored"
        );
    }
}

#[wasm_bindgen_test]
async fn slide_15_shows_each_stored_layer_directory_and_the_container_mount() {
    walk(15, "overlay-storage-driver.toml", |host, sim| {
        let figure = text(host, ".stage .fig-ov");
        let stored: Vec<_> = sim.store().collect();
        assert_eq!(
            count(host, ".stage .ov-card:not(.container)") as usize,
            stored.len()
        );
        for layer in &stored {
            assert!(figure.contains(&layer.cache_id[..12]), "{figure}");
        }
        let containers: Vec<_> = sim
            .mounts()
            .filter(|(_, r)| r.container.is_some())
            .collect();
        assert_eq!(
            count(host, ".stage .ov-card.container") as usize,
            containers.len()
        );
        assert_eq!(
            count(host, ".stage .ov-mount-panel") as usize,
            containers.len().min(1)
        );
        assert!(figure.contains("overlay2"), "the chosen driver is named");
    })
    .await;
}

#[wasm_bindgen_test]
async fn slide_16_builds_one_instruction_per_click_and_the_sizes_add_up() {
    walk(16, "overlay-dockerfile.toml", |host, sim| {
        let image = sim.built_images().next().and_then(|n| sim.image(n));
        let rows = image.map_or(0, |i| i.history.len());
        let metadata = image.map_or(0, |i| i.history.iter().filter(|h| h.empty_layer).count());
        assert_eq!(count(host, ".stage .ov-row") as usize, rows);
        assert_eq!(count(host, ".stage .ov-row.metadata") as usize, metadata);
        let bytes = |selector| {
            attr(host, selector, "data-bytes")
                .unwrap()
                .parse::<u64>()
                .unwrap()
        };
        assert_eq!(bytes(".stage .ov-size-all"), image.map_or(0, |i| i.size()));
        assert_eq!(
            bytes(".stage .ov-size-visible"),
            image.map_or(0, |i| i.visible_bytes())
        );
    })
    .await;
}

#[wasm_bindgen_test]
async fn slide_17_shows_each_container_thin_layer_over_the_shared_image() {
    walk(17, "overlay-containers.toml", |host, sim| {
        let containers: Vec<_> = sim
            .mounts()
            .filter(|(_, r)| r.container.is_some())
            .collect();
        assert_eq!(
            count(host, ".stage .ov-container") as usize,
            containers.len()
        );
        for (name, record) in containers {
            let written = record
                .mount
                .upper_entries()
                .iter()
                .filter(|e| !e.entry.is_plain_dir())
                .count();
            let shown = attr(
                host,
                &format!(".stage .ov-container[data-name='{name}']"),
                "data-entries",
            );
            assert_eq!(shown, Some(written.to_string()), "{name}");
        }
    })
    .await;
}

#[wasm_bindgen_test]
async fn slide_18_shows_every_path_with_the_layer_it_comes_from() {
    walk(18, "overlay-mount.toml", |host, sim| {
        let Some(target) = attr(host, ".stage .ov-mount-line", "data-mount") else {
            assert_eq!(
                sim.mounts().count(),
                0,
                "no mount line before the first mount"
            );
            return;
        };
        let mount = sim.mount(&target).unwrap();
        let view = mount.merged_view();
        for path in mount.notable_paths() {
            let cell = format!(".stage .ov-cell[data-row='merged'][data-path='{path}']");
            let from = attr(host, &cell, "data-from");
            assert_eq!(
                from,
                view.get(&path).map(|s| s.from.clone()),
                "{target}{path}"
            );
            let upper = format!(".stage .ov-cell[data-row='upper'][data-path='{path}']");
            let has = mount.upper().and_then(|u| u.get(&path)).is_some();
            assert_eq!(count(host, &upper) == 1, has, "{target}{path} in upper");
            let whiteout = matches!(
                mount.upper().and_then(|u| u.get(&path)),
                Some(Entry::Whiteout | Entry::Dir { opaque: true, .. })
            );
            assert_eq!(
                count(host, &format!("{upper}.whiteout")) == 1,
                whiteout && has
            );
        }
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_bigger_build_cache_makes_the_image_bigger_though_rm_deletes_it() {
    let scenario = scenario("overlay-dockerfile.toml");
    let last = scenario.header.clicks.len();
    let (host, _mounted) = mount(&format!("#/16?clicks={last}"));
    settle().await;
    let bytes = |host: &HtmlElement, selector| {
        attr(host, selector, "data-bytes")
            .unwrap()
            .parse::<u64>()
            .unwrap()
    };
    let before = bytes(&host, ".stage .ov-size-all");
    let input: HtmlInputElement = host
        .query_selector(".stage .wi-input[data-key='c']")
        .unwrap()
        .expect("the cache-size what-if")
        .unchecked_into();
    let value = 200_000_000_i64;
    input.set_value(&value.to_string());
    input
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    settle().await;
    let (mut player, steps) = engine(&scenario, &[("c".to_string(), value)]);
    until_step(&host, steps[last]).await;
    player.seek(steps[last]);
    let image = player.sim().image("myapp:latest").unwrap();
    assert_eq!(bytes(&host, ".stage .ov-size-all"), image.size());
    assert_eq!(
        bytes(&host, ".stage .ov-size-visible"),
        image.visible_bytes()
    );
    assert!(image.size() > before, "the image grew with the cache");
}
