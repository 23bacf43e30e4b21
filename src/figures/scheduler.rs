//! The live figures of the scheduler simulator: the scheduling queue with
//! priorities and a preemption (slide 19), and one pod through every
//! extension point of the scheduling framework (slide 20). Each is one SVG
//! drawn from the simulation's typed state; the attempt shown is revealed
//! point by point as its steps are played.

use super::decimal::{short, tenths};
use super::markup::drawing_svg;
use super::scheduler_scale as scale;
use super::svg::Svg;
use super::Live;
use leptos::ev;
use leptos::prelude::*;
use sim_core::sorted::sort_stable_by_key;
use sim_scheduler::attempt::{Attempt, Preemption, ScoreTable};
use sim_scheduler::cluster::{NodeId, Phase, PodId};
use sim_scheduler::queue::Place;
use sim_scheduler::SchedulerSim;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// Width of every drawing, in SVG units (about a CSS pixel on a slide).
const WIDTH: f64 = 880.0;
/// Height of every drawing.
const HEIGHT: f64 = 250.0;

/// The framework's points in its own picture's order, with the rule ids of
/// the steps that play them. `selectHost` is not an extension point but a
/// step of its own between scoring and Reserve.
const POINTS: [(&str, &[&str]); 14] = [
    ("QueueSort", &["scheduler.queue-sort"]),
    ("PreFilter", &["scheduler.pre-filter"]),
    (
        "Filter",
        &["scheduler.filter", "scheduler.filter.nominated-node"],
    ),
    (
        "PostFilter",
        &[
            "scheduler.post-filter",
            "scheduler.preemption",
            "scheduler.unschedulable",
        ],
    ),
    ("PreScore", &["scheduler.pre-score"]),
    ("Score", &["scheduler.score"]),
    ("NormalizeScore", &["scheduler.normalize-score"]),
    ("selectHost", &["scheduler.select-host"]),
    ("Reserve", &["scheduler.reserve", "scheduler.unreserve"]),
    ("Permit", &["scheduler.permit"]),
    ("WaitOnPermit", &["scheduler.wait-on-permit"]),
    ("PreBind", &["scheduler.pre-bind"]),
    ("Bind", &["scheduler.bind"]),
    ("PostBind", &["scheduler.post-bind"]),
];
/// Index in [`POINTS`] of the first point of the binding cycle.
const BINDING_CYCLE: usize = 10;
/// Index of Filter, Score, NormalizeScore and selectHost in [`POINTS`].
const FILTER: usize = 2;
const SCORE: usize = 5;
const NORMALIZE: usize = 6;
const SELECT: usize = 7;
/// Where the Score table starts.
const SCORE_LEFT: f64 = 360.0;

/// Slide 19: activeQ in PrioritySort order, backoffQ and the unschedulable
/// pods on the left; the nodes with their pods, CPU and nominations on the right.
pub fn priority(live: Live<SchedulerSim>) -> AnyView {
    let changed = changed_pod(live);
    let markup = move || {
        let changed = changed.get();
        live.with(|sim| {
            let mut s = Svg::default();
            s.el("text")
                .attr("class", "sched-head")
                .attr("x", 8)
                .attr("y", 12)
                .text("scheduling queue");
            queue_view(&mut s, sim, changed.as_deref());
            s.el("text")
                .attr("class", "sched-head")
                .attr("x", 300)
                .attr("y", 12)
                .text("nodes: CPU requested / allocatable, the pods on each");
            nodes_view(&mut s, sim, changed.as_deref());
            cycle_line(&mut s, sim, live);
            legend(&mut s);
            s.finish()
        })
    };
    let svg = drawing_svg(
        "fig-sched fig-sched-priority",
        &view_box(),
        "img",
        "kube-scheduler: the scheduling queue by priority, the nodes and a preemption",
        Signal::derive(markup),
    );
    view! { <div class="fig-sched-wrap">{svg}</div> }.into_any()
}

