//! The cluster as the scheduler's cache holds it: nodes with what their pods
//! request, and every pod's phase.
//!
//! Contract: node and pod specs are shared (`Arc`) and change only by
//! copy-on-write (a cordon, a node added); what a node's pods request is kept
//! as running sums, updated when a pod is assumed, bound, forgotten or
//! deleted, so no step scans every pod to learn a node's load.

use crate::model::{NodeSpec, PodSpec, Resources};
use serde::Serialize;
use sim_core::SimTime;
use sim_core::SortedMap;
use std::sync::Arc;

/// A node's index in the cluster.
pub type NodeId = u32;
/// A pod's index in the cluster (its index in the config's pods).
pub type PodId = u32;

/// What the pods on one node request, as running sums.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NodeUse {
    /// The sum of the pods' requests (Filter).
    pub requested: Resources,
    /// The same with the 100m / 200 MiB defaults (scoring).
    pub non_zero: Resources,
    /// Pods counted on the node.
    pub pod_count: i64,
    /// Those pods, in the order they came.
    pub pods: Vec<PodId>,
}

impl NodeUse {
    fn add(&mut self, id: PodId, pod: &PodSpec) {
        self.requested = self.requested.plus(pod.requests());
        self.non_zero = self.non_zero.plus(pod.non_zero_requests());
        self.pod_count += 1;
        self.pods.push(id);
    }

    fn remove(&mut self, id: PodId, pod: &PodSpec) {
        if let Some(i) = self.pods.iter().position(|p| *p == id) {
            self.pods.remove(i);
            self.requested = self.requested.minus(pod.requests());
            self.non_zero = self.non_zero.minus(pod.non_zero_requests());
            self.pod_count -= 1;
        }
    }
}

/// Where a pod is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// The script has not created it yet.
    NotCreated,
    /// Created, waiting in the scheduling queue (or gated).
    Pending,
    /// Assumed on a node by Reserve; the binding cycle has not finished.
    Assumed,
    /// Bound to a node and running.
    Bound,
    /// Being deleted gracefully; still holds its node's resources.
    Terminating,
    /// Gone.
    Deleted,
}

/// One pod's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodState {
    /// Where it is in its life.
    pub phase: Phase,
    /// The node it is assumed on, bound to, or terminating on.
    pub node: Option<NodeId>,
    /// `status.nominatedNodeName`.
    pub nominated: Option<NodeId>,
    /// Scheduling attempts so far.
    pub attempts: u32,
    /// When it entered the queue last (PrioritySort's tie-break, backoff's start).
    pub timestamp: SimTime,
    /// When it started running (preemption's tie-break).
    pub started: Option<SimTime>,
    /// Its scheduling gates have been removed.
    pub ungated: bool,
    /// The scheduling cycle of its last attempt.
    pub cycle: u64,
}

/// The scheduler's view of the cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// The nodes' specs.
    pub nodes: Arc<Vec<NodeSpec>>,
    /// What each node's pods request.
    pub usage: Vec<NodeUse>,
    /// The pods' specs.
    pub pods: Arc<Vec<PodSpec>>,
    /// Each pod's state.
    pub state: Vec<PodState>,
    /// How many nodes have each image (ImageLocality's spread).
    pub image_nodes: Arc<SortedMap<String, u32>>,
    /// The pods nominated to each node, in the order they were nominated.
    nominations: SortedMap<NodeId, Vec<PodId>>,
    /// The placed pods that have required anti-affinity terms, in pod order
    /// (every other pod's Filter checks them, so they are kept apart).
    anti_affinity: Vec<PodId>,
}

impl Cluster {
    /// The cluster with `nodes`, the pods of `pods` that name a node running
    /// there since time zero, and the others not yet created.
    pub fn new(nodes: Vec<NodeSpec>, pods: Vec<PodSpec>) -> Cluster {
        let state = pods
            .iter()
            .map(|_| PodState {
                phase: Phase::NotCreated,
                node: None,
                nominated: None,
                attempts: 0,
                timestamp: SimTime::ZERO,
                started: None,
                ungated: false,
                cycle: 0,
            })
            .collect();
        let mut cluster = Cluster {
            usage: vec![NodeUse::default(); nodes.len()],
            image_nodes: Arc::new(count_images(&nodes)),
            nodes: Arc::new(nodes),
            pods: Arc::new(pods),
            state,
            nominations: SortedMap::new(),
            anti_affinity: Vec::new(),
        };
        for id in 0..cluster.pods.len() {
            let placed = cluster.pods[id]
                .node_name
                .as_deref()
                .and_then(|name| cluster.node_named(name));
            if let Some(node) = placed {
                cluster.bind(id as PodId, node, SimTime::ZERO);
            }
        }
        cluster
    }

    /// The index of the node called `name`.
    pub fn node_named(&self, name: &str) -> Option<NodeId> {
        self.nodes
            .iter()
            .position(|n| n.name == name)
            .map(|i| i as NodeId)
    }

    /// The index of the pod called `name`.
    pub fn pod_named(&self, name: &str) -> Option<PodId> {
        self.pods
            .iter()
            .position(|p| p.name == name)
            .map(|i| i as PodId)
    }

    /// The spec of pod `id`.
    #[inline(always)]
    pub fn pod(&self, id: PodId) -> &PodSpec {
        &self.pods[id as usize]
    }

    /// The state of pod `id`.
    #[inline(always)]
    pub fn pod_state(&self, id: PodId) -> &PodState {
        &self.state[id as usize]
    }

