//! What one scheduling attempt found, kept for its steps to show and for
//! the state JSON: per node Filter results, the Score table, the chosen
//! node with the tie-break, the preemption, and the message Kubernetes
//! writes when the pod fits nowhere.
//!
//! Contract: an [`Attempt`] is made once per scheduling cycle and shared
//! (`Arc`) by that cycle's steps; text is rendered only when asked for.
//! [`Attempt::message`] is `FitError.Error()` of kube-scheduler: `0/N nodes
//! are available: <count reason, ...sorted>.` then the PostFilter's message.

use crate::cluster::{NodeId, PodId};
use crate::config::Plugin;
use crate::model::{NodeSpec, PodSpec};
use crate::plugins::PluginStatus;
use crate::status::{Reason, Rejection};
use sim_core::sorted::sort_stable_by;
use sim_core::SortedMap;
use std::sync::Arc;

/// Why the Filter stopped where it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Every node was looked at.
    AllNodes,
    /// Enough feasible nodes were found (percentageOfNodesToScore).
    FoundEnough,
    /// The pod's nominated node passed, so no other node was looked at.
    NominatedNode,
}

/// The Score table over the feasible nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreTable {
    /// The Score plugins that ran, with their weights.
    pub plugins: Vec<(Plugin, i64)>,
    /// Raw scores, one column per plugin, each with one entry per feasible node.
    pub raw: Vec<i64>,
    /// Normalized scores, same layout.
    pub normalized: Vec<i64>,
    /// Each feasible node's total: the sum of normalized score * weight.
    pub totals: Vec<i64>,
}

impl ScoreTable {
    /// The cell of row `row` (a feasible node), column `column` (a plugin) of `cells`.
    pub fn cell(&self, cells: &[i64], row: usize, column: usize) -> i64 {
        cells
            .get(column * self.totals.len() + row)
            .copied()
            .unwrap_or(0)
    }
}

/// The node chosen and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    /// The node.
    pub node: NodeId,
    /// Its total score (0 when it was the only feasible node, unscored).
    pub total: i64,
    /// How many nodes shared the top total.
    pub ties: u32,
    /// Which of them the reservoir sampling kept (0-based, in node order).
    pub draw: u32,
}

/// Why a pod may not preempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotEligible {
    /// `preemptionPolicy: Never`.
    PolicyNever,
    /// A lower-priority pod on its nominated node is still terminating.
    TerminatingOnNominated,
}

/// A node where evicting pods would let the preemptor fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The node.
    pub node: NodeId,
    /// The pods to evict, most important first.
    pub victims: Vec<PodId>,
    /// How many of them their PodDisruptionBudget would rather keep.
    pub pdb_violations: u32,
}

/// The rule of `pickOneNodeForPreemption` that decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Criterion {
    /// Only one candidate.
    OnlyCandidate,
    /// A node needing no victims.
    NoVictims,
    /// Fewest PodDisruptionBudget violations.
    FewestPdbViolations,
    /// Lowest priority of its most important victim.
    LowestHighestPriority,
    /// Smallest sum of victims' priorities.
    SmallestPrioritySum,
    /// Fewest victims.
    FewestVictims,
    /// Latest start of its most important victims.
    LatestStart,
    /// The first candidate left.
    First,
}

impl Criterion {
    /// The criterion in words.
    pub fn says(self) -> &'static str {
        match self {
            Criterion::OnlyCandidate => "it is the only candidate",
            Criterion::NoVictims => "it needs no victims",
            Criterion::FewestPdbViolations => "it has the fewest PodDisruptionBudget violations",
            Criterion::LowestHighestPriority => "its most important victim has the lowest priority",
            Criterion::SmallestPrioritySum => "its victims' priorities have the smallest sum",
            Criterion::FewestVictims => "it has the fewest victims",
            Criterion::LatestStart => "its most important victims started latest",
            Criterion::First => "it is the first of the candidates left",
        }
    }
}

/// What DefaultPreemption did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Preemption {
    /// The pod may not preempt.
    NotEligible(NotEligible),
    /// No node would make room; per node why.
    NoCandidates(Vec<(NodeId, Reason)>),
    /// Victims chosen on a node; the preemptor is nominated there.
    Nominated {
        /// Every candidate, in the order they were found.
        candidates: Vec<Candidate>,
        /// Index of the chosen one.
        chosen: usize,
        /// The rule that chose it.
        criterion: Criterion,
        /// The random offset the dry run started at.
        offset: u32,
    },
}

