//! Images: ordered read-only layers plus metadata, and the planned steps of
//! a build.
//!
//! Contract: a build is stored as one [`BuildStep`] per step (what it added:
//! a layer, a history line, a new configuration); [`images_after`] replays
//! them over the base image, giving the image after each step. Layers are
//! shared by `Arc` and never modified; an image's size is the sum of its
//! layers' bytes, so deleting never shrinks it.

use crate::layer::{is_within, Entry, Layer};
use crate::overlay::Mount;
use crate::rules;
use serde::{Deserialize, Serialize};
use sim_core::Rule;
use sim_core::{SortedMap, SortedSet};
use std::hash::Hasher;
use std::sync::Arc;

/// The image configuration that metadata-only instructions change.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImageConfig {
    /// `LABEL`s.
    pub labels: SortedMap<String, String>,
    /// `ENV` variables.
    pub env: SortedMap<String, String>,
    /// `ARG`s with their defaults (build time only).
    pub args: SortedMap<String, String>,
    /// `ENTRYPOINT`, as exec-form words.
    pub entrypoint: Vec<String>,
    /// `CMD`, as exec-form words.
    pub cmd: Vec<String>,
    /// `WORKDIR`.
    pub workdir: String,
    /// `USER`.
    pub user: String,
    /// `EXPOSE`d ports, e.g. `80/tcp`.
    pub exposed_ports: SortedSet<String>,
}

/// One line of `docker history`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    /// The instruction (or pull/commit) that made it.
    pub created_by: String,
    /// True when it changed only metadata.
    pub empty_layer: bool,
}

/// An image: read-only layers, bottom first, and its configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// The image's name, e.g. `ubuntu:22.04`.
    pub name: String,
    /// Its layers, bottom first.
    pub layers: Vec<Arc<Layer>>,
    /// Its configuration.
    pub config: ImageConfig,
    /// Its history, oldest first.
    pub history: Vec<History>,
}

impl Image {
    /// An image of `layers` (bottom first) with an empty configuration.
    pub fn new(name: impl Into<String>, layers: Vec<Arc<Layer>>) -> Image {
        let history = layers
            .iter()
            .map(|l| History {
                created_by: l.name().to_string(),
                empty_layer: false,
            })
            .collect();
        Image {
            name: name.into(),
            layers,
            config: ImageConfig {
                workdir: "/".to_string(),
                ..ImageConfig::default()
            },
            history,
        }
    }

    /// The image size: every byte of every layer, deleted or not.
    pub fn size(&self) -> u64 {
        self.layers.iter().map(|l| l.bytes()).sum()
    }

    /// The bytes a container of this image can see (its merged view).
    pub fn visible_bytes(&self) -> u64 {
        self.read_only_mount()
            .merged_view()
            .values()
            .map(|s| s.entry.bytes())
            .sum()
    }

    /// The bytes of each layer (bottom first) a container of this image
    /// sees: a layer's files hidden by a higher layer's file or whiteout
    /// still count in [`Image::size`], not here.
    pub fn visible_bytes_per_layer(&self) -> Vec<u64> {
        let view = self.read_only_mount().merged_view();
        self.layers
            .iter()
            .map(|layer| {
                view.values()
                    .filter(|shown| shown.from == layer.name())
                    .map(|shown| shown.entry.bytes())
                    .sum()
            })
            .collect()
    }

    /// Each line of the image's history, oldest first, with the layer it
    /// made (`None` for a metadata-only line).
    pub fn history_layers(&self) -> Vec<(&History, Option<&Arc<Layer>>)> {
        let mut layers = self.layers.iter();
        self.history
            .iter()
            .map(|line| (line, (!line.empty_layer).then(|| layers.next()).flatten()))
            .collect()
    }

    /// The image's layers as a read-only overlay mount (top layer first).
    pub fn read_only_mount(&self) -> Mount {
        Mount::new(self.layers.iter().rev().cloned().collect(), false, false)
    }

    /// A container's mount: the image's layers as lowers (top first) under a
    /// fresh, empty upper layer.
    pub fn container_mount(&self) -> Mount {
        Mount::new(self.layers.iter().rev().cloned().collect(), true, false)
    }

    /// The chain IDs of the layers, bottom first: each names a layer
    /// together with every layer below it, as Docker's layer store does.
    pub fn chain_ids(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for layer in &self.layers {
            let id = match out.last() {
                None => layer.digest().to_string(),
                Some(below) => chain_id(below, layer.digest()),
            };
            out.push(id);
        }
        out
    }
}

