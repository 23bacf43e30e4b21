//! The cgroups scenario file format, and loading it into a [`Config`].
//!
//! ```toml
//! [scenario]                 # shared header: title, simulator = "cgroups", slides, seed, description
//!
//! [machine]                  # all optional
//! cpus = 8                   # 1..=1024, default 1
//! cgroup = "v1"              # "v1" (the deck) or "v2"
//! runc = "1.3.2"             # picks the shares -> cpu.weight formula
//! kubernetes = "1.30"        # the kubelet's release (memory.oom.group since 1.28)
//! locale = "zh-cn"           # "c" or "zh-cn": how `ls -l` prints
//! clock = "02-27 14:32"      # wall clock at the start, for `ls -l` dates
//! report_every_ms = 1000     # CPU usage report interval while threads run; 0 = none
//! hostname = "host"
//!
//! [[cgroup]]                 # groups that exist before the script starts, parents first
//! path = "/parent"
//! controllers = ["cpu", "memory"]
//! set = ["cpu.cfs_period_us=100000", "cpu.cfs_quota_us=100000"]
//!
//! [script]
//! lines = ["cgcreate -g cpu,memory:demo", "sleep 1"]   # the deck's shell commands
//! ```
//!
//! Script lines are the deck's shell commands (`$NAME` expands variables; a
//! trailing `&` runs a program in the background, otherwise the script waits
//! for it while virtual time passes):
//!
//! | line | effect |
//! |---|---|
//! | `UUID=$(uuidgen)`, `NAME=value` | set a variable (uuidgen draws from the seed) |
//! | `cgcreate -g cpu,memory:PATH` | create a group (and missing parents) |
//! | `cgset -r FILE=VALUE ... PATH` | write files: v1 `cpu.shares`, `cpu.cfs_period_us`, `cpu.cfs_quota_us`, `memory.limit_in_bytes`, `memory.oom_control`; v2 `cpu.weight`, `cpu.max`, `memory.max`, `memory.high`, `memory.oom.group` |
//! | `cgexec -g CTL:PATH [unshare --uts --ipc --net] PROGRAM` | start a program in groups |
//! | `unshare --uts --ipc --net sh`, `sh` | open a shell; later lines run in it until `exit` |
//! | `stress --cpu N --vm N --vm-bytes 100M --vm-hang 0 --timeout 3s` | spinning and memory-holding workers |
//! | `dd if=/dev/zero of=FILE bs=1M count=N` | write N blocks into the page cache |
//! | `sleep 1.5` | let time pass |
//! | `cgdelete [-r] -g CTL:PATH`, `rmdir /sys/fs/cgroup/...` | remove groups |
//! | `ls -l DIR`, `cat FILE` under `/sys/fs/cgroup` | list and read the cgroup filesystem |
//! | `echo ...`, `hostname [NAME]`, `ip link` | shell output, UTS and network namespaces |
//! | `kubelet create-container PATH --requests cpu=250m,memory=64Mi --limits cpu=500m,memory=128Mi` | the values the kubelet writes |
//!
//! Contract: [`load`] either returns a valid [`Config`] or a
//! [`ScenarioError`] with the line and column of the offending value and a
//! message naming the field and what is allowed. Kernel refusals *during* the
//! script (EINVAL, EBUSY...) are not load errors: they are simulated events.

