//! What the live figures read: the script position click points count, the
//! knobs what-if parameters turn, and the typed accessors the drawings use.

mod common;

use common::*;
use sim_cgroups::cpu::MICRO_CPUS_PER_CPU;
use sim_cgroups::process::Namespace;
use sim_cgroups::{load, CgroupSim, Config};
use sim_core::{Header, Player, Simulation, Timeline, Tunable};

fn shipped_config(name: &str) -> (Header, Config) {
    let src = std::fs::read_to_string(scenarios_dir().join(name)).unwrap();
    load(name, &src).unwrap_or_else(|e| panic!("{e}"))
}

/// A player of `config` and the step each of `header`'s clicks shows.
fn clicked(header: &Header, config: Config) -> (Player<CgroupSim>, Vec<usize>) {
    let mut player = Player::new(CgroupSim::new(config), header.seed);
    let timeline = Timeline::record(&mut player, STEP_LIMIT);
    assert!(player.at_end(), "{} must end", header.title);
    (player, timeline.click_steps(&header.clicks))
}

/// The indices of the script lines that started during steps `from..to`.
fn lines_started(player: &mut Player<CgroupSim>, from: usize, to: usize) -> Vec<usize> {
    player.seek(from);
    let mut seen = player.sim().script_position();
    let mut lines = Vec::new();
    while player.position() < to && player.forward().is_some() {
        let now = player.sim().script_position();
        lines.extend(seen..now);
        seen = now;
    }
    lines
}

/// Slide 8's code block: its highlight groups, each the code lines it
/// lights (1-based, as written in `{1-3|5-6|...}`), and the lines.
fn slide_8_code() -> (Vec<Vec<usize>>, Vec<String>) {
    let deck = include_str!("../../../slides/slides.md");
    let lines: Vec<&str> = deck.lines().collect();
    let cgcreate = lines
        .iter()
        .position(|l| l.starts_with("cgcreate -g cpu,memory:$UUID"))
        .expect("slide 8's cgcreate line");
    let fence = (0..cgcreate)
        .rev()
        .find(|&i| lines[i].starts_with("```shell {"))
        .expect("slide 8's fence");
    let ranges = lines[fence]
        .trim_start_matches("```shell {")
        .trim_end_matches('}');
    let groups = ranges
        .split('|')
        .map(|group| {
            group
                .split(',')
                .flat_map(|part| {
                    let (a, b) = part.split_once('-').unwrap_or((part, part));
                    a.parse::<usize>().unwrap()..=b.parse::<usize>().unwrap()
                })
                .collect()
        })
        .collect();
    let code = lines[fence + 1..]
        .iter()
        .take_while(|l| !l.starts_with("```"))
        .map(|l| l.to_string())
        .collect();
    (groups, code)
}

/// The commands typed on code lines `lit` (prompts, continuation lines and
/// output dropped; `//` comments are install notes, not commands).
fn typed_commands(code: &[String], lit: &[usize]) -> Vec<String> {
    let mut commands: Vec<String> = Vec::new();
    let mut continuing = false;
    for &n in lit {
        let line = code[n - 1].trim_end();
        let (typed, continued) = if let Some(rest) = line.strip_prefix(">") {
            (rest.trim(), continuing)
        } else if let Some(rest) = line.strip_prefix("$ ") {
            (rest.trim(), false)
        } else if let Some(rest) = line.strip_prefix("sh-4.2# ") {
            (rest.trim(), false)
        } else if line.is_empty() || line.starts_with("//") {
            continuing = false;
            continue;
        } else if line.contains('=') || line.starts_with("cg") {
            (line.trim(), false)
        } else {
            // The output of the command before.
            continuing = false;
            continue;
        };
        let text = typed.trim_end_matches('\\').trim().to_string();
        match commands.last_mut() {
            Some(last) if continued => {
                last.push(' ');
                last.push_str(&text);
            }
            _ => commands.push(text),
        }
        continuing = typed.ends_with('\\');
    }
    commands
}

