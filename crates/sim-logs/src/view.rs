//! The state as the runner's JSON shows it (feature `json`).
//!
//! Contract: [`JsonState`] for [`LogsSim`] renders one borrowed view of the
//! node with a stable shape and key order: clock, settings, pods with their containers, files under
//! `/var/log/pods` with their last lines, symlinks, the agent, the backend
//! and the last command's output.

use crate::agent::{NodeAgent, ShippedRecord, WATCHED_DIR};
use crate::config::{ContainerRef, Role, Settings};
use crate::node::{CommandOutput, Node, Phase};
use crate::shared::AppendLog;
use crate::sim::LogsSim;
use crate::wallclock::Timestamp;
use serde::Serialize;
use sim_core::SortedMap;
use sim_core::{JsonState, SimTime};

impl JsonState for LogsSim {
    fn state_json(&self, now: SimTime) -> serde_json::Value {
        // Serializing plain data with string keys cannot fail.
        serde_json::to_value(view(self.node(), self.wall_clock(now))).unwrap_or_default()
    }
}

/// How many of a file's last lines the state shows.
const TAIL_LINES: usize = 5;

/// The state as the runner shows it.
#[derive(Serialize)]
struct StateView<'a> {
    clock: String,
    settings: &'a Settings,
    pods: Vec<PodView<'a>>,
    files: Vec<FileView>,
    symlinks: Vec<LinkView<'a>>,
    agent: Option<&'a NodeAgent>,
    backend: &'a AppendLog<ShippedRecord>,
    last_output: Option<&'a CommandOutput>,
}

#[derive(Serialize)]
struct PodView<'a> {
    namespace: &'a str,
    name: &'a str,
    uid: Option<&'a str>,
    containers: Vec<ContainerView<'a>>,
    shared_files: &'a SortedMap<String, AppendLog<String>>,
}

#[derive(Serialize)]
struct ContainerView<'a> {
    name: &'a str,
    role: Role,
    state: Phase,
    restart_count: u32,
    container_id: Option<&'a str>,
    log_file: Option<String>,
}

#[derive(Serialize)]
struct FileView {
    path: String,
    inode: u64,
    size: u64,
    gzip: bool,
    lines: usize,
    last_lines: Vec<String>,
}

#[derive(Serialize)]
struct LinkView<'a> {
    link: &'a str,
    target: &'a str,
}

/// The view of `node` when its wall clock shows `clock`.
fn view(node: &Node, clock: Timestamp) -> StateView<'_> {
    let pods = node
        .config
        .pods
        .iter()
        .zip(&node.pods)
        .enumerate()
        .map(|(pi, (spec, pod))| PodView {
            namespace: &spec.namespace,
            name: &spec.name,
            uid: pod.uid.as_deref(),
            containers: spec
                .containers
                .iter()
                .zip(&pod.containers)
                .enumerate()
                .map(|(ci, (cs, c))| ContainerView {
                    name: &cs.name,
                    role: cs.role,
                    state: c.phase,
                    restart_count: c.restart_count,
                    container_id: c.container_id.as_deref(),
                    log_file: (c.phase != Phase::NotStarted)
                        .then(|| {
                            node.log_path(
                                ContainerRef {
                                    pod: pi,
                                    container: ci,
                                },
                                c.restart_count,
                            )
                        })
                        .flatten(),
                })
                .collect(),
            shared_files: &pod.shared_files,
        })
        .collect();
    let files = node
        .fs
        .files_under(WATCHED_DIR)
        .map(|(path, inode, f)| {
            let all: Vec<&str> = f.text.split_terminator('\n').collect();
            FileView {
                path: path.to_string(),
                inode,
                size: f.size,
                gzip: f.gzip,
                lines: all.len(),
                last_lines: all[all.len().saturating_sub(TAIL_LINES)..]
                    .iter()
                    .map(|l| l.to_string())
                    .collect(),
            }
        })
        .collect();
    StateView {
        clock: clock.rfc3339_nano(),
        settings: &node.config.settings,
        pods,
        files,
        symlinks: node
            .fs
            .symlinks()
            .map(|(link, target)| LinkView { link, target })
            .collect(),
        agent: node.agent.as_ref(),
        backend: &node.backend,
        last_output: node.last_output.as_deref(),
    }
}