/// Slide 20: the framework's extension points with the one being played
/// lit, the Filter's verdict per node, the Score table, and the choice. At
/// scale a band of nodes opens (a click, or Enter on it) to zoom the Score
/// table into its nodes.
pub fn framework(live: Live<SchedulerSim>) -> AnyView {
    let reached = Memo::new(move |_| reached_point(live));
    let zoom = RwSignal::new(None::<usize>);
    let markup = move || {
        let reached = reached.get();
        let played = played_points(live);
        let zoom = zoom.get();
        live.with(|sim| {
            let mut s = Svg::default();
            points_view(&mut s, reached, &played);
            let attempt = latest_attempt(sim);
            s.el("text")
                .attr("class", "sched-head")
                .attr("x", 8)
                .attr("y", 106)
                .text(pod_line(sim, attempt.as_deref()));
            tables(&mut s, attempt.as_deref(), reached, zoom);
            s.finish()
        })
    };
    // The band an event is on, opened or closed.
    let toggle = move |target: Option<web_sys::EventTarget>| {
        let band = target
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("[data-band]").ok().flatten())
            .and_then(|e| e.get_attribute("data-band"))
            .and_then(|b| b.parse::<usize>().ok())?;
        zoom.update(|z| *z = if *z == Some(band) { None } else { Some(band) });
        Some(band)
    };
    let svg = drawing_svg(
        "fig-sched fig-sched-framework",
        &view_box(),
        "group",
        "The scheduling framework: one pod through every extension point, Filter and Score per node",
        Signal::derive(markup),
    );
    view! {
        <div class="fig-sched-wrap"
            on:click=move |e: ev::MouseEvent| { toggle(e.target()); }
            on:keydown=move |e: ev::KeyboardEvent| {
                if e.key() != "Enter" {
                    return;
                }
                if toggle(e.target()).is_some() {
                    e.prevent_default();
                    e.stop_propagation();
                }
            }>
            {svg}
        </div>
    }
    .into_any()
}

/// The pod named by the last step's object (`pod default/<name>`), if any.
fn changed_pod(live: Live<SchedulerSim>) -> Memo<Option<String>> {
    Memo::new(move |_| {
        let step = live.step();
        live.with_run(|run| {
            step.checked_sub(1)
                .and_then(|i| run.told.get(i))
                .and_then(|t| t.object.strip_prefix("pod default/").map(str::to_string))
        })
    })
}

/// The index in [`POINTS`] of the last framework point played so far
/// (none before the first pod is popped).
fn reached_point(live: Live<SchedulerSim>) -> Option<usize> {
    let step = live.step();
    live.with_run(|run| {
        run.told[..step.min(run.told.len())]
            .iter()
            .rev()
            .find_map(|t| {
                POINTS
                    .iter()
                    .position(|(_, rules)| rules.contains(&t.rule.id))
            })
    })
}

/// The indices in [`POINTS`] played by the latest attempt so far: every
/// point since the last QueueSort.
fn played_points(live: Live<SchedulerSim>) -> Vec<usize> {
    let step = live.step();
    live.with_run(|run| {
        let mut played = Vec::new();
        for told in run.told[..step.min(run.told.len())].iter().rev() {
            let Some(i) = POINTS
                .iter()
                .position(|(_, rules)| rules.contains(&told.rule.id))
            else {
                continue;
            };
            played.push(i);
            if i == 0 {
                break;
            }
        }
        played
    })
}

/// The attempt made last, in any pod's record.
fn latest_attempt(sim: &SchedulerSim) -> Option<Arc<Attempt>> {
    sim.records()
        .iter()
        .filter_map(|r| r.last.clone())
        .max_by_key(|a| a.cycle)
}

/// A pod chip's label: its name and priority.
fn pod_label(sim: &SchedulerSim, id: PodId) -> String {
    let pod = sim.cluster().pod(id);
    match &pod.priority_class {
        Some(class) => format!("{} · {class} {}", pod.name, pod.priority),
        None => format!("{} · {}", pod.name, pod.priority),
    }
}

