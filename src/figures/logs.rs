//! The live figures of the logs simulator: node-level logging with rotation
//! (slide 22), a node logging agent (slide 23) and a streaming sidecar
//! (slide 24). Each is one SVG drawn from the simulation's typed state; a
//! file row is keyed by its lineage, so a rotated file keeps its row and
//! slides to its new place, and a gzipped one shrinks in place.

use super::Live;
use leptos::prelude::*;
use sim_core::SimTime;
use sim_logs::agent::NodeAgent;
use sim_logs::config::Role;
use sim_logs::{LogFile, LogsSim, Phase};

/// Width of every drawing, in SVG units (about a CSS pixel on a slide).
const WIDTH: f64 = 880.0;
/// Height of every drawing.
const HEIGHT: f64 = 250.0;
/// Where slide 22's file rows start.
const NODE_ROWS_TOP: f64 = 56.0;
/// Width of one character of the 10-unit monospace text.
const MONO_CHAR: f64 = 6.0;

/// Slide 22: a container writing, its CRI files in `/var/log/pods`, the
/// kubelet's rotation by size and count, and what `kubectl logs` printed.
pub fn node_logging(live: Live<LogsSim>) -> AnyView {
    let changed = changed_object(live);
    let rows = Memo::new(move |_| {
        live.with(|sim| {
            let files: Vec<LogFile> = sim.files().collect();
            layout_rows(&files, None, NODE_ROWS_TOP, 19.0)
        })
    });
    let scale = Memo::new(move |_| {
        live.with(|sim| {
            let biggest = sim.files().map(|f| f.size).max().unwrap_or(0);
            bar_scale(sim.settings().container_log_max_size, biggest, 128.0)
        })
    });
    let threshold = move || live.with(|sim| sim.settings().container_log_max_size);
    let threshold_x = move || format!("{:.1}", 378.0 + threshold() as f64 * scale.get());
    let rows_bottom = move || {
        format!(
            "{:.1}",
            NODE_ROWS_TOP + rows.with(Vec::len).max(1) as f64 * 19.0
        )
    };
    view! {
        <div class="fig-logs-wrap">
        <svg class="fig-logs fig-logs-node" viewBox=view_box() preserveAspectRatio="xMidYMid meet"
            role="img" aria-label="Node-level logging: a container's log files and rotation">
            <text class="logs-head" x="10" y="14">{move || live.with(|sim| {
                let s = sim.settings();
                let every = s.container_log_monitor_interval_s.max(1);
                let next = (sim.now().as_nanos() / 1_000_000_000 / every + 1) * every;
                format!(
                    "kubelet: containerLogMaxSize {} · containerLogMaxFiles {} · checks every {every} s (next at {next} s)",
                    bytes(s.container_log_max_size), s.container_log_max_files
                )
            })}</text>
            {clock(live)}
            {container_box(live, changed)}
            <path class="logs-arrow" d="M182 100 H204" marker-end="url(#logs-arrowhead)"/>
            <text class="logs-small" x="184" y="94">"CRI"</text>
            {arrowhead()}
            <text class="logs-dir" x="210" y="36">{move || live.with(|sim| {
                let dir = sim.log_dir(0, 0).unwrap_or_else(|| "/var/log/pods/".into());
                clip(&shorten_uids(&dir), 60)
            })}</text>
            <For each=move || rows.get() key=|row| row.key let:row>
                {file_row(row.key, rows, scale, changed, Columns { name_x: 210.0, bar_x: 378.0, bar_w: 128.0, with_agent: false })}
            </For>
            <g class="logs-threshold-mark" style=move || if rows.with(Vec::is_empty) { "display: none" } else { "" }>
            <line class="logs-threshold" x1=threshold_x y1="42" x2=threshold_x y2=rows_bottom/>
            <text class="logs-small logs-threshold-label" x=threshold_x
                y=move || format!("{:.1}", NODE_ROWS_TOP + rows.with(Vec::len).max(1) as f64 * 19.0 + 10.0)
                text-anchor="middle">{move || format!("maxSize {}", bytes(threshold()))}</text>
            </g>
            {current_lines(live, rows)}
            {terminal(live, 620.0, 28.0, 250.0, 217.0)}
        </svg>
        </div>
    }
    .into_any()
}

