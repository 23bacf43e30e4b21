//! The live figures of the cgroups simulator: the cgroup tree sharing a CPU
//! (slide 7), the shell session's gauges (slide 8), the listing of a group's
//! directory (slide 9) and the hierarchies with their groups and tasks
//! (slide 10). Each is an SVG drawn as markup from the simulation's typed
//! state (see [`super::svg`]); rows are keyed by group path (`data-key`) so
//! values move (and animate) in place.

use super::decimal::{fixed, ratio, short, tenths};
use super::markup::drawing_svg;
use super::svg::Svg;
use super::Live;
use leptos::prelude::*;
use sim_cgroups::controller::Controller;
use sim_cgroups::cpu::MICRO_CPUS_PER_CPU;
use sim_cgroups::hierarchy::{parent_of, Group, Hierarchy};
use sim_cgroups::process::{Activity, Namespace, Process};
use sim_cgroups::program::Program;
use sim_cgroups::script::Command;
use sim_cgroups::units::{bytes, seconds, PAGE_SIZE};
use sim_cgroups::CgroupSim;

/// A fraction of a bar, kept within 0..=1.
fn fraction(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 / whole as f64).clamp(0.0, 1.0)
    }
}

/// CPUs with two decimals, e.g. `0.33 CPU`.
fn cpu_text(micro: u64) -> String {
    format!("{} CPU", ratio(micro, MICRO_CPUS_PER_CPU, 2))
}

/// The CPU the whole machine has, in micro-CPUs.
fn capacity(sim: &CgroupSim) -> u64 {
    sim.machine().cpus.saturating_mul(MICRO_CPUS_PER_CPU)
}

/// The object the step shown last acted on (`cgroup cpu:/low`, `pid 1000`,
/// `/sys/fs/cgroup/cpu/low/cpu.stat`), if a step has run; a reactive read.
fn last_object(live: Live<CgroupSim>) -> Option<String> {
    let step = live.step();
    step.checked_sub(1)
        .and_then(|i| live.with_run(|run| run.told.get(i).map(|t| t.object.clone())))
}

/// Whether the last step acted on the group at `path` (not its parent): a
/// `cgroup CTL:PATH` object, or a file directly in the group's directory.
fn touched(object: Option<&str>, path: &str) -> bool {
    object.is_some_and(|o| {
        o.ends_with(&format!(":{path}"))
            || (path != "/"
                && o.starts_with('/')
                && o.rsplit_once('/')
                    .is_some_and(|(dir, _)| dir.ends_with(path)))
    })
}

/// A class list with `changed` when the last step (on `object`) acted on `path`.
fn group_class(object: Option<&str>, base: &str, path: &str) -> String {
    if touched(object, path) {
        format!("{base} changed")
    } else {
        base.to_string()
    }
}

/// A bar: a track `width` wide and its fill scaled to `filled` (0..=1), the
/// scale animating.
fn bar(s: &mut Svg, (x, y, height): (f64, f64, f64), width: f64, kind: &str, filled: f64) {
    s.el("rect")
        .attr("class", "cg-track")
        .attr("x", x)
        .attr("y", y)
        .attr("width", width)
        .attr("height", height)
        .attr("rx", 2)
        .text("");
    s.el("rect")
        .attr("class", format_args!("cg-fill {kind}"))
        .attr("x", x)
        .attr("y", y)
        .attr("width", width)
        .attr("height", height)
        .attr("rx", 2)
        .attr(
            "style",
            format_args!("transform: scaleX({filled})", filled = fixed(filled, 4)),
        )
        .text("");
}

/// A process's command, shortened to the program it runs.
fn short_command(command: &str) -> String {
    if command.starts_with("stress (") {
        return command.to_string();
    }
    let mut words = command.split_whitespace();
    let mut kept = Vec::new();
    while let Some(word) = words.next() {
        match word {
            "cgexec" | "unshare" => {}
            "-g" => {
                words.next();
            }
            w if w.starts_with("--") && kept.is_empty() => {}
            w => kept.push(w),
        }
    }
    let program: Vec<&str> = kept.into_iter().take(3).collect();
    program.join(" ")
}

