//! The cgroups simulation: a machine, its cgroup tree, its processes, and the
//! rest of the script.
//!
//! Contract: each [`sim_core::Simulation::step`] applies exactly one change
//! and returns the event describing it, so the state after a step is the state
//! that step's event describes. A script line that causes several changes
//! queues them as separate operations; waiting (`sleep`, a foreground
//! command) advances virtual time to the next thing that happens (a period
//! ending, a quota running out, a timeout, a report) one event at a time.

use crate::command::{Command, Controller, Launch, Program, Target, Unshare};
use crate::hierarchy::{normalize, Hierarchy};
use crate::kubelet::{container_cgroup_values, ContainerResources};
use crate::process::{Activity, Namespace, Namespaces, Process};
use crate::rules;
use crate::units::{bytes, count, seconds};
use crate::weight::RuncVersion;
use serde::Serialize;
use sim_core::{Event, Rule, SimRng, SimTime, Simulation};
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;

/// Which cgroup interface the machine mounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CgroupVersion {
    /// cgroup v1: one hierarchy per controller under `/sys/fs/cgroup/<controller>`.
    V1,
    /// cgroup v2: one unified hierarchy under `/sys/fs/cgroup`.
    V2,
}

/// How `ls -l` prints its header and dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Locale {
    /// `total 0`, `Feb 27 14:32`, names sorted bytewise.
    C,
    /// `总用量 0`, `2月  27 14:32`, names sorted ignoring punctuation (as on slide 9).
    ZhCn,
}

/// The wall-clock time at which the scenario starts, for `ls -l` dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WallClock {
    /// Month, 1-12.
    pub month: u32,
    /// Day of the month.
    pub day: u32,
    /// Hour, 0-23.
    pub hour: u32,
    /// Minute, 0-59.
    pub minute: u32,
}

/// The simulated machine's fixed settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Machine {
    /// Number of CPUs.
    pub cpus: u64,
    /// Mounted cgroup version.
    pub cgroup: CgroupVersion,
    /// The runc release whose shares-to-weight formula applies.
    pub runc: RuncVersion,
    /// The Kubernetes minor release (1.x) the kubelet runs.
    pub kubernetes_minor: u32,
    /// `ls -l` locale.
    pub locale: Locale,
    /// Wall clock at the start.
    pub clock: WallClock,
    /// How often a CPU usage report is emitted while threads run, in ns (0 = never).
    pub report_every_ns: u64,
    /// The host's hostname.
    pub hostname: String,
}

/// A script line: its text and what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptLine {
    /// The line as written.
    pub text: String,
    /// The parsed command.
    pub command: Command,
}

/// How a memory charge is reclaimable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChargeKind {
    /// Anonymous memory of the process (not reclaimable without swap).
    Anon,
    /// Page cache (reclaimable).
    Cache,
}

/// What a wait lasts until.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Until {
    /// A point in virtual time (sleep).
    Time(u64),
    /// A process's exit (a foreground command).
    Exit(u32),
}

/// One pending change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Op {
    Line(usize),
    Create {
        path: String,
        controllers: Vec<Controller>,
        rule: Rule,
    },
    Write {
        path: String,
        file: String,
        value: String,
        by: Option<Rule>,
    },
    Delete {
        path: String,
        controllers: Vec<Controller>,
        recursive: bool,
    },
    Start {
        launch: Launch,
        targets: Option<Vec<Target>>,
        text: String,
    },
    Unshare {
        pid: u32,
        unshare: Unshare,
    },
    Charge {
        pid: u32,
        bytes: u64,
        kind: ChargeKind,
    },
    Reclaim {
        group: String,
        pid: u32,
        bytes: u64,
        kind: ChargeKind,
    },
    OutOfMemory {
        group: String,
        pid: u32,
        bytes: u64,
        kind: ChargeKind,
    },
    Resume {
        pid: u32,
    },
    Shrink {
        group: String,
    },
    StressGivesUp {
        pid: u32,
    },
    FinishDd {
        pid: u32,
    },
    Wait(Until),
}

