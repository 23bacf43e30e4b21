//! The framework's status codes and the reasons a node is rejected.
//!
//! Contract: [`Code`] is the framework's `Code`; each [`Reason`] renders the
//! exact text kube-scheduler writes, so the unschedulable message a pod gets
//! is Kubernetes' own. A [`Rejection`] is a few bytes (no strings), so the
//! hot path formats nothing.

use crate::config::Plugin;
use crate::model::NodeSpec;
use serde::{Deserialize, Serialize};

/// A plugin's status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Code {
    /// The plugin agrees.
    Success,
    /// Something went wrong inside the plugin.
    Error,
    /// The pod does not fit; preemption might help.
    Unschedulable,
    /// The pod does not fit, and preemption cannot help.
    UnschedulableAndUnresolvable,
    /// Permit: the pod waits.
    Wait,
    /// The plugin has nothing to do for this pod (its paired point is skipped too).
    Skip,
    /// The pod waits for something outside the scheduler.
    Pending,
}

impl Code {
    /// The code as kube-scheduler spells it.
    pub fn name(self) -> &'static str {
        match self {
            Code::Success => "Success",
            Code::Error => "Error",
            Code::Unschedulable => "Unschedulable",
            Code::UnschedulableAndUnresolvable => "UnschedulableAndUnresolvable",
            Code::Wait => "Wait",
            Code::Skip => "Skip",
            Code::Pending => "Pending",
        }
    }
}

/// Why a Filter plugin rejected a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Reason {
    /// Requests exceed the CPU left.
    InsufficientCpu,
    /// Requests exceed the memory left.
    InsufficientMemory,
    /// Requests exceed the ephemeral storage left.
    InsufficientEphemeral,
    /// The node runs its most pods already.
    TooManyPods,
    /// The node is cordoned.
    NodeUnschedulable,
    /// `spec.nodeName` names another node.
    NodeName,
    /// The node selector or required node affinity does not match.
    NodeAffinity,
    /// A NoSchedule or NoExecute taint is not tolerated.
    UntoleratedTaint,
    /// A hard spread constraint would be broken.
    SpreadSkew,
    /// The node lacks a hard spread constraint's topology label.
    SpreadMissingLabel,
    /// A required pod affinity term has no match.
    PodAffinity,
    /// A required pod anti-affinity term has a match.
    PodAntiAffinity,
    /// A pod already there has anti-affinity against this one.
    ExistingAntiAffinity,
    /// Preemption: evicting lower-priority pods would not make room.
    NoVictims,
    /// Preemption: the node's rejection cannot be resolved by evicting pods.
    PreemptionNotHelpful,
}

impl Reason {
    /// Every reason, in bit order.
    pub const ALL: [Reason; 15] = [
        Reason::InsufficientCpu,
        Reason::InsufficientMemory,
        Reason::InsufficientEphemeral,
        Reason::TooManyPods,
        Reason::NodeUnschedulable,
        Reason::NodeName,
        Reason::NodeAffinity,
        Reason::UntoleratedTaint,
        Reason::SpreadSkew,
        Reason::SpreadMissingLabel,
        Reason::PodAffinity,
        Reason::PodAntiAffinity,
        Reason::ExistingAntiAffinity,
        Reason::NoVictims,
        Reason::PreemptionNotHelpful,
    ];

    /// The reason's bit in a [`Rejection`].
    pub fn bit(self) -> u16 {
        1 << (self as u16)
    }

    /// The text kube-scheduler writes (an untolerated taint's text names the taint, see [`Rejection::texts`]).
    pub fn text(self) -> &'static str {
        match self {
            Reason::InsufficientCpu => "Insufficient cpu",
            Reason::InsufficientMemory => "Insufficient memory",
            Reason::InsufficientEphemeral => "Insufficient ephemeral-storage",
            Reason::TooManyPods => "Too many pods",
            Reason::NodeUnschedulable => "node(s) were unschedulable",
            Reason::NodeName => "node(s) didn't match the requested node name",
            Reason::NodeAffinity => "node(s) didn't match Pod's node affinity/selector",
            Reason::UntoleratedTaint => "node(s) had untolerated taint",
            Reason::SpreadSkew => "node(s) didn't match pod topology spread constraints",
            Reason::SpreadMissingLabel => {
                "node(s) didn't match pod topology spread constraints (missing required label)"
            }
            Reason::PodAffinity => "node(s) didn't match pod affinity rules",
            Reason::PodAntiAffinity => "node(s) didn't match pod anti-affinity rules",
            Reason::ExistingAntiAffinity => {
                "node(s) didn't satisfy existing pods anti-affinity rules"
            }
            Reason::NoVictims => "No preemption victims found for incoming pod",
            Reason::PreemptionNotHelpful => "Preemption is not helpful for scheduling",
        }
    }
}

/// A node's rejection by one Filter plugin: its code and reasons, as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    /// The plugin that rejected the node.
    pub plugin: Plugin,
    /// Its status code.
    pub code: Code,
    /// The reasons, one bit per [`Reason`].
    pub reasons: u16,
    /// For [`Reason::UntoleratedTaint`], the index of the node's taint.
    pub taint: u16,
}

impl Rejection {
    /// A rejection by `plugin` with `code` for one `reason`.
    pub fn new(plugin: Plugin, code: Code, reason: Reason) -> Self {
        Rejection {
            plugin,
            code,
            reasons: reason.bit(),
            taint: 0,
        }
    }

    /// Its reasons, in bit order.
    pub fn reasons(self) -> impl Iterator<Item = Reason> {
        Reason::ALL
            .into_iter()
            .filter(move |r| self.reasons & r.bit() != 0)
    }

    /// Its reasons as kube-scheduler writes them for `node`.
    pub fn texts(self, node: &NodeSpec) -> Vec<String> {
        self.reasons()
            .map(|r| match r {
                Reason::UntoleratedTaint => {
                    let (key, value) = node
                        .taints
                        .get(usize::from(self.taint))
                        .map_or(("", ""), |t| (t.key.as_str(), t.value.as_str()));
                    format!("{} {{{key}: {value}}}", r.text())
                }
                r => r.text().to_string(),
            })
            .collect()
    }
}
