//! The overlay filesystem and image layers simulator (deck slides 15-18).
//!
//! Contract: [`OverlaySim::new`] builds a simulation from a validated
//! [`Config`] (read from an `overlay-*.toml` scenario by `load`, feature
//! `load`); driving it with a [`sim_core::Player`] yields one [`OverlayFact`]
//! per kernel or Docker step (copy-up, whiteout, layer stored, ...), each
//! naming the rule from semantics.md section 2 that caused it, and it takes
//! [`OverlayInput`]s (a file operation, `docker rm`) between steps. The same
//! config, seed and inputs always give the same trace. Lower layers are
//! immutable `Arc<Layer>`s: no operation can change them.
//!
//! - [`layer`]: entries and immutable layers with content digests;
//! - [`overlay`]: an overlay mount with its lookup rule and merged view, and
//!   the planners of file operations (copy-up, whiteouts, renames, xattrs...);
//! - [`image`]: images and the stored steps of a build;
//! - [`config`]: what a simulation starts from;
//! - `dockerfile` and the build planner (feature `load`): Dockerfiles;
//! - [`rules`]: every rule the simulator follows.

#[cfg(feature = "load")]
mod build;
pub mod config;
#[cfg(feature = "load")]
pub mod dockerfile;
mod fact;
mod host;
pub mod image;
mod input;
#[cfg(feature = "json")]
mod json;
pub mod layer;
pub mod overlay;
pub mod rules;
#[cfg(feature = "load")]
mod scenario;
mod sim;
mod world;

#[cfg(feature = "load")]
pub use build::{plan_build, BuildError, Effect};
pub use config::{Action, BaseImage, Build, Config};
pub use fact::{LayerDir, OverlayFact, StoreVerb};
pub use input::OverlayInput;
#[cfg(feature = "load")]
pub use scenario::load;
pub use sim::OverlaySim;
pub use world::{Container, MountRecord, StoredLayer, OVERLAY2_ROOT};

/// The value of `scenario.simulator` in overlay scenario files.
pub const SIMULATOR: &str = "overlay";
