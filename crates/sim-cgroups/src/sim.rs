//! The cgroups simulation: the system, the shell session driving it, the
//! script, and the queue of pending changes.
//!
//! Contract: each [`sim_core::Simulation::step`] applies exactly one change
//! and returns the event describing it, so the state after a step is the state
//! that step's event describes. A script line that causes several changes
//! queues them as separate operations; waiting (`sleep`, a foreground
//! command) advances the engine's clock to the next thing that happens (a
//! period ending, a quota running out, a timeout, a report) one event at a
//! time. An input queues its change before everything waiting, so it is the
//! next step (the rule is on `handle`).

use crate::bandwidth;
use crate::config::{initial_tree, Config};
use crate::fact::CgroupFact;
use crate::files;
use crate::hierarchy::{normalize, Group, Hierarchy};
use crate::input::{self, CgroupInput};
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
use sim_core::SortedMap;
use sim_core::{Context, Event, InputError, MicroQueue, Simulation};
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
    queue: MicroQueue<Pending>,
}

impl CgroupSim {
    /// The simulation `config` describes, at step 0.
    pub fn new(config: Config) -> Self {
        let tree = initial_tree(&config.groups);
        CgroupSim {
            system: System::new(config.machine, tree),
            shell: Shell::default(),
            queue: (0..config.script.len()).map(Pending::Line).collect(),
            script: config.script.into(),
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

    /// The script, line by line.
    pub fn script(&self) -> &[ScriptLine] {
        &self.script
    }

    /// The script line run last, if any.
    pub fn current_line(&self) -> Option<&ScriptLine> {
        self.shell.current_line().and_then(|i| self.script.get(i))
    }

    /// The machine's settings.
    pub fn machine(&self) -> &Machine {
        &self.system.machine
    }

    /// The cgroup tree.
    pub fn tree(&self) -> &Hierarchy {
        &self.system.tree
    }

    /// The group at `path` (e.g. `/demo` or `demo`), if it exists.
    pub fn group(&self, path: &str) -> Option<&Group> {
        normalize(path).ok().and_then(|p| self.system.tree.get(&p))
    }

    /// The live processes, by pid.
    pub fn processes(&self) -> &SortedMap<u32, Process> {
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

    /// Every readable file of the group at `path` with its content, as `ls`
    /// lists them in its controllers' directories.
    pub fn files(&self, path: &str) -> Option<SortedMap<String, String>> {
        self.group(path).map(|g| files::snapshot(&self.system, g))
    }

    /// The v2 files runc would write for the v1 group at `path` (`cpu.weight`
    /// by the machine's runc version); `None` on a v2 machine.
    pub fn v2_mapping(&self, path: &str) -> Option<SortedMap<String, String>> {
        let group = self.group(path)?;
        (!self.system.machine.is_v2()).then(|| files::v2_mapping(&self.system, group))
    }

    /// The CPU each group and its descendants get at this instant, in
    /// micro-CPUs ([`crate::cpu::MICRO_CPUS_PER_CPU`] is one CPU), by path:
    /// the split that holds until the next thing happens.
    pub fn cpu_now(&self) -> SortedMap<String, u64> {
        bandwidth::cpu_now(&self.system)
    }

    /// What `ls -l DIR` prints for `fs_path` (e.g.
    /// `/sys/fs/cgroup/cpu/demo`) right now, without running it.
    pub fn listing(&self, fs_path: &str) -> Vec<String> {
        files::list(&self.system, fs_path).1
    }

    /// The process of the innermost open shell, if a shell is open.
    pub fn shell_process(&self) -> Option<&Process> {
        self.shell
            .innermost()
            .and_then(|pid| self.system.processes.get(&pid))
    }

    /// The hard memory limit of the group at `path` in bytes (whole pages),
    /// if it has one.
    pub fn memory_limit(&self, path: &str) -> Option<u64> {
        normalize(path)
            .ok()
            .and_then(|p| self.system.limit_bytes(&p))
    }

    fn apply(&mut self, cx: &mut Context<'_>, op: Op) -> Outcome {
        let system = &mut self.system;
        let now = cx.now().as_nanos();
        match op {
            Op::Create { path, controllers } => {
                settings::create(system, now, &path, &controllers).into()
            }
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
            Op::Kill { pid } => tasks::kill(system, pid),
            Op::Wait(until) => bandwidth::wait(system, cx, until),
        }
    }
}

impl Simulation for CgroupSim {
    type Fact = CgroupFact;
    type Input = CgroupInput;

    fn step(&mut self, cx: &mut Context<'_>) -> Option<Event<CgroupFact>> {
        let mut result = None;
        while let Some(next) = self.queue.pop_front() {
            let outcome = match next {
                Pending::Line(index) => {
                    let script = Rc::clone(&self.script);
                    match script.get(index) {
                        Some(line) => self.shell.run(&mut self.system, cx, index, line),
                        None => Outcome::nothing(),
                    }
                }
                Pending::Op(op) => self.apply(cx, op),
            };
            self.queue
                .push_front_all(outcome.then.into_iter().map(Pending::Op));
            self.shell.forget_exited(&self.system);
            if let Some(fact) = outcome.fact {
                result = Some(Event::new(cx.now(), fact));
                break;
            }
        }
        result
    }

    /// One script unit is one script line: the position is how many lines
    /// have started (a line runs on the host's shell, or inside the shell
    /// `cgexec ... sh` opened, until its `exit`).
    fn script_position(&self) -> usize {
        self.shell
            .current_line()
            .map_or(0, |line| line.saturating_add(1))
    }

    /// An input takes effect as the very next step, before every step
    /// already planned (even inside an action, say between a failed reclaim
    /// and its OOM step) and before time passes: it lands where it is given,
    /// as a write or a signal from another CPU reaches the kernel. So each
    /// planned step looks again at what it relies on, as the kernel does: a
    /// charge, reclaim or OOM step of a task that is gone does nothing, an
    /// OOM step whose charge fits again lets the charge through, and a
    /// resume, shrink or stress follow-up checks that its task or group is
    /// still there and still needs it.
    fn handle(&mut self, _cx: &mut Context<'_>, input: &CgroupInput) -> Result<(), InputError> {
        let ops = input::ops(&self.system, input)?;
        self.queue.push_front_all(ops.into_iter().map(Pending::Op));
        Ok(())
    }
}

#[cfg(feature = "json")]
impl sim_core::JsonState for CgroupSim {
    fn state_json(&self, now: sim_core::SimTime) -> serde_json::Value {
        crate::view::state(&self.system, &self.shell, &self.script, now.as_nanos())
    }
}
