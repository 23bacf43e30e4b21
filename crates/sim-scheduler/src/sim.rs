//! The scheduler simulation: kube-scheduler's queue and framework over a
//! cluster, driven by a timed script and by inputs, one extension point per
//! step.
//!
//! Contract: a pod's scheduling cycle is decided when it is popped
//! ([`crate::cycle::schedule`] reads the cluster and changes nothing) and
//! played as one step per extension point; each step applies its own effect
//! (Reserve assumes, PostFilter starts the victims' deletion and nominates,
//! Bind binds), so the state after a step is what its fact says. Nothing
//! else happens during a cycle: script actions, timers, queue checks and
//! inputs wait until its steps are done, then run in that order, before the
//! next pod is popped. Time moves only to the next timed thing, and the run
//! ends when nothing is left before the horizon.

use crate::attempt::{Attempt, Preemption};
use crate::cluster::{Cluster, NodeId, Phase, PodId};
use crate::config::{Config, Op, Plugin, Profile};
use crate::cycle;
use crate::fact::{Cause, Change, PermitOutcome, Point, SchedFact};
use crate::input::SchedInput;
use crate::model::{NodeSpec, Pdb};
use crate::queue::{backoff_duration, Place, SchedulingQueue};
use crate::status::Reason;
use sim_core::sorted::sort_stable_by_key;
use sim_core::SortedMap;
use sim_core::{Agenda, Context, Event, InputError, SimTime, Simulation};
use std::collections::VecDeque;
use std::sync::Arc;

/// What a scheduler simulation keeps of one pod's last attempt, whatever
/// the scale: enough to replay and explain the decision.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PodRecord {
    /// Scheduling attempts so far.
    pub attempts: u32,
    /// The node the last attempt chose.
    pub node: Option<NodeId>,
    /// The last attempt's top totals, highest first: the first `top_len` entries.
    top: [(NodeId, i64); 3],
    top_len: u8,
    /// How many nodes the last attempt's Filter rejected, per reason.
    pub rejected: [u32; Reason::ALL.len()],
    /// How many nodes it looked at.
    pub evaluated: u32,
    /// The last attempt in full (kept when the config is detailed, and for failures).
    pub last: Option<Arc<Attempt>>,
}

impl PodRecord {
    /// The last attempt's top totals (at most 3), the chosen node first.
    pub fn top(&self) -> &[(NodeId, i64)] {
        &self.top[..usize::from(self.top_len)]
    }
}

/// The parts of the config that never change during a run.
#[derive(Debug, PartialEq, Eq)]
struct Setup {
    profile: Profile,
    pdbs: Vec<Pdb>,
    script: Vec<crate::config::TimedOp>,
    horizon: SimTime,
    detailed: bool,
}

/// One step planned: an extension point of an attempt, or a queue move.
#[derive(Debug, Clone)]
enum Micro {
    Point(Stage, Arc<Attempt>),
    Move(Cause),
}

/// The extension points a planned step runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    QueueSort,
    PreFilter,
    Filter,
    PostFilter,
    PreScore,
    Score,
    NormalizeScore,
    SelectHost,
    Reserve,
    Permit,
    WaitOnPermit,
    TimedOut,
    Unreserve,
    PreBind,
    Bind,
    PostBind,
    Requeue,
}

/// Timed work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Timer {
    /// A terminating pod's grace period ends.
    Gone(PodId),
    /// A waiting pod's Permit times out (for its attempt of that cycle).
    PermitTimeout(PodId, u64),
}

/// Counts over the whole run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Scheduling attempts.
    pub attempts: u64,
    /// Pods bound by the scheduler.
    pub bound: u64,
    /// Attempts that found no node.
    pub unschedulable: u64,
    /// Successful preemptions.
    pub preemptions: u64,
}

/// The scheduler simulator.
#[derive(Debug, Clone)]
pub struct SchedulerSim {
    setup: Arc<Setup>,
    cluster: Cluster,
    queue: SchedulingQueue,
    pending: VecDeque<Micro>,
    inputs: VecDeque<Op>,
    timers: Agenda<Timer>,
    next_op: usize,
    next_start: u32,
    cycle: u64,
    steps: usize,
    waiting: SortedMap<PodId, Arc<Attempt>>,
    records: Vec<PodRecord>,
    stats: Stats,
}

