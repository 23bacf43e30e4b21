//! The live figures of the cgroups simulator: the cgroup tree sharing a CPU
//! (slide 7), the shell session's gauges (slide 8), the listing of a group's
//! directory (slide 9) and the hierarchies with their groups and tasks
//! (slide 10). Each is an SVG drawn from the simulation's typed state; rows
//! are keyed by group path so values move (and animate) in place.

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
    format!("{:.2} CPU", micro as f64 / MICRO_CPUS_PER_CPU as f64)
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

/// A class list with `changed` when the last step acted on `path`.
fn group_class(live: Live<CgroupSim>, base: &'static str, path: &str) -> String {
    if touched(last_object(live).as_deref(), path) {
        format!("{base} changed")
    } else {
        base.to_string()
    }
}

/// A bar: a track `width()` wide and its fill scaled to `filled()` (0..=1),
/// the scale animating.
fn bar(
    (x, y, height): (f64, f64, f64),
    width: impl Fn() -> f64 + Clone + Send + Sync + 'static,
    kind: &'static str,
    filled: impl Fn() -> f64 + Send + Sync + 'static,
) -> impl IntoView {
    let track = width.clone();
    view! {
        <rect class="cg-track" x=x y=y width=track height=height rx="2"></rect>
        <rect class=format!("cg-fill {kind}") x=x y=y width=width height=height rx="2"
            style=move || format!("transform: scaleX({:.4})", filled())></rect>
    }
}

/// The text `f` makes from the group at `path` now (empty once it is gone).
fn group_text(
    live: Live<CgroupSim>,
    path: &str,
    f: fn(&CgroupSim, &Group) -> String,
) -> impl Fn() -> String + Send + Sync + 'static {
    let path = path.to_string();
    move || live.with(|sim| sim.group(&path).map(|g| f(sim, g)).unwrap_or_default())
}

