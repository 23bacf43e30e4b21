//! The scheduler figures (slides 19 and 20) in a real browser: every click
//! loaded by URL shows the simulation's state at that click's step,
//! computed here from the same compiled scenario; going back restores the
//! drawing exactly; a what-if edit moves the chosen node as the simulator says.
#![cfg(target_arch = "wasm32")]

use sim_core::{apply_edits, Fact, Player as SimPlayer, Timeline};
use sim_scheduler::attempt::Attempt;
use sim_scheduler::cluster::Phase;
use sim_scheduler::SchedulerSim;
use simdeck::scenarios::{table, LiveSimulation, STEP_LIMIT};
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

mod support;
use support::{mount, press, text, wait_for_step, wait_for_step_in};

wasm_bindgen_test_configure!(run_in_browser);

fn drawing(host: &HtmlElement) -> String {
    host.query_selector(".stage .fig-sched")
        .unwrap()
        .expect("the scheduler figure is drawn")
        .inner_html()
}

/// The scenario a slide's figure runs, as a player with `edits` applied,
/// and the step of each of its clicks.
fn engine(file: &str, edits: &[(String, i64)]) -> (SimPlayer<SchedulerSim>, Vec<usize>) {
    let scenario = table().unwrap().find(file).unwrap().clone();
    let config = SchedulerSim::config_of(&scenario).unwrap();
    let config = apply_edits(&config, &scenario.header.what_if, edits).unwrap();
    let mut player = SimPlayer::new(SchedulerSim::build(config), scenario.header.seed);
    let timeline = Timeline::record(&mut player, STEP_LIMIT);
    (player, timeline.click_steps(&scenario.header.clicks))
}

/// Every element matching `selector` in `host`.
fn all(host: &HtmlElement, selector: &str) -> Vec<Element> {
    let list = host.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.unchecked_into())
        .collect()
}

/// The values of attribute `name` of every element matching `selector`.
fn attrs(host: &HtmlElement, selector: &str, name: &str) -> Vec<String> {
    all(host, selector)
        .iter()
        .map(|e| e.get_attribute(name).unwrap_or_default())
        .collect()
}

/// Loads each click of slide `slide` by URL, checking the drawing with
/// `check` at each; then goes back from the last click with the arrow key,
/// checking each earlier drawing comes back exactly as its URL showed it.
async fn every_click(
    slide: usize,
    file: &str,
    check: impl Fn(&HtmlElement, &SimPlayer<SchedulerSim>, usize, usize),
) {
    let (mut engine, click_steps) = engine(file, &[]);
    let steps = engine.trace().len();
    let mut drawings = Vec::new();
    for (click, &step) in click_steps.iter().enumerate() {
        let (host, _mounted) = mount(&format!("#/{slide}?clicks={click}"));
        leptos::task::tick().await;
        wait_for_step(&host, step, steps).await;
        engine.seek(step);
        check(&host, &engine, step, click);
        drawings.push(drawing(&host));
    }
    let last = click_steps.len() - 1;
    let (host, _mounted) = mount(&format!("#/{slide}?clicks={last}"));
    leptos::task::tick().await;
    wait_for_step(&host, click_steps[last], steps).await;
    for click in (0..last).rev() {
        press("ArrowLeft").await;
        wait_for_step(&host, click_steps[click], steps).await;
        assert_eq!(
            drawing(&host),
            drawings[click],
            "slide {slide}: back at click {click}, the drawing is as its URL showed it"
        );
    }
}

/// Whether a step of kind `kind` has been played by step `step`.
fn played(engine: &SimPlayer<SchedulerSim>, step: usize, kind: &str) -> bool {
    engine.trace()[..step].iter().any(|e| e.fact.kind() == kind)
}

/// The attempt made last.
fn latest_attempt(sim: &SchedulerSim) -> Option<Arc<Attempt>> {
    sim.records()
        .iter()
        .filter_map(|r| r.last.clone())
        .max_by_key(|a| a.cycle)
}

