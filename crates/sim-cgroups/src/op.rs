//! The kernel's pending changes and what one change produces.
//!
//! Contract: a kernel behaviour applies one [`Op`] to the `System` and returns
//! an [`Outcome`]: at most one [`Note`] (the step's event, stamped with the
//! time by the simulation) and the follow-up ops that must run next, in order,
//! before anything else queued.

use crate::controller::Controller;
use crate::program::{Launch, Unshare};
use sim_core::{Event, Rule, SimTime};

/// How a memory charge is reclaimable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChargeKind {
    /// Anonymous memory of the process (not reclaimable without swap).
    Anon,
    /// Page cache (reclaimable).
    Cache,
}

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
        rule: Rule,
    },
    /// Write a cgroup file; `by` names who wrote it (the kubelet) if not the user.
    Write {
        path: String,
        file: String,
        value: String,
        by: Option<Rule>,
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
    /// Let time pass.
    Wait(Until),
}

/// What one step says happened, before it is stamped with the time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The object it happened to.
    pub object: String,
    /// Its machine-readable kind.
    pub kind: &'static str,
    /// The sentence a presenter reads.
    pub detail: String,
    /// The rule that produced it.
    pub rule: Rule,
}

/// A note about `object`.
pub fn note(
    object: impl Into<String>,
    kind: &'static str,
    detail: impl Into<String>,
    rule: Rule,
) -> Note {
    Note {
        object: object.into(),
        kind,
        detail: detail.into(),
        rule,
    }
}

impl Note {
    /// The event this note becomes at `now_ns`.
    pub fn at(self, now_ns: u64) -> Event {
        Event::new(
            SimTime::from_nanos(now_ns),
            self.object,
            self.kind,
            self.detail,
            self.rule,
        )
    }
}

/// What applying one op produced.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    /// The step's event, if the op made a visible change.
    pub note: Option<Note>,
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
            note: None,
            then: ops,
        }
    }

    /// The same outcome, followed by `ops`.
    pub fn then(mut self, ops: impl IntoIterator<Item = Op>) -> Self {
        self.then.extend(ops);
        self
    }
}

impl From<Note> for Outcome {
    fn from(note: Note) -> Self {
        Outcome {
            note: Some(note),
            then: Vec::new(),
        }
    }
}

impl From<Option<Note>> for Outcome {
    fn from(note: Option<Note>) -> Self {
        Outcome {
            note,
            then: Vec::new(),
        }
    }
}
