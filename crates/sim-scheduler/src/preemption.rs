//! DefaultPreemption: the PostFilter that frees a node for a pod that fits
//! nowhere, by evicting pods of lower priority.
//!
//! Contract: as kube-scheduler's `defaultpreemption` and
//! `framework/preemption`: a pod with `preemptionPolicy: Never`, or whose
//! nominated node still has a lower-priority pod terminating, does not
//! preempt. Only nodes rejected as Unschedulable (not
//! UnschedulableAndUnresolvable) are tried, from a random offset, until
//! max(10 % of them, 100) candidates are found. On each node every
//! lower-priority pod is removed; if the pod still does not fit the node is
//! skipped; the removed pods are put back most important first (higher
//! priority, then earlier start), PDB-violating ones first, and those that
//! cannot be put back are the victims. The node is chosen by fewest PDB
//! violations, then lowest highest-victim priority, then smallest sum of
//! victim priorities, then fewest victims, then latest start of the most
//! important victims, then the first.

use crate::attempt::{Candidate, Criterion, NotEligible, Preemption};
use crate::cluster::{Cluster, NodeId, NodeUse, Phase, PodId};
use crate::model::{self, Budget};
use crate::plugins::Prepared;
use crate::status::{Code, Reason, Rejection};
use sim_core::sorted::sort_stable_by;
use sim_core::{SimRng, SimTime};
use std::cmp::Ordering;

/// At least this share of the potential nodes is dry-run (`minCandidateNodesPercentage`).
pub const MIN_CANDIDATE_NODES_PERCENTAGE: u32 = 10;
/// And at least this many (`minCandidateNodesAbsolute`).
pub const MIN_CANDIDATE_NODES_ABSOLUTE: u32 = 100;

/// Runs DefaultPreemption for the prepared pod, whose Filter rejected the nodes `rejected`.
pub fn preempt(
    prepared: &Prepared<'_>,
    rejected: &[(NodeId, Rejection)],
    rng: &mut SimRng,
) -> Preemption {
    let (cluster, pod) = (prepared.cluster, prepared.pod);
    if pod.never_preempt {
        return Preemption::NotEligible(NotEligible::PolicyNever);
    }
    if let Some(nominated) = cluster.pod_state(prepared.id).nominated {
        let resolvable = rejected
            .iter()
            .find(|(n, _)| *n == nominated)
            .is_none_or(|(_, r)| r.code != Code::UnschedulableAndUnresolvable);
        let terminating = cluster.pods_on(nominated).any(|(id, p)| {
            cluster.pod_state(id).phase == Phase::Terminating && p.priority < pod.priority
        });
        if resolvable && terminating {
            return Preemption::NotEligible(NotEligible::TerminatingOnNominated);
        }
    }
    let mut per_node: Vec<(NodeId, Reason)> = Vec::new();
    let mut potential: Vec<NodeId> = Vec::new();
    for (node, r) in rejected {
        if r.code == Code::Unschedulable {
            potential.push(*node);
        } else {
            per_node.push((*node, Reason::PreemptionNotHelpful));
        }
    }
    if potential.is_empty() {
        return Preemption::NoCandidates(per_node);
    }
    let count = potential.len() as u32;
    let offset = rng.below(u64::from(count)) as u32;
    let wanted = (count * MIN_CANDIDATE_NODES_PERCENTAGE / 100)
        .max(MIN_CANDIDATE_NODES_ABSOLUTE)
        .min(count);
    let (mut clean, mut violating) = (Vec::new(), Vec::new());
    for i in 0..count {
        let node = potential[((offset + i) % count) as usize];
        match select_victims(prepared, node) {
            Some(c) if c.pdb_violations == 0 => clean.push(c),
            Some(c) => violating.push(c),
            None => per_node.push((node, Reason::NoVictims)),
        }
        if !clean.is_empty() && (clean.len() + violating.len()) as u32 >= wanted {
            break;
        }
    }
    clean.extend(violating);
    if clean.is_empty() {
        return Preemption::NoCandidates(per_node);
    }
    let (chosen, criterion) = pick_one(cluster, &clean);
    Preemption::Nominated {
        candidates: clean,
        chosen,
        criterion,
        offset,
    }
}

/// `MoreImportantPod`: higher priority first, then the earlier start.
pub fn more_important(cluster: &Cluster, a: PodId, b: PodId) -> Ordering {
    let (pa, pb) = (cluster.pod(a).priority, cluster.pod(b).priority);
    pb.cmp(&pa).then_with(|| {
        let start = |id| cluster.pod_state(id).started.unwrap_or(SimTime(u64::MAX));
        start(a).cmp(&start(b))
    })
}

