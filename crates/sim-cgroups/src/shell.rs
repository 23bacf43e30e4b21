//! The deck's shell session: variables, nested shells, what the terminal
//! shows, and the interpreter that turns each script line into kernel ops.
//!
//! Contract: [`Shell::run`] handles one script line. Builtins (`echo`,
//! variables, `exit`, `hostname`, `ip link`) and reads of the cgroup
//! filesystem answer at once; commands that change the kernel (`cgcreate`,
//! `cgset`, `cgexec`, `cgdelete`, the kubelet, a program, `sleep`) come back
//! as ops, so each change is its own step. Commands run in the innermost open
//! shell: its groups and namespaces.

use crate::controller::Controller;
use crate::fact::CgroupFact;
use crate::files;
use crate::kubelet::{container_cgroup_values, container_writes};
use crate::namespaces;
use crate::op::{Op, Outcome, Placement, Until};
use crate::process::{Namespace, Process};
use crate::script::{Command, ScriptLine, Word};
use crate::settings;
use crate::system::System;
use crate::tasks;
use sim_core::SortedMap;
use sim_core::{ids, Context};

/// The shell session's own state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shell {
    variables: SortedMap<String, String>,
    /// How many times `uuidgen` has set each variable: its draws' stream keys.
    uuidgens: SortedMap<String, u32>,
    shells: Vec<u32>,
    terminal: Vec<String>,
    current_line: Option<usize>,
}

impl Shell {
    /// The shell variables set so far.
    pub fn variables(&self) -> &SortedMap<String, String> {
        &self.variables
    }

    /// What the last command printed.
    pub fn terminal(&self) -> &[String] {
        &self.terminal
    }

    /// The index of the script line run last.
    pub fn current_line(&self) -> Option<usize> {
        self.current_line
    }

    /// The pid of the innermost open shell.
    pub fn innermost(&self) -> Option<u32> {
        self.shells.last().copied()
    }

    /// A started shell: the following lines run inside it.
    pub fn enter(&mut self, pid: u32) {
        self.shells.push(pid);
    }

    /// Forgets open shells whose process is gone (killed or timed out).
    pub fn forget_exited(&mut self, system: &System) {
        self.shells.retain(|pid| system.processes.contains_key(pid));
    }

    fn expand(&self, word: &Word) -> String {
        word.expand(|name| self.variables.get(name).cloned())
    }