/// The cgroups simulation.
#[derive(Debug, Clone)]
pub struct CgroupSim {
    pub(crate) machine: Machine,
    pub(crate) tree: Hierarchy,
    pub(crate) processes: BTreeMap<u32, Process>,
    pub(crate) next_pid: u32,
    pub(crate) next_namespace: u32,
    pub(crate) hostnames: BTreeMap<Namespace, String>,
    pub(crate) variables: BTreeMap<String, String>,
    pub(crate) shells: Vec<u32>,
    pub(crate) script: Rc<[ScriptLine]>,
    pub(crate) ops: VecDeque<Op>,
    pub(crate) terminal: Vec<String>,
    pub(crate) now_ns: u64,
    pub(crate) next_report_ns: u64,
    pub(crate) window_start_ns: u64,
    pub(crate) window_contended: bool,
    pub(crate) current_line: Option<usize>,
}

/// The first pid the simulation hands out.
const FIRST_PID: u32 = 1000;

impl CgroupSim {
    /// A machine with `tree` (already set up), ready to run `script`.
    pub fn new(machine: Machine, tree: Hierarchy, script: Vec<ScriptLine>) -> Self {
        let hostname = machine.hostname.clone();
        let report = machine.report_every_ns;
        CgroupSim {
            machine,
            tree,
            processes: BTreeMap::new(),
            next_pid: FIRST_PID,
            next_namespace: 1,
            hostnames: BTreeMap::from([(Namespace::Host, hostname)]),
            variables: BTreeMap::new(),
            shells: Vec::new(),
            ops: (0..script.len()).map(Op::Line).collect(),
            script: script.into(),
            terminal: Vec::new(),
            now_ns: 0,
            next_report_ns: report,
            window_start_ns: 0,
            window_contended: false,
            current_line: None,
        }
    }

    /// The machine's settings.
    pub fn machine(&self) -> &Machine {
        &self.machine
    }

    /// The cgroup tree.
    pub fn tree(&self) -> &Hierarchy {
        &self.tree
    }

    /// The live processes, by pid.
    pub fn processes(&self) -> &BTreeMap<u32, Process> {
        &self.processes
    }

    /// What the last command printed.
    pub fn terminal(&self) -> &[String] {
        &self.terminal
    }

    /// Memory charged to `path` and its descendants, in bytes (saturating at
    /// `u64::MAX`).
    pub fn memory_usage(&self, path: &str) -> u64 {
        let cache = self
            .tree
            .groups()
            .filter(|g| Hierarchy::is_within(&g.path, path))
            .map(|g| g.memory.cache_bytes);
        let anon = self
            .processes
            .values()
            .filter(|p| Hierarchy::is_within(&p.memory_group, path))
            .map(|p| p.anon_bytes);
        cache.chain(anon).fold(0, u64::saturating_add)
    }

    pub(crate) fn event(
        &self,
        object: impl Into<String>,
        kind: &str,
        detail: impl Into<String>,
        rule: Rule,
    ) -> Event {
        Event::new(SimTime::from_nanos(self.now_ns), object, kind, detail, rule)
    }

    pub(crate) fn expand(&self, word: &crate::command::Word) -> String {
        word.expand(|name| self.variables.get(name).cloned())
    }

    fn push_front_all(&mut self, ops: Vec<Op>) {
        for op in ops.into_iter().rev() {
            self.ops.push_front(op);
        }
    }

    /// The shell commands currently run from (the innermost open shell).
    fn current_shell(&self) -> Option<&Process> {
        self.shells.last().and_then(|pid| self.processes.get(pid))
    }

