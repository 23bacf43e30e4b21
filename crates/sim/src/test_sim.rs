//! The engine's toy counter as a scenario-file simulator, for this crate's
//! unit tests: `[counter] ticks = N`.

use serde::{Deserialize, Serialize};
use sim_core::scenario::{parse, Header, ScenarioError};
use sim_core::testing::counter::Counter;
use sim_core::Tunable;

/// The name scenarios give in `simulator = "..."`.
pub const SIMULATOR: &str = "counter";

/// The counter's config: how many ticks it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CounterConfig {
    pub ticks: u32,
    /// Ticks per script unit; 0: no script.
    #[serde(default)]
    pub unit_every: u32,
}

impl Tunable for CounterConfig {
    fn knob(&self, knob: &str) -> Result<i64, String> {
        match knob {
            "ticks" => Ok(self.ticks.into()),
            other => Err(format!("no knob `{other}`")),
        }
    }

    fn set_knob(&mut self, knob: &str, value: i64) -> Result<(), String> {
        match knob {
            "ticks" => {
                self.ticks = u32::try_from(value).map_err(|_| "ticks must fit 0..=u32::MAX")?;
                Ok(())
            }
            other => Err(format!("no knob `{other}`")),
        }
    }
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
    Counter::new(config.ticks).with_unit_every(config.unit_every)
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
