//! The node's state that every concern reads and changes: the pods and their
//! containers, the log files, the node logging agent, the backend and the
//! last command's output.
//!
//! Contract: a [`Node`] is plain data with lookups by [`ContainerRef`]; it
//! neither plans nor applies steps (the runtime, rotation, agent-poll and
//! kubectl modules do, each over this model). Lookups of a reference that
//! does not exist give `None`, never a panic.

use crate::agent::{NodeAgent, ShippedRecord, WATCHED_DIR};
use crate::config::{Config, ContainerRef};
use crate::facts::LogsFact;
use crate::node_fs::NodeFs;
use crate::shared::AppendLog;
use crate::wallclock::Timestamp;
use serde::Serialize;
use sim_core::SimTime;
use sim_core::SortedMap;
use std::sync::Arc;

/// Where a container instance is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "phase")]
pub enum Phase {
    /// Not created yet.
    NotStarted,
    /// Running and writing.
    Running,
    /// Exited; waiting for the kubelet to restart it.
    Terminated {
        /// Its exit status.
        exit_code: i32,
    },
}

/// One container's current instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Container {
    pub(crate) restart_count: u32,
    pub(crate) container_id: Option<String>,
    pub(crate) phase: Phase,
}

/// One pod's runtime state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pod {
    pub(crate) uid: Option<String>,
    pub(crate) shared_files: SortedMap<String, AppendLog<String>>,
    pub(crate) containers: Vec<Container>,
}

/// What `kubectl`, `ls` or the parser printed last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommandOutput {
    /// The command as typed.
    pub command: String,
    /// What it printed, one entry per line.
    pub output: Vec<String>,
}

/// Everything on the node (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Node {
    pub(crate) config: Arc<Config>,
    pub(crate) pods: Vec<Pod>,
    pub(crate) fs: NodeFs,
    pub(crate) agent: Option<NodeAgent>,
    pub(crate) backend: AppendLog<ShippedRecord>,
    pub(crate) last_output: Option<Arc<CommandOutput>>,
}

impl Node {
    /// The node before anything has started.
    pub(crate) fn new(config: Config) -> Self {
        let pods = config
            .pods
            .iter()
            .map(|p| Pod {
                uid: None,
                shared_files: SortedMap::new(),
                containers: p
                    .containers
                    .iter()
                    .map(|_| Container {
                        restart_count: 0,
                        container_id: None,
                        phase: Phase::NotStarted,
                    })
                    .collect(),
            })
            .collect();
        Node {
            agent: config.agent.as_ref().map(|a| NodeAgent::new(&a.name)),
            config: Arc::new(config),
            pods,
            fs: NodeFs::default(),
            backend: AppendLog::default(),
            last_output: None,
        }
    }

    /// The wall-clock time at virtual time `now`.
    pub(crate) fn stamp(&self, now: SimTime) -> Timestamp {
        self.config.settings.start.plus(now)
    }

    /// Every container of every pod, in pod then container order.
    pub(crate) fn targets(&self) -> impl Iterator<Item = ContainerRef> + '_ {
        self.config.pods.iter().enumerate().flat_map(|(pod, spec)| {
            (0..spec.containers.len()).map(move |container| ContainerRef { pod, container })
        })
    }

    /// The log directory of a container, with a trailing slash, once its pod has a UID.
    pub(crate) fn log_dir(&self, pod: usize, container: usize) -> Option<String> {
        let spec = self.config.pods.get(pod)?;
        let uid = self.pods.get(pod)?.uid.as_ref()?;
        let c = spec.containers.get(container)?;
        Some(format!(
            "{WATCHED_DIR}{}_{}_{uid}/{}/",
            spec.namespace, spec.name, c.name
        ))
    }

    /// The log file of instance `restart` of a container.
    pub(crate) fn log_path(&self, target: ContainerRef, restart: u32) -> Option<String> {
        Some(format!(
            "{}{restart}.log",
            self.log_dir(target.pod, target.container)?
        ))
    }

    /// The current instance of a container.
    pub(crate) fn container(&self, target: ContainerRef) -> Option<&Container> {
        self.pods.get(target.pod)?.containers.get(target.container)
    }

    /// The current instance of a container, to change.
    pub(crate) fn container_mut(&mut self, target: ContainerRef) -> Option<&mut Container> {
        self.pods
            .get_mut(target.pod)?
            .containers
            .get_mut(target.container)
    }

    /// `pod <namespace>/<name> container <name>`, as events name a container.
    pub(crate) fn name_of(&self, target: ContainerRef) -> String {
        let spec = self.config.pods.get(target.pod);
        let container = spec.and_then(|p| p.containers.get(target.container));
        match (spec, container) {
            (Some(p), Some(c)) => format!("pod {}/{} container {}", p.namespace, p.name, c.name),
            _ => "unknown container".to_string(),
        }
    }

    /// The file the container's current instance writes to.
    pub(crate) fn current_path(&self, target: ContainerRef) -> Option<String> {
        let c = self.container(target)?;
        self.log_path(target, c.restart_count)
    }

    /// Whether the container's current instance is running.
    pub(crate) fn is_running(&self, target: ContainerRef) -> bool {
        self.container(target)
            .is_some_and(|c| c.phase == Phase::Running)
    }

    /// The container named `container` in the pod `pod` (`<namespace>/<name>`,
    /// or `<name>` in namespace `default`).
    pub(crate) fn find(&self, pod: &str, container: &str) -> Option<ContainerRef> {
        let (namespace, name) = pod.split_once('/').unwrap_or(("default", pod));
        let pod = self
            .config
            .pods
            .iter()
            .position(|p| p.namespace == namespace && p.name == name)?;
        let container = self.config.pods[pod]
            .containers
            .iter()
            .position(|c| c.name == container)?;
        Some(ContainerRef { pod, container })
    }

    /// Records what a command printed.
    pub(crate) fn set_output(&mut self, command: String, output: Vec<String>) {
        self.last_output = Some(Arc::new(CommandOutput { command, output }));
    }
}

/// What one micro-step did: its fact, when it showed something, and the
/// micro-steps that must come next, before anything already queued.
#[derive(Debug)]
pub(crate) struct Applied<S> {
    pub(crate) fact: Option<LogsFact>,
    pub(crate) next: Vec<S>,
}

impl<S> Default for Applied<S> {
    fn default() -> Self {
        Applied {
            fact: None,
            next: Vec::new(),
        }
    }
}

impl<S> Applied<S> {
    /// A step that showed `fact` and needs no follow-up.
    pub(crate) fn fact(fact: LogsFact) -> Self {
        Applied {
            fact: Some(fact),
            next: Vec::new(),
        }
    }
}
