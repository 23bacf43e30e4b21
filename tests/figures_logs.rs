//! The logs figures (slides 22-24) in a real browser: at each click the
//! drawing shows the simulation's state at that click's step, computed here
//! from the same compiled scenario; going back restores the drawing exactly;
//! a what-if edit redraws it as the simulator says.
#![cfg(target_arch = "wasm32")]

use sim_core::{apply_edits, Player as SimPlayer, Timeline};
use sim_logs::LogsSim;
use simdeck::scenarios::{table, LiveSimulation, STEP_LIMIT};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement};

mod support;
use support::{mount, press, text, wait_for_step};

wasm_bindgen_test_configure!(run_in_browser);

fn drawing(host: &HtmlElement) -> String {
    host.query_selector(".stage .fig-logs")
        .unwrap()
        .expect("the logs figure is drawn")
        .inner_html()
}

/// A click forward plays its steps one by one (unless the system asks for
/// reduced motion); the frame's reset button jumps to the click's step at
/// once, which keeps the test within the test runner's time limit.
async fn skip_the_animation(host: &HtmlElement) {
    let reset: HtmlElement = host
        .query_selector(".stage .figure-controls [aria-label=\"Reset to the slide's click\"]")
        .unwrap()
        .expect("the frame's reset button")
        .unchecked_into();
    reset.click();
    leptos::task::tick().await;
}

/// The scenario a slide's figure runs, as a player with `edits` applied,
/// and the step of each of its clicks.
fn engine(file: &str, edits: &[(String, i64)]) -> (SimPlayer<LogsSim>, Vec<usize>) {
    let scenario = table().unwrap().find(file).unwrap().clone();
    let config = LogsSim::config_of(&scenario).unwrap();
    let config = apply_edits(&config, &scenario.header.what_if, edits).unwrap();
    let mut player = SimPlayer::new(LogsSim::build(config), scenario.header.seed);
    let timeline = Timeline::record(&mut player, STEP_LIMIT);
    (player, timeline.click_steps(&scenario.header.clicks))
}

/// Each file row drawn, as (path, size, lines) from its data attributes.
fn drawn_rows(host: &HtmlElement, selector: &str) -> Vec<(String, String, String)> {
    let rows = host.query_selector_all(selector).unwrap();
    (0..rows.length())
        .filter_map(|i| rows.item(i))
        .map(|row| {
            let row: web_sys::Element = row.unchecked_into();
            let attr = |name: &str| row.get_attribute(name).unwrap_or_default();
            (attr("data-path"), attr("data-size"), attr("data-lines"))
        })
        .collect()
}

/// The files under `/var/log/pods` as the simulation has them, in path order.
fn engine_rows(sim: &LogsSim) -> Vec<(String, String, String)> {
    sim.files()
        .map(|f| {
            (
                f.path.to_string(),
                f.size.to_string(),
                f.lines().to_string(),
            )
        })
        .collect()
}

/// What the terminal shows first: the last command typed, if any.
fn prompt(sim: &LogsSim) -> String {
    sim.last_output()
        .map_or_else(|| "$ _".into(), |o| format!("$ {}", o.command))
}

/// `text` without its spaces (the terminal wraps a long command at them).
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Presses through every click of slide `slide`, checking the drawing with
/// `check` at each, then back through them, checking each earlier drawing
/// comes back exactly.
async fn through_the_clicks(
    slide: usize,
    file: &str,
    check: impl Fn(&HtmlElement, &LogsSim, usize),
) {
    let (mut engine, click_steps) = engine(file, &[]);
    let steps = engine.trace().len();
    let (host, _mounted) = mount(&format!("#/{slide}"));
    leptos::task::tick().await;
    wait_for_step(&host, 0, steps).await;
    engine.seek(0);
    check(&host, engine.sim(), 0);
    let mut drawings = vec![drawing(&host)];
    for (click, &step) in click_steps.iter().enumerate().skip(1) {
        press("ArrowRight").await;
        skip_the_animation(&host).await;
        wait_for_step(&host, step, steps).await;
        engine.seek(step);
        check(&host, engine.sim(), click);
        drawings.push(drawing(&host));
    }
    for click in (0..click_steps.len() - 1).rev() {
        press("ArrowLeft").await;
        wait_for_step(&host, click_steps[click], steps).await;
        assert_eq!(
            drawing(&host),
            drawings[click],
            "slide {slide}: back at click {click}, the drawing is as it was"
        );
    }
    leave(&host).await;
}

/// Goes to the first slide, as a presenter leaves the figure, and checks
/// the figure is gone with its slide.
async fn leave(host: &HtmlElement) {
    press("Home").await;
    gloo_timers::future::TimeoutFuture::new(30).await;
    leptos::task::tick().await;
    assert_eq!(
        host.query_selector(".stage .fig-logs").unwrap().map(|_| ()),
        None
    );
}

