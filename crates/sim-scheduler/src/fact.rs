//! What one step of the scheduler simulation did, as structured fields.
//!
//! Contract: [`SchedFact::detail`] renders the sentence a presenter reads,
//! only when asked; the steps of one scheduling attempt share its
//! [`Attempt`], so a step costs no copying and no formatting. Each fact
//! names exactly one rule of [`crate::rules`].

use crate::attempt::{Attempt, Preemption, Stop};
use crate::config::Plugin;
use crate::plugins::PluginStatus;
use crate::queue::Place;
use crate::rules;
use sim_core::{Fact, Rule, SimTime};
use std::fmt::Write as _;
use std::sync::Arc;

/// At most this many nodes are named one by one in a sentence; more are counted.
pub const NODES_NAMED: usize = 8;

/// What Permit decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PermitOutcome {
    /// No Permit plugin runs: allowed.
    NoPlugin,
    /// Coscheduling: the pod waits for its gang.
    Wait {
        /// Its gang.
        gang: String,
        /// Pods of the gang placed, with this one.
        have: u32,
        /// Pods the gang needs.
        need: u32,
        /// How long it may wait.
        timeout: SimTime,
    },
    /// Coscheduling: the gang is complete; the pods waiting are allowed too.
    Allowed {
        /// Its gang.
        gang: String,
        /// The pods released from waiting.
        released: Vec<String>,
    },
}

/// A point of a pod's scheduling or binding cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Point {
    /// Popped from activeQ.
    QueueSort {
        /// The pod's priority.
        priority: i32,
        /// Its attempt number.
        attempts: u32,
        /// Pods left in activeQ.
        left: u32,
    },
    /// PreFilter.
    PreFilter,
    /// Filter.
    Filter,
    /// PostFilter.
    PostFilter,
    /// PreScore.
    PreScore,
    /// Score.
    Score,
    /// NormalizeScore and the weighted totals.
    NormalizeScore,
    /// selectHost.
    SelectHost,
    /// Reserve.
    Reserve,
    /// Permit.
    Permit(PermitOutcome),
    /// WaitOnPermit: allowed (`None`) or timed out after the given wait.
    WaitOnPermit(Option<SimTime>),
    /// Unreserve.
    Unreserve,
    /// PreBind.
    PreBind,
    /// Bind.
    Bind,
    /// PostBind.
    PostBind,
    /// Back in the queue after a failure.
    Requeued {
        /// Where.
        place: Place,
        /// The backoff it has (from its attempts).
        backoff: SimTime,
    },
}

impl Point {
    fn rule(&self) -> &'static Rule {
        match self {
            Point::QueueSort { .. } => &rules::QUEUE_SORT,
            Point::PreFilter => &rules::PRE_FILTER,
            Point::Filter => &rules::FILTER,
            Point::PostFilter => &rules::POST_FILTER,
            Point::PreScore => &rules::PRE_SCORE,
            Point::Score => &rules::SCORE,
            Point::NormalizeScore => &rules::NORMALIZE,
            Point::SelectHost => &rules::SELECT_HOST,
            Point::Reserve => &rules::RESERVE,
            Point::Permit(_) => &rules::PERMIT,
            Point::WaitOnPermit(_) => &rules::WAIT_ON_PERMIT,
            Point::Unreserve => &rules::UNRESERVE,
            Point::PreBind => &rules::PRE_BIND,
            Point::Bind => &rules::BIND,
            Point::PostBind => &rules::POST_BIND,
            Point::Requeued { .. } => &rules::UNSCHEDULABLE,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Point::QueueSort { .. } => "queue-sort",
            Point::PreFilter => "pre-filter",
            Point::Filter => "filter",
            Point::PostFilter => "post-filter",
            Point::PreScore => "pre-score",
            Point::Score => "score",
            Point::NormalizeScore => "normalize-score",
            Point::SelectHost => "select-host",
            Point::Reserve => "reserve",
            Point::Permit(_) => "permit",
            Point::WaitOnPermit(_) => "wait-on-permit",
            Point::Unreserve => "unreserve",
            Point::PreBind => "pre-bind",
            Point::Bind => "bind",
            Point::PostBind => "post-bind",
            Point::Requeued { .. } => "unschedulable",
        }
    }
}