    fn run_op(&mut self, op: Op, rng: &mut SimRng) -> Option<Event> {
        match op {
            Op::Line(index) => self.run_line(index, rng),
            Op::Create {
                path,
                controllers,
                rule,
            } => Some(self.create(&path, &controllers, rule)),
            Op::Write {
                path,
                file,
                value,
                by,
            } => Some(self.write(&path, &file, &value, by)),
            Op::Delete {
                path,
                controllers,
                recursive,
            } => Some(self.delete(&path, &controllers, recursive)),
            Op::Start {
                launch,
                targets,
                text,
            } => Some(self.start(&launch, targets.as_deref(), text)),
            Op::Unshare { pid, unshare } => self.unshare(pid, unshare),
            Op::Charge { pid, bytes, kind } => self.charge(pid, bytes, kind),
            Op::Reclaim {
                group,
                pid,
                bytes,
                kind,
            } => self.reclaim(&group, pid, bytes, kind),
            Op::OutOfMemory {
                group,
                pid,
                bytes,
                kind,
            } => self.out_of_memory(&group, pid, bytes, kind),
            Op::Resume { pid } => self.resume(pid),
            Op::Shrink { group } => self.shrink(&group),
            Op::StressGivesUp { pid } => self.stress_gives_up(pid),
            Op::FinishDd { pid } => self.finish_dd(pid),
            Op::Wait(until) => self.wait(until),
        }
    }

    fn run_line(&mut self, index: usize, rng: &mut SimRng) -> Option<Event> {
        let line = self.script.get(index)?.clone();
        self.current_line = Some(index);
        self.terminal.clear();
        match line.command {
            Command::Uuidgen { name } => {
                let uuid = uuid_v4(rng);
                self.variables.insert(name.clone(), uuid.clone());
                Some(self.event(
                    format!("${name}"),
                    "variable",
                    format!("{name}={uuid} (uuidgen)"),
                    rules::SHELL_VARIABLE,
                ))
            }
            Command::Assign { name, value } => {
                let value = self.expand(&value);
                self.variables.insert(name.clone(), value.clone());
                Some(self.event(
                    format!("${name}"),
                    "variable",
                    format!("{name}={value}"),
                    rules::SHELL_ASSIGN,
                ))
            }
            Command::Cgcreate { targets } => {
                let ops = targets
                    .iter()
                    .map(|t| Op::Create {
                        path: self.expand(&t.path),
                        controllers: t.controllers.clone(),
                        rule: rules::CGROUP_CREATE,
                    })
                    .collect();
                self.push_front_all(ops);
                None
            }
            Command::Cgset { writes, groups } => {
                let mut ops = Vec::new();
                for group in &groups {
                    for (file, value) in &writes {
                        ops.push(Op::Write {
                            path: self.expand(group),
                            file: file.clone(),
                            value: self.expand(value),
                            by: None,
                        });
                    }
                }
                self.push_front_all(ops);
                None
            }
            Command::Cgexec { targets, launch } => {
                let targets = targets
                    .iter()
                    .map(|t| Target {
                        controllers: t.controllers.clone(),
                        path: crate::command::Word(self.expand(&t.path)),
                    })
                    .collect();
                self.ops.push_front(Op::Start {
                    launch,
                    targets: Some(targets),
                    text: line.text.clone(),
                });
                None
            }
            Command::Run { launch } => {
                self.ops.push_front(Op::Start {
                    launch,
                    targets: None,
                    text: line.text.clone(),
                });
                None
            }
            Command::Cgdelete { recursive, targets } => {
                let ops = targets
                    .iter()
                    .map(|t| Op::Delete {
                        path: self.expand(&t.path),
                        controllers: t.controllers.clone(),
                        recursive,
                    })
                    .collect();
                self.push_front_all(ops);
                None
            }
            Command::Rmdir { path } => Some(self.rmdir(&self.expand(&path))),
            Command::List { path } => Some(self.list(&self.expand(&path))),
            Command::Cat { path } => Some(self.cat(&self.expand(&path))),
            Command::Echo { words } => {
                let text = words
                    .iter()
                    .map(|w| self.expand(w))
                    .collect::<Vec<_>>()
                    .join(" ");
                self.terminal = vec![text.clone()];
                Some(self.event("shell", "output", text, rules::SHELL_ECHO))
            }
            Command::Sleep { ns } => {
                self.ops
                    .push_front(Op::Wait(Until::Time(self.now_ns.saturating_add(ns))));
                None
            }
            Command::Exit => Some(self.exit_shell()),
            Command::Hostname { name } => Some(self.hostname(name.map(|n| self.expand(&n)))),
            Command::IpLink => Some(self.ip_link()),
            Command::Kubelet { path, resources } => {
                let path = self.expand(&path);
                self.push_front_all(self.kubelet_ops(path, &resources));
                None
            }
        }
    }