impl SchedulerSim {
    /// A simulation at step 0 of `config`. It parses nothing and never
    /// panics; a name the config does not define makes its action do nothing.
    pub fn new(config: Config) -> SchedulerSim {
        let records = vec![PodRecord::default(); config.pods.len()];
        let mut script = config.script;
        sort_stable_by_key(&mut script, |op| op.at);
        SchedulerSim {
            setup: Arc::new(Setup {
                profile: config.profile,
                pdbs: config.pdbs,
                script,
                horizon: config.horizon,
                detailed: config.detailed,
            }),
            cluster: Cluster::new(config.nodes, config.pods),
            queue: SchedulingQueue::default(),
            pending: VecDeque::new(),
            inputs: VecDeque::new(),
            timers: Agenda::new(),
            next_op: 0,
            next_start: 0,
            cycle: 0,
            steps: 0,
            waiting: SortedMap::new(),
            records,
            stats: Stats::default(),
        }
    }

    /// The cluster as the scheduler's cache holds it.
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// The scheduling queue.
    pub fn queue(&self) -> &SchedulingQueue {
        &self.queue
    }

    /// The profile in force.
    pub fn profile(&self) -> &Profile {
        &self.setup.profile
    }

    /// The PodDisruptionBudgets.
    pub fn pdbs(&self) -> &[Pdb] {
        &self.setup.pdbs
    }

    /// Each pod's record, in config order.
    pub fn records(&self) -> &[PodRecord] {
        &self.records
    }

