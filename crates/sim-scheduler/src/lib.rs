//! kube-scheduler simulated step by step (deck slides 19 and 20).
//!
//! Contract: follows section 3 of `semantics.md`. Pods pass PreEnqueue into
//! the scheduling queue (activeQ in PrioritySort order, backoffQ,
//! unschedulable pods with the periodic flush, moves on cluster events) and
//! are scheduled one at a time through every extension point of the
//! scheduling framework, one step each: PreFilter, Filter (per node, with
//! percentageOfNodesToScore and the rotating start), PostFilter
//! (DefaultPreemption), PreScore, Score, NormalizeScore, selectHost,
//! Reserve, Permit, then the binding cycle (WaitOnPermit, PreBind, Bind,
//! PostBind). Every step reports a [`SchedFact`] naming the
//! [`sim_core::Rule`] behind it (see [`rules`]), rendered only when shown.
//!
//! The public entry points are [`SIMULATOR`], [`Config`],
//! [`SchedulerSim::new`] and [`SchedInput`]. Feature `load` adds `load`,
//! which reads a TOML scenario into a validated [`Config`]; feature `json`
//! adds `sim_core::JsonState` for [`SchedulerSim`]: per pod, what
//! kube-scheduler-simulator records in its annotations.
//!
//! - [`model`]: resources, nodes, pods, taints, selectors, budgets;
//! - [`plugins`]: the default plugins' formulas;
//! - [`cycle`] and [`preemption`]: one attempt's decisions;
//! - [`queue`]: the scheduling queue;
//! - [`attempt`]: what an attempt found, and Kubernetes' message;
//! - [`workloads`]: scheduler_perf's SchedulingBasic, built in code.
//!
//! Where it is simpler than kube-scheduler (each visible in what it shows):
//! one namespace; no NodePorts, volume or DRA plugins (Reserve and PreBind
//! say VolumeBinding has nothing to do); PreFilter never narrows the node
//! set; image names are compared as written (no `docker.io/…:latest`
//! normalizing); InterPodAffinity scores only the incoming pod's preferred
//! terms, and preemption's dry run keeps the spread and affinity counts of
//! the whole cluster rather than recounting them without the victims; pods
//! waiting at Permit are not preemption victims; a cluster event moves
//! every unschedulable pod (no queueing hints); a pod's binding cycle runs
//! right after its Permit, before the next pod is popped.

pub mod attempt;
pub mod cluster;
pub mod config;
pub mod cycle;
pub mod fact;
mod input;
#[cfg(feature = "json")]
mod json;
pub mod model;
pub mod plugins;
pub mod preemption;
pub mod queue;
pub mod rules;
#[cfg(feature = "load")]
mod scenario;
mod sim;
pub mod status;
pub mod workloads;

pub use config::{Config, Op, Plugin, Profile, Strategy, TimedOp, SIMULATOR};
pub use fact::SchedFact;
pub use input::SchedInput;
#[cfg(feature = "load")]
pub use scenario::load;
pub use sim::{node_like, PodRecord, SchedulerSim, Stats};

/// A pod with no requests, labels or constraints, for unit tests.
#[cfg(test)]
pub(crate) fn testing_pod(name: &str) -> model::PodSpec {
    model::PodSpec::unconstrained(
        name,
        model::Container {
            image: "pause".into(),
            cpu: None,
            memory: None,
            ephemeral: None,
        },
    )
}