/// What a process does, in a word.
fn activity(process: &Process) -> &'static str {
    match process.activity {
        Activity::Sleeping => "sleeping",
        Activity::Spinning => "spinning",
        Activity::Holding => "holding memory",
        Activity::HungAtLimit => "hung at the limit",
    }
}

/// A group's shares and, when it is busy, the busy siblings' shares it is
/// weighed against, e.g. `cpu.shares 512 of 1536 busy`.
fn shares_text(sim: &CgroupSim, group: &Group) -> String {
    let busy = |path: &str| {
        sim.processes()
            .values()
            .any(|p| p.runnable() && Hierarchy::is_within(&p.cpu_group, path))
    };
    let shares = group.cpu.shares;
    if !busy(&group.path) {
        return format!("cpu.shares {shares}, idle");
    }
    let parent = parent_of(&group.path).unwrap_or_default();
    let total: u64 = sim
        .tree()
        .children(&parent)
        .iter()
        .filter(|c| busy(c))
        .filter_map(|c| sim.group(c))
        .map(|g| g.cpu.shares)
        .sum();
    format!("cpu.shares {shares} of {total} busy")
}

/// The processes in the group at `path` in either controller, by pid.
fn tasks_of<'a>(sim: &'a CgroupSim, path: &'a str) -> impl Iterator<Item = &'a Process> {
    sim.processes()
        .values()
        .filter(move |p| p.cpu_group == path || p.memory_group == path)
}

/// Slide 7: the groups under the root, each with its shares, the CPU it gets
/// now, its memory against its limit and its tasks; the root's bar shows how
/// the machine's CPU is split.
pub fn tree(live: Live<CgroupSim>) -> AnyView {
    let markup = move || {
        let object = last_object(live);
        live.with(|sim| tree_markup(sim, object.as_deref()))
    };
    drawing_svg(
        "fig-cgroups fig-cg-tree",
        "0 0 880 250",
        "img",
        "The cgroup tree: each group's CPU share, memory and tasks",
        Signal::derive(markup),
    )
}

