//! The container logs simulation: pods writing, the runtime's CRI files, the
//! kubelet's rotation, `kubectl logs`, and the logging agents.
//!
//! Contract: [`LogsSim`] holds its starting state and the rest of its script.
//! The script is sorted by time (keeping the written order at equal times) and
//! shared between clones, read through a cursor; the pods' shared files and
//! the backend only grow and share their older entries between clones too, so
//! a player's snapshots stay cheap. The pods' start is planned when the
//! simulation is made; the other timed work waits on one [`Agenda`]: the
//! script action at the cursor, container restarts, the kubelet's next log
//! check and the agent's next poll. Same-time work runs by rank in this
//! order: script actions, container restarts, kubelet log checks, agent
//! polls (each kind in the order it was scheduled). Each piece of work
//! expands into micro-steps of one concern (the runtime, rotation, the
//! agent's poll, kubectl) on a [`MicroQueue`]; every [`Simulation::step`]
//! applies exactly one micro-step that changes or shows something, so the
//! state after a step is exactly what its fact says. Kubelet checks and
//! agent polls repeat only up to the last script action. The clock is the
//! engine's: work moves it forward through the [`Context`]. Pod UIDs and
//! container IDs come from the context's per-entity streams.
//!
//! Inputs ([`LogsInput`]) are checked when given and queued after the
//! micro-steps already planned, so an action in progress finishes first. A
//! write or a crash is planned like a script action when its turn comes, on
//! the state those steps leave (a container they start is running by then).

use crate::config::{Config, ContainerRef, Op, TimedOp, MAX_MAX_FILES, MIN_MAX_FILES};
use crate::facts::LogsFact;
use crate::input::LogsInput;
use crate::kubectl::{self, Command};
use crate::node::{Applied, Node};
use crate::runtime::{self, Request};
use crate::wallclock::Timestamp;
use crate::{agent_poll, rotation};
use sim_core::sorted::sort_stable_by_key;
use sim_core::{Agenda, Context, Event, InputError, MicroQueue, SimTime, Simulation};
use std::sync::Arc;

/// Timed work on the agenda.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Work {
    /// The script action at the cursor.
    Script,
    /// A crashed container's back-off is over.
    Restart(runtime::Restart),
    /// The kubelet's periodic log check.
    LogCheck,
    /// The node logging agent's periodic poll.
    AgentPoll,
}

impl Work {
    /// Its rank among work due at the same time: lower runs first.
    fn rank(&self) -> u32 {
        match self {
            Work::Script => 0,
            Work::Restart(_) => 1,
            Work::LogCheck => 2,
            Work::AgentPoll => 3,
        }
    }
}

/// One micro-step, of one concern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Micro {
    Runtime(runtime::Step),
    Rotation(rotation::Step),
    Agent(agent_poll::Step),
    Kubectl(Command),
    /// A given write or crash, planned into runtime steps when it is taken.
    Input(Op),
}

/// The container logs simulation of one node.
#[derive(Debug, Clone)]
pub struct LogsSim {
    node: Node,
    script: Arc<[TimedOp]>,
    next_op: usize,
    agenda: Agenda<Work>,
    pending: MicroQueue<Micro>,
    script_end: SimTime,
    last_step_at: SimTime,
}

impl LogsSim {
    /// A simulation at virtual time zero: nothing started, the script pending.
    pub fn new(mut config: Config) -> Self {
        let mut script = std::mem::take(&mut config.script);
        sort_stable_by_key(&mut script, |t| t.at);
        let script_end = script.last().map(|t| t.at).unwrap_or_default();
        let first_poll = config
            .agent
            .as_ref()
            .map(|a| SimTime::from_millis(a.start_ms))
            .filter(|start| *start <= script_end);
        let node = Node::new(config);
        let pending = runtime::start_pods(&node)
            .into_iter()
            .map(Micro::Runtime)
            .collect();
        let first_op = script.first().map(|t| t.at);
        let mut sim = LogsSim {
            node,
            script: script.into(),
            next_op: 0,
            agenda: Agenda::new(),
            pending,
            script_end,
            last_step_at: SimTime::ZERO,
        };
        if let Some(at) = first_op {
            sim.schedule(at, Work::Script);
        }
        sim.schedule(SimTime::ZERO, Work::LogCheck);
        if let Some(at) = first_poll {
            sim.schedule(at, Work::AgentPoll);
        }
        sim
    }

    /// The node's wall-clock time at the engine's time `now`.
    pub fn wall_clock(&self, now: SimTime) -> Timestamp {
        self.node.stamp(now)
    }

    /// The virtual time of the last step taken (zero before the first).
    pub fn now(&self) -> SimTime {
        self.last_step_at
    }

    /// The node, for the typed state and the runner's JSON view.
    pub(crate) fn node(&self) -> &Node {
        &self.node
    }