/// Slide 23: a node logging agent following every file by inode, shipping
/// from its saved offsets, and what the backend has received.
pub fn agent(live: Live<LogsSim>) -> AnyView {
    let changed = changed_object(live);
    let groups = Memo::new(move |_| live.with(agent_groups));
    let rows = Memo::new(move |_| groups.with(|g| g.rows.clone()));
    let scale = Memo::new(move |_| {
        live.with(|sim| {
            let biggest = sim.files().map(|f| f.size).max().unwrap_or(0);
            bar_scale(sim.settings().container_log_max_size, biggest, 120.0)
        })
    });
    view! {
        <div class="fig-logs-wrap">
        <svg class="fig-logs fig-logs-agent" viewBox=view_box() preserveAspectRatio="xMidYMid meet"
            role="img" aria-label="A node logging agent tailing log files and shipping them to a backend">
            <text class="logs-head" x="10" y="14">{move || live.with(|sim| {
                let s = sim.settings();
                let agent = sim.agent_settings().map_or_else(String::new, |a| {
                    format!("{} polls every {} (first at {}) · ", a.name, millis(a.poll_interval_ms), millis(a.start_ms))
                });
                format!(
                    "{agent}kubelet rotates at {}, keeps {} files, checks every {} s",
                    bytes(s.container_log_max_size), s.container_log_max_files, s.container_log_monitor_interval_s
                )
            })}</text>
            {clock(live)}
            {move || groups.with(|g| g.titles.is_empty()).then(|| view! {
                <text class="logs-small logs-muted" x="10" y="40">"no container has started yet: nothing under /var/log/pods"</text>
            })}
            {move || groups.with(|g| {
                g.titles
                    .iter()
                    .map(|(title, y)| view! { <text class="logs-group" x="10" y=format!("{y:.1}")>{title.clone()}</text> })
                    .collect_view()
            })}
            <For each=move || rows.get() key=|row| row.key let:row>
                {file_row(row.key, rows, scale, changed, Columns { name_x: 14.0, bar_x: 170.0, bar_w: 120.0, with_agent: true })}
            </For>
            {arrowhead()}
            <path class="logs-arrow" d="M452 115 H474" marker-end="url(#logs-arrowhead)"/>
            <text class="logs-small" x="463" y="107" text-anchor="middle">"tail"</text>
            {agent_box(live, 478.0, 60.0, 112.0, 110.0)}
            <path class="logs-arrow" d="M593 115 H616" marker-end="url(#logs-arrowhead)"/>
            <text class="logs-small" x="604" y="107" text-anchor="middle">"ship"</text>
            {backend(live, 620.0, 28.0, 250.0, 217.0, 12)}
        </svg>
        </div>
    }
    .into_any()
}

/// Slide 24: the app writes files in a shared emptyDir; a streaming sidecar
/// prints one to its own stdout (ordinary CRI logs), a sidecar agent ships
/// the other itself.
pub fn sidecar(live: Live<LogsSim>) -> AnyView {
    let changed = changed_object(live);
    let roles = move |role: Role| {
        live.with(|sim| {
            sim.containers().iter().find(|c| c.role == role).map(|c| {
                (
                    c.name.to_string(),
                    c.tails.unwrap_or("").to_string(),
                    phase_text(c.phase),
                )
            })
        })
    };
    let app = move || roles(Role::App);
    let streaming = move || roles(Role::StreamingSidecar);
    let shipper = move || roles(Role::AgentSidecar);
    let name_of = |c: Option<(String, String, String)>| c.map_or_else(String::new, |c| c.0);
    let tails_of = |c: Option<(String, String, String)>| {
        c.map_or_else(String::new, |c| file_name(&c.1).to_string())
    };
    view! {
        <div class="fig-logs-wrap">
        <svg class="fig-logs fig-logs-sidecar" viewBox=view_box() preserveAspectRatio="xMidYMid meet"
            role="img" aria-label="A streaming sidecar turning a shared log file into its own stdout">
            {arrowhead()}
            {clock(live)}
            <rect class="logs-pod" x="10" y="22" width="555" height="140" rx="6"/>
            <text class="logs-title" x="18" y="38">{move || live.with(|sim| sim.pods().next().map_or_else(String::new, |p| format!("pod {}/{}", p.namespace, p.name)))}</text>
            <g class="logs-ctr">
                <rect x="20" y="52" width="128" height="64" rx="4"/>
                <text class="logs-title" x="28" y="68">{move || name_of(app())}</text>
                <text class="logs-small" x="28" y="84">"app: writes files,"</text>
                <text class="logs-small" x="28" y="96">"nothing on stdout"</text>
                <text class="logs-small logs-muted" x="28" y="109">{move || app().map(|c| c.2).unwrap_or_default()}</text>
            </g>
            <path class="logs-arrow" d="M150 84 H172" marker-end="url(#logs-arrowhead)"/>
            <rect class="logs-volume" x="176" y="46" width="184" height="108" rx="4"/>
            <text class="logs-title" x="184" y="62">{move || live.with(|sim| {
                let dir = sim.pods().next().and_then(|p| p.empty_dir).unwrap_or("");
                format!("emptyDir {dir}")
            })}</text>
            {move || shared_files(live, changed)}
            <g class=move || classes("logs-ctr logs-sidecar", &[("logs-changed", changed.with(|c| c.as_deref().is_some_and(|o| o.ends_with(&format!("container {}", name_of(streaming()))))))])>
                <rect x="392" y="46" width="164" height="50" rx="4"/>
                <text class="logs-title" x="400" y="62">{move || name_of(streaming())}</text>
                <text class="logs-small" x="400" y="76">{move || format!("streaming sidecar: tail -F {}", tails_of(streaming()))}</text>
                <text class="logs-small" x="400" y="89">"→ its own stdout → CRI file"</text>
            </g>
            <g class=move || classes("logs-ctr logs-shipper", &[("logs-changed", changed.with(|c| c.as_deref().is_some_and(|o| o.ends_with(&format!("container {}", name_of(shipper()))))))])>
                <rect x="392" y="104" width="164" height="50" rx="4"/>
                <text class="logs-title" x="400" y="120">{move || name_of(shipper())}</text>
                <text class="logs-small" x="400" y="134">{move || format!("sidecar agent: reads {}", tails_of(shipper()))}</text>
                <text class="logs-small" x="400" y="147">"ships it itself, not to stdout"</text>
            </g>
            <path class="logs-arrow" d="M362 84 H390" marker-end="url(#logs-arrowhead)"/>
            <path class="logs-arrow" d="M362 128 H390" marker-end="url(#logs-arrowhead)"/>
            <path class="logs-arrow logs-arrow-ship" d="M558 129 H578" marker-end="url(#logs-arrowhead)"/>
            <text class="logs-small logs-muted" x="10" y="178">{move || live.with(|sim| {
                let dir = sim.log_dir(0, 0).unwrap_or_default();
                let pod_dir = dir.trim_end_matches('/').rsplit_once('/').map_or(dir.as_str(), |(d, _)| d).to_string();
                format!("CRI files in {}/ (what kubectl logs and the node agent read):", shorten_uids(&pod_dir))
            })}</text>
            {move || cri_files(live, changed)}
            {agent_box(live, 582.0, 22.0, 288.0, 46.0)}
            <path class="logs-arrow" d="M552 205 H574 V71" marker-end="url(#logs-arrowhead)"/>
            {backend(live, 582.0, 74.0, 288.0, 96.0, 4)}
            {terminal(live, 582.0, 176.0, 288.0, 69.0)}
        </svg>
        </div>
    }
    .into_any()
}

