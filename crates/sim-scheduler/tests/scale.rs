//! scheduler_perf's SchedulingBasic shape at a reduced size: the summary a
//! pod keeps at scale, bounded memory, and the same answers as full detail.

use sim_core::{JsonState, Player, PlayerConfig, Record};
use sim_scheduler::status::Reason;
use sim_scheduler::{workloads, SchedulerSim};

fn summary_player(nodes: usize, placed: usize, pods: usize) -> Player<SchedulerSim> {
    let config = PlayerConfig {
        snapshot_every: 512,
        max_snapshots: 8,
        record: Record::Summary,
    };
    Player::with_config(
        SchedulerSim::new(workloads::scheduling_basic(nodes, placed, pods)),
        1,
        config,
    )
}

#[test]
fn every_pod_keeps_its_node_top_scores_and_rejections_not_the_tables() {
    // 400 nodes: 50 - 3 = 47 %, 188 nodes to find; 40 pods per node fit at most.
    let mut p = summary_player(400, 200, 600);
    assert!(p.run_to_end(usize::MAX));
    let sim = p.sim();
    assert_eq!(sim.stats().bound, 600);
    assert!(p.trace().is_empty(), "a summary player keeps no events");
    assert!(p.snapshot_count() <= 8);
    for record in &sim.records()[200..] {
        assert!(record.node.is_some());
        assert!(
            record.last.is_none(),
            "no full table for a bound pod at scale"
        );
        assert!((1..=3).contains(&record.top().len()));
        assert_eq!(
            record.top()[0].0,
            record.node.unwrap(),
            "the top score is the chosen node"
        );
        assert!(record.top().windows(2).all(|w| w[0].1 >= w[1].1));
        assert_eq!(
            record.evaluated, 188,
            "every node passes, so it stops at 188"
        );
        assert_eq!(record.rejected.iter().sum::<u32>(), 0);
    }
    let state = sim.state_json(p.now());
    let summary = &state["pods"]["pod-0"]["annotations"]["simdeck/summary"];
    assert_eq!(summary["nodes-evaluated"], 188);
    assert_eq!(summary["top-scores"].as_array().map(Vec::len), Some(3));
}

#[test]
fn a_full_cluster_counts_rejections_per_reason() {
    // 2 nodes of 4 CPU, 60 pods of 100m placed: 10 more fit on each, the
    // rest are rejected with Insufficient cpu on both nodes.
    let mut p = summary_player(2, 60, 30);
    p.run_to_end(usize::MAX);
    let sim = p.sim();
    assert_eq!(sim.stats().bound, 20);
    let last = &sim.records()[89];
    assert_eq!(last.node, None);
    assert_eq!(last.rejected[Reason::InsufficientCpu as usize], 2);
    assert_eq!(last.rejected.iter().sum::<u32>(), 2);
    let message = last.last.as_ref().and_then(|a| a.message()).unwrap();
    assert!(
        message.starts_with("0/2 nodes are available: 2 Insufficient cpu."),
        "{message}"
    );
}

#[test]
fn summary_and_full_records_make_the_same_decisions() {
    let mut summary = summary_player(150, 50, 100);
    summary.run_to_end(usize::MAX);
    let mut detailed_config = workloads::scheduling_basic(150, 50, 100);
    detailed_config.detailed = true;
    let mut full = Player::new(SchedulerSim::new(detailed_config), 1);
    full.run_to_end(usize::MAX);
    let nodes = |p: &Player<SchedulerSim>| {
        p.sim()
            .records()
            .iter()
            .map(|r| (r.node, r.top().to_vec()))
            .collect::<Vec<_>>()
    };
    assert_eq!(nodes(&summary), nodes(&full));
}
