//! What the simulated Docker host holds: the overlay2 layer store, images
//! and mounts, and the one way they change.
//!
//! Contract: the world changes only through [`World::apply`] of a
//! [`Change`], so a planned step's changes are exactly what it does.

use crate::image::Image;
use crate::layer::Layer;
use crate::overlay::{Edit, Mount};
use sim_core::SortedMap;
use std::sync::Arc;

/// Where Docker's overlay2 driver keeps its layers.
pub const OVERLAY2_ROOT: &str = "/var/lib/docker/overlay2";

/// A layer in the overlay2 store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLayer {
    /// The layer.
    pub layer: Arc<Layer>,
    /// Its directory name under [`OVERLAY2_ROOT`] (64 hex digits).
    pub cache_id: String,
    /// Its short link name under `l/`.
    pub link: String,
    /// Its `lower` file: the links of the layers below, top first; empty for
    /// a bottom layer.
    pub lower: String,
}

/// A mount of the host, a container's or one made with `mount -t overlay`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountRecord {
    /// The overlay mount.
    pub mount: Mount,
    /// Its `-o` options.
    pub options: String,
    /// The container it belongs to, if any.
    pub container: Option<Container>,
}

/// What the host knows of a container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Container {
    /// The image it runs.
    pub image: String,
    /// Its own layer's directory name (64 hex digits).
    pub cache_id: String,
}

/// One change to the world.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Change {
    /// Stores a layer under its chain ID.
    Store(String, StoredLayer),
    /// Adds or replaces an image.
    SetImage(Image),
    /// Adds a mount (a container's under the container's name).
    Mount(String, MountRecord),
    /// Counts one more container started under a name.
    CountRun(String),
    /// Removes a mount.
    Unmount(String),
    /// Edits a mount's upper layer.
    Edit(String, Edit),
}

/// What the simulated host holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct World {
    /// The overlay2 store, by chain ID.
    pub(crate) store: SortedMap<String, StoredLayer>,
    /// The images, by name.
    pub(crate) images: SortedMap<String, Image>,
    /// The mounts, by target or container name.
    pub(crate) mounts: SortedMap<String, MountRecord>,
    /// How many containers have been started under each name.
    pub(crate) runs: SortedMap<String, u64>,
}

impl World {
    /// Makes one change.
    pub(crate) fn apply(&mut self, change: Change) {
        match change {
            Change::Store(chain, stored) => {
                self.store.insert(chain, stored);
            }
            Change::SetImage(image) => {
                self.images.insert(image.name.clone(), image);
            }
            Change::Mount(name, record) => {
                self.mounts.insert(name, record);
            }
            Change::CountRun(name) => {
                *self.runs.get_or_insert_with(name, || 0) += 1;
            }
            Change::Unmount(name) => {
                self.mounts.remove(&name);
            }
            Change::Edit(name, edit) => {
                if let Some(record) = self.mounts.get_mut(&name) {
                    record.mount.apply(&edit);
                }
            }
        }
    }
}