/// One file as a row of a listing.
#[derive(Debug, Clone, PartialEq)]
struct FileRow {
    /// Its lineage: one row per file's text, through rename and gzip.
    key: u64,
    path: String,
    name: String,
    size: u64,
    lines: usize,
    gzip: bool,
    rotated: bool,
    /// What the node agent has done with it, when there is an agent.
    agent: Option<AgentView>,
    /// Where the row sits.
    y: f64,
}

/// What the node agent has done with one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AgentView {
    /// Not opened yet.
    Unseen,
    /// Open, read up to this byte offset.
    Reading(u64),
    /// Read to its end and let go.
    Shipped,
    /// Rotated away before the agent ever opened it.
    Missed,
}

/// Rows for `files`, from `top`, `step` apart.
fn layout_rows(files: &[LogFile], agent: Option<&NodeAgent>, top: f64, step: f64) -> Vec<FileRow> {
    files
        .iter()
        .enumerate()
        .map(|(i, f)| file_row_of(f, agent, top + i as f64 * step))
        .collect()
}

fn file_row_of(f: &LogFile, agent: Option<&NodeAgent>, y: f64) -> FileRow {
    FileRow {
        key: f.lineage,
        path: f.path.to_string(),
        name: f.name().to_string(),
        size: f.size,
        lines: f.lines(),
        gzip: f.gzip,
        rotated: f.rotated,
        agent: agent.map(|a| agent_view(a, f)),
        y,
    }
}

fn agent_view(agent: &NodeAgent, f: &LogFile) -> AgentView {
    if let Some(tail) = agent.following.get(&f.inode) {
        AgentView::Reading(tail.offset)
    } else if !agent.knows(f.lineage) {
        AgentView::Unseen
    } else if agent.missed.iter().any(|m| f.path.starts_with(m.as_str())) {
        AgentView::Missed
    } else {
        AgentView::Shipped
    }
}

/// The files of the agent figure, grouped by container directory.
#[derive(Debug, Clone, PartialEq)]
struct Groups {
    /// Each directory's title and baseline.
    titles: Vec<(String, f64)>,
    rows: Vec<FileRow>,
}

fn agent_groups(sim: &LogsSim) -> Groups {
    let mut groups = Groups {
        titles: Vec::new(),
        rows: Vec::new(),
    };
    let mut y = 32.0;
    for c in sim.containers() {
        let Some(dir) = c
            .log_file
            .as_deref()
            .and_then(|p| p.rsplit_once('/'))
            .map(|(d, _)| format!("{d}/"))
        else {
            continue;
        };
        groups.titles.push((
            format!("{}/{} · container {}", c.namespace, c.pod, c.name),
            y,
        ));
        y += 6.0;
        for f in sim.files().filter(|f| {
            f.path
                .strip_prefix(dir.as_str())
                .is_some_and(|n| !n.contains('/'))
        }) {
            y += 16.0;
            groups.rows.push(file_row_of(&f, sim.agent(), y));
        }
        y += 20.0;
    }
    groups
}