    /// The pods waiting on Permit, with their attempts.
    pub fn waiting(&self) -> impl Iterator<Item = (PodId, &Arc<Attempt>)> + '_ {
        self.waiting.iter().map(|(p, a)| (*p, a))
    }

    /// Counts over the run so far.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// The attempt whose steps are being played, if any.
    pub fn current_attempt(&self) -> Option<&Arc<Attempt>> {
        self.pending.iter().find_map(|m| match m {
            Micro::Point(_, a) => Some(a),
            Micro::Move(_) => None,
        })
    }

    /// The next start index of the Filter.
    pub fn next_start(&self) -> u32 {
        self.next_start
    }

    fn plan_attempt(&mut self, pod: PodId, cx: &mut Context<'_>) {
        self.cycle += 1;
        let state = self.cluster.pod_state_mut(pod);
        state.attempts += 1;
        state.cycle = self.cycle;
        let attempts = state.attempts;
        let outcome = cycle::schedule(
            &self.cluster,
            &self.setup.profile,
            &self.setup.pdbs,
            pod,
            self.next_start,
            self.cycle,
            cx.rng(),
        );
        self.next_start = outcome.next_start;
        let attempt = Arc::new(outcome.attempt);
        self.stats.attempts += 1;
        self.record(pod, attempts, &attempt);
        let mut stages = vec![Stage::QueueSort, Stage::PreFilter, Stage::Filter];
        if attempt.selected.is_none() {
            stages.extend([Stage::PostFilter, Stage::Requeue]);
        } else {
            if attempt.table.is_some() {
                stages.extend([Stage::PreScore, Stage::Score, Stage::NormalizeScore]);
            }
            stages.extend([Stage::SelectHost, Stage::Reserve, Stage::Permit]);
        }
        for stage in stages {
            self.pending
                .push_back(Micro::Point(stage, Arc::clone(&attempt)));
        }
    }

    fn record(&mut self, pod: PodId, attempts: u32, attempt: &Arc<Attempt>) {
        let mut rejected = [0u32; Reason::ALL.len()];
        for (_, r) in &attempt.rejected {
            for reason in r.reasons() {
                rejected[reason as usize] += 1;
            }
        }
        let keep = self.setup.detailed || attempt.selected.is_none();
        let best = attempt.top(3);
        let mut top = [(0, 0); 3];
        top[..best.len()].copy_from_slice(&best);
        self.records[pod as usize] = PodRecord {
            attempts,
            node: attempt.selected.map(|s| s.node),
            top,
            top_len: best.len() as u8,
            rejected,
            evaluated: attempt.processed() as u32,
            last: keep.then(|| Arc::clone(attempt)),
        };
    }

    fn binding_cycle(&mut self, attempt: &Arc<Attempt>) {
        for stage in [
            Stage::WaitOnPermit,
            Stage::PreBind,
            Stage::Bind,
            Stage::PostBind,
        ] {
            self.pending
                .push_back(Micro::Point(stage, Arc::clone(attempt)));
        }
    }

    fn run_stage(&mut self, stage: Stage, attempt: Arc<Attempt>, cx: &mut Context<'_>) -> Point {
        let pod = attempt.pod;
        let node = attempt.selected.map(|s| s.node);
        match stage {
            Stage::QueueSort => {
                let state = self.cluster.pod_state(pod);
                Point::QueueSort {
                    priority: self.cluster.pod(pod).priority,
                    attempts: state.attempts,
                    left: self.queue.active_len() as u32,
                }
            }
            Stage::PreFilter => Point::PreFilter,
            Stage::Filter => Point::Filter,
            Stage::PostFilter => {
                if let Some(Preemption::Nominated {
                    candidates, chosen, ..
                }) = &attempt.preemption
                {
                    if let Some(c) = candidates.get(*chosen) {
                        self.preempt(pod, c.node, &c.victims, cx.now());
                    }
                }
                Point::PostFilter
            }
            Stage::PreScore => Point::PreScore,
            Stage::Score => Point::Score,
            Stage::NormalizeScore => Point::NormalizeScore,
            Stage::SelectHost => Point::SelectHost,
            Stage::Reserve => {
                if let Some(node) = node {
                    self.cluster.assume(pod, node);
                }
                Point::Reserve
            }
            Stage::Permit => Point::Permit(self.permit(&attempt, cx.now())),
            Stage::WaitOnPermit => Point::WaitOnPermit(None),
            Stage::TimedOut => Point::WaitOnPermit(Some(self.setup.profile.permit_timeout)),
            Stage::Unreserve => {
                self.cluster.forget(pod);
                Point::Unreserve
            }
            Stage::PreBind => Point::PreBind,
            Stage::Bind => {
                if let Some(node) = node {
                    self.cluster.bind(pod, node, cx.now());
                    self.stats.bound += 1;
                }
                Point::Bind
            }
            Stage::PostBind => Point::PostBind,
            Stage::Requeue => {
                let now = cx.now();
                let state = self.cluster.pod_state_mut(pod);
                state.timestamp = now;
                let (attempts, cycle) = (state.attempts, state.cycle);
                let backoff = backoff_duration(attempts);
                let place = self
                    .queue
                    .requeue(pod, cycle, now, now.plus(backoff), false);
                if attempt.selected.is_none() {
                    self.stats.unschedulable += 1;
                }
                Point::Requeued { place, backoff }
            }
        }
    }

    fn preempt(&mut self, preemptor: PodId, node: NodeId, victims: &[PodId], now: SimTime) {
        for &victim in victims {
            self.start_deletion(victim, now);
        }
        let priority = self.cluster.pod(preemptor).priority;
        let lower: Vec<PodId> = self
            .cluster
            .nominated_to(node)
            .iter()
            .copied()
            .filter(|p| self.cluster.pod(*p).priority < priority)
            .collect();
        for p in lower {
            self.cluster.nominate(p, None);
        }
        self.cluster.nominate(preemptor, Some(node));
        self.stats.preemptions += 1;
    }

    fn start_deletion(&mut self, pod: PodId, now: SimTime) {
        let grace = SimTime::from_secs(self.cluster.pod(pod).grace_s);
        self.waiting.remove(&pod);
        self.cluster.pod_state_mut(pod).phase = Phase::Terminating;
        self.timers.schedule(now.plus(grace), Timer::Gone(pod));
    }

    fn permit(&mut self, attempt: &Arc<Attempt>, now: SimTime) -> PermitOutcome {
        let profile = &self.setup.profile;
        let gang = self.cluster.pod(attempt.pod).gang.clone();
        let Some(gang) = gang.filter(|_| profile.enabled(Plugin::Coscheduling)) else {
            self.binding_cycle(attempt);
            return PermitOutcome::NoPlugin;
        };
        let in_gang = |c: &Cluster, id: PodId| c.pod(id).gang.as_deref() == Some(gang.as_str());
        let have = (0..self.cluster.pods.len() as PodId)
            .filter(|id| {
                in_gang(&self.cluster, *id)
                    && matches!(
                        self.cluster.pod_state(*id).phase,
                        Phase::Assumed | Phase::Bound
                    )
            })
            .count() as u32;
        let need = profile.gang_size;
        if have < need {
            let timeout = profile.permit_timeout;
            self.waiting.insert(attempt.pod, Arc::clone(attempt));
            self.timers.schedule(
                now.plus(timeout),
                Timer::PermitTimeout(attempt.pod, attempt.cycle),
            );
            return PermitOutcome::Wait {
                gang,
                have,
                need,
                timeout,
            };
        }
        let released: Vec<PodId> = self
            .waiting
            .keys()
            .copied()
            .filter(|id| in_gang(&self.cluster, *id))
            .collect();
        let mut names = Vec::new();
        for id in released {
            if let Some(waiting) = self.waiting.remove(&id) {
                names.push(waiting.pod_name.clone());
                self.binding_cycle(&waiting);
            }
        }
        self.binding_cycle(attempt);
        PermitOutcome::Allowed {
            gang,
            released: names,
        }
    }

    fn move_unschedulable(&mut self, cause: Cause, now: SimTime) -> SchedFact {
        let moved = self.queue.take_unschedulable(self.cycle);
        let pods = moved
            .into_iter()
            .map(|(pod, _)| {
                let place = self.requeue_place(pod, now);
                (self.cluster.pod(pod).name.clone(), place)
            })
            .collect();
        SchedFact::Moved { cause, pods }
    }

    /// Puts a moved pod into activeQ, or backoffQ while it still backs off.
    fn requeue_place(&mut self, pod: PodId, now: SimTime) -> Place {
        let state = self.cluster.pod_state(pod);
        let expiry = state.timestamp.plus(backoff_duration(state.attempts));
        if expiry > now {
            self.queue.push_backoff(pod, expiry);
            Place::Backoff
        } else {
            self.activate(pod);
            Place::Active
        }
    }

    fn activate(&mut self, pod: PodId) {
        let state = self.cluster.pod_state(pod);
        let (priority, timestamp) = (self.cluster.pod(pod).priority, state.timestamp);
        self.queue.push_active(pod, priority, timestamp);
    }

    fn apply_op(&mut self, op: &Op, now: SimTime) -> Option<SchedFact> {
        match op {
            Op::CreatePod(index) => {
                let pod = *index as PodId;
                let spec = self.cluster.pods.get(*index)?;
                let gates = spec.gates.clone();
                let name = spec.name.clone();
                let state = self.cluster.pod_state_mut(pod);
                if state.phase != Phase::NotCreated {
                    return None;
                }
                state.phase = Phase::Pending;
                state.timestamp = now;
                let gated = !gates.is_empty()
                    && !state.ungated
                    && self.setup.profile.enabled(Plugin::SchedulingGates);
                if gated {
                    self.queue.push_gated(pod);
                    Some(SchedFact::Cluster(Change::Gated(name, gates)))
                } else {
                    self.activate(pod);
                    Some(SchedFact::Cluster(Change::Enqueued(name)))
                }
            }
            Op::DeletePod(name) => {
                let pod = self.cluster.pod_named(name)?;
                match self.cluster.pod_state(pod).phase {
                    Phase::Pending => {
                        self.queue.remove(pod);
                        self.cluster.remove(pod);
                        Some(SchedFact::Cluster(Change::PendingDeleted(name.clone())))
                    }
                    Phase::Assumed | Phase::Bound => {
                        let node = self.cluster.pod_state(pod).node?;
                        self.start_deletion(pod, now);
                        Some(SchedFact::Cluster(Change::Deleting {
                            pod: name.clone(),
                            node: self.cluster.node_name(node).to_string(),
                            grace: SimTime::from_secs(self.cluster.pod(pod).grace_s),
                        }))
                    }
                    _ => None,
                }
            }
            Op::RemoveGates(name) => {
                let pod = self.cluster.pod_named(name)?;
                self.cluster.pod_state_mut(pod).ungated = true;
                if !self.queue.ungate(pod) {
                    return None;
                }
                self.activate(pod);
                Some(SchedFact::Cluster(Change::Ungated(name.clone())))
            }
            Op::AddNode(spec) => {
                if self.cluster.node_named(&spec.name).is_some() {
                    return None;
                }
                self.cluster.add_node(spec.clone());
                self.pending
                    .push_back(Micro::Move(Cause::NodeAdded(spec.name.clone())));
                Some(SchedFact::Cluster(Change::NodeAdded(spec.name.clone())))
            }
            Op::Cordon(name, on) => {
                let node = self.cluster.node_named(name)?;
                if self.cluster.node(node).unschedulable == *on {
                    return None;
                }
                self.cluster.cordon(node, *on);
                if !on {
                    self.pending
                        .push_back(Micro::Move(Cause::NodeUncordoned(name.clone())));
                }
                Some(SchedFact::Cluster(Change::Cordoned(name.clone(), *on)))
            }
        }
    }

    fn run_timer(&mut self, timer: Timer) -> Option<SchedFact> {
        match timer {
            Timer::Gone(pod) => {
                if self.cluster.pod_state(pod).phase != Phase::Terminating {
                    return None;
                }
                let node = self.cluster.pod_state(pod).node?;
                let node = self.cluster.node_name(node).to_string();
                self.cluster.remove(pod);
                let name = self.cluster.pod(pod).name.clone();
                self.pending
                    .push_back(Micro::Move(Cause::PodDeleted(name.clone())));
                Some(SchedFact::Cluster(Change::Gone { pod: name, node }))
            }
            Timer::PermitTimeout(pod, cycle) => {
                let attempt = self
                    .waiting
                    .get(&pod)
                    .filter(|a| a.cycle == cycle)
                    .cloned()?;
                self.waiting.remove(&pod);
                for stage in [Stage::TimedOut, Stage::Unreserve, Stage::Requeue] {
                    self.pending
                        .push_back(Micro::Point(stage, Arc::clone(&attempt)));
                }
                None
            }
        }
    }

    /// The next thing to do at `now` that makes a step, if any.
    fn next_fact(&mut self, cx: &mut Context<'_>) -> Option<SchedFact> {
        if let Some(micro) = self.pending.pop_front() {
            return Some(match micro {
                Micro::Point(stage, attempt) => {
                    let point = self.run_stage(stage, Arc::clone(&attempt), cx);
                    SchedFact::Point { point, attempt }
                }
                Micro::Move(cause) => self.move_unschedulable(cause, cx.now()),
            });
        }
        let now = cx.now();
        if let Some(op) = self.inputs.pop_front() {
            return self.apply_op(&op, now).or_else(|| self.next_fact(cx));
        }
        let setup = Arc::clone(&self.setup);
        if let Some(op) = setup.script.get(self.next_op).filter(|op| op.at <= now) {
            self.next_op += 1;
            return self.apply_op(&op.op, now).or_else(|| self.next_fact(cx));
        }
        if let Some((_, timer)) = self.timers.pop_due(now) {
            return self.run_timer(timer).or_else(|| self.next_fact(cx));
        }
        if self.queue.next_backoff_check().is_some_and(|t| t <= now) {
            let done = self.queue.take_backoff_done(now);
            let pods = done
                .into_iter()
                .map(|pod| {
                    self.activate(pod);
                    (self.cluster.pod(pod).name.clone(), Place::Active)
                })
                .collect();
            return Some(SchedFact::Moved {
                cause: Cause::BackoffDone,
                pods,
            });
        }
        if self.queue.next_flush().is_some_and(|t| t <= now) {
            let old = self.queue.take_flushed(now);
            let pods = old
                .into_iter()
                .map(|pod| {
                    let place = self.requeue_place(pod, now);
                    (self.cluster.pod(pod).name.clone(), place)
                })
                .collect();
            return Some(SchedFact::Moved {
                cause: Cause::Flush,
                pods,
            });
        }
        if let Some(pod) = self.queue.pop() {
            self.plan_attempt(pod, cx);
            return self.next_fact(cx);
        }
        None
    }

    /// When the next timed thing is due.
    fn next_time(&self) -> Option<SimTime> {
        [
            self.setup.script.get(self.next_op).map(|op| op.at),
            self.timers.next_time(),
            self.queue.next_backoff_check(),
            self.queue.next_flush(),
        ]
        .into_iter()
        .flatten()
        .min()
    }
}

impl Simulation for SchedulerSim {
    type Fact = SchedFact;
    type Input = SchedInput;

    fn step(&mut self, cx: &mut Context<'_>) -> Option<Event<SchedFact>> {
        loop {
            if let Some(fact) = self.next_fact(cx) {
                self.steps += 1;
                return Some(Event::new(cx.now(), fact));
            }
            let next = self.next_time().filter(|t| *t <= self.setup.horizon)?;
            cx.advance_to(next);
        }
    }

    fn handle(&mut self, _cx: &mut Context<'_>, input: &SchedInput) -> Result<(), InputError> {
        let op = input.check(&self.cluster)?;
        self.inputs.push_back(op);
        Ok(())
    }

    /// Every step is one unit: an extension point, a queue move or a script
    /// action, so a click point names the step it stops after.
    fn script_position(&self) -> usize {
        self.steps
    }
}

/// A node like `like` under the name `name` (its hostname label follows).
pub fn node_like(like: &NodeSpec, name: &str) -> NodeSpec {
    let mut spec = like.clone();
    spec.name = name.to_string();
    for (key, value) in &mut spec.labels {
        if key == crate::plugins::spread::HOSTNAME {
            *value = name.to_string();
        }
    }
    spec
}
