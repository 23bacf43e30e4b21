//! What one step of the overlay simulation did, as structured fields.
//!
//! Contract: [`OverlayFact::detail`] renders the sentence a presenter reads,
//! only when asked; each variant names exactly one rule of [`crate::rules`].

use crate::image::BuildNote;
use crate::layer::Layer;
use crate::overlay::MountNote;
use crate::rules;
use crate::world::{StoredLayer, OVERLAY2_ROOT};
use sim_core::{Fact, Rule};

/// Who stores an image's layers: the words that open the step's sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreVerb {
    /// `docker pull`.
    Pull,
    /// The `FROM` of a build, pulling its base image.
    FromPulls,
}

impl StoreVerb {
    fn says(self) -> &'static str {
        match self {
            StoreVerb::Pull => "pull",
            StoreVerb::FromPulls => "FROM pulls",
        }
    }
}

/// One step of the overlay simulation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OverlayFact {
    /// A layer stored in its own overlay2 directory.
    LayerStored {
        /// Who stores it.
        verb: StoreVerb,
        /// The layer and its new directory.
        dir: LayerDir,
    },
    /// A layer whose content is stored already, so it is shared.
    LayerShared {
        /// Who wanted it stored.
        verb: StoreVerb,
        /// The layer's name.
        layer: String,
        /// The directory id it is stored in.
        cache_id: String,
    },
    /// One step of a `docker build`.
    Build {
        /// The image being built.
        image: String,
        /// The instruction, e.g. `RUN make /app`.
        instruction: String,
        /// What the step did.
        note: BuildNote,
    },
    /// An overlay mounted at a target.
    Mounted {
        /// The mount point.
        target: String,
        /// Whether upperdir and workdir are given.
        writable: bool,
        /// The top lower layer's id.
        top: String,
        /// The bottom lower layer's id.
        bottom: String,
    },
    /// A container started from an image.
    ContainerRun {
        /// The container.
        container: String,
        /// Its image.
        image: String,
        /// Its own layer's directory id.
        cache_id: String,
        /// How many image layers it mounts read-only.
        layers: usize,
        /// Other containers of the same image, which share those layers.
        sharing: Vec<String>,
    },
    /// One step of a file operation on a mount or a container.
    File {
        /// The mount point or container name.
        on: String,
        /// The path in the merged view.
        path: String,
        /// What the step did.
        note: MountNote,
    },
    /// A container's upper packed as a layer tar for a commit.
    Packed {
        /// The container.
        container: String,
        /// The tar's member names.
        members: Vec<String>,
    },
    /// A new image committed from a container.
    Committed {
        /// The new image.
        image: String,
        /// The container's image.
        from: String,
        /// How many layers that image has.
        base_layers: usize,
        /// Bytes in the committed layer.
        bytes: u64,
    },
    /// A container removed with its own layer.
    ContainerRemoved {
        /// The container.
        container: String,
        /// Its own layer's directory id.
        cache_id: String,
        /// Entries its upper layer held.
        upper_entries: usize,
        /// Its image.
        image: String,
        /// How many layers that image has.
        image_layers: usize,
        /// Other containers still using those layers.
        others: Vec<String>,
    },
    /// One overlay2 directory of an image's layer, shown.
    Layout(LayerDir),
}

/// A layer with its overlay2 directory, as a step reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerDir {
    /// The layer's name.
    pub layer: String,
    /// Regular files in it.
    pub files: usize,
    /// Bytes in it.
    pub bytes: u64,
    /// Its directory id under [`OVERLAY2_ROOT`].
    pub cache_id: String,
    /// Its short link name.
    pub link: String,
    /// Its `lower` file (links of the layers below), empty for the bottom layer.
    pub lower: String,
}

impl LayerDir {
    /// What a step says of `layer`, stored as `stored`.
    pub fn of(layer: &Layer, stored: &StoredLayer) -> Self {
        LayerDir {
            layer: layer.name().to_string(),
            files: layer.file_count(),
            bytes: layer.bytes(),
            cache_id: stored.cache_id.clone(),
            link: stored.link.clone(),
            lower: stored.lower.clone(),
        }
    }
}