    fn kubelet_ops(&self, path: String, resources: &ContainerResources) -> Vec<Op> {
        let v2 = self.machine.cgroup == CgroupVersion::V2;
        let values = container_cgroup_values(
            resources,
            self.machine.kubernetes_minor,
            self.machine.runc.formula(),
            v2,
        );
        let mut ops = vec![Op::Create {
            path: path.clone(),
            controllers: vec![Controller::Cpu, Controller::Memory],
            rule: rules::CGROUP_CREATE,
        }];
        let mut write = |file: &str, value: String, rule: Rule| {
            ops.push(Op::Write {
                path: path.clone(),
                file: file.to_string(),
                value,
                by: Some(rule),
            })
        };
        let weight_rule = match self.machine.runc.formula() {
            crate::weight::WeightFormula::Quadratic => rules::RUNC_WEIGHT_QUADRATIC,
            crate::weight::WeightFormula::Linear => rules::RUNC_WEIGHT_LINEAR,
        };
        if v2 {
            if let Some(weight) = values.weight {
                write("cpu.weight", weight.to_string(), weight_rule);
            }
            let max = values
                .quota_us
                .map_or_else(|| "max".to_string(), |q| q.to_string());
            write(
                "cpu.max",
                format!("{max} {}", values.period_us),
                rules::KUBELET_QUOTA,
            );
            let memory = values
                .memory_limit
                .map_or_else(|| "max".to_string(), |m| m.to_string());
            write("memory.max", memory, rules::KUBELET_MEMORY);
            if values.oom_group {
                write(
                    "memory.oom.group",
                    "1".to_string(),
                    rules::KUBELET_OOM_GROUP,
                );
            }
        } else {
            write(
                "cpu.shares",
                values.shares.to_string(),
                rules::KUBELET_SHARES,
            );
            write(
                "cpu.cfs_period_us",
                values.period_us.to_string(),
                rules::KUBELET_QUOTA,
            );
            let quota = values
                .quota_us
                .map_or_else(|| "-1".to_string(), |q| q.to_string());
            write("cpu.cfs_quota_us", quota, rules::KUBELET_QUOTA);
            let memory = values
                .memory_limit
                .map_or_else(|| "-1".to_string(), |m| m.to_string());
            write("memory.limit_in_bytes", memory, rules::KUBELET_MEMORY);
        }
        ops
    }

    fn create(&mut self, raw: &str, controllers: &[Controller], rule: Rule) -> Event {
        let path = match normalize(raw) {
            Ok(p) => p,
            Err(e) => return self.event(raw, "EINVAL", e, rules::NO_SUCH_CGROUP),
        };
        let made = self.tree.create(&path, controllers, self.now_ns);
        for p in &made {
            if let Some(g) = self.tree.get_mut(p) {
                g.cpu.period_start_ns = self.now_ns;
            }
        }
        let names: Vec<&str> = controllers.iter().map(|c| c.name()).collect();
        let parents: Vec<&String> = made.iter().filter(|p| **p != path).collect();
        let detail = if made.is_empty() {
            format!(
                "{path} already exists in {}; nothing changes",
                names.join(",")
            )
        } else if parents.is_empty() {
            format!(
                "created {path} in the {} hierarchies, at default settings",
                names.join(",")
            )
        } else {
            format!(
                "created {path} in the {} hierarchies, and its missing parents {}, at default settings",
                names.join(","),
                parents.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ")
            )
        };
        self.event(
            format!("cgroup {}:{}", names.join(","), path),
            "created",
            detail,
            rule,
        )
    }