/// A process's command, shortened to the program it runs.
fn short_command(command: &str) -> String {
    if command.starts_with("stress (") {
        return command.to_string();
    }
    let mut words = command.split_whitespace().peekable();
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
    const LEFT: f64 = 170.0;
    const SPLIT: f64 = 690.0;
    let children = move || live.with(|sim| sim.tree().children("/"));
    let segments = move || {
        live.with(|sim| {
            let now = sim.cpu_now();
            let whole = capacity(sim);
            let mut at = 0.0;
            sim.tree()
                .children("/")
                .into_iter()
                .map(|path| {
                    let share = fraction(now.get(&path).copied().unwrap_or(0), whole);
                    let start = at;
                    at += share;
                    (path, start, share)
                })
                .collect::<Vec<_>>()
        })
    };
    let segment = move |path: String| {
        let place = {
            let path = path.clone();
            move || {
                segments()
                    .into_iter()
                    .find(|(p, _, _)| *p == path)
                    .map_or((0.0, 0.0), |(_, start, share)| (start, share))
            }
        };
        let label_place = place.clone();
        let index = {
            let path = path.clone();
            move || children().iter().position(|p| *p == path).unwrap_or(0)
        };
        view! {
            <rect class=move || format!("cg-segment cg-tone-{}", index() % 4) x="0" y="22" width="1" height="20"
                style=move || {
                    let (start, share) = place();
                    format!("transform: translateX({:.2}px) scaleX({:.2})", LEFT + start * SPLIT, share * SPLIT)
                }></rect>
            <text class="cg-segment-label" y="36"
                style=move || {
                    let (start, share) = label_place();
                    let opacity = if share * SPLIT > 60.0 { 1 } else { 0 };
                    format!("transform: translateX({:.2}px); opacity: {opacity}", LEFT + (start + share / 2.0) * SPLIT)
                }>{path.clone()}</text>
        }
    };
    let column = move |path: String| {
        let p = path.clone();
        let index = move || children().iter().position(|c| *c == p).unwrap_or(0);
        let count = move || children().len().max(1);
        let width = move || (860.0 / count() as f64).min(430.0);
        let (cpu_path, mem_path, task_path, class_path) =
            (path.clone(), path.clone(), path.clone(), path.clone());
        let cpu_fill = move || {
            live.with(|sim| {
                fraction(
                    sim.cpu_now().get(&cpu_path).copied().unwrap_or(0),
                    capacity(sim),
                )
            })
        };
        let mem_fill = move || {
            live.with(|sim| match sim.memory_limit(&mem_path) {
                Some(limit) => fraction(sim.memory_usage(&mem_path), limit),
                None => 0.0,
            })
        };
        let tasks = move || {
            live.with(|sim| {
                let all: Vec<String> = tasks_of(sim, &task_path)
                    .map(|t| format!("{} {}: {}", t.pid, short_command(&t.command), activity(t)))
                    .collect();
                let mut shown: Vec<String> = all.iter().take(3).cloned().collect();
                if all.len() > 3 {
                    shown.push(format!("and {} more", all.len() - 3));
                }
                if shown.is_empty() {
                    shown.push("no tasks".to_string());
                }
                shown
            })
        };
        let bar_width = move || (width() - 226.0).max(40.0);
        let value_x = move || width() - 140.0;
        view! {
            <g class=move || group_class(live, "cg-column", &class_path)
                style=move || format!("transform: translate({:.1}px, 0px)", 10.0 + index() as f64 * width())>
                <rect class="cg-box" x="0" y="62" height="184" width=move || width() - 12.0 rx="6"></rect>
                <text class="cg-title" x="12" y="82">{path.clone()}</text>
                <text class="cg-small" x="12" y="99">{group_text(live, &path, |sim, g| {
                    let controllers: Vec<&str> = g.controllers.iter().map(|c| c.name()).collect();
                    format!("{} · in {}", shares_text(sim, g), controllers.join(", "))
                })}</text>
                <text class="cg-label" x="12" y="124">"CPU now"</text>
                {bar((78.0, 113.0, 14.0), bar_width, "cg-cpu", cpu_fill)}
                <text class="cg-value" y="124" x=value_x>{group_text(live, &path, |sim, g| {
                    cpu_text(sim.cpu_now().get(&g.path).copied().unwrap_or(0))
                })}</text>
                <text class="cg-small" x="12" y="142">{group_text(live, &path, |_, g| format!("cpuacct.usage {}", seconds(g.cpu.usage_ns)))}</text>
                <text class="cg-label" x="12" y="166">"memory"</text>
                {bar((78.0, 155.0, 14.0), bar_width, "cg-mem", mem_fill)}
                <text class="cg-value" y="166" x=value_x>{group_text(live, &path, |sim, g| {
                    let used = bytes(sim.memory_usage(&g.path));
                    match sim.memory_limit(&g.path) {
                        Some(limit) => format!("{used} / {}", bytes(limit)),
                        None => format!("{used}, no limit"),
                    }
                })}</text>
                {move || tasks().into_iter().enumerate().map(|(i, line)| view! {
                    <text class="cg-task" x="12" y=190.0 + i as f64 * 15.0>{line}</text>
                }).collect_view()}
            </g>
        }
    };
    view! {
        <svg class="fig-cgroups fig-cg-tree" viewBox="0 0 880 250" preserveAspectRatio="xMidYMid meet" width="100%" height="100%" role="img"
            aria-label="The cgroup tree: each group's CPU share, memory and tasks">
            <text class="cg-title" x="10" y="16">"/ (root)"</text>
            <text class="cg-small" x="10" y="36">{move || live.with(|sim| {
                let cpus = sim.machine().cpus;
                format!("{cpus} CPU{}, split now:", if cpus == 1 { "" } else { "s" })
            })}</text>
            <rect class="cg-track" x=LEFT y="22" width=SPLIT height="20" rx="2"></rect>
            <text class="cg-idle" x=LEFT + SPLIT - 6.0 y="36">{move || live.with(|sim| {
                let used = sim.cpu_now().get("/").copied().unwrap_or(0);
                format!("idle {}", cpu_text(capacity(sim).saturating_sub(used)))
            })}</text>
            <For each=children key=|path| path.clone() children=segment/>
            <text class="cg-small" x=LEFT y="56">"Busy siblings split the CPU in proportion to cpu.shares; an idle group's part goes to the busy ones."</text>
            <For each=children key=|path| path.clone() children=column/>
        </svg>
    }
    .into_any()
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
    let prompt = move || {
        live.with(|sim| match sim.shell().current_line() {
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
        })
    };
    let output =
        move || live.with(|sim| sim.terminal().iter().take(3).cloned().collect::<Vec<_>>());
    let group_line = move || {
        live.with(|sim| match session_group(sim) {
            None => "no group yet: $UUID is not set".to_string(),
            Some(path) => match sim.group(&path) {
                Some(g) => {
                    let controllers: Vec<&str> = g.controllers.iter().map(|c| c.name()).collect();
                    format!("group {} in {}", short_uuid(&path), controllers.join(", "))
                }
                None => format!("group {} does not exist", short_uuid(&path)),
            },
        })
    };
    let cpu = move |f: fn(&CgroupSim, &Group) -> String| {
        live.with(|sim| {
            session_group(sim)
                .and_then(|p| sim.group(&p).map(|g| f(sim, g)))
                .unwrap_or_default()
        })
    };
    let throttled_now = move || {
        live.with(|sim| {
            session_group(sim)
                .and_then(|p| sim.group(&p).map(|g| g.cpu.throttled))
                .unwrap_or(false)
        })
    };
    let period_capacity = |sim: &CgroupSim, g: &Group| {
        sim.machine()
            .cpus
            .saturating_mul(g.cpu.period_us)
            .saturating_mul(1000)
    };
    let used_fill = move || {
        live.with(|sim| {
            session_group(sim)
                .and_then(|p| {
                    sim.group(&p)
                        .map(|g| fraction(g.cpu.period_used_ns, period_capacity(sim, g)))
                })
                .unwrap_or(0.0)
        })
    };
    let quota_at = move || {
        live.with(|sim| {
            session_group(sim)
                .and_then(|p| sim.group(&p))
                .and_then(|g| {
                    g.cpu
                        .quota_us
                        .map(|q| fraction(q.saturating_mul(1000), period_capacity(sim, g)))
                })
        })
    };
    let mem_fill = move || {
        live.with(|sim| {
            session_group(sim)
                .and_then(|p| {
                    sim.memory_limit(&p)
                        .map(|l| fraction(sim.memory_usage(&p), l))
                })
                .unwrap_or(0.0)
        })
    };
    let namespaces = move || {
        live.with(|sim| {
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
        })
    };
    view! {
        <svg class="fig-cgroups fig-cg-session" viewBox="0 0 430 470" preserveAspectRatio="xMidYMid meet" width="100%" height="100%" role="img"
            aria-label="The shell session on a simulated host: CPU per period, memory, namespaces">
            <rect class="cg-term" x="0" y="0" width="430" height="96" rx="6"></rect>
            <text class="cg-mono cg-prompt" x="10" y="20">{prompt}</text>
            {move || output().into_iter().enumerate().map(|(i, line)| view! {
                <text class="cg-mono" x="10" y=42.0 + i as f64 * 16.0>{line}</text>
            }).collect_view()}

            <text class="cg-title" x="0" y="122">{group_line}</text>

            <text class="cg-label" x="0" y="148">{move || cpu(|_, g| format!(
                "CPU per period ({} period, cpu.shares {})", seconds(g.cpu.period_us.saturating_mul(1000)), g.cpu.shares
            ))}</text>
            {bar((0.0, 156.0, 18.0), || 430.0, "cg-cpu", used_fill)}
            <g class="cg-quota-mark"
                style=move || match quota_at() {
                    Some(at) => format!("transform: translateX({:.1}px)", at * 430.0),
                    None => "opacity: 0".to_string(),
                }>
                <line class="cg-quota" y1="152" y2="178" x1="0" x2="0"></line>
                <text class="cg-quota-label" x="4" y="171">"quota"</text>
            </g>
            <text class="cg-small" x="0" y="194">{move || cpu(|sim, g| {
                let capacity = sim.machine().cpus.saturating_mul(g.cpu.period_us).saturating_mul(1000);
                match g.cpu.quota_us {
                    Some(q) => format!(
                        "this period: used {} of its {} quota (bar: {} CPUs x 1 period)",
                        seconds(g.cpu.period_used_ns),
                        seconds(q.saturating_mul(1000)),
                        capacity / g.cpu.period_us.saturating_mul(1000).max(1)
                    ),
                    None => "no quota (cpu.cfs_quota_us = -1): no line".to_string(),
                }
            })}</text>
            <text class=move || if throttled_now() { "cg-small cg-warn" } else { "cg-small" } x="0" y="210">{move || cpu(|_, g| format!(
                "nr_periods {} · nr_throttled {} · throttled_time {}{}",
                g.cpu.nr_periods, g.cpu.nr_throttled, seconds(g.cpu.throttled_time_ns),
                if g.cpu.throttled { " · throttled now" } else { "" }
            ))}</text>

            <text class="cg-label" x="0" y="240">"memory"</text>
            {bar((0.0, 248.0, 18.0), || 430.0, "cg-mem", mem_fill)}
            <text class="cg-small" x="0" y="284">{move || cpu(|sim, g| match g.memory.limit_pages {
                Some(pages) => format!(
                    "limit {} bytes = {pages} pages of {PAGE_SIZE}; usage {}",
                    pages.saturating_mul(PAGE_SIZE),
                    bytes(sim.memory_usage(&g.path))
                ),
                None => format!("no limit; usage {}", bytes(sim.memory_usage(&g.path))),
            })}</text>
            <text class="cg-small" x="0" y="300">{move || cpu(|_, g| format!("memory.failcnt {}", g.memory.failcnt))}</text>

            <text class="cg-label" x="0" y="330">"namespaces of the container's shell"</text>
            {move || namespaces().into_iter().enumerate().map(|(i, line)| view! {
                <text class="cg-ns" x="0" y=350.0 + i as f64 * 18.0>{line}</text>
            }).collect_view()}
            <text class="cg-small" x="0" y="440">"unshare --uts --ipc --net: own hostname, IPC and network (only lo, down)"</text>
        </svg>
    }
    .into_any()
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
    let header = move || {
        live.with(|sim| {
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
        })
    };
    let rows = move || live.with(listed_files);
    let names = move || {
        rows()
            .into_iter()
            .map(|(line, _)| {
                line.split_whitespace()
                    .last()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect::<Vec<_>>()
    };
    let row = move |name: String| {
        let n = name.clone();
        let place = move || names().iter().position(|x| *x == n).unwrap_or(0);
        let (m, v) = (name.clone(), name.clone());
        let line = move || {
            rows()
                .into_iter()
                .find(|(l, _)| l.ends_with(&format!(" {m}")))
                .map(|(l, _)| l)
                .unwrap_or_default()
        };
        let value = move || {
            rows()
                .into_iter()
                .find(|(l, _)| l.ends_with(&format!(" {v}")))
                .map(|(_, v)| v)
                .unwrap_or_default()
        };
        let object = name.clone();
        let class = move || {
            if last_object(live).is_some_and(|o| o.ends_with(&format!("/{object}"))) {
                "cg-row changed"
            } else {
                "cg-row"
            }
        };
        view! {
            <g class=class style=move || format!("transform: translateY({}px)", 46 + place() * 29)>
                <text class="cg-mono cg-ls" x="0" y="10">{line}</text>
                <text class="cg-file-value" x="14" y="23">{move || format!("= {}", value())}</text>
            </g>
        }
    };
    view! {
        <svg class="fig-cgroups fig-cg-listing" viewBox="0 0 430 470" preserveAspectRatio="xMidYMid meet" width="100%" height="100%" role="img"
            aria-label="The group's directory as ls -l lists it, with each file's value">
            <text class="cg-title cg-mono" x="0" y="14">{move || header().0}</text>
            <text class="cg-mono cg-ls" x="0" y="34">{move || header().1}</text>
            <For each=names key=|name| name.clone() children=row/>
        </svg>
    }
    .into_any()
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

/// One hierarchy's rows: each group indented under its parent, with its
/// tasks and the bar of its controller.
fn hierarchy_rows(
    live: Live<CgroupSim>,
    controller: Controller,
    x: f64,
    width: f64,
) -> impl IntoView {
    let paths = move || live.with(|sim| hierarchy_groups(sim, controller));
    let row = move |path: String| {
        let p = path.clone();
        let place = move || paths().iter().position(|x| *x == p).unwrap_or(0);
        let indent = depth(&path) as f64 * 14.0;
        let name = if path == "/" {
            "/ (root)".to_string()
        } else {
            path.rsplit('/').next().unwrap_or_default().to_string()
        };
        let (fill_path, text_path, task_path, class_path) =
            (path.clone(), path.clone(), path.clone(), path.clone());
        let fill = move || {
            live.with(|sim| match controller {
                Controller::Cpu => fraction(
                    sim.cpu_now().get(&fill_path).copied().unwrap_or(0),
                    capacity(sim),
                ),
                Controller::Memory => {
                    let bound = sim
                        .memory_limit(&fill_path)
                        .or_else(|| bounding_limit(sim, &fill_path).map(|(_, l)| l));
                    bound.map_or(0.0, |l| fraction(sim.memory_usage(&fill_path), l))
                }
            })
        };
        let tasks = move || {
            live.with(|sim| {
                let pids: Vec<String> = sim
                    .processes()
                    .values()
                    .filter(|t| match controller {
                        Controller::Cpu => t.cpu_group == task_path,
                        Controller::Memory => t.memory_group == task_path,
                    })
                    .map(|t| t.pid.to_string())
                    .collect();
                match pids.len() {
                    0 => String::new(),
                    1..=3 => format!("tasks {}", pids.join(" ")),
                    n => format!("{n} tasks"),
                }
            })
        };
        let text = move || {
            live.with(|sim| {
                let Some(g) = sim.group(&text_path) else {
                    return String::new();
                };
                match controller {
                    Controller::Cpu => {
                        let now = cpu_text(sim.cpu_now().get(&g.path).copied().unwrap_or(0));
                        let quota = g.cpu.quota_us.map(|q| {
                            format!(
                                " · quota {}",
                                cpu_text(
                                    q.saturating_mul(MICRO_CPUS_PER_CPU) / g.cpu.period_us.max(1)
                                )
                            )
                        });
                        let state = if g.cpu.throttled {
                            " · throttled".to_string()
                        } else if let Some(a) = holder(sim, &g.path).filter(|_| g.cpu.held) {
                            format!(" · held: {a} throttled")
                        } else {
                            String::new()
                        };
                        let throttled = match g.cpu.nr_throttled {
                            0 => String::new(),
                            n => format!(" · nr_throttled {n}"),
                        };
                        format!(
                            "{now}{} · shares {}{throttled}{state}",
                            quota.unwrap_or_default(),
                            g.cpu.shares
                        )
                    }
                    Controller::Memory => {
                        let used = bytes(sim.memory_usage(&g.path));
                        let limit = match (sim.memory_limit(&g.path), bounding_limit(sim, &g.path))
                        {
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
            })
        };
        let kind = match controller {
            Controller::Cpu => "cg-cpu",
            Controller::Memory => "cg-mem",
        };
        let bar_x = 150.0;
        let bar_width = (width - bar_x - 8.0).max(40.0);
        let held = {
            let path = path.clone();
            move || {
                live.with(|sim| {
                    sim.group(&path)
                        .is_some_and(|g| g.cpu.held || g.cpu.throttled)
                })
            }
        };
        view! {
            <g class=move || {
                    let base = group_class(live, "cg-level-row", &class_path);
                    if controller == Controller::Cpu && held() { format!("{base} held") } else { base }
                }
                style=move || format!("transform: translate({x}px, {}px)", 44 + place() * 29)>
                <text class="cg-group-name" x=indent y="11">{name}</text>
                <text class="cg-task" x=indent y="24">{tasks}</text>
                {bar((bar_x, 2.0, 10.0), move || bar_width, kind, fill)}
                <text class="cg-small" x=bar_x y="25">{text}</text>
            </g>
        }
    };
    view! { <For each=paths key=|path| path.clone() children=row/> }
}

/// Slide 10: the two hierarchies (cpu with cpuacct, and memory), the groups
/// in each, their tasks and bars; a parent's quota or limit bounds its
/// children, and a held child says which ancestor holds it.
pub fn level(live: Live<CgroupSim>) -> AnyView {
    view! {
        <svg class="fig-cgroups fig-cg-level" viewBox="0 0 880 250" preserveAspectRatio="xMidYMid meet" width="100%" height="100%" role="img"
            aria-label="Hierarchies, their subsystems, groups and tasks">
            <text class="cg-title" x="0" y="14">"hierarchy 1: subsystems cpu, cpuacct"</text>
            <text class="cg-small" x="0" y="30">"/sys/fs/cgroup/cpu,cpuacct · bar: CPU now of all CPUs · red: throttled or held"</text>
            <text class="cg-title" x="500" y="14">"hierarchy 2: subsystem memory"</text>
            <text class="cg-small" x="500" y="30">"/sys/fs/cgroup/memory · bar: usage of the limit in force"</text>
            <line class="cg-rule" x1="490" x2="490" y1="0" y2="250"></line>
            {hierarchy_rows(live, Controller::Cpu, 0.0, 480.0)}
            {hierarchy_rows(live, Controller::Memory, 500.0, 380.0)}
        </svg>
    }
    .into_any()
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
