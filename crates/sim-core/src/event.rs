//! Steps and the rules behind them.

use crate::SimTime;
use serde::Serialize;

/// A rule of the real system that a simulator follows, stated so a presenter
/// can read it aloud, with where it comes from.
///
/// Rules are `const` items inside each simulator, one per behaviour, so every
/// event points at exactly one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// Stable identifier, e.g. `cfs.throttle`.
    pub id: &'static str,
    /// One sentence, e.g. "A group that has spent its quota waits for the next period."
    pub says: &'static str,
    /// Where the rule comes from, e.g. "kernel sched-bwc".
    pub source: &'static str,
}

/// One step of a simulation: what happened, to which object, when, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// Position in the trace, starting at 1 (set by the [`crate::Player`]).
    pub step: usize,
    /// Virtual time at which it happened, in nanoseconds.
    pub time_ns: SimTime,
    /// The object it happened to, e.g. `cgroup cpu:/demo` or `/merged/etc/a`.
    pub object: String,
    /// A short machine-readable kind, e.g. `throttled`.
    pub kind: String,
    /// What happened, in one sentence.
    pub detail: String,
    /// The rule that produced it.
    pub rule: Rule,
}

impl Event {
    /// An event at `time` for `object`; the player numbers it.
    pub fn new(
        time: SimTime,
        object: impl Into<String>,
        kind: impl Into<String>,
        detail: impl Into<String>,
        rule: Rule,
    ) -> Self {
        Event {
            step: 0,
            time_ns: time,
            object: object.into(),
            kind: kind.into(),
            detail: detail.into(),
            rule,
        }
    }
}
