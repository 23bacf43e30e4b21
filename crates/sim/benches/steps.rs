//! Steps per second of every shipped scenario, run through the registry.
//!
//! Each scenario is loaded once; an iteration plays it from step 0 to its end
//! with a [`sim_core::Player`] over the registry's [`simdeck_sim::AnySim`].

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use simdeck_sim::{shipped, Registry, STEP_LIMIT};
use std::hint::black_box;

fn steps_per_second(c: &mut Criterion) {
    let registry = Registry::builtin();
    let mut group = c.benchmark_group("steps");
    for shipped in shipped() {
        let scenario = match registry.load(shipped.path, shipped.source) {
            Ok(scenario) => scenario,
            Err(e) => panic!("{e}"),
        };
        let mut probe = scenario.player(None);
        assert!(
            probe.run_to_end(STEP_LIMIT),
            "{} does not finish",
            shipped.path
        );
        group.throughput(Throughput::Elements(probe.position() as u64));
        group.bench_function(shipped.file_name, |b| {
            b.iter(|| {
                let mut player = scenario.player(None);
                player.run_to_end(STEP_LIMIT);
                black_box(player.position())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, steps_per_second);
criterion_main!(benches);