#[wasm_bindgen_test]
async fn slide_22_shows_the_files_rotation_and_kubectl_logs_at_each_click() {
    through_the_clicks(22, "logs-node-level.toml", |host, sim, click| {
        assert_eq!(
            drawn_rows(host, ".stage .fig-logs .logs-file"),
            engine_rows(sim),
            "click {click}: one row per file, with its size and lines"
        );
        let terminal = text(host, ".stage .fig-logs .logs-term");
        assert!(
            squeeze(&terminal).starts_with(&squeeze(&prompt(sim))),
            "click {click}: {terminal}"
        );
        if let Some(out) = sim.last_output() {
            for line in out.output.iter().rev().take(5) {
                assert!(
                    terminal.contains(line.as_str()),
                    "click {click}: {line} in {terminal}"
                );
            }
        }
        let container = &sim.containers()[0];
        let drawn = text(host, ".stage .fig-logs .logs-ctr");
        assert!(
            drawn.contains(&format!("restartCount {}", container.restart_count)),
            "click {click}: {drawn}"
        );
    })
    .await;
}

#[wasm_bindgen_test]
async fn slide_23_shows_what_the_agent_read_and_shipped_at_each_click() {
    through_the_clicks(23, "logs-node-agent.toml", |host, sim, click| {
        assert_eq!(
            drawn_rows(host, ".stage .fig-logs .logs-file"),
            engine_rows(sim),
            "click {click}"
        );
        let agent = sim.agent().unwrap();
        let reading = host
            .query_selector_all(".stage .fig-logs .logs-file.logs-reading")
            .unwrap()
            .length() as usize;
        assert_eq!(reading, agent.following.len(), "click {click}: files open");
        let missed = host
            .query_selector_all(".stage .fig-logs .logs-file.logs-missed")
            .unwrap()
            .length() as usize;
        assert_eq!(missed, agent.missed.len(), "click {click}: files missed");
        for (inode, tail) in &agent.following {
            let path = sim.files().find(|f| f.inode == *inode).unwrap().path;
            let row = host
                .query_selector(&format!(".stage .fig-logs .logs-file[data-path='{path}']"))
                .unwrap()
                .unwrap();
            let status = row.text_content().unwrap_or_default();
            assert!(
                status.contains(&format!("open, read {} B", tail.offset)),
                "click {click}: {path}: {status}"
            );
        }
        let backend = text(host, ".stage .fig-logs .logs-backend .logs-title");
        assert!(
            backend.contains(&format!("{} message", sim.backend().len())),
            "click {click}: {backend}"
        );
    })
    .await;
}

#[wasm_bindgen_test]
async fn slide_24_shows_the_shared_files_both_sidecars_and_kubectl_logs_at_each_click() {
    through_the_clicks(24, "logs-streaming-sidecar.toml", |host, sim, click| {
        let pod = sim.pods().next().unwrap();
        let shared: Vec<(String, String, String)> = pod
            .shared_files
            .iter()
            .map(|(path, lines)| (path.clone(), String::new(), lines.len().to_string()))
            .collect();
        assert_eq!(
            drawn_rows(host, ".stage .fig-logs .logs-shared"),
            shared,
            "click {click}"
        );
        let cri: Vec<(String, String, String)> = sim
            .containers()
            .iter()
            .filter_map(|c| c.log_file.clone())
            .map(|path| {
                let lines = sim
                    .files()
                    .find(|f| f.path == path)
                    .map_or(0, |f| f.lines());
                (path, String::new(), lines.to_string())
            })
            .collect();
        assert_eq!(
            drawn_rows(host, ".stage .fig-logs .logs-file"),
            cri,
            "click {click}"
        );
        let backend = text(host, ".stage .fig-logs .logs-backend .logs-title");
        assert!(
            backend.contains(&format!("{} message", sim.backend().len())),
            "click {click}: {backend}"
        );
        let terminal = text(host, ".stage .fig-logs .logs-term");
        assert!(
            squeeze(&terminal).starts_with(&squeeze(&prompt(sim))),
            "click {click}: {terminal}"
        );
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_larger_container_log_max_size_redraws_slide_22_as_the_simulator_runs_it() {
    let (host, _mounted) = mount("#/22?clicks=3");
    leptos::task::tick().await;
    let (mut before, before_steps) = engine("logs-node-level.toml", &[]);
    wait_for_step(&host, before_steps[3], before.trace().len()).await;
    before.seek(before_steps[3]);
    assert_eq!(
        drawn_rows(&host, ".stage .fig-logs .logs-file"),
        engine_rows(before.sim())
    );

    let input: HtmlInputElement = host
        .query_selector(".stage .wi-input[data-key='s']")
        .unwrap()
        .expect("the containerLogMaxSize field")
        .unchecked_into();
    input.set_value("2000");
    input
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    leptos::task::tick().await;

    let (mut after, after_steps) = engine("logs-node-level.toml", &[("s".into(), 2000)]);
    wait_for_step(&host, after_steps[3], after.trace().len()).await;
    after.seek(after_steps[3]);
    let drawn = drawn_rows(&host, ".stage .fig-logs .logs-file");
    assert_eq!(drawn, engine_rows(after.sim()));
    assert!(
        after.sim().rotated_files().count() < before.sim().rotated_files().count(),
        "a 2000-byte limit rotates less by click 3"
    );
    assert_ne!(
        drawn,
        engine_rows(before.sim()),
        "the drawing changed with the value"
    );
    assert!(text(&host, ".stage .fig-logs .logs-head").contains("containerLogMaxSize 2000 B"));
    leave(&host).await;
}