#[wasm_bindgen_test]
async fn slide_19_shows_the_queue_and_the_nodes_pods_at_each_click() {
    every_click(19, "scheduler-priority.toml", |host, engine, _, click| {
        let sim = engine.sim();
        let cluster = sim.cluster();
        let names = |ids: Vec<u32>| -> Vec<String> {
            ids.into_iter()
                .map(|p| cluster.pod(p).name.clone())
                .collect()
        };
        let queue = sim.queue();
        for (place, pods) in [
            ("activeQ", names(queue.active().collect())),
            ("backoffQ", names(queue.backoff().map(|(p, _)| p).collect())),
            (
                "unschedulablePods",
                names(queue.unschedulable().map(|(p, _)| p).collect()),
            ),
        ] {
            let selector = format!(".stage .sched-queue[data-place='{place}'] .sched-chip");
            assert_eq!(
                attrs(host, &selector, "data-pod"),
                pods,
                "click {click}: {place}"
            );
        }
        for (i, node) in cluster.nodes.iter().enumerate() {
            let mut want: Vec<(String, String)> = cluster
                .pods_on(i as u32)
                .map(|(p, spec)| {
                    let phase = match cluster.pod_state(p).phase {
                        Phase::Terminating => "terminating",
                        Phase::Assumed => "assumed",
                        _ => "bound",
                    };
                    (spec.name.clone(), phase.to_string())
                })
                .collect();
            want.extend(
                cluster
                    .nominated_to(i as u32)
                    .iter()
                    .map(|p| (cluster.pod(*p).name.clone(), "nominated".to_string())),
            );
            let selector = format!(".stage .sched-node[data-node='{}'] .sched-chip", node.name);
            let drawn: Vec<(String, String)> = all(host, &selector)
                .iter()
                .map(|e| {
                    (
                        e.get_attribute("data-pod").unwrap_or_default(),
                        e.get_attribute("data-phase").unwrap_or_default(),
                    )
                })
                .collect();
            assert_eq!(drawn, want, "click {click}: pods on {}", node.name);
            let cpu = format!(
                "{}m / {}m CPU",
                cluster.usage[i].requested.milli_cpu, node.allocatable.milli_cpu
            );
            let shown = text(
                host,
                &format!(".stage .sched-node[data-node='{}']", node.name),
            );
            assert!(shown.contains(&cpu), "click {click}: {cpu} in {shown}");
        }
    })
    .await;
}

#[wasm_bindgen_test]
async fn slide_20_shows_filter_score_and_the_choice_as_they_are_played() {
    every_click(
        20,
        "scheduler-framework.toml",
        |host, engine, step, click| {
            let sim = engine.sim();
            let attempt = latest_attempt(sim);
            let filter_rows = attrs(host, ".stage .sched-filter-row", "data-node");
            match attempt
                .as_deref()
                .filter(|_| played(engine, step, "filter"))
            {
                Some(a) => {
                    let mut looked: Vec<u32> = a.rejected.iter().map(|(n, _)| *n).collect();
                    looked.extend(&a.feasible);
                    looked.sort();
                    let want: Vec<String> =
                        looked.iter().map(|n| a.node_name(*n).to_string()).collect();
                    assert_eq!(filter_rows, want, "click {click}: one Filter row per node");
                    let passed: Vec<String> = a
                        .feasible
                        .iter()
                        .map(|n| a.node_name(*n).to_string())
                        .collect();
                    let mut drawn_passed =
                        attrs(host, ".stage .sched-filter-row.sched-pass", "data-node");
                    drawn_passed.sort();
                    let mut passed_sorted = passed.clone();
                    passed_sorted.sort();
                    assert_eq!(
                        drawn_passed, passed_sorted,
                        "click {click}: the nodes that passed"
                    );
                }
                None => assert!(filter_rows.is_empty(), "click {click}: no Filter yet"),
            }
            let totals = attrs(host, ".stage .sched-score-row", "data-total");
            match attempt
                .as_deref()
                .and_then(|a| a.table.as_ref().map(|t| (a, t)))
            {
                Some((a, table)) if played(engine, step, "score") => {
                    assert_eq!(
                        totals.len(),
                        a.feasible.len(),
                        "click {click}: one Score row per feasible node"
                    );
                    let want: Vec<String> = if played(engine, step, "normalize-score") {
                        table.totals.iter().map(i64::to_string).collect()
                    } else {
                        vec![String::new(); a.feasible.len()]
                    };
                    assert_eq!(totals, want, "click {click}: totals");
                }
                _ => assert!(totals.is_empty(), "click {click}: no Score yet"),
            }
            let chosen = attrs(host, ".stage .sched-score-row.sched-chosen", "data-node");
            let want: Vec<String> = attempt
                .as_deref()
                .filter(|_| played(engine, step, "select-host"))
                .and_then(|a| a.selected.map(|s| a.node_name(s.node).to_string()))
                .into_iter()
                .collect();
            assert_eq!(chosen, want, "click {click}: the chosen node");
            let lit = attrs(host, ".stage .sched-point.sched-now", "data-point");
            assert_eq!(
                lit.len(),
                usize::from(attempt.is_some()),
                "click {click}: {lit:?}"
            );
        },
    )
    .await;
}

