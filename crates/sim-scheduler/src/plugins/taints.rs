//! TaintToleration, NodeUnschedulable's taint, and NodeAffinity.
//!
//! Contract: as kube-scheduler's `tainttoleration` and `nodeaffinity`
//! plugins: the Filter looks at NoSchedule and NoExecute taints and names the
//! first one not tolerated; the Score counts untolerated PreferNoSchedule
//! taints (normalized reversed); NodeAffinity filters on `nodeSelector` and
//! the required terms (any term) and scores the sum of matching preferred
//! weights.

use crate::model::{self, Effect, NodeSpec, PodSpec, Taint};

/// The taint a cordoned node has, which a pod may tolerate.
pub fn unschedulable_taint() -> Taint {
    Taint {
        key: "node.kubernetes.io/unschedulable".into(),
        value: String::new(),
        effect: Effect::NoSchedule,
    }
}

/// The index of the first NoSchedule / NoExecute taint of `node` that `pod` does not tolerate.
pub fn untolerated(pod: &PodSpec, node: &NodeSpec) -> Option<usize> {
    node.taints.iter().position(|t| {
        t.effect != Effect::PreferNoSchedule && !model::tolerated(&pod.tolerations, t)
    })
}

/// TaintToleration's raw score: how many PreferNoSchedule taints `pod` does not tolerate.
pub fn prefer_no_schedule_count(pod: &PodSpec, node: &NodeSpec) -> i64 {
    node.taints
        .iter()
        .filter(|t| {
            t.effect == Effect::PreferNoSchedule
                && !pod
                    .tolerations
                    .iter()
                    .filter(|tol| tol.effect.is_none_or(|e| e == Effect::PreferNoSchedule))
                    .any(|tol| tol.tolerates(t))
        })
        .count() as i64
}

/// Whether `pod` has a node selector or required node affinity (else NodeAffinity's PreFilter skips).
pub fn has_required_affinity(pod: &PodSpec) -> bool {
    !pod.node_selector.is_empty() || !pod.required_terms.is_empty()
}

/// Whether `node` matches `pod`'s node selector and one of its required terms.
pub fn affinity_matches(pod: &PodSpec, node: &NodeSpec) -> bool {
    model::selector_matches(&pod.node_selector, &node.labels)
        && (pod.required_terms.is_empty()
            || pod
                .required_terms
                .iter()
                .any(|t| model::term_matches(t, &node.labels)))
}

/// NodeAffinity's raw score: the sum of the weights of the preferred terms `node` matches.
pub fn preferred_affinity_score(pod: &PodSpec, node: &NodeSpec) -> i64 {
    pod.preferred_terms
        .iter()
        .filter(|(_, t)| model::term_matches(t, &node.labels))
        .map(|(w, _)| *w)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Operator, Requirement, Toleration};

    fn node(taints: &[(&str, Effect)], labels: &[(&str, &str)]) -> NodeSpec {
        NodeSpec {
            name: "n".into(),
            allocatable: Default::default(),
            max_pods: 110,
            labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            taints: taints
                .iter()
                .map(|(k, e)| Taint {
                    key: k.to_string(),
                    value: "v".into(),
                    effect: *e,
                })
                .collect(),
            images: Vec::new(),
            unschedulable: false,
        }
    }

    #[test]
    fn the_filter_names_the_first_untolerated_hard_taint() {
        let n = node(
            &[
                ("soft", Effect::PreferNoSchedule),
                ("a", Effect::NoSchedule),
                ("b", Effect::NoExecute),
            ],
            &[],
        );
        let mut pod = crate::testing_pod("p");
        assert_eq!(untolerated(&pod, &n), Some(1));
        pod.tolerations.push(Toleration {
            key: Some("a".into()),
            exists: true,
            value: String::new(),
            effect: None,
        });
        assert_eq!(untolerated(&pod, &n), Some(2));
        pod.tolerations.push(Toleration {
            key: None,
            exists: true,
            value: String::new(),
            effect: Some(Effect::NoExecute),
        });
        assert_eq!(untolerated(&pod, &n), None);
        assert_eq!(prefer_no_schedule_count(&pod, &n), 1);
    }

    #[test]
    fn node_affinity_filters_on_selector_and_any_required_term_and_sums_preferred_weights() {
        let n = node(&[], &[("zone", "a"), ("disk", "ssd")]);
        let term = |key: &str, value: &str| {
            vec![Requirement {
                key: key.into(),
                operator: Operator::In,
                values: vec![value.into()],
            }]
        };
        let mut pod = crate::testing_pod("p");
        assert!(!has_required_affinity(&pod));
        pod.required_terms = vec![term("zone", "b"), term("zone", "a")];
        assert!(affinity_matches(&pod, &n), "any term");
        pod.node_selector = vec![("disk".into(), "hdd".into())];
        assert!(!affinity_matches(&pod, &n), "and the selector");
        pod.preferred_terms = vec![
            (30, term("zone", "a")),
            (50, term("disk", "ssd")),
            (7, term("zone", "c")),
        ];
        assert_eq!(preferred_affinity_score(&pod, &n), 80);
    }
}
