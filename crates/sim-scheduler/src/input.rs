//! What a presenter, a what-if edit or a fault feeds into a running
//! scheduler simulation.
//!
//! Contract: plain, serializable data, checked when given (an unknown pod or
//! node, or a node name already taken, is refused with a sentence); an
//! accepted input runs like a script action once the steps already planned
//! are done.

use crate::cluster::Cluster;
use crate::config::Op;
use crate::sim::node_like;
use serde::{Deserialize, Serialize};
use sim_core::InputError;

/// What can be fed into a running scheduler simulation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum SchedInput {
    /// Deletes a pod (gracefully when it runs).
    DeletePod {
        /// The pod.
        pod: String,
    },
    /// Removes a pod's scheduling gates.
    RemoveGates {
        /// The pod.
        pod: String,
    },
    /// Adds a node like an existing one.
    AddNode {
        /// The new node's name.
        name: String,
        /// The node it copies (allocatable, labels, taints, images).
        like: String,
    },
    /// Cordons a node.
    Cordon {
        /// The node.
        node: String,
    },
    /// Uncordons a node.
    Uncordon {
        /// The node.
        node: String,
    },
}

impl SchedInput {
    /// The script action this input is, or why it is refused.
    pub fn check(&self, cluster: &Cluster) -> Result<Op, InputError> {
        let pod = |name: &str| {
            cluster
                .pod_named(name)
                .map(|_| name.to_string())
                .ok_or_else(|| InputError(format!("there is no pod “{name}”")))
        };
        let node = |name: &str| {
            cluster
                .node_named(name)
                .ok_or_else(|| InputError(format!("there is no node “{name}”")))
        };
        Ok(match self {
            SchedInput::DeletePod { pod: p } => Op::DeletePod(pod(p)?),
            SchedInput::RemoveGates { pod: p } => Op::RemoveGates(pod(p)?),
            SchedInput::AddNode { name, like } => {
                if cluster.node_named(name).is_some() {
                    return Err(InputError(format!("a node “{name}” exists already")));
                }
                let like = node(like)?;
                Op::AddNode(node_like(cluster.node(like), name))
            }
            SchedInput::Cordon { node: n } => {
                Op::Cordon(cluster.node_name(node(n)?).to_string(), true)
            }
            SchedInput::Uncordon { node: n } => {
                Op::Cordon(cluster.node_name(node(n)?).to_string(), false)
            }
        })
    }
}
