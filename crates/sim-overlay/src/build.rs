//! How a Dockerfile builds an image, planned once when a scenario is loaded.
//!
//! Contract: [`plan_build`] turns a parsed Dockerfile, its base image and the
//! scenario's file effects into one [`BuildStep`] per instruction (plus one
//! extra step after a layer that deletes files), or a [`BuildError`] naming
//! the instruction. [`crate::image::images_after`] replays the steps into the
//! same images this planner saw.

use crate::dockerfile::{exec_form, words, Dockerfile, Instruction, Keyword};
use crate::image::{hidden_by, BuildNote, BuildStep, History, Image, ImageConfig, MetadataChange};
use crate::layer::{join, Entry, Layer, DIR_MODE};
use crate::overlay::Resolved;
use sim_core::SortedMap;
use std::sync::Arc;

/// What the scenario says a RUN, COPY or ADD did to the filesystem.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Effect {
    /// Files added or changed, by path.
    pub files: SortedMap<String, Entry>,
    /// Paths removed (they must exist in the image below).
    pub remove: Vec<String>,
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
    effects: &SortedMap<usize, Effect>,
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
        let config_before = image.config.clone();
        // Adds one step, recording what it changed in `image`.
        let mut record =
            |image: &mut Image, note: BuildNote, layer: Option<Layer>, history: bool| {
                if let Some(layer) = &layer {
                    image.layers.push(Arc::new(layer.clone()));
                }
                let history = history.then(|| History {
                    created_by: text.clone(),
                    empty_layer: layer.is_none(),
                });
                if let Some(line) = &history {
                    image.history.push(line.clone());
                }
                steps.push(BuildStep {
                    instruction: text.clone(),
                    note,
                    new_layer: layer,
                    history,
                    config: (image.config != config_before).then(|| image.config.clone()),
                });
            };
        match ins.keyword {
            Keyword::From => {
                let note = BuildNote::From {
                    base: base.name.clone(),
                    layers: base.layers.len(),
                    bytes: base.size(),
                };
                record(&mut image, note, None, false);
            }
            Keyword::Workdir => {
                let path = resolve_workdir(&image.config.workdir, &ins.args);
                image.config.workdir = path.clone();
                if path == "/" {
                    record(&mut image, BuildNote::WorkdirRoot, None, true);
                    continue;
                }
                let mut entries = effect.map(|e| e.files.clone()).unwrap_or_default();
                let exists = image.read_only_mount().resolve(&path) != Resolved::Missing;
                if !exists {
                    entries.insert(path.clone(), Entry::dir(DIR_MODE));
                }
                let layer = Layer::new(text.clone(), entries);
                let note = if exists {
                    BuildNote::WorkdirExists { path }
                } else {
                    BuildNote::WorkdirCreates { path }
                };
                record(&mut image, note, Some(layer), true);
            }
            Keyword::Run | Keyword::Copy | Keyword::Add => {
                let effect = effect.cloned().unwrap_or_default();
                let below = image.read_only_mount();
                let mut entries = SortedMap::new();
                for path in &effect.remove {
                    if below.resolve(path) == Resolved::Missing {
                        return Err(fail(format!(
                            "`{text}` removes {path}, which the image below does not have"
                        )));
                    }
                    entries.insert(path.clone(), Entry::Whiteout);
                }
                let removed: Vec<&str> = effect.remove.iter().map(String::as_str).collect();
                let hidden = hidden_by(&image, &removed);
                entries.extend(effect.files.clone());
                let layer = Layer::new(text.clone(), entries);
                let note = BuildNote::Layer {
                    index: image.layers.len() + 1,
                    files: layer.file_count(),
                    bytes: layer.bytes(),
                    whiteouts: effect.remove.len(),
                };
                record(&mut image, note, Some(layer), true);
                if !effect.remove.is_empty() {
                    let note = BuildNote::StillSize {
                        size: image.size(),
                        hidden,
                        visible: image.visible_bytes(),
                    };
                    record(&mut image, note, None, false);
                }
            }
            _ => {
                let change = apply_metadata(&mut image.config, ins);
                let note = BuildNote::Metadata {
                    change,
                    args: ins.args.clone(),
                };
                record(&mut image, note, None, true);
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

/// Applies a metadata-only instruction (any keyword but FROM, RUN, COPY,
/// ADD and WORKDIR) and says what it changed.
fn apply_metadata(config: &mut ImageConfig, ins: &Instruction) -> MetadataChange {
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
    match ins.keyword {
        Keyword::Env => {
            let found = pairs(&ins.args);
            if found.is_empty() {
                if let Some((k, v)) = ins.args.split_once(' ') {
                    config.env.insert(k.to_string(), v.to_string());
                }
            } else {
                config.env.extend(found);
            }
            MetadataChange::Env
        }
        Keyword::Arg => {
            let (k, v) = ins.args.split_once('=').unwrap_or((&ins.args, ""));
            config.args.insert(k.to_string(), v.to_string());
            MetadataChange::Arg
        }
        Keyword::Cmd => {
            config.cmd = shell(&ins.args);
            MetadataChange::Cmd
        }
        Keyword::Entrypoint => {
            config.entrypoint = shell(&ins.args);
            MetadataChange::Entrypoint
        }
        Keyword::User => {
            config.user = ins.args.clone();
            MetadataChange::User
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
            MetadataChange::Expose
        }
        _ => {
            config.labels.extend(pairs(&ins.args));
            MetadataChange::Labels
        }
    }
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
}