/// How many more pods each PodDisruptionBudget allows to be disrupted now.
pub fn disruptions_allowed(cluster: &Cluster, pdbs: &[model::Pdb]) -> Vec<i64> {
    pdbs.iter()
        .map(|pdb| {
            let (mut healthy, mut expected) = (0, 0);
            for (i, spec) in cluster.pods.iter().enumerate() {
                if !model::selector_matches(&pdb.selector, &spec.labels) {
                    continue;
                }
                match cluster.state[i].phase {
                    Phase::Bound => {
                        healthy += 1;
                        expected += 1;
                    }
                    Phase::Terminating | Phase::Assumed => expected += 1,
                    _ => {}
                }
            }
            let allowed = match pdb.budget {
                Budget::MinAvailable(min) => healthy - min,
                Budget::MaxUnavailable(max) => max - (expected - healthy),
            };
            allowed.max(0)
        })
        .collect()
}

/// `SelectVictimsOnNode`: the fewest pods to evict from `node` so the pod fits, if any.
pub fn select_victims(prepared: &Prepared<'_>, node: NodeId) -> Option<Candidate> {
    let cluster = prepared.cluster;
    let priority = prepared.pod.priority;
    let mut potential: Vec<PodId> = cluster
        .pods_on(node)
        .filter(|(id, p)| p.priority < priority && cluster.pod_state(*id).phase == Phase::Bound)
        .map(|(id, _)| id)
        .collect();
    let used = &cluster.usage[node as usize];
    let mut trial = NodeUse {
        requested: used.requested,
        non_zero: used.non_zero,
        pod_count: used.pod_count,
        pods: Vec::new(),
    };
    for &id in &potential {
        trial.requested = trial.requested.minus(cluster.pod(id).requests());
        trial.pod_count -= 1;
    }
    if prepared.filter_with(node, &trial).is_some() {
        return None;
    }
    sort_stable_by(&mut potential, |a, b| more_important(cluster, *a, *b));
    let pdbs = prepared.pdbs;
    let mut allowed = disruptions_allowed(cluster, pdbs);
    let (mut violating, mut clean) = (Vec::new(), Vec::new());
    for &id in &potential {
        let labels = &cluster.pod(id).labels;
        let mut violates = false;
        for (i, pdb) in pdbs.iter().enumerate() {
            if model::selector_matches(&pdb.selector, labels) {
                allowed[i] -= 1;
                violates |= allowed[i] < 0;
            }
        }
        if violates {
            violating.push(id);
        } else {
            clean.push(id);
        }
    }
    let mut victims = Vec::new();
    let mut pdb_violations = 0;
    for (id, violates) in violating
        .iter()
        .map(|id| (*id, true))
        .chain(clean.iter().map(|id| (*id, false)))
    {
        let request = cluster.pod(id).requests();
        trial.requested = trial.requested.plus(request);
        trial.pod_count += 1;
        if prepared.filter_with(node, &trial).is_some() {
            trial.requested = trial.requested.minus(request);
            trial.pod_count -= 1;
            victims.push(id);
            pdb_violations += u32::from(violates);
        }
    }
    sort_stable_by(&mut victims, |a, b| more_important(cluster, *a, *b));
    Some(Candidate {
        node,
        victims,
        pdb_violations,
    })
}

/// A criterion of the node choice as a score to maximize.
type CandidateScore<'a> = dyn Fn(&Candidate) -> i64 + 'a;