/// The three parts of the queue, each a box of pod chips in its order.
fn queue_view(s: &mut Svg, sim: &SchedulerSim, changed: Option<&str>) {
    let queue = sim.queue();
    let parts: [(Place, &str, Vec<PodId>); 3] = [
        (
            Place::Active,
            "activeQ: highest priority pops first",
            queue.active().collect(),
        ),
        (
            Place::Backoff,
            "backoffQ: waiting out a backoff",
            queue.backoff().map(|(p, _)| p).collect(),
        ),
        (
            Place::Unschedulable,
            "unschedulablePods: wait for a cluster event",
            queue.unschedulable().map(|(p, _)| p).collect(),
        ),
    ];
    for (i, (place, title, pods)) in parts.into_iter().enumerate() {
        let y = 20.0 + i as f64 * 62.0;
        s.el("g")
            .attr("class", "sched-queue")
            .attr("data-place", place.name())
            .open();
        s.el("rect")
            .attr("class", "sched-box")
            .attr("x", 8)
            .attr("y", tenths(y))
            .attr("width", 282)
            .attr("height", 56)
            .attr("rx", 4)
            .close();
        s.el("text")
            .attr("class", "sched-title")
            .attr("x", 14)
            .attr("y", tenths(y + 14.0))
            .text(title);
        if pods.is_empty() {
            s.el("text")
                .attr("class", "sched-small sched-muted")
                .attr("x", 16)
                .attr("y", tenths(y + 36.0))
                .text("empty");
        }
        for (k, &pod) in pods.iter().take(4).enumerate() {
            let name = &sim.cluster().pod(pod).name;
            let class = classes(
                "sched-chip",
                &[("sched-changed", changed == Some(name.as_str()))],
            );
            let x = 14.0 + (k % 2) as f64 * 134.0;
            let cy = y + 22.0 + (k / 2) as f64 * 18.0;
            s.el("g").attr("class", class).attr("data-pod", name).open();
            s.el("rect")
                .attr("x", tenths(x))
                .attr("y", tenths(cy))
                .attr("width", 128)
                .attr("height", 15)
                .attr("rx", 3)
                .close();
            s.el("text")
                .attr("x", tenths(x + 5.0))
                .attr("y", tenths(cy + 11.0))
                .text(pod_label(sim, pod));
            s.end();
        }
        s.end();
    }
}

/// One column per node: its name, taints, CPU bar, pods and nominations.
fn nodes_view(s: &mut Svg, sim: &SchedulerSim, changed: Option<&str>) {
    let cluster = sim.cluster();
    let count = cluster.nodes.len().max(1);
    let width = (WIDTH - 300.0 - 8.0) / count as f64 - 6.0;
    for (i, node) in cluster.nodes.iter().enumerate() {
        let id = i as u32;
        let x = 300.0 + i as f64 * (width + 6.0);
        let cpu = node.allocatable.milli_cpu.max(1);
        let used = cluster.usage[i].requested.milli_cpu;
        let bar = (width - 12.0) * (used.min(cpu) as f64 / cpu as f64);
        let taint = node
            .taints
            .first()
            .map(|t| format!("taint {}", short_key(&t.key)));
        let mut rows: Vec<(String, String, &str)> = cluster
            .pods_on(id)
            .map(|(pod, spec)| {
                let phase = match cluster.pod_state(pod).phase {
                    Phase::Terminating => "terminating",
                    Phase::Assumed => "assumed",
                    _ => "bound",
                };
                (spec.name.clone(), pod_label(sim, pod), phase)
            })
            .collect();
        rows.extend(cluster.nominated_to(id).iter().map(|&pod| {
            let p = cluster.pod(pod);
            (
                p.name.clone(),
                format!("nominated: {} {}", p.name, p.priority),
                "nominated",
            )
        }));
        let node_class = classes("sched-node", &[("sched-tainted", taint.is_some())]);
        s.el("g")
            .attr("class", node_class)
            .attr("data-node", &node.name)
            .open();
        s.el("rect")
            .attr("class", "sched-box")
            .attr("x", tenths(x))
            .attr("y", 20)
            .attr("width", tenths(width))
            .attr("height", 186)
            .attr("rx", 4)
            .close();
        s.el("text")
            .attr("class", "sched-title")
            .attr("x", tenths(x + 6.0))
            .attr("y", 34)
            .text(&node.name);
        s.el("text")
            .attr("class", "sched-small sched-muted")
            .attr("x", tenths(x + 6.0))
            .attr("y", 46)
            .text(taint.unwrap_or_default());
        s.el("rect")
            .attr("class", "sched-track")
            .attr("x", tenths(x + 6.0))
            .attr("y", 52)
            .attr("width", tenths(width - 12.0))
            .attr("height", 8)
            .close();
        s.el("rect")
            .attr("class", "sched-bar")
            .attr("x", tenths(x + 6.0))
            .attr("y", 52)
            .attr("width", tenths(bar))
            .attr("height", 8)
            .close();
        s.el("text")
            .attr("class", "sched-small")
            .attr("x", tenths(x + 6.0))
            .attr("y", 70)
            .text(format_args!("{used}m / {cpu}m CPU"));
        for (k, (name, label, phase)) in rows.into_iter().enumerate() {
            let y = 76.0 + k as f64 * 20.0;
            let class = classes(
                &format!("sched-chip sched-{phase}"),
                &[("sched-changed", changed == Some(name.as_str()))],
            );
            s.el("g")
                .attr("class", class)
                .attr("data-pod", &name)
                .attr("data-phase", phase)
                .open();
            s.el("rect")
                .attr("x", tenths(x + 6.0))
                .attr("y", tenths(y))
                .attr("width", tenths(width - 12.0))
                .attr("height", 16)
                .attr("rx", 3)
                .close();
            s.el("text")
                .attr("x", tenths(x + 10.0))
                .attr("y", tenths(y + 11.5))
                .text(clip(&label, ((width - 16.0) / 5.6) as usize));
            s.el("title").text(format_args!("{label}: {phase}"));
            s.end();
        }
        s.end();
    }
}