fn tree_markup(sim: &CgroupSim, object: Option<&str>) -> String {
    const LEFT: f64 = 170.0;
    const SPLIT: f64 = 690.0;
    let mut s = Svg::default();
    let children = sim.tree().children("/");
    let now = sim.cpu_now();
    let whole = capacity(sim);
    let cpus = sim.machine().cpus;
    s.el("text")
        .attr("class", "cg-title")
        .attr("x", 10)
        .attr("y", 16)
        .text("/ (root)");
    s.el("text")
        .attr("class", "cg-small")
        .attr("x", 10)
        .attr("y", 36)
        .text(format_args!(
            "{cpus} CPU{}, split now:",
            if cpus == 1 { "" } else { "s" }
        ));
    s.el("rect")
        .attr("class", "cg-track")
        .attr("x", LEFT)
        .attr("y", 22)
        .attr("width", SPLIT)
        .attr("height", 20)
        .attr("rx", 2)
        .text("");
    let used = now.get("/").copied().unwrap_or(0);
    s.el("text")
        .attr("class", "cg-idle")
        .attr("x", LEFT + SPLIT - 6.0)
        .attr("y", 36)
        .text(format_args!(
            "idle {}",
            cpu_text(whole.saturating_sub(used))
        ));
    let mut at = 0.0;
    for (index, path) in children.iter().enumerate() {
        let share = fraction(now.get(path).copied().unwrap_or(0), whole);
        let start = at;
        at += share;
        s.el("g")
            .attr("data-key", format_args!("segment {path}"))
            .open();
        s.el("rect")
            .attr("class", format_args!("cg-segment cg-tone-{}", index % 4))
            .attr("x", 0)
            .attr("y", 22)
            .attr("width", 1)
            .attr("height", 20)
            .attr(
                "style",
                format_args!(
                    "transform: translateX({}px) scaleX({})",
                    fixed(LEFT + start * SPLIT, 2),
                    fixed(share * SPLIT, 2)
                ),
            )
            .text("");
        let opacity = if share * SPLIT > 60.0 { 1 } else { 0 };
        s.el("text")
            .attr("class", "cg-segment-label")
            .attr("y", 36)
            .attr(
                "style",
                format_args!(
                    "transform: translateX({}px); opacity: {opacity}",
                    fixed(LEFT + (start + share / 2.0) * SPLIT, 2)
                ),
            )
            .text(path);
        s.end();
    }
    s.el("text").attr("class", "cg-small").attr("x", LEFT).attr("y", 56)
        .text("Busy siblings split the CPU in proportion to cpu.shares; an idle group's part goes to the busy ones.");
    let width = (860.0 / children.len().max(1) as f64).min(430.0);
    for (index, path) in children.iter().enumerate() {
        let Some(g) = sim.group(path) else {
            continue;
        };
        let bar_width = (width - 226.0).max(40.0);
        let value_x = width - 140.0;
        s.el("g")
            .attr("class", group_class(object, "cg-column", path))
            .attr("data-key", path)
            .attr(
                "style",
                format_args!(
                    "transform: translate({}px, 0px)",
                    tenths(10.0 + index as f64 * width)
                ),
            )
            .open();
        s.el("rect")
            .attr("class", "cg-box")
            .attr("x", 0)
            .attr("y", 62)
            .attr("height", 184)
            .attr("width", width - 12.0)
            .attr("rx", 6)
            .text("");
        s.el("text")
            .attr("class", "cg-title")
            .attr("x", 12)
            .attr("y", 82)
            .text(path);
        let controllers: Vec<&str> = g.controllers.iter().map(|c| c.name()).collect();
        s.el("text")
            .attr("class", "cg-small")
            .attr("x", 12)
            .attr("y", 99)
            .text(format_args!(
                "{} · in {}",
                shares_text(sim, g),
                controllers.join(", ")
            ));
        s.el("text")
            .attr("class", "cg-label")
            .attr("x", 12)
            .attr("y", 124)
            .text("CPU now");
        let cpu = now.get(&g.path).copied().unwrap_or(0);
        bar(
            &mut s,
            (78.0, 113.0, 14.0),
            bar_width,
            "cg-cpu",
            fraction(cpu, whole),
        );
        s.el("text")
            .attr("class", "cg-value")
            .attr("y", 124)
            .attr("x", value_x)
            .text(cpu_text(cpu));
        s.el("text")
            .attr("class", "cg-small")
            .attr("x", 12)
            .attr("y", 142)
            .text(format_args!("cpuacct.usage {}", seconds(g.cpu.usage_ns)));
        s.el("text")
            .attr("class", "cg-label")
            .attr("x", 12)
            .attr("y", 166)
            .text("memory");
        let usage = sim.memory_usage(&g.path);
        let limit = sim.memory_limit(&g.path);
        bar(
            &mut s,
            (78.0, 155.0, 14.0),
            bar_width,
            "cg-mem",
            limit.map_or(0.0, |l| fraction(usage, l)),
        );
        let memory = match limit {
            Some(limit) => format!("{} / {}", bytes(usage), bytes(limit)),
            None => format!("{}, no limit", bytes(usage)),
        };
        s.el("text")
            .attr("class", "cg-value")
            .attr("y", 166)
            .attr("x", value_x)
            .text(memory);
        let all: Vec<String> = tasks_of(sim, path)
            .map(|t| format!("{} {}: {}", t.pid, short_command(&t.command), activity(t)))
            .collect();
        let mut shown: Vec<String> = all.iter().take(3).cloned().collect();
        if all.len() > 3 {
            shown.push(format!("and {} more", all.len() - 3));
        }
        if shown.is_empty() {
            shown.push("no tasks".to_string());
        }
        for (i, line) in shown.iter().enumerate() {
            s.el("text")
                .attr("class", "cg-task")
                .attr("x", 12)
                .attr("y", 190.0 + i as f64 * 15.0)
                .text(line);
        }
        s.end();
    }
    s.finish()
}

/// The group the shell session works on: the value of `$UUID`, if set.
fn session_group(sim: &CgroupSim) -> Option<String> {
    sim.shell()
        .variables()
        .get("UUID")
        .map(|uuid| format!("/{uuid}"))
}

/// Whether script line `index` is typed inside a shell an earlier line
/// started (up to and including its `exit`).
fn typed_inside(sim: &CgroupSim, index: usize) -> bool {
    let opens = |command: &Command| match command {
        Command::Cgexec { launch, .. } | Command::Run { launch } => {
            launch.program == Program::Shell && !launch.background
        }
        _ => false,
    };
    let depth = sim.script().iter().take(index).fold(0usize, |depth, line| {
        if opens(&line.command) {
            depth + 1
        } else if line.command == Command::Exit {
            depth.saturating_sub(1)
        } else {
            depth
        }
    });
    depth > 0
}

