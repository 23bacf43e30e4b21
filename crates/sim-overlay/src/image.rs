//! Images: ordered read-only layers plus metadata, and how a Dockerfile builds one.
//!
//! Contract: [`plan_build`] turns a parsed Dockerfile, its base image and the
//! scenario's file effects into one [`BuildStep`] per instruction (plus one
//! extra step after a layer that deletes files), each holding the image as it
//! is after that step. Layers are shared by `Arc` and never modified; an
//! image's size is the sum of its layers' bytes, so deleting never shrinks it.

use crate::dockerfile::{exec_form, words, Dockerfile, Instruction, Keyword};
use crate::layer::{is_within, join, Entry, Layer};
use crate::overlay::Mount;
use crate::rules;
use serde::Serialize;
use sim_core::Rule;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::Hasher;
use std::sync::Arc;

/// The image configuration that metadata-only instructions change.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ImageConfig {
    /// `LABEL`s.
    pub labels: BTreeMap<String, String>,
    /// `ENV` variables.
    pub env: BTreeMap<String, String>,
    /// `ARG`s with their defaults (build time only).
    pub args: BTreeMap<String, String>,
    /// `ENTRYPOINT`, as exec-form words.
    pub entrypoint: Vec<String>,
    /// `CMD`, as exec-form words.
    pub cmd: Vec<String>,
    /// `WORKDIR`.
    pub workdir: String,
    /// `USER`.
    pub user: String,
    /// `EXPOSE`d ports, e.g. `80/tcp`.
    pub exposed_ports: BTreeSet<String>,
}

/// One line of `docker history`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

/// What the scenario says a RUN, COPY or ADD did to the filesystem.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Effect {
    /// Files added or changed, by path.
    pub files: BTreeMap<String, Entry>,
    /// Paths removed (they must exist in the image below).
    pub remove: Vec<String>,
}

/// One step of a build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildStep {
    /// The instruction, e.g. `RUN make /app`.
    pub instruction: String,
    /// Machine-readable kind, e.g. `layer`.
    pub kind: &'static str,
    /// What happened, in one sentence.
    pub detail: String,
    /// The rule followed.
    pub rule: Rule,
    /// The layer this step added, if any.
    pub new_layer: Option<Arc<Layer>>,
    /// The image after this step.
    pub image: Image,
}

/// Why an instruction's effect could not be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    /// Index of the instruction in the Dockerfile.
    pub instruction: usize,
    /// What is wrong.
    pub message: String,
}

/// Plans the build of `name` from `dockerfile` over `base`; `effects` holds,
/// per instruction index, the scenario's effect for it.
pub fn plan_build(
    name: &str,
    dockerfile: &Dockerfile,
    base: &Image,
    effects: &BTreeMap<usize, Effect>,
) -> Result<Vec<BuildStep>, BuildError> {
    let mut image = Image {
        name: name.to_string(),
        ..base.clone()
    };
    let mut steps = Vec::new();
    for (index, ins) in dockerfile.instructions.iter().enumerate() {
        let fail = |message: String| BuildError {
            instruction: index,
            message,
        };
        let effect = effects.get(&index);
        let text = ins.text();
        let layer_kind = matches!(
            ins.keyword,
            Keyword::Run | Keyword::Copy | Keyword::Add | Keyword::Workdir
        );
        if effect.is_some() && !layer_kind {
            return Err(fail(format!(
                "`{text}` changes only metadata, so it cannot list files (only RUN, COPY, ADD and WORKDIR make layers)"
            )));
        }
        let step = |kind, detail, rule, new_layer, image: &Image| BuildStep {
            instruction: text.clone(),
            kind,
            detail,
            rule,
            new_layer,
            image: image.clone(),
        };
        match ins.keyword {
            Keyword::From => {
                let detail = format!(
                    "starts from {} with its {} layer(s), {} bytes",
                    base.name,
                    base.layers.len(),
                    base.size()
                );
                steps.push(step("from", detail, rules::BUILD_FROM, None, &image));
            }
            Keyword::Workdir => {
                let path = resolve_workdir(&image.config.workdir, &ins.args);
                image.config.workdir = path.clone();
                if path == "/" {
                    image.history.push(History {
                        created_by: text.clone(),
                        empty_layer: true,
                    });
                    let detail = "sets the working directory to / (no layer)".to_string();
                    steps.push(step(
                        "metadata",
                        detail,
                        rules::BUILD_METADATA,
                        None,
                        &image,
                    ));
                    continue;
                }
                let mut entries = effect.map(|e| e.files.clone()).unwrap_or_default();
                let exists =
                    image.read_only_mount().resolve(&path) != crate::overlay::Resolved::Missing;
                if !exists {
                    entries.insert(path.clone(), Entry::dir(crate::layer::DIR_MODE));
                }
                let layer = Arc::new(Layer::new(text.clone(), entries));
                image.layers.push(layer.clone());
                image.history.push(History {
                    created_by: text.clone(),
                    empty_layer: false,
                });
                let detail = if exists {
                    format!("{path} already exists, so the new layer is empty")
                } else {
                    format!("adds a layer that creates {path}")
                };
                steps.push(step(
                    "layer",
                    detail,
                    rules::BUILD_WORKDIR,
                    Some(layer),
                    &image,
                ));
            }
            Keyword::Run | Keyword::Copy | Keyword::Add => {
                let effect = effect.cloned().unwrap_or_default();
                let below = image.read_only_mount();
                let mut entries = BTreeMap::new();
                let mut hidden_bytes = 0;
                for path in &effect.remove {
                    if below.resolve(path) == crate::overlay::Resolved::Missing {
                        return Err(fail(format!(
                            "`{text}` removes {path}, which the image below does not have"
                        )));
                    }
                    hidden_bytes += below
                        .merged_view()
                        .iter()
                        .filter(|(p, _)| is_within(p, path))
                        .map(|(_, s)| s.entry.bytes())
                        .sum::<u64>();
                    entries.insert(path.clone(), Entry::Whiteout);
                }
                entries.extend(effect.files.clone());
                let layer = Arc::new(Layer::new(text.clone(), entries));
                image.layers.push(layer.clone());
                image.history.push(History {
                    created_by: text.clone(),
                    empty_layer: false,
                });
                let detail = format!(
                    "adds layer {} with {} file(s), {} bytes, and {} whiteout(s)",
                    image.layers.len(),
                    layer.file_count(),
                    layer.bytes(),
                    effect.remove.len()
                );
                steps.push(step(
                    "layer",
                    detail,
                    rules::BUILD_LAYER,
                    Some(layer),
                    &image,
                ));
                if !effect.remove.is_empty() {
                    let detail = format!(
                        "the image is still {} bytes: the {hidden_bytes} deleted bytes stay in the earlier layers, only hidden by whiteouts ({} bytes visible)",
                        image.size(),
                        image.visible_bytes()
                    );
                    steps.push(step(
                        "size",
                        detail,
                        rules::DELETE_NEVER_SHRINKS,
                        None,
                        &image,
                    ));
                }
            }
            _ => {
                let detail = apply_metadata(&mut image.config, ins);
                image.history.push(History {
                    created_by: text.clone(),
                    empty_layer: true,
                });
                steps.push(step(
                    "metadata",
                    detail,
                    rules::BUILD_METADATA,
                    None,
                    &image,
                ));
            }
        }
    }
    Ok(steps)
}