#[test]
fn slide_8_clicks_run_exactly_the_lines_the_code_highlights() {
    let (header, config) = shipped_config("cgroups-deck-session.toml");
    let script: Vec<String> = config.script.iter().map(|l| l.text.clone()).collect();
    let (mut player, steps) = clicked(&header, config);
    let (groups, code) = slide_8_code();
    assert_eq!(
        steps.len(),
        groups.len(),
        "one click step per highlight group"
    );
    for (k, lit) in groups.iter().enumerate() {
        let from = if k == 0 { 0 } else { steps[k - 1] };
        let ran: Vec<&str> = lines_started(&mut player, from, steps[k])
            .into_iter()
            .map(|i| script[i].as_str())
            .collect();
        let typed = typed_commands(&code, lit);
        // Each command the slide shows at click k runs then, in order; what
        // else runs then is what the scenario types inside the same shell.
        let mut rest = ran.iter();
        for command in &typed {
            assert!(
                rest.any(|line| line == command),
                "click {k}: `{command}` does not run; ran {ran:?}"
            );
        }
        if typed.is_empty() {
            assert!(
                ran.is_empty(),
                "click {k} lights no command but ran {ran:?}"
            );
        } else {
            assert_eq!(
                ran.first().copied(),
                typed.first().map(String::as_str),
                "click {k}"
            );
            let last_typed = typed.last().map(String::as_str);
            let closes = ran.last().copied() == last_typed
                || last_typed.is_some_and(|t| t.ends_with(" sh")) && ran.last() == Some(&"exit");
            assert!(closes, "click {k} runs on past its lines: {ran:?}");
        }
    }
}

#[test]
fn the_script_position_counts_the_lines_started() {
    let (header, config) = shipped_config("cgroups-shares.toml");
    let lines = config.script.len();
    let mut player = Player::new(CgroupSim::new(config), header.seed);
    assert_eq!(player.sim().script_position(), 0);
    let mut last = 0;
    while player.forward().is_some() {
        let now = player.sim().script_position();
        assert!(now >= last && now <= last + 1, "one line at a time");
        assert_eq!(
            player.sim().current_line().map(|l| &l.text),
            player.sim().script().get(now - 1).map(|l| &l.text)
        );
        last = now;
    }
    assert_eq!(last, lines);
}

#[test]
fn busy_siblings_split_the_cpu_by_shares_and_an_idle_ones_part_goes_to_the_other() {
    let (header, config) = shipped_config("cgroups-shares.toml");
    let low_shares = config.knob("/low cpu.shares").unwrap() as u64;
    let high_shares = config.knob("/high cpu.shares").unwrap() as u64;
    let (mut player, steps) = clicked(&header, config);
    player.seek(steps[1]);
    let now = player.sim().cpu_now();
    let cpu = MICRO_CPUS_PER_CPU;
    assert_eq!(now["/low"] + now["/high"], cpu, "one CPU, all of it used");
    assert!(now["/low"].abs_diff(cpu * low_shares / (low_shares + high_shares)) <= 1);
    assert_eq!(now["/"], cpu, "the root holds both");
    player.seek(steps[3]);
    let now = player.sim().cpu_now();
    assert_eq!(now["/high"], 0, "/high is idle");
    assert_eq!(now["/low"], cpu, "its part went to /low");
}

#[test]
fn knob_cpus_reads_sets_and_refuses() {
    let (header, mut config) = shipped_config("cgroups-shares.toml");
    assert_eq!(config.knob("cpus"), Ok(1));
    config.set_knob("cpus", 2).unwrap();
    assert_eq!(config.knob("cpus"), Ok(2));
    let (mut player, steps) = clicked(&header, config.clone());
    player.seek(steps[1]);
    let now = player.sim().cpu_now();
    assert_eq!(
        (now["/low"], now["/high"]),
        (MICRO_CPUS_PER_CPU, MICRO_CPUS_PER_CPU),
        "two CPUs: each single thread gets a whole one, whatever its shares"
    );
    let before = config.clone();
    let e = config.set_knob("cpus", 0).unwrap_err();
    assert_eq!(e, "a machine has 1 to 1024 CPUs, not 0");
    assert_eq!(config, before);
    let e = config.knob("memory").unwrap_err();
    assert!(e.contains("no knob `memory`"), "{e}");
}

