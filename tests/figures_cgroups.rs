//! The cgroups live figures (slides 7-10) in a real browser: at every click
//! each figure shows the simulation's state at that click's step, computed
//! here from the same compiled scenario; a click back restores the figure
//! exactly; a what-if edit redraws it as the simulator says.
#![cfg(target_arch = "wasm32")]

use sim_cgroups::controller::Controller;
use sim_cgroups::cpu::MICRO_CPUS_PER_CPU;
use sim_cgroups::units::bytes;
use sim_cgroups::CgroupSim;
use sim_core::{apply_edits, Player, Timeline};
use simdeck::figures::figure_named;
use simdeck::scenarios::{table, LiveSimulation, STEP_LIMIT};
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Event, HtmlElement, HtmlInputElement};

mod support;
use support::{element, mount, press, settle};

wasm_bindgen_test_configure!(run_in_browser);

fn text(host: &HtmlElement, selector: &str) -> String {
    element(host, selector).text_content().unwrap_or_default()
}

/// Waits until the frame shows step `step` (forward clicks animate).
async fn wait_for_step(host: &HtmlElement, step: usize) {
    for _ in 0..400 {
        let count = text(host, ".stage .fc-count");
        if count.starts_with(&format!("step {step} /")) {
            settle().await;
            return;
        }
        gloo_timers::future::sleep(Duration::from_millis(100)).await;
    }
    panic!("the figure never showed step {step}");
}

/// The figure's simulation: its scenario compiled into the site, with
/// `edits`, and the step each click shows.
fn simulated(figure: &str, edits: &[(String, i64)]) -> (Player<CgroupSim>, Vec<usize>) {
    let spec = figure_named(figure).expect("a catalogued figure");
    let scenario = table().unwrap().find(spec.scenario).unwrap().clone();
    let config = CgroupSim::config_of(&scenario).unwrap();
    let config = apply_edits(&config, &scenario.header.what_if, edits).unwrap();
    let mut player = Player::new(CgroupSim::build(config), scenario.header.seed);
    let timeline = Timeline::record(&mut player, STEP_LIMIT);
    let steps = timeline.click_steps(&scenario.header.clicks);
    (player, steps)
}

/// Micro-CPUs to hundredths of a CPU, halves rounded up.
fn cpu(micro: u64) -> String {
    let hundredths = (micro * 100 + MICRO_CPUS_PER_CPU / 2) / MICRO_CPUS_PER_CPU;
    format!("{}.{:02} CPU", hundredths / 100, hundredths % 100)
}

/// What slide `slide`'s figure must show of `sim`.
fn expected(slide: u32, sim: &CgroupSim) -> Vec<String> {
    let now = sim.cpu_now();
    let uuid_group = sim.shell().variables().get("UUID").map(|u| format!("/{u}"));
    match slide {
        7 => sim
            .tree()
            .children("/")
            .into_iter()
            .flat_map(|path| {
                let shares = sim.group(&path).map_or(0, |g| g.cpu.shares);
                vec![
                    path.clone(),
                    cpu(now[&path]),
                    bytes(sim.memory_usage(&path)),
                    format!("cpu.shares {shares}"),
                ]
            })
            .collect(),
        8 => {
            let mut out = vec![sim
                .current_line()
                .map_or("nothing run yet".to_string(), |l| l.text.clone())];
            out.extend(sim.terminal().iter().take(3).cloned());
            if let Some(g) = uuid_group.as_deref().and_then(|p| sim.group(p)) {
                out.push(format!("nr_throttled {}", g.cpu.nr_throttled));
                out.push(format!(
                    "throttled_time {}",
                    sim_cgroups::units::seconds(g.cpu.throttled_time_ns)
                ));
                if let Some(limit) = sim.memory_limit(&g.path) {
                    out.push(format!("limit {limit} bytes"));
                }
            }
            if let Some(shell) = sim.shell_process() {
                out.push(format!("shell pid {}", shell.pid));
            }
            out
        }
        9 => match uuid_group {
            Some(group) => {
                let dir = format!("/sys/fs/cgroup/cpu{group}");
                let listed = sim.listing(&dir);
                let mut out: Vec<String> = listed.iter().skip(1).cloned().collect();
                if listed.len() > 1 {
                    let shares = sim.read_file(&format!("{dir}/cpu.shares")).unwrap();
                    out.push(format!("cpu.shares= {shares}"));
                }
                out
            }
            None => vec!["the directory does not exist".to_string()],
        },
        10 => sim
            .tree()
            .groups()
            .flat_map(|g| {
                let mut out = Vec::new();
                if g.controllers.contains(&Controller::Cpu) {
                    out.push(cpu(now[&g.path]));
                    out.push(format!("shares {}", g.cpu.shares));
                }
                if g.controllers.contains(&Controller::Memory) {
                    out.push(bytes(sim.memory_usage(&g.path)));
                }
                out
            })
            .collect(),
        _ => unreachable!(),
    }
}

