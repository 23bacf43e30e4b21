//! What a scheduler simulation starts from: the cluster, the profile, and the
//! timed script.
//!
//! Contract: a [`Config`] is plain, serializable data. The loader (feature
//! `load`) builds only configs that passed validation: unique node and pod
//! names, script entries naming objects that exist, positive weights. A config
//! that did not pass never makes the simulator panic: a name it cannot find
//! makes its action do nothing.

use crate::model::{NodeSpec, Pdb, PodSpec};
use crate::plugins::spread::HOSTNAME;
use serde::{Deserialize, Serialize};
use sim_core::SimTime;
use sim_core::SortedSet;

/// The value of `scenario.simulator` in this simulator's files.
pub const SIMULATOR: &str = "scheduler";

/// A plugin of the scheduling framework.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Plugin {
    /// PreEnqueue: holds pods that have scheduling gates.
    SchedulingGates,
    /// QueueSort: higher priority first, then earlier.
    PrioritySort,
    /// Filter: cordoned nodes.
    NodeUnschedulable,
    /// Filter: `spec.nodeName`.
    NodeName,
    /// Filter and Score: taints and tolerations.
    TaintToleration,
    /// PreFilter, Filter, PreScore, Score: node selector and node affinity.
    NodeAffinity,
    /// PreFilter, Filter, PreScore, Score: requests against allocatable.
    NodeResourcesFit,
    /// PreFilter, Filter, PreScore, Score: topology spread constraints.
    PodTopologySpread,
    /// PreFilter, Filter, PreScore, Score: pod affinity and anti-affinity.
    InterPodAffinity,
    /// PreScore, Score: balance of CPU and memory use.
    NodeResourcesBalancedAllocation,
    /// Score: images already on the node.
    ImageLocality,
    /// PostFilter: preemption.
    DefaultPreemption,
    /// Permit: a gang of pods waits until all of it fits.
    Coscheduling,
    /// Bind: writes the Binding.
    DefaultBinder,
}

impl Plugin {
    /// Every plugin, in the order kube-scheduler's default profile lists them.
    pub const ALL: [Plugin; 14] = [
        Plugin::SchedulingGates,
        Plugin::PrioritySort,
        Plugin::NodeUnschedulable,
        Plugin::NodeName,
        Plugin::TaintToleration,
        Plugin::NodeAffinity,
        Plugin::NodeResourcesFit,
        Plugin::PodTopologySpread,
        Plugin::InterPodAffinity,
        Plugin::NodeResourcesBalancedAllocation,
        Plugin::ImageLocality,
        Plugin::DefaultPreemption,
        Plugin::Coscheduling,
        Plugin::DefaultBinder,
    ];

    /// The Score plugins, in the default profile's order.
    pub const SCORE: [Plugin; 7] = [
        Plugin::TaintToleration,
        Plugin::NodeAffinity,
        Plugin::NodeResourcesFit,
        Plugin::PodTopologySpread,
        Plugin::InterPodAffinity,
        Plugin::NodeResourcesBalancedAllocation,
        Plugin::ImageLocality,
    ];

    /// The plugin's name as kube-scheduler spells it.
    pub fn name(self) -> &'static str {
        match self {
            Plugin::SchedulingGates => "SchedulingGates",
            Plugin::PrioritySort => "PrioritySort",
            Plugin::NodeUnschedulable => "NodeUnschedulable",
            Plugin::NodeName => "NodeName",
            Plugin::TaintToleration => "TaintToleration",
            Plugin::NodeAffinity => "NodeAffinity",
            Plugin::NodeResourcesFit => "NodeResourcesFit",
            Plugin::PodTopologySpread => "PodTopologySpread",
            Plugin::InterPodAffinity => "InterPodAffinity",
            Plugin::NodeResourcesBalancedAllocation => "NodeResourcesBalancedAllocation",
            Plugin::ImageLocality => "ImageLocality",
            Plugin::DefaultPreemption => "DefaultPreemption",
            Plugin::Coscheduling => "Coscheduling",
            Plugin::DefaultBinder => "DefaultBinder",
        }
    }

    /// The plugin called `name`, if there is one.
    pub fn named(name: &str) -> Option<Plugin> {
        Plugin::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The default Score weight: TaintToleration 3, NodeAffinity,
    /// PodTopologySpread and InterPodAffinity 2, the others 1.
    pub fn default_weight(self) -> i64 {
        match self {
            Plugin::TaintToleration => 3,
            Plugin::NodeAffinity | Plugin::PodTopologySpread | Plugin::InterPodAffinity => 2,
            _ => 1,
        }
    }

    /// Whether the plugin has a Score extension point.
    pub fn scores(self) -> bool {
        Plugin::SCORE.contains(&self)
    }
}

/// How NodeResourcesFit scores a node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Strategy {
    /// Prefers the emptiest node (the default).
    LeastAllocated,
    /// Prefers the fullest node (bin packing).
    MostAllocated,
    /// A broken-line function of utilization: (utilization 0-100, score 0-10) points.
    RequestedToCapacityRatio(Vec<(i64, i64)>),
}