/// A namespace as the figure names it.
fn namespace_text(ns: Namespace) -> String {
    match ns {
        Namespace::Host => "host's".to_string(),
        Namespace::New(n) => format!("new #{n}"),
    }
}

/// Slide 8: the line just run and what it printed, the group's CPU per
/// period against its quota and its memory against its limit, and the
/// namespaces of the container's shell.
pub fn shell_session(live: Live<CgroupSim>) -> AnyView {
    drawing_svg(
        "fig-cgroups fig-cg-session",
        "0 0 430 470",
        "img",
        "The shell session on a simulated host: CPU per period, memory, namespaces",
        Signal::derive(move || live.with(session_markup)),
    )
}

/// The line the shell ran last, with its prompt.
fn prompt(sim: &CgroupSim) -> String {
    match sim.shell().current_line() {
        None => "nothing run yet (lines 1-3 install the tools)".to_string(),
        Some(index) => {
            let text = sim
                .script()
                .get(index)
                .map(|l| l.text.as_str())
                .unwrap_or_default();
            if typed_inside(sim, index) {
                format!("sh-4.2# {text}")
            } else {
                format!("$ {text}")
            }
        }
    }
}

/// The session's group, in a line.
fn group_line(sim: &CgroupSim) -> String {
    match session_group(sim) {
        None => "no group yet: $UUID is not set".to_string(),
        Some(path) => match sim.group(&path) {
            Some(g) => {
                let controllers: Vec<&str> = g.controllers.iter().map(|c| c.name()).collect();
                format!("group {} in {}", short_uuid(&path), controllers.join(", "))
            }
            None => format!("group {} does not exist", short_uuid(&path)),
        },
    }
}

/// The container shell's namespaces, in lines.
fn namespace_lines(sim: &CgroupSim) -> Vec<String> {
    let Some(shell) = sim.shell_process() else {
        return vec!["No container shell open: all in the host's namespaces.".to_string()];
    };
    let ns = shell.namespaces;
    let hostname = sim
        .system()
        .hostnames
        .get(&ns.uts)
        .cloned()
        .unwrap_or_default();
    let all = [
        ("cgroup", ns.cgroup),
        ("ipc", ns.ipc),
        ("mnt", ns.mnt),
        ("net", ns.net),
        ("pid", ns.pid),
        ("user", ns.user),
        ("uts", ns.uts),
    ];
    let new: Vec<String> = all
        .iter()
        .filter(|(_, n)| *n != Namespace::Host)
        .map(|(name, n)| format!("{name} {}", namespace_text(*n)))
        .collect();
    let shared: Vec<&str> = all
        .iter()
        .filter(|(_, n)| *n == Namespace::Host)
        .map(|(name, _)| *name)
        .collect();
    vec![
        format!(
            "shell pid {} in cpu:{}",
            shell.pid,
            short_uuid(&shell.cpu_group)
        ),
        format!("own: {}", new.join(", ")),
        format!("hostname inside: {hostname}"),
        format!("shared with the host: {}", shared.join(", ")),
    ]
}

