//! The container logs simulation: pods writing, the runtime's CRI files, the
//! kubelet's rotation, `kubectl logs`, and the logging agents.
//!
//! Contract: [`LogsSim`] holds its starting state and the rest of its script.
//! The script is sorted by time (keeping the written order at equal times) and
//! shared between clones, read through a cursor; the pods' shared files and
//! the backend only grow and share their older entries between clones too, so
//! a player's snapshots stay cheap. Other future work sits on an agenda
//! ordered by (time, kind, insertion), where the kind orders same-time work,
//! script actions included, as: pods start, script actions, container
//! restarts, kubelet log checks, agent polls. Each agenda item expands into
//! micro-steps; every [`Simulation::step`] applies exactly one micro-step that
//! changes or shows something, so the state after a step is exactly what its
//! event says. Kubelet checks and agent polls repeat only up to the last
//! script action. Randomness (pod UIDs, container IDs) comes only from the
//! step's [`SimRng`].

use crate::agent::{matches_glob, NodeAgent, ShippedRecord, WATCHED_DIR};
use crate::cri::{join_partials, parse_line, split_message, CriLine, Stream, Tag};
use crate::node_fs::NodeFs;
use crate::rules;
use crate::setup::{ContainerRef, Op, Role, Settings, Setup, TimedOp};
use crate::shared::AppendLog;
use serde::Serialize;
use sim_core::{Event, Rule, SimRng, SimTime, Simulation};
use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

/// The kubelet's first restart back-off.
const BACKOFF_START: SimTime = SimTime::from_secs(10);
/// The kubelet's longest restart back-off.
const BACKOFF_MAX: SimTime = SimTime::from_secs(300);
/// How many of a file's last lines the state shows.
const TAIL_LINES: usize = 5;

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

#[derive(Debug, Clone, PartialEq, Eq)]
struct Container {
    restart_count: u32,
    container_id: Option<String>,
    phase: Phase,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Pod {
    uid: Option<String>,
    shared_files: BTreeMap<String, AppendLog<String>>,
    containers: Vec<Container>,
}

/// What `kubectl`, `ls` or the parser printed last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommandOutput {
    /// The command as typed.
    pub command: String,
    /// What it printed, one entry per line.
    pub output: Vec<String>,
}

/// What same-time work comes first (in this order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    StartPods,
    Script,
    Restart,
    LogCheck,
    AgentPoll,
}

/// Work on the agenda; script actions are not here but read in order from
/// the shared, time-sorted script (their [`Kind`] is [`Kind::Script`]).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Planned {
    StartPods,
    Restart(ContainerRef),
    LogCheck,
    AgentPoll,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Micro {
    AssignUid(usize),
    Start {
        target: ContainerRef,
        restart: bool,
    },
    Link(ContainerRef),
    Append {
        target: ContainerRef,
        line: CriLine,
        via_sidecar: bool,
    },
    WriteShared {
        target: ContainerRef,
        path: String,
        message: String,
    },
    SidecarShip {
        target: ContainerRef,
        path: String,
        message: String,
    },
    Refused {
        target: ContainerRef,
        what: &'static str,
    },
    Exit {
        target: ContainerRef,
        exit_code: i32,
    },
    RemoveRotated {
        path: String,
        kept: u64,
    },
    Compress {
        path: String,
    },
    Rename {
        target: ContainerRef,
        from: String,
        to: String,
    },
    Reopen {
        target: ContainerRef,
        path: String,
    },
    KubectlLogs {
        target: ContainerRef,
        previous: bool,
    },
    List(ContainerRef),
    ParseLine(String),
    AgentMissed {
        path: String,
        lineage: u64,
    },
    AgentDiscover {
        path: String,
    },
    AgentReadAll,
    AgentShip(u64),
    AgentRelease(u64),
}

/// The container logs simulation of one node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogsSim {
    setup: Arc<Setup>,
    script: Arc<[TimedOp]>,
    next_op: usize,
    now: SimTime,
    pods: Vec<Pod>,
    fs: NodeFs,
    agent: Option<NodeAgent>,
    backend: AppendLog<ShippedRecord>,
    agenda: BTreeMap<(SimTime, Kind, u64), Planned>,
    pending: VecDeque<Micro>,
    next_seq: u64,
    script_end: SimTime,
    last_output: Option<Arc<CommandOutput>>,
}