/// Units per byte for bars at most `width` wide, with room for a file twice
/// the rotation size.
fn bar_scale(max_size: u64, biggest: u64, width: f64) -> f64 {
    width / (max_size.saturating_mul(2).max(biggest).max(1) as f64)
}

/// Where a listing's columns are, and whether it shows the agent's reading.
#[derive(Debug, Clone, Copy)]
struct Columns {
    name_x: f64,
    bar_x: f64,
    bar_w: f64,
    with_agent: bool,
}

/// One file row, keyed by `key`, drawn from the row of that key in `rows`.
fn file_row(
    key: u64,
    rows: Memo<Vec<FileRow>>,
    scale: Memo<f64>,
    changed: Memo<Option<String>>,
    columns: Columns,
) -> impl IntoView {
    let Columns {
        name_x,
        bar_x,
        bar_w,
        with_agent,
    } = columns;
    let row = move || rows.with(|rs| rs.iter().find(|r| r.key == key).cloned());
    let field = move |f: fn(&FileRow) -> String| move || row().map(|r| f(&r)).unwrap_or_default();
    let width = move |bytes: u64| format!("{:.1}", (bytes as f64 * scale.get()).min(bar_w));
    let size_w = move || row().map_or_else(String::new, |r| width(r.size));
    let read_w = move || {
        row().map_or_else(String::new, |r| match r.agent {
            Some(AgentView::Reading(offset)) => width(offset),
            Some(AgentView::Shipped) => width(r.size),
            _ => "0".into(),
        })
    };
    let status = move || {
        row().map_or_else(String::new, |r| match r.agent {
            None => String::new(),
            Some(AgentView::Unseen) => "not opened yet".into(),
            Some(AgentView::Reading(offset)) => format!("open, read {}", bytes(offset)),
            Some(AgentView::Shipped) => "all read, closed ✓".into(),
            Some(AgentView::Missed) => "missed: never read".into(),
        })
    };
    let is = move |f: fn(&FileRow) -> bool| move || row().is_some_and(|r| f(&r));
    let is_changed = move || {
        let path = row().map(|r| r.path);
        changed.with(|c| c.is_some() && c.as_deref() == path.as_deref())
    };
    let agent_class = move || {
        row().and_then(|r| r.agent).map_or("", |a| match a {
            AgentView::Unseen => "logs-unseen",
            AgentView::Reading(_) => "logs-reading",
            AgentView::Shipped => "logs-shipped",
            AgentView::Missed => "logs-missed",
        })
    };
    let name_w = (bar_x - name_x - 8.0) / MONO_CHAR;
    view! {
        <g class=move || classes(&format!("logs-file {}", agent_class()), &[
                ("logs-current", is(|r| !r.rotated)()),
                ("logs-gz", is(|r| r.gzip)()),
                ("logs-changed", is_changed()),
            ])
            style=move || row().map_or_else(String::new, |r| format!("transform: translate(0px, {:.1}px)", r.y))
            data-path=field(|r| r.path.clone()) data-size=field(|r| r.size.to_string()) data-lines=field(|r| r.lines.to_string())>
            <text class="logs-name" x=name_x.to_string() y="0">{move || row().map(|r| clip(&r.name, name_w as usize)).unwrap_or_default()}</text>
            <rect class="logs-track" x=bar_x.to_string() y="-9" width=bar_w.to_string() height="11" rx="2"/>
            <rect class="logs-bar" x=bar_x.to_string() y="-9" width=size_w height="11" rx="2"/>
            {with_agent.then(|| view! { <rect class="logs-read" x=bar_x.to_string() y="-9" width=read_w height="11" rx="2"/> })}
            <text class="logs-size" x=(bar_x + bar_w + 6.0).to_string() y="0">
                {move || row().map(|r| if with_agent { bytes(r.size) } else { format!("{} · {} line{}", bytes(r.size), r.lines, plural(r.lines)) }).unwrap_or_default()}
            </text>
            {with_agent.then(|| view! { <text class="logs-status" x=(bar_x + bar_w + 50.0).to_string() y="0">{status}</text> })}
        </g>
    }
}

