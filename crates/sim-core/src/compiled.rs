//! Scenarios compiled at build time, as the site embeds them.

use crate::Header;
use serde::{Deserialize, Serialize};

/// One shipped scenario, loaded and checked when the site was built: its
/// header, its simulator's config in binary form, and how long it runs.
/// The browser rebuilds the simulation from `config` with the simulator's
/// plain constructor; nothing of the scenario file's text reaches it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompiledScenario {
    /// The scenario file's name, e.g. `cgroups-hierarchy.toml`.
    pub file_name: String,
    /// The `[scenario]` table; `header.simulator` says which config `config` is.
    pub header: Header,
    /// The simulator's config, encoded with postcard.
    pub config: Vec<u8>,
    /// Steps from the start to the end of the script with the header's seed.
    pub steps: u64,
}

/// Every shipped scenario as the site embeds it: those that compiled, and
/// for each that did not, the located message the figure shows instead.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioTable {
    /// The scenarios that loaded and finished, sorted by file name.
    pub scenarios: Vec<CompiledScenario>,
    /// The scenarios that did not: (file name, located message).
    pub failures: Vec<(String, String)>,
}

impl ScenarioTable {
    /// The compiled scenario of the file `file_name`, or the message saying
    /// why it could not be compiled.
    pub fn find(&self, file_name: &str) -> Result<&CompiledScenario, String> {
        if let Some(found) = self.scenarios.iter().find(|s| s.file_name == file_name) {
            return Ok(found);
        }
        Err(self
            .failures
            .iter()
            .find(|(file, _)| file == file_name)
            .map(|(_, message)| message.clone())
            .unwrap_or_else(|| format!("no scenario {file_name} was compiled into this build")))
    }
}