impl LogsSim {
    /// A simulation at virtual time zero: nothing started, the script pending.
    pub fn new(mut setup: Setup) -> Self {
        let mut script = std::mem::take(&mut setup.script);
        script.sort_by_key(|t| t.at);
        let pods = setup
            .pods
            .iter()
            .map(|p| Pod {
                uid: None,
                shared_files: BTreeMap::new(),
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
        let script_end = script.last().map(|t| t.at).unwrap_or_default();
        let mut sim = LogsSim {
            agent: setup.agent.as_ref().map(|a| NodeAgent::new(&a.name)),
            setup: Arc::new(setup),
            script: script.into(),
            next_op: 0,
            now: SimTime::ZERO,
            pods,
            fs: NodeFs::default(),
            backend: AppendLog::default(),
            agenda: BTreeMap::new(),
            pending: VecDeque::new(),
            next_seq: 0,
            script_end,
            last_output: None,
        };
        sim.plan(SimTime::ZERO, Kind::StartPods, Planned::StartPods);
        sim.plan(SimTime::ZERO, Kind::LogCheck, Planned::LogCheck);
        if let Some(agent) = &sim.setup.agent {
            let start = SimTime::from_millis(agent.start_ms);
            if start <= script_end {
                sim.plan(start, Kind::AgentPoll, Planned::AgentPoll);
            }
        }
        sim
    }

    /// The node settings in force.
    pub fn settings(&self) -> &Settings {
        &self.setup.settings
    }

    /// Every file under `/var/log/pods`, in path order, with its size in bytes.
    pub fn log_files(&self) -> Vec<(String, u64)> {
        self.fs
            .files_under(WATCHED_DIR)
            .map(|(p, _, i)| (p.to_string(), i.size))
            .collect()
    }

    /// What the last command printed.
    pub fn last_output(&self) -> Option<&CommandOutput> {
        self.last_output.as_deref()
    }

    /// The messages the logging backend has received, oldest first.
    pub fn backend(&self) -> Vec<&ShippedRecord> {
        self.backend.iter().collect()
    }

    /// The log directory of a container, with a trailing slash, once its pod has a UID.
    pub fn log_dir(&self, pod: usize, container: usize) -> Option<String> {
        let spec = self.setup.pods.get(pod)?;
        let uid = self.pods.get(pod)?.uid.as_ref()?;
        let c = spec.containers.get(container)?;
        Some(format!(
            "{WATCHED_DIR}{}_{}_{uid}/{}/",
            spec.namespace, spec.name, c.name
        ))
    }

    fn log_path(&self, target: ContainerRef, restart: u32) -> Option<String> {
        Some(format!(
            "{}{restart}.log",
            self.log_dir(target.pod, target.container)?
        ))
    }

    fn container(&self, target: ContainerRef) -> Option<&Container> {
        self.pods.get(target.pod)?.containers.get(target.container)
    }

    fn container_mut(&mut self, target: ContainerRef) -> Option<&mut Container> {
        self.pods
            .get_mut(target.pod)?
            .containers
            .get_mut(target.container)
    }

    fn name_of(&self, target: ContainerRef) -> String {
        let spec = self.setup.pods.get(target.pod);
        let container = spec.and_then(|p| p.containers.get(target.container));
        match (spec, container) {
            (Some(p), Some(c)) => format!("pod {}/{} container {}", p.namespace, p.name, c.name),
            _ => "unknown container".to_string(),
        }
    }

    fn current_path(&self, target: ContainerRef) -> Option<String> {
        let c = self.container(target)?;
        self.log_path(target, c.restart_count)
    }

    fn is_running(&self, target: ContainerRef) -> bool {
        self.container(target)
            .is_some_and(|c| c.phase == Phase::Running)
    }

    fn plan(&mut self, at: SimTime, kind: Kind, item: Planned) {
        self.next_seq += 1;
        self.agenda.insert((at, kind, self.next_seq), item);
    }

    fn push_front_all(&mut self, micros: Vec<Micro>) {
        for m in micros.into_iter().rev() {
            self.pending.push_front(m);
        }
    }

    /// Moves both clocks to `at` unless they are already later.
    fn advance(&mut self, now: &mut SimTime, at: SimTime) {
        if at > *now {
            *now = at;
        }
        self.now = *now;
    }

    fn stamp(&self) -> crate::wallclock::Timestamp {
        self.setup.settings.start.plus(self.now)
    }

    /// Turns an agenda item into micro-steps (silently).
    fn expand(&mut self, item: Planned) {
        match item {
            Planned::StartPods => {
                for (pod, spec) in self.setup.pods.iter().enumerate() {
                    self.pending.push_back(Micro::AssignUid(pod));
                    for container in 0..spec.containers.len() {
                        let target = ContainerRef { pod, container };
                        self.pending.push_back(Micro::Start {
                            target,
                            restart: false,
                        });
                        self.pending.push_back(Micro::Link(target));
                    }
                }
            }
            Planned::Restart(target) => {
                self.pending.push_back(Micro::Start {
                    target,
                    restart: true,
                });
                self.pending.push_back(Micro::Link(target));
            }
            Planned::LogCheck => {
                self.plan_rotations();
                let next = self.now.plus(SimTime::from_secs(
                    self.setup.settings.container_log_monitor_interval_s,
                ));
                if next <= self.script_end {
                    self.plan(next, Kind::LogCheck, Planned::LogCheck);
                }
            }
            Planned::AgentPoll => {
                self.plan_agent_poll();
                let every = self.setup.agent.as_ref().map_or(0, |a| a.poll_interval_ms);
                let next = self.now.plus(SimTime::from_millis(every));
                if every > 0 && next <= self.script_end {
                    self.plan(next, Kind::AgentPoll, Planned::AgentPoll);
                }
            }
        }
    }

    fn expand_op(&mut self, op: &Op) {
        match op {
            Op::Write {
                target,
                stream,
                message,
            } => {
                let (target, stream) = (*target, *stream);
                if !self.is_running(target) {
                    self.pending.push_back(Micro::Refused {
                        target,
                        what: "write to its stdout/stderr",
                    });
                    return;
                }
                let timestamp = self.stamp();
                for (tag, piece) in split_message(message, self.setup.settings.max_line_size) {
                    let line = CriLine {
                        timestamp,
                        stream,
                        tag,
                        content: piece.to_string(),
                    };
                    self.pending.push_back(Micro::Append {
                        target,
                        line,
                        via_sidecar: false,
                    });
                }
            }
            Op::WriteFile {
                target,
                path,
                message,
            } => {
                let target = *target;
                if self.is_running(target) {
                    self.pending.push_back(Micro::WriteShared {
                        target,
                        path: path.clone(),
                        message: message.clone(),
                    });
                } else {
                    self.pending.push_back(Micro::Refused {
                        target,
                        what: "write to a file",
                    });
                }
            }
            Op::Crash { target, exit_code } => {
                let (target, exit_code) = (*target, *exit_code);
                if self.is_running(target) {
                    self.pending.push_back(Micro::Exit { target, exit_code });
                } else {
                    self.pending.push_back(Micro::Refused {
                        target,
                        what: "crash",
                    });
                }
            }
            Op::KubectlLogs { target, previous } => {
                self.pending.push_back(Micro::KubectlLogs {
                    target: *target,
                    previous: *previous,
                });
            }
            Op::List { target } => self.pending.push_back(Micro::List(*target)),
            Op::ParseLine { line } => self.pending.push_back(Micro::ParseLine(line.clone())),
        }
    }

    /// The kubelet's periodic check: for each running container whose log has
    /// reached the max size, remove excess rotated files, gzip the plain ones,
    /// rename the current file and reopen it.
    fn plan_rotations(&mut self) {
        let settings = &self.setup.settings;
        let keep = settings.container_log_max_files.saturating_sub(2);
        let suffix = self.stamp().rotation_suffix();
        let mut plan = Vec::new();
        for (pod, spec) in self.setup.pods.iter().enumerate() {
            for container in 0..spec.containers.len() {
                let target = ContainerRef { pod, container };
                if !self.is_running(target) {
                    continue;
                }
                let Some(path) = self.current_path(target) else {
                    continue;
                };
                let size = self.fs.file(&path).map_or(0, |f| f.size);
                if size < settings.container_log_max_size {
                    continue;
                }
                let prefix = format!("{path}.");
                let rotated: Vec<String> = self
                    .fs
                    .files_under(&prefix)
                    .map(|(p, _, _)| p.to_string())
                    .collect();
                let excess = rotated
                    .len()
                    .saturating_sub(usize::try_from(keep).unwrap_or(usize::MAX));
                for (i, old) in rotated.iter().enumerate() {
                    if i < excess {
                        plan.push(Micro::RemoveRotated {
                            path: old.clone(),
                            kept: keep,
                        });
                    } else if !old.ends_with(".gz") {
                        plan.push(Micro::Compress { path: old.clone() });
                    }
                }
                plan.push(Micro::Rename {
                    target,
                    from: path.clone(),
                    to: format!("{path}.{suffix}"),
                });
                plan.push(Micro::Reopen { target, path });
            }
        }
        self.pending.extend(plan);
    }

    fn plan_agent_poll(&mut self) {
        let Some(agent) = &self.agent else { return };
        let mut plan = Vec::new();
        for (path, ino, inode) in self.fs.files_under(WATCHED_DIR) {
            if matches_glob(path) {
                if !agent.following.contains_key(&ino) {
                    plan.push(Micro::AgentDiscover {
                        path: path.to_string(),
                    });
                }
            } else if !agent.knows(inode.lineage) {
                plan.push(Micro::AgentMissed {
                    path: path.to_string(),
                    lineage: inode.lineage,
                });
            }
        }
        plan.push(Micro::AgentReadAll);
        self.pending.extend(plan);
    }

    /// Applies one micro-step; `None` when it only planned more micro-steps.
    fn apply(&mut self, micro: Micro, rng: &mut SimRng) -> Option<Event> {
        let now = self.now;
        let ev = |object: String, kind: &str, detail: String, rule: Rule| {
            Some(Event::new(now, object, kind, detail, rule))
        };
        match micro {
            Micro::AssignUid(pod) => {
                let spec = self.setup.pods.get(pod)?;
                let uid = spec.uid.clone().unwrap_or_else(|| random_uid(rng));
                let object = format!("pod {}/{}", spec.namespace, spec.name);
                let detail = format!("{object} is created with UID {uid}; its logs go under {WATCHED_DIR}{}_{}_{uid}/", spec.namespace, spec.name);
                self.pods.get_mut(pod)?.uid = Some(uid);
                ev(object, "pod-created", detail, rules::POD_UID)
            }
            Micro::Start { target, restart } => {
                let id = random_hex(rng, 4);
                let container = self.container_mut(target)?;
                if restart {
                    container.restart_count += 1;
                }
                container.container_id = Some(id.clone());
                container.phase = Phase::Running;
                let count = container.restart_count;
                let path = self.log_path(target, count)?;
                let ino = self.fs.create(&path);
                let name = self.name_of(target);
                let short = id.get(..12).unwrap_or(&id);
                if restart {
                    ev(name, "container-restarted", format!("restartCount is now {count}; new container {short} writes to a new file {path} (inode {ino})"), rules::RESTART_NEW_FILE)
                } else {
                    ev(
                        name,
                        "container-started",
                        format!(
                            "container {short} started; the runtime opens {path} (inode {ino})"
                        ),
                        rules::POD_LOG_FILE,
                    )
                }
            }
            Micro::Link(target) => {
                let spec = self.setup.pods.get(target.pod)?;
                let cname = &spec.containers.get(target.container)?.name;
                let id = self.container(target)?.container_id.clone()?;
                let link = format!(
                    "/var/log/containers/{}_{}_{cname}-{id}.log",
                    spec.name, spec.namespace
                );
                let path = self.current_path(target)?;
                self.fs.symlink(&link, &path);
                ev(
                    link.clone(),
                    "symlink-created",
                    format!("{link} -> {path}"),
                    rules::CONTAINERS_SYMLINK,
                )
            }
            Micro::Append {
                target,
                line,
                via_sidecar,
            } => {
                let path = self.current_path(target)?;
                let text = line.format();
                self.fs.append_line(&path, &text);
                let size = self.fs.file(&path).map_or(0, |f| f.size);
                let (kind, rule) = match (line.tag, via_sidecar) {
                    (Tag::Partial, _) => ("partial-line", rules::CRI_PARTIAL_LINE),
                    (Tag::Full, true) => ("sidecar-line", rules::STREAMING_SIDECAR),
                    (Tag::Full, false) => ("line", rules::CRI_FULL_LINE),
                };
                let shown = abbreviate(&text, 100);
                ev(
                    path,
                    kind,
                    format!(
                        "{} appends `{shown}` ({} bytes of content); file is now {size} bytes",
                        self.name_of(target),
                        line.content.len()
                    ),
                    rule,
                )
            }
            Micro::WriteShared {
                target,
                path,
                message,
            } => {
                self.pods
                    .get_mut(target.pod)?
                    .shared_files
                    .entry(path.clone())
                    .or_default()
                    .push(message.clone());
                let mut follow = Vec::new();
                let timestamp = self.stamp();
                let spec = self.setup.pods.get(target.pod)?;
                for (i, c) in spec.containers.iter().enumerate() {
                    let sidecar = ContainerRef {
                        pod: target.pod,
                        container: i,
                    };
                    if c.tails.as_deref() != Some(path.as_str()) || !self.is_running(sidecar) {
                        continue;
                    }
                    match c.role {
                        Role::StreamingSidecar => {
                            for (tag, piece) in
                                split_message(&message, self.setup.settings.max_line_size)
                            {
                                let line = CriLine {
                                    timestamp,
                                    stream: Stream::Stdout,
                                    tag,
                                    content: piece.to_string(),
                                };
                                follow.push(Micro::Append {
                                    target: sidecar,
                                    line,
                                    via_sidecar: true,
                                });
                            }
                        }
                        Role::AgentSidecar => follow.push(Micro::SidecarShip {
                            target: sidecar,
                            path: path.clone(),
                            message: message.clone(),
                        }),
                        Role::App => {}
                    }
                }
                let readers = follow.len();
                self.push_front_all(follow);
                let detail = format!("{} appends `{}` to {path} in the shared emptyDir ({readers} sidecar step(s) follow); nothing is written to /var/log/pods", self.name_of(target), abbreviate(&message, 80));
                ev(
                    format!("emptyDir {path}"),
                    "file-write",
                    detail,
                    rules::APP_WRITES_FILE,
                )
            }
            Micro::SidecarShip {
                target,
                path,
                message,
            } => {
                let name = self.name_of(target);
                let spec = self.setup.pods.get(target.pod)?;
                let shipped_by = format!(
                    "sidecar {}/{}",
                    spec.name,
                    spec.containers.get(target.container)?.name
                );
                self.backend.push(ShippedRecord {
                    shipped_by,
                    file: path.clone(),
                    time: self.stamp().rfc3339_nano(),
                    stream: "file".into(),
                    text: message.clone(),
                });
                ev(name, "sidecar-shipped", format!("ships `{}` from {path} straight to the backend; it never reaches /var/log/pods", abbreviate(&message, 80)), rules::SIDECAR_AGENT)
            }
            Micro::Refused { target, what } => {
                let name = self.name_of(target);
                ev(
                    name,
                    "not-running",
                    format!("the container is not running, so it cannot {what}"),
                    rules::NOT_RUNNING,
                )
            }
            Micro::Exit { target, exit_code } => {
                let path = self.current_path(target)?;
                let container = self.container_mut(target)?;
                container.phase = Phase::Terminated { exit_code };
                let backoff = backoff(container.restart_count);
                let restart_at = self.now.plus(backoff);
                self.plan(restart_at, Kind::Restart, Planned::Restart(target));
                let name = self.name_of(target);
                ev(
                    name,
                    "container-exited",
                    format!(
                        "exited with code {exit_code}; {path} stays on the node; restart in {} s",
                        backoff.as_nanos() / 1_000_000_000
                    ),
                    rules::CONTAINER_EXIT,
                )
            }
            Micro::RemoveRotated { path, kept } => {
                let size = self.fs.file(&path).map_or(0, |f| f.size);
                self.fs.unlink(&path);
                ev(path.clone(), "rotated-removed", format!("deleted {path} ({size} bytes), oldest first, to keep at most {kept} rotated {}", if kept == 1 { "file" } else { "files" }), rules::ROTATE_REMOVE_EXCESS)
            }
            Micro::Compress { path } => {
                let plain = self.fs.file(&path).map_or(0, |f| f.size);
                let percent = self.setup.settings.gzip_percent;
                let size = self.fs.gzip(&path, percent)?;
                ev(path.clone(), "rotated-compressed", format!("gzipped {path} to {path}.gz: {plain} -> {size} bytes (modelled as 18 + ceil({plain} x {percent}%))"), rules::ROTATE_COMPRESS)
            }
            Micro::Rename {
                target: _,
                from,
                to,
            } => {
                let size = self.fs.file(&from).map_or(0, |f| f.size);
                let max = self.setup.settings.container_log_max_size;
                self.fs.rename(&from, &to);
                ev(
                    from.clone(),
                    "rotated",
                    format!("{from} is {size} bytes >= containerLogMaxSize {max}: renamed to {to}"),
                    rules::ROTATE_RENAME,
                )
            }
            Micro::Reopen { target, path } => {
                let ino = self.fs.create(&path);
                let name = self.name_of(target);
                ev(
                    path.clone(),
                    "reopened",
                    format!(
                        "the runtime reopens {path} for {name}: a new empty file (inode {ino})"
                    ),
                    rules::ROTATE_REOPEN,
                )
            }
            Micro::KubectlLogs { target, previous } => Some(self.kubectl_logs(target, previous)),
            Micro::List(target) => {
                let dir = self.log_dir(target.pod, target.container)?;
                let entries: Vec<(&str, u64, u64)> = self
                    .fs
                    .files_under(&dir)
                    .map(|(p, ino, f)| (p.strip_prefix(dir.as_str()).unwrap_or(p), ino, f.size))
                    .collect();
                let detail = format!(
                    "{} file(s): {}",
                    entries.len(),
                    entries
                        .iter()
                        .map(|(name, ino, size)| format!("{name} ({size} bytes, inode {ino})"))
                        .collect::<Vec<_>>()
                        .join("; ")
                );
                let output: Vec<String> = entries
                    .iter()
                    .map(|(name, ino, size)| format!("{size:>10} {name} (inode {ino})"))
                    .collect();
                self.last_output = Some(Arc::new(CommandOutput {
                    command: format!("ls -l {dir}"),
                    output,
                }));
                ev(dir, "listed", detail, rules::LIST_LOG_DIR)
            }
            Micro::ParseLine(line) => {
                let (kind, output) = match parse_line(&line) {
                    Ok(cri) => (
                        "parsed",
                        format!(
                            "stream {}, {} line, content \"{}\", time {}",
                            cri.stream.as_str(),
                            if cri.tag == Tag::Full {
                                "full"
                            } else {
                                "partial"
                            },
                            cri.content,
                            cri.timestamp
                        ),
                    ),
                    Err(e) => ("parse-error", e.to_string()),
                };
                self.last_output = Some(Arc::new(CommandOutput {
                    command: format!("parse CRI line `{line}`"),
                    output: vec![output.clone()],
                }));
                ev("CRI line".to_string(), kind, output, rules::CRI_PARSE)
            }
            Micro::AgentMissed { path, lineage } => {
                let agent = self.agent.as_mut()?;
                agent.record_missed(lineage, &path);
                let name = agent.name.clone();
                ev(path.clone(), "agent-missed", format!("{name} never opened this file before it was rotated away from its *.log name; its lines are never shipped"), rules::AGENT_MISSED)
            }
            Micro::AgentDiscover { path } => {
                let ino = self.fs.inode_at(&path)?;
                let lineage = self.fs.inode(ino)?.lineage;
                let agent = self.agent.as_mut()?;
                agent.follow(ino, lineage, &path);
                let name = agent.name.clone();
                self.fs.set_held_open(ino, true);
                ev(
                    path.clone(),
                    "agent-follows",
                    format!("{name} opens {path} (inode {ino}) and will read it from offset 0"),
                    rules::AGENT_DISCOVER,
                )
            }
            Micro::AgentReadAll => {
                let agent = self.agent.as_ref()?;
                let mut plan = Vec::new();
                for (ino, tail) in &agent.following {
                    let size = self.fs.inode(*ino).map_or(0, |f| f.size);
                    if tail.offset < size {
                        plan.push(Micro::AgentShip(*ino));
                    }
                    if !self.fs.path_of(*ino).is_some_and(matches_glob) {
                        plan.push(Micro::AgentRelease(*ino));
                    }
                }
                self.push_front_all(plan);
                None
            }
            Micro::AgentShip(ino) => {
                let path = self
                    .fs
                    .path_of(ino)
                    .map_or_else(|| format!("(deleted inode {ino})"), str::to_string);
                let text = &self.fs.inode(ino)?.text;
                let agent = self.agent.as_mut()?;
                let read = agent.read(ino, &path, text)?;
                let name = agent.name.clone();
                let shipped = read.messages.len();
                for m in read.messages {
                    self.backend.push(ShippedRecord {
                        shipped_by: name.clone(),
                        file: path.clone(),
                        time: m.timestamp.rfc3339_nano(),
                        stream: m.stream.as_str().into(),
                        text: m.text,
                    });
                }
                let skipped = if read.bad_lines > 0 {
                    format!(", skipped {} bad line(s)", read.bad_lines)
                } else {
                    String::new()
                };
                ev(path, "agent-shipped", format!("{name} reads bytes {}..{} ({} CRI lines{skipped}) and ships {shipped} message(s); offset saved at {}", read.from, read.to, read.lines, read.to), rules::AGENT_SHIP)
            }
            Micro::AgentRelease(ino) => {
                let size = self.fs.inode(ino).map_or(0, |f| f.size);
                let agent = self.agent.as_mut()?;
                if agent.following.get(&ino).is_some_and(|t| t.offset < size) {
                    return None;
                }
                let tail = agent.release(ino)?;
                let name = agent.name.clone();
                self.fs.set_held_open(ino, false);
                let now_named = self
                    .fs
                    .path_of(ino)
                    .map_or_else(|| "deleted".to_string(), |p| format!("now {p}"));
                ev(tail.path.clone(), "agent-released", format!("{name} has read inode {ino} ({now_named}) to its end at offset {} and closes it", tail.offset), rules::AGENT_RELEASE_ROTATED)
            }
        }
    }

    fn kubectl_logs(&mut self, target: ContainerRef, previous: bool) -> Event {
        let spec_pod = self.setup.pods.get(target.pod);
        let (pod_name, namespace, cname) =
            match spec_pod.and_then(|p| p.containers.get(target.container).map(|c| (p, c))) {
                Some((p, c)) => (p.name.clone(), p.namespace.clone(), c.name.clone()),
                None => (String::new(), String::new(), String::new()),
            };
        let ns_flag = if namespace == "default" {
            String::new()
        } else {
            format!(" -n {namespace}")
        };
        let command = format!(
            "kubectl logs{ns_flag} {pod_name} -c {cname}{}",
            if previous { " --previous" } else { "" }
        );
        let container = self.container(target).cloned();
        let instance = match (&container, previous) {
            (Some(c), false) if c.phase != Phase::NotStarted => Some(c.restart_count),
            (Some(c), true) if matches!(c.phase, Phase::Terminated { .. }) => Some(c.restart_count),
            (Some(c), true) => c.restart_count.checked_sub(1),
            _ => None,
        };
        let rule = if previous {
            rules::KUBECTL_PREVIOUS
        } else {
            rules::KUBECTL_LOGS
        };
        let path = instance.and_then(|n| self.log_path(target, n));
        let Some(path) = path else {
            let message = if previous {
                format!("Error from server (BadRequest): previous terminated container \"{cname}\" in pod \"{pod_name}\" not found")
            } else {
                format!("Error from server (BadRequest): container \"{cname}\" in pod \"{pod_name}\" is waiting to start")
            };
            self.last_output = Some(Arc::new(CommandOutput {
                command: command.clone(),
                output: vec![message.clone()],
            }));
            return Event::new(
                self.now,
                command,
                "kubectl-error",
                message,
                if previous {
                    rules::KUBECTL_PREVIOUS_MISSING
                } else {
                    rules::KUBECTL_LOGS
                },
            );
        };
        let text = self
            .fs
            .file(&path)
            .map(|f| f.text.clone())
            .unwrap_or_default();
        let lines: Vec<CriLine> = text
            .split_terminator('\n')
            .filter_map(|l| parse_line(l).ok())
            .collect();
        let output: Vec<String> = join_partials(&lines).into_iter().map(|m| m.text).collect();
        let last = output.last().map_or_else(
            || "nothing".to_string(),
            |l| format!("last `{}`", abbreviate(l, 60)),
        );
        let detail = format!(
            "reads only {path}: {} CRI line(s) joined into {} message(s), {last}",
            lines.len(),
            output.len()
        );
        self.last_output = Some(Arc::new(CommandOutput {
            command: command.clone(),
            output,
        }));
        Event::new(self.now, command, "kubectl-logs", detail, rule)
    }
}

/// The kubelet's restart back-off after `restarts` earlier restarts.
fn backoff(restarts: u32) -> SimTime {
    let factor = 1u64.checked_shl(restarts.min(16)).unwrap_or(u64::MAX);
    SimTime::from_nanos(BACKOFF_START.as_nanos().saturating_mul(factor)).min(BACKOFF_MAX)
}

fn random_hex(rng: &mut SimRng, words: usize) -> String {
    (0..words)
        .map(|_| format!("{:016x}", rng.next_u64()))
        .collect()
}

fn random_uid(rng: &mut SimRng) -> String {
    let a = rng.next_u64();
    let b = rng.next_u64();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | ((b >> 48) & 0x3fff),
        b & 0xffff_ffff_ffff
    )
}

fn abbreviate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let head: String = text.chars().take(max_chars).collect();
    format!("{head}... ({} bytes)", text.len())
}

