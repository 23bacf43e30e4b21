//! Steps per second of the cgroups simulator on the shipped scenarios: the
//! slide 10 hierarchy (periods, throttling, shares reports, OOM) and the
//! slide 8 session.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sim_cgroups::{load, CgroupSim};
use sim_core::Player;

/// The most steps one run may take.
const STEP_LIMIT: usize = 100_000;

const SCENARIOS: &[(&str, &str)] = &[
    (
        "cgroups-hierarchy.toml",
        include_str!("../../../slides/scenarios/cgroups-hierarchy.toml"),
    ),
    (
        "cgroups-deck-session.toml",
        include_str!("../../../slides/scenarios/cgroups-deck-session.toml"),
    ),
];

fn steps(c: &mut Criterion) {
    let mut group = c.benchmark_group("cgroups");
    for &(name, src) in SCENARIOS {
        let (header, config) = load(name, src).unwrap_or_else(|e| panic!("{e}"));
        let sim = CgroupSim::new(config);
        let mut probe = Player::new(sim.clone(), header.seed);
        probe.run_to_end(STEP_LIMIT);
        let total = probe.position() as u64;
        group.throughput(Throughput::Elements(total));
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut p = Player::new(sim.clone(), header.seed);
                p.run_to_end(STEP_LIMIT);
                p.position()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, steps);
criterion_main!(benches);