/// The absolute working directory after `WORKDIR arg` from `current`.
fn resolve_workdir(current: &str, arg: &str) -> String {
    let mut parts: Vec<&str> = if arg.starts_with('/') {
        Vec::new()
    } else {
        current.split('/').filter(|c| !c.is_empty()).collect()
    };
    for c in arg.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    parts.iter().fold("/".to_string(), |acc, c| join(&acc, c))
}

/// Applies a metadata-only instruction and says what changed.
fn apply_metadata(config: &mut ImageConfig, ins: &Instruction) -> String {
    let shell = |args: &str| {
        exec_form(args)
            .unwrap_or_else(|| vec!["/bin/sh".to_string(), "-c".to_string(), args.to_string()])
    };
    let pairs = |args: &str| -> Vec<(String, String)> {
        words(args)
            .into_iter()
            .filter_map(|w| {
                w.split_once('=')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
            })
            .collect()
    };
    let what = match ins.keyword {
        Keyword::Label => {
            config.labels.extend(pairs(&ins.args));
            "sets label(s)"
        }
        Keyword::Env => {
            let found = pairs(&ins.args);
            if found.is_empty() {
                if let Some((k, v)) = ins.args.split_once(' ') {
                    config.env.insert(k.to_string(), v.to_string());
                }
            } else {
                config.env.extend(found);
            }
            "sets environment variable(s)"
        }
        Keyword::Arg => {
            let (k, v) = ins.args.split_once('=').unwrap_or((&ins.args, ""));
            config.args.insert(k.to_string(), v.to_string());
            "declares a build argument"
        }
        Keyword::Cmd => {
            config.cmd = shell(&ins.args);
            "sets the default command"
        }
        Keyword::Entrypoint => {
            config.entrypoint = shell(&ins.args);
            "sets the entrypoint"
        }
        Keyword::User => {
            config.user = ins.args.clone();
            "sets the user"
        }
        Keyword::Expose => {
            for w in words(&ins.args) {
                let port = if w.contains('/') {
                    w
                } else {
                    format!("{w}/tcp")
                };
                config.exposed_ports.insert(port);
            }
            "records exposed port(s)"
        }
        _ => "changes metadata",
    };
    format!("{what} in the image config: {}; no new layer", ins.args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workdir_paths_resolve_like_docker() {
        assert_eq!(resolve_workdir("/", "/app"), "/app");
        assert_eq!(resolve_workdir("/app", "src"), "/app/src");
        assert_eq!(resolve_workdir("/app", ".."), "/");
    }

    #[test]
    fn chain_ids_depend_on_the_layers_below() {
        let a = Arc::new(Layer::new("a", BTreeMap::new()));
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