    fn current_shell<'a>(&self, system: &'a System) -> Option<&'a Process> {
        self.innermost().and_then(|pid| system.processes.get(&pid))
    }

    /// Runs script line `index`.
    pub fn run(
        &mut self,
        system: &mut System,
        cx: &mut Context<'_>,
        index: usize,
        line: &ScriptLine,
    ) -> Outcome {
        self.current_line = Some(index);
        self.terminal.clear();
        match &line.command {
            Command::Uuidgen { name } => {
                let draw = self.uuidgens.get_or_insert_with(name.clone(), || 0);
                *draw += 1;
                let mut stream = cx.stream(&format!("uuidgen:{name}#{draw}"));
                let uuid = ids::uuid_v4(&mut stream);
                self.variables.insert(name.clone(), uuid.clone());
                CgroupFact::Variable {
                    name: name.clone(),
                    value: uuid,
                    uuidgen: true,
                }
                .into()
            }
            Command::Assign { name, value } => {
                let value = self.expand(value);
                self.variables.insert(name.clone(), value.clone());
                CgroupFact::Variable {
                    name: name.clone(),
                    value,
                    uuidgen: false,
                }
                .into()
            }
            Command::Cgcreate { targets } => Outcome::next(
                targets
                    .iter()
                    .map(|t| Op::Create {
                        path: self.expand(&t.path),
                        controllers: t.controllers.clone(),
                    })
                    .collect(),
            ),
            Command::Cgset { writes, groups } => {
                let mut ops = Vec::new();
                for group in groups {
                    for (file, value) in writes {
                        ops.push(Op::Write {
                            path: self.expand(group),
                            file: file.clone(),
                            value: self.expand(value),
                            by: None,
                        });
                    }
                }
                Outcome::next(ops)
            }
            Command::Cgexec { targets, launch } => {
                let placements = targets
                    .iter()
                    .map(|t| Placement {
                        controllers: t.controllers.clone(),
                        path: self.expand(&t.path),
                    })
                    .collect();
                Outcome::next(vec![Op::Start {
                    launch: launch.clone(),
                    placements: Some(placements),
                    text: line.text.clone(),
                    parent: self.innermost(),
                }])
            }
            Command::Run { launch } => Outcome::next(vec![Op::Start {
                launch: launch.clone(),
                placements: None,
                text: line.text.clone(),
                parent: self.innermost(),
            }]),
            Command::Cgdelete { recursive, targets } => Outcome::next(
                targets
                    .iter()
                    .map(|t| Op::Delete {
                        path: self.expand(&t.path),
                        controllers: t.controllers.clone(),
                        recursive: *recursive,
                    })
                    .collect(),
            ),
            Command::Rmdir { path } => settings::rmdir(system, &self.expand(path)).into(),
            Command::List { path } => {
                let (said, lines) = files::list(system, &self.expand(path));
                self.terminal = lines;
                said.into()
            }
            Command::Cat { path } => {
                let (said, lines) = files::cat(system, &self.expand(path));
                self.terminal = lines;
                said.into()
            }
            Command::Echo { words } => {
                let text = words
                    .iter()
                    .map(|w| self.expand(w))
                    .collect::<Vec<_>>()
                    .join(" ");
                self.terminal = vec![text.clone()];
                CgroupFact::Echo { text }.into()
            }
            Command::Sleep { ns } => Outcome::next(vec![Op::Wait(Until::Time(
                cx.now().as_nanos().saturating_add(*ns),
            ))]),
            Command::Exit => self.exit(system).into(),
            Command::Hostname { name } => {
                let uts = self
                    .current_shell(system)
                    .map_or(Namespace::Host, |s| s.namespaces.uts);
                match name {
                    None => {
                        let (said, lines) = namespaces::hostname(system, uts);
                        self.terminal = lines;
                        said.into()
                    }
                    Some(name) => {
                        let name = self.expand(name);
                        namespaces::set_hostname(system, uts, name).into()
                    }
                }
            }
            Command::IpLink => {
                let net = self
                    .current_shell(system)
                    .map_or(Namespace::Host, |s| s.namespaces.net);
                let (said, lines) = namespaces::links(net);
                self.terminal = lines;
                said.into()
            }
            Command::Kubelet { path, resources } => {
                let path = self.expand(path);
                let v2 = system.machine.is_v2();
                let formula = system.machine.runc.formula();
                let values = container_cgroup_values(
                    resources,
                    system.machine.kubernetes_minor,
                    formula,
                    v2,
                );
                let mut ops = vec![Op::Create {
                    path: path.clone(),
                    controllers: Controller::ALL.to_vec(),
                }];
                ops.extend(
                    container_writes(&values, v2, formula)
                        .into_iter()
                        .map(|w| Op::Write {
                            path: path.clone(),
                            file: w.file.to_string(),
                            value: w.value,
                            by: Some(w.rule),
                        }),
                );
                Outcome::next(ops)
            }
        }
    }

    /// `exit`: the innermost shell exits.
    fn exit(&mut self, system: &mut System) -> CgroupFact {
        let Some(pid) = self.shells.pop() else {
            return CgroupFact::NoShell;
        };
        match tasks::exit(system, pid) {
            None => CgroupFact::ShellGone { pid },
            Some(shell) => CgroupFact::ShellExited {
                pid,
                cpu_group: shell.cpu_group,
                memory_group: shell.memory_group,
            },
        }
    }
}
