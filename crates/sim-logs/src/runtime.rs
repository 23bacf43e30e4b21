//! The container runtime and the kubelet's container lifecycle: pods get
//! UIDs, containers start, write CRI lines, write shared files read by
//! sidecars, exit, and restart after a back-off.
//!
//! Contract: [`start_pods`], [`restart`] and [`plan_op`] turn work into
//! [`Step`]s without changing the node; [`apply`] applies one step, says what
//! it did, and returns the steps that must follow at once (a sidecar's reads
//! of a shared-file write) and, for an exit, when the kubelet restarts the
//! container. Randomness (pod UIDs, container IDs) comes only from `rng`.

use crate::agent::{ShippedRecord, WATCHED_DIR};
use crate::cri::{split_message, CriLine, Stream, Tag};
use crate::node::{abbreviate, Applied, Node, Phase};
use crate::rules;
use crate::setup::{ContainerRef, Role};
use sim_core::{Event, SimRng, SimTime};

/// The kubelet's first restart back-off.
const BACKOFF_START: SimTime = SimTime::from_secs(10);
/// The kubelet's longest restart back-off.
const BACKOFF_MAX: SimTime = SimTime::from_secs(300);

/// One micro-step of the runtime or the kubelet's container lifecycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
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
}

/// What a script action asks of the runtime.
pub(crate) enum Request<'a> {
    /// Print `message` on `stream`.
    Write {
        target: ContainerRef,
        stream: Stream,
        message: &'a str,
    },
    /// Append `message` to the shared file `path`.
    WriteFile {
        target: ContainerRef,
        path: &'a str,
        message: &'a str,
    },
    /// Exit with `exit_code`.
    Crash {
        target: ContainerRef,
        exit_code: i32,
    },
}

/// A container restart the kubelet has scheduled.
pub(crate) struct Restart {
    /// When it restarts.
    pub(crate) at: SimTime,
    /// Which container.
    pub(crate) target: ContainerRef,
}

/// Every pod gets its UID, then each of its containers starts and is linked.
pub(crate) fn start_pods(node: &Node) -> Vec<Step> {
    let mut steps = Vec::new();
    for (pod, spec) in node.setup.pods.iter().enumerate() {
        steps.push(Step::AssignUid(pod));
        for container in 0..spec.containers.len() {
            let target = ContainerRef { pod, container };
            steps.push(Step::Start {
                target,
                restart: false,
            });
            steps.push(Step::Link(target));
        }
    }
    steps
}

/// A crashed container starts again and is linked.
pub(crate) fn restart(target: ContainerRef) -> [Step; 2] {
    [
        Step::Start {
            target,
            restart: true,
        },
        Step::Link(target),
    ]
}

/// The steps of a script action at `now`; a container that is not running refuses.
pub(crate) fn plan_op(node: &Node, request: Request<'_>, now: SimTime) -> Vec<Step> {
    match request {
        Request::Write {
            target,
            stream,
            message,
        } => {
            if !node.is_running(target) {
                return vec![Step::Refused {
                    target,
                    what: "write to its stdout/stderr",
                }];
            }
            let timestamp = node.stamp(now);
            split_message(message, node.setup.settings.max_line_size)
                .into_iter()
                .map(|(tag, piece)| Step::Append {
                    target,
                    line: CriLine {
                        timestamp,
                        stream,
                        tag,
                        content: piece.to_string(),
                    },
                    via_sidecar: false,
                })
                .collect()
        }
        Request::WriteFile {
            target,
            path,
            message,
        } => {
            if node.is_running(target) {
                vec![Step::WriteShared {
                    target,
                    path: path.to_string(),
                    message: message.to_string(),
                }]
            } else {
                vec![Step::Refused {
                    target,
                    what: "write to a file",
                }]
            }
        }
        Request::Crash { target, exit_code } => {
            if node.is_running(target) {
                vec![Step::Exit { target, exit_code }]
            } else {
                vec![Step::Refused {
                    target,
                    what: "crash",
                }]
            }
        }
    }
}

