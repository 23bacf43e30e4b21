//! The container logs simulation: pods writing, the runtime's CRI files, the
//! kubelet's rotation, `kubectl logs`, and the logging agents.
//!
//! Contract: [`LogsSim`] holds its starting state and the rest of its script.
//! The script is sorted by time (keeping the written order at equal times) and
//! shared between clones, read through a cursor; the pods' shared files and
//! the backend only grow and share their older entries between clones too, so
//! a player's snapshots stay cheap. Other future work sits on an agenda
//! ordered by (time, kind, insertion), where the kind orders same-time work,
//! script actions included, as: pods start, script actions, container
//! restarts, kubelet log checks, agent polls. Each agenda item expands into
//! micro-steps of one concern (the runtime, rotation, the agent's poll,
//! kubectl); every [`Simulation::step`] applies exactly one micro-step that
//! changes or shows something, so the state after a step is exactly what its
//! event says. Kubelet checks and agent polls repeat only up to the last
//! script action. Randomness (pod UIDs, container IDs) comes only from the
//! step's [`SimRng`].

use crate::agent::{ShippedRecord, WATCHED_DIR};
use crate::kubectl::{self, Command};
use crate::node::{Applied, Node};
pub use crate::node::{CommandOutput, Phase};
use crate::runtime::{self, Request};
use crate::setup::{ContainerRef, Op, Settings, Setup, TimedOp};
use crate::{agent_poll, rotation, view};
use sim_core::{Event, SimRng, SimTime, Simulation};
use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

/// What same-time work comes first (in this order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    StartPods,
    Script,
    Restart,
    LogCheck,
    AgentPoll,
}

/// Work on the agenda; script actions are not here but read in order from
/// the shared, time-sorted script (their [`Kind`] is [`Kind::Script`]).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Planned {
    StartPods,
    Restart(ContainerRef),
    LogCheck,
    AgentPoll,
}

/// One micro-step, of one concern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Micro {
    Runtime(runtime::Step),
    Rotation(rotation::Step),
    Agent(agent_poll::Step),
    Kubectl(Command),
}

/// The container logs simulation of one node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogsSim {
    node: Node,
    script: Arc<[TimedOp]>,
    next_op: usize,
    now: SimTime,
    agenda: BTreeMap<(SimTime, Kind, u64), Planned>,
    pending: VecDeque<Micro>,
    next_seq: u64,
    script_end: SimTime,
}

impl LogsSim {
    /// A simulation at virtual time zero: nothing started, the script pending.
    pub fn new(mut setup: Setup) -> Self {
        let mut script = std::mem::take(&mut setup.script);
        script.sort_by_key(|t| t.at);
        let script_end = script.last().map(|t| t.at).unwrap_or_default();
        let agent_start = setup
            .agent
            .as_ref()
            .map(|a| SimTime::from_millis(a.start_ms));
        let mut sim = LogsSim {
            node: Node::new(setup),
            script: script.into(),
            next_op: 0,
            now: SimTime::ZERO,
            agenda: BTreeMap::new(),
            pending: VecDeque::new(),
            next_seq: 0,
            script_end,
        };
        sim.plan(SimTime::ZERO, Kind::StartPods, Planned::StartPods);
        sim.plan(SimTime::ZERO, Kind::LogCheck, Planned::LogCheck);
        if let Some(start) = agent_start.filter(|s| *s <= script_end) {
            sim.plan(start, Kind::AgentPoll, Planned::AgentPoll);
        }
        sim
    }

    /// The node settings in force.
    pub fn settings(&self) -> &Settings {
        &self.node.setup.settings
    }

    /// Every file under `/var/log/pods`, in path order, with its size in bytes.
    pub fn log_files(&self) -> Vec<(String, u64)> {
        self.node
            .fs
            .files_under(WATCHED_DIR)
            .map(|(p, _, i)| (p.to_string(), i.size))
            .collect()
    }

    /// What the last command printed.
    pub fn last_output(&self) -> Option<&CommandOutput> {
        self.node.last_output.as_deref()
    }

    /// The messages the logging backend has received, oldest first.
    pub fn backend(&self) -> Vec<&ShippedRecord> {
        self.node.backend.iter().collect()
    }

    /// The log directory of a container, with a trailing slash, once its pod has a UID.
    pub fn log_dir(&self, pod: usize, container: usize) -> Option<String> {
        self.node.log_dir(pod, container)
    }

    fn plan(&mut self, at: SimTime, kind: Kind, item: Planned) {
        self.next_seq += 1;
        self.agenda.insert((at, kind, self.next_seq), item);
    }

    fn push_back_all<S>(&mut self, micros: impl IntoIterator<Item = S>, wrap: fn(S) -> Micro) {
        self.pending.extend(micros.into_iter().map(wrap));
    }

    fn push_front_all<S>(&mut self, micros: Vec<S>, wrap: fn(S) -> Micro) {
        for m in micros.into_iter().rev() {
            self.pending.push_front(wrap(m));
        }
    }

    /// Moves both clocks to `at` unless they are already later.
    fn advance(&mut self, now: &mut SimTime, at: SimTime) {
        if at > *now {
            *now = at;
        }
        self.now = *now;
    }