/// What the pod in its cycle is doing, or what preemption chose.
fn cycle_line(s: &mut Svg, sim: &SchedulerSim, live: Live<SchedulerSim>) {
    let point = reached_point(live).map(|i| POINTS[i].0);
    let (first, second) = match (latest_attempt(sim), point) {
        (Some(attempt), Some(point)) => {
            let first = format!(
                "last cycle: {} (priority {}) at {point}",
                attempt.pod_name,
                sim.cluster().pod(attempt.pod).priority
            );
            let mut line = String::new();
            if let Some(Preemption::Nominated {
                candidates,
                chosen,
                criterion,
                ..
            }) = &attempt.preemption
            {
                if let Some(c) = candidates.get(*chosen) {
                    let victims: Vec<&str> = c
                        .victims
                        .iter()
                        .map(|v| sim.cluster().pod(*v).name.as_str())
                        .collect();
                    line.push_str(&format!(
                        "DefaultPreemption picked {} (victim {}): {}",
                        attempt.node_name(c.node),
                        victims.join(", "),
                        criterion.says()
                    ));
                }
            } else if let Some(message) = attempt.message() {
                line.push_str(&message);
            }
            (first, line)
        }
        _ => ("no pod has been popped yet".to_string(), String::new()),
    };
    s.el("text")
        .attr("class", "sched-small sched-cycle")
        .attr("x", 8)
        .attr("y", 217)
        .text(first);
    s.el("text")
        .attr("class", "sched-small sched-muted")
        .attr("x", 8)
        .attr("y", 229)
        .text(clip(&second, 175));
}

/// What the chips' outlines mean.
fn legend(s: &mut Svg) {
    let items = [
        ("sched-bound", "bound"),
        ("sched-assumed", "assumed (Reserve)"),
        ("sched-terminating", "terminating (grace period)"),
        ("sched-nominated", "nominatedNodeName"),
        ("sched-changed", "last step's pod"),
    ];
    for (i, (class, label)) in items.into_iter().enumerate() {
        let x = 8.0 + i as f64 * 150.0;
        s.el("g")
            .attr("class", format_args!("sched-chip sched-legend {class}"))
            .open();
        s.el("rect")
            .attr("x", tenths(x))
            .attr("y", 236)
            .attr("width", 14)
            .attr("height", 11)
            .attr("rx", 2)
            .close();
        s.el("text")
            .attr("class", "sched-small")
            .attr("x", tenths(x + 19.0))
            .attr("y", 245)
            .text(label);
        s.end();
    }
}

