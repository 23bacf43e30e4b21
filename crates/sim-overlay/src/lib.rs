//! The overlay filesystem and image layers simulator (deck slides 15-18).
//!
//! Contract: [`load`] reads an `overlay-*.toml` scenario into an
//! [`OverlaySim`]; driving it with a [`sim_core::Player`] yields one event per
//! kernel or Docker step (copy-up, whiteout, layer stored, ...), each naming
//! the rule from semantics.md section 2 that caused it. The same scenario and
//! seed always give the same trace. Lower layers are immutable `Arc<Layer>`s:
//! no operation can change them.
//!
//! - [`layer`]: entries and immutable layers with content digests;
//! - [`overlay`]: an overlay mount with its lookup rule and merged view, and
//!   the planners of file operations (copy-up, whiteouts, renames, xattrs...);
//! - [`dockerfile`]: the Dockerfile line parser;
//! - [`image`]: images and how a Dockerfile builds one;
//! - [`rules`]: every rule the simulator follows.

pub mod dockerfile;
pub mod image;
pub mod layer;
pub mod overlay;
pub mod rules;
mod scenario;
mod sim;

pub use scenario::load;
pub use sim::{OverlaySim, OVERLAY2_ROOT};

/// The value of `scenario.simulator` in overlay scenario files.
pub const SIMULATOR: &str = "overlay";