/// `pickOneNodeForPreemption`: the index of the chosen candidate and the criterion that decided.
pub fn pick_one(cluster: &Cluster, candidates: &[Candidate]) -> (usize, Criterion) {
    if candidates.len() == 1 {
        return (0, Criterion::OnlyCandidate);
    }
    if let Some(i) = candidates.iter().position(|c| c.victims.is_empty()) {
        return (i, Criterion::NoVictims);
    }
    let priority = |id: PodId| i64::from(cluster.pod(id).priority);
    let highest = |c: &Candidate| c.victims.first().map_or(i64::MIN, |v| priority(*v));
    let latest_start = |c: &Candidate| {
        let top = highest(c);
        c.victims
            .iter()
            .filter(|v| priority(**v) == top)
            .filter_map(|v| cluster.pod_state(*v).started)
            .min()
            .map_or(0, |t| t.as_nanos() as i64)
    };
    // Each criterion as a score to maximize, applied in order.
    let criteria: [(Criterion, &CandidateScore); 5] = [
        (Criterion::FewestPdbViolations, &|c| {
            -i64::from(c.pdb_violations)
        }),
        (Criterion::LowestHighestPriority, &|c| -highest(c)),
        (Criterion::SmallestPrioritySum, &|c| {
            -c.victims
                .iter()
                .map(|v| priority(*v) + i64::from(i32::MAX) + 1)
                .sum::<i64>()
        }),
        (Criterion::FewestVictims, &|c| -(c.victims.len() as i64)),
        (Criterion::LatestStart, &latest_start),
    ];
    let mut left: Vec<usize> = (0..candidates.len()).collect();
    for (criterion, score) in criteria {
        let best = left
            .iter()
            .map(|&i| score(&candidates[i]))
            .max()
            .unwrap_or(0);
        left.retain(|&i| score(&candidates[i]) == best);
        if left.len() == 1 {
            return (left[0], criterion);
        }
    }
    (left.first().copied().unwrap_or(0), Criterion::First)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NodeSpec;

    /// A cluster of one node with pods of the given (priority, start second).
    fn cluster(pods: &[(i32, u64)]) -> Cluster {
        let node = NodeSpec {
            name: "n".into(),
            allocatable: Default::default(),
            max_pods: 110,
            labels: Vec::new(),
            taints: Vec::new(),
            images: Vec::new(),
            unschedulable: false,
        };
        let specs = pods
            .iter()
            .enumerate()
            .map(|(i, (priority, _))| crate::model::PodSpec {
                priority: *priority,
                node_name: Some("n".into()),
                ..crate::testing_pod(&format!("p{i}"))
            })
            .collect();
        let mut c = Cluster::new(vec![node], specs);
        for (i, (_, start)) in pods.iter().enumerate() {
            c.pod_state_mut(i as PodId).started = Some(SimTime::from_secs(*start));
        }
        c
    }

    fn candidate(victims: &[PodId], pdb_violations: u32) -> Candidate {
        Candidate {
            node: 0,
            victims: victims.to_vec(),
            pdb_violations,
        }
    }

    #[test]
    fn the_node_choice_applies_the_criteria_in_order() {
        // Pods: 0 (prio 5, t0), 1 (prio 5, t9), 2 (prio 1, t0), 3 (prio 1, t0), 4 (prio 9, t0).
        let c = cluster(&[(5, 0), (5, 9), (1, 0), (1, 0), (9, 0)]);
        let cases: [(Vec<Candidate>, usize, Criterion); 7] = [
            (vec![candidate(&[0], 0)], 0, Criterion::OnlyCandidate),
            (
                vec![candidate(&[0], 0), candidate(&[], 0)],
                1,
                Criterion::NoVictims,
            ),
            (
                vec![candidate(&[2], 1), candidate(&[4], 0)],
                1,
                Criterion::FewestPdbViolations,
            ),
            (
                vec![candidate(&[4], 0), candidate(&[0], 0)],
                1,
                Criterion::LowestHighestPriority,
            ),
            (
                vec![candidate(&[0, 2, 3], 0), candidate(&[1, 2], 0)],
                1,
                Criterion::SmallestPrioritySum,
            ),
            (
                vec![candidate(&[0], 0), candidate(&[1], 0)],
                1,
                Criterion::LatestStart,
            ),
            (
                vec![candidate(&[2], 0), candidate(&[3], 0)],
                0,
                Criterion::First,
            ),
        ];
        for (candidates, want, criterion) in cases {
            assert_eq!(
                pick_one(&c, &candidates),
                (want, criterion),
                "{criterion:?}"
            );
        }
        // Each victim adds priority + 2^31 to the sum, as upstream, so with
        // equal highest priorities fewer victims already make a smaller sum.
        let d = cluster(&[(1, 0), (1, 0), (1, 0)]);
        let by_count = [candidate(&[0, 1], 0), candidate(&[2], 0)];
        assert_eq!(pick_one(&d, &by_count), (1, Criterion::SmallestPrioritySum));
    }

    #[test]
    fn more_important_is_higher_priority_then_earlier_start() {
        let c = cluster(&[(5, 3), (5, 1), (7, 9)]);
        let mut order = vec![0, 1, 2];
        order.sort_by(|a, b| more_important(&c, *a, *b));
        assert_eq!(order, [2, 1, 0]);
    }
}