/// The first 12 characters of an id, as Docker shows it.
pub(crate) fn short(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

impl Fact for OverlayFact {
    fn rule(&self) -> &'static Rule {
        match self {
            OverlayFact::LayerStored { .. } | OverlayFact::Layout(_) => &rules::LAYER_STORED,
            OverlayFact::LayerShared { .. } => &rules::LAYER_SHARED,
            OverlayFact::Build { note, .. } => note.rule(),
            OverlayFact::Mounted { writable: true, .. } => &rules::MOUNT_STACK,
            OverlayFact::Mounted {
                writable: false, ..
            } => &rules::MOUNT_READ_ONLY,
            OverlayFact::ContainerRun { .. } => &rules::DOCKER_CONTAINER,
            OverlayFact::File { note, .. } => note.rule(),
            OverlayFact::Packed { members, .. } if members.iter().any(|m| m.contains(".wh.")) => {
                &rules::TAR_WHITEOUT
            }
            OverlayFact::Packed { .. } | OverlayFact::Committed { .. } => &rules::COMMIT,
            OverlayFact::ContainerRemoved { .. } => &rules::DOCKER_RM,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            OverlayFact::LayerStored { .. } => "stored",
            OverlayFact::LayerShared { .. } => "shared",
            OverlayFact::Build { note, .. } => note.kind(),
            OverlayFact::Mounted { .. } => "mount",
            OverlayFact::ContainerRun { .. } => "run",
            OverlayFact::File { note, .. } => note.kind(),
            OverlayFact::Packed { .. } => "tar",
            OverlayFact::Committed { .. } => "commit",
            OverlayFact::ContainerRemoved { .. } => "rm",
            OverlayFact::Layout(_) => "layout",
        }
    }

    fn object(&self) -> String {
        match self {
            OverlayFact::LayerStored {
                dir: LayerDir { layer, .. },
                ..
            }
            | OverlayFact::LayerShared { layer, .. } => {
                format!("layer {layer}")
            }
            OverlayFact::Build { image, .. } | OverlayFact::Committed { image, .. } => {
                format!("image {image}")
            }
            OverlayFact::Mounted { target, .. } => target.clone(),
            OverlayFact::ContainerRun { container, .. }
            | OverlayFact::Packed { container, .. }
            | OverlayFact::ContainerRemoved { container, .. } => format!("container {container}"),
            OverlayFact::File { on, path, .. } if on.starts_with('/') => format!("{on}{path}"),
            OverlayFact::File { on, path, .. } => format!("{on}:{path}"),
            OverlayFact::Layout(LayerDir { cache_id, .. }) => {
                format!("{OVERLAY2_ROOT}/{}", short(cache_id))
            }
        }
    }

    fn detail(&self) -> String {
        match self {
            OverlayFact::LayerStored {
                verb,
                dir:
                    LayerDir {
                        layer,
                        files,
                        bytes,
                        cache_id,
                        link,
                        lower,
                    },
            } => format!(
                "{} {layer}: {files} file(s), {bytes} bytes into {OVERLAY2_ROOT}/{}/diff, link {link}, lower {}",
                verb.says(),
                short(cache_id),
                if lower.is_empty() { "(none: bottom layer)" } else { lower }
            ),
            OverlayFact::LayerShared {
                verb,
                layer,
                cache_id,
            } => format!(
                "{} {layer}: already exists as {OVERLAY2_ROOT}/{}, stored once",
                verb.says(),
                short(cache_id)
            ),
            OverlayFact::Build {
                instruction, note, ..
            } => format!("{instruction}: {}", note.detail()),
            OverlayFact::Mounted {
                target,
                writable,
                top,
                bottom,
            } => {
                let how = if *writable {
                    "read-write"
                } else {
                    "read-only (no upperdir)"
                };
                format!("mounts overlay {how} at {target}: top lower {top}, bottom lower {bottom}")
            }
            OverlayFact::ContainerRun {
                container,
                image,
                cache_id,
                layers,
                sharing,
            } => {
                let dir = format!("{OVERLAY2_ROOT}/{}", short(cache_id));
                let shared = if sharing.is_empty() {
                    String::new()
                } else {
                    format!(", shared with {}", sharing.join(", "))
                };
                format!(
                    "runs {container} from {image}: upperdir {dir}/diff, workdir {dir}/work, merged {dir}/merged, over {layers} read-only image layer(s){shared}"
                )
            }
            OverlayFact::File { path, note, .. } => note.detail(path),
            OverlayFact::Packed { members, .. } => format!(
                "packs the upper layer as a tar of {} member(s): [{}]",
                members.len(),
                members.join(", ")
            ),
            OverlayFact::Committed {
                image,
                from,
                base_layers,
                bytes,
            } => format!(
                "{image} = the {base_layers} layer(s) of {from} plus the committed layer ({bytes} bytes)"
            ),
            OverlayFact::ContainerRemoved {
                cache_id,
                upper_entries,
                image,
                image_layers,
                others,
                ..
            } => {
                let users = if others.is_empty() {
                    String::new()
                } else {
                    format!(", still used by {}", others.join(", "))
                };
                format!(
                    "removes {OVERLAY2_ROOT}/{} and its upper layer ({upper_entries} entries); the {image_layers} image layer(s) of {image} stay{users}",
                    short(cache_id)
                )
            }
            OverlayFact::Layout(LayerDir {
                layer,
                files,
                bytes,
                cache_id,
                link,
                lower,
            }) => {
                let lower = if lower.is_empty() {
                    "no lower file (bottom layer)".to_string()
                } else {
                    format!("lower = {lower}")
                };
                format!(
                    "{layer}: diff/ holds {files} file(s), {bytes} bytes; link = {link} (l/{link} -> ../{}/diff); {lower}",
                    short(cache_id)
                )
            }
        }
    }
}