/// The container box of slide 22: its phase, restarts, ID and log file.
fn container_box(live: Live<LogsSim>, changed: Memo<Option<String>>) -> impl IntoView {
    let status = move || {
        live.with(|sim| {
            sim.containers().first().map(|c| {
                (
                    format!("{}/{}", c.namespace, c.pod),
                    c.name.to_string(),
                    c.phase,
                    c.restart_count,
                    c.container_id
                        .map(|id| id.chars().take(12).collect::<String>()),
                    c.log_file.as_deref().map(file_name).map(str::to_string),
                    format!("pod {}/{} container {}", c.namespace, c.pod, c.name),
                )
            })
        })
    };
    let uid = move || {
        live.with(|sim| {
            sim.pods()
                .next()
                .and_then(|p| p.uid)
                .map(short_uid)
                .unwrap_or_default()
        })
    };
    let phase = move || status().map(|s| s.2);
    let link = move || {
        live.with(|sim| {
            sim.symlinks().last().map(|(link, target)| {
                (
                    clip(link.trim_start_matches("/var/log/containers/"), 26),
                    file_name(target).to_string(),
                )
            })
        })
    };
    view! {
        <rect class="logs-pod" x="10" y="24" width="170" height="132" rx="6"/>
        <text class="logs-title" x="18" y="40">{move || status().map(|s| format!("pod {}", s.0)).unwrap_or_default()}</text>
        <text class="logs-small logs-mono" x="18" y="53">{move || { let uid = uid(); if uid.is_empty() { String::new() } else { format!("uid {uid}") } }}</text>
        <g class=move || {
            let name = status().map(|s| s.6);
            classes("logs-ctr", &[
                ("logs-running", phase() == Some(Phase::Running)),
                ("logs-exited", matches!(phase(), Some(Phase::Terminated { .. }))),
                ("logs-changed", changed.with(|c| c.is_some() && *c == name)),
            ])
        }>
            <rect x="20" y="62" width="150" height="86" rx="4"/>
            <text class="logs-title" x="28" y="78">{move || status().map(|s| format!("container {}", s.1)).unwrap_or_default()}</text>
            <text class="logs-phase" x="28" y="94">{move || phase().map(phase_text).unwrap_or_default()}</text>
            <text class="logs-small" x="28" y="108">{move || status().map(|s| format!("restartCount {}", s.3)).unwrap_or_default()}</text>
            <text class="logs-small logs-mono" x="28" y="122">{move || status().and_then(|s| s.4).map(|id| format!("id {id}")).unwrap_or_default()}</text>
            <text class="logs-small" x="28" y="138">{move || status().and_then(|s| s.5).map(|f| format!("stdout, stderr → {f}")).unwrap_or_default()}</text>
        </g>
        <text class="logs-small logs-muted" x="10" y="172">"/var/log/containers/ (symlink):"</text>
        <text class="logs-small logs-mono" x="10" y="185">{move || link().map(|l| l.0).unwrap_or_default()}</text>
        <text class="logs-small logs-mono" x="10" y="198">{move || link().map(|l| format!("→ …/{}", l.1)).unwrap_or_default()}</text>
        <g class="logs-legend" transform="translate(10 214)">
            <rect class="logs-key-current" x="0" y="-8" width="10" height="10"/>
            <text class="logs-small" x="14" y="1">"current *.log"</text>
            <rect class="logs-key-rotated" x="92" y="-8" width="10" height="10"/>
            <text class="logs-small" x="106" y="1">"rotated"</text>
            <rect class="logs-key-gz" x="0" y="8" width="10" height="10"/>
            <text class="logs-small" x="14" y="17">"rotated, gzipped"</text>
        </g>
    }
}

/// The last CRI lines of the file the container writes now, in their parts.
fn current_lines(live: Live<LogsSim>, rows: Memo<Vec<FileRow>>) -> impl IntoView {
    let top = move || NODE_ROWS_TOP + rows.with(Vec::len).max(1) as f64 * 19.0 + 26.0;
    let lines = move || {
        live.with(|sim| {
            let current = sim.containers().first().and_then(|c| c.log_file.clone());
            let file = current
                .as_deref()
                .and_then(|p| sim.files().find(|f| f.path == p));
            let name = current.as_deref().map(file_name).unwrap_or("").to_string();
            let last: Vec<String> = file
                .map(|f| {
                    let all: Vec<&str> = f.text.split_terminator('\n').collect();
                    all[all.len().saturating_sub(3)..]
                        .iter()
                        .map(|l| l.to_string())
                        .collect()
                })
                .unwrap_or_default();
            (name, last)
        })
    };
    view! {
        <text class="logs-small logs-muted" x="210" y=move || format!("{:.0}", top())>
            {move || {
                let (name, last) = lines();
                if last.is_empty() {
                    if name.is_empty() {
                        "no log file yet: the container has not started".to_string()
                    } else {
                        format!("{name} is empty: no CRI lines yet")
                    }
                } else {
                    format!("last CRI lines of {name}: <time> <stream> <P|F> <content>")
                }
            }}
        </text>
        {move || {
            lines()
                .1
                .into_iter()
                .enumerate()
                .map(|(i, line)| {
                    let mut parts = line.splitn(4, ' ');
                    let (time, stream, tag, content) = (
                        parts.next().unwrap_or("").to_string(),
                        parts.next().unwrap_or("").to_string(),
                        parts.next().unwrap_or("").to_string(),
                        parts.next().unwrap_or("").to_string(),
                    );
                    let stream_class = if stream == "stderr" { "logs-stderr" } else { "logs-stdout" };
                    view! {
                        <text class="logs-cri" x="210" y=format!("{:.0}", top() + 14.0 + i as f64 * 13.0)>
                            <tspan class="logs-muted">{time}</tspan>" "
                            <tspan class=stream_class>{stream}</tspan>" "
                            <tspan class="logs-tag">{tag}</tspan>" "
                            <tspan>{clip(&content, 30)}</tspan>
                        </text>
                    }
                })
                .collect_view()
        }}
    }
}