/// The node slide 20's attempt chose at the end of a run.
fn chosen_at_the_end(engine: &SimPlayer<SchedulerSim>) -> String {
    let attempt = latest_attempt(engine.sim()).expect("web was attempted");
    let selection = attempt.selected.expect("web was placed");
    attempt.node_name(selection.node).to_string()
}

#[wasm_bindgen_test]
async fn more_load_on_node_a_moves_slide_20s_choice_as_the_simulator_says() {
    let (mut before, before_steps) = engine("scheduler-framework.toml", &[]);
    let last = before_steps.len() - 1;
    let (host, _mounted) = mount(&format!("#/20?clicks={last}"));
    leptos::task::tick().await;
    wait_for_step(&host, before_steps[last], before.trace().len()).await;
    before.seek(before_steps[last]);
    let chosen = || attrs(&host, ".stage .sched-score-row.sched-chosen", "data-node");
    assert_eq!(chosen(), vec![chosen_at_the_end(&before)]);

    let input: HtmlInputElement = host
        .query_selector(".stage .wi-input[data-key='l']")
        .unwrap()
        .expect("the node-a load field")
        .unchecked_into();
    input.set_value("1500");
    input
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    leptos::task::tick().await;

    let (mut after, after_steps) = engine("scheduler-framework.toml", &[("l".into(), 1500)]);
    wait_for_step(&host, after_steps[last], after.trace().len()).await;
    after.seek(after_steps[last]);
    let moved = chosen_at_the_end(&after);
    assert_ne!(
        moved,
        chosen_at_the_end(&before),
        "1500m on node-a moves the choice"
    );
    assert_eq!(chosen(), vec![moved]);
}

