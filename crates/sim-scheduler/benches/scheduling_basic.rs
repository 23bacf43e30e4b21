//! Pods per second of scheduler_perf's SchedulingBasic shape: 5,000 nodes,
//! 1,000 pods already placed, then pods scheduled with the default plugins,
//! the player keeping only a summary (as the figure does at scale).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sim_core::{Player, PlayerConfig, Record};
use sim_scheduler::{workloads, SchedulerSim};
use std::hint::black_box;

const NODES: usize = 5_000;
const PLACED: usize = 1_000;
/// Fewer pods than the full 10,000 per iteration, so criterion's samples stay short.
const PODS: usize = 1_000;

fn summary() -> PlayerConfig {
    PlayerConfig {
        snapshot_every: 4096,
        max_snapshots: 16,
        record: Record::Summary,
    }
}

fn scheduling_basic(c: &mut Criterion) {
    let config = workloads::scheduling_basic(NODES, PLACED, PODS);
    let mut group = c.benchmark_group("scheduling_basic");
    group.sample_size(10);
    group.throughput(Throughput::Elements(PODS as u64));
    group.bench_function("5000 nodes, 1000 placed, 1000 pods", |b| {
        b.iter(|| {
            let mut player = Player::with_config(SchedulerSim::new(config.clone()), 1, summary());
            player.run_to_end(usize::MAX);
            assert_eq!(player.sim().stats().bound, PODS as u64);
            black_box(player.position())
        })
    });
    group.finish();
}

criterion_group!(benches, scheduling_basic);
criterion_main!(benches);
