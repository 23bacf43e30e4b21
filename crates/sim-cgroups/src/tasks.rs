//! Processes: starting programs (cgexec, a fork from the shell), and their
//! exits (a finished dd, stress giving up, a removed process tree).
//!
//! Contract: a started process joins the named groups (or its parent's) and
//! its parent's namespaces; stress forks its workers at once, one per
//! `--cpu` and `--vm`, with consecutive pids; the follow-up ops (unshare,
//! memory charges, the foreground wait) come back in the order they run.

use crate::controller::Controller;
use crate::fact::{CgroupFact, Placed, Started};
use crate::hierarchy::normalize;
use crate::memory;
use crate::op::{refused, Op, Outcome, Placement, Until};
use crate::process::{Activity, ChargeKind, Namespaces, Process};
use crate::program::{Launch, Program, Unshare};
use crate::rules;
use crate::system::System;

/// Starts the program of `launch` (the line `text`), forked from `parent` (the
/// shell, if one is open) and placed in `placements` (cgexec) or in the
/// parent's groups. Returns the outcome and, when the program is a shell, its
/// pid.
pub fn start(
    system: &mut System,
    now_ns: u64,
    launch: &Launch,
    placements: Option<&[Placement]>,
    text: &str,
    parent: Option<u32>,
) -> (Outcome, Option<u32>) {
    let shell = parent.and_then(|pid| system.processes.get(&pid)).cloned();
    let (mut cpu_group, mut memory_group, namespaces) = match &shell {
        Some(s) => (s.cpu_group.clone(), s.memory_group.clone(), s.namespaces),
        None => ("/".to_string(), "/".to_string(), Namespaces::HOST),
    };
    if let Some(placements) = placements {
        for t in placements {
            let path = match normalize(&t.path) {
                Ok(p) => p,
                Err(e) => {
                    return (
                        refused(&t.path, "EINVAL", e, &rules::NO_SUCH_CGROUP).into(),
                        None,
                    )
                }
            };
            for &c in &t.controllers {
                if !system.tree.exists_in(&path, c) {
                    let refusal = refused(
                        format!("cgroup {}:{}", c.name(), path),
                        "ENOENT",
                        format!(
                            "cgexec: {}:{} does not exist (ENOENT); the command does not start",
                            c.name(),
                            path
                        ),
                        &rules::NO_SUCH_CGROUP,
                    );
                    return (refusal.into(), None);
                }
                match c {
                    Controller::Cpu => cpu_group = path.clone(),
                    Controller::Memory => memory_group = path.clone(),
                }
            }
        }
    }
    let parent_pid = system.allocate_pid();
    let base = Process {
        pid: parent_pid,
        command: text.trim_end_matches('&').trim().to_string(),
        parent: shell.as_ref().map(|s| s.pid),
        cpu_group: cpu_group.clone(),
        memory_group: memory_group.clone(),
        activity: Activity::Sleeping,
        anon_bytes: 0,
        waiting_charge: 0,
        waiting_for_cache: false,
        ends_ns: None,
        cpu_time_ns: 0,
        namespaces,
    };
    let placed = if placements.is_some() {
        Placed::ByCgexec
    } else {
        Placed::ByFork
    };
    let mut follow = Vec::new();
    let mut started_shell = None;
    if launch.unshare != Unshare::default() {
        follow.push(Op::Unshare {
            pid: parent_pid,
            unshare: launch.unshare,
        });
    }
    let program = match &launch.program {
        Program::Shell => {
            system.processes.insert(parent_pid, base);
            started_shell = Some(parent_pid);
            Started::Shell
        }
        Program::Dd { file, bytes: size } => {
            let mut p = base;
            p.command = format!("dd of={file}");
            system.processes.insert(parent_pid, p);
            follow.push(Op::Charge {
                pid: parent_pid,
                bytes: *size,
                kind: ChargeKind::Cache,
            });
            follow.push(Op::FinishDd { pid: parent_pid });
            Started::Dd {
                file: file.clone(),
                bytes: *size,
            }
        }
        Program::Stress {
            cpu,
            vm,
            vm_bytes,
            timeout_ns,
        } => {
            let mut parent = base.clone();
            parent.ends_ns = timeout_ns.map(|t| now_ns.saturating_add(t));
            system.processes.insert(parent_pid, parent);
            let first_worker = system.next_pid;
            for i in 0..(cpu + vm) {
                let pid = system.allocate_pid();
                let spinning = i < *cpu;
                let mut worker = base.clone();
                worker.pid = pid;
                worker.parent = Some(parent_pid);
                worker.command = if spinning {
                    "stress (cpu worker)".to_string()
                } else {
                    "stress (vm worker)".to_string()
                };
                worker.activity = if spinning {
                    Activity::Spinning
                } else {
                    Activity::Holding
                };
                system.processes.insert(pid, worker);
                if !spinning {
                    follow.push(Op::Charge {
                        pid,
                        bytes: *vm_bytes,
                        kind: ChargeKind::Anon,
                    });
                }
            }
            if !launch.background {
                follow.push(Op::Wait(Until::Exit(parent_pid)));
            }
            let last_worker = system.next_pid.saturating_sub(1);
            Started::Stress {
                cpu: *cpu,
                vm: *vm,
                first_worker,
                last_worker,
                timeout_ns: *timeout_ns,
                background: launch.background,
            }
        }
    };
    let fact = CgroupFact::Started {
        pid: parent_pid,
        placed,
        program,
        cpu_group,
        memory_group,
    };
    (Outcome::from(fact).then(follow), started_shell)
}