fn session_markup(sim: &CgroupSim) -> String {
    let mut s = Svg::default();
    let group = session_group(sim).and_then(|p| sim.group(&p));
    let period_capacity = |g: &Group| {
        sim.machine()
            .cpus
            .saturating_mul(g.cpu.period_us)
            .saturating_mul(1000)
    };
    s.el("rect")
        .attr("class", "cg-term")
        .attr("x", 0)
        .attr("y", 0)
        .attr("width", 430)
        .attr("height", 96)
        .attr("rx", 6)
        .text("");
    s.el("text")
        .attr("class", "cg-mono cg-prompt")
        .attr("x", 10)
        .attr("y", 20)
        .text(prompt(sim));
    for (i, line) in sim.terminal().iter().take(3).enumerate() {
        s.el("text")
            .attr("class", "cg-mono")
            .attr("x", 10)
            .attr("y", 42.0 + i as f64 * 16.0)
            .text(line);
    }
    s.el("text")
        .attr("class", "cg-title")
        .attr("x", 0)
        .attr("y", 122)
        .text(group_line(sim));
    s.el("text")
        .attr("class", "cg-label")
        .attr("x", 0)
        .attr("y", 148)
        .text(group.map_or(String::new(), |g| {
            format!(
                "CPU per period ({} period, cpu.shares {})",
                seconds(g.cpu.period_us.saturating_mul(1000)),
                g.cpu.shares
            )
        }));
    let used = group.map_or(0.0, |g| fraction(g.cpu.period_used_ns, period_capacity(g)));
    bar(&mut s, (0.0, 156.0, 18.0), 430.0, "cg-cpu", used);
    let quota_at = group.and_then(|g| {
        g.cpu
            .quota_us
            .map(|q| fraction(q.saturating_mul(1000), period_capacity(g)))
    });
    let mark = match quota_at {
        Some(at) => format!("transform: translateX({}px)", tenths(at * 430.0)),
        None => "opacity: 0".to_string(),
    };
    s.el("g")
        .attr("class", "cg-quota-mark")
        .attr("style", mark)
        .open();
    s.el("line")
        .attr("class", "cg-quota")
        .attr("y1", 152)
        .attr("y2", 178)
        .attr("x1", 0)
        .attr("x2", 0)
        .text("");
    s.el("text")
        .attr("class", "cg-quota-label")
        .attr("x", 4)
        .attr("y", 171)
        .text("quota");
    s.end();
    let quota_line = group.map_or(String::new(), |g| match g.cpu.quota_us {
        Some(q) => format!(
            "this period: used {} of its {} quota (bar: {} CPUs x 1 period)",
            seconds(g.cpu.period_used_ns),
            seconds(q.saturating_mul(1000)),
            period_capacity(g) / g.cpu.period_us.saturating_mul(1000).max(1)
        ),
        None => "no quota (cpu.cfs_quota_us = -1): no line".to_string(),
    });
    s.el("text")
        .attr("class", "cg-small")
        .attr("x", 0)
        .attr("y", 194)
        .text(quota_line);
    let throttled = group.is_some_and(|g| g.cpu.throttled);
    let periods = group.map_or(String::new(), |g| {
        format!(
            "nr_periods {} · nr_throttled {} · throttled_time {}{}",
            g.cpu.nr_periods,
            g.cpu.nr_throttled,
            seconds(g.cpu.throttled_time_ns),
            if g.cpu.throttled {
                " · throttled now"
            } else {
                ""
            }
        )
    });
    s.el("text")
        .attr(
            "class",
            if throttled {
                "cg-small cg-warn"
            } else {
                "cg-small"
            },
        )
        .attr("x", 0)
        .attr("y", 210)
        .text(periods);
    s.el("text")
        .attr("class", "cg-label")
        .attr("x", 0)
        .attr("y", 240)
        .text("memory");
    let mem = session_group(sim)
        .and_then(|p| {
            sim.memory_limit(&p)
                .map(|l| fraction(sim.memory_usage(&p), l))
        })
        .unwrap_or(0.0);
    bar(&mut s, (0.0, 248.0, 18.0), 430.0, "cg-mem", mem);
    let limit_line = group.map_or(String::new(), |g| match g.memory.limit_pages {
        Some(pages) => format!(
            "limit {} bytes = {pages} pages of {PAGE_SIZE}; usage {}",
            pages.saturating_mul(PAGE_SIZE),
            bytes(sim.memory_usage(&g.path))
        ),
        None => format!("no limit; usage {}", bytes(sim.memory_usage(&g.path))),
    });
    s.el("text")
        .attr("class", "cg-small")
        .attr("x", 0)
        .attr("y", 284)
        .text(limit_line);
    s.el("text")
        .attr("class", "cg-small")
        .attr("x", 0)
        .attr("y", 300)
        .text(group.map_or(String::new(), |g| {
            format!(
                "max_usage {} · failcnt {}",
                bytes(g.memory.max_usage_bytes),
                g.memory.failcnt
            )
        }));
    s.el("text")
        .attr("class", "cg-label")
        .attr("x", 0)
        .attr("y", 330)
        .text("namespaces of the container's shell");
    for (i, line) in namespace_lines(sim).iter().enumerate() {
        s.el("text")
            .attr("class", "cg-ns")
            .attr("x", 0)
            .attr("y", 350.0 + i as f64 * 18.0)
            .text(line);
    }
    s.el("text")
        .attr("class", "cg-small")
        .attr("x", 0)
        .attr("y", 440)
        .text("unshare --uts --ipc --net: own hostname, IPC and network (only lo, down)");
    s.finish()
}