use crate::command::parse_line;
use crate::config::{Config, GroupConfig};
use crate::controller::Controller;
use crate::fact::CgroupFact;
use crate::files::{file_mode, FileMode};
use crate::hierarchy::{normalize, parent_of, Hierarchy};
use crate::machine::{CgroupVersion, Locale, Machine, WallClock};
use crate::program::{Launch, Program};
use crate::script::{Command, ScriptLine};
use crate::settings::{self, WRITABLE_V1, WRITABLE_V2};
use crate::system::System;
use crate::weight::RuncVersion;
use crate::SIMULATOR;
use serde::Deserialize;
use sim_core::scenario::{parse, read_header_for, Spanned};
use sim_core::{Fact, Header, ScenarioError, Source};
use std::collections::BTreeSet;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    scenario: Header,
    #[serde(default)]
    machine: MachineTable,
    #[serde(default)]
    cgroup: Vec<CgroupTable>,
    script: ScriptTable,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct MachineTable {
    cpus: Option<Spanned<u64>>,
    cgroup: Option<CgroupVersion>,
    runc: Option<Spanned<String>>,
    kubernetes: Option<Spanned<String>>,
    locale: Option<Locale>,
    clock: Option<Spanned<String>>,
    report_every_ms: Option<u64>,
    hostname: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CgroupTable {
    path: Spanned<String>,
    #[serde(default = "both_controllers")]
    controllers: Vec<ControllerName>,
    #[serde(default)]
    set: Vec<Spanned<String>>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum ControllerName {
    Cpu,
    Memory,
}

fn both_controllers() -> Vec<ControllerName> {
    vec![ControllerName::Cpu, ControllerName::Memory]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScriptTable {
    lines: Vec<Spanned<String>>,
}

/// Byte offset in `src` of byte `offset` inside the string value at `span`.
fn inner_offset(
    src: &str,
    span: &std::ops::Range<usize>,
    value: &str,
    offset: usize,
) -> std::ops::Range<usize> {
    let raw = src.get(span.clone()).unwrap_or("");
    let plain = raw.len() == value.len() + 2 && raw.get(1..raw.len() - 1) == Some(value);
    let at = if plain {
        span.start + 1 + offset
    } else {
        span.start
    };
    at..at
}

fn machine(source: Source<'_>, table: MachineTable) -> Result<Machine, ScenarioError> {
    let at = |span: std::ops::Range<usize>, m: String| source.error(span, m);
    let cpus = match table.cpus {
        Some(c) if !(1..=1024).contains(c.get_ref()) => {
            return Err(at(
                c.span(),
                format!("machine.cpus = {}: expected 1..=1024", c.get_ref()),
            ))
        }
        Some(c) => c.into_inner(),
        None => 1,
    };
    let runc = match table.runc {
        Some(r) => RuncVersion::parse(r.get_ref()).ok_or_else(|| {
            at(r.span(), format!("machine.runc = `{}`: expected a version like \"1.3.2\" (>= 1.3.2 uses the quadratic shares->weight formula, older the linear one)", r.get_ref()))
        })?,
        None => RuncVersion::QUADRATIC_SINCE,
    };
    let kubernetes_minor = match table.kubernetes {
        Some(k) => k
            .get_ref()
            .strip_prefix("1.")
            .and_then(|m| m.parse::<u32>().ok())
            .ok_or_else(|| {
                at(
                    k.span(),
                    format!(
                        "machine.kubernetes = `{}`: expected a release like \"1.30\"",
                        k.get_ref()
                    ),
                )
            })?,
        None => 30,
    };
    let clock = match table.clock {
        Some(c) => parse_clock(c.get_ref()).ok_or_else(|| {
            at(
                c.span(),
                format!(
                    "machine.clock = `{}`: expected \"MM-DD HH:MM\", e.g. \"02-27 14:32\"",
                    c.get_ref()
                ),
            )
        })?,
        None => WallClock {
            month: 1,
            day: 1,
            hour: 0,
            minute: 0,
        },
    };
    Ok(Machine {
        cpus,
        cgroup: table.cgroup.unwrap_or(CgroupVersion::V1),
        runc,
        kubernetes_minor,
        locale: table.locale.unwrap_or(Locale::C),
        clock,
        report_every_ns: table.report_every_ms.unwrap_or(0).saturating_mul(1_000_000),
        hostname: table.hostname.unwrap_or_else(|| "host".to_string()),
    })
}

fn parse_clock(text: &str) -> Option<WallClock> {
    let (date, time) = text.split_once(' ')?;
    let (month, day) = date.split_once('-')?;
    let (hour, minute) = time.split_once(':')?;
    let clock = WallClock {
        month: month.parse().ok()?,
        day: day.parse().ok()?,
        hour: hour.parse().ok()?,
        minute: minute.parse().ok()?,
    };
    let valid = (1..=12).contains(&clock.month)
        && (1..=31).contains(&clock.day)
        && clock.hour < 24
        && clock.minute < 60;
    valid.then_some(clock)
}

fn writable_message(version: CgroupVersion, file: &str) -> String {
    let (other, other_name) = match version {
        CgroupVersion::V1 => (WRITABLE_V2, "v2"),
        CgroupVersion::V2 => (WRITABLE_V1, "v1"),
    };
    let writable = writable_files(version);
    let hint = if other.contains(&file) {
        format!(" ({file} is a cgroup {other_name} file; set machine.cgroup to change the version)")
    } else {
        String::new()
    };
    format!(
        "`{file}` is not a file the simulator writes{hint}; allowed: {}",
        writable.join(", ")
    )
}

/// Whether `file` may appear in `cgset` / `set`: simulated writable files, or
/// read-only files (whose writes the simulation refuses with EACCES).
fn settable(version: CgroupVersion, file: &str) -> bool {
    writable_files(version).contains(&file) || file_mode(version, file) == Some(FileMode::ReadOnly)
}

fn writable_files(version: CgroupVersion) -> &'static [&'static str] {
    match version {
        CgroupVersion::V1 => WRITABLE_V1,
        CgroupVersion::V2 => WRITABLE_V2,
    }
}

/// Parses and validates a cgroups scenario file.
pub fn load(file: &str, src: &str) -> Result<(Header, Config), ScenarioError> {
    let source = Source::new(file, src);
    read_header_for(file, src, SIMULATOR)?;
    let parsed: File = parse(file, src)?;
    let machine = machine(source, parsed.machine)?;
    let version = machine.cgroup;
    let mut setup = System::new(machine.clone(), Hierarchy::new());
    for group in &parsed.cgroup {
        let at = |m: String| source.error(group.path.span(), m);
        let path = normalize(group.path.get_ref()).map_err(|e| at(format!("cgroup.path: {e}")))?;
        if path == "/" || setup.tree.get(&path).is_some() {
            return Err(at(format!(
                "cgroup.path: `{path}` is declared twice (the root always exists)"
            )));
        }
        let parent = parent_of(&path).unwrap_or_else(|| "/".to_string());
        let controllers: Vec<Controller> = group
            .controllers
            .iter()
            .map(|c| match c {
                ControllerName::Cpu => Controller::Cpu,
                ControllerName::Memory => Controller::Memory,
            })
            .collect();
        if let Some(c) = controllers
            .iter()
            .find(|&&c| !setup.tree.exists_in(&parent, c))
        {
            return Err(at(format!(
                "parent cgroup `{parent}` does not exist in the {} hierarchy: declare it in an earlier [[cgroup]]",
                c.name()
            )));
        }
        setup.tree.create(&path, &controllers, 0);
        for write in &group.set {
            let at = |offset: usize, m: String| {
                source.error(inner_offset(src, &write.span(), write.get_ref(), offset), m)
            };
            let Some((name, value)) = write.get_ref().split_once('=') else {
                return Err(at(
                    0,
                    "cgroup.set: expected FILE=VALUE, e.g. \"cpu.shares=512\"".to_string(),
                ));
            };
            if !writable_files(version).contains(&name) {
                return Err(at(
                    0,
                    format!("cgroup.set: {}", writable_message(version, name)),
                ));
            }
            let written = settings::write(&mut setup, 0, &path, name, value, None);
            if let Some(refusal) = written
                .fact
                .filter(|f| !matches!(f, CgroupFact::Written { .. }))
            {
                return Err(at(
                    name.len() + 1,
                    format!(
                        "cgroup.set: the kernel refuses this write: {}",
                        refusal.detail()
                    ),
                ));
            }
        }
    }
    let mut script = Vec::new();
    let mut defined: BTreeSet<String> = BTreeSet::new();
    let mut shells = 0usize;
    for line in &parsed.script.lines {
        let at = |offset: usize, m: String| {
            source.error(inner_offset(src, &line.span(), line.get_ref(), offset), m)
        };
        let command = parse_line(line.get_ref())
            .map_err(|e| at(e.offset, format!("script.lines: {}", e.message)))?;
        for name in command.variables() {
            if !defined.contains(&name) {
                let offset = line
                    .get_ref()
                    .find(&format!("${name}"))
                    .or_else(|| line.get_ref().find(&format!("${{{name}}}")))
                    .unwrap_or(0);
                return Err(at(offset, format!("script.lines: `${name}` is used before it is set (e.g. `{name}=$(uuidgen)`)")));
            }
        }
        match &command {
            Command::Uuidgen { name } | Command::Assign { name, .. } => {
                defined.insert(name.clone());
            }
            Command::Cgset { writes, .. } => {
                for (name, _) in writes {
                    if !settable(version, name) {
                        let offset = line.get_ref().find(name.as_str()).unwrap_or(0);
                        return Err(at(
                            offset,
                            format!("script.lines: cgset: {}", writable_message(version, name)),
                        ));
                    }
                }
            }
            Command::Exit if shells == 0 => {
                return Err(at(
                    0,
                    "script.lines: `exit` without an open shell (start one with `cgexec ... sh`)"
                        .to_string(),
                ));
            }
            Command::Exit => shells -= 1,
            Command::Cgexec { launch, .. } | Command::Run { launch } if is_shell(launch) => {
                shells += 1
            }
            _ => {}
        }
        script.push(ScriptLine {
            text: line.get_ref().clone(),
            command,
        });
    }
    let groups = parsed
        .cgroup
        .iter()
        .filter_map(|group| normalize(group.path.get_ref()).ok())
        .filter_map(|path| setup.tree.get(&path).map(GroupConfig::of))
        .collect();
    let config = Config {
        machine,
        groups,
        script,
    };
    Ok((parsed.scenario, config))
}

fn is_shell(launch: &Launch) -> bool {
    launch.program == Program::Shell
}
