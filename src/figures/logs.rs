//! The live figures of the logs simulator: node-level logging with rotation
//! (slide 22), a node logging agent (slide 23) and a streaming sidecar
//! (slide 24). Each is one SVG whose markup is written from the
//! simulation's typed state (see [`super::svg`]) and patched in place at
//! each step, so a file whose size changes in its place grows or shrinks
//! its bar.

use super::decimal::{fixed, ratio, short, tenths};
use super::markup::drawing_svg;
use super::svg::Svg;
use super::svg::Value;
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
/// How far apart slide 22's file rows are.
const NODE_ROW_STEP: f64 = 19.0;
/// Width of one character of the 10-unit monospace text.
const MONO_CHAR: f64 = 6.0;
/// Slide 22's listing columns.
const NODE_COLUMNS: Columns = Columns {
    name_x: 210.0,
    bar_x: 378.0,
    bar_w: 128.0,
    with_agent: false,
};
/// Slide 23's listing columns, with the agent's reading.
const AGENT_COLUMNS: Columns = Columns {
    name_x: 14.0,
    bar_x: 170.0,
    bar_w: 120.0,
    with_agent: true,
};

/// Slide 22: a container writing, its CRI files in `/var/log/pods`, the
/// kubelet's rotation by size and count, and what `kubectl logs` printed.
pub fn node_logging(live: Live<LogsSim>) -> AnyView {
    let changed = changed_object(live);
    let markup = move || {
        let changed = changed.get();
        live.with(|sim| node_drawing(sim, changed.as_deref()))
    };
    let svg = drawing_svg(
        "fig-logs fig-logs-node",
        &view_box(),
        "img",
        "Node-level logging: a container's log files and rotation",
        Signal::derive(markup),
    );
    view! { <div class="fig-logs-wrap">{svg}</div> }.into_any()
}

/// Slide 23: a node logging agent following every file by inode, shipping
/// from its saved offsets, and what the backend has received.
pub fn agent(live: Live<LogsSim>) -> AnyView {
    let changed = changed_object(live);
    let markup = move || {
        let changed = changed.get();
        live.with(|sim| agent_drawing(sim, changed.as_deref()))
    };
    let svg = drawing_svg(
        "fig-logs fig-logs-agent",
        &view_box(),
        "img",
        "A node logging agent tailing log files and shipping them to a backend",
        Signal::derive(markup),
    );
    view! { <div class="fig-logs-wrap">{svg}</div> }.into_any()
}

/// Slide 24: the app writes files in a shared emptyDir; a streaming sidecar
/// prints one to its own stdout (ordinary CRI logs), a sidecar agent ships
/// the other itself.
pub fn sidecar(live: Live<LogsSim>) -> AnyView {
    let changed = changed_object(live);
    let markup = move || {
        let changed = changed.get();
        live.with(|sim| sidecar_drawing(sim, changed.as_deref()))
    };
    let svg = drawing_svg(
        "fig-logs fig-logs-sidecar",
        &view_box(),
        "img",
        "A streaming sidecar turning a shared log file into its own stdout",
        Signal::derive(markup),
    );
    view! { <div class="fig-logs-wrap">{svg}</div> }.into_any()
}

/// Slide 22's markup for `sim`, `changed` being what the last step acted on.
fn node_drawing(sim: &LogsSim, changed: Option<&str>) -> String {
    let mut svg = Svg::default();
    let s = &mut svg;
    let settings = sim.settings();
    let every = settings.container_log_monitor_interval_s.max(1);
    let next = (sim.now().as_nanos() / 1_000_000_000 / every + 1) * every;
    let head = format!(
        "kubelet: containerLogMaxSize {} · containerLogMaxFiles {} · checks every {every} s (next at {next} s)",
        bytes(settings.container_log_max_size),
        settings.container_log_max_files
    );
    text_at(s, "logs-head", 10, 14, head);
    clock(s, sim);
    container_box(s, sim, changed);
    arrow(s, "logs-arrow", "M182 100 H204");
    text_at(s, "logs-small", 184, 94, "CRI");
    arrowhead(s);
    let dir = sim.log_dir(0, 0).unwrap_or_else(|| "/var/log/pods/".into());
    text_at(s, "logs-dir", 210, 36, clip(&shorten_uids(&dir), 60));
    let files: Vec<LogFile> = sim.files().collect();
    let rows = layout_rows(&files, None, NODE_ROWS_TOP, NODE_ROW_STEP);
    let biggest = files.iter().map(|f| f.size).max().unwrap_or(0);
    let threshold = settings.container_log_max_size;
    let scale = bar_scale(threshold, biggest, NODE_COLUMNS.bar_w);
    for row in &rows {
        file_row(s, row, scale, changed, NODE_COLUMNS);
    }
    let threshold_x = NODE_COLUMNS.bar_x + threshold as f64 * scale;
    let rows_bottom = NODE_ROWS_TOP + rows.len().max(1) as f64 * NODE_ROW_STEP;
    s.el("g")
        .attr("class", "logs-threshold-mark")
        .attr("style", if rows.is_empty() { "display: none" } else { "" })
        .open();
    s.el("line")
        .attr("class", "logs-threshold")
        .attr("x1", tenths(threshold_x))
        .attr("y1", 42)
        .attr("x2", tenths(threshold_x))
        .attr("y2", tenths(rows_bottom))
        .close();
    s.el("text")
        .attr("class", "logs-small logs-threshold-label")
        .attr("x", tenths(threshold_x))
        .attr("y", tenths(rows_bottom + 10.0))
        .attr("text-anchor", "middle")
        .text(format_args!("maxSize {}", bytes(threshold)));
    s.end();
    current_lines(s, sim, rows_bottom + 26.0);
    terminal(s, sim, 620.0, 28.0, 250.0, 217.0);
    svg.finish()
}

