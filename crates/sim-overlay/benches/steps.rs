//! Steps per second of the overlay simulator on the shipped slide-18 and
//! slide-17 scenarios (mount operations, copy-ups, containers, commit).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sim_core::{Player, DEFAULT_STEP_LIMIT};
use std::hint::black_box;

const SCENARIOS: [(&str, &str); 2] = [
    (
        "overlay-mount.toml",
        include_str!("../../../slides/scenarios/overlay-mount.toml"),
    ),
    (
        "overlay-containers.toml",
        include_str!("../../../slides/scenarios/overlay-containers.toml"),
    ),
];

fn steps(c: &mut Criterion) {
    let mut group = c.benchmark_group("overlay");
    for (name, src) in SCENARIOS {
        let (header, sim) = sim_overlay::load(name, src).expect("shipped scenario loads");
        let mut probe = Player::new(sim.clone(), header.seed);
        probe.run_to_end(DEFAULT_STEP_LIMIT);
        group.throughput(Throughput::Elements(probe.position() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut player = Player::new(black_box(sim.clone()), header.seed);
                player.run_to_end(DEFAULT_STEP_LIMIT);
                player.position()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, steps);
criterion_main!(benches);