    fn push_back_all<S>(&mut self, micros: impl IntoIterator<Item = S>, wrap: fn(S) -> Micro) {
        for m in micros {
            self.pending.push_back(wrap(m));
        }
    }

    /// Puts `work` on the agenda for `at`, at its rank.
    fn schedule(&mut self, at: SimTime, work: Work) {
        self.agenda.schedule_ranked(at, work.rank(), work);
    }

    /// Schedules periodic `work` again `every` after `now`, unless that is
    /// after the last script action (or the period is zero).
    fn repeat(&mut self, work: Work, now: SimTime, every: SimTime) {
        let next = now.plus(every);
        if every > SimTime::ZERO && next <= self.script_end {
            self.schedule(next, work);
        }
    }

    /// Takes the next work at its time and turns it into micro-steps
    /// (silently); `None` when nothing is left.
    fn expand_next(&mut self, cx: &mut Context<'_>) -> Option<()> {
        let (at, work) = self.agenda.pop()?;
        cx.advance_to(at);
        let now = cx.now();
        match work {
            Work::Script => {
                let script = Arc::clone(&self.script);
                let timed = script.get(self.next_op)?;
                self.next_op += 1;
                if let Some(next) = script.get(self.next_op) {
                    self.schedule(next.at, Work::Script);
                }
                let micros = self.plan(&timed.op, now);
                self.pending.push_front_all(micros);
            }
            Work::Restart(restart) => {
                self.push_back_all(runtime::restart(restart), Micro::Runtime);
            }
            Work::LogCheck => {
                let steps = rotation::plan(&self.node, now);
                self.push_back_all(steps, Micro::Rotation);
                let every = self.node.config.settings.container_log_monitor_interval_s;
                self.repeat(Work::LogCheck, now, SimTime::from_secs(every));
            }
            Work::AgentPoll => {
                let steps = agent_poll::plan(&self.node);
                self.push_back_all(steps, Micro::Agent);
                let every = self
                    .node
                    .config
                    .agent
                    .as_ref()
                    .map_or(0, |a| a.poll_interval_ms);
                self.repeat(Work::AgentPoll, now, SimTime::from_millis(every));
            }
        }
        Some(())
    }

    /// The micro-steps of a script action (or a given write or crash) at
    /// `now`, planned on the node as it is.
    fn plan(&self, op: &Op, now: SimTime) -> Vec<Micro> {
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
                return vec![Micro::Kubectl(Command::Logs {
                    target: *target,
                    previous: *previous,
                })];
            }
            Op::List { target } => return vec![Micro::Kubectl(Command::List(*target))],
            Op::ParseLine { line } => {
                return vec![Micro::Kubectl(Command::ParseLine(line.clone()))];
            }
        };
        runtime::plan_op(&self.node, request, now)
            .into_iter()
            .map(Micro::Runtime)
            .collect()
    }

    /// Applies one micro-step; `None` when it only planned more micro-steps.
    fn apply(&mut self, micro: Micro, cx: &mut Context<'_>) -> Option<LogsFact> {
        match micro {
            Micro::Runtime(step) => {
                let (Applied { fact, next }, restart) = runtime::apply(&mut self.node, step, cx);
                if let Some(restart) = restart {
                    self.schedule(restart.at, Work::Restart(restart));
                }
                self.pending
                    .push_front_all(next.into_iter().map(Micro::Runtime));
                fact
            }
            Micro::Rotation(step) => rotation::apply(&mut self.node, step),
            Micro::Agent(step) => {
                let Applied { fact, next } = agent_poll::apply(&mut self.node, step);
                self.pending
                    .push_front_all(next.into_iter().map(Micro::Agent));
                fact
            }
            Micro::Kubectl(command) => kubectl::run(&mut self.node, command),
            Micro::Input(op) => {
                let micros = self.plan(&op, cx.now());
                self.pending.push_front_all(micros);
                None
            }
        }
    }

    /// The next step's fact, expanding work as needed.
    fn next_fact(&mut self, cx: &mut Context<'_>) -> Option<LogsFact> {
        loop {
            match self.pending.pop_front() {
                Some(micro) => {
                    if let Some(fact) = self.apply(micro, cx) {
                        return Some(fact);
                    }
                }
                None => self.expand_next(cx)?,
            }
        }
    }

    /// Whether the node agent runs once the planned steps are applied, or
    /// why there is no agent.
    fn agent_will_run(&self) -> Result<bool, InputError> {
        let agent =
            self.node.agent.as_ref().ok_or_else(|| {
                InputError("no node logging agent is deployed on this node".into())
            })?;
        let last_planned = self.pending.iter().rev().find_map(|m| match m {
            Micro::Agent(agent_poll::Step::Stop) => Some(false),
            Micro::Agent(agent_poll::Step::Start) => Some(true),
            _ => None,
        });
        Ok(last_planned.unwrap_or(!agent.stopped))
    }

    /// The container an input names, or why there is none.
    fn find(&self, pod: &str, container: &str) -> Result<ContainerRef, InputError> {
        self.node.find(pod, container).ok_or_else(|| {
            InputError(format!(
                "there is no container `{container}` in pod `{pod}` on this node"
            ))
        })
    }
}