/// A group path with its UUID cut to its first block, e.g. `/1b4e28ba…`.
fn short_uuid(path: &str) -> String {
    match path.split_once('-') {
        Some((head, _)) if path.len() > 30 => format!("{head}…"),
        _ => path.to_string(),
    }
}

/// The directory the scenario lists: the path of its first `ls -l` line as
/// written, and expanded once every variable it names is set.
fn listed_dir(sim: &CgroupSim) -> (String, Option<String>) {
    let variables = sim.shell().variables();
    sim.script()
        .iter()
        .find_map(|line| match &line.command {
            Command::List { path } => {
                let set = path.variables().iter().all(|v| variables.contains_key(v));
                let expanded = set.then(|| path.expand(|name| variables.get(name).cloned()));
                Some((path.0.clone(), expanded))
            }
            _ => None,
        })
        .unwrap_or_default()
}

/// One listed file: its `ls -l` line and its content now.
fn listed_files(sim: &CgroupSim) -> Vec<(String, String)> {
    let Some(dir) = listed_dir(sim).1 else {
        return Vec::new();
    };
    let lines = sim.listing(&dir);
    lines
        .iter()
        .skip(1)
        .filter_map(|line| {
            let name = line.split_whitespace().last()?;
            let value = match sim.read_file(&format!("{dir}/{name}")) {
                Some(content) if content.is_empty() => "(empty)".to_string(),
                Some(content) => content.lines().collect::<Vec<_>>().join(" · "),
                None => "(write-only: cat fails with EACCES)".to_string(),
            };
            Some((line.clone(), value))
        })
        .collect()
}

/// Slide 9: `ls -l` of the group's directory as the simulator prints it,
/// each file with the value a `cat` would read now.
pub fn listing(live: Live<CgroupSim>) -> AnyView {
    let markup = move || {
        let object = last_object(live);
        live.with(|sim| listing_markup(sim, object.as_deref()))
    };
    drawing_svg(
        "fig-cgroups fig-cg-listing",
        "0 0 430 470",
        "img",
        "The group's directory as ls -l lists it, with each file's value",
        Signal::derive(markup),
    )
}

/// The listing's command line and its first line (or why there is none).
fn listing_header(sim: &CgroupSim) -> (String, String) {
    let (written, dir) = listed_dir(sim);
    let lines = dir.as_deref().map(|d| sim.listing(d)).unwrap_or_default();
    match (dir, lines.first()) {
        (Some(dir), Some(total)) if lines.len() > 1 => {
            (format!("# ls -l {}", short_uuid(&dir)), total.clone())
        }
        (Some(dir), _) => (
            format!("# ls -l {}", short_uuid(&dir)),
            "the directory is gone: cgdelete removed the group".to_string(),
        ),
        (None, _) => (
            format!("# ls -l {written}"),
            "the directory does not exist yet: cgcreate makes it".to_string(),
        ),
    }
}

fn listing_markup(sim: &CgroupSim, object: Option<&str>) -> String {
    let mut s = Svg::default();
    let (command, first) = listing_header(sim);
    s.el("text")
        .attr("class", "cg-title cg-mono")
        .attr("x", 0)
        .attr("y", 14)
        .text(command);
    s.el("text")
        .attr("class", "cg-mono cg-ls")
        .attr("x", 0)
        .attr("y", 34)
        .text(first);
    for (place, (line, value)) in listed_files(sim).iter().enumerate() {
        let name = line.split_whitespace().last().unwrap_or_default();
        let changed = object.is_some_and(|o| o.ends_with(&format!("/{name}")));
        s.el("g")
            .attr("class", if changed { "cg-row changed" } else { "cg-row" })
            .attr("data-key", name)
            .attr(
                "style",
                format_args!("transform: translateY({}px)", 46 + place * 29),
            )
            .open();
        s.el("text")
            .attr("class", "cg-mono cg-ls")
            .attr("x", 0)
            .attr("y", 10)
            .text(line);
        s.el("text")
            .attr("class", "cg-file-value")
            .attr("x", 14)
            .attr("y", 23)
            .text(format_args!("= {value}"));
        s.end();
    }
    s.finish()
}