/// Slide 23's markup for `sim`, `changed` being what the last step acted on.
fn agent_drawing(sim: &LogsSim, changed: Option<&str>) -> String {
    let mut svg = Svg::default();
    let s = &mut svg;
    let settings = sim.settings();
    let agent = sim.agent_settings().map_or_else(String::new, |a| {
        format!(
            "{} polls every {} (first at {}) · ",
            a.name,
            millis(a.poll_interval_ms),
            millis(a.start_ms)
        )
    });
    text_at(
        s,
        "logs-head",
        10,
        14,
        format_args!(
            "{agent}kubelet rotates at {}, keeps {} files, checks every {} s",
            bytes(settings.container_log_max_size),
            settings.container_log_max_files,
            settings.container_log_monitor_interval_s
        ),
    );
    clock(s, sim);
    let groups = agent_groups(sim);
    if groups.titles.is_empty() {
        text_at(
            s,
            "logs-small logs-muted",
            10,
            40,
            "no container has started yet: nothing under /var/log/pods",
        );
    }
    for (title, y) in &groups.titles {
        text_at(s, "logs-group", 10, tenths(*y), title);
    }
    let biggest = sim.files().map(|f| f.size).max().unwrap_or(0);
    let scale = bar_scale(
        settings.container_log_max_size,
        biggest,
        AGENT_COLUMNS.bar_w,
    );
    for row in &groups.rows {
        file_row(s, row, scale, changed, AGENT_COLUMNS);
    }
    arrowhead(s);
    arrow(s, "logs-arrow", "M452 115 H474");
    arrow_label(s, 463, 107, "tail");
    agent_box(s, sim, 478.0, 60.0, 112.0, 110.0);
    arrow(s, "logs-arrow", "M593 115 H616");
    arrow_label(s, 604, 107, "ship");
    backend(s, sim, 620.0, 28.0, 250.0, 217.0, 12);
    svg.finish()
}

/// Slide 24's markup for `sim`, `changed` being what the last step acted on.
fn sidecar_drawing(sim: &LogsSim, changed: Option<&str>) -> String {
    let mut svg = Svg::default();
    let s = &mut svg;
    let containers = sim.containers();
    let role_of = |role: Role| containers.iter().find(|c| c.role == role);
    let name_of = |role: Role| role_of(role).map_or("", |c| c.name);
    let tails_of = |role: Role| role_of(role).map_or("", |c| file_name(c.tails.unwrap_or("")));
    let is_changed =
        |role: Role| changed.is_some_and(|o| o.ends_with(&format!("container {}", name_of(role))));
    arrowhead(s);
    clock(s, sim);
    s.el("rect")
        .attr("class", "logs-pod")
        .attr("x", 10)
        .attr("y", 22)
        .attr("width", 555)
        .attr("height", 140)
        .attr("rx", 6)
        .close();
    let pod = sim.pods().next();
    text_at(
        s,
        "logs-title",
        18,
        38,
        pod.as_ref()
            .map_or_else(String::new, |p| format!("pod {}/{}", p.namespace, p.name)),
    );
    s.el("g").attr("class", "logs-ctr").open();
    box_rect(s, 20, 52, 128, 64);
    text_at(s, "logs-title", 28, 68, name_of(Role::App));
    text_at(s, "logs-small", 28, 84, "app: writes files,");
    text_at(s, "logs-small", 28, 96, "nothing on stdout");
    text_at(
        s,
        "logs-small logs-muted",
        28,
        109,
        role_of(Role::App)
            .map(|c| phase_text(c.phase))
            .unwrap_or_default(),
    );
    s.end();
    arrow(s, "logs-arrow", "M150 84 H172");
    s.el("rect")
        .attr("class", "logs-volume")
        .attr("x", 176)
        .attr("y", 46)
        .attr("width", 184)
        .attr("height", 108)
        .attr("rx", 4)
        .close();
    let empty_dir = pod.as_ref().and_then(|p| p.empty_dir).unwrap_or("");
    text_at(
        s,
        "logs-title",
        184,
        62,
        format_args!("emptyDir {empty_dir}"),
    );
    shared_files(s, sim, changed);
    s.el("g")
        .attr(
            "class",
            classes(
                "logs-ctr logs-sidecar",
                &[("logs-changed", is_changed(Role::StreamingSidecar))],
            ),
        )
        .open();
    box_rect(s, 392, 46, 164, 50);
    text_at(s, "logs-title", 400, 62, name_of(Role::StreamingSidecar));
    text_at(
        s,
        "logs-small",
        400,
        76,
        format!(
            "streaming sidecar: tail -F {}",
            tails_of(Role::StreamingSidecar)
        ),
    );
    text_at(s, "logs-small", 400, 89, "→ its own stdout → CRI file");
    s.end();
    s.el("g")
        .attr(
            "class",
            classes(
                "logs-ctr logs-shipper",
                &[("logs-changed", is_changed(Role::AgentSidecar))],
            ),
        )
        .open();
    box_rect(s, 392, 104, 164, 50);
    text_at(s, "logs-title", 400, 120, name_of(Role::AgentSidecar));
    text_at(
        s,
        "logs-small",
        400,
        134,
        format!("sidecar agent: reads {}", tails_of(Role::AgentSidecar)),
    );
    text_at(s, "logs-small", 400, 147, "ships it itself, not to stdout");
    s.end();
    arrow(s, "logs-arrow", "M362 84 H390");
    arrow(s, "logs-arrow", "M362 128 H390");
    arrow(s, "logs-arrow logs-arrow-ship", "M558 129 H578");
    let dir = sim.log_dir(0, 0).unwrap_or_default();
    let pod_dir = dir
        .trim_end_matches('/')
        .rsplit_once('/')
        .map_or(dir.as_str(), |(d, _)| d);
    text_at(
        s,
        "logs-small logs-muted",
        10,
        178,
        format!(
            "CRI files in {}/ (what kubectl logs and the node agent read):",
            shorten_uids(pod_dir)
        ),
    );
    cri_files(s, sim, changed);
    agent_box(s, sim, 582.0, 22.0, 288.0, 46.0);
    arrow(s, "logs-arrow", "M552 205 H574 V71");
    backend(s, sim, 582.0, 74.0, 288.0, 96.0, 4);
    terminal(s, sim, 582.0, 176.0, 288.0, 69.0);
    svg.finish()
}

