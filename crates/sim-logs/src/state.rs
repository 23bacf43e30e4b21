//! The typed state a figure reads: files with their sizes, rotated files,
//! containers, pods, links, the backend and the last command's output.
//!
//! Contract: read-only views borrowed from a [`LogsSim`], in stable orders
//! (paths and links sorted, pods and containers as declared).

use crate::agent::{matches_glob, NodeAgent, ShippedRecord, WATCHED_DIR};
use crate::config::{AgentSettings, Role, Settings};
use crate::node::{CommandOutput, Phase};
use crate::shared::AppendLog;
use crate::sim::LogsSim;
use sim_core::SortedMap;

/// One file under `/var/log/pods`, as a figure shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogFile<'a> {
    /// Its path.
    pub path: &'a str,
    /// Its inode.
    pub inode: u64,
    /// The inode its text was first written to: kept through rename and
    /// gzip, so one file's text keeps one lineage while it is rotated.
    pub lineage: u64,
    /// Bytes on disk.
    pub size: u64,
    /// Whether it is gzipped.
    pub gzip: bool,
    /// Whether it is a rotated file (not named `*.log`).
    pub rotated: bool,
    /// Its text (a gzip file's decompressed text).
    pub text: &'a str,
}

impl LogFile<'_> {
    /// How many lines it holds.
    pub fn lines(&self) -> usize {
        self.text.split_terminator('\n').count()
    }

    /// Its name inside its container's log directory, e.g. `0.log`.
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(self.path)
    }
}

/// One container's current instance, as a figure shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerStatus<'a> {
    /// Its pod's namespace.
    pub namespace: &'a str,
    /// Its pod's name.
    pub pod: &'a str,
    /// Its name.
    pub name: &'a str,
    /// Its logging role.
    pub role: Role,
    /// For a sidecar: the shared file it tails.
    pub tails: Option<&'a str>,
    /// Where its current instance is in its life.
    pub phase: Phase,
    /// How often it has been restarted.
    pub restart_count: u32,
    /// Its current container ID, once started.
    pub container_id: Option<&'a str>,
    /// The file its current instance writes to, once started.
    pub log_file: Option<String>,
}

/// One pod, as a figure shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodStatus<'a> {
    /// Its namespace.
    pub namespace: &'a str,
    /// Its name.
    pub name: &'a str,
    /// Its UID, once created.
    pub uid: Option<&'a str>,
    /// Mount path of the emptyDir its containers share, if any.
    pub empty_dir: Option<&'a str>,
    /// The files in its shared emptyDir, by path, each as its lines.
    pub shared_files: &'a SortedMap<String, AppendLog<String>>,
}

impl LogsSim {
    /// The node settings in force.
    pub fn settings(&self) -> &Settings {
        &self.node().config.settings
    }

    /// Every file under `/var/log/pods`, in path order, with its size in bytes.
    pub fn log_files(&self) -> Vec<(String, u64)> {
        self.files().map(|f| (f.path.to_string(), f.size)).collect()
    }

    /// Every file under `/var/log/pods`, in path order.
    pub fn files(&self) -> impl Iterator<Item = LogFile<'_>> + '_ {
        self.node()
            .fs
            .files_under(WATCHED_DIR)
            .map(|(path, inode, f)| LogFile {
                path,
                inode,
                lineage: f.lineage,
                size: f.size,
                gzip: f.gzip,
                rotated: !matches_glob(path),
                text: &f.text,
            })
    }

    /// The rotated files (plain or gzipped) under `/var/log/pods`, in path order.
    pub fn rotated_files(&self) -> impl Iterator<Item = LogFile<'_>> + '_ {
        self.files().filter(|f| f.rotated)
    }

    /// Every `/var/log/containers` link as (link, target), in link order.
    pub fn symlinks(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.node().fs.symlinks()
    }

    /// Every pod, in the order they were declared.
    pub fn pods(&self) -> impl Iterator<Item = PodStatus<'_>> + '_ {
        self.node()
            .config
            .pods
            .iter()
            .zip(&self.node().pods)
            .map(|(spec, pod)| PodStatus {
                namespace: &spec.namespace,
                name: &spec.name,
                uid: pod.uid.as_deref(),
                empty_dir: spec.empty_dir.as_deref(),
                shared_files: &pod.shared_files,
            })
    }

    /// Every container's current instance, in pod then container order.
    pub fn containers(&self) -> Vec<ContainerStatus<'_>> {
        self.node()
            .targets()
            .filter_map(|target| {
                let pod = self.node().config.pods.get(target.pod)?;
                let spec = pod.containers.get(target.container)?;
                let c = self.node().container(target)?;
                Some(ContainerStatus {
                    namespace: &pod.namespace,
                    pod: &pod.name,
                    name: &spec.name,
                    role: spec.role,
                    tails: spec.tails.as_deref(),
                    phase: c.phase,
                    restart_count: c.restart_count,
                    container_id: c.container_id.as_deref(),
                    log_file: (c.phase != Phase::NotStarted)
                        .then(|| self.node().log_path(target, c.restart_count))
                        .flatten(),
                })
            })
            .collect()
    }

    /// What the last command (`kubectl logs`, `ls`, a parse) printed.
    pub fn last_output(&self) -> Option<&CommandOutput> {
        self.node().last_output.as_deref()
    }

    /// The messages the logging backend has received, oldest first.
    pub fn backend(&self) -> Vec<&ShippedRecord> {
        self.node().backend.iter().collect()
    }

    /// The node logging agent's settings, if one is deployed.
    pub fn agent_settings(&self) -> Option<&AgentSettings> {
        self.node().config.agent.as_ref()
    }

    /// The node logging agent, if deployed.
    pub fn agent(&self) -> Option<&NodeAgent> {
        self.node().agent.as_ref()
    }

    /// The log directory of a container, with a trailing slash, once its pod has a UID.
    pub fn log_dir(&self, pod: usize, container: usize) -> Option<String> {
        self.node().log_dir(pod, container)
    }
}
