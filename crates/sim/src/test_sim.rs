//! A tiny simulator for this crate's unit tests: a counter that ticks a
//! scripted number of times, adding a random amount below ten each tick.

use serde::Deserialize;
use sim_core::scenario::{parse, Header, ScenarioError};
use sim_core::{Event, Rule, SimRng, SimTime, Simulation};

/// The name scenarios give in `simulator = "..."`.
pub const SIMULATOR: &str = "counter";

const TICK: Rule = Rule {
    id: "counter.tick",
    says: "Each tick adds a random amount below ten.",
    source: "simdeck-sim unit tests",
};

/// The counter: how far it got and how many ticks are left.
#[derive(Debug, Clone)]
pub struct Counter {
    pub total: u64,
    pub ticks: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    scenario: Header,
    counter: CounterTable,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CounterTable {
    ticks: u32,
}

/// Loads a counter scenario.
pub fn load(file: &str, src: &str) -> Result<(Header, Counter), ScenarioError> {
    let parsed: File = parse(file, src)?;
    Ok((
        parsed.scenario,
        Counter {
            total: 0,
            ticks: parsed.counter.ticks,
        },
    ))
}

/// A registry that knows only the counter.
pub fn registry() -> crate::Registry {
    let mut registry = crate::Registry::empty();
    registry.register(SIMULATOR, load);
    registry
}

/// The text of a counter scenario with `ticks` ticks and seed `seed`.
pub fn scenario(ticks: u32, seed: u64) -> String {
    format!(
        "[scenario]\ntitle = \"count\"\nsimulator = \"{SIMULATOR}\"\nseed = {seed}\n\n[counter]\nticks = {ticks}\n"
    )
}

impl Simulation for Counter {
    fn step(&mut self, now: &mut SimTime, rng: &mut SimRng) -> Option<Event> {
        self.ticks = self.ticks.checked_sub(1)?;
        self.total += rng.below(10);
        *now = now.plus(SimTime::from_millis(5));
        Some(Event::new(
            *now,
            "counter",
            "tick",
            format!("total {}", self.total),
            TICK,
        ))
    }

    fn state(&self) -> serde_json::Value {
        serde_json::json!({ "total": self.total, "ticks": self.ticks })
    }
}
