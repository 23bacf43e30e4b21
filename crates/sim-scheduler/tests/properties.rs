//! Invariants on random clusters: a bound pod fits its node at bind time, no
//! pod binds where a NoSchedule or NoExecute taint is not tolerated, the
//! chosen node has the top total, preemption evicts only lower priorities,
//! and equal seeds give equal traces.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use sim_core::{Player, SimTime};
use sim_scheduler::attempt::Preemption;
use sim_scheduler::fact::Point;
use sim_scheduler::model::{
    tolerated, Container, Effect, NodeSpec, PodSpec, Resources, Taint, Toleration, MIB,
};
use sim_scheduler::plugins::spread::HOSTNAME;
use sim_scheduler::{Config, Op, Profile, SchedFact, SchedulerSim, TimedOp};

#[derive(Debug, Clone)]
struct NodeGen {
    cpu: i64,
    memory_gi: i64,
    tainted: bool,
}

#[derive(Debug, Clone)]
struct PodGen {
    cpu: Option<i64>,
    memory_mi: Option<i64>,
    priority: i32,
    tolerates: bool,
    at: u64,
}

fn node_gen() -> impl Strategy<Value = NodeGen> {
    (1i64..=8, 1i64..=8, any::<bool>()).prop_map(|(cpu, memory_gi, tainted)| NodeGen {
        cpu: cpu * 500,
        memory_gi,
        tainted,
    })
}

fn pod_gen() -> impl Strategy<Value = PodGen> {
    (
        proptest::option::of(1i64..=8),
        proptest::option::of(1i64..=16),
        0i32..4,
        any::<bool>(),
        0u64..20,
    )
        .prop_map(|(cpu, memory_mi, priority, tolerates, at)| PodGen {
            cpu: cpu.map(|c| c * 250),
            memory_mi: memory_mi.map(|m| m * 256),
            priority: priority * 100,
            tolerates,
            at,
        })
}

fn pod(name: String, g: &PodGen, node_name: Option<String>) -> PodSpec {
    let tolerations = if g.tolerates {
        vec![Toleration {
            key: Some("dedicated".into()),
            exists: true,
            value: String::new(),
            effect: None,
        }]
    } else {
        Vec::new()
    };
    PodSpec {
        priority: g.priority,
        tolerations,
        node_name,
        grace_s: 3,
        ..PodSpec::unconstrained(
            name,
            Container {
                image: "app".into(),
                cpu: g.cpu,
                memory: g.memory_mi.map(|m| m * MIB),
                ephemeral: None,
            },
        )
    }
}

/// A cluster of `nodes`, the `placed` pods put where they fit (first node
/// with room), and the `pods` created by the script.
fn config(nodes: &[NodeGen], placed: &[PodGen], pods: &[PodGen]) -> Config {
    let specs: Vec<NodeSpec> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| NodeSpec {
            name: format!("n{i}"),
            allocatable: Resources {
                milli_cpu: n.cpu,
                memory: n.memory_gi * 1024 * MIB,
                ephemeral: 1 << 40,
            },
            max_pods: 4,
            labels: vec![(HOSTNAME.to_string(), format!("n{i}"))],
            taints: if n.tainted {
                vec![Taint {
                    key: "dedicated".into(),
                    value: "x".into(),
                    effect: Effect::NoSchedule,
                }]
            } else {
                Vec::new()
            },
            images: Vec::new(),
            unschedulable: false,
        })
        .collect();
    let mut used = vec![(Resources::default(), 0i64); specs.len()];
    let mut all = Vec::new();
    for (i, g) in placed.iter().enumerate() {
        let candidate = pod(format!("placed-{i}"), g, None);
        let req = candidate.requests();
        let home = specs.iter().enumerate().position(|(n, s)| {
            let after = used[n].0.plus(req);
            after.milli_cpu <= s.allocatable.milli_cpu
                && after.memory <= s.allocatable.memory
                && used[n].1 < s.max_pods
        });
        if let Some(n) = home {
            used[n] = (used[n].0.plus(req), used[n].1 + 1);
            all.push(pod(format!("placed-{i}"), g, Some(specs[n].name.clone())));
        }
    }
    let mut script = Vec::new();
    for (i, g) in pods.iter().enumerate() {
        script.push(TimedOp {
            at: SimTime::from_secs(g.at),
            op: Op::CreatePod(all.len()),
        });
        all.push(pod(format!("pod-{i}"), g, None));
    }
    Config {
        nodes: specs,
        pods: all,
        pdbs: Vec::new(),
        profile: Profile::default(),
        script,
        horizon: SimTime::from_secs(120),
        detailed: true,
    }
}

fn check_run(config: &Config, seed: u64) -> Result<(), TestCaseError> {
    let mut player = Player::new(SchedulerSim::new(config.clone()), seed);
    while player.forward().is_some() {
        let Some(event) = player.last_event() else {
            continue;
        };
        let SchedFact::Point { point, attempt } = &event.fact else {
            continue;
        };
        let sim = player.sim();
        let cluster = sim.cluster();
        match point {
            Point::Bind => {
                let node = attempt.selected.map(|s| s.node).unwrap();
                let (spec, usage) = (cluster.node(node), &cluster.usage[node as usize]);
                prop_assert!(usage.requested.milli_cpu <= spec.allocatable.milli_cpu);
                prop_assert!(usage.requested.memory <= spec.allocatable.memory);
                prop_assert!(usage.pod_count <= spec.max_pods);
                let pod = cluster.pod(attempt.pod);
                for taint in &spec.taints {
                    if taint.effect != Effect::PreferNoSchedule {
                        prop_assert!(
                            tolerated(&pod.tolerations, taint),
                            "{} on {}",
                            pod.name,
                            spec.name
                        );
                    }
                }
            }
            Point::SelectHost => {
                if let (Some(table), Some(selected)) = (&attempt.table, attempt.selected) {
                    let max = table.totals.iter().copied().max().unwrap();
                    prop_assert_eq!(selected.total, max);
                    let row = attempt
                        .feasible
                        .iter()
                        .position(|n| *n == selected.node)
                        .unwrap();
                    prop_assert_eq!(table.totals[row], max);
                }
            }
            Point::PostFilter => {
                if let Some(Preemption::Nominated { candidates, .. }) = &attempt.preemption {
                    let priority = cluster.pod(attempt.pod).priority;
                    for c in candidates {
                        for v in &c.victims {
                            prop_assert!(cluster.pod(*v).priority < priority);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn scheduling_keeps_its_invariants(
        nodes in proptest::collection::vec(node_gen(), 1..6),
        placed in proptest::collection::vec(pod_gen(), 0..8),
        pods in proptest::collection::vec(pod_gen(), 1..10),
        seed in any::<u64>(),
    ) {
        let config = config(&nodes, &placed, &pods);
        check_run(&config, seed)?;
    }

    #[test]
    fn equal_seeds_give_equal_traces(
        nodes in proptest::collection::vec(node_gen(), 1..5),
        pods in proptest::collection::vec(pod_gen(), 1..8),
        seed in any::<u64>(),
    ) {
        let config = config(&nodes, &[], &pods);
        let run = || {
            let mut p = Player::new(SchedulerSim::new(config.clone()), seed);
            p.run_to_end(100_000);
            p.to_trace().to_json()
        };
        prop_assert_eq!(run(), run());
    }
}
