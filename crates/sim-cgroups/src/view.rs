//! The state as the runner's JSON shows it: every group with its settings,
//! bandwidth state and file contents, the processes, hostnames, variables
//! and the terminal.
//!
//! Contract: a stable shape and key order (the documented JSON trace); built
//! only from the system, the shell and the script, never stored.

use crate::files;
use crate::machine::Machine;
use crate::process::{Namespace, Process};
use crate::script::ScriptLine;
use crate::shell::Shell;
use crate::system::System;
use serde::Serialize;
use sim_core::SortedMap;

#[derive(Serialize)]
struct BandwidthView {
    throttled: bool,
    held_by_ancestor: bool,
    period_used_ns: u64,
    runtime_left_ns: Option<u64>,
}

#[derive(Serialize)]
struct GroupView<'a> {
    path: &'a str,
    controllers: Vec<&'static str>,
    bandwidth: BandwidthView,
    files: SortedMap<String, String>,
    v2_mapping: Option<SortedMap<String, String>>,
}

#[derive(Serialize)]
struct StateView<'a> {
    time_ns: u64,
    line: Option<&'a str>,
    machine: &'a Machine,
    cgroups: Vec<GroupView<'a>>,
    processes: Vec<&'a Process>,
    hostnames: SortedMap<String, &'a str>,
    variables: &'a SortedMap<String, String>,
    shell: Option<u32>,
    terminal: &'a [String],
}

fn namespace_label(ns: Namespace) -> String {
    match ns {
        Namespace::Host => "host".to_string(),
        Namespace::New(n) => format!("new-{n}"),
    }
}

/// The state at `time_ns` as JSON.
pub fn state(
    system: &System,
    shell: &Shell,
    script: &[ScriptLine],
    time_ns: u64,
) -> serde_json::Value {
    let v2 = system.machine.is_v2();
    let view = StateView {
        time_ns,
        line: shell
            .current_line()
            .and_then(|i| script.get(i))
            .map(|l| l.text.as_str()),
        machine: &system.machine,
        cgroups: system
            .tree
            .groups()
            .map(|g| GroupView {
                path: &g.path,
                controllers: g.controllers.iter().map(|c| c.name()).collect(),
                bandwidth: BandwidthView {
                    throttled: g.cpu.throttled,
                    held_by_ancestor: g.cpu.held,
                    period_used_ns: g.cpu.period_used_ns,
                    runtime_left_ns: g.cpu.quota_us.map(|_| g.cpu.runtime_left_ns),
                },
                files: files::snapshot(system, g),
                v2_mapping: (!v2).then(|| files::v2_mapping(system, g)),
            })
            .collect(),
        processes: system.processes.values().collect(),
        hostnames: system
            .hostnames
            .iter()
            .map(|(ns, name)| (namespace_label(*ns), name.as_str()))
            .collect(),
        variables: shell.variables(),
        shell: shell.innermost(),
        terminal: shell.terminal(),
    };
    serde_json::to_value(view).unwrap_or(serde_json::Value::Null)
}