/// Applies one step at `now` (see the module docs).
pub(crate) fn apply(
    node: &mut Node,
    step: Step,
    now: SimTime,
    rng: &mut SimRng,
) -> (Applied<Step>, Option<Restart>) {
    let mut restart = None;
    let applied = match step {
        Step::AssignUid(pod) => assign_uid(node, pod, now, rng).map(Applied::event),
        Step::Start { target, restart } => {
            start(node, target, restart, now, rng).map(Applied::event)
        }
        Step::Link(target) => link(node, target, now).map(Applied::event),
        Step::Append {
            target,
            line,
            via_sidecar,
        } => append(node, target, &line, via_sidecar, now).map(Applied::event),
        Step::WriteShared {
            target,
            path,
            message,
        } => write_shared(node, target, path, message, now),
        Step::SidecarShip {
            target,
            path,
            message,
        } => sidecar_ship(node, target, &path, &message, now).map(Applied::event),
        Step::Refused { target, what } => Some(Applied::event(Event::new(
            now,
            node.name_of(target),
            "not-running",
            format!("the container is not running, so it cannot {what}"),
            rules::NOT_RUNNING,
        ))),
        Step::Exit { target, exit_code } => {
            exit(node, target, exit_code, now).map(|(event, scheduled)| {
                restart = Some(scheduled);
                Applied::event(event)
            })
        }
    };
    (applied.unwrap_or_default(), restart)
}

/// The pod gets its fixed UID or one drawn from `rng`.
fn assign_uid(node: &mut Node, pod: usize, now: SimTime, rng: &mut SimRng) -> Option<Event> {
    let spec = node.setup.pods.get(pod)?;
    let uid = spec.uid.clone().unwrap_or_else(|| random_uid(rng));
    let object = format!("pod {}/{}", spec.namespace, spec.name);
    let detail = format!(
        "{object} is created with UID {uid}; its logs go under {WATCHED_DIR}{}_{}_{uid}/",
        spec.namespace, spec.name
    );
    node.pods.get_mut(pod)?.uid = Some(uid);
    Some(Event::new(
        now,
        object,
        "pod-created",
        detail,
        rules::POD_UID,
    ))
}

/// A container instance starts with a new ID and the runtime opens its log file.
fn start(
    node: &mut Node,
    target: ContainerRef,
    restart: bool,
    now: SimTime,
    rng: &mut SimRng,
) -> Option<Event> {
    let id = random_hex(rng, 4);
    let container = node.container_mut(target)?;
    if restart {
        container.restart_count += 1;
    }
    container.container_id = Some(id.clone());
    container.phase = Phase::Running;
    let count = container.restart_count;
    let path = node.log_path(target, count)?;
    let ino = node.fs.create(&path);
    let name = node.name_of(target);
    let short = id.get(..12).unwrap_or(&id);
    Some(if restart {
        Event::new(now, name, "container-restarted", format!("restartCount is now {count}; new container {short} writes to a new file {path} (inode {ino})"), rules::RESTART_NEW_FILE)
    } else {
        Event::new(
            now,
            name,
            "container-started",
            format!("container {short} started; the runtime opens {path} (inode {ino})"),
            rules::POD_LOG_FILE,
        )
    })
}

/// The kubelet links `/var/log/containers/...` to the current log file.
fn link(node: &mut Node, target: ContainerRef, now: SimTime) -> Option<Event> {
    let spec = node.setup.pods.get(target.pod)?;
    let cname = &spec.containers.get(target.container)?.name;
    let id = node.container(target)?.container_id.clone()?;
    let link = format!(
        "/var/log/containers/{}_{}_{cname}-{id}.log",
        spec.name, spec.namespace
    );
    let path = node.current_path(target)?;
    node.fs.symlink(&link, &path);
    Some(Event::new(
        now,
        link.clone(),
        "symlink-created",
        format!("{link} -> {path}"),
        rules::CONTAINERS_SYMLINK,
    ))
}