/// The groups of `controller`'s hierarchy, parents first.
fn hierarchy_groups(sim: &CgroupSim, controller: Controller) -> Vec<String> {
    sim.tree()
        .groups()
        .filter(|g| g.controllers.contains(&controller))
        .map(|g| g.path.clone())
        .collect()
}

/// How deep `path` is: 0 for the root.
fn depth(path: &str) -> usize {
    path.matches('/').count() - usize::from(path == "/")
}

/// The nearest ancestor of `path` with a memory limit, and that limit.
fn bounding_limit(sim: &CgroupSim, path: &str) -> Option<(String, u64)> {
    sim.tree()
        .self_and_ancestors(path)
        .into_iter()
        .skip(1)
        .find_map(|a| sim.memory_limit(&a).map(|l| (a, l)))
}

/// Whether the nearest throttled ancestor of `path` holds it, by path.
fn holder(sim: &CgroupSim, path: &str) -> Option<String> {
    sim.tree()
        .self_and_ancestors(path)
        .into_iter()
        .skip(1)
        .find(|a| sim.group(a).is_some_and(|g| g.cpu.throttled))
}

/// One group's text in a hierarchy: its CPU now, quota, shares and state,
/// or its memory against the limit in force.
fn level_text(sim: &CgroupSim, g: &Group, controller: Controller) -> String {
    match controller {
        Controller::Cpu => {
            let now = cpu_text(sim.cpu_now().get(&g.path).copied().unwrap_or(0));
            let quota = g.cpu.quota_us.map(|q| {
                let micro = q.saturating_mul(MICRO_CPUS_PER_CPU) / g.cpu.period_us.max(1);
                format!(" · quota {}", ratio(micro, MICRO_CPUS_PER_CPU, 2))
            });
            let state = if g.cpu.throttled {
                " · throttled".to_string()
            } else if let Some(a) = holder(sim, &g.path).filter(|_| g.cpu.held) {
                format!(" · held by {a}")
            } else {
                match g.cpu.nr_throttled {
                    0 => String::new(),
                    n => format!(" · nr_throttled {n}"),
                }
            };
            format!(
                "{now}{} · shares {}{state}",
                quota.unwrap_or_default(),
                g.cpu.shares
            )
        }
        Controller::Memory => {
            let used = bytes(sim.memory_usage(&g.path));
            let limit = match (sim.memory_limit(&g.path), bounding_limit(sim, &g.path)) {
                (Some(l), _) => format!(" / {}", bytes(l)),
                (None, Some((a, l))) => format!(", bounded by {a}'s {}", bytes(l)),
                (None, None) => String::new(),
            };
            let fails = if g.memory.failcnt > 0 {
                format!(" · failcnt {}", g.memory.failcnt)
            } else {
                String::new()
            };
            let kills = match g.memory.events.oom_kill {
                0 => String::new(),
                n => format!(" · oom_kill {n}"),
            };
            format!("{used}{limit}{fails}{kills}")
        }
    }
}

