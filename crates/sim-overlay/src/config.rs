//! What an overlay simulation starts from: its layers, images, planned
//! builds and script, as plain data.
//!
//! Contract: a [`Config`] made by the loader (feature `load`) names only
//! layers, images, mounts and containers that exist where they are used, and
//! holds valid paths, modes and xattr names. [`crate::OverlaySim::new`] trusts
//! it and never panics on one that is not: a name it cannot find does nothing.

use crate::image::BuildStep;
use crate::layer::Layer;
use crate::overlay::FileOp;
use serde::{Deserialize, Serialize};

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

impl sim_core::Tunable for Config {
    fn knob(&self, knob: &str) -> Result<i64, String> {
        Err(format!("the overlay simulator has no knob `{knob}`"))
    }

    fn set_knob(&mut self, knob: &str, _value: i64) -> Result<(), String> {
        Err(format!("the overlay simulator has no knob `{knob}`"))
    }
}