/// Removes `pid` (and, for stress, its workers); returns what left.
pub fn remove_process_tree(system: &mut System, pid: u32) -> Vec<Process> {
    let mut gone = Vec::new();
    let workers: Vec<u32> = system
        .processes
        .values()
        .filter(|p| p.parent == Some(pid) && p.command.starts_with("stress ("))
        .map(|p| p.pid)
        .collect();
    for w in workers {
        gone.extend(system.processes.remove(&w));
    }
    gone.extend(system.processes.remove(&pid));
    gone
}

/// dd finishes its write and exits, unless it hangs at a memory limit.
pub fn finish_dd(system: &mut System, pid: u32) -> Option<CgroupFact> {
    if system.processes.get(&pid)?.activity == Activity::HungAtLimit {
        return None;
    }
    let p = system.processes.remove(&pid)?;
    Some(CgroupFact::DdFinished {
        pid,
        command: p.command,
        memory_group: p.memory_group,
    })
}

/// stress sees a worker killed and stops the others and itself.
pub fn stress_gives_up(system: &mut System, pid: u32) -> Option<CgroupFact> {
    let gone = remove_process_tree(system, pid);
    if gone.is_empty() {
        return None;
    }
    Some(CgroupFact::StressGaveUp {
        pid,
        others: gone.len().saturating_sub(1),
    })
}

/// SIGKILL for `pid`: it exits at once (stress with its workers); a stress
/// whose worker it was notices and gives up next.
pub fn kill(system: &mut System, pid: u32) -> Outcome {
    let parent = system.processes.get(&pid).and_then(|p| {
        p.command
            .starts_with("stress (")
            .then_some(p.parent)
            .flatten()
    });
    let gone = remove_process_tree(system, pid);
    let Some(killed) = gone.last() else {
        return Outcome::nothing();
    };
    memory::clear_idle_under_oom(system);
    let fact = CgroupFact::Killed {
        pid,
        command: killed.command.clone(),
        with: gone.len().saturating_sub(1),
    };
    let then = parent
        .filter(|p| system.processes.contains_key(p))
        .map(|pid| Op::StressGivesUp { pid });
    Outcome::from(fact).then(then)
}

/// Removes process `pid` (an exiting shell); returns it if it was alive.
pub fn exit(system: &mut System, pid: u32) -> Option<Process> {
    system.processes.remove(&pid)
}
