//! InterPodAffinity: required pod affinity and anti-affinity filter,
//! preferred terms score.
//!
//! Contract: as kube-scheduler's `interpodaffinity` for pods in one
//! namespace: the Filter checks, in order, existing pods' required
//! anti-affinity against this pod, this pod's required anti-affinity, and
//! its required affinity (a pod that matches its own affinity terms may go
//! first when no pod matches them yet). The Score adds each preferred term's
//! weight for every matching pod in the node's domain (anti-affinity
//! subtracts). Existing pods' preferred terms are not scored here.

use crate::cluster::{Cluster, NodeId, Phase};
use crate::model::{self, PodSpec, PodTerm};
use crate::status::{Code, Reason};
use std::collections::{BTreeMap, BTreeSet};

/// What the PreFilter found: the domains each required term sees.
#[derive(Debug, Clone)]
pub struct AffinityFilter {
    existing_anti: Vec<(String, String)>,
    anti: Vec<(String, BTreeSet<String>)>,
    affinity: Vec<(String, BTreeSet<String>)>,
    affinity_may_go_first: bool,
}

fn domains(cluster: &Cluster, term: &PodTerm) -> BTreeSet<String> {
    cluster
        .placed()
        .filter(|(id, _, p)| {
            cluster.pod_state(*id).phase != Phase::Terminating
                && model::selector_matches(&term.selector, &p.labels)
        })
        .filter_map(|(_, node, _)| {
            model::label(&cluster.node(node).labels, &term.topology_key).map(str::to_string)
        })
        .collect()
}

/// The PreFilter: `None` (Skip) when neither this pod nor any placed pod has required terms.
pub fn prefilter(cluster: &Cluster, pod: &PodSpec) -> Option<AffinityFilter> {
    let mut existing_anti = Vec::new();
    for (_, node, other) in cluster.placed_with_anti_affinity() {
        for term in &other.anti_affinity {
            if model::selector_matches(&term.selector, &pod.labels) {
                if let Some(v) = model::label(&cluster.node(node).labels, &term.topology_key) {
                    existing_anti.push((term.topology_key.clone(), v.to_string()));
                }
            }
        }
    }
    if existing_anti.is_empty() && pod.affinity.is_empty() && pod.anti_affinity.is_empty() {
        return None;
    }
    let see = |terms: &[PodTerm]| {
        terms
            .iter()
            .map(|t| (t.topology_key.clone(), domains(cluster, t)))
            .collect::<Vec<_>>()
    };
    let affinity = see(&pod.affinity);
    let affinity_may_go_first = affinity.iter().all(|(_, d)| d.is_empty())
        && pod
            .affinity
            .iter()
            .all(|t| model::selector_matches(&t.selector, &pod.labels));
    Some(AffinityFilter {
        existing_anti,
        anti: see(&pod.anti_affinity),
        affinity,
        affinity_may_go_first,
    })
}

/// The Filter on `node`: its code and reason when it breaks a rule.
pub fn filter(state: &AffinityFilter, cluster: &Cluster, node: NodeId) -> Option<(Code, Reason)> {
    let labels = &cluster.node(node).labels;
    let value = |key: &str| model::label(labels, key);
    if state
        .existing_anti
        .iter()
        .any(|(k, v)| value(k) == Some(v.as_str()))
    {
        return Some((Code::Unschedulable, Reason::ExistingAntiAffinity));
    }
    if state
        .anti
        .iter()
        .any(|(k, d)| value(k).is_some_and(|v| d.contains(v)))
    {
        return Some((Code::Unschedulable, Reason::PodAntiAffinity));
    }
    let affinity_ok = state.affinity.iter().all(|(k, d)| match value(k) {
        None => false,
        Some(v) => d.contains(v) || state.affinity_may_go_first,
    });
    (!affinity_ok).then_some((Code::UnschedulableAndUnresolvable, Reason::PodAffinity))
}

/// What the PreScore counted: per preferred term, its signed weight and matching pods per domain.
#[derive(Debug, Clone)]
pub struct AffinityScore {
    terms: Vec<(String, i64, BTreeMap<String, i64>)>,
}

/// The PreScore: `None` (Skip) when the pod has no preferred terms.
pub fn prescore(cluster: &Cluster, pod: &PodSpec) -> Option<AffinityScore> {
    if pod.preferred_affinity.is_empty() && pod.preferred_anti_affinity.is_empty() {
        return None;
    }
    let signed = pod
        .preferred_affinity
        .iter()
        .map(|t| (t, 1))
        .chain(pod.preferred_anti_affinity.iter().map(|t| (t, -1)));
    let terms = signed
        .map(|(term, sign)| {
            let mut counts = BTreeMap::new();
            for (id, node, other) in cluster.placed() {
                if cluster.pod_state(id).phase == Phase::Terminating
                    || !model::selector_matches(&term.selector, &other.labels)
                {
                    continue;
                }
                if let Some(v) = model::label(&cluster.node(node).labels, &term.topology_key) {
                    *counts.entry(v.to_string()).or_insert(0) += 1;
                }
            }
            (term.topology_key.clone(), sign * term.weight, counts)
        })
        .collect();
    Some(AffinityScore { terms })
}

/// The raw Score of `node`.
pub fn score(state: &AffinityScore, cluster: &Cluster, node: NodeId) -> i64 {
    let labels = &cluster.node(node).labels;
    state
        .terms
        .iter()
        .filter_map(|(key, weight, counts)| {
            let v = model::label(labels, key)?;
            Some(weight * counts.get(v).copied().unwrap_or(0))
        })
        .sum()
}