/// The node logging agent: its state, how many files it follows and missed.
fn agent_box(live: Live<LogsSim>, x: f64, y: f64, w: f64, h: f64) -> impl IntoView {
    let info = move || {
        live.with(|sim| {
            let settings = sim.agent_settings().cloned();
            let agent = sim
                .agent()
                .map(|a| (a.following.len(), a.missed.len(), a.stopped));
            let started = settings
                .as_ref()
                .is_some_and(|s| sim.now() >= SimTime::from_millis(s.start_ms));
            (settings, agent, started)
        })
    };
    let compact = h < 60.0;
    let lines = move || {
        let (settings, agent, started) = info();
        let Some((settings, (following, missed, stopped))) = settings.zip(agent) else {
            return vec!["no node logging agent".to_string()];
        };
        let state = if stopped {
            "stopped".to_string()
        } else if !started {
            format!("starts at {}", millis(settings.start_ms))
        } else {
            format!("polls every {}", millis(settings.poll_interval_ms))
        };
        let files = format!("following {following} file{}", plural(following));
        let missed = format!("missed {missed} file{}", plural(missed));
        if compact {
            vec![
                format!(
                    "{} (node agent) tails /var/log/pods/*/*/*.log",
                    settings.name
                ),
                format!("{state} · {files}"),
            ]
        } else {
            vec![settings.name, "DaemonSet pod".into(), state, files, missed]
        }
    };
    let missed = move || info().1.is_some_and(|a| a.1 > 0);
    view! {
        <g class=move || classes("logs-agent", &[("logs-has-missed", missed())])>
            <rect x=x.to_string() y=y.to_string() width=w.to_string() height=h.to_string() rx="6"/>
            {move || {
                lines()
                    .into_iter()
                    .enumerate()
                    .map(|(i, line)| {
                        let class = match (compact, i) {
                            (false, 0) => "logs-title",
                            (false, 4) => "logs-small logs-missed-text",
                            _ => "logs-small",
                        };
                        view! { <text class=class x=(x + 8.0).to_string() y=format!("{:.0}", y + 16.0 + i as f64 * 15.0)>{line}</text> }
                    })
                    .collect_view()
            }}
        </g>
    }
}

/// The logging backend: how many messages it holds and the last `shown`.
fn backend(live: Live<LogsSim>, x: f64, y: f64, w: f64, h: f64, shown: usize) -> impl IntoView {
    let records = move || {
        live.with(|sim| {
            let all = sim.backend();
            let total = all.len();
            let last: Vec<(String, String, bool)> = all[total.saturating_sub(shown)..]
                .iter()
                .map(|r| {
                    let sidecar = r.shipped_by.starts_with("sidecar ");
                    let source = if sidecar {
                        r.shipped_by.rsplit('/').next().unwrap_or("").to_string()
                    } else {
                        container_of(&r.file).to_string()
                    };
                    (source, r.text.clone(), sidecar)
                })
                .collect();
            let sidecars = sim
                .containers()
                .iter()
                .any(|c| c.role == Role::AgentSidecar);
            let width = last.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
            let last: Vec<(String, String, bool)> = last
                .into_iter()
                .map(|(source, text, sidecar)| (format!("{source:<width$}"), text, sidecar))
                .collect();
            (total, last, sidecars)
        })
    };
    let chars = ((w - 16.0) / MONO_CHAR) as usize;
    view! {
        <g class="logs-backend">
            <rect x=x.to_string() y=y.to_string() width=w.to_string() height=h.to_string() rx="6"/>
            <text class="logs-title" x=(x + 8.0).to_string() y=(y + 16.0).to_string()>
                {move || { let n = records().0; format!("logging backend · {n} message{}", plural(n)) }}
            </text>
            <text class="logs-small logs-muted" x=(x + 8.0).to_string() y=(y + h - 6.0).to_string()>
                {move || if records().2 { "plain: via the node agent · italic: a sidecar agent" } else { "" }}
            </text>
            {move || {
                records()
                    .1
                    .into_iter()
                    .enumerate()
                    .map(|(i, (source, text, sidecar))| {
                        let line = clip(&format!("{source} │ {text}"), chars);
                        view! {
                            <text class=classes("logs-record", &[("logs-via-sidecar", sidecar)])
                                x=(x + 8.0).to_string() y=format!("{:.0}", y + 31.0 + i as f64 * 13.0)>{line}</text>
                        }
                    })
                    .collect_view()
            }}
        </g>
    }
}