    fn start(&mut self, launch: &Launch, targets: Option<&[Target]>, text: String) -> Event {
        let shell = self.current_shell().cloned();
        let (mut cpu_group, mut memory_group, namespaces) = match &shell {
            Some(s) => (s.cpu_group.clone(), s.memory_group.clone(), s.namespaces),
            None => ("/".to_string(), "/".to_string(), Namespaces::HOST),
        };
        if let Some(targets) = targets {
            for t in targets {
                let path = match normalize(&t.path.0) {
                    Ok(p) => p,
                    Err(e) => return self.event(&t.path.0, "EINVAL", e, rules::NO_SUCH_CGROUP),
                };
                for &c in &t.controllers {
                    if !self.tree.exists_in(&path, c) {
                        return self.event(
                            format!("cgroup {}:{}", c.name(), path),
                            "ENOENT",
                            format!(
                                "cgexec: {}:{} does not exist (ENOENT); the command does not start",
                                c.name(),
                                path
                            ),
                            rules::NO_SUCH_CGROUP,
                        );
                    }
                    match c {
                        Controller::Cpu => cpu_group = path.clone(),
                        Controller::Memory => memory_group = path.clone(),
                    }
                }
            }
        }
        let parent_pid = self.allocate_pid();
        let base = Process {
            pid: parent_pid,
            command: text.trim_end_matches('&').trim().to_string(),
            parent: shell.as_ref().map(|s| s.pid),
            cpu_group: cpu_group.clone(),
            memory_group: memory_group.clone(),
            activity: Activity::Sleeping,
            anon_bytes: 0,
            waiting_charge: 0,
            waiting_for_cache: false,
            ends_ns: None,
            cpu_time_ns: 0,
            namespaces,
        };
        let (attach_rule, how) = if targets.is_some() {
            (rules::CGROUP_ATTACH, "cgexec puts")
        } else {
            (rules::FORK_INHERITS, "the shell forks")
        };
        let place = format!("cpu:{cpu_group} memory:{memory_group}");
        let mut follow = Vec::new();
        if launch.unshare != Unshare::default() {
            follow.push(Op::Unshare {
                pid: parent_pid,
                unshare: launch.unshare,
            });
        }
        let detail =
            match &launch.program {
                Program::Shell => {
                    self.processes.insert(parent_pid, base);
                    self.shells.push(parent_pid);
                    format!(
                        "{how} sh (pid {parent_pid}) in {place}; the following lines run inside it"
                    )
                }
                Program::Dd { file, bytes: size } => {
                    let mut p = base;
                    p.command = format!("dd of={file}");
                    self.processes.insert(parent_pid, p);
                    follow.push(Op::Charge {
                        pid: parent_pid,
                        bytes: *size,
                        kind: ChargeKind::Cache,
                    });
                    follow.push(Op::FinishDd { pid: parent_pid });
                    format!(
                        "{how} dd (pid {parent_pid}) in {place}; it writes {} to {file}",
                        bytes(*size)
                    )
                }
                Program::Stress {
                    cpu,
                    vm,
                    vm_bytes,
                    timeout_ns,
                } => {
                    let mut parent = base.clone();
                    parent.ends_ns = timeout_ns.map(|t| self.now_ns.saturating_add(t));
                    self.processes.insert(parent_pid, parent);
                    let first_worker = self.next_pid;
                    for i in 0..(cpu + vm) {
                        let pid = self.allocate_pid();
                        let spinning = i < *cpu;
                        let mut worker = base.clone();
                        worker.pid = pid;
                        worker.parent = Some(parent_pid);
                        worker.command = if spinning {
                            "stress (cpu worker)".to_string()
                        } else {
                            "stress (vm worker)".to_string()
                        };
                        worker.activity = if spinning {
                            Activity::Spinning
                        } else {
                            Activity::Holding
                        };
                        self.processes.insert(pid, worker);
                        if !spinning {
                            follow.push(Op::Charge {
                                pid,
                                bytes: *vm_bytes,
                                kind: ChargeKind::Anon,
                            });
                        }
                    }
                    if !launch.background {
                        follow.push(Op::Wait(Until::Exit(parent_pid)));
                    }
                    let last_worker = self.next_pid.saturating_sub(1);
                    let timeout = timeout_ns.map_or_else(
                        || "no timeout".to_string(),
                        |t| format!("timeout {}", seconds(t)),
                    );
                    let kinds: Vec<String> = [(*cpu, "cpu worker"), (*vm, "vm worker")]
                        .into_iter()
                        .filter(|&(n, _)| n > 0)
                        .map(|(n, noun)| count(u64::from(n), noun))
                        .collect();
                    let pids = if first_worker == last_worker {
                        format!("pid {first_worker}")
                    } else {
                        format!("pids {first_worker}-{last_worker}")
                    };
                    format!(
                    "{how} stress (pid {parent_pid}) in {place}; it forks {} ({pids}), {timeout}{}",
                    kinds.join(" and "),
                    if launch.background { ", in the background" } else { "" }
                )
                }
            };
        self.push_front_all(follow);
        let rule = match &launch.program {
            Program::Stress { .. } if targets.is_none() => rules::STRESS_START,
            _ => attach_rule,
        };
        self.event(format!("pid {parent_pid}"), "started", detail, rule)
    }