/// Opens slide `slide` (figure `figure`) at each of its clicks, checking
/// each against the simulation; then clicks from the first click to the
/// second (animated) and back (restored at once), comparing the drawing
/// with what each click showed.
async fn walk(slide: u32, figure: &str, drawing: &str) {
    let (mut player, steps) = simulated(figure, &[]);
    let mut shown = Vec::new();
    for (k, &step) in steps.iter().enumerate() {
        let (host, _mounted) = mount(&format!("#/{slide}?clicks={k}"));
        wait_for_step(&host, step).await;
        player.seek(step);
        let drawn = text(&host, drawing);
        for want in expected(slide, player.sim()) {
            assert!(
                drawn.contains(&want),
                "slide {slide} click {k} (step {step}) should show `{want}`: {drawn}"
            );
        }
        shown.push(element(&host, drawing).inner_html());
    }
    let (host, _mounted) = mount(&format!("#/{slide}"));
    wait_for_step(&host, steps[0]).await;
    press("ArrowRight").await;
    wait_for_step(&host, steps[1]).await;
    assert_eq!(
        element(&host, drawing).inner_html(),
        shown[1],
        "slide {slide}: the first click plays to the drawing its URL shows"
    );
    press("ArrowLeft").await;
    wait_for_step(&host, steps[0]).await;
    assert_eq!(
        element(&host, drawing).inner_html(),
        shown[0],
        "slide {slide}: a click back restores the figure exactly"
    );
}

#[wasm_bindgen_test]
async fn slide_7_tree_follows_the_shares_scenario() {
    walk(7, "cgroups-tree", ".stage .fig-cg-tree").await;
}

#[wasm_bindgen_test]
async fn slide_8_session_follows_the_highlighted_lines() {
    walk(8, "shell-session", ".stage .fig-cg-session").await;
}

#[wasm_bindgen_test]
async fn slide_9_listing_is_the_simulated_groups() {
    walk(9, "cgroup-listing", ".stage .fig-cg-listing").await;
}

#[wasm_bindgen_test]
async fn slide_10_level_shows_every_group_of_both_hierarchies() {
    walk(10, "cgroups-level", ".stage .fig-cg-level").await;
}

#[wasm_bindgen_test]
async fn a_what_if_on_the_low_groups_shares_redraws_the_split() {
    let edits = vec![("s".to_string(), 1024)];
    let (mut player, steps) = simulated("cgroups-tree", &edits);
    let (host, _mounted) = mount("#/7?clicks=1");
    wait_for_step(&host, steps[1]).await;
    let input: HtmlInputElement = element(&host, ".stage .wi-input[data-key=s]").unchecked_into();
    input.set_value("1024");
    input
        .dispatch_event(&Event::new("change").unwrap())
        .unwrap();
    settle().await;
    wait_for_step(&host, steps[1]).await;
    player.seek(steps[1]);
    let now = player.sim().cpu_now();
    assert_eq!(now["/low"], now["/high"], "the simulator splits evenly");
    let drawn = text(&host, ".stage .fig-cg-tree");
    for want in expected(7, player.sim()) {
        assert!(drawn.contains(&want), "after the edit, `{want}`: {drawn}");
    }
    assert!(drawn.contains("cpu.shares 1024 of 2048 busy"), "{drawn}");
}
