//! The engine's toy counter as a scenario-file simulator, for this crate's
//! unit tests: `[counter] ticks = N`.

use serde::{Deserialize, Serialize};
use sim_core::scenario::{parse, Header, ScenarioError};
use sim_core::testing::counter::Counter;

/// The name scenarios give in `simulator = "..."`.
pub const SIMULATOR: &str = "counter";

/// The counter's config: how many ticks it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CounterConfig {
    pub ticks: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    scenario: Header,
    counter: CounterConfig,
}

/// Loads a counter scenario.
pub fn load(file: &str, src: &str) -> Result<(Header, CounterConfig), ScenarioError> {
    let parsed: File = parse(file, src)?;
    Ok((parsed.scenario, parsed.counter))
}

/// A counter at 0 for `config`.
pub fn new(config: CounterConfig) -> Counter {
    Counter::new(config.ticks)
}

/// A registry that knows only the counter.
pub fn registry() -> crate::Registry {
    let mut registry = crate::Registry::empty();
    registry.register(SIMULATOR, load, new);
    registry
}

/// The text of a counter scenario with `ticks` ticks and seed `seed`.
pub fn scenario(ticks: u32, seed: u64) -> String {
    format!(
        "[scenario]\ntitle = \"count\"\nsimulator = \"{SIMULATOR}\"\nseed = {seed}\n\n[counter]\nticks = {ticks}\n"
    )
}