#[test]
fn knob_group_setting_reads_sets_and_refuses() {
    let (header, mut config) = shipped_config("cgroups-shares.toml");
    assert_eq!(config.knob("/low cpu.shares"), Ok(512));
    assert_eq!(config.knob("/low memory.limit_in_bytes"), Ok(256 << 20));
    config.set_knob("/low cpu.shares", 1024).unwrap();
    config
        .set_knob("/low memory.limit_in_bytes", 100_000_000)
        .unwrap();
    assert_eq!(
        config.knob("/low memory.limit_in_bytes"),
        Ok(24_414 * 4096),
        "kept in whole pages"
    );
    let (mut player, steps) = clicked(&header, config.clone());
    player.seek(steps[1]);
    let now = player.sim().cpu_now();
    assert_eq!(now["/low"], now["/high"], "equal shares, equal parts");
    assert_eq!(player.sim().memory_limit("/low"), Some(24_414 * 4096));
    let before = config.clone();
    let e = config.set_knob("/low cpu.shares", 1).unwrap_err();
    assert!(
        e.contains("cpu.shares takes 2 to 262144; 1 is outside"),
        "{e}"
    );
    let e = config.set_knob("/nowhere cpu.shares", 100).unwrap_err();
    assert_eq!(e, "the scenario starts with no group /nowhere");
    let e = config.set_knob("/low cpu.stat", 100).unwrap_err();
    assert!(e.contains("no knob `/low cpu.stat`"), "{e}");
    assert_eq!(config, before);
}

#[test]
fn knob_cgset_reads_sets_and_refuses() {
    let (header, mut config) = shipped_config("cgroups-deck-session.toml");
    assert_eq!(config.knob("cgset cpu.cfs_quota_us"), Ok(2_000_000));
    assert_eq!(config.knob("cgset memory.limit_in_bytes"), Ok(100_000_000));
    config
        .set_knob("cgset cpu.cfs_quota_us", 4_000_000)
        .unwrap();
    assert_eq!(config.knob("cgset cpu.cfs_quota_us"), Ok(4_000_000));
    assert!(
        config
            .script
            .iter()
            .any(|l| l.text == "cgset -r cpu.cfs_quota_us=4000000 $UUID"),
        "the line says what it writes"
    );
    let (mut player, steps) = clicked(&header, config.clone());
    player.seek(steps[2]);
    let uuid = player.sim().shell().variables()["UUID"].clone();
    let quota = player
        .sim()
        .read_file(&format!("/sys/fs/cgroup/cpu/{uuid}/cpu.cfs_quota_us"));
    assert_eq!(quota.as_deref(), Some("4000000"), "the group got it");
    let before = config.clone();
    let e = config.set_knob("cgset cpu.cfs_quota_us", 10).unwrap_err();
    assert!(e.contains("cpu.cfs_quota_us takes 1000 to"), "{e}");
    let e = config.set_knob("cgset cpu.rt_runtime_us", 10).unwrap_err();
    assert!(e.contains("not a file a knob turns"), "{e}");
    let e = config.knob("cgset memory.oom_control").unwrap_err();
    assert_eq!(e, "the script never sets memory.oom_control with cgset");
    assert_eq!(config, before);
}

#[test]
fn the_listing_is_what_ls_prints_and_the_shell_process_has_the_containers_namespaces() {
    let (header, config) = shipped_config("cgroups-ls-listing.toml");
    let (mut player, steps) = clicked(&header, config);
    player.seek(steps[2]);
    let uuid = player.sim().shell().variables()["UUID"].clone();
    let listed = player.sim().listing(&format!("/sys/fs/cgroup/cpu/{uuid}"));
    assert_eq!(
        listed,
        player.sim().terminal(),
        "the accessor prints as ls -l did"
    );
    assert_eq!(listed.len(), 15, "a header and 14 files");

    let (header, config) = shipped_config("cgroups-deck-session.toml");
    let (mut player, steps) = clicked(&header, config);
    player.seek(steps[2]);
    assert!(
        player.sim().shell_process().is_none(),
        "no shell before cgexec"
    );
    let uuid = player.sim().shell().variables()["UUID"].clone();
    assert_eq!(player.sim().memory_limit(&uuid), Some(24_414 * 4096));
    // Inside the container's shell, at `ip link`.
    while player.sim().current_line().map(|l| l.text.as_str()) != Some("ip link") {
        assert!(player.forward().is_some(), "the session runs ip link");
    }
    let shell = player.sim().shell_process().expect("the container's shell");
    assert_eq!(shell.cpu_group, format!("/{uuid}"));
    assert!(matches!(shell.namespaces.uts, Namespace::New(_)));
    assert!(matches!(shell.namespaces.net, Namespace::New(_)));
    assert_eq!(shell.namespaces.pid, Namespace::Host);
    player.seek(steps[3]);
    assert!(player.sim().shell_process().is_none(), "exit closed it");
}