    fn allocate_pid(&mut self) -> u32 {
        let pid = self.next_pid;
        self.next_pid = self.next_pid.saturating_add(1);
        pid
    }

    fn unshare(&mut self, pid: u32, unshare: Unshare) -> Option<Event> {
        let mut fresh = || {
            let n = self.next_namespace;
            self.next_namespace = self.next_namespace.saturating_add(1);
            Namespace::New(n)
        };
        let uts = unshare.uts.then(&mut fresh);
        let ipc = unshare.ipc.then(&mut fresh);
        let net = unshare.net.then(&mut fresh);
        let process = self.processes.get_mut(&pid)?;
        let inherited_hostname = self.hostnames.get(&process.namespaces.uts).cloned();
        if let Some(ns) = uts {
            process.namespaces.uts = ns;
        }
        if let Some(ns) = ipc {
            process.namespaces.ipc = ns;
        }
        if let Some(ns) = net {
            process.namespaces.net = ns;
        }
        if let (Some(ns), Some(name)) = (uts, inherited_hostname) {
            self.hostnames.insert(ns, name);
        }
        let mut new = Vec::new();
        if unshare.uts {
            new.push("uts (own hostname)");
        }
        if unshare.ipc {
            new.push("ipc (own System V IPC)");
        }
        if unshare.net {
            new.push("net (only lo, down)");
        }
        Some(self.event(
            format!("pid {pid}"),
            "unshared",
            format!(
                "pid {pid} gets new namespaces: {}; pid, mnt, user and cgroup stay the host's",
                new.join(", ")
            ),
            rules::UNSHARE,
        ))
    }

    fn exit_shell(&mut self) -> Event {
        let Some(pid) = self.shells.pop() else {
            return self.event(
                "shell",
                "exit",
                "exit: no simulated shell is open; nothing changes",
                rules::PROCESS_EXIT,
            );
        };
        let Some(shell) = self.processes.remove(&pid) else {
            return self.event(
                format!("pid {pid}"),
                "exit",
                format!("the shell (pid {pid}) is already gone"),
                rules::PROCESS_EXIT,
            );
        };
        self.event(
            format!("pid {pid}"),
            "exited",
            format!(
                "sh (pid {pid}) exits and leaves cpu:{} and memory:{}",
                shell.cpu_group, shell.memory_group
            ),
            rules::PROCESS_EXIT,
        )
    }

