//! The container runtime and the kubelet's container lifecycle: pods get
//! UIDs, containers start, write CRI lines, write shared files read by
//! sidecars, exit, and restart after a back-off.
//!
//! Contract: [`start_pods`], [`restart`] and [`plan_op`] turn work into
//! [`Step`]s without changing the node; [`apply`] applies one step, says what
//! it did, and returns the steps that must follow at once (a sidecar's reads
//! of a shared-file write) and, for an exit, when the kubelet restarts the
//! container. Pod UIDs and container IDs are drawn from per-entity streams
//! of the step's context (keyed by pod, and by container and restart
//! count), so adding a pod never changes another's IDs.

use crate::agent::ShippedRecord;
use crate::config::{ContainerRef, Role};
use crate::cri::{split_message, CriLine, Stream};
use crate::facts::LogsFact;
use crate::node::{Applied, Node, Phase};
use sim_core::{ids, Context, SimTime};

/// The kubelet's first restart back-off.
const BACKOFF_START: SimTime = SimTime::from_secs(10);
/// The kubelet's longest restart back-off.
const BACKOFF_MAX: SimTime = SimTime::from_secs(300);
/// Hex digits of a container ID.
const CONTAINER_ID_DIGITS: usize = 64;

/// One micro-step of the runtime or the kubelet's container lifecycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    AssignUid(usize),
    Start {
        target: ContainerRef,
        restart: bool,
    },
    Link(ContainerRef),
    BackOffOver {
        target: ContainerRef,
        backoff: SimTime,
    },
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Restart {
    /// When it restarts.
    pub(crate) at: SimTime,
    /// Which container.
    pub(crate) target: ContainerRef,
    /// The back-off it waited.
    pub(crate) backoff: SimTime,
}

