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