/// One scheduling attempt of one pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// The pod.
    pub pod: PodId,
    /// Its name.
    pub pod_name: String,
    /// The scheduling cycle's number.
    pub cycle: u64,
    /// The nodes as they were (for names and taints).
    pub nodes: Arc<Vec<NodeSpec>>,
    /// The pods' specs (for victims' names and priorities).
    pub pods: Arc<Vec<PodSpec>>,
    /// How many feasible nodes the Filter looked for.
    pub to_find: u32,
    /// The node index the Filter started at.
    pub start: u32,
    /// Why it stopped.
    pub stop: Stop,
    /// PreFilter statuses.
    pub prefilter: Vec<PluginStatus>,
    /// The Filter plugins that ran.
    pub filters: Vec<Plugin>,
    /// Nodes the Filter rejected, in the order it looked at them.
    pub rejected: Vec<(NodeId, Rejection)>,
    /// Nodes that passed, in the order it looked at them.
    pub feasible: Vec<NodeId>,
    /// PreScore statuses (empty when nothing was scored).
    pub prescore: Vec<PluginStatus>,
    /// The Score table (none when fewer than two nodes passed).
    pub table: Option<ScoreTable>,
    /// The node chosen.
    pub selected: Option<Selection>,
    /// What the PostFilter did, when no node passed.
    pub preemption: Option<Preemption>,
}

impl Attempt {
    /// The name of node `id`.
    pub fn node_name(&self, id: NodeId) -> &str {
        self.nodes.get(id as usize).map_or("?", |n| n.name.as_str())
    }

    /// How many nodes the Filter looked at.
    pub fn processed(&self) -> usize {
        self.rejected.len() + self.feasible.len()
    }

    /// How many rejected nodes gave each reason.
    pub fn rejection_counts(&self) -> SortedMap<Reason, u32> {
        let mut counts = SortedMap::new();
        for (_, r) in &self.rejected {
            for reason in r.reasons() {
                *counts.get_or_insert_with(reason, || 0) += 1;
            }
        }
        counts
    }

    /// The reasons' histogram as kube-scheduler sorts it: `count reason`, sorted as strings.
    pub fn histogram(&self, per_node: impl Iterator<Item = (NodeId, Vec<String>)>) -> String {
        let mut counts: SortedMap<String, u32> = SortedMap::new();
        for (_, texts) in per_node {
            for text in texts {
                *counts.get_or_insert_with(text, || 0) += 1;
            }
        }
        let mut lines: Vec<String> = counts.iter().map(|(t, c)| format!("{c} {t}")).collect();
        sort_stable_by(&mut lines, Ord::cmp);
        lines.join(", ")
    }

    /// The pod's unschedulable message, when no node passed.
    pub fn message(&self) -> Option<String> {
        if !self.feasible.is_empty() || self.selected.is_some() {
            return None;
        }
        let total = self.nodes.len();
        let filters = self.histogram(
            self.rejected
                .iter()
                .map(|(n, r)| (*n, r.texts(&self.nodes[*n as usize]))),
        );
        let mut message = format!("0/{total} nodes are available:");
        if !filters.is_empty() {
            message.push_str(&format!(" {filters}."));
        }
        if let Some(post) = self.postfilter_message() {
            message.push_str(&format!(" {post}"));
        }
        Some(message)
    }

    /// DefaultPreemption's part of the message.
    pub fn postfilter_message(&self) -> Option<String> {
        Some(match self.preemption.as_ref()? {
            Preemption::NotEligible(NotEligible::PolicyNever) => {
                "preemption: not eligible due to preemptionPolicy=Never.".to_string()
            }
            Preemption::NotEligible(NotEligible::TerminatingOnNominated) => {
                "preemption: not eligible due to a terminating pod on the nominated node."
                    .to_string()
            }
            Preemption::NoCandidates(per_node) => {
                let hist = self.histogram(
                    per_node
                        .iter()
                        .map(|(n, r)| (*n, vec![r.text().to_string()])),
                );
                format!(
                    "preemption: 0/{} nodes are available: {hist}.",
                    self.nodes.len()
                )
            }
            Preemption::Nominated { .. } => return None,
        })
    }

    /// The top `k` feasible nodes by total, highest first: the chosen node
    /// first, then earlier in Filter order on ties.
    pub fn top(&self, k: usize) -> Vec<(NodeId, i64)> {
        let Some(table) = &self.table else {
            return self
                .selected
                .map(|s| vec![(s.node, s.total)])
                .unwrap_or_default();
        };
        let mut best: Vec<(NodeId, i64)> = Vec::with_capacity(k + 1);
        for (&node, &total) in self.feasible.iter().zip(&table.totals) {
            if best.len() == k && best.last().is_some_and(|(_, t)| *t >= total) {
                continue;
            }
            let at = best.partition_point(|(_, t)| *t >= total);
            best.insert(at, (node, total));
            best.truncate(k);
        }
        if let Some(s) = self.selected {
            best.retain(|(n, _)| *n != s.node);
            best.insert(0, (s.node, s.total));
            best.truncate(k);
        }
        best
    }
}