/// Every pod gets its UID, then each of its containers starts and is linked.
pub(crate) fn start_pods(node: &Node) -> Vec<Step> {
    let mut steps = Vec::new();
    for (pod, spec) in node.config.pods.iter().enumerate() {
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

/// A crashed container's back-off is over: it starts again and is linked.
pub(crate) fn restart(restart: Restart) -> [Step; 3] {
    let target = restart.target;
    [
        Step::BackOffOver {
            target,
            backoff: restart.backoff,
        },
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
            split_message(message, node.config.settings.max_line_size)
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

/// Applies one step (see the module docs).
pub(crate) fn apply(
    node: &mut Node,
    step: Step,
    cx: &mut Context<'_>,
) -> (Applied<Step>, Option<Restart>) {
    let now = cx.now();
    let mut restart = None;
    let applied = match step {
        Step::AssignUid(pod) => assign_uid(node, pod, cx).map(Applied::fact),
        Step::Start { target, restart } => start(node, target, restart, cx).map(Applied::fact),
        Step::Link(target) => link(node, target).map(Applied::fact),
        Step::BackOffOver { target, backoff } => {
            let restarts = node.container(target).map_or(0, |c| c.restart_count);
            Some(Applied::fact(LogsFact::BackOffOver {
                container: node.name_of(target),
                backoff_s: backoff.as_nanos() / 1_000_000_000,
                next_backoff_s: self::backoff(restarts.saturating_add(1)).as_nanos()
                    / 1_000_000_000,
            }))
        }
        Step::Append {
            target,
            line,
            via_sidecar,
        } => append(node, target, &line, via_sidecar).map(Applied::fact),
        Step::WriteShared {
            target,
            path,
            message,
        } => write_shared(node, target, path, message, now),
        Step::SidecarShip {
            target,
            path,
            message,
        } => sidecar_ship(node, target, path, message, now).map(Applied::fact),
        Step::Refused { target, what } => Some(Applied::fact(LogsFact::NotRunning {
            container: node.name_of(target),
            what,
        })),
        Step::Exit { target, exit_code } => {
            exit(node, target, exit_code, now).map(|(fact, scheduled)| {
                restart = Some(scheduled);
                Applied::fact(fact)
            })
        }
    };
    (applied.unwrap_or_default(), restart)
}

/// The pod gets its fixed UID or one drawn from the pod's own stream.
fn assign_uid(node: &mut Node, pod: usize, cx: &Context<'_>) -> Option<LogsFact> {
    let spec = node.config.pods.get(pod)?;
    let uid = spec.uid.clone().unwrap_or_else(|| {
        let mut stream = cx.stream(&format!("pod-uid:{}/{}", spec.namespace, spec.name));
        ids::uuid_v4(&mut stream)
    });
    let fact = LogsFact::PodCreated {
        namespace: spec.namespace.clone(),
        name: spec.name.clone(),
        uid: uid.clone(),
    };
    node.pods.get_mut(pod)?.uid = Some(uid);
    Some(fact)
}

/// A container instance starts with a new ID, drawn from the instance's own
/// stream, and the runtime opens its log file.
fn start(
    node: &mut Node,
    target: ContainerRef,
    restart: bool,
    cx: &Context<'_>,
) -> Option<LogsFact> {
    let name = node.name_of(target);
    let container = node.container_mut(target)?;
    if restart {
        container.restart_count += 1;
    }
    let mut stream = cx.stream(&format!("container-id:{name}#{}", container.restart_count));
    let id = ids::hex(&mut stream, CONTAINER_ID_DIGITS);
    let short_id = id.get(..12).unwrap_or(&id).to_string();
    container.container_id = Some(id);
    container.phase = Phase::Running;
    let restart_count = container.restart_count;
    let path = node.log_path(target, restart_count)?;
    let inode = node.fs.create(&path);
    let container = name;
    Some(if restart {
        LogsFact::ContainerRestarted {
            container,
            restart_count,
            short_id,
            path,
            inode,
        }
    } else {
        LogsFact::ContainerStarted {
            container,
            short_id,
            path,
            inode,
        }
    })
}

/// The kubelet links `/var/log/containers/...` to the current log file.
fn link(node: &mut Node, target: ContainerRef) -> Option<LogsFact> {
    let spec = node.config.pods.get(target.pod)?;
    let cname = &spec.containers.get(target.container)?.name;
    let id = node.container(target)?.container_id.as_deref()?;
    let link = format!(
        "/var/log/containers/{}_{}_{cname}-{id}.log",
        spec.name, spec.namespace
    );
    let path = node.current_path(target)?;
    node.fs.symlink(&link, &path);
    Some(LogsFact::SymlinkCreated { link, path })
}

/// The runtime appends one CRI line to the container's current log file.
fn append(
    node: &mut Node,
    target: ContainerRef,
    line: &CriLine,
    via_sidecar: bool,
) -> Option<LogsFact> {
    let path = node.current_path(target)?;
    let text = line.format();
    node.fs.append_line(&path, &text);
    let size = node.fs.file(&path).map_or(0, |f| f.size);
    Some(LogsFact::LineAppended {
        container: node.name_of(target),
        path,
        line: text,
        content_bytes: line.content.len(),
        size,
        tag: line.tag,
        via_sidecar,
    })
}

/// A sidecar logging agent ships a shared-file line straight to the backend.
fn sidecar_ship(
    node: &mut Node,
    target: ContainerRef,
    path: String,
    message: String,
    now: SimTime,
) -> Option<LogsFact> {
    let container = node.name_of(target);
    let spec = node.config.pods.get(target.pod)?;
    let shipped_by = format!(
        "sidecar {}/{}",
        spec.name,
        spec.containers.get(target.container)?.name
    );
    node.backend.push(ShippedRecord {
        shipped_by,
        file: path.clone(),
        time: node.stamp(now).rfc3339_nano(),
        stream: "file".into(),
        text: message.clone(),
    });
    Some(LogsFact::SidecarShipped {
        container,
        path,
        message,
    })
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
        .get_or_insert_with(path.clone(), Default::default)
        .push(message.clone());
    let mut follow = Vec::new();
    let timestamp = node.stamp(now);
    let spec = node.config.pods.get(target.pod)?;
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
                for (tag, piece) in split_message(&message, node.config.settings.max_line_size) {
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
    Some(Applied {
        fact: Some(LogsFact::SharedFileWritten {
            container: node.name_of(target),
            readers: follow.len(),
            path,
            message,
        }),
        next: follow,
    })
}

/// A container exits; the kubelet schedules its restart after the back-off.
fn exit(
    node: &mut Node,
    target: ContainerRef,
    exit_code: i32,
    now: SimTime,
) -> Option<(LogsFact, Restart)> {
    let path = node.current_path(target)?;
    let container = node.container_mut(target)?;
    container.phase = Phase::Terminated { exit_code };
    let backoff = backoff(container.restart_count);
    let restart = Restart {
        at: now.plus(backoff),
        target,
        backoff,
    };
    let fact = LogsFact::ContainerExited {
        container: node.name_of(target),
        exit_code,
        path,
        backoff_s: backoff.as_nanos() / 1_000_000_000,
    };
    Some((fact, restart))
}

/// The kubelet's restart back-off after `restarts` earlier restarts.
fn backoff(restarts: u32) -> SimTime {
    let factor = 1u64.checked_shl(restarts.min(16)).unwrap_or(u64::MAX);
    SimTime::from_nanos(BACKOFF_START.as_nanos().saturating_mul(factor)).min(BACKOFF_MAX)
}
