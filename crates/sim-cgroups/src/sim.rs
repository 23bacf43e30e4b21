//! The cgroups simulation: the system, the shell session driving it, the
//! script, and the queue of pending changes.
//!
//! Contract: each [`sim_core::Simulation::step`] applies exactly one change
//! and returns the event describing it, so the state after a step is the state
//! that step's event describes. A script line that causes several changes
//! queues them as separate operations; waiting (`sleep`, a foreground
//! command) advances virtual time to the next thing that happens (a period
//! ending, a quota running out, a timeout, a report) one event at a time.

use crate::bandwidth;
use crate::files;
use crate::hierarchy::Hierarchy;
use crate::machine::Machine;
use crate::memory;
use crate::namespaces;
use crate::op::{Op, Outcome};
use crate::process::Process;
use crate::script::ScriptLine;
use crate::settings;
use crate::shell::Shell;
use crate::system::System;
use crate::tasks;
use crate::view;
use sim_core::{Event, SimRng, SimTime, Simulation};
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;

/// Something waiting to run: a script line, or a change it caused.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pending {
    Line(usize),
    Op(Op),
}

/// The cgroups simulation.
#[derive(Debug, Clone)]
pub struct CgroupSim {
    system: System,
    shell: Shell,
    script: Rc<[ScriptLine]>,
    queue: VecDeque<Pending>,
    now_ns: u64,
}

impl CgroupSim {
    /// A machine with `tree` (already set up), ready to run `script`.
    pub fn new(machine: Machine, tree: Hierarchy, script: Vec<ScriptLine>) -> Self {
        CgroupSim {
            system: System::new(machine, tree),
            shell: Shell::default(),
            queue: (0..script.len()).map(Pending::Line).collect(),
            script: script.into(),
            now_ns: 0,
        }
    }

    /// The simulated host: machine, groups, processes, hostnames.
    pub fn system(&self) -> &System {
        &self.system
    }

    /// The shell session: variables, open shells, terminal.
    pub fn shell(&self) -> &Shell {
        &self.shell
    }

    /// The machine's settings.
    pub fn machine(&self) -> &Machine {
        &self.system.machine
    }

    /// The cgroup tree.
    pub fn tree(&self) -> &Hierarchy {
        &self.system.tree
    }

    /// The live processes, by pid.
    pub fn processes(&self) -> &BTreeMap<u32, Process> {
        &self.system.processes
    }

    /// What the last command printed.
    pub fn terminal(&self) -> &[String] {
        self.shell.terminal()
    }

    /// Memory charged to `path` and its descendants, in bytes (saturating at
    /// `u64::MAX`).
    pub fn memory_usage(&self, path: &str) -> u64 {
        self.system.memory_usage(path)
    }

    /// The content of the cgroup file at `fs_path` (e.g.
    /// `/sys/fs/cgroup/cpu/demo/cpu.stat`), or `None` if there is no readable
    /// file there.
    pub fn read_file(&self, fs_path: &str) -> Option<String> {
        files::read_file(&self.system, fs_path)
    }

    fn apply(&mut self, op: Op) -> Outcome {
        let system = &mut self.system;
        let now = self.now_ns;
        match op {
            Op::Create {
                path,
                controllers,
                rule,
            } => settings::create(system, now, &path, &controllers, rule).into(),
            Op::Write {
                path,
                file,
                value,
                by,
            } => settings::write(system, now, &path, &file, &value, by),
            Op::Delete {
                path,
                controllers,
                recursive,
            } => settings::delete(system, &path, &controllers, recursive).into(),
            Op::Start {
                launch,
                placements,
                text,
                parent,
            } => {
                let (outcome, shell) =
                    tasks::start(system, now, &launch, placements.as_deref(), &text, parent);
                if let Some(pid) = shell {
                    self.shell.enter(pid);
                }
                outcome
            }
            Op::Unshare { pid, unshare } => namespaces::unshare(system, pid, unshare).into(),
            Op::Charge { pid, bytes, kind } => memory::charge(system, pid, bytes, kind),
            Op::Reclaim {
                group,
                pid,
                bytes,
                kind,
            } => memory::reclaim(system, &group, pid, bytes, kind),
            Op::OutOfMemory {
                group,
                pid,
                bytes,
                kind,
            } => memory::out_of_memory(system, &group, pid, bytes, kind),
            Op::Resume { pid } => memory::resume(system, pid),
            Op::Shrink { group } => memory::shrink(system, &group),
            Op::StressGivesUp { pid } => tasks::stress_gives_up(system, pid).into(),
            Op::FinishDd { pid } => tasks::finish_dd(system, pid).into(),
            Op::Wait(until) => bandwidth::wait(system, &mut self.now_ns, until),
        }
    }
}

impl Simulation for CgroupSim {
    fn step(&mut self, now: &mut SimTime, rng: &mut SimRng) -> Option<Event> {
        self.now_ns = self.now_ns.max(now.as_nanos());
        let mut result = None;
        while let Some(next) = self.queue.pop_front() {
            let outcome = match next {
                Pending::Line(index) => {
                    let script = Rc::clone(&self.script);
                    match script.get(index) {
                        Some(line) => {
                            self.shell
                                .run(&mut self.system, self.now_ns, index, line, rng)
                        }
                        None => Outcome::nothing(),
                    }
                }
                Pending::Op(op) => self.apply(op),
            };
            for op in outcome.then.into_iter().rev() {
                self.queue.push_front(Pending::Op(op));
            }
            self.shell.forget_exited(&self.system);
            if let Some(note) = outcome.note {
                result = Some(note.at(self.now_ns));
                break;
            }
        }
        *now = SimTime::from_nanos(self.now_ns);
        result
    }

    fn state(&self) -> serde_json::Value {
        view::state(&self.system, &self.shell, &self.script, self.now_ns)
    }
}