/// Why pods moved between parts of the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause {
    /// A node joined.
    NodeAdded(String),
    /// A node was uncordoned.
    NodeUncordoned(String),
    /// A pod was deleted.
    PodDeleted(String),
    /// Their backoff ended.
    BackoffDone,
    /// They had been unschedulable for more than 5 minutes.
    Flush,
}

/// A change to the cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A pod passed PreEnqueue into activeQ.
    Enqueued(String),
    /// A pod is held by its scheduling gates.
    Gated(String, Vec<String>),
    /// A pod's gates were removed.
    Ungated(String),
    /// A pending pod was deleted.
    PendingDeleted(String),
    /// A running pod's graceful deletion began (by the script or as a victim of `preemptor`).
    Deleting {
        /// The pod.
        pod: String,
        /// Its node.
        node: String,
        /// Its grace period.
        grace: SimTime,
    },
    /// A terminating pod is gone from its node.
    Gone {
        /// The pod.
        pod: String,
        /// Its node.
        node: String,
    },
    /// A node joined.
    NodeAdded(String),
    /// A node was cordoned (`true`) or uncordoned.
    Cordoned(String, bool),
}

/// One step of the scheduler simulation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchedFact {
    /// A point of a pod's cycles.
    Point {
        /// Which.
        point: Point,
        /// The attempt it belongs to.
        attempt: Arc<Attempt>,
    },
    /// Pods moved in the queue.
    Moved {
        /// Why.
        cause: Cause,
        /// Which pods, and where to.
        pods: Vec<(String, Place)>,
    },
    /// The cluster changed.
    Cluster(Change),
}

impl Fact for SchedFact {
    fn rule(&self) -> &'static Rule {
        match self {
            SchedFact::Point {
                point: Point::PostFilter,
                attempt,
            } => match attempt.preemption {
                Some(Preemption::Nominated { .. }) => &rules::PREEMPT,
                _ => &rules::POST_FILTER,
            },
            SchedFact::Point {
                point: Point::Filter,
                attempt,
            } if attempt.stop == Stop::NominatedNode => &rules::NOMINATED_FIRST,
            SchedFact::Point { point, .. } => point.rule(),
            SchedFact::Moved {
                cause: Cause::BackoffDone,
                ..
            } => &rules::BACKOFF,
            SchedFact::Moved {
                cause: Cause::Flush,
                ..
            } => &rules::FLUSH,
            SchedFact::Moved { .. } => &rules::MOVE_ON_EVENT,
            SchedFact::Cluster(Change::Enqueued(_) | Change::Gated(..) | Change::Ungated(_)) => {
                &rules::PRE_ENQUEUE
            }
            SchedFact::Cluster(Change::Deleting { .. } | Change::Gone { .. }) => {
                &rules::GRACEFUL_DELETION
            }
            SchedFact::Cluster(_) => &rules::CLUSTER,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            SchedFact::Point { point, .. } => point.kind(),
            SchedFact::Moved { .. } => "moved",
            SchedFact::Cluster(c) => match c {
                Change::Enqueued(_) => "enqueued",
                Change::Gated(..) => "gated",
                Change::Ungated(_) => "ungated",
                Change::PendingDeleted(_) => "deleted",
                Change::Deleting { .. } => "deleting",
                Change::Gone { .. } => "gone",
                Change::NodeAdded(_) => "node-added",
                Change::Cordoned(..) => "cordoned",
            },
        }
    }

    fn object(&self) -> String {
        match self {
            SchedFact::Point { attempt, .. } => format!("pod default/{}", attempt.pod_name),
            SchedFact::Moved { .. } => "scheduling queue".to_string(),
            SchedFact::Cluster(c) => match c {
                Change::Enqueued(p)
                | Change::Gated(p, _)
                | Change::Ungated(p)
                | Change::PendingDeleted(p)
                | Change::Deleting { pod: p, .. }
                | Change::Gone { pod: p, .. } => format!("pod default/{p}"),
                Change::NodeAdded(n) | Change::Cordoned(n, _) => format!("node {n}"),
            },
        }
    }

    fn detail(&self) -> String {
        match self {
            SchedFact::Point { point, attempt } => point_detail(point, attempt),
            SchedFact::Moved { cause, pods } => moved_detail(cause, pods),
            SchedFact::Cluster(c) => change_detail(c),
        }
    }
}

