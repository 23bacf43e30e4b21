//! What an overlay simulation starts from: its layers, images, planned
//! builds and script, as plain data.
//!
//! Contract: a [`Config`] made by the loader (feature `load`) names only
//! layers, images, mounts and containers that exist where they are used, and
//! holds valid paths, modes and xattr names. [`crate::OverlaySim::new`] trusts
//! it and never panics on one that is not: a name it cannot find does nothing.

use crate::image::{refresh_sizes, BuildStep, Image};
use crate::layer::{Entry, Layer};
use crate::overlay::FileOp;
use serde::{Deserialize, Serialize};
use sim_core::SortedMap;
use std::sync::Arc;

/// A validated overlay scenario, ready to build a simulation from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Config {
    /// The named read-only layers; each layer's name is its id.
    pub layers: Vec<Layer>,
    /// The base images, which `docker pull` stores.
    pub bases: Vec<BaseImage>,
    /// The images built from a Dockerfile.
    pub builds: Vec<Build>,
    /// The script, in order.
    pub script: Vec<Action>,
}

/// A base image: a name and named layers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaseImage {
    /// The image's name, e.g. `ubuntu:22.04`.
    pub name: String,
    /// Its layers' ids, bottom first.
    pub layers: Vec<String>,
}

/// An image built from a Dockerfile, planned when the scenario was loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Build {
    /// The new image's name.
    pub image: String,
    /// The base image its `FROM` names.
    pub base: String,
    /// One step per instruction, plus one after a layer that deletes files.
    pub steps: Vec<BuildStep>,
}

/// One scripted action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// `docker pull`: stores a base image's layers.
    Pull(String),
    /// `docker build`: runs the planned build steps of an image, one by one.
    Build(String),
    /// `mount -t overlay` of named layers at `target`.
    Mount {
        /// The mount point, e.g. `/merged`.
        target: String,
        /// The lower layers' ids, top first.
        lowers: Vec<String>,
        /// Whether upperdir and workdir are given.
        writable: bool,
        /// The redirect_dir option.
        redirect_dir: bool,
        /// The `-o` option string as written.
        options: String,
    },
    /// `docker run`: a container of an image.
    Run {
        /// The image.
        image: String,
        /// The new container's name.
        container: String,
    },
    /// A file operation on a mount or a container.
    File {
        /// The mount point or container name.
        on: String,
        /// The operation.
        op: FileOp,
    },
    /// `docker commit`: the container's upper becomes a new image's top layer.
    Commit {
        /// The container.
        container: String,
        /// The new image's name.
        image: String,
    },
    /// `docker rm`: removes a container.
    DockerRm(String),
    /// Shows an image's layers as overlay2 directories.
    Layout(String),
}

/// A knob of an overlay config, as a what-if names it.
enum Knob<'a> {
    /// `size <path> in <layer>`: the bytes of one file of a layer.
    Size { path: &'a str, layer: &'a str },
    /// `redirect_dir <target>`: the redirect_dir option of a scripted mount.
    RedirectDir(&'a str),
}

impl<'a> Knob<'a> {
    fn parse(knob: &'a str) -> Result<Knob<'a>, String> {
        if let Some((path, layer)) = knob
            .strip_prefix("size ")
            .and_then(|rest| rest.split_once(" in "))
        {
            return Ok(Knob::Size { path, layer });
        }
        if let Some(target) = knob.strip_prefix("redirect_dir ") {
            return Ok(Knob::RedirectDir(target));
        }
        Err(format!(
            "the overlay simulator has no knob `{knob}`: expected `size <path> in <layer>` or `redirect_dir <mount target>`"
        ))
    }
}

impl Config {
    /// The layer called `name`: a `[[layer]]` id, or the instruction that
    /// made a build's layer (e.g. `RUN make /app`).
    fn layer_named(&self, name: &str) -> Result<&Layer, String> {
        self.layers
            .iter()
            .chain(
                self.builds
                    .iter()
                    .flat_map(|b| b.steps.iter().filter_map(|s| s.new_layer.as_ref())),
            )
            .find(|l| l.name() == name)
            .ok_or_else(|| format!("there is no layer `{name}`: name a [[layer]] id or an instruction that adds a layer"))
    }

