//! The rules the scheduler simulator follows, one `const` per behaviour.
//!
//! Contract: every step names exactly one of these rules and [`ALL`] lists
//! every one; each `says` is one sentence a presenter can read aloud, and
//! each `source` names where kube-scheduler does it (semantics.md section 3
//! follows them).

use sim_core::Rule;

const QUEUE: &str = "kube-scheduler pkg/scheduler/backend/queue/scheduling_queue.go";
const SCHEDULE_ONE: &str = "kube-scheduler pkg/scheduler/schedule_one.go";
const FRAMEWORK: &str = "kube-scheduler pkg/scheduler/framework/runtime/framework.go";
const PREEMPTION: &str = "kube-scheduler pkg/scheduler/framework/preemption/preemption.go";

/// PreEnqueue: a pod with scheduling gates stays out of the active queue.
pub const PRE_ENQUEUE: Rule = Rule {
    id: "scheduler.pre-enqueue",
    says: "Before a pod enters the active queue every PreEnqueue plugin must agree; SchedulingGates keeps a pod with gates waiting until they are removed.",
    source: "kube-scheduler plugins/schedulinggates",
};

/// QueueSort: PrioritySort pops the highest priority, then the earliest.
pub const QUEUE_SORT: Rule = Rule {
    id: "scheduler.queue-sort",
    says: "The scheduler takes one pod at a time from the active queue: PrioritySort puts higher priority first, and among equals the pod that has waited longest.",
    source: "kube-scheduler plugins/queuesort/priority_sort.go",
};

/// PreFilter runs once per pod; Skip turns the paired Filter off.
pub const PRE_FILTER: Rule = Rule {
    id: "scheduler.pre-filter",
    says: "PreFilter plugins run once per pod and must all succeed; a plugin that returns Skip has nothing to check, so its Filter is not run.",
    source: FRAMEWORK,
};

/// Filter runs per node, stops at the first rejection, and at enough feasible nodes.
pub const FILTER: Rule = Rule {
    id: "scheduler.filter",
    says: "Filter plugins run on each node from a rotating start, and any non-success removes the node; with 100 nodes or more the search stops once percentageOfNodesToScore of them have passed.",
    source: SCHEDULE_ONE,
};

/// The nominated node is tried first.
pub const NOMINATED_FIRST: Rule = Rule {
    id: "scheduler.filter.nominated-node",
    says: "A pod that preempted before is first tried on its nominated node alone; if it passes there, no other node is looked at.",
    source: SCHEDULE_ONE,
};

/// PostFilter: DefaultPreemption when no node passed.
pub const POST_FILTER: Rule = Rule {
    id: "scheduler.post-filter",
    says: "PostFilter runs only when no node passed the Filter: DefaultPreemption looks for a node where evicting lower-priority pods would make the pod fit.",
    source: PREEMPTION,
};

/// Preemption picks victims and a node, and nominates the preemptor.
pub const PREEMPT: Rule = Rule {
    id: "scheduler.preemption",
    says: "On each candidate node all lower-priority pods are removed, then put back most important first, budget-protected ones first; those that no longer fit are the victims, and the node with the fewest budget violations, then the least important victims, wins.",
    source: PREEMPTION,
};

/// PreScore runs once per pod; Skip turns the paired Score off.
pub const PRE_SCORE: Rule = Rule {
    id: "scheduler.pre-score",
    says: "PreScore plugins run once over the feasible nodes; a plugin that returns Skip does not score this pod.",
    source: FRAMEWORK,
};

/// Score: each plugin scores each feasible node.
pub const SCORE: Rule = Rule {
    id: "scheduler.score",
    says: "Each Score plugin gives every feasible node a raw score by its own formula.",
    source: FRAMEWORK,
};

/// NormalizeScore and the weighted sum.
pub const NORMALIZE: Rule = Rule {
    id: "scheduler.normalize-score",
    says: "NormalizeScore brings each plugin's scores into 0 to 100, and a node's total is the sum of its normalized scores times the plugins' weights.",
    source: FRAMEWORK,
};

/// selectHost: the highest total; ties by reservoir sampling.
pub const SELECT_HOST: Rule = Rule {
    id: "scheduler.select-host",
    says: "The node with the highest total is chosen; nodes tied at the top are picked from uniformly at random, and a single feasible node is taken without scoring.",
    source: SCHEDULE_ONE,
};

/// Reserve: the pod is assumed on the node.
pub const RESERVE: Rule = Rule {
    id: "scheduler.reserve",
    says: "Reserve assumes the pod on the chosen node in the scheduler's cache, so the next pods see its requests there before the binding is written.",
    source: SCHEDULE_ONE,
};