impl Simulation for LogsSim {
    fn step(&mut self, now: &mut SimTime, rng: &mut SimRng) -> Option<Event> {
        loop {
            if let Some(micro) = self.pending.pop_front() {
                if let Some(event) = self.apply(micro, rng) {
                    return Some(event);
                }
                continue;
            }
            let next_planned = self.agenda.first_key_value().map(|(k, _)| (k.0, k.1));
            let next_op = self.script.get(self.next_op).map(|t| (t.at, Kind::Script));
            let take_op = match (next_planned, next_op) {
                (_, None) => false,
                (None, Some(_)) => true,
                (Some(planned), Some(op)) => op < planned,
            };
            if take_op {
                let script = Arc::clone(&self.script);
                let timed = script.get(self.next_op)?;
                self.next_op += 1;
                self.advance(now, timed.at);
                self.expand_op(&timed.op);
            } else {
                let ((at, _, _), item) = self.agenda.pop_first()?;
                self.advance(now, at);
                self.expand(item);
            }
        }
    }

    fn state(&self) -> serde_json::Value {
        serde_json::to_value(self.view()).unwrap_or_default()
    }
}

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
    shared_files: &'a BTreeMap<String, AppendLog<String>>,
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

impl LogsSim {
    fn view(&self) -> StateView<'_> {
        let pods = self
            .setup
            .pods
            .iter()
            .zip(&self.pods)
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
                                self.log_path(
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
        let files = self
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
            clock: self.stamp().rfc3339_nano(),
            settings: &self.setup.settings,
            pods,
            files,
            symlinks: self
                .fs
                .symlinks()
                .map(|(link, target)| LinkView { link, target })
                .collect(),
            agent: self.agent.as_ref(),
            backend: &self.backend,
            last_output: self.last_output.as_deref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUSY: &str = "[scenario]\ntitle = \"t\"\nsimulator = \"logs\"\n\
        [node]\ncontainer_log_max_size = \"2Ki\"\n\
        [agent]\nname = \"fluent-bit\"\npoll_interval_ms = 1000\n\
        [[pods]]\nname = \"counter\"\n[[pods.containers]]\nname = \"count\"\n\
        [[script]]\nat_ms = 0\naction = \"write\"\npod = \"counter\"\ncontainer = \"count\"\n\
        stream = \"stdout\"\ntext = \"{i}\"\nrepeat = 2000\nevery_ms = 100\n";

    #[test]
    fn a_clone_mid_run_shares_the_script_and_history_and_continues_identically() {
        let (_, mut sim) = crate::load("busy.toml", BUSY).unwrap();
        let (mut now, mut rng) = (SimTime::ZERO, SimRng::new(3));
        for _ in 0..1500 {
            assert!(sim.step(&mut now, &mut rng).is_some());
        }
        let mut copy = sim.clone();
        assert!(Arc::ptr_eq(&sim.script, &copy.script));
        assert!(Arc::ptr_eq(&sim.setup, &copy.setup));
        assert!(sim.next_op > 0 && sim.next_op < sim.script.len());
        assert!(
            sim.backend.len() > crate::shared::CHUNK,
            "{}",
            sim.backend.len()
        );
        let (mut copy_now, mut copy_rng) = (now, rng.clone());
        loop {
            let original = sim.step(&mut now, &mut rng);
            let replayed = copy.step(&mut copy_now, &mut copy_rng);
            assert_eq!(original, replayed);
            if original.is_none() {
                break;
            }
        }
        assert_eq!(sim.state(), copy.state());
        assert!(sim.backend().len() > 1900, "{}", sim.backend().len());
    }
}