/// One file as a row of a listing.
#[derive(Debug, Clone, PartialEq)]
struct FileRow {
    /// The file's lineage: a rotated file keeps it, so its row moves.
    lineage: u64,
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
        lineage: f.lineage,
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

/// One file row: its name, its size as a bar (and the agent's read offset
/// over it), its size and lines or the agent's status. The row sits at its
/// `y` by a `transform` style. Rows are keyed by lineage (`data-key`), so a
/// rotated file keeps its element and slides to its new place.
fn file_row(s: &mut Svg, row: &FileRow, scale: f64, changed: Option<&str>, columns: Columns) {
    let Columns {
        name_x,
        bar_x,
        bar_w,
        with_agent,
    } = columns;
    let width = |bytes: u64| (bytes as f64 * scale).min(bar_w);
    let agent_class = row.agent.map_or("", |a| match a {
        AgentView::Unseen => "logs-unseen",
        AgentView::Reading(_) => "logs-reading",
        AgentView::Shipped => "logs-shipped",
        AgentView::Missed => "logs-missed",
    });
    let class = classes(
        &format!("logs-file {agent_class}"),
        &[
            ("logs-current", !row.rotated),
            ("logs-gz", row.gzip),
            ("logs-changed", changed == Some(row.path.as_str())),
        ],
    );
    s.el("g")
        .attr("class", class)
        .attr(
            "style",
            format_args!("transform: translate(0px, {}px)", tenths(row.y)),
        )
        .attr("data-key", row.lineage)
        .attr("data-path", &row.path)
        .attr("data-size", row.size)
        .attr("data-lines", row.lines)
        .open();
    let name_w = (bar_x - name_x - 8.0) / MONO_CHAR;
    text_at(s, "logs-name", name_x, 0, clip(&row.name, name_w as usize));
    bar(s, "logs-track", bar_x, bar_w);
    bar(s, "logs-bar", bar_x, tenths(width(row.size)));
    if with_agent {
        let read = match row.agent {
            Some(AgentView::Reading(offset)) => Some(width(offset)),
            Some(AgentView::Shipped) => Some(width(row.size)),
            _ => None,
        };
        match read {
            Some(read) => bar(s, "logs-read", bar_x, tenths(read)),
            None => bar(s, "logs-read", bar_x, 0),
        }
    }
    let size = s
        .el("text")
        .attr("class", "logs-size")
        .attr("x", bar_x + bar_w + 6.0)
        .attr("y", 0);
    if with_agent {
        size.text(bytes(row.size));
    } else {
        size.text(format_args!(
            "{} · {} line{}",
            bytes(row.size),
            row.lines,
            plural(row.lines)
        ));
    }
    if with_agent {
        let status = match row.agent {
            None => String::new(),
            Some(AgentView::Unseen) => "not opened yet".into(),
            Some(AgentView::Reading(offset)) => format!("open, read {}", bytes(offset)),
            Some(AgentView::Shipped) => "all read, closed ✓".into(),
            Some(AgentView::Missed) => "missed: never read".into(),
        };
        text_at(s, "logs-status", bar_x + bar_w + 50.0, 0, status);
    }
    s.end();
}

/// A bar of a file row: its track, or a share of it `width` wide.
fn bar(s: &mut Svg, class: &str, x: f64, width: impl Value) {
    s.el("rect")
        .attr("class", class)
        .attr("x", x)
        .attr("y", -9)
        .attr("width", width)
        .attr("height", 11)
        .attr("rx", 2)
        .close();
}

/// The container box of slide 22: its phase, restarts, ID and log file.
fn container_box(s: &mut Svg, sim: &LogsSim, changed: Option<&str>) {
    let containers = sim.containers();
    let container = containers.first();
    s.el("rect")
        .attr("class", "logs-pod")
        .attr("x", 10)
        .attr("y", 24)
        .attr("width", 170)
        .attr("height", 132)
        .attr("rx", 6)
        .close();
    text_at(
        s,
        "logs-title",
        18,
        40,
        container.map_or_else(String::new, |c| format!("pod {}/{}", c.namespace, c.pod)),
    );
    let uid = sim.pods().next().and_then(|p| p.uid).map(short_uid);
    text_at(
        s,
        "logs-small logs-mono",
        18,
        53,
        uid.map_or_else(String::new, |uid| format!("uid {uid}")),
    );
    let phase = container.map(|c| c.phase);
    let name = container.map(|c| format!("pod {}/{} container {}", c.namespace, c.pod, c.name));
    s.el("g")
        .attr(
            "class",
            classes(
                "logs-ctr",
                &[
                    ("logs-running", phase == Some(Phase::Running)),
                    (
                        "logs-exited",
                        matches!(phase, Some(Phase::Terminated { .. })),
                    ),
                    (
                        "logs-changed",
                        changed.is_some() && changed == name.as_deref(),
                    ),
                ],
            ),
        )
        .open();
    box_rect(s, 20, 62, 150, 86);
    text_at(
        s,
        "logs-title",
        28,
        78,
        container.map_or_else(String::new, |c| format!("container {}", c.name)),
    );
    text_at(
        s,
        "logs-phase",
        28,
        94,
        phase.map(phase_text).unwrap_or_default(),
    );
    text_at(
        s,
        "logs-small",
        28,
        108,
        container.map_or_else(String::new, |c| format!("restartCount {}", c.restart_count)),
    );
    let id = container
        .and_then(|c| c.container_id)
        .map(|id| id.chars().take(12).collect::<String>());
    text_at(
        s,
        "logs-small logs-mono",
        28,
        122,
        id.map_or_else(String::new, |id| format!("id {id}")),
    );
    let file = container.and_then(|c| c.log_file.as_deref()).map(file_name);
    text_at(
        s,
        "logs-small",
        28,
        138,
        file.map_or_else(String::new, |f| format!("stdout, stderr → {f}")),
    );
    s.end();
    text_at(
        s,
        "logs-small logs-muted",
        10,
        172,
        "/var/log/containers/ (symlink):",
    );
    let link = sim.symlinks().last().map(|(link, target)| {
        (
            clip(link.trim_start_matches("/var/log/containers/"), 26),
            file_name(target).to_string(),
        )
    });
    let (link, target) = link.map_or_else(Default::default, |(link, target)| {
        (link, format!("→ …/{target}"))
    });
    text_at(s, "logs-small logs-mono", 10, 185, &link);
    text_at(s, "logs-small logs-mono", 10, 198, &target);
    s.el("g")
        .attr("class", "logs-legend")
        .attr("transform", "translate(10 214)")
        .open();
    legend_key(s, "logs-key-current", 0, -8);
    text_at(s, "logs-small", 14, 1, "current *.log");
    legend_key(s, "logs-key-rotated", 92, -8);
    text_at(s, "logs-small", 106, 1, "rotated");
    legend_key(s, "logs-key-gz", 0, 8);
    text_at(s, "logs-small", 14, 17, "rotated, gzipped");
    s.end();
}

/// A 10-unit square of the legend.
fn legend_key(s: &mut Svg, class: &str, x: i32, y: i32) {
    s.el("rect")
        .attr("class", class)
        .attr("x", x)
        .attr("y", y)
        .attr("width", 10)
        .attr("height", 10)
        .close();
}

/// The last CRI lines of the file the container writes now, in their
/// parts, from `top`.
fn current_lines(s: &mut Svg, sim: &LogsSim, top: f64) {
    let current = sim.containers().first().and_then(|c| c.log_file.clone());
    let file = current
        .as_deref()
        .and_then(|p| sim.files().find(|f| f.path == p));
    let name = current.as_deref().map(file_name).unwrap_or("");
    let last: Vec<&str> = file
        .as_ref()
        .map(|f| {
            let all: Vec<&str> = f.text.split_terminator('\n').collect();
            all[all.len().saturating_sub(3)..].to_vec()
        })
        .unwrap_or_default();
    let head = s
        .el("text")
        .attr("class", "logs-small logs-muted")
        .attr("x", 210)
        .attr("y", fixed(top, 0));
    if !last.is_empty() {
        head.text(format_args!(
            "last CRI lines of {name}: <time> <stream> <P|F> <content>"
        ));
    } else if name.is_empty() {
        head.text("no log file yet: the container has not started");
    } else {
        head.text(format_args!("{name} is empty: no CRI lines yet"));
    }
    for (i, line) in last.iter().enumerate() {
        let mut parts = line.splitn(4, ' ');
        let mut part = || parts.next().unwrap_or("");
        let (time, stream, tag, content) = (part(), part(), part(), part());
        let stream_class = if stream == "stderr" {
            "logs-stderr"
        } else {
            "logs-stdout"
        };
        s.el("text")
            .attr("class", "logs-cri")
            .attr("x", 210)
            .attr("y", fixed(top + 14.0 + i as f64 * 13.0, 0))
            .open();
        s.el("tspan")
            .attr("class", "logs-muted")
            .text(format_args!("{time} "));
        s.el("tspan")
            .attr("class", stream_class)
            .text(format_args!("{stream} "));
        s.el("tspan")
            .attr("class", "logs-tag")
            .text(format_args!("{tag} "));
        s.el("tspan").text(clip(content, 30));
        s.end();
    }
}

/// The node logging agent: its state, how many files it follows and missed.
fn agent_box(s: &mut Svg, sim: &LogsSim, x: f64, y: f64, w: f64, h: f64) {
    let settings = sim.agent_settings();
    let agent = sim.agent();
    let compact = h < 60.0;
    let lines = match settings.zip(agent) {
        None => vec!["no node logging agent".to_string()],
        Some((settings, agent)) => {
            let state = if agent.stopped {
                "stopped".to_string()
            } else if sim.now() < SimTime::from_millis(settings.start_ms) {
                format!("starts at {}", millis(settings.start_ms))
            } else {
                format!("polls every {}", millis(settings.poll_interval_ms))
            };
            let following = agent.following.len();
            let files = format!("following {following} file{}", plural(following));
            let missed = agent.missed.len();
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
                vec![
                    settings.name.clone(),
                    "DaemonSet pod".into(),
                    state,
                    files,
                    missed,
                ]
            }
        }
    };
    let missed = agent.is_some_and(|a| !a.missed.is_empty());
    s.el("g")
        .attr(
            "class",
            classes("logs-agent", &[("logs-has-missed", missed)]),
        )
        .open();
    box_frame(s, x, y, w, h);
    for (i, line) in lines.iter().enumerate() {
        let class = match (compact, i) {
            (false, 0) => "logs-title",
            (false, 4) => "logs-small logs-missed-text",
            _ => "logs-small",
        };
        text_at(
            s,
            class,
            x + 8.0,
            fixed(y + 16.0 + i as f64 * 15.0, 0),
            line,
        );
    }
    s.end();
}

