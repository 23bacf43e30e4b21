//! Runs scheduler_perf's SchedulingBasic (5,000 nodes, 1,000 placed, 10,000
//! pods by default) once with a summary-mode player and prints pods/s:
//! `cargo run --release -p sim-scheduler --example scheduling_basic -- [nodes placed pods]`.

use sim_core::{Player, PlayerConfig, Record};
use sim_scheduler::{workloads, SchedulerSim};
use std::time::Instant;

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let (nodes, placed, pods) = match args[..] {
        [n, p, m] => (n, p, m),
        _ => (5_000, 1_000, 10_000),
    };
    let config = workloads::scheduling_basic(nodes, placed, pods);
    let started = Instant::now();
    let summary = PlayerConfig {
        snapshot_every: 4096,
        max_snapshots: 16,
        record: Record::Summary,
    };
    let mut player = Player::with_config(SchedulerSim::new(config), 1, summary);
    player.run_to_end(usize::MAX);
    let seconds = started.elapsed().as_secs_f64();
    let stats = player.sim().stats();
    println!(
        "{nodes} nodes, {placed} placed, {pods} pods: {} bound, {} steps in {seconds:.3} s = {:.0} pods/s ({} snapshots kept)",
        stats.bound,
        player.position(),
        stats.bound as f64 / seconds,
        player.snapshot_count()
    );
}