/// The extension points in two rows: the scheduling cycle, then the binding cycle.
fn points_view(s: &mut Svg, reached: Option<usize>, played: &[usize]) {
    s.el("text")
        .attr("class", "sched-head")
        .attr("x", 8)
        .attr("y", 14)
        .text("scheduling cycle (one pod at a time)");
    s.el("text")
        .attr("class", "sched-head")
        .attr("x", 8)
        .attr("y", 58)
        .text("binding cycle (may run in parallel)");
    s.el("text").attr("class", "sched-small sched-muted").attr("x", 356).attr("y", 79)
        .text("lit: just played · outlined: done · faded: not run this cycle · dashed: a step, not an extension point");
    for (i, (name, _)) in POINTS.iter().enumerate() {
        let (row, col) = if i < BINDING_CYCLE {
            (0.0, i as f64)
        } else {
            (1.0, (i - BINDING_CYCLE) as f64)
        };
        let x = 8.0 + col * 87.0;
        let y = 20.0 + row * 44.0;
        let class = classes(
            "sched-point",
            &[
                ("sched-done", reached != Some(i) && played.contains(&i)),
                ("sched-now", reached == Some(i)),
                (
                    "sched-skipped",
                    reached.is_some_and(|r| i < r) && !played.contains(&i),
                ),
                ("sched-not-ext", i == SELECT),
            ],
        );
        s.el("g")
            .attr("class", class)
            .attr("data-point", name)
            .open();
        s.el("rect")
            .attr("x", tenths(x))
            .attr("y", tenths(y))
            .attr("width", 82)
            .attr("height", 22)
            .attr("rx", 4)
            .close();
        s.el("text")
            .attr("x", tenths(x + 41.0))
            .attr("y", tenths(y + 15.0))
            .attr("text-anchor", "middle")
            .text(name);
        s.end();
    }
}

/// Who is being scheduled, and where it is.
fn pod_line(sim: &SchedulerSim, attempt: Option<&Attempt>) -> String {
    match attempt {
        None => {
            let waiting: Vec<&str> = sim
                .queue()
                .active()
                .map(|p| sim.cluster().pod(p).name.as_str())
                .collect();
            format!("activeQ: {}; no attempt yet", waiting.join(", "))
        }
        Some(a) => {
            let state = sim.cluster().pod_state(a.pod);
            let node = state
                .node
                .map(|n| sim.cluster().node_name(n).to_string())
                .unwrap_or_else(|| "none".into());
            let phase = match state.phase {
                Phase::Bound => "Bound",
                Phase::Assumed => "Assumed",
                _ => "Pending",
            };
            format!(
                "pod {} (cycle {}): {phase} · nodeName {node}",
                a.pod_name, a.cycle
            )
        }
    }
}

/// The Filter and Score tables: per node, or summarized once the attempt
/// has more nodes than its rows can show.
fn tables(s: &mut Svg, attempt: Option<&Attempt>, reached: Option<usize>, zoom: Option<usize>) {
    let past = |point: usize| reached.is_some_and(|r| r >= point);
    match attempt {
        Some(a) if scale::at_scale(a) && past(FILTER) => {
            let totals = a.table.as_ref().map_or(&[][..], |t| &t.totals[..]);
            let bands = scale::bands(&scale::verdicts(a), totals, scale::BANDS);
            let zoomed = zoom.filter(|k| *k < bands.len() && past(SCORE));
            scale::filter_at_scale(s, a, &bands, zoomed, past(NORMALIZE));
            if past(SCORE) {
                scale::score_at_scale(s, a, &bands, zoomed, past(NORMALIZE), past(SELECT));
            }
        }
        _ => {
            filter_table(s, attempt, reached);
            score_table(s, attempt, reached);
        }
    }
}