/// The logging backend: how many messages it holds and the last `shown`.
fn backend(s: &mut Svg, sim: &LogsSim, x: f64, y: f64, w: f64, h: f64, shown: usize) {
    let all = sim.backend();
    let total = all.len();
    let last: Vec<(&str, &str, bool)> = all[total.saturating_sub(shown)..]
        .iter()
        .map(|r| {
            let sidecar = r.shipped_by.starts_with("sidecar ");
            let source = if sidecar {
                r.shipped_by.rsplit('/').next().unwrap_or("")
            } else {
                container_of(&r.file)
            };
            (source, r.text.as_str(), sidecar)
        })
        .collect();
    let sidecars = sim
        .containers()
        .iter()
        .any(|c| c.role == Role::AgentSidecar);
    let width = last.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let chars = ((w - 16.0) / MONO_CHAR) as usize;
    s.el("g").attr("class", "logs-backend").open();
    box_frame(s, x, y, w, h);
    text_at(
        s,
        "logs-title",
        x + 8.0,
        y + 16.0,
        format_args!("logging backend · {total} message{}", plural(total)),
    );
    text_at(
        s,
        "logs-small logs-muted",
        x + 8.0,
        y + h - 6.0,
        if sidecars {
            "plain: via the node agent · italic: a sidecar agent"
        } else {
            ""
        },
    );
    for (i, (source, text, sidecar)) in last.into_iter().enumerate() {
        s.el("text")
            .attr(
                "class",
                classes("logs-record", &[("logs-via-sidecar", sidecar)]),
            )
            .attr("x", x + 8.0)
            .attr("y", fixed(y + 31.0 + i as f64 * 13.0, 0))
            .text(clip(&format!("{source:<width$} │ {text}"), chars));
    }
    s.end();
}