fn statuses(list: &[PluginStatus]) -> String {
    if list.is_empty() {
        return "no plugin runs".to_string();
    }
    list.iter()
        .map(|s| format!("{} {}", s.plugin.name(), s.code.name()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn names(a: &Attempt, nodes: &[u32]) -> String {
    let shown: Vec<&str> = nodes
        .iter()
        .take(NODES_NAMED)
        .map(|n| a.node_name(*n))
        .collect();
    let mut s = shown.join(", ");
    if nodes.len() > NODES_NAMED {
        let _ = write!(s, " and {} more", nodes.len() - NODES_NAMED);
    }
    s
}

fn point_detail(point: &Point, a: &Attempt) -> String {
    let pod = &a.pod_name;
    let chosen = a
        .selected
        .map(|s| a.node_name(s.node).to_string())
        .unwrap_or_default();
    match point {
        Point::QueueSort { priority, attempts, left } => format!(
            "PrioritySort pops {pod} (priority {priority}) from activeQ for attempt {attempts}; {left} pod(s) still wait there."
        ),
        Point::PreFilter => format!("PreFilter for {pod}: {}.", statuses(&a.prefilter)),
        Point::Filter => filter_detail(a),
        Point::PostFilter => postfilter_detail(a),
        Point::PreScore => format!("PreScore over {} feasible nodes: {}.", a.feasible.len(), statuses(&a.prescore)),
        Point::Score => score_detail(a, false),
        Point::NormalizeScore => score_detail(a, true),
        Point::SelectHost => match a.selected {
            Some(s) if a.table.is_none() => format!(
                "Only {} passed the Filter, so it is chosen without scoring.",
                a.node_name(s.node)
            ),
            Some(s) if s.ties > 1 => format!(
                "{} nodes tie at the top total {}; reservoir sampling with the seeded random stream keeps {} (tie {} of {}).",
                s.ties, s.total, a.node_name(s.node), s.draw + 1, s.ties
            ),
            Some(s) => format!("{} has the highest total, {}, and is chosen.", a.node_name(s.node), s.total),
            None => format!("No node is chosen for {pod}."),
        },
        Point::Reserve => format!(
            "Reserve: {pod} is assumed on {chosen}, so its requests count there for the next pods before the binding is written; VolumeBinding has no volume claims of it to reserve."
        ),
        Point::Permit(outcome) => match outcome {
            PermitOutcome::NoPlugin => format!("Permit: no Permit plugin objects, so {pod} is allowed."),
            PermitOutcome::Wait { gang, have, need, timeout } => format!(
                "Permit: Coscheduling returns Wait for {pod}: gang {gang} has {have} of {need} pods placed, so it waits at most {timeout}."
            ),
            PermitOutcome::Allowed { gang, released } if released.is_empty() => format!(
                "Permit: Coscheduling allows {pod}: gang {gang} is complete."
            ),
            PermitOutcome::Allowed { gang, released } => format!(
                "Permit: Coscheduling allows {pod}: gang {gang} is complete, so the waiting {} are allowed too.",
                released.join(", ")
            ),
        },
        Point::WaitOnPermit(None) => format!("Binding cycle of {pod}: WaitOnPermit returns Success, every Permit plugin allowed it."),
        Point::WaitOnPermit(Some(waited)) => format!(
            "Binding cycle of {pod}: WaitOnPermit returns Unschedulable, its Permit wait timed out after {waited}: rejected."
        ),
        Point::Unreserve => format!("Unreserve: {pod} is taken off {chosen} again."),
        Point::PreBind => format!("PreBind: VolumeBinding has no volume claims of {pod} to bind on {chosen}."),
        Point::Bind => format!("Bind: DefaultBinder binds {pod} to {chosen}, writing nodeName={chosen}."),
        Point::PostBind => format!("PostBind: {pod} runs on {chosen}; no PostBind plugin is configured."),
        Point::Requeued { place, backoff } => {
            let why = a.message().unwrap_or_else(|| "its Permit was rejected.".to_string());
            let nominated = match &a.preemption {
                Some(Preemption::Nominated { candidates, chosen, .. }) => candidates.get(*chosen).map(|c| a.node_name(c.node)),
                _ => None,
            };
            if let Some(node) = nominated {
                return format!(
                    "{pod} is unschedulable: {why} It waits in unschedulablePods, nominated to {node}, until the pod-deleted events of its victims move it back."
                );
            }
            match place {
                Place::Backoff => format!("{pod} is unschedulable: {why} A cluster event came during its cycle, so it backs off {backoff} in backoffQ."),
                _ => format!("{pod} is unschedulable: {why} It waits in unschedulablePods for a cluster event or the 5-minute flush."),
            }
        }
    }
}

fn filter_detail(a: &Attempt) -> String {
    let total = a.nodes.len();
    if a.stop == Stop::NominatedNode {
        return format!(
            "{} passes on its nominated node {}, so no other node is looked at.",
            a.pod_name,
            names(a, &a.feasible)
        );
    }
    let mut s = format!(
        "Filter ({}) looked at {} of {total} nodes from node {}",
        a.filters
            .iter()
            .map(|p| p.name())
            .collect::<Vec<_>>()
            .join(", "),
        a.processed(),
        a.start
    );
    if a.stop == Stop::FoundEnough {
        let _ = write!(
            s,
            ", stopping at {} feasible nodes (percentageOfNodesToScore)",
            a.to_find
        );
    }
    let _ = write!(s, ": {} passed", a.feasible.len());
    if !a.feasible.is_empty() {
        let _ = write!(s, " ({})", names(a, &a.feasible));
    }
    if a.rejected.is_empty() {
        s.push('.');
        return s;
    }
    if a.rejected.len() <= NODES_NAMED {
        let each: Vec<String> = a
            .rejected
            .iter()
            .map(|(n, r)| {
                format!(
                    "{} {} {}: {}",
                    a.node_name(*n),
                    r.plugin.name(),
                    r.code.name(),
                    r.texts(&a.nodes[*n as usize]).join(", ")
                )
            })
            .collect();
        let _ = write!(s, "; rejected {}.", each.join("; "));
    } else {
        let counts: Vec<String> = a
            .rejection_counts()
            .iter()
            .map(|(r, c)| format!("{c} {}", r.text()))
            .collect();
        let _ = write!(s, "; {} rejected: {}.", a.rejected.len(), counts.join(", "));
    }
    s
}

fn postfilter_detail(a: &Attempt) -> String {
    match &a.preemption {
        None => "PostFilter: DefaultPreemption is disabled, so nothing is done.".to_string(),
        Some(Preemption::Nominated {
            candidates,
            chosen,
            criterion,
            offset,
        }) => {
            let Some(c) = candidates.get(*chosen) else {
                return String::new();
            };
            let victims: Vec<String> = c
                .victims
                .iter()
                .filter_map(|v| a.pods.get(*v as usize))
                .map(|p| format!("{} (priority {})", p.name, p.priority))
                .collect();
            let others: Vec<String> = candidates
                .iter()
                .map(|c| format!("{} with {} victim(s)", a.node_name(c.node), c.victims.len()))
                .collect();
            format!(
                "DefaultPreemption dry-runs from offset {offset}: candidates {}. It picks {} because {}; evicts {} gracefully and sets nominatedNodeName={} on {}.",
                others.join(", "),
                a.node_name(c.node),
                criterion.says(),
                if victims.is_empty() { "nobody".to_string() } else { victims.join(", ") },
                a.node_name(c.node),
                a.pod_name
            )
        }
        Some(_) => format!(
            "PostFilter: DefaultPreemption finds no way: {}",
            a.postfilter_message().unwrap_or_default()
        ),
    }
}

fn score_detail(a: &Attempt, normalized: bool) -> String {
    let Some(table) = &a.table else {
        return String::new();
    };
    let rows = a.feasible.len();
    if rows > NODES_NAMED {
        let best = a.top(3);
        let tops: Vec<String> = best
            .iter()
            .map(|(n, t)| format!("{} {t}", a.node_name(*n)))
            .collect();
        return if normalized {
            format!(
                "NormalizeScore and weights over {rows} nodes; top totals: {}.",
                tops.join(", ")
            )
        } else {
            format!(
                "Score: {} plugins scored {rows} nodes ({}).",
                table.plugins.len(),
                table
                    .plugins
                    .iter()
                    .map(|(p, _)| p.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
    }
    let mut parts = Vec::new();
    for (r, node) in a.feasible.iter().enumerate() {
        let cells: Vec<String> = table
            .plugins
            .iter()
            .enumerate()
            .map(|(c, (p, w))| {
                if normalized {
                    format!("{} {}×{w}", short(*p), table.cell(&table.normalized, r, c))
                } else {
                    format!("{} {}", short(*p), table.cell(&table.raw, r, c))
                }
            })
            .collect();
        if normalized {
            parts.push(format!(
                "{} {} = {}",
                a.node_name(*node),
                cells.join(" + "),
                table.totals[r]
            ));
        } else {
            parts.push(format!("{} {}", a.node_name(*node), cells.join(", ")));
        }
    }
    if normalized {
        format!("Normalized score × weight: {}.", parts.join("; "))
    } else {
        format!("Raw scores: {}.", parts.join("; "))
    }
}

/// A plugin's short name in score sentences.
pub fn short(p: Plugin) -> &'static str {
    match p {
        Plugin::TaintToleration => "TaintToleration",
        Plugin::NodeAffinity => "NodeAffinity",
        Plugin::NodeResourcesFit => "Fit",
        Plugin::PodTopologySpread => "Spread",
        Plugin::InterPodAffinity => "InterPod",
        Plugin::NodeResourcesBalancedAllocation => "Balanced",
        Plugin::ImageLocality => "Image",
        other => other.name(),
    }
}

fn moved_detail(cause: &Cause, pods: &[(String, Place)]) -> String {
    let list: Vec<String> = pods
        .iter()
        .map(|(p, q)| format!("{p} → {}", q.name()))
        .collect();
    let why = match cause {
        Cause::NodeAdded(n) => format!("Node {n} joined"),
        Cause::NodeUncordoned(n) => format!("Node {n} was uncordoned"),
        Cause::PodDeleted(p) => format!("Pod {p} was deleted"),
        Cause::BackoffDone => "The one-second check finds their backoff over".to_string(),
        Cause::Flush => {
            "The 30-second check finds them unschedulable for more than 5 minutes".to_string()
        }
    };
    if list.is_empty() {
        format!("{why}; no pod was waiting to move.")
    } else {
        format!("{why}: {}.", list.join(", "))
    }
}

fn change_detail(c: &Change) -> String {
    match c {
        Change::Enqueued(p) => format!("{p} is created; every PreEnqueue plugin agrees, so it enters activeQ."),
        Change::Gated(p, gates) => format!(
            "{p} is created; SchedulingGates returns UnschedulableAndUnresolvable: waiting for scheduling gates: [{}].",
            gates.join(" ")
        ),
        Change::Ungated(p) => format!("{p}'s scheduling gates are removed; PreEnqueue now agrees and it enters activeQ."),
        Change::PendingDeleted(p) => format!("{p} is deleted before it was scheduled and leaves the queue."),
        Change::Deleting { pod, node, grace } => format!(
            "{pod} on {node} is deleted gracefully: it keeps its resources there for its grace period of {grace}."
        ),
        Change::Gone { pod, node } => format!("{pod}'s grace period is over; it is gone from {node}, freeing its resources."),
        Change::NodeAdded(n) => format!("Node {n} joins the cluster."),
        Change::Cordoned(n, true) => format!("Node {n} is cordoned (spec.unschedulable)."),
        Change::Cordoned(n, false) => format!("Node {n} is uncordoned."),
    }
}