/// The Filter's verdict per node, in the order it looked at them.
fn filter_table(s: &mut Svg, attempt: Option<&Attempt>, reached: Option<usize>) {
    let shown = reached.is_some_and(|r| r >= FILTER);
    s.el("text")
        .attr("class", "sched-title")
        .attr("x", 8)
        .attr("y", 120)
        .text("Filter, per node");
    let Some(a) = attempt.filter(|_| shown) else {
        s.el("text")
            .attr("class", "sched-small sched-muted")
            .attr("x", 8)
            .attr("y", 136)
            .text("not run yet");
        return;
    };
    let mut rows: Vec<(usize, String, bool, String)> = a
        .rejected
        .iter()
        .map(|(node, rejection)| {
            let spec = &a.nodes[*node as usize];
            let why = format!(
                "{}: {}",
                rejection.plugin.name(),
                rejection.texts(spec).join(", ")
            );
            (*node as usize, spec.name.clone(), false, why)
        })
        .chain(a.feasible.iter().map(|n| {
            (
                *n as usize,
                a.node_name(*n).to_string(),
                true,
                "passes every Filter plugin".into(),
            )
        }))
        .collect();
    sort_stable_by_key(&mut rows, |(n, ..)| *n);
    for (i, (_, node, pass, why)) in rows.into_iter().enumerate() {
        let y = 134.0 + i as f64 * 24.0;
        let class = classes(
            "sched-filter-row",
            &[("sched-pass", pass), ("sched-fail", !pass)],
        );
        s.el("g")
            .attr("class", class)
            .attr("data-node", &node)
            .attr("data-pass", pass)
            .open();
        s.el("text")
            .attr("class", "sched-mono")
            .attr("x", 8)
            .attr("y", tenths(y))
            .text(&node);
        s.el("text")
            .attr("class", "sched-verdict")
            .attr("x", 62)
            .attr("y", tenths(y))
            .text(if pass { "✓" } else { "✗" });
        s.el("text")
            .attr("class", "sched-small")
            .attr("x", 76)
            .attr("y", tenths(y))
            .text(clip(&why, 52));
        s.el("title").text(&why);
        s.end();
    }
}

/// The Score table: per feasible node and plugin, raw → normalized × weight;
/// the totals; the chosen node.
fn score_table(s: &mut Svg, attempt: Option<&Attempt>, reached: Option<usize>) {
    let raw_shown = reached.is_some_and(|r| r >= SCORE);
    let normalized_shown = reached.is_some_and(|r| r >= NORMALIZE);
    let chosen_shown = reached.is_some_and(|r| r >= SELECT);
    s.el("text")
        .attr("class", "sched-title")
        .attr("x", tenths(SCORE_LEFT))
        .attr("y", 120)
        .text("Score per plugin: raw → normalized, × weight = weighted; total = sum");
    let Some(a) = attempt.filter(|_| raw_shown) else {
        let note = match attempt.and_then(|a| a.selected.filter(|_| chosen_shown)) {
            Some(sel) => format!(
                "one feasible node, {}: chosen without scoring",
                attempt.map_or("", |a| a.node_name(sel.node))
            ),
            None => "not run yet".to_string(),
        };
        s.el("text")
            .attr("class", "sched-small sched-muted")
            .attr("x", tenths(SCORE_LEFT))
            .attr("y", 136)
            .text(note);
        return;
    };
    let Some(table) = &a.table else {
        return;
    };
    s.el("text")
        .attr("class", "sched-small sched-col")
        .attr("x", tenths(WIDTH - 52.0))
        .attr("y", 136)
        .text("total");
    score_header(s, table);
    let chosen = a.selected.filter(|_| chosen_shown).map(|sel| sel.node);
    for row in 0..a.feasible.len() {
        score_row(
            s,
            a,
            table,
            row,
            166.0 + row as f64 * 32.0,
            normalized_shown,
            chosen,
        );
    }
}

/// The width of one plugin's column in the Score table.
fn cell_width(table: &ScoreTable) -> f64 {
    (WIDTH - SCORE_LEFT - 60.0 - 56.0) / table.plugins.len().max(1) as f64
}

/// The Score table's column heads: each plugin and its weight.
pub(super) fn score_header(s: &mut Svg, table: &ScoreTable) {
    let cell_w = cell_width(table);
    for (c, (plugin, weight)) in table.plugins.iter().enumerate() {
        let x = tenths(SCORE_LEFT + 60.0 + c as f64 * cell_w);
        s.el("text")
            .attr("class", "sched-small sched-col")
            .attr("x", x)
            .attr("y", 136)
            .text(short_plugin(plugin.name()));
        s.el("text")
            .attr("class", "sched-small sched-muted")
            .attr("x", x)
            .attr("y", 147)
            .text(format_args!("weight {weight}"));
    }
}