/// The chain ID of a layer with digest `digest` on top of chain `below`.
pub fn chain_id(below: &str, digest: &str) -> String {
    let mut h = fnv::FnvHasher::default();
    h.write(below.as_bytes());
    h.write_u8(b' ');
    h.write(digest.as_bytes());
    format!("fnv1a64:{:016x}", h.finish())
}

/// One step of a build as it is stored: what the step did and what it
/// added to the image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildStep {
    /// The instruction, e.g. `RUN make /app`.
    pub instruction: String,
    /// What happened.
    pub note: BuildNote,
    /// The layer this step added, if any.
    pub new_layer: Option<Layer>,
    /// The line this step added to `docker history`, if any.
    pub history: Option<History>,
    /// The image configuration after this step, when the step changed it.
    pub config: Option<ImageConfig>,
}

/// What one build step did, as the figures say it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum BuildNote {
    /// `FROM`: the base image with its layers and bytes.
    From {
        /// The base image.
        base: String,
        /// How many layers it has.
        layers: usize,
        /// Its size in bytes.
        bytes: u64,
    },
    /// `WORKDIR /`: metadata only.
    WorkdirRoot,
    /// `WORKDIR` to a path the image has: an empty layer.
    WorkdirExists {
        /// The working directory.
        path: String,
    },
    /// `WORKDIR` to a new path: a layer creating it.
    WorkdirCreates {
        /// The working directory.
        path: String,
    },
    /// `RUN`, `COPY` or `ADD`: a new layer.
    Layer {
        /// The image's layer count with it.
        index: usize,
        /// Regular files in the layer.
        files: usize,
        /// Bytes in the layer.
        bytes: u64,
        /// Whiteouts in the layer.
        whiteouts: usize,
    },
    /// After a layer that deletes: the image did not shrink.
    StillSize {
        /// The image size in bytes.
        size: u64,
        /// The bytes now hidden by whiteouts.
        hidden: u64,
        /// The bytes a container sees.
        visible: u64,
    },
    /// A metadata-only instruction.
    Metadata {
        /// What it changed.
        change: MetadataChange,
        /// Its arguments as written.
        args: String,
    },
}

/// Which part of the image configuration a metadata instruction changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MetadataChange {
    /// `LABEL`.
    Labels,
    /// `ENV`.
    Env,
    /// `ARG`.
    Arg,
    /// `CMD`.
    Cmd,
    /// `ENTRYPOINT`.
    Entrypoint,
    /// `USER`.
    User,
    /// `EXPOSE`.
    Expose,
}

impl MetadataChange {
    fn says(self) -> &'static str {
        match self {
            MetadataChange::Labels => "sets label(s)",
            MetadataChange::Env => "sets environment variable(s)",
            MetadataChange::Arg => "declares a build argument",
            MetadataChange::Cmd => "sets the default command",
            MetadataChange::Entrypoint => "sets the entrypoint",
            MetadataChange::User => "sets the user",
            MetadataChange::Expose => "records exposed port(s)",
        }
    }
}