impl Strategy {
    /// The strategy's name as the scoringStrategy `type` spells it.
    pub fn name(&self) -> &'static str {
        match self {
            Strategy::LeastAllocated => "LeastAllocated",
            Strategy::MostAllocated => "MostAllocated",
            Strategy::RequestedToCapacityRatio(_) => "RequestedToCapacityRatio",
        }
    }
}

/// A scheduling profile: which plugins run, with which weights.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// Its `schedulerName`.
    pub name: String,
    /// Plugins turned off.
    pub disabled: Vec<Plugin>,
    /// The weight of each Score plugin, in [`Plugin::SCORE`] order.
    pub weights: [i64; 7],
    /// NodeResourcesFit's scoring strategy.
    pub strategy: Strategy,
    /// `percentageOfNodesToScore`; 0 means the adaptive default.
    pub percentage_of_nodes_to_score: u32,
    /// How long the Coscheduling Permit lets a pod wait for its gang.
    pub permit_timeout: SimTime,
    /// How many pods make a gang complete (Coscheduling's minMember).
    pub gang_size: u32,
}

impl Default for Profile {
    /// kube-scheduler's `default-scheduler` profile.
    fn default() -> Self {
        Profile {
            name: "default-scheduler".into(),
            disabled: Vec::new(),
            weights: Plugin::SCORE.map(Plugin::default_weight),
            strategy: Strategy::LeastAllocated,
            percentage_of_nodes_to_score: 0,
            permit_timeout: SimTime::from_secs(10),
            gang_size: 0,
        }
    }
}

impl Profile {
    /// Whether `plugin` runs in this profile (Coscheduling only when a gang size is set).
    pub fn enabled(&self, plugin: Plugin) -> bool {
        !self.disabled.contains(&plugin) && (plugin != Plugin::Coscheduling || self.gang_size > 0)
    }

    /// The weight of Score plugin `plugin`.
    pub fn weight(&self, plugin: Plugin) -> i64 {
        Plugin::SCORE
            .iter()
            .position(|p| *p == plugin)
            .map_or(0, |i| self.weights[i])
    }
}

/// One action of the script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    /// A pod is created (index into [`Config::pods`]).
    CreatePod(usize),
    /// A pod is deleted (gracefully, after its grace period).
    DeletePod(String),
    /// A pod's scheduling gates are removed.
    RemoveGates(String),
    /// A node joins the cluster.
    AddNode(NodeSpec),
    /// A node is cordoned (`true`) or uncordoned.
    Cordon(String, bool),
}

/// An action at a virtual time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimedOp {
    /// When.
    pub at: SimTime,
    /// What.
    pub op: Op,
}

/// Everything a simulation starts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    /// The nodes at the start.
    pub nodes: Vec<NodeSpec>,
    /// Every pod: those with `node_name` run from the start, the others are
    /// created by the script.
    pub pods: Vec<PodSpec>,
    /// PodDisruptionBudgets.
    pub pdbs: Vec<Pdb>,
    /// The scheduling profile.
    pub profile: Profile,
    /// The script, in time order.
    pub script: Vec<TimedOp>,
    /// The run stops at this virtual time (the queue's flushes go on forever).
    pub horizon: SimTime,
    /// Keep every attempt's full tables (else only a summary per pod).
    pub detailed: bool,
}

impl sim_core::Tunable for Config {
    fn knob(&self, knob: &str) -> Result<i64, String> {
        match knob.split_once(' ') {
            Some(("weight", plugin)) => score_plugin(plugin).map(|p| self.profile.weight(p)),
            Some(("cpu", pod)) => self
                .pods
                .iter()
                .find(|p| p.name == pod)
                .and_then(|p| p.containers.first())
                .map(|c| c.cpu.unwrap_or(0))
                .ok_or_else(|| format!("no pod `{pod}` with a container")),
            Some(("nodes", like)) if like.starts_with("like ") => Ok(self.nodes.len() as i64),
            _ => Err(unknown_knob(knob)),
        }
    }

    fn set_knob(&mut self, knob: &str, value: i64) -> Result<(), String> {
        match knob.split_once(' ') {
            Some(("weight", plugin)) => {
                let plugin = score_plugin(plugin)?;
                if value < 1 {
                    return Err(format!(
                        "a score weight must be at least 1, and {value} is not"
                    ));
                }
                if let Some(i) = Plugin::SCORE.iter().position(|p| *p == plugin) {
                    self.profile.weights[i] = value;
                }
                Ok(())
            }
            Some(("cpu", pod)) => {
                if value < 0 {
                    return Err("a CPU request cannot be negative".into());
                }
                let container = self
                    .pods
                    .iter_mut()
                    .find(|p| p.name == pod)
                    .and_then(|p| p.containers.first_mut())
                    .ok_or_else(|| format!("no pod `{pod}` with a container"))?;
                container.cpu = Some(value);
                Ok(())
            }
            Some(("nodes", like)) if like.starts_with("like ") => {
                self.grow_nodes(&like["like ".len()..], value)
            }
            _ => Err(unknown_knob(knob)),
        }
    }
}