/// The last command typed and what it printed, as a terminal.
fn terminal(s: &mut Svg, sim: &LogsSim, x: f64, y: f64, w: f64, h: f64) {
    let chars = ((w - 16.0) / MONO_CHAR) as usize;
    let rows = ((h - 10.0) / 13.0) as usize;
    s.el("g").attr("class", "logs-term").open();
    box_frame(s, x, y, w, h);
    for (i, (line, class)) in terminal_lines(sim, chars, rows).iter().enumerate() {
        text_at(
            s,
            format_args!("logs-term-line {class}"),
            x + 8.0,
            fixed(y + 16.0 + i as f64 * 13.0, 0),
            line,
        );
    }
    s.end();
}

/// The terminal's lines, each with its class: the last command wrapped at
/// `chars`, then as much of its output as fits in `rows` lines, the last
/// lines kept.
fn terminal_lines(sim: &LogsSim, chars: usize, rows: usize) -> Vec<(String, &'static str)> {
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
}

/// The files of the pod's emptyDir, each with its line count and last line.
fn shared_files(s: &mut Svg, sim: &LogsSim, changed: Option<&str>) {
    let pod = sim.pods().next();
    let files = pod.as_ref().map(|p| p.shared_files);
    if files.is_none_or(|f| f.is_empty()) {
        text_at(s, "logs-small logs-muted", 184, 84, "no files yet");
    }
    for (i, (path, lines)) in files.into_iter().flatten().enumerate() {
        let y = 84.0 + i as f64 * 44.0;
        let count = lines.len();
        let last = lines.iter().last().map_or("", String::as_str);
        let object = format!("emptyDir {path}");
        s.el("g")
            .attr(
                "class",
                classes(
                    "logs-shared",
                    &[("logs-changed", changed == Some(object.as_str()))],
                ),
            )
            .attr("data-path", path)
            .attr("data-lines", count)
            .open();
        text_at(
            s,
            "logs-name",
            184,
            fixed(y, 0),
            format_args!("{} · {count} line{}", file_name(path), plural(count)),
        );
        text_at(
            s,
            "logs-small logs-mono",
            184,
            fixed(y + 13.0, 0),
            clip(last, 28),
        );
        s.end();
    }
}

