//! Steps per second of the logs simulator on a busy node: two pods writing,
//! frequent rotation and a node logging agent.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sim_core::Player;
use sim_logs::LogsSim;

/// More steps than the scenario takes.
const STEP_LIMIT: usize = 100_000;
use std::hint::black_box;

const SCENARIO: &str = r#"
[scenario]
title = "busy node"
simulator = "logs"
seed = 1

[node]
container_log_max_size = "4Ki"
container_log_max_files = 5
max_line_size = 120

[agent]
name = "fluent-bit"
poll_interval_ms = 2000

[[pods]]
name = "counter"
[[pods.containers]]
name = "count"

[[pods]]
namespace = "shop"
name = "web"
[[pods.containers]]
name = "nginx"

[[script]]
at_ms = 0
action = "write"
pod = "counter"
container = "count"
stream = "stdout"
text = "{i}: {date}"
repeat = 3000
every_ms = 100

[[script]]
at_ms = 50
action = "write"
pod = "shop/web"
container = "nginx"
stream = "stdout"
text = "10.0.0.{i} GET /cart 200 "
length = 200
repeat = 1000
every_ms = 300
"#;

fn steps(c: &mut Criterion) {
    let (header, config) = sim_logs::load("busy.toml", SCENARIO).unwrap();
    let sim = LogsSim::new(config);
    let mut probe = Player::new(sim.clone(), header.seed);
    probe.run_to_end(STEP_LIMIT);
    let total = probe.position() as u64;
    let mut group = c.benchmark_group("logs");
    group.throughput(Throughput::Elements(total));
    group.bench_function("busy-node", |b| {
        b.iter(|| {
            let mut p = Player::new(black_box(sim.clone()), header.seed);
            p.run_to_end(STEP_LIMIT);
            p.position()
        })
    });
    group.finish();
}

criterion_group!(benches, steps);
criterion_main!(benches);
