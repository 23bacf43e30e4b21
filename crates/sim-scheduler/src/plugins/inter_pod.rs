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
use sim_core::SortedSet;
use std::collections::BTreeMap;

/// What the PreFilter found: the domains each required term sees.
#[derive(Debug, Clone)]
pub struct AffinityFilter {
    existing_anti: Vec<(String, String)>,
    anti: Vec<(String, SortedSet<String>)>,
    affinity: Vec<(String, SortedSet<String>)>,
    affinity_may_go_first: bool,
}

fn domains(cluster: &Cluster, term: &PodTerm) -> SortedSet<String> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NodeSpec;

    fn cluster(zones: &[&str], pods: &[(&str, usize)]) -> Cluster {
        let nodes = zones
            .iter()
            .enumerate()
            .map(|(i, z)| NodeSpec {
                name: format!("n{i}"),
                allocatable: Default::default(),
                max_pods: 110,
                labels: vec![("zone".to_string(), z.to_string())],
                taints: Vec::new(),
                images: Vec::new(),
                unschedulable: false,
            })
            .collect();
        let specs = pods
            .iter()
            .enumerate()
            .map(|(i, (app, node))| PodSpec {
                labels: vec![("app".into(), app.to_string())],
                node_name: Some(format!("n{node}")),
                ..crate::testing_pod(&format!("p{i}"))
            })
            .collect();
        Cluster::new(nodes, specs)
    }

    fn term(app: &str, weight: i64) -> PodTerm {
        PodTerm {
            selector: vec![("app".into(), app.into())],
            topology_key: "zone".into(),
            weight,
        }
    }

    #[test]
    fn preferred_terms_add_and_subtract_their_weight_per_matching_pod() {
        // n0, n1 in zone a; n2 in zone b. Two cache pods in a, one db pod in b.
        let c = cluster(&["a", "a", "b"], &[("cache", 0), ("cache", 1), ("db", 2)]);
        let pod = PodSpec {
            preferred_affinity: vec![term("cache", 10)],
            preferred_anti_affinity: vec![term("db", 30)],
            ..crate::testing_pod("new")
        };
        let state = prescore(&c, &pod).unwrap();
        let raw: Vec<i64> = (0..3).map(|n| score(&state, &c, n)).collect();
        assert_eq!(raw, [20, 20, -30]);
        let mut normalized = raw.clone();
        crate::plugins::normalize::min_max_normalize(&mut normalized);
        assert_eq!(normalized, [100, 100, 0]);
    }

    #[test]
    fn required_terms_filter_in_kubernetes_order() {
        let c = cluster(&["a", "b"], &[("db", 0)]);
        let apart = PodSpec {
            anti_affinity: vec![term("db", 0)],
            ..crate::testing_pod("new")
        };
        let state = prefilter(&c, &apart).unwrap();
        assert_eq!(
            filter(&state, &c, 0),
            Some((Code::Unschedulable, Reason::PodAntiAffinity))
        );
        assert_eq!(filter(&state, &c, 1), None);
        let near = PodSpec {
            affinity: vec![term("db", 0)],
            ..crate::testing_pod("new")
        };
        let state = prefilter(&c, &near).unwrap();
        assert_eq!(
            filter(&state, &c, 1),
            Some((Code::UnschedulableAndUnresolvable, Reason::PodAffinity))
        );
        // The first pod of a group that matches its own term may go anywhere.
        let first = PodSpec {
            labels: vec![("app".into(), "web".into())],
            affinity: vec![term("web", 0)],
            ..crate::testing_pod("new")
        };
        let state = prefilter(&c, &first).unwrap();
        assert_eq!(filter(&state, &c, 1), None);
        assert!(
            prefilter(&c, &crate::testing_pod("plain")).is_none(),
            "Skip without terms"
        );
    }
}
