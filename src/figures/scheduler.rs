//! The live figures of the scheduler simulator: the scheduling queue with
//! priorities and a preemption (slide 19), and one pod through every
//! extension point of the scheduling framework (slide 20). Each is one SVG
//! drawn from the simulation's typed state; the attempt shown is revealed
//! point by point as its steps are played.

use super::scheduler_scale as scale;
use super::Live;
use leptos::prelude::*;
use sim_scheduler::attempt::{Attempt, Preemption, ScoreTable};
use sim_scheduler::cluster::{NodeId, Phase, PodId};
use sim_scheduler::queue::Place;
use sim_scheduler::SchedulerSim;
use std::sync::Arc;

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
    view! {
        <div class="fig-sched-wrap">
        <svg class="fig-sched fig-sched-priority" viewBox=view_box() preserveAspectRatio="xMidYMid meet"
            role="img" aria-label="kube-scheduler: the scheduling queue by priority, the nodes and a preemption">
            <text class="sched-head" x="8" y="12">"scheduling queue"</text>
            {move || live.with(|sim| queue_view(sim, changed.get().as_deref()))}
            <text class="sched-head" x="300" y="12">"nodes: CPU requested / allocatable, the pods on each"</text>
            {move || live.with(|sim| nodes_view(sim, changed.get().as_deref()))}
            {move || live.with(|sim| cycle_line(sim, live))}
            {legend()}
        </svg>
        </div>
    }
    .into_any()
}