impl BuildNote {
    /// A short machine-readable kind: `from`, `layer`, `metadata` or `size`.
    pub fn kind(&self) -> &'static str {
        match self {
            BuildNote::From { .. } => "from",
            BuildNote::WorkdirExists { .. }
            | BuildNote::WorkdirCreates { .. }
            | BuildNote::Layer { .. } => "layer",
            BuildNote::WorkdirRoot | BuildNote::Metadata { .. } => "metadata",
            BuildNote::StillSize { .. } => "size",
        }
    }

    /// Whether this step goes on with the instruction of the step before
    /// it (the size check after a layer that deletes) rather than starting
    /// the next instruction.
    pub fn continues_instruction(&self) -> bool {
        matches!(self, BuildNote::StillSize { .. })
    }

    /// The rule the step follows.
    pub fn rule(&self) -> &'static Rule {
        match self {
            BuildNote::From { .. } => &rules::BUILD_FROM,
            BuildNote::WorkdirExists { .. } | BuildNote::WorkdirCreates { .. } => {
                &rules::BUILD_WORKDIR
            }
            BuildNote::Layer { .. } => &rules::BUILD_LAYER,
            BuildNote::WorkdirRoot | BuildNote::Metadata { .. } => &rules::BUILD_METADATA,
            BuildNote::StillSize { .. } => &rules::DELETE_NEVER_SHRINKS,
        }
    }

    /// What happened, in one sentence.
    pub fn detail(&self) -> String {
        match self {
            BuildNote::From { base, layers, bytes } => {
                format!("starts from {base} with its {layers} layer(s), {bytes} bytes")
            }
            BuildNote::WorkdirRoot => "sets the working directory to / (no layer)".to_string(),
            BuildNote::WorkdirExists { path } => {
                format!("{path} already exists, so the new layer is empty")
            }
            BuildNote::WorkdirCreates { path } => format!("adds a layer that creates {path}"),
            BuildNote::Layer {
                index,
                files,
                bytes,
                whiteouts,
            } => format!(
                "adds layer {index} with {files} file(s), {bytes} bytes, and {whiteouts} whiteout(s)"
            ),
            BuildNote::StillSize {
                size,
                hidden,
                visible,
            } => format!(
                "the image is still {size} bytes: the {hidden} deleted bytes stay in the earlier layers, only hidden by whiteouts ({visible} bytes visible)"
            ),
            BuildNote::Metadata { change, args } => {
                format!("{} in the image config: {args}; no new layer", change.says())
            }
        }
    }
}

/// The bytes the merged view of `below` shows at or under each of `removed`:
/// what a layer deleting those paths hides without freeing.
pub fn hidden_by(below: &Image, removed: &[&str]) -> u64 {
    let view = below.read_only_mount().merged_view();
    removed
        .iter()
        .map(|path| {
            view.iter()
                .filter(|(p, _)| is_within(p, path))
                .map(|(_, s)| s.entry.bytes())
                .sum::<u64>()
        })
        .sum()
}

/// Recomputes the sizes the notes of `steps` report (the base's bytes, each
/// new layer's bytes, the image's size after a deleting layer and what it
/// hides), replaying the steps over `base`: after a layer's file changed
/// size, the notes tell the build as it now is.
pub fn refresh_sizes(base: &Image, steps: &mut [BuildStep]) {
    let mut image = base.clone();
    let mut before_layer = image.clone();
    for step in steps {
        match &mut step.note {
            BuildNote::From { layers, bytes, .. } => {
                *layers = base.layers.len();
                *bytes = base.size();
            }
            BuildNote::Layer { bytes, .. } => {
                *bytes = step.new_layer.as_ref().map_or(0, Layer::bytes);
            }
            BuildNote::StillSize {
                size,
                hidden,
                visible,
            } => {
                let removed: Vec<&str> = image
                    .layers
                    .last()
                    .map(|top| {
                        top.entries()
                            .iter()
                            .filter(|(_, e)| matches!(e, Entry::Whiteout))
                            .map(|(p, _)| p.as_str())
                            .collect()
                    })
                    .unwrap_or_default();
                *size = image.size();
                *hidden = hidden_by(&before_layer, &removed);
                *visible = image.visible_bytes();
            }
            _ => {}
        }
        if let Some(layer) = &step.new_layer {
            before_layer = image.clone();
            image.layers.push(Arc::new(layer.clone()));
        }
    }
}

/// The image `name` after each of `steps`, built over `base`.
pub fn images_after(name: &str, base: &Image, steps: &[BuildStep]) -> Vec<Image> {
    let mut image = Image {
        name: name.to_string(),
        ..base.clone()
    };
    steps
        .iter()
        .map(|step| {
            if let Some(layer) = &step.new_layer {
                image.layers.push(Arc::new(layer.clone()));
            }
            if let Some(history) = &step.history {
                image.history.push(history.clone());
            }
            if let Some(config) = &step.config {
                image.config = config.clone();
            }
            image.clone()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_ids_depend_on_the_layers_below() {
        let a = Arc::new(Layer::new("a", SortedMap::new()));
        let b = Arc::new(Layer::new(
            "b",
            [("/x".to_string(), Entry::text("x", 0o644))].into(),
        ));
        let ab = Image::new("ab", vec![a.clone(), b.clone()]).chain_ids();
        let ba = Image::new("ba", vec![b.clone(), a.clone()]).chain_ids();
        assert_eq!(ab[0], a.digest());
        assert_ne!(ab[1], ba[1]);
        assert_eq!(Image::new("again", vec![a, b]).chain_ids(), ab);
    }
}