/// One hierarchy's rows: each group indented under its parent, with its
/// tasks and the bar of its controller.
fn hierarchy_rows(
    s: &mut Svg,
    sim: &CgroupSim,
    object: Option<&str>,
    controller: Controller,
    (x, width): (f64, f64),
) {
    let kind = match controller {
        Controller::Cpu => "cg-cpu",
        Controller::Memory => "cg-mem",
    };
    let bar_x = 150.0;
    let bar_width = (width - bar_x - 8.0).max(40.0);
    for (place, path) in hierarchy_groups(sim, controller).iter().enumerate() {
        let Some(g) = sim.group(path) else {
            continue;
        };
        let indent = depth(path) as f64 * 14.0;
        let name = if path == "/" {
            "/ (root)"
        } else {
            path.rsplit('/').next().unwrap_or_default()
        };
        let fill = match controller {
            Controller::Cpu => {
                fraction(sim.cpu_now().get(path).copied().unwrap_or(0), capacity(sim))
            }
            Controller::Memory => {
                let bound = sim
                    .memory_limit(path)
                    .or_else(|| bounding_limit(sim, path).map(|(_, l)| l));
                bound.map_or(0.0, |l| fraction(sim.memory_usage(path), l))
            }
        };
        let pids: Vec<String> = sim
            .processes()
            .values()
            .filter(|t| match controller {
                Controller::Cpu => t.cpu_group == *path,
                Controller::Memory => t.memory_group == *path,
            })
            .map(|t| t.pid.to_string())
            .collect();
        let tasks = match pids.len() {
            0 => String::new(),
            1..=3 => format!("tasks {}", pids.join(" ")),
            n => format!("{n} tasks"),
        };
        let base = group_class(object, "cg-level-row", path);
        let held = controller == Controller::Cpu && (g.cpu.held || g.cpu.throttled);
        let class = if held { format!("{base} held") } else { base };
        s.el("g")
            .attr("class", class)
            .attr("data-key", path)
            .attr(
                "style",
                format_args!(
                    "transform: translate({}px, {}px)",
                    short(x),
                    44 + place * 29
                ),
            )
            .open();
        s.el("text")
            .attr("class", "cg-group-name")
            .attr("x", indent)
            .attr("y", 11)
            .text(name);
        s.el("text")
            .attr("class", "cg-task")
            .attr("x", indent)
            .attr("y", 24)
            .text(tasks);
        bar(s, (bar_x, 2.0, 10.0), bar_width, kind, fill);
        s.el("text")
            .attr("class", "cg-small")
            .attr("x", bar_x)
            .attr("y", 25)
            .text(level_text(sim, g, controller));
        s.end();
    }
}

/// Slide 10: the two hierarchies (cpu with cpuacct, and memory), the groups
/// in each, their tasks and bars; a parent's quota or limit bounds its
/// children, and a held child says which ancestor holds it.
pub fn level(live: Live<CgroupSim>) -> AnyView {
    let markup = move || {
        let object = last_object(live);
        live.with(|sim| {
            let mut s = Svg::default();
            s.el("text").attr("class", "cg-title").attr("x", 0).attr("y", 14)
                .text("hierarchy 1: subsystems cpu, cpuacct");
            s.el("text").attr("class", "cg-small").attr("x", 0).attr("y", 30)
                .text("/sys/fs/cgroup/cpu,cpuacct · bar: CPU now of all CPUs; quota in CPUs · red: throttled or held");
            s.el("text").attr("class", "cg-title").attr("x", 500).attr("y", 14)
                .text("hierarchy 2: subsystem memory");
            s.el("text").attr("class", "cg-small").attr("x", 500).attr("y", 30)
                .text("/sys/fs/cgroup/memory · bar: usage of the limit in force");
            s.el("line").attr("class", "cg-rule").attr("x1", 490).attr("x2", 490).attr("y1", 0)
                .attr("y2", 250).text("");
            hierarchy_rows(&mut s, sim, object.as_deref(), Controller::Cpu, (0.0, 480.0));
            hierarchy_rows(&mut s, sim, object.as_deref(), Controller::Memory, (500.0, 380.0));
            s.finish()
        })
    };
    drawing_svg(
        "fig-cgroups fig-cg-level",
        "0 0 880 250",
        "img",
        "Hierarchies, their subsystems, groups and tasks",
        Signal::derive(markup),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_touches_the_group_it_names_not_its_parent() {
        assert!(touched(Some("cgroup cpu:/team/web"), "/team/web"));
        assert!(!touched(Some("cgroup cpu:/team/web"), "/team"));
        assert!(touched(
            Some("/sys/fs/cgroup/cpu/low/cpuacct.usage"),
            "/low"
        ));
        assert!(!touched(Some("pid 1000"), "/low"));
        assert!(!touched(None, "/low"));
    }

    #[test]
    fn commands_shorten_to_the_program() {
        assert_eq!(
            short_command("cgexec -g cpu,memory:/low stress --cpu 1 --vm 1 &"),
            "stress --cpu 1"
        );
        assert_eq!(
            short_command("cgexec -g cpu,memory:$UUID unshare --uts --ipc --net sh"),
            "sh"
        );
        assert_eq!(short_command("stress (cpu worker)"), "stress (cpu worker)");
    }
}
