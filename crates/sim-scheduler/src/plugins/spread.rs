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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NodeSpec;
    use crate::plugins::normalize::spread_normalize;

    /// Nodes with zone labels (`None`: no zone label) and, per node, how many `app=web` pods run there.
    fn cluster(zones: &[Option<&str>], web_pods: &[usize]) -> Cluster {
        let nodes = zones
            .iter()
            .enumerate()
            .map(|(i, z)| NodeSpec {
                name: format!("n{i}"),
                allocatable: Default::default(),
                max_pods: 110,
                labels: z
                    .iter()
                    .map(|z| ("zone".to_string(), z.to_string()))
                    .chain([(HOSTNAME.to_string(), format!("n{i}"))])
                    .collect(),
                taints: Vec::new(),
                images: Vec::new(),
                unschedulable: false,
            })
            .collect();
        let mut pods = Vec::new();
        for (n, count) in web_pods.iter().enumerate() {
            for k in 0..*count {
                pods.push(PodSpec {
                    labels: vec![("app".into(), "web".into())],
                    node_name: Some(format!("n{n}")),
                    ..crate::testing_pod(&format!("w{n}-{k}"))
                });
            }
        }
        Cluster::new(nodes, pods)
    }

    fn pod(max_skew: i64, when: WhenUnsatisfiable, key: &str) -> PodSpec {
        PodSpec {
            labels: vec![("app".into(), "web".into())],
            spread: vec![SpreadConstraint {
                max_skew,
                topology_key: key.into(),
                when_unsatisfiable: when,
                selector: vec![("app".into(), "web".into())],
            }],
            ..crate::testing_pod("new")
        }
    }

    #[test]
    fn the_filter_computes_the_skew_with_the_pod_itself() {
        // Zones a (n0: 2 pods), b (n1: 1 pod), c (n2: 0 pods); n3 has no zone.
        let c = cluster(&[Some("a"), Some("b"), Some("c"), None], &[2, 1, 0, 0]);
        let hard = pod(1, WhenUnsatisfiable::DoNotSchedule, "zone");
        let state = prefilter(&c, &hard).unwrap();
        // skew = count + 1 - min(0): a 3, b 2, c 1 against maxSkew 1.
        let verdicts: Vec<Option<Reason>> = (0..4).map(|n| filter(&state, &c, n)).collect();
        assert_eq!(
            verdicts,
            [
                Some(Reason::SpreadSkew),
                Some(Reason::SpreadSkew),
                None,
                Some(Reason::SpreadMissingLabel)
            ]
        );
        let looser = prefilter(&c, &pod(2, WhenUnsatisfiable::DoNotSchedule, "zone")).unwrap();
        assert_eq!(
            filter(&looser, &c, 1),
            None,
            "skew 2 is allowed with maxSkew 2"
        );
        assert!(prefilter(&c, &pod(1, WhenUnsatisfiable::ScheduleAnyway, "zone")).is_none());
    }

    #[test]
    fn the_score_is_count_times_ln_domains_plus_two_plus_skew_minus_one() {
        let c = cluster(&[Some("a"), Some("b"), Some("c"), None], &[2, 1, 0, 0]);
        let soft = pod(1, WhenUnsatisfiable::ScheduleAnyway, "zone");
        let feasible = [0, 1, 2, 3];
        let state = prescore(&c, &soft, &feasible).unwrap();
        // Three zones among the feasible nodes: weight ln(5) = 1.609...
        let raw: Vec<Option<i64>> = feasible.iter().map(|n| score(&state, &c, *n)).collect();
        assert_eq!(
            raw,
            [Some(3), Some(2), Some(0), None],
            "round(2 ln 5), round(ln 5), 0, ignored"
        );
        let mut scores: Vec<i64> = raw.iter().map(|s| s.unwrap_or(0)).collect();
        let ignored: Vec<bool> = raw.iter().map(Option::is_none).collect();
        spread_normalize(&mut scores, &ignored);
        // 100 * (max + min - s) / max with max 3, min 0.
        assert_eq!(scores, [0, 33, 100, 0]);
        let by_host = prescore(
            &c,
            &pod(3, WhenUnsatisfiable::ScheduleAnyway, HOSTNAME),
            &feasible,
        )
        .unwrap();
        // Hostname domains: the 4 feasible nodes, ln(6); plus maxSkew - 1 = 2.
        let raw: Vec<Option<i64>> = feasible.iter().map(|n| score(&by_host, &c, *n)).collect();
        assert_eq!(
            raw,
            [Some(6), Some(4), Some(2), Some(2)],
            "round(2 ln 6 + 2) = 6, round(ln 6 + 2) = 4"
        );
    }
}