    fn hostname(&mut self, name: Option<String>) -> Event {
        let uts = self
            .current_shell()
            .map_or(Namespace::Host, |s| s.namespaces.uts);
        match name {
            None => {
                let current = self.hostnames.get(&uts).cloned().unwrap_or_default();
                self.terminal = vec![current.clone()];
                self.event("shell", "output", current, rules::UTS_HOSTNAME)
            }
            Some(name) => {
                self.hostnames.insert(uts, name.clone());
                let host = self
                    .hostnames
                    .get(&Namespace::Host)
                    .cloned()
                    .unwrap_or_default();
                let detail = if uts == Namespace::Host {
                    format!("the host's hostname becomes {name}")
                } else {
                    format!("hostname becomes {name} in this UTS namespace only; the host is still {host}")
                };
                self.event("hostname", "set", detail, rules::UTS_HOSTNAME)
            }
        }
    }

    fn ip_link(&mut self) -> Event {
        let net = self
            .current_shell()
            .map_or(Namespace::Host, |s| s.namespaces.net);
        self.terminal = if net == Namespace::Host {
            vec![
                "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 state UNKNOWN".to_string(),
                "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP".to_string(),
            ]
        } else {
            vec!["1: lo: <LOOPBACK> mtu 65536 state DOWN".to_string()]
        };
        let detail = self.terminal.join(" / ");
        self.event("shell", "output", detail, rules::NET_DEVICES)
    }

    /// Removes `pid` (and, for stress, its workers); returns what left.
    pub(crate) fn remove_process_tree(&mut self, pid: u32) -> Vec<Process> {
        let mut gone = Vec::new();
        let workers: Vec<u32> = self
            .processes
            .values()
            .filter(|p| p.parent == Some(pid) && p.command.starts_with("stress ("))
            .map(|p| p.pid)
            .collect();
        for w in workers {
            gone.extend(self.processes.remove(&w));
        }
        gone.extend(self.processes.remove(&pid));
        self.shells.retain(|s| *s != pid);
        gone
    }

    fn finish_dd(&mut self, pid: u32) -> Option<Event> {
        if self.processes.get(&pid)?.activity == Activity::HungAtLimit {
            return None;
        }
        let p = self.processes.remove(&pid)?;
        Some(self.event(
            format!("pid {pid}"),
            "exited",
            format!(
                "{} (pid {pid}) finishes and exits; its page cache stays charged to memory:{}",
                p.command, p.memory_group
            ),
            rules::PROCESS_EXIT,
        ))
    }

    fn stress_gives_up(&mut self, pid: u32) -> Option<Event> {
        let gone = self.remove_process_tree(pid);
        if gone.is_empty() {
            return None;
        }
        Some(self.event(
            format!("pid {pid}"),
            "exited",
            match gone.len().saturating_sub(1) {
                0 => format!("stress (pid {pid}) sees its worker killed by signal 9 and exits"),
                others => format!(
                    "stress (pid {pid}) sees a worker killed by signal 9, stops its other {} and exits",
                    count(others as u64, "worker")
                ),
            },
            rules::PROCESS_EXIT,
        ))
    }

    fn state_value(&self) -> StateView<'_> {
        let v2 = self.machine.cgroup == CgroupVersion::V2;
        StateView {
            time_ns: self.now_ns,
            line: self
                .current_line
                .and_then(|i| self.script.get(i))
                .map(|l| l.text.as_str()),
            machine: &self.machine,
            cgroups: self
                .tree
                .groups()
                .map(|g| GroupView {
                    path: &g.path,
                    controllers: g.controllers.iter().map(|c| c.name()).collect(),
                    bandwidth: BandwidthView {
                        throttled: g.cpu.throttled,
                        held_by_ancestor: g.cpu.held,
                        period_used_ns: g.cpu.period_used_ns,
                        runtime_left_ns: g.cpu.quota_us.map(|_| g.cpu.runtime_left_ns),
                    },
                    files: crate::files::snapshot(self, g, v2),
                    v2_mapping: (!v2).then(|| crate::files::v2_mapping(self, g)),
                })
                .collect(),
            processes: self.processes.values().collect(),
            hostnames: self
                .hostnames
                .iter()
                .map(|(ns, name)| (namespace_label(*ns), name.as_str()))
                .collect(),
            variables: &self.variables,
            shell: self.shells.last().copied(),
            terminal: &self.terminal,
        }
    }
}