#[wasm_bindgen_test]
async fn slide_20_at_5000_nodes_draws_bands_and_zooms_into_one() {
    let edits = [("n".to_string(), 5000)];
    let (mut engine, click_steps) = engine("scheduler-framework.toml", &edits);
    let last = click_steps.len() - 1;
    let (host, _mounted) = mount(&format!("#/20?clicks={last}&n=5000"));
    leptos::task::tick().await;
    wait_for_step(&host, click_steps[last], engine.trace().len()).await;
    engine.seek(click_steps[last]);
    let attempt = latest_attempt(engine.sim()).expect("web was attempted");
    let selection = attempt.selected.expect("web was placed");
    let table = attempt.table.as_ref().expect("the nodes were scored");

    assert!(
        all(&host, ".stage .sched-filter-row").is_empty(),
        "no row per node at 5,000 nodes"
    );
    let bands = attrs(&host, ".stage .sched-band", "data-band");
    assert_eq!(bands.len(), 50, "5,000 nodes in 50 bands of 100");
    let seen = attempt.rejected.len() + attempt.feasible.len();
    assert_eq!(
        attrs(&host, ".stage [data-seen]", "data-seen"),
        vec![seen.to_string()],
        "how many nodes the Filter looked at"
    );
    let chosen_band = selection.node as usize / 100;
    assert_eq!(
        attrs(&host, ".stage .sched-band.sched-band-chosen", "data-band"),
        vec![chosen_band.to_string()]
    );
    let ties = attrs(&host, ".stage [data-ties]", "data-ties");
    assert_eq!(
        ties,
        vec![format!("{} tie at {}", selection.ties, selection.total)]
    );

    // The best rows overall: the chosen node first, then the highest totals.
    let rows = attrs(&host, ".stage .sched-score-row", "data-node");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0], attempt.node_name(selection.node));
    let best = table.totals.iter().max().copied().unwrap_or_default();
    assert_eq!(
        attrs(&host, ".stage .sched-score-row", "data-total"),
        vec![best.to_string(); 3],
        "every shown row has the top total"
    );

    // Zooming into the band of nodes 0–99 shows that band's best nodes.
    let click = || {
        let band = host
            .query_selector(".stage .sched-band[data-band='0']")
            .unwrap()
            .expect("the first band");
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        let event = web_sys::Event::new_with_event_init_dict("click", &init).unwrap();
        band.dispatch_event(&event).unwrap();
    };
    click();
    leptos::task::tick().await;
    let zoomed = attrs(&host, ".stage .sched-score-row", "data-node");
    assert_eq!(zoomed.len(), 3);
    for name in &zoomed {
        let index = attempt
            .nodes
            .iter()
            .position(|n| &n.name == name)
            .expect("a node of the cluster");
        assert!(index < 100, "{name} is in the band zoomed into");
    }
    assert_eq!(
        attrs(&host, ".stage .sched-band.sched-band-zoomed", "data-band"),
        vec!["0".to_string()]
    );
    click();
    leptos::task::tick().await;
    assert_eq!(
        attrs(&host, ".stage .sched-score-row", "data-node"),
        rows,
        "closing the band shows the best overall again"
    );
}

/// A reading URL is a permalink too (a phone opens a slide URL as one, with
/// its click and figure parameters): slide 20's figure there shows that
/// click of the run with that value, while the reading view's keys stay the
/// page's.
#[wasm_bindgen_test]
async fn a_reading_url_carries_slide_20s_click_and_what_if_value() {
    let edits = [("n".to_string(), 5000)];
    let (engine, click_steps) = engine("scheduler-framework.toml", &edits);
    let last = click_steps.len() - 1;
    let (host, _mounted) = mount(&format!("#/read/20?clicks={last}&n=5000"));
    let (step, steps) = (click_steps[last], engine.trace().len());
    wait_for_step_in(&host, "#read-20", step, steps).await;
    let want = format!("step {step} / {steps}");
    assert_eq!(
        all(&host, "#read-20 .sched-band").len(),
        50,
        "5,000 nodes in 50 bands"
    );
    assert_eq!(
        text(&host, "#read-20 .step-label"),
        format!("Step {last} of {last}"),
        "the slide steps from the URL's click"
    );
    press(".").await;
    assert_eq!(
        text(&host, "#read-20 .fc-count"),
        want,
        "a figure key does not step a figure in the reading view"
    );
}

#[wasm_bindgen_test]
async fn a_step_patches_the_drawing_in_place_so_transitions_run() {
    let (engine, click_steps) = engine("scheduler-framework.toml", &[]);
    let (host, _mounted) = mount("#/20?clicks=2");
    leptos::task::tick().await;
    wait_for_step(&host, click_steps[2], engine.trace().len()).await;
    let point = host
        .query_selector(".stage .sched-point[data-point='PreFilter']")
        .unwrap()
        .expect("the PreFilter point");
    let before = point.get_attribute("class").unwrap_or_default();
    press(".").await;
    wait_for_step(&host, click_steps[2] + 1, engine.trace().len()).await;
    assert!(
        point.is_connected(),
        "the same element is still drawn after a step"
    );
    assert_ne!(
        point.get_attribute("class").unwrap_or_default(),
        before,
        "and it was given the step's new class"
    );
}
