//! Steps per second of the overlay simulator on the shipped slide-18 and
//! slide-17 scenarios (mount operations, copy-ups, containers, commit).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sim_core::Player;
use sim_overlay::OverlaySim;
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

/// More steps than either scenario takes.
const LIMIT: usize = 100_000;

fn steps(c: &mut Criterion) {
    let mut group = c.benchmark_group("overlay");
    for (name, src) in SCENARIOS {
        let (header, config) = sim_overlay::load(name, src).expect("shipped scenario loads");
        let sim = OverlaySim::new(config);
        let mut probe = Player::new(sim.clone(), header.seed);
        probe.run_to_end(LIMIT);
        group.throughput(Throughput::Elements(probe.position() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut player = Player::new(black_box(sim.clone()), header.seed);
                player.run_to_end(LIMIT);
                player.position()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, steps);
criterion_main!(benches);