fn namespace_label(ns: Namespace) -> String {
    match ns {
        Namespace::Host => "host".to_string(),
        Namespace::New(n) => format!("new-{n}"),
    }
}

#[derive(Serialize)]
struct BandwidthView {
    throttled: bool,
    held_by_ancestor: bool,
    period_used_ns: u64,
    runtime_left_ns: Option<u64>,
}

#[derive(Serialize)]
struct GroupView<'a> {
    path: &'a str,
    controllers: Vec<&'static str>,
    bandwidth: BandwidthView,
    files: BTreeMap<String, String>,
    v2_mapping: Option<BTreeMap<String, String>>,
}

#[derive(Serialize)]
struct StateView<'a> {
    time_ns: u64,
    line: Option<&'a str>,
    machine: &'a Machine,
    cgroups: Vec<GroupView<'a>>,
    processes: Vec<&'a Process>,
    hostnames: BTreeMap<String, &'a str>,
    variables: &'a BTreeMap<String, String>,
    shell: Option<u32>,
    terminal: &'a [String],
}

/// A version-4 UUID drawn from the seeded generator.
fn uuid_v4(rng: &mut SimRng) -> String {
    let high = rng.next_u64();
    let low = rng.next_u64();
    let high = (high & !0xF000) | 0x4000;
    let low = (low & !(0b11 << 62)) | (0b10 << 62);
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        high >> 32,
        (high >> 16) & 0xFFFF,
        high & 0xFFFF,
        low >> 48,
        low & 0xFFFF_FFFF_FFFF
    )
}

impl Simulation for CgroupSim {
    fn step(&mut self, now: &mut SimTime, rng: &mut SimRng) -> Option<Event> {
        self.now_ns = self.now_ns.max(now.as_nanos());
        let mut result = None;
        while let Some(op) = self.ops.pop_front() {
            if let Some(event) = self.run_op(op, rng) {
                result = Some(event);
                break;
            }
        }
        *now = SimTime::from_nanos(self.now_ns);
        result
    }

    fn state(&self) -> serde_json::Value {
        serde_json::to_value(self.state_value()).unwrap_or(serde_json::Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use crate::process::{Activity, Namespaces, Process};

    #[test]
    fn memory_usage_saturates_instead_of_overflowing() {
        let src = "[scenario]\ntitle = \"t\"\nsimulator = \"cgroups\"\n\n[script]\nlines = []\n";
        let (_, mut sim) = crate::load("t.toml", src).unwrap();
        // Five tasks of 2^62 bytes each (as 4096 workers of 1 PiB would hold):
        // their sum is over u64::MAX.
        for pid in 1..=5 {
            let task = Process {
                pid,
                command: "stress (vm worker)".to_string(),
                parent: None,
                cpu_group: "/".to_string(),
                memory_group: "/".to_string(),
                activity: Activity::Holding,
                anon_bytes: 1 << 62,
                waiting_charge: 0,
                waiting_for_cache: false,
                ends_ns: None,
                cpu_time_ns: 0,
                namespaces: Namespaces::HOST,
            };
            sim.processes.insert(pid, task);
        }
        if let Some(root) = sim.tree.get_mut("/") {
            root.memory.cache_bytes = u64::MAX;
        }
        assert_eq!(sim.memory_usage("/"), u64::MAX);
    }
}
