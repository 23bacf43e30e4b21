//! Workloads built in code, for benchmarks and scale tests.
//!
//! Contract: [`scheduling_basic`] is scheduler_perf's SchedulingBasic shape
//! (`test/integration/scheduler_perf/config/performance-config.yaml`):
//! nodes from `node-default.yaml` (4 CPU, 32 GiB, 110 pods), pods from
//! `pod-default.yaml` (100m CPU, 500 MiB, one pause container), the
//! initial pods already placed round-robin, the measured pods created at
//! time zero and scheduled with the default plugins. The config keeps a
//! summary per pod, not the full tables.

use crate::config::{Config, Op, Profile, TimedOp};
use crate::model::{Container, NodeSpec, PodSpec, Resources, MIB};
use crate::plugins::spread::HOSTNAME;
use sim_core::SimTime;

/// SchedulingBasic with `nodes` nodes, `placed` pods already running and
/// `measured` pods to schedule.
pub fn scheduling_basic(nodes: usize, placed: usize, measured: usize) -> Config {
    let node_specs: Vec<NodeSpec> = (0..nodes)
        .map(|i| {
            let name = format!("node-{i}");
            NodeSpec {
                labels: vec![(HOSTNAME.to_string(), name.clone())],
                name,
                allocatable: Resources {
                    milli_cpu: 4000,
                    memory: 32 * 1024 * MIB,
                    ephemeral: 100 * 1024 * MIB,
                },
                max_pods: 110,
                taints: Vec::new(),
                images: Vec::new(),
                unschedulable: false,
            }
        })
        .collect();
    let pod = |name: String, node_name: Option<String>| PodSpec {
        node_name,
        ..PodSpec::unconstrained(
            name,
            Container {
                image: "registry.k8s.io/pause:3.10".into(),
                cpu: Some(100),
                memory: Some(500 * MIB),
                ephemeral: None,
            },
        )
    };
    let mut pods: Vec<PodSpec> = (0..placed)
        .map(|i| {
            pod(
                format!("init-{i}"),
                Some(format!("node-{}", i % nodes.max(1))),
            )
        })
        .collect();
    let mut script = Vec::with_capacity(measured);
    for i in 0..measured {
        script.push(TimedOp {
            at: SimTime::ZERO,
            op: Op::CreatePod(pods.len()),
        });
        pods.push(pod(format!("pod-{i}"), None));
    }
    Config {
        nodes: node_specs,
        pods,
        pdbs: Vec::new(),
        profile: Profile::default(),
        script,
        horizon: SimTime::from_secs(600),
        detailed: false,
    }
}