    /// The size of the file `path` in layer `layer`.
    fn file_size(&self, path: &str, layer: &str) -> Result<u64, String> {
        match self.layer_named(layer)?.entries().get(path) {
            Some(Entry::File { size, .. }) => Ok(*size),
            _ => Err(format!("layer `{layer}` has no file `{path}`")),
        }
    }

    /// Gives the file `path` of layer `layer` `size` bytes, then tells every
    /// build its sizes again.
    fn set_file_size(&mut self, path: &str, layer: &str, size: u64) -> Result<(), String> {
        self.file_size(path, layer)?;
        let resize = |l: &Layer| -> Option<Layer> {
            let mut entries = l.entries().clone();
            match entries.get_mut(path) {
                Some(Entry::File { size: old, .. }) => *old = size,
                _ => return None,
            }
            Some(Layer::new(l.name(), entries))
        };
        if let Some(slot) = self.layers.iter_mut().find(|l| l.name() == layer) {
            if let Some(resized) = resize(slot) {
                *slot = resized;
            }
        } else if let Some(slot) = self
            .builds
            .iter_mut()
            .flat_map(|b| b.steps.iter_mut().filter_map(|s| s.new_layer.as_mut()))
            .find(|l| l.name() == layer)
        {
            if let Some(resized) = resize(slot) {
                *slot = resized;
            }
        }
        let bases: SortedMap<&str, Image> = self
            .bases
            .iter()
            .map(|base| {
                let stack = base
                    .layers
                    .iter()
                    .filter_map(|id| self.layers.iter().find(|l| l.name() == id))
                    .map(|l| Arc::new(l.clone()))
                    .collect();
                (base.name.as_str(), Image::new(base.name.clone(), stack))
            })
            .collect();
        for build in &mut self.builds {
            if let Some(base) = bases.get(build.base.as_str()) {
                refresh_sizes(base, &mut build.steps);
            }
        }
        Ok(())
    }

    /// The scripted mount at `target`: its redirect_dir option and options.
    fn mount_at(&mut self, target: &str) -> Result<(&mut bool, &mut String), String> {
        self.script
            .iter_mut()
            .find_map(|action| match action {
                Action::Mount {
                    target: t,
                    redirect_dir,
                    options,
                    ..
                } if t == target => Some((redirect_dir, options)),
                _ => None,
            })
            .ok_or_else(|| format!("the script mounts nothing at `{target}`"))
    }
}

impl sim_core::Tunable for Config {
    fn knob(&self, knob: &str) -> Result<i64, String> {
        match Knob::parse(knob)? {
            Knob::Size { path, layer } => {
                let size = self.file_size(path, layer)?;
                i64::try_from(size).map_err(|_| format!("{size} bytes is too large a size"))
            }
            Knob::RedirectDir(target) => self
                .script
                .iter()
                .find_map(|action| match action {
                    Action::Mount {
                        target: t,
                        redirect_dir,
                        ..
                    } if t == target => Some(i64::from(*redirect_dir)),
                    _ => None,
                })
                .ok_or_else(|| format!("the script mounts nothing at `{target}`")),
        }
    }

    fn set_knob(&mut self, knob: &str, value: i64) -> Result<(), String> {
        match Knob::parse(knob)? {
            Knob::Size { path, layer } => {
                let size = u64::try_from(value).map_err(|_| {
                    format!("a size is a number of bytes, 0 or more; {value} is not")
                })?;
                self.set_file_size(path, layer, size)
            }
            Knob::RedirectDir(target) => {
                let on = match value {
                    0 => false,
                    1 => true,
                    other => {
                        return Err(format!(
                            "redirect_dir is 0 (off) or 1 (on); {other} is neither"
                        ))
                    }
                };
                let (redirect_dir, options) = self.mount_at(target)?;
                *redirect_dir = on;
                let mut kept: Vec<&str> = options
                    .split(',')
                    .filter(|o| !o.is_empty() && !o.starts_with("redirect_dir="))
                    .collect();
                if on {
                    kept.push("redirect_dir=on");
                }
                *options = kept.join(",");
                Ok(())
            }
        }
    }
}