impl Simulation for LogsSim {
    type Fact = LogsFact;
    type Input = LogsInput;

    fn step(&mut self, cx: &mut Context<'_>) -> Option<Event<LogsFact>> {
        let fact = self.next_fact(cx)?;
        self.last_step_at = cx.now();
        Some(Event::new(cx.now(), fact))
    }

    /// One script unit is one timed action of the scenario's script (a
    /// `repeat` counts once per line it writes), in time order: the
    /// position is how many have started. Given inputs are not counted.
    fn script_position(&self) -> usize {
        self.next_op
    }

    fn handle(&mut self, _cx: &mut Context<'_>, input: &LogsInput) -> Result<(), InputError> {
        match input {
            LogsInput::Write {
                pod,
                container,
                stream,
                text,
            } => {
                let target = self.find(pod, container)?;
                if text.contains('\n') {
                    return Err(InputError(
                        "a write is one line: the text must not contain a newline".into(),
                    ));
                }
                self.pending.push_back(Micro::Input(Op::Write {
                    target,
                    stream: *stream,
                    message: text.clone(),
                }));
            }
            LogsInput::Crash {
                pod,
                container,
                exit_code,
            } => {
                let target = self.find(pod, container)?;
                self.pending.push_back(Micro::Input(Op::Crash {
                    target,
                    exit_code: *exit_code,
                }));
            }
            LogsInput::SetRotation {
                max_size,
                max_files,
            } => {
                if *max_size == 0 {
                    return Err(InputError(
                        "containerLogMaxSize must be at least 1 byte".into(),
                    ));
                }
                if !(MIN_MAX_FILES..=MAX_MAX_FILES).contains(max_files) {
                    return Err(InputError(format!(
                        "containerLogMaxFiles is {max_files}: expected {MIN_MAX_FILES} to {MAX_MAX_FILES}"
                    )));
                }
                self.pending
                    .push_back(Micro::Rotation(rotation::Step::Configure {
                        max_size: *max_size,
                        max_files: *max_files,
                    }));
            }
            LogsInput::StopAgent | LogsInput::StartAgent => {
                let start = *input == LogsInput::StartAgent;
                if self.agent_will_run()? == start {
                    return Err(InputError(format!(
                        "the node logging agent is already {}",
                        if start { "running" } else { "stopped" }
                    )));
                }
                let step = if start {
                    agent_poll::Step::Start
                } else {
                    agent_poll::Step::Stop
                };
                self.pending.push_back(Micro::Agent(step));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim_core::{JsonState, SimRng};

    const BUSY: &str = "[scenario]\ntitle = \"t\"\nsimulator = \"logs\"\n\
        [node]\ncontainer_log_max_size = \"2Ki\"\n\
        [agent]\nname = \"fluent-bit\"\npoll_interval_ms = 1000\n\
        [[pods]]\nname = \"counter\"\n[[pods.containers]]\nname = \"count\"\n\
        [[script]]\nat_ms = 0\naction = \"write\"\npod = \"counter\"\ncontainer = \"count\"\n\
        stream = \"stdout\"\ntext = \"{i}\"\nrepeat = 2000\nevery_ms = 100\n";

    #[test]
    fn a_clone_mid_run_shares_the_script_and_history_and_continues_identically() {
        let (_, config) = crate::load("busy.toml", BUSY).unwrap();
        let mut sim = LogsSim::new(config);
        let (mut now, mut rng) = (SimTime::ZERO, SimRng::new(3));
        for _ in 0..1500 {
            assert!(sim.step(&mut Context::new(&mut now, &mut rng, 3)).is_some());
        }
        let mut copy = sim.clone();
        assert!(Arc::ptr_eq(&sim.script, &copy.script));
        assert!(Arc::ptr_eq(&sim.node.config, &copy.node.config));
        assert!(sim.next_op > 0 && sim.next_op < sim.script.len());
        assert!(
            sim.node.backend.len() > crate::shared::CHUNK,
            "{}",
            sim.node.backend.len()
        );
        let (mut copy_now, mut copy_rng) = (now, rng.clone());
        loop {
            let original = sim.step(&mut Context::new(&mut now, &mut rng, 3));
            let replayed = copy.step(&mut Context::new(&mut copy_now, &mut copy_rng, 3));
            assert_eq!(original, replayed);
            if original.is_none() {
                break;
            }
        }
        assert_eq!(sim.state_json(now), copy.state_json(copy_now));
        assert!(sim.backend().len() > 1900, "{}", sim.backend().len());
    }
}