/// The last command typed and what it printed, as a terminal.
fn terminal(live: Live<LogsSim>, x: f64, y: f64, w: f64, h: f64) -> impl IntoView {
    let chars = ((w - 16.0) / MONO_CHAR) as usize;
    let rows = ((h - 10.0) / 13.0) as usize;
    let lines = move || {
        live.with(|sim| {
            let Some(out) = sim.last_output() else {
                return vec![
                    ("$ _".to_string(), "logs-prompt"),
                    ("(no command typed yet)".into(), "logs-muted"),
                ];
            };
            let mut lines: Vec<(String, &'static str)> = wrap(&format!("$ {}", out.command), chars)
                .into_iter()
                .map(|l| (l, "logs-prompt"))
                .collect();
            let room = rows.saturating_sub(lines.len());
            if out.output.is_empty() {
                lines.push((
                    clip("(nothing: the file it reads is empty)", chars),
                    "logs-muted",
                ));
            } else if out.output.len() > room {
                let skipped = out.output.len() + 1 - room;
                lines.push((
                    format!("… {skipped} earlier line{}", plural(skipped)),
                    "logs-muted",
                ));
                lines.extend(
                    out.output[skipped..]
                        .iter()
                        .map(|l| (clip(l.trim_start(), chars), "")),
                );
            } else {
                lines.extend(out.output.iter().map(|l| (clip(l.trim_start(), chars), "")));
            }
            lines
        })
    };
    view! {
        <g class="logs-term">
            <rect x=x.to_string() y=y.to_string() width=w.to_string() height=h.to_string() rx="6"/>
            {move || {
                lines()
                    .into_iter()
                    .enumerate()
                    .map(|(i, (line, class))| {
                        view! { <text class=format!("logs-term-line {class}") x=(x + 8.0).to_string() y=format!("{:.0}", y + 16.0 + i as f64 * 13.0)>{line}</text> }
                    })
                    .collect_view()
            }}
        </g>
    }
}

/// The files of the pod's emptyDir, each with its line count and last line.
fn shared_files(live: Live<LogsSim>, changed: Memo<Option<String>>) -> impl IntoView {
    live.with(|sim| {
        let files: Vec<(String, usize, String)> = sim
            .pods()
            .next()
            .map(|p| {
                p.shared_files
                    .iter()
                    .map(|(path, lines)| (path.clone(), lines.len(), lines.iter().last().cloned().unwrap_or_default()))
                    .collect()
            })
            .unwrap_or_default();
        let empty = files.is_empty();
        let rows = files
            .into_iter()
            .enumerate()
            .map(|(i, (path, count, last))| {
                let y = 84.0 + i as f64 * 44.0;
                let object = format!("emptyDir {path}");
                let is_changed = move || changed.with(|c| c.as_deref() == Some(object.as_str()));
                view! {
                    <g class=move || classes("logs-shared", &[("logs-changed", is_changed())]) data-path=path.clone() data-lines=count.to_string()>
                        <text class="logs-name" x="184" y=format!("{y:.0}")>{format!("{} · {count} line{}", file_name(&path), plural(count))}</text>
                        <text class="logs-small logs-mono" x="184" y=format!("{:.0}", y + 13.0)>{clip(&last, 28)}</text>
                    </g>
                }
            })
            .collect_view();
        view! {
            {empty.then(|| view! { <text class="logs-small logs-muted" x="184" y="84">"no files yet"</text> })}
            {rows}
        }
    })
}

/// Each container's current CRI file on the node, with its line count and last line.
fn cri_files(live: Live<LogsSim>, changed: Memo<Option<String>>) -> impl IntoView {
    live.with(|sim| {
        sim.containers()
            .iter()
            .filter_map(|c| {
                let path = c.log_file.clone()?;
                let file = sim.files().find(|f| f.path == path)?;
                let lines = file.lines();
                let last = file.text.split_terminator('\n').next_back().unwrap_or("").to_string();
                Some((c.name.to_string(), path, lines, file.size, last))
            })
            .collect::<Vec<_>>()
            .into_iter()
            .enumerate()
            .map(|(i, (container, path, lines, size, last))| {
                let y = 194.0 + i as f64 * 17.0;
                let is_changed = {
                    let path = path.clone();
                    move || changed.with(|c| c.as_deref() == Some(path.as_str()))
                };
                let label = format!("{container}/{} · {lines} line{} · {}", file_name(&path), plural(lines), bytes(size));
                let label = format!("{label:<38}");
                view! {
                    <g class=move || classes("logs-file logs-current", &[("logs-changed", is_changed())]) data-path=path.clone() data-lines=lines.to_string()>
                        <text class="logs-name" x="10" y=format!("{y:.0}")>{clip(&label, 40)}</text>
                        <text class="logs-cri" x="262" y=format!("{y:.0}")>{clip(&last, 44)}</text>
                    </g>
                }
            })
            .collect_view()
    })
}

/// `t = 12.0 s` and the node's wall clock, top right.
fn clock(live: Live<LogsSim>) -> impl IntoView {
    view! {
        <text class="logs-clock" x=(WIDTH - 10.0).to_string() y="14" text-anchor="end">
            {move || live.with(|sim| {
                let now = sim.now();
                let stamp = sim.wall_clock(now).rfc3339_nano();
                let clock = stamp.get(11..19).unwrap_or("");
                format!("t = {:.1} s · node clock {clock}", now.as_nanos() as f64 / 1e9)
            })}
        </text>
    }
}

/// The arrowhead marker the arrows use.
fn arrowhead() -> impl IntoView {
    view! {
        <defs>
            <marker id="logs-arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                <path class="logs-arrowhead" d="M0 0 L10 5 L0 10 z"/>
            </marker>
        </defs>
    }
}

/// What the last step acted on (its narration's object), if there was one.
fn changed_object(live: Live<LogsSim>) -> Memo<Option<String>> {
    Memo::new(move |_| {
        let step = live.step();
        live.with_run(|run| {
            step.checked_sub(1)
                .and_then(|i| run.told.get(i))
                .map(|t| t.object.clone())
        })
    })
}

/// `base` and each flag's class that is set, in a fixed order (one class
/// attribute, so a state reached twice draws the same attribute).
fn classes(base: &str, flags: &[(&str, bool)]) -> String {
    let mut all = base.trim_end().to_string();
    for (class, on) in flags {
        if *on {
            all.push(' ');
            all.push_str(class);
        }
    }
    all
}

fn view_box() -> String {
    format!("0 0 {WIDTH} {HEIGHT}")
}

fn phase_text(phase: Phase) -> String {
    match phase {
        Phase::NotStarted => "not started".into(),
        Phase::Running => "running".into(),
        Phase::Terminated { exit_code } => format!("exited, code {exit_code}"),
    }
}

/// `620 B`, `2000 B`, `1 KiB`, `12.5 KiB`, `10 MiB`: exact up to 10 KiB.
fn bytes(n: u64) -> String {
    const KI: u64 = 1024;
    const MI: u64 = KI * KI;
    match n {
        0 => "0 B".into(),
        n if n.is_multiple_of(MI) => format!("{} MiB", n / MI),
        n if n.is_multiple_of(KI) => format!("{} KiB", n / KI),
        n if n < 10 * KI => format!("{n} B"),
        n if n < MI => format!("{:.1} KiB", n as f64 / KI as f64),
        n => format!("{:.1} MiB", n as f64 / MI as f64),
    }
}

/// `4 s`, `500 ms`.
fn millis(ms: u64) -> String {
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else if ms > 1000 {
        format!("{:.1} s", ms as f64 / 1000.0)
    } else {
        format!("{ms} ms")
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The last part of a path.
fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The container directory a log file is in, e.g. `count`.
fn container_of(path: &str) -> &str {
    path.rsplit('/').nth(1).unwrap_or("")
}

/// A pod UID cut to its first 8 digits.
fn short_uid(uid: &str) -> String {
    format!("{}…", uid.chars().take(8).collect::<String>())
}

/// `path` with each 36-character UID in it cut to its first 8 digits.
fn shorten_uids(path: &str) -> String {
    path.split('/')
        .map(|part| match part.rsplit_once('_') {
            Some((head, uid)) if uid.len() == 36 && uid.matches('-').count() == 4 => {
                format!("{head}_{}", short_uid(uid))
            }
            _ => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// `text` cut to `chars` characters, with an ellipsis when cut.
fn clip(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(chars.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// `text` in lines of at most `chars` characters, broken at spaces where
/// a word fits, else inside the word.
fn wrap(text: &str, chars: usize) -> Vec<String> {
    let chars = chars.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let used = line.chars().count();
        if used > 0 && used + 1 + word.chars().count() <= chars {
            line.push(' ');
            line.push_str(word);
            continue;
        }
        if used > 0 {
            lines.push(std::mem::take(&mut line));
        }
        let letters: Vec<char> = word.chars().collect();
        let mut pieces = letters.chunks(chars).peekable();
        while let Some(piece) = pieces.next() {
            if pieces.peek().is_some() {
                lines.push(piece.iter().collect());
            } else {
                line = piece.iter().collect();
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_wrap_at_spaces_and_long_words_inside() {
        assert_eq!(
            wrap("$ kubectl logs counter -c count --previous", 39),
            ["$ kubectl logs counter -c count", "--previous"]
        );
        assert_eq!(
            wrap("$ ls -l /abcdefghij", 8),
            ["$ ls -l", "/abcdefg", "hij"]
        );
        assert_eq!(wrap("", 5), [""]);
    }

    #[test]
    fn sizes_are_exact_up_to_ten_kibibytes() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(2000), "2000 B");
        assert_eq!(bytes(2048), "2 KiB");
        assert_eq!(bytes(12_800), "12.5 KiB");
        assert_eq!(bytes(10 << 20), "10 MiB");
        assert_eq!(millis(4000), "4 s");
        assert_eq!(millis(1500), "1.5 s");
        assert_eq!(millis(500), "500 ms");
    }

    #[test]
    fn uids_in_paths_are_cut_to_eight_digits() {
        assert_eq!(
            shorten_uids(
                "/var/log/pods/default_counter_b7a1c2d3-0000-4000-8000-000000000022/count/"
            ),
            "/var/log/pods/default_counter_b7a1c2d3…/count/"
        );
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("abc", 4), "abc");
    }
}