    /// Turns an agenda item into micro-steps (silently).
    fn expand(&mut self, item: Planned) {
        match item {
            Planned::StartPods => {
                let steps = runtime::start_pods(&self.node);
                self.push_back_all(steps, Micro::Runtime);
            }
            Planned::Restart(target) => {
                self.push_back_all(runtime::restart(target), Micro::Runtime)
            }
            Planned::LogCheck => {
                let steps = rotation::plan(&self.node, self.now);
                self.push_back_all(steps, Micro::Rotation);
                let next = self.now.plus(SimTime::from_secs(
                    self.node.setup.settings.container_log_monitor_interval_s,
                ));
                if next <= self.script_end {
                    self.plan(next, Kind::LogCheck, Planned::LogCheck);
                }
            }
            Planned::AgentPoll => {
                let steps = agent_poll::plan(&self.node);
                self.push_back_all(steps, Micro::Agent);
                let every = self
                    .node
                    .setup
                    .agent
                    .as_ref()
                    .map_or(0, |a| a.poll_interval_ms);
                let next = self.now.plus(SimTime::from_millis(every));
                if every > 0 && next <= self.script_end {
                    self.plan(next, Kind::AgentPoll, Planned::AgentPoll);
                }
            }
        }
    }

    /// Turns a script action into micro-steps (silently).
    fn expand_op(&mut self, op: &Op) {
        let request = match op {
            Op::Write {
                target,
                stream,
                message,
            } => Request::Write {
                target: *target,
                stream: *stream,
                message,
            },
            Op::WriteFile {
                target,
                path,
                message,
            } => Request::WriteFile {
                target: *target,
                path,
                message,
            },
            Op::Crash { target, exit_code } => Request::Crash {
                target: *target,
                exit_code: *exit_code,
            },
            Op::KubectlLogs { target, previous } => {
                let command = Command::Logs {
                    target: *target,
                    previous: *previous,
                };
                self.pending.push_back(Micro::Kubectl(command));
                return;
            }
            Op::List { target } => {
                self.pending
                    .push_back(Micro::Kubectl(Command::List(*target)));
                return;
            }
            Op::ParseLine { line } => {
                let command = Command::ParseLine(line.clone());
                self.pending.push_back(Micro::Kubectl(command));
                return;
            }
        };
        let steps = runtime::plan_op(&self.node, request, self.now);
        self.push_back_all(steps, Micro::Runtime);
    }

    /// Applies one micro-step; `None` when it only planned more micro-steps.
    fn apply(&mut self, micro: Micro, rng: &mut SimRng) -> Option<Event> {
        let now = self.now;
        match micro {
            Micro::Runtime(step) => {
                let (Applied { event, next }, restart) =
                    runtime::apply(&mut self.node, step, now, rng);
                if let Some(restart) = restart {
                    self.plan(restart.at, Kind::Restart, Planned::Restart(restart.target));
                }
                self.push_front_all(next, Micro::Runtime);
                event
            }
            Micro::Rotation(step) => rotation::apply(&mut self.node, step, now),
            Micro::Agent(step) => {
                let Applied { event, next } = agent_poll::apply(&mut self.node, step, now);
                self.push_front_all(next, Micro::Agent);
                event
            }
            Micro::Kubectl(command) => kubectl::run(&mut self.node, command, now),
        }
    }
}

impl Simulation for LogsSim {
    fn step(&mut self, now: &mut SimTime, rng: &mut SimRng) -> Option<Event> {
        loop {
            if let Some(micro) = self.pending.pop_front() {
                if let Some(event) = self.apply(micro, rng) {
                    return Some(event);
                }
                continue;
            }
            let next_planned = self.agenda.first_key_value().map(|(k, _)| (k.0, k.1));
            let next_op = self.script.get(self.next_op).map(|t| (t.at, Kind::Script));
            let take_op = match (next_planned, next_op) {
                (_, None) => false,
                (None, Some(_)) => true,
                (Some(planned), Some(op)) => op < planned,
            };
            if take_op {
                let script = Arc::clone(&self.script);
                let timed = script.get(self.next_op)?;
                self.next_op += 1;
                self.advance(now, timed.at);
                self.expand_op(&timed.op);
            } else {
                let ((at, _, _), item) = self.agenda.pop_first()?;
                self.advance(now, at);
                self.expand(item);
            }
        }
    }

    fn state(&self) -> serde_json::Value {
        serde_json::to_value(view::view(&self.node, self.now)).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUSY: &str = "[scenario]\ntitle = \"t\"\nsimulator = \"logs\"\n\
        [node]\ncontainer_log_max_size = \"2Ki\"\n\
        [agent]\nname = \"fluent-bit\"\npoll_interval_ms = 1000\n\
        [[pods]]\nname = \"counter\"\n[[pods.containers]]\nname = \"count\"\n\
        [[script]]\nat_ms = 0\naction = \"write\"\npod = \"counter\"\ncontainer = \"count\"\n\
        stream = \"stdout\"\ntext = \"{i}\"\nrepeat = 2000\nevery_ms = 100\n";

    #[test]
    fn a_clone_mid_run_shares_the_script_and_history_and_continues_identically() {
        let (_, mut sim) = crate::load("busy.toml", BUSY).unwrap();
        let (mut now, mut rng) = (SimTime::ZERO, SimRng::new(3));
        for _ in 0..1500 {
            assert!(sim.step(&mut now, &mut rng).is_some());
        }
        let mut copy = sim.clone();
        assert!(Arc::ptr_eq(&sim.script, &copy.script));
        assert!(Arc::ptr_eq(&sim.node.setup, &copy.node.setup));
        assert!(sim.next_op > 0 && sim.next_op < sim.script.len());
        assert!(
            sim.node.backend.len() > crate::shared::CHUNK,
            "{}",
            sim.node.backend.len()
        );
        let (mut copy_now, mut copy_rng) = (now, rng.clone());
        loop {
            let original = sim.step(&mut now, &mut rng);
            let replayed = copy.step(&mut copy_now, &mut copy_rng);
            assert_eq!(original, replayed);
            if original.is_none() {
                break;
            }
        }
        assert_eq!(sim.state(), copy.state());
        assert!(sim.backend().len() > 1900, "{}", sim.backend().len());
    }
}
