//! The kernel's pending changes and what one change produces.
//!
//! Contract: a kernel behaviour applies one [`Op`] to the `System` and returns
//! an [`Outcome`]: at most one fact (the step's event, stamped with the time
//! by the simulation) and the follow-up ops that must run next, in order,
//! before anything else queued.

use crate::controller::Controller;
use crate::fact::CgroupFact;
use crate::process::ChargeKind;
use crate::program::{Launch, Unshare};
use sim_core::Rule;

/// What a wait lasts until.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// A point in virtual time (sleep).
    Time(u64),
    /// A process's exit (a foreground command).
    Exit(u32),
}

/// A group a started process joins in some controllers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The controllers whose hierarchy it joins.
    pub controllers: Vec<Controller>,
    /// The group path as written (normalised when the process starts).
    pub path: String,
}

/// One pending change to the system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// Create a group in some controllers.
    Create {
        path: String,
        controllers: Vec<Controller>,
    },
    /// Write a cgroup file; `by` names who wrote it (the kubelet) if not the user.
    Write {
        path: String,
        file: String,
        value: String,
        by: Option<&'static Rule>,
    },
    /// Remove a group (`cgdelete`).
    Delete {
        path: String,
        controllers: Vec<Controller>,
        recursive: bool,
    },
    /// Start a process, in `placements` (cgexec) or where `parent` is (a fork).
    Start {
        launch: Launch,
        placements: Option<Vec<Placement>>,
        text: String,
        parent: Option<u32>,
    },
    /// Give a process new namespaces.
    Unshare { pid: u32, unshare: Unshare },
    /// Charge memory to a process's group.
    Charge {
        pid: u32,
        bytes: u64,
        kind: ChargeKind,
    },
    /// Reclaim page cache in a group at its limit.
    Reclaim {
        group: String,
        pid: u32,
        bytes: u64,
        kind: ChargeKind,
    },
    /// The group is out of memory.
    OutOfMemory {
        group: String,
        pid: u32,
        bytes: u64,
        kind: ChargeKind,
    },
    /// A task hung at a limit retries.
    Resume { pid: u32 },
    /// Bring a group back under a lowered limit.
    Shrink { group: String },
    /// stress notices a killed worker.
    StressGivesUp { pid: u32 },
    /// dd finishes its write.
    FinishDd { pid: u32 },
    /// SIGKILL a process (an input).
    Kill { pid: u32 },
    /// Let time pass.
    Wait(Until),
}

/// A refusal: `errno` and its message about `object`, by `rule`.
pub fn refused(
    object: impl Into<String>,
    errno: &'static str,
    message: impl Into<String>,
    rule: &'static Rule,
) -> CgroupFact {
    CgroupFact::Refused {
        object: object.into(),
        errno,
        message: message.into(),
        rule,
    }
}

/// What applying one op produced.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    /// The step's fact, if the op made a visible change.
    pub fact: Option<CgroupFact>,
    /// Ops to run next, in order.
    pub then: Vec<Op>,
}

impl Outcome {
    /// An outcome with no event and no follow-up.
    pub fn nothing() -> Self {
        Outcome::default()
    }

    /// Runs `ops` next, without an event of its own.
    pub fn next(ops: Vec<Op>) -> Self {
        Outcome {
            fact: None,
            then: ops,
        }
    }

    /// The same outcome, followed by `ops`.
    pub fn then(mut self, ops: impl IntoIterator<Item = Op>) -> Self {
        self.then.extend(ops);
        self
    }
}

impl From<CgroupFact> for Outcome {
    fn from(fact: CgroupFact) -> Self {
        Outcome {
            fact: Some(fact),
            then: Vec::new(),
        }
    }
}

impl From<Option<CgroupFact>> for Outcome {
    fn from(fact: Option<CgroupFact>) -> Self {
        Outcome {
            fact,
            then: Vec::new(),
        }
    }
}