/// Each container's current CRI file on the node, with its line count and last line.
fn cri_files(s: &mut Svg, sim: &LogsSim, changed: Option<&str>) {
    let containers = sim.containers();
    let current = containers.iter().filter_map(|c| {
        let path = c.log_file.as_deref()?;
        let file = sim.files().find(|f| f.path == path)?;
        Some((c.name, file))
    });
    for (i, (container, file)) in current.enumerate() {
        let y = 194.0 + i as f64 * 17.0;
        let lines = file.lines();
        let last = file.text.split_terminator('\n').next_back().unwrap_or("");
        let label = format!(
            "{container}/{} · {lines} line{} · {}",
            file.name(),
            plural(lines),
            bytes(file.size)
        );
        s.el("g")
            .attr(
                "class",
                classes(
                    "logs-file logs-current",
                    &[("logs-changed", changed == Some(file.path))],
                ),
            )
            .attr("data-path", file.path)
            .attr("data-lines", lines)
            .open();
        text_at(
            s,
            "logs-name",
            10,
            fixed(y, 0),
            clip(&format!("{label:<38}"), 40),
        );
        text_at(s, "logs-cri", 262, fixed(y, 0), clip(last, 44));
        s.end();
    }
}

/// `t = 12.0 s` and the node's wall clock, top right.
fn clock(s: &mut Svg, sim: &LogsSim) {
    let now = sim.now();
    let stamp = sim.wall_clock(now).rfc3339_nano();
    let clock = stamp.get(11..19).unwrap_or("");
    s.el("text")
        .attr("class", "logs-clock")
        .attr("x", WIDTH - 10.0)
        .attr("y", 14)
        .attr("text-anchor", "end")
        .text(format_args!(
            "t = {} s · node clock {clock}",
            ratio(now.as_nanos(), 1_000_000_000, 1)
        ));
}

/// The arrowhead marker the arrows use.
fn arrowhead(s: &mut Svg) {
    s.el("defs").open();
    s.el("marker")
        .attr("id", "logs-arrowhead")
        .attr("viewBox", "0 0 10 10")
        .attr("refX", 9)
        .attr("refY", 5)
        .attr("markerWidth", 6)
        .attr("markerHeight", 6)
        .attr("orient", "auto-start-reverse")
        .open();
    s.el("path")
        .attr("class", "logs-arrowhead")
        .attr("d", "M0 0 L10 5 L0 10 z")
        .close();
    s.end();
    s.end();
}

/// An arrow along path `d`, ending in the arrowhead.
fn arrow(s: &mut Svg, class: &str, d: &str) {
    s.el("path")
        .attr("class", class)
        .attr("d", d)
        .attr("marker-end", "url(#logs-arrowhead)")
        .close();
}

/// A word over an arrow, centred at `x`.
fn arrow_label(s: &mut Svg, x: i32, y: i32, label: &str) {
    s.el("text")
        .attr("class", "logs-small")
        .attr("x", x)
        .attr("y", y)
        .attr("text-anchor", "middle")
        .text(label);
}

/// A box's frame, rounded by 6 units.
fn box_frame(s: &mut Svg, x: f64, y: f64, w: f64, h: f64) {
    s.el("rect")
        .attr("x", x)
        .attr("y", y)
        .attr("width", w)
        .attr("height", h)
        .attr("rx", 6)
        .close();
}

/// A container's frame, rounded by 4 units.
fn box_rect(s: &mut Svg, x: i32, y: i32, w: i32, h: i32) {
    s.el("rect")
        .attr("x", x)
        .attr("y", y)
        .attr("width", w)
        .attr("height", h)
        .attr("rx", 4)
        .close();
}

