//! The scheduling cycle's decisions for one pod: PreFilter, Filter with
//! percentageOfNodesToScore and the rotating start, PostFilter
//! (DefaultPreemption), PreScore, Score, NormalizeScore and `selectHost`.
//!
//! Contract: [`schedule`] reads the cluster and changes nothing; the
//! simulator turns its [`Attempt`] into one step per extension point and
//! applies the effects at those steps. The random draws (the tie-break and
//! preemption's offset) come from the engine's stream, in a fixed order.

use crate::attempt::{Attempt, ScoreTable, Selection, Stop};
use crate::cluster::{Cluster, NodeId, PodId};
use crate::config::Profile;
use crate::model::Pdb;
use crate::plugins::{Prepared, Scoring};
use crate::preemption;
use sim_core::SimRng;
use std::sync::Arc;

/// Below this many nodes every node is looked at (`minFeasibleNodesToFind`).
pub const MIN_FEASIBLE_NODES_TO_FIND: u32 = 100;
/// The adaptive percentage never goes below this (`minFeasibleNodesPercentageToFind`).
pub const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND: u32 = 5;

/// `numFeasibleNodesToFind`: all of fewer than 100 nodes; else
/// `pct` = the configured percentage or max(5, 50 - n/125), and
/// max(100, n * pct / 100).
pub fn nodes_to_find(percentage: u32, all: u32) -> u32 {
    if all < MIN_FEASIBLE_NODES_TO_FIND || percentage >= 100 {
        return all;
    }
    let pct = if percentage == 0 {
        50u32
            .saturating_sub(all / 125)
            .max(MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND)
    } else {
        percentage
    };
    (all * pct / 100).max(MIN_FEASIBLE_NODES_TO_FIND)
}

/// What a cycle decided and where the next one starts looking.
pub struct Outcome {
    /// The attempt's record.
    pub attempt: Attempt,
    /// The start index for the next cycle.
    pub next_start: u32,
}

/// Runs the scheduling cycle of pod `id` on `cluster`, starting the Filter at node `start`.
pub fn schedule(
    cluster: &Cluster,
    profile: &Profile,
    pdbs: &[Pdb],
    id: PodId,
    start: u32,
    cycle: u64,
    rng: &mut SimRng,
) -> Outcome {
    let all = cluster.nodes.len() as u32;
    let (prepared, prefilter) = Prepared::new(cluster, profile, pdbs, id);
    let mut attempt = Attempt {
        pod: id,
        pod_name: cluster.pod(id).name.clone(),
        cycle,
        nodes: Arc::clone(&cluster.nodes),
        pods: Arc::clone(&cluster.pods),
        to_find: nodes_to_find(profile.percentage_of_nodes_to_score, all),
        start: if all == 0 { 0 } else { start % all },
        stop: Stop::AllNodes,
        prefilter,
        filters: prepared.filters().collect(),
        rejected: Vec::new(),
        feasible: Vec::new(),
        prescore: Vec::new(),
        table: None,
        selected: None,
        preemption: None,
    };
    let mut next_start = start;
    let nominated = cluster.pod_state(id).nominated;
    match nominated.filter(|n| prepared.filter(*n).is_none()) {
        Some(node) => {
            attempt.feasible.push(node);
            attempt.stop = Stop::NominatedNode;
        }
        None => {
            filter_nodes(&prepared, &mut attempt, all);
            if all > 0 {
                next_start = (attempt.start + attempt.processed() as u32) % all;
            }
        }
    }
    match attempt.feasible.len() {
        0 => {
            attempt.preemption = profile
                .enabled(crate::config::Plugin::DefaultPreemption)
                .then(|| preemption::preempt(&prepared, &attempt.rejected, rng));
        }
        1 => {
            attempt.selected = Some(Selection {
                node: attempt.feasible[0],
                total: 0,
                ties: 1,
                draw: 0,
            });
        }
        _ => score_nodes(&prepared, &mut attempt, rng),
    }
    Outcome {
        attempt,
        next_start,
    }
}