/// The runtime appends one CRI line to the container's current log file.
fn append(
    node: &mut Node,
    target: ContainerRef,
    line: &CriLine,
    via_sidecar: bool,
    now: SimTime,
) -> Option<Event> {
    let path = node.current_path(target)?;
    let text = line.format();
    node.fs.append_line(&path, &text);
    let size = node.fs.file(&path).map_or(0, |f| f.size);
    let (kind, rule) = match (line.tag, via_sidecar) {
        (Tag::Partial, _) => ("partial-line", rules::CRI_PARTIAL_LINE),
        (Tag::Full, true) => ("sidecar-line", rules::STREAMING_SIDECAR),
        (Tag::Full, false) => ("line", rules::CRI_FULL_LINE),
    };
    let shown = abbreviate(&text, 100);
    let detail = format!(
        "{} appends `{shown}` ({} bytes of content); file is now {size} bytes",
        node.name_of(target),
        line.content.len()
    );
    Some(Event::new(now, path, kind, detail, rule))
}

/// A sidecar logging agent ships a shared-file line straight to the backend.
fn sidecar_ship(
    node: &mut Node,
    target: ContainerRef,
    path: &str,
    message: &str,
    now: SimTime,
) -> Option<Event> {
    let name = node.name_of(target);
    let spec = node.setup.pods.get(target.pod)?;
    let shipped_by = format!(
        "sidecar {}/{}",
        spec.name,
        spec.containers.get(target.container)?.name
    );
    node.backend.push(ShippedRecord {
        shipped_by,
        file: path.to_string(),
        time: node.stamp(now).rfc3339_nano(),
        stream: "file".into(),
        text: message.to_string(),
    });
    Some(Event::new(
        now,
        name,
        "sidecar-shipped",
        format!(
            "ships `{}` from {path} straight to the backend; it never reaches /var/log/pods",
            abbreviate(message, 80)
        ),
        rules::SIDECAR_AGENT,
    ))
}

/// A write to a shared file, and the reads of every running sidecar tailing it.
fn write_shared(
    node: &mut Node,
    target: ContainerRef,
    path: String,
    message: String,
    now: SimTime,
) -> Option<Applied<Step>> {
    node.pods
        .get_mut(target.pod)?
        .shared_files
        .entry(path.clone())
        .or_default()
        .push(message.clone());
    let mut follow = Vec::new();
    let timestamp = node.stamp(now);
    let spec = node.setup.pods.get(target.pod)?;
    for (i, c) in spec.containers.iter().enumerate() {
        let sidecar = ContainerRef {
            pod: target.pod,
            container: i,
        };
        if c.tails.as_deref() != Some(path.as_str()) || !node.is_running(sidecar) {
            continue;
        }
        match c.role {
            Role::StreamingSidecar => {
                for (tag, piece) in split_message(&message, node.setup.settings.max_line_size) {
                    let line = CriLine {
                        timestamp,
                        stream: Stream::Stdout,
                        tag,
                        content: piece.to_string(),
                    };
                    follow.push(Step::Append {
                        target: sidecar,
                        line,
                        via_sidecar: true,
                    });
                }
            }
            Role::AgentSidecar => follow.push(Step::SidecarShip {
                target: sidecar,
                path: path.clone(),
                message: message.clone(),
            }),
            Role::App => {}
        }
    }
    let readers = follow.len();
    let detail = format!("{} appends `{}` to {path} in the shared emptyDir ({readers} sidecar step(s) follow); nothing is written to /var/log/pods", node.name_of(target), abbreviate(&message, 80));
    Some(Applied {
        event: Some(Event::new(
            now,
            format!("emptyDir {path}"),
            "file-write",
            detail,
            rules::APP_WRITES_FILE,
        )),
        next: follow,
    })
}

/// A container exits; the kubelet schedules its restart after the back-off.
fn exit(
    node: &mut Node,
    target: ContainerRef,
    exit_code: i32,
    now: SimTime,
) -> Option<(Event, Restart)> {
    let path = node.current_path(target)?;
    let container = node.container_mut(target)?;
    container.phase = Phase::Terminated { exit_code };
    let backoff = backoff(container.restart_count);
    let restart = Restart {
        at: now.plus(backoff),
        target,
    };
    let event = Event::new(
        now,
        node.name_of(target),
        "container-exited",
        format!(
            "exited with code {exit_code}; {path} stays on the node; restart in {} s",
            backoff.as_nanos() / 1_000_000_000
        ),
        rules::CONTAINER_EXIT,
    );
    Some((event, restart))
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
