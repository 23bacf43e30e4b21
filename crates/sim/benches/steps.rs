//! Steps per second of every shipped scenario, run through the registry.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use simdeck_sim::{run_to_end, shipped, Registry};
use std::hint::black_box;

fn steps_per_second(c: &mut Criterion) {
    let registry = Registry::builtin();
    let mut group = c.benchmark_group("steps");
    for scenario in shipped() {
        let Ok(run) = run_to_end(
            &registry,
            scenario.path,
            scenario.source,
            None,
            sim_core::DEFAULT_STEP_LIMIT,
        ) else {
            panic!(
                "{} must run to its end: try `simdeck-sim check`",
                scenario.path
            );
        };
        let steps = run.trace.steps.len() as u64;
        group.throughput(Throughput::Elements(steps));
        group.bench_function(scenario.file_name, |b| {
            b.iter(|| {
                let loaded = registry
                    .load(scenario.path, black_box(scenario.source))
                    .map(|s| s.player(None));
                let mut player = loaded.expect("it loaded a moment ago");
                player.run_to_end(sim_core::DEFAULT_STEP_LIMIT);
                black_box(player.position())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, steps_per_second);
criterion_main!(benches);