/// One feasible node's row of the Score table at height `y`: per plugin
/// raw → normalized × weight once normalized, its total, and whether it
/// is `chosen`.
pub(super) fn score_row(
    s: &mut Svg,
    a: &Attempt,
    table: &ScoreTable,
    row: usize,
    y: f64,
    normalized_shown: bool,
    chosen: Option<NodeId>,
) {
    let node = a.feasible.get(row).copied().unwrap_or_default();
    let name = a.node_name(node);
    let cell_w = cell_width(table);
    let total = normalized_shown.then(|| table.totals.get(row).copied().unwrap_or(0));
    let is_chosen = chosen == Some(node);
    let class = classes("sched-score-row", &[("sched-chosen", is_chosen)]);
    let total_text = total.map(|t| t.to_string()).unwrap_or_default();
    s.el("g")
        .attr("class", class)
        .attr("data-node", name)
        .attr("data-total", &total_text)
        .open();
    s.el("rect")
        .attr("class", "sched-row-bg")
        .attr("x", tenths(SCORE_LEFT - 4.0))
        .attr("y", tenths(y - 14.0))
        .attr("width", tenths(WIDTH - SCORE_LEFT - 4.0))
        .attr("height", 30)
        .attr("rx", 3)
        .close();
    s.el("text")
        .attr("class", name_class(name))
        .attr("x", tenths(SCORE_LEFT))
        .attr("y", tenths(y))
        .text(name);
    for (c, (_, weight)) in table.plugins.iter().enumerate() {
        let raw = table.cell(&table.raw, row, c);
        let x = tenths(SCORE_LEFT + 60.0 + c as f64 * cell_w);
        let normalized = table.cell(&table.normalized, row, c);
        let first = s
            .el("text")
            .attr("class", "sched-small sched-mono")
            .attr("x", x)
            .attr("y", tenths(y));
        if normalized_shown {
            first.text(format_args!("{raw} → {normalized}"));
        } else {
            first.text(raw);
        }
        let second = s
            .el("text")
            .attr("class", "sched-small sched-mono sched-muted")
            .attr("x", x)
            .attr("y", tenths(y + 12.0));
        if normalized_shown {
            second.text(format_args!("× {weight} = {}", normalized * weight));
        } else {
            second.text("");
        }
    }
    s.el("text")
        .attr("class", "sched-total")
        .attr("x", tenths(WIDTH - 52.0))
        .attr("y", tenths(y))
        .text(&total_text);
    if is_chosen {
        s.el("text")
            .attr("class", "sched-small sched-pick")
            .attr("x", tenths(SCORE_LEFT))
            .attr("y", tenths(y + 12.0))
            .text("chosen");
    }
    s.end();
}

/// A node name's class: names longer than the column set smaller.
fn name_class(name: &str) -> &'static str {
    if name.len() > 9 {
        "sched-mono sched-tiny"
    } else {
        "sched-mono"
    }
}

/// A plugin's name, shortened to fit a column.
fn short_plugin(name: &str) -> &str {
    match name {
        "NodeResourcesBalancedAllocation" => "BalancedAllocation",
        "NodeResourcesFit" => "NodeResourcesFit",
        "PodTopologySpread" => "TopologySpread",
        other => other,
    }
}

/// A taint key without its domain prefix.
fn short_key(key: &str) -> &str {
    key.rsplit('/').next().unwrap_or(key)
}

/// `base` and each flag's class that is set, in a fixed order.
pub(super) fn classes(base: &str, flags: &[(&str, bool)]) -> String {
    let mut out = base.to_string();
    for (class, on) in flags {
        if *on {
            out.push(' ');
            out.push_str(class);
        }
    }
    out
}

fn view_box() -> String {
    format!("0 0 {} {}", short(WIDTH), short(HEIGHT))
}

/// `text` cut to `chars` characters, with an ellipsis when cut.
pub(super) fn clip(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_string()
    } else {
        let mut out: String = text.chars().take(chars.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}