/// One line of text of class `class` at (`x`, `y`).
fn text_at(s: &mut Svg, class: impl Value, x: impl Value, y: impl Value, text: impl Value) {
    s.el("text")
        .attr("class", class)
        .attr("x", x)
        .attr("y", y)
        .text(text);
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
    format!("0 0 {} {}", short(WIDTH), short(HEIGHT))
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
        n if n < MI => format!("{} KiB", ratio(n, KI, 1)),
        n => format!("{} MiB", ratio(n, MI, 1)),
    }
}

/// `4 s`, `500 ms`.
fn millis(ms: u64) -> String {
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else if ms > 1000 {
        format!("{} s", ratio(ms, 1000, 1))
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
    use crate::scenarios::{table, LiveSimulation, STEP_LIMIT};
    use sim_core::{Player, Timeline};

    /// Runs scenario `file` and calls `check` with its simulation at each click.
    fn at_each_click(file: &str, mut check: impl FnMut(&LogsSim, usize)) {
        let scenario = table().unwrap().find(file).unwrap().clone();
        let config = LogsSim::config_of(&scenario).unwrap();
        let mut player = Player::new(LogsSim::build(config), scenario.header.seed);
        let timeline = Timeline::record(&mut player, STEP_LIMIT);
        let steps = timeline.click_steps(&scenario.header.clicks);
        assert!(steps.len() > 1, "{file} has clicks");
        for (click, step) in steps.into_iter().enumerate() {
            player.seek(step);
            check(player.sim(), click);
        }
    }

    /// The start tags in `markup` that begin with `start`.
    fn tags<'a>(markup: &'a str, start: &str) -> Vec<&'a str> {
        markup
            .match_indices(start)
            .map(|(i, _)| &markup[i..i + markup[i..].find('>').unwrap()])
            .collect()
    }

    /// The value of attribute `name` in start tag `tag`.
    fn attr<'a>(tag: &'a str, name: &str) -> &'a str {
        let from = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        &tag[from..from + tag[from..].find('"').unwrap()]
    }

    /// `markup` without its tags, entities left as written.
    fn text_of(markup: &str) -> String {
        let mut text = String::new();
        let mut in_tag = false;
        for c in markup.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        text
    }

    #[test]
    fn slide_22_draws_a_row_per_file_in_path_order_with_its_size_and_lines() {
        let mut most = 0;
        at_each_click("logs-node-level.toml", |sim, click| {
            let markup = node_drawing(sim, None);
            let rows = tags(&markup, "<g class=\"logs-file");
            let drawn: Vec<(&str, &str, &str)> = rows
                .iter()
                .map(|r| {
                    (
                        attr(r, "data-path"),
                        attr(r, "data-size"),
                        attr(r, "data-lines"),
                    )
                })
                .collect();
            let files: Vec<(String, String, String)> = sim
                .files()
                .map(|f| (f.path.into(), f.size.to_string(), f.lines().to_string()))
                .collect();
            let files: Vec<(&str, &str, &str)> = files
                .iter()
                .map(|(p, s, l)| (p.as_str(), s.as_str(), l.as_str()))
                .collect();
            assert_eq!(drawn, files, "click {click}");
            for (i, row) in rows.iter().enumerate() {
                let y = NODE_ROWS_TOP + i as f64 * NODE_ROW_STEP;
                assert_eq!(
                    attr(row, "style"),
                    format!("transform: translate(0px, {y}px)", y = tenths(y)),
                    "click {click}: row {i} sits in its place"
                );
            }
            let rotated = sim.files().filter(|f| f.rotated).count();
            let current = rows
                .iter()
                .filter(|r| attr(r, "class").contains("logs-current"));
            assert_eq!(current.count(), rows.len() - rotated, "click {click}");
            let mark = tags(&markup, "<g class=\"logs-threshold-mark\"");
            assert_eq!(
                attr(mark[0], "style") == "display: none",
                rows.is_empty(),
                "click {click}: the size mark shows with the files"
            );
            most = most.max(rows.len());
        });
        assert!(most > 1, "some click shows rotated files");
    }

    #[test]
    fn only_the_file_the_last_step_touched_is_marked_changed() {
        at_each_click("logs-node-level.toml", |sim, click| {
            let Some(first) = sim.files().next().map(|f| f.path.to_string()) else {
                return;
            };
            let markup = node_drawing(sim, Some(&first));
            let changed: Vec<&str> = tags(&markup, "<g class=\"logs-file")
                .into_iter()
                .filter(|r| attr(r, "class").contains("logs-changed"))
                .map(|r| attr(r, "data-path"))
                .collect();
            assert_eq!(changed, [first.as_str()], "click {click}");
        });
    }

    #[test]
    fn cri_lines_are_drawn_in_their_parts_and_the_header_is_escaped() {
        let mut drawn_lines = 0;
        at_each_click("logs-node-level.toml", |sim, click| {
            let markup = node_drawing(sim, None);
            let lines = markup.matches("<text class=\"logs-cri\"").count();
            if lines > 0 {
                assert!(
                    markup.contains("&lt;time&gt; &lt;stream&gt; &lt;P|F&gt; &lt;content&gt;"),
                    "click {click}"
                );
                assert!(!markup.contains("<time>"), "click {click}");
            }
            let file = sim.containers()[0].log_file.clone();
            let text = file
                .and_then(|p| {
                    sim.files()
                        .find(|f| f.path == p)
                        .map(|f| f.text.to_string())
                })
                .unwrap_or_default();
            let all: Vec<&str> = text.split_terminator('\n').collect();
            let last = &all[all.len().saturating_sub(3)..];
            let drawn: Vec<&str> = markup.split("<text class=\"logs-cri\"").skip(1).collect();
            assert_eq!(
                drawn.len(),
                last.len(),
                "click {click}: the last three lines"
            );
            for (line, cri) in drawn.iter().zip(last) {
                let line = &line[..line.find("</text>").unwrap()];
                assert_eq!(line.matches("<tspan").count(), 4, "click {click}: {line}");
                let parts: Vec<&str> = cri.splitn(4, ' ').collect();
                let expected = format!(
                    "{} {} {} {}",
                    parts[0],
                    parts[1],
                    parts[2],
                    clip(parts[3], 30)
                );
                assert_eq!(
                    text_of(&line[line.find('>').unwrap()..]),
                    expected,
                    "click {click}"
                );
            }
            drawn_lines += lines;
        });
        assert!(drawn_lines > 0, "some click shows CRI lines");
    }

    #[test]
    fn slide_23_rows_say_how_far_the_agent_read_each_file() {
        at_each_click("logs-node-agent.toml", |sim, click| {
            let markup = agent_drawing(sim, None);
            let agent = sim.agent().unwrap();
            let rows: Vec<&str> = markup.split("<g class=\"logs-file").skip(1).collect();
            assert_eq!(rows.len(), sim.files().count(), "click {click}");
            let reading = rows
                .iter()
                .filter(|r| r.starts_with(" logs-reading"))
                .count();
            assert_eq!(reading, agent.following.len(), "click {click}");
            for (inode, tail) in &agent.following {
                let path = sim.files().find(|f| f.inode == *inode).unwrap().path;
                let row = rows
                    .iter()
                    .find(|r| r.contains(&format!("data-path=\"{path}\"")))
                    .unwrap();
                assert!(
                    row.contains(&format!(">open, read {} B</text>", tail.offset)),
                    "click {click}: {row}"
                );
            }
            let messages = sim.backend().len();
            assert!(
                markup.contains(&format!("logging backend · {messages} message")),
                "click {click}"
            );
        });
    }

    #[test]
    fn slide_24_draws_a_row_per_shared_file_and_per_current_cri_file() {
        at_each_click("logs-streaming-sidecar.toml", |sim, click| {
            let markup = sidecar_drawing(sim, None);
            let shared: Vec<&str> = tags(&markup, "<g class=\"logs-shared")
                .into_iter()
                .map(|t| attr(t, "data-path"))
                .collect();
            let pod = sim.pods().next().unwrap();
            let files: Vec<&str> = pod.shared_files.keys().map(String::as_str).collect();
            assert_eq!(shared, files, "click {click}");
            assert_eq!(markup.contains(">no files yet<"), files.is_empty());
            let cri: Vec<&str> = tags(&markup, "<g class=\"logs-file")
                .into_iter()
                .map(|t| attr(t, "data-path"))
                .collect();
            let current: Vec<String> = sim
                .containers()
                .into_iter()
                .filter_map(|c| c.log_file)
                .filter(|p| sim.files().any(|f| f.path == p))
                .collect();
            assert_eq!(cri, current, "click {click}");
        });
    }

    #[test]
    fn the_terminal_keeps_the_command_and_the_last_lines_that_fit() {
        at_each_click("logs-node-level.toml", |sim, click| {
            let lines = terminal_lines(sim, 20, 6);
            let Some(out) = sim.last_output() else {
                assert_eq!(lines[0].0, "$ _");
                return;
            };
            let prompt: Vec<&(String, &str)> =
                lines.iter().filter(|l| l.1 == "logs-prompt").collect();
            assert!(
                lines.len() <= 6.max(prompt.len() + 1),
                "click {click}: {lines:?} fit in the terminal"
            );
            let command: String = prompt.iter().map(|l| l.0.replace(' ', "")).collect();
            assert_eq!(
                command,
                format!("${}", out.command.replace(' ', "")),
                "click {click}"
            );
            if let Some(last) = out.output.last() {
                assert_eq!(
                    lines.last().unwrap().0,
                    clip(last.trim_start(), 20),
                    "click {click}"
                );
            }
        });
    }

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
        assert_eq!(bytes(12_544), "12.3 KiB", "a half rounds up");
        assert_eq!(bytes(10 << 20), "10 MiB");
        assert_eq!(millis(4000), "4 s");
        assert_eq!(millis(1500), "1.5 s");
        assert_eq!(millis(1250), "1.3 s", "a half rounds up");
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