fn filter_nodes(prepared: &Prepared<'_>, attempt: &mut Attempt, all: u32) {
    for i in 0..all {
        if attempt.feasible.len() as u32 >= attempt.to_find {
            attempt.stop = Stop::FoundEnough;
            break;
        }
        let node: NodeId = (attempt.start + i) % all;
        match prepared.filter(node) {
            None => attempt.feasible.push(node),
            Some(rejection) => attempt.rejected.push((node, rejection)),
        }
    }
}

fn score_nodes(prepared: &Prepared<'_>, attempt: &mut Attempt, rng: &mut SimRng) {
    let scoring = Scoring::new(prepared, &attempt.feasible);
    let rows = attempt.feasible.len();
    let mut raw = vec![0i64; rows * scoring.plugins.len()];
    let mut ignored = Vec::new();
    for (c, &(plugin, _)) in scoring.plugins.iter().enumerate() {
        let column = &mut raw[c * rows..(c + 1) * rows];
        scoring.column(plugin, &attempt.feasible, column, &mut ignored);
    }
    let mut normalized = raw.clone();
    let mut totals = vec![0i64; rows];
    for (c, &(plugin, weight)) in scoring.plugins.iter().enumerate() {
        let column = &mut normalized[c * rows..(c + 1) * rows];
        if Scoring::normalizes(plugin) {
            Scoring::normalize(plugin, column, &ignored);
        }
        for (total, score) in totals.iter_mut().zip(column.iter()) {
            *total += score * weight;
        }
    }
    attempt.selected = select_host(&attempt.feasible, &totals, rng);
    attempt.prescore = scoring.prescore.clone();
    attempt.table = Some(ScoreTable {
        plugins: scoring.plugins.clone(),
        raw,
        normalized,
        totals,
    });
}

/// `selectHost`: the node with the highest total; ties broken uniformly at
/// random by reservoir sampling (one draw for each tie met, in node order).
pub fn select_host(nodes: &[NodeId], totals: &[i64], rng: &mut SimRng) -> Option<Selection> {
    let (&first, &first_total) = (nodes.first()?, totals.first()?);
    let mut best = Selection {
        node: first,
        total: first_total,
        ties: 1,
        draw: 0,
    };
    for (&node, &total) in nodes.iter().zip(totals).skip(1) {
        if total > best.total {
            best = Selection {
                node,
                total,
                ties: 1,
                draw: 0,
            };
        } else if total == best.total {
            best.ties += 1;
            if rng.below(u64::from(best.ties)) == 0 {
                best.node = node;
                best.draw = best.ties - 1;
            }
        }
    }
    Some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_to_find_follows_the_adaptive_default() {
        let cases = [
            // configured percentage, nodes, nodes to find
            (0, 4, 4),
            (0, 99, 99),
            (0, 100, 100),
            (0, 1000, 420), // 50 - 8 = 42 %
            (0, 5000, 500), // 50 - 40 = 10 %
            (0, 6000, 300), // 50 - 48 = 2 % → 5 %
            (0, 1500, 570), // 50 - 12 = 38 %
            (10, 500, 100), // 50 nodes, at least 100
            (30, 1000, 300),
            (100, 5000, 5000),
        ];
        for (pct, all, want) in cases {
            assert_eq!(nodes_to_find(pct, all), want, "{pct}% of {all}");
        }
    }

    #[test]
    fn select_host_picks_the_max_and_samples_ties_uniformly() {
        let mut rng = SimRng::new(1);
        let s = select_host(&[0, 1, 2], &[5, 9, 7], &mut rng).unwrap();
        assert_eq!((s.node, s.total, s.ties), (1, 9, 1));
        let mut wins = [0u32; 3];
        for _ in 0..3000 {
            let s = select_host(&[0, 1, 2, 3], &[9, 9, 1, 9], &mut rng).unwrap();
            assert_eq!(s.ties, 3);
            assert_ne!(s.node, 2);
            wins[[0, 1, 3].iter().position(|n| *n == s.node).unwrap()] += 1;
        }
        for w in wins {
            assert!((850..1150).contains(&w), "{wins:?}");
        }
    }
}