/// Slide 20: the framework's extension points with the one being played
/// lit, the Filter's verdict per node, the Score table, and the choice.
pub fn framework(live: Live<SchedulerSim>) -> AnyView {
    let reached = Memo::new(move |_| reached_point(live));
    let zoom = RwSignal::new(None::<usize>);
    view! {
        <div class="fig-sched-wrap">
        <svg class="fig-sched fig-sched-framework" viewBox=view_box() preserveAspectRatio="xMidYMid meet"
            role="img" aria-label="The scheduling framework: one pod through every extension point, Filter and Score per node">
            {move || points_view(reached.get(), &played_points(live))}
            {move || live.with(|sim| {
                let attempt = latest_attempt(sim);
                view! {
                    <text class="sched-head" x="8" y="106">{pod_line(sim, attempt.as_deref())}</text>
                    {tables(attempt.as_deref(), reached.get(), zoom)}
                }
            })}
        </svg>
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
fn queue_view(sim: &SchedulerSim, changed: Option<&str>) -> impl IntoView {
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
    parts
        .into_iter()
        .enumerate()
        .map(|(i, (place, title, pods))| {
            let y = 20.0 + i as f64 * 62.0;
            let chips = if pods.is_empty() {
                view! { <text class="sched-small sched-muted" x="16" y=fmt(y + 36.0)>"empty"</text> }
                    .into_any()
            } else {
                pods.iter()
                    .take(4)
                    .enumerate()
                    .map(|(k, &pod)| {
                        let name = sim.cluster().pod(pod).name.clone();
                        let class = classes("sched-chip", &[("sched-changed", changed == Some(name.as_str()))]);
                        let x = 14.0 + (k % 2) as f64 * 134.0;
                        let cy = y + 22.0 + (k / 2) as f64 * 18.0;
                        view! {
                            <g class=class data-pod=name>
                                <rect x=fmt(x) y=fmt(cy) width="128" height="15" rx="3"/>
                                <text x=fmt(x + 5.0) y=fmt(cy + 11.0)>{pod_label(sim, pod)}</text>
                            </g>
                        }
                    })
                    .collect_view()
                    .into_any()
            };
            view! {
                <g class="sched-queue" data-place=place.name()>
                    <rect class="sched-box" x="8" y=fmt(y) width="282" height="56" rx="4"/>
                    <text class="sched-title" x="14" y=fmt(y + 14.0)>{title}</text>
                    {chips}
                </g>
            }
        })
        .collect_view()
}

/// One column per node: its name, taints, CPU bar, pods and nominations.
fn nodes_view(sim: &SchedulerSim, changed: Option<&str>) -> impl IntoView {
    let cluster = sim.cluster();
    let count = cluster.nodes.len().max(1);
    let width = (WIDTH - 300.0 - 8.0) / count as f64 - 6.0;
    cluster
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| {
            let id = i as u32;
            let x = 300.0 + i as f64 * (width + 6.0);
            let cpu = node.allocatable.milli_cpu.max(1);
            let used = cluster.usage[i].requested.milli_cpu;
            let bar = (width - 12.0) * (used.min(cpu) as f64 / cpu as f64);
            let taint = node.taints.first().map(|t| format!("taint {}", short_key(&t.key)));
            let mut rows: Vec<(String, String, String)> = cluster
                .pods_on(id)
                .map(|(pod, spec)| {
                    let phase = match cluster.pod_state(pod).phase {
                        Phase::Terminating => "terminating",
                        Phase::Assumed => "assumed",
                        _ => "bound",
                    };
                    (spec.name.clone(), pod_label(sim, pod), phase.to_string())
                })
                .collect();
            rows.extend(cluster.nominated_to(id).iter().map(|&pod| {
                (
                    cluster.pod(pod).name.clone(),
                    format!("nominated: {} {}", cluster.pod(pod).name, cluster.pod(pod).priority),
                    "nominated".to_string(),
                )
            }));
            let pods = rows
                .into_iter()
                .enumerate()
                .map(|(k, (name, label, phase))| {
                    let y = 76.0 + k as f64 * 20.0;
                    let class = classes(
                        &format!("sched-chip sched-{phase}"),
                        &[("sched-changed", changed == Some(name.as_str()))],
                    );
                    view! {
                        <g class=class data-pod=name data-phase=phase.clone()>
                            <rect x=fmt(x + 6.0) y=fmt(y) width=fmt(width - 12.0) height="16" rx="3"/>
                            <text x=fmt(x + 10.0) y=fmt(y + 11.5)>{clip(&label, ((width - 16.0) / 5.6) as usize)}</text>
                            <title>{format!("{label}: {phase}")}</title>
                        </g>
                    }
                })
                .collect_view();
            let node_class = classes("sched-node", &[("sched-tainted", taint.is_some())]);
            view! {
                <g class=node_class data-node=node.name.clone()>
                    <rect class="sched-box" x=fmt(x) y="20" width=fmt(width) height="186" rx="4"/>
                    <text class="sched-title" x=fmt(x + 6.0) y="34">{node.name.clone()}</text>
                    <text class="sched-small sched-muted" x=fmt(x + 6.0) y="46">{taint.unwrap_or_default()}</text>
                    <rect class="sched-track" x=fmt(x + 6.0) y="52" width=fmt(width - 12.0) height="8"/>
                    <rect class="sched-bar" x=fmt(x + 6.0) y="52" width=fmt(bar) height="8"/>
                    <text class="sched-small" x=fmt(x + 6.0) y="70">{format!("{used}m / {cpu}m CPU")}</text>
                    {pods}
                </g>
            }
        })
        .collect_view()
}

/// What the pod in its cycle is doing, or what preemption chose.
fn cycle_line(sim: &SchedulerSim, live: Live<SchedulerSim>) -> impl IntoView {
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
    view! {
        <text class="sched-small sched-cycle" x="8" y="217">{first}</text>
        <text class="sched-small sched-muted" x="8" y="229">{clip(&second, 175)}</text>
    }
}

/// What the chips' outlines mean.
fn legend() -> impl IntoView {
    let items = [
        ("sched-bound", "bound"),
        ("sched-assumed", "assumed (Reserve)"),
        ("sched-terminating", "terminating (grace period)"),
        ("sched-nominated", "nominatedNodeName"),
        ("sched-changed", "last step's pod"),
    ];
    items
        .into_iter()
        .enumerate()
        .map(|(i, (class, label))| {
            let x = 8.0 + i as f64 * 150.0;
            view! {
                <g class=format!("sched-chip sched-legend {class}")>
                    <rect x=fmt(x) y="236" width="14" height="11" rx="2"/>
                    <text class="sched-small" x=fmt(x + 19.0) y="245">{label}</text>
                </g>
            }
        })
        .collect_view()
}

/// The extension points in two rows: the scheduling cycle, then the binding cycle.
fn points_view(reached: Option<usize>, played: &[usize]) -> impl IntoView {
    let boxes = POINTS
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
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
            view! {
                <g class=class data-point=*name>
                    <rect x=fmt(x) y=fmt(y) width="82" height="22" rx="4"/>
                    <text x=fmt(x + 41.0) y=fmt(y + 15.0) text-anchor="middle">{*name}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <text class="sched-head" x="8" y="14">"scheduling cycle (one pod at a time)"</text>
        <text class="sched-head" x="8" y="58">"binding cycle (may run in parallel)"</text>
        <text class="sched-small sched-muted" x="356" y="79">"lit: just played · outlined: done · faded: not run this cycle · dashed: a step, not an extension point"</text>
        {boxes}
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
fn tables(
    attempt: Option<&Attempt>,
    reached: Option<usize>,
    zoom: RwSignal<Option<usize>>,
) -> AnyView {
    let past = |point: usize| reached.is_some_and(|r| r >= point);
    match attempt {
        Some(a) if scale::at_scale(a) && past(FILTER) => {
            let totals = a.table.as_ref().map_or(&[][..], |t| &t.totals[..]);
            let bands = scale::bands(&scale::verdicts(a), totals, scale::BANDS);
            let zoomed = zoom.get().filter(|k| *k < bands.len() && past(SCORE));
            view! {
                {scale::filter_at_scale(a, &bands, zoom, past(NORMALIZE))}
                {past(SCORE).then(|| scale::score_at_scale(a, &bands, zoomed, past(NORMALIZE), past(SELECT)))}
            }
            .into_any()
        }
        _ => view! {
            {filter_table(attempt, reached)}
            {score_table(attempt, reached)}
        }
        .into_any(),
    }
}

/// The Filter's verdict per node, in the order it looked at them.
fn filter_table(attempt: Option<&Attempt>, reached: Option<usize>) -> impl IntoView {
    let shown = reached.is_some_and(|r| r >= FILTER);
    let rows: Vec<(String, bool, String)> = match attempt {
        Some(a) if shown => {
            let mut rows: Vec<(usize, (String, bool, String))> = a
                .rejected
                .iter()
                .map(|(node, rejection)| {
                    let spec = &a.nodes[*node as usize];
                    let why = format!(
                        "{}: {}",
                        rejection.plugin.name(),
                        rejection.texts(spec).join(", ")
                    );
                    (*node as usize, (spec.name.clone(), false, why))
                })
                .chain(a.feasible.iter().map(|n| {
                    (
                        *n as usize,
                        (
                            a.node_name(*n).to_string(),
                            true,
                            "passes every Filter plugin".into(),
                        ),
                    )
                }))
                .collect();
            rows.sort_by_key(|(n, _)| *n);
            rows.into_iter().map(|(_, row)| row).collect()
        }
        _ => Vec::new(),
    };
    let body = rows
        .into_iter()
        .enumerate()
        .map(|(i, (node, pass, why))| {
            let y = 134.0 + i as f64 * 24.0;
            let class = classes("sched-filter-row", &[("sched-pass", pass), ("sched-fail", !pass)]);
            let key = node.clone();
            view! {
                <g class=class data-node=key data-pass=pass.to_string()>
                    <text class="sched-mono" x="8" y=fmt(y)>{node}</text>
                    <text class="sched-verdict" x="62" y=fmt(y)>{if pass { "✓" } else { "✗" }}</text>
                    <text class="sched-small" x="76" y=fmt(y)>{clip(&why, 52)}</text>
                    <title>{why.clone()}</title>
                </g>
            }
        })
        .collect_view();
    view! {
        <text class="sched-title" x="8" y="120">"Filter, per node"</text>
        {(!shown).then(|| view! { <text class="sched-small sched-muted" x="8" y="136">"not run yet"</text> })}
        {body}
    }
}

/// The Score table: per feasible node and plugin, raw → normalized × weight;
/// the totals; the chosen node.
fn score_table(attempt: Option<&Attempt>, reached: Option<usize>) -> impl IntoView {
    let raw_shown = reached.is_some_and(|r| r >= SCORE);
    let normalized_shown = reached.is_some_and(|r| r >= NORMALIZE);
    let chosen_shown = reached.is_some_and(|r| r >= SELECT);
    let title = view! {
        <text class="sched-title" x=fmt(SCORE_LEFT) y="120">"Score per plugin: raw → normalized, × weight = weighted; total = sum"</text>
    };
    let Some(a) = attempt.filter(|_| raw_shown) else {
        let note = match attempt.and_then(|a| a.selected.filter(|_| chosen_shown)) {
            Some(s) => format!(
                "one feasible node, {}: chosen without scoring",
                attempt.map_or("", |a| a.node_name(s.node))
            ),
            None => "not run yet".to_string(),
        };
        return view! { {title} <text class="sched-small sched-muted" x=fmt(SCORE_LEFT) y="136">{note}</text> }.into_any();
    };
    let Some(table) = &a.table else {
        return view! { {title} }.into_any();
    };
    let header = score_header(table);
    let chosen = a.selected.filter(|_| chosen_shown).map(|s| s.node);
    let rows = (0..a.feasible.len())
        .map(|row| {
            score_row(
                a,
                table,
                row,
                166.0 + row as f64 * 32.0,
                normalized_shown,
                chosen,
            )
        })
        .collect_view();
    view! {
        {title}
        <text class="sched-small sched-col" x=fmt(WIDTH - 52.0) y="136">"total"</text>
        {header}
        {rows}
    }
    .into_any()
}

/// The width of one plugin's column in the Score table.
fn cell_width(table: &ScoreTable) -> f64 {
    (WIDTH - SCORE_LEFT - 60.0 - 56.0) / table.plugins.len().max(1) as f64
}

/// The Score table's column heads: each plugin and its weight.
pub(super) fn score_header(table: &ScoreTable) -> impl IntoView {
    let cell_w = cell_width(table);
    table
        .plugins
        .iter()
        .enumerate()
        .map(|(c, (plugin, weight))| {
            let x = SCORE_LEFT + 60.0 + c as f64 * cell_w;
            view! {
                <text class="sched-small sched-col" x=fmt(x) y="136">{short_plugin(plugin.name())}</text>
                <text class="sched-small sched-muted" x=fmt(x) y="147">{format!("weight {weight}")}</text>
            }
        })
        .collect_view()
}

/// One feasible node's row of the Score table at height `y`: per plugin
/// raw → normalized × weight once normalized, its total, and whether it
/// is `chosen`.
pub(super) fn score_row(
    a: &Attempt,
    table: &ScoreTable,
    row: usize,
    y: f64,
    normalized_shown: bool,
    chosen: Option<NodeId>,
) -> impl IntoView {
    let node = a.feasible.get(row).copied().unwrap_or_default();
    let name = a.node_name(node).to_string();
    let cell_w = cell_width(table);
    let cells = table
        .plugins
        .iter()
        .enumerate()
        .map(|(c, (_, weight))| {
            let raw = table.cell(&table.raw, row, c);
            let x = fmt(SCORE_LEFT + 60.0 + c as f64 * cell_w);
            let normalized = table.cell(&table.normalized, row, c);
            let (first, second) = if normalized_shown {
                (
                    format!("{raw} → {normalized}"),
                    format!("× {weight} = {}", normalized * weight),
                )
            } else {
                (format!("{raw}"), String::new())
            };
            view! {
                <text class="sched-small sched-mono" x=x.clone() y=fmt(y)>{first}</text>
                <text class="sched-small sched-mono sched-muted" x=x y=fmt(y + 12.0)>{second}</text>
            }
        })
        .collect_view();
    let total = normalized_shown.then(|| table.totals.get(row).copied().unwrap_or(0));
    let is_chosen = chosen == Some(node);
    let class = classes("sched-score-row", &[("sched-chosen", is_chosen)]);
    let key = name.clone();
    view! {
        <g class=class data-node=key
            data-total=total.map(|t| t.to_string()).unwrap_or_default()>
            <rect class="sched-row-bg" x=fmt(SCORE_LEFT - 4.0) y=fmt(y - 14.0) width=fmt(WIDTH - SCORE_LEFT - 4.0) height="30" rx="3"/>
            <text class=name_class(&name) x=fmt(SCORE_LEFT) y=fmt(y)>{name.clone()}</text>
            {cells}
            <text class="sched-total" x=fmt(WIDTH - 52.0) y=fmt(y)>{total.map(|t| t.to_string()).unwrap_or_default()}</text>
            {is_chosen.then(|| view! { <text class="sched-small sched-pick" x=fmt(SCORE_LEFT) y=fmt(y + 12.0)>"chosen"</text> })}
        </g>
    }
}

/// A node name's class: names longer than the column set smaller.
pub(super) fn name_class(name: &str) -> &'static str {
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

pub(super) fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

fn view_box() -> String {
    format!("0 0 {WIDTH} {HEIGHT}")
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
