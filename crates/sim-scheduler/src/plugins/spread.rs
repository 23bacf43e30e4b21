//! PodTopologySpread: hard constraints filter, soft constraints score.
//!
//! Contract: as kube-scheduler's `podtopologyspread` with the default
//! policies (nodeAffinityPolicy Honor, nodeTaintsPolicy Ignore): pods are
//! counted per domain over the nodes that have the constraint's topology
//! label and match the pod's node affinity; terminating pods do not count.
//! Filter: skew = count(node's domain) + self-match - min over domains must
//! not exceed maxSkew. Score per soft constraint: cnt * ln(domains + 2) +
//! (maxSkew - 1), rounded (the normalizing is in `normalize`).

use super::taints::affinity_matches;
use crate::cluster::{Cluster, NodeId, Phase};
use crate::model::{self, PodSpec, SpreadConstraint, WhenUnsatisfiable};
use crate::status::Reason;
use std::collections::BTreeMap;

/// The hostname label, whose domains are single nodes.
pub const HOSTNAME: &str = "kubernetes.io/hostname";

/// What the PreFilter counted for the hard constraints.
#[derive(Debug, Clone)]
pub struct SpreadFilter {
    constraints: Vec<(SpreadConstraint, BTreeMap<String, i64>, i64, i64)>,
}

fn count_matching(cluster: &Cluster, constraint: &SpreadConstraint, node: NodeId) -> i64 {
    cluster
        .pods_on(node)
        .filter(|(id, p)| {
            cluster.pod_state(*id).phase != Phase::Terminating
                && model::selector_matches(&constraint.selector, &p.labels)
        })
        .count() as i64
}

fn eligible(cluster: &Cluster, pod: &PodSpec, keys: &[&SpreadConstraint], node: NodeId) -> bool {
    let spec = cluster.node(node);
    keys.iter()
        .all(|c| model::label(&spec.labels, &c.topology_key).is_some())
        && affinity_matches(pod, spec)
}

/// The PreFilter: `None` (Skip) when the pod has no hard constraint.
pub fn prefilter(cluster: &Cluster, pod: &PodSpec) -> Option<SpreadFilter> {
    let hard: Vec<&SpreadConstraint> = pod
        .spread
        .iter()
        .filter(|c| c.when_unsatisfiable == WhenUnsatisfiable::DoNotSchedule)
        .collect();
    if hard.is_empty() {
        return None;
    }
    let constraints = hard
        .iter()
        .map(|c| {
            let mut counts: BTreeMap<String, i64> = BTreeMap::new();
            for node in 0..cluster.nodes.len() as NodeId {
                if !eligible(cluster, pod, &hard, node) {
                    continue;
                }
                if let Some(domain) = model::label(&cluster.node(node).labels, &c.topology_key) {
                    *counts.entry(domain.to_string()).or_insert(0) +=
                        count_matching(cluster, c, node);
                }
            }
            let min = counts.values().copied().min().unwrap_or(0);
            let self_match = i64::from(model::selector_matches(&c.selector, &pod.labels));
            ((*c).clone(), counts, min, self_match)
        })
        .collect();
    Some(SpreadFilter { constraints })
}

/// The Filter on `node`: the reason it breaks a hard constraint, if it does.
pub fn filter(state: &SpreadFilter, cluster: &Cluster, node: NodeId) -> Option<Reason> {
    let labels = &cluster.node(node).labels;
    for (c, counts, min, self_match) in &state.constraints {
        let Some(domain) = model::label(labels, &c.topology_key) else {
            return Some(Reason::SpreadMissingLabel);
        };
        let count = counts.get(domain).copied().unwrap_or(0);
        if count + self_match - min > c.max_skew {
            return Some(Reason::SpreadSkew);
        }
    }
    None
}

/// What the PreScore counted for the soft constraints.
#[derive(Debug, Clone)]
pub struct SpreadScore {
    constraints: Vec<(SpreadConstraint, BTreeMap<String, i64>, f64)>,
}

/// The PreScore over the `feasible` nodes: `None` (Skip) when the pod has no soft constraint.
pub fn prescore(cluster: &Cluster, pod: &PodSpec, feasible: &[NodeId]) -> Option<SpreadScore> {
    let soft: Vec<&SpreadConstraint> = pod
        .spread
        .iter()
        .filter(|c| c.when_unsatisfiable == WhenUnsatisfiable::ScheduleAnyway)
        .collect();
    if soft.is_empty() {
        return None;
    }
    let has_keys = |node: NodeId| {
        soft.iter()
            .all(|c| model::label(&cluster.node(node).labels, &c.topology_key).is_some())
    };
    let scored: Vec<NodeId> = feasible.iter().copied().filter(|n| has_keys(*n)).collect();
    let constraints = soft
        .iter()
        .map(|c| {
            let mut counts: BTreeMap<String, i64> = BTreeMap::new();
            for &node in &scored {
                if let Some(d) = model::label(&cluster.node(node).labels, &c.topology_key) {
                    counts.entry(d.to_string()).or_insert(0);
                }
            }
            let size = if c.topology_key == HOSTNAME {
                scored.len()
            } else {
                counts.len()
            };
            for node in 0..cluster.nodes.len() as NodeId {
                if !eligible(cluster, pod, &soft, node) {
                    continue;
                }
                if let Some(d) = model::label(&cluster.node(node).labels, &c.topology_key) {
                    if let Some(count) = counts.get_mut(d) {
                        *count += count_matching(cluster, c, node);
                    }
                }
            }
            ((*c).clone(), counts, ((size + 2) as f64).ln())
        })
        .collect();
    Some(SpreadScore { constraints })
}

/// The raw Score of `node`, or `None` when the node lacks a topology label (ignored).
pub fn score(state: &SpreadScore, cluster: &Cluster, node: NodeId) -> Option<i64> {
    let labels = &cluster.node(node).labels;
    let mut sum = 0.0;
    for (c, counts, weight) in &state.constraints {
        let domain = model::label(labels, &c.topology_key)?;
        let count = counts.get(domain).copied().unwrap_or(0);
        sum += count as f64 * weight + (c.max_skew - 1) as f64;
    }
    Some(sum.round() as i64)
}