    /// The state of pod `id`, to change.
    pub fn pod_state_mut(&mut self, id: PodId) -> &mut PodState {
        &mut self.state[id as usize]
    }

    /// The spec of node `id`.
    #[inline(always)]
    pub fn node(&self, id: NodeId) -> &NodeSpec {
        &self.nodes[id as usize]
    }

    /// The name of node `id`.
    pub fn node_name(&self, id: NodeId) -> &str {
        &self.nodes[id as usize].name
    }

    /// Counts pod `id` on `node` (Reserve's assume).
    pub fn assume(&mut self, id: PodId, node: NodeId) {
        let pods = Arc::clone(&self.pods);
        self.usage[node as usize].add(id, &pods[id as usize]);
        if !pods[id as usize].anti_affinity.is_empty() {
            let at = self.anti_affinity.partition_point(|p| *p < id);
            self.anti_affinity.insert(at, id);
        }
        let state = &mut self.state[id as usize];
        state.phase = Phase::Assumed;
        state.node = Some(node);
    }

    /// Takes an assumed pod off its node again (Unreserve's forget).
    pub fn forget(&mut self, id: PodId) {
        self.take_off_node(id);
        self.state[id as usize].phase = Phase::Pending;
    }

    /// Binds pod `id` to `node` at `now` (counting it there if not assumed yet).
    pub fn bind(&mut self, id: PodId, node: NodeId, now: SimTime) {
        if self.state[id as usize].phase != Phase::Assumed {
            self.assume(id, node);
        }
        self.nominate(id, None);
        let state = &mut self.state[id as usize];
        state.phase = Phase::Bound;
        state.started = Some(now);
    }

    /// Removes a deleted pod from its node.
    pub fn remove(&mut self, id: PodId) {
        self.take_off_node(id);
        self.nominate(id, None);
        self.state[id as usize].phase = Phase::Deleted;
    }

    fn take_off_node(&mut self, id: PodId) {
        let pods = Arc::clone(&self.pods);
        if let Some(node) = self.state[id as usize].node.take() {
            self.usage[node as usize].remove(id, &pods[id as usize]);
        }
        self.anti_affinity.retain(|p| *p != id);
    }

    /// The placed pods with required anti-affinity terms, with their nodes.
    pub fn placed_with_anti_affinity(
        &self,
    ) -> impl Iterator<Item = (PodId, NodeId, &PodSpec)> + '_ {
        self.anti_affinity.iter().filter_map(move |id| {
            let node = self.state[*id as usize].node?;
            Some((*id, node, &self.pods[*id as usize]))
        })
    }

    /// Adds node `spec` and returns its index.
    pub fn add_node(&mut self, spec: NodeSpec) -> NodeId {
        let id = self.nodes.len() as NodeId;
        Arc::make_mut(&mut self.nodes).push(spec);
        self.usage.push(NodeUse::default());
        self.image_nodes = Arc::new(count_images(&self.nodes));
        id
    }

    /// Cordons (`true`) or uncordons node `id`.
    pub fn cordon(&mut self, id: NodeId, unschedulable: bool) {
        if let Some(node) = Arc::make_mut(&mut self.nodes).get_mut(id as usize) {
            node.unschedulable = unschedulable;
        }
    }

    /// The pods on `node` that count (assumed, bound or terminating), with their specs.
    pub fn pods_on(&self, node: NodeId) -> impl Iterator<Item = (PodId, &PodSpec)> + '_ {
        self.usage[node as usize]
            .pods
            .iter()
            .map(|id| (*id, &self.pods[*id as usize]))
    }

    /// Pods counted on some node, with the node (for affinity and spreading).
    pub fn placed(&self) -> impl Iterator<Item = (PodId, NodeId, &PodSpec)> + '_ {
        self.usage.iter().enumerate().flat_map(move |(n, u)| {
            u.pods
                .iter()
                .map(move |id| (*id, n as NodeId, &self.pods[*id as usize]))
        })
    }

    /// Sets (or clears) pod `id`'s nominated node.
    pub fn nominate(&mut self, id: PodId, node: Option<NodeId>) {
        if let Some(old) = self.state[id as usize].nominated.take() {
            if let Some(list) = self.nominations.get_mut(&old) {
                list.retain(|p| *p != id);
                if list.is_empty() {
                    self.nominations.remove(&old);
                }
            }
        }
        if let Some(new) = node {
            self.nominations
                .get_or_insert_with(new, Default::default)
                .push(id);
        }
        self.state[id as usize].nominated = node;
    }

    /// The pods nominated to `node` with priority at least `priority`,
    /// other than `except` (the Filter counts them as if they were there).
    pub fn nominated_on(
        &self,
        node: NodeId,
        priority: i32,
        except: PodId,
    ) -> impl Iterator<Item = PodId> + '_ {
        self.nominations
            .get(&node)
            .into_iter()
            .flatten()
            .copied()
            .filter(move |id| *id != except && self.pods[*id as usize].priority >= priority)
    }

    /// Whether any pod is nominated anywhere.
    pub fn any_nominated(&self) -> bool {
        !self.nominations.is_empty()
    }

    /// The pods nominated to `node`.
    pub fn nominated_to(&self, node: NodeId) -> &[PodId] {
        self.nominations.get(&node).map_or(&[], Vec::as_slice)
    }
}

fn count_images(nodes: &[NodeSpec]) -> SortedMap<String, u32> {
    let mut counts = SortedMap::new();
    for node in nodes {
        for (image, _) in &node.images {
            *counts.get_or_insert_with(image.clone(), || 0) += 1;
        }
    }
    counts
}