impl Config {
    /// Grows the cluster to `count` nodes with empty copies of node
    /// `template` (same resources, labels, taints and images, none of its
    /// pods), named `<template>-2`, `<template>-3`, … with their own
    /// hostname label, after the scenario's nodes.
    fn grow_nodes(&mut self, template: &str, count: i64) -> Result<(), String> {
        let have = self.nodes.len();
        let Some(model) = self.nodes.iter().find(|n| n.name == template).cloned() else {
            return Err(format!("no node `{template}` to copy"));
        };
        let wanted = usize::try_from(count).unwrap_or(0);
        if wanted < have {
            return Err(format!(
                "the cluster has {have} nodes and only grows: {count} is fewer"
            ));
        }
        let taken: SortedSet<String> = self.nodes.iter().map(|n| n.name.clone()).collect();
        for copy in 2..=(wanted - have + 1) {
            let name = format!("{template}-{copy}");
            if taken.contains(&name) {
                return Err(format!("a node is already named `{name}`"));
            }
            let mut node = model.clone();
            for (key, value) in &mut node.labels {
                if key == HOSTNAME {
                    *value = name.clone();
                }
            }
            node.name = name;
            self.nodes.push(node);
        }
        Ok(())
    }
}

fn score_plugin(name: &str) -> Result<Plugin, String> {
    Plugin::named(name)
        .filter(|p| p.scores())
        .ok_or_else(|| format!("`{name}` is not a Score plugin"))
}

fn unknown_knob(knob: &str) -> String {
    format!(
        "the scheduler simulator has no knob `{knob}`: expected `weight <ScorePlugin>`, `cpu <pod>` (millicores of its first container) or `nodes like <node>` (the cluster's node count, grown with empty copies of that node)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim_core::Tunable;

    fn config() -> Config {
        Config {
            nodes: Vec::new(),
            pods: vec![crate::testing_pod("load")],
            pdbs: Vec::new(),
            profile: Profile::default(),
            script: Vec::new(),
            horizon: SimTime::from_secs(60),
            detailed: true,
        }
    }

    #[test]
    fn the_default_profile_has_the_default_weights() {
        let p = Profile::default();
        let weights: Vec<(&str, i64)> = Plugin::SCORE
            .iter()
            .map(|pl| (pl.name(), p.weight(*pl)))
            .collect();
        assert_eq!(
            weights,
            [
                ("TaintToleration", 3),
                ("NodeAffinity", 2),
                ("NodeResourcesFit", 1),
                ("PodTopologySpread", 2),
                ("InterPodAffinity", 2),
                ("NodeResourcesBalancedAllocation", 1),
                ("ImageLocality", 1)
            ]
        );
        assert!(!p.enabled(Plugin::Coscheduling));
        assert!(p.enabled(Plugin::DefaultPreemption));
    }

    #[test]
    fn knobs_turn_weights_and_a_pods_cpu() {
        let mut c = config();
        assert_eq!(c.knob("weight NodeResourcesFit"), Ok(1));
        c.set_knob("weight NodeResourcesFit", 5).unwrap();
        assert_eq!(c.profile.weight(Plugin::NodeResourcesFit), 5);
        assert!(c.set_knob("weight NodeResourcesFit", 0).is_err());
        assert!(c.knob("weight NodeName").is_err());
        c.set_knob("cpu load", 750).unwrap();
        assert_eq!(c.knob("cpu load"), Ok(750));
        assert!(c.knob("cpu nobody").is_err());
        assert!(c.knob("colour").unwrap_err().contains("expected"));
    }

    #[test]
    fn the_node_knob_grows_the_cluster_with_empty_copies() {
        let mut c = config();
        c.nodes = crate::workloads::scheduling_basic(2, 0, 0).nodes;
        c.pods[0].node_name = Some("node-1".into());
        assert_eq!(c.knob("nodes like node-1"), Ok(2));
        c.set_knob("nodes like node-1", 5).unwrap();
        let names: Vec<&str> = c.nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(
            names,
            ["node-0", "node-1", "node-1-2", "node-1-3", "node-1-4"]
        );
        let hostname = |i: usize| {
            c.nodes[i]
                .labels
                .iter()
                .find(|(k, _)| k == HOSTNAME)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(hostname(4).as_deref(), Some("node-1-4"));
        assert_eq!(c.nodes[4].allocatable, c.nodes[1].allocatable);
        assert_eq!(
            c.pods.len(),
            1,
            "the copies carry none of the template's pods"
        );
        assert_eq!(c.knob("nodes like node-1"), Ok(5));
        assert!(c
            .set_knob("nodes like node-1", 3)
            .unwrap_err()
            .contains("only grows"));
        assert!(c
            .set_knob("nodes like node-9", 9)
            .unwrap_err()
            .contains("node-9"));
    }
}
