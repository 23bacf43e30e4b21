//! Steps, the facts they report and the rules behind them.

use crate::SimTime;
use serde::Serialize;
use std::fmt;

/// A rule of the real system that a simulator follows, stated so a presenter
/// can read it aloud, with where it comes from.
///
/// Rules are `const` items inside each simulator, one per behaviour, so every
/// fact points at exactly one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// Stable identifier, e.g. `cfs.throttle`.
    pub id: &'static str,
    /// One sentence, e.g. "A group that has spent its quota waits for the next period."
    pub says: &'static str,
    /// Where the rule comes from, e.g. "kernel sched-bwc".
    pub source: &'static str,
}

/// What one step did, as structured fields. Text is rendered only when asked
/// for, so a long run pays for no sentence it never shows.
pub trait Fact: Clone + fmt::Debug {
    /// The rule that produced it.
    fn rule(&self) -> &'static Rule;
    /// A short machine-readable kind, e.g. `throttled`.
    fn kind(&self) -> &'static str;
    /// The object it happened to, e.g. `cgroup cpu:/demo` or `/merged/etc/a`.
    fn object(&self) -> String;
    /// What happened, in one sentence a presenter can read aloud.
    fn detail(&self) -> String;
}

/// One step of a simulation: when it happened and what it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event<F> {
    /// Virtual time at which it happened.
    pub time: SimTime,
    /// What happened.
    pub fact: F,
}

impl<F> Event<F> {
    /// The event `fact` at `time`.
    pub fn new(time: SimTime, fact: F) -> Self {
        Event { time, fact }
    }
}

/// A fact already rendered to text, for simulations behind a type-erased
/// wrapper and for small tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextFact {
    /// The rule that produced it.
    pub rule: &'static Rule,
    /// A short machine-readable kind.
    pub kind: &'static str,
    /// The object it happened to.
    pub object: String,
    /// What happened.
    pub detail: String,
}

impl TextFact {
    /// Renders any fact to text.
    pub fn of<F: Fact>(fact: &F) -> Self {
        TextFact {
            rule: fact.rule(),
            kind: fact.kind(),
            object: fact.object(),
            detail: fact.detail(),
        }
    }
}

impl Fact for TextFact {
    fn rule(&self) -> &'static Rule {
        self.rule
    }

    fn kind(&self) -> &'static str {
        self.kind
    }

    fn object(&self) -> String {
        self.object.clone()
    }

    fn detail(&self) -> String {
        self.detail.clone()
    }
}