/// Permit: approve, wait, or reject.
pub const PERMIT: Rule = Rule {
    id: "scheduler.permit",
    says: "Permit plugins approve the pod, make it wait with a timeout, or reject it; Coscheduling holds each pod of a gang until the whole gang has a place.",
    source: FRAMEWORK,
};

/// Unreserve on a later failure.
pub const UNRESERVE: Rule = Rule {
    id: "scheduler.unreserve",
    says: "When anything fails after Reserve, Unreserve runs in reverse order and the assumed pod is taken off the node again.",
    source: SCHEDULE_ONE,
};

/// WaitOnPermit: the binding cycle starts by waiting for Permit.
pub const WAIT_ON_PERMIT: Rule = Rule {
    id: "scheduler.wait-on-permit",
    says: "The binding cycle runs apart from the scheduling cycle and begins by waiting until every Permit plugin has allowed the pod.",
    source: SCHEDULE_ONE,
};

/// PreBind.
pub const PRE_BIND: Rule = Rule {
    id: "scheduler.pre-bind",
    says: "PreBind plugins prepare what the pod needs on the node, such as volumes, before the binding is written.",
    source: FRAMEWORK,
};

/// Bind: DefaultBinder writes the Binding.
pub const BIND: Rule = Rule {
    id: "scheduler.bind",
    says: "The first Bind plugin that does not skip binds the pod: DefaultBinder writes a Binding, setting the pod's nodeName.",
    source: "kube-scheduler plugins/defaultbinder",
};

/// PostBind.
pub const POST_BIND: Rule = Rule {
    id: "scheduler.post-bind",
    says: "PostBind plugins are told the pod is bound; they can only clean up.",
    source: FRAMEWORK,
};

/// An unschedulable pod goes back to the queue.
pub const UNSCHEDULABLE: Rule = Rule {
    id: "scheduler.unschedulable",
    says: "A pod that fits nowhere gets the message 0/N nodes are available with the reasons counted, and waits among the unschedulable pods; if a cluster event came during its cycle it backs off instead.",
    source: QUEUE,
};

/// Backoff: 1 s * 2^(attempts-1), capped at 10 s, checked every second.
pub const BACKOFF: Rule = Rule {
    id: "scheduler.queue.backoff",
    says: "A pod in the backoff queue waits 1 second times 2 to the power of its attempts minus one, at most 10 seconds, and goes back to the active queue at the next one-second check.",
    source: QUEUE,
};

/// Unschedulable pods flushed after 5 minutes, checked every 30 s.
pub const FLUSH: Rule = Rule {
    id: "scheduler.queue.flush",
    says: "Every 30 seconds, pods that have been unschedulable for more than 5 minutes are moved back to the active or backoff queue.",
    source: QUEUE,
};

/// A cluster event moves unschedulable pods.
pub const MOVE_ON_EVENT: Rule = Rule {
    id: "scheduler.queue.move",
    says: "A cluster event that may make pods schedulable, a node added or uncordoned or a pod deleted, moves unschedulable pods to the active queue, or to backoff if they are still backing off.",
    source: QUEUE,
};

/// A scripted change to the cluster.
pub const CLUSTER: Rule = Rule {
    id: "scheduler.cluster",
    says: "The cluster changes: a pod is created or deleted, a node joins or is cordoned, a gate is removed.",
    source: "Kubernetes API",
};

/// Graceful deletion: a deleted pod holds its node until its grace period ends.
pub const GRACEFUL_DELETION: Rule = Rule {
    id: "scheduler.graceful-deletion",
    says: "A deleted pod keeps running and holding its node's resources until its termination grace period ends; only then is it gone.",
    source: "Kubernetes pod termination",
};

/// Every rule, for documentation and tests.
pub const ALL: [&Rule; 24] = [
    &PRE_ENQUEUE,
    &QUEUE_SORT,
    &PRE_FILTER,
    &FILTER,
    &NOMINATED_FIRST,
    &POST_FILTER,
    &PREEMPT,
    &PRE_SCORE,
    &SCORE,
    &NORMALIZE,
    &SELECT_HOST,
    &RESERVE,
    &PERMIT,
    &UNRESERVE,
    &WAIT_ON_PERMIT,
    &PRE_BIND,
    &BIND,
    &POST_BIND,
    &UNSCHEDULABLE,
    &BACKOFF,
    &FLUSH,
    &MOVE_ON_EVENT,
    &CLUSTER,
    &GRACEFUL_DELETION,
];
