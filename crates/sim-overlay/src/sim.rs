//! The overlay simulation: a Docker host's layer store, images and overlay
//! mounts, driven by a script of actions, one event per step.
//!
//! Contract: each action is planned against the current world into a queue of
//! micro-steps; each [`Simulation::step`] applies exactly one of them, so the
//! state after a step is exactly what that step's event describes. Randomness
//! (layer directory ids and short links) comes only from the seeded [`SimRng`].

use crate::image::{BuildStep, History, Image, ImageConfig};
use crate::layer::{Entry, Layer};
use crate::overlay::{Edit, FileOp, Mount, Shown};
use crate::rules;
use serde::Serialize;
use sim_core::{Event, Rule, SimRng, SimTime, Simulation};
use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

/// Where Docker's overlay2 driver keeps its layers.
pub const OVERLAY2_ROOT: &str = "/var/lib/docker/overlay2";

/// Virtual time one step takes.
const STEP_TIME: SimTime = SimTime::from_millis(100);

/// One scripted action, already validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// `docker pull`: stores a base image's layers.
    Pull(String),
    /// `docker build`: replays the planned build steps of an image.
    Build(String),
    /// One instruction of a build (the index into its planned steps).
    BuildStep(String, usize),
    /// `mount -t overlay` of named layers at `target`.
    Mount {
        /// The mount point, e.g. `/merged`.
        target: String,
        /// The lower layers' scenario ids, top first.
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

/// A layer in the overlay2 store.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stored {
    layer: Arc<Layer>,
    cache_id: String,
    link: String,
    lower: String,
}

/// A mount, possibly a container's.
#[derive(Debug, Clone, PartialEq, Eq)]
struct MountRecord {
    mount: Mount,
    options: String,
    container: Option<Container>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Container {
    image: String,
    cache_id: String,
}

/// One change to the world.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Change {
    Store(String, Stored),
    SetImage(Image),
    Mount(String, MountRecord),
    Unmount(String),
    Edit(String, Edit),
}

/// One planned step: its event's parts and the changes it makes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Micro {
    object: String,
    kind: String,
    detail: String,
    rule: Rule,
    changes: Vec<Change>,
}

impl Micro {
    fn new(object: impl Into<String>, kind: &str, detail: String, rule: Rule) -> Micro {
        Micro {
            object: object.into(),
            kind: kind.to_string(),
            detail,
            rule,
            changes: Vec::new(),
        }
    }

    fn with(mut self, change: Change) -> Micro {
        self.changes.push(change);
        self
    }
}

/// What the simulated host holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct World {
    store: BTreeMap<String, Stored>,
    images: BTreeMap<String, Image>,
    mounts: BTreeMap<String, MountRecord>,
}

impl World {
    fn apply(&mut self, change: Change) {
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

/// The overlay simulator: starting world plus the rest of its script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlaySim {
    layers: BTreeMap<String, Arc<Layer>>,
    bases: BTreeMap<String, Image>,
    builds: BTreeMap<String, (String, Vec<BuildStep>)>,
    world: World,
    script: VecDeque<Action>,
    pending: VecDeque<Micro>,
}

fn random_hex(rng: &mut SimRng) -> String {
    (0..4).map(|_| format!("{:016x}", rng.next_u64())).collect()
}

fn random_link(rng: &mut SimRng) -> String {
    const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    (0..26)
        .map(|_| {
            let i = usize::try_from(rng.below(32)).unwrap_or(0);
            BASE32.get(i).map_or('A', |b| char::from(*b))
        })
        .collect()
}

fn short(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

impl OverlaySim {
    /// A simulation of `script` with the scenario's named layers, base images
    /// and planned builds.
    pub(crate) fn new(
        layers: BTreeMap<String, Arc<Layer>>,
        bases: BTreeMap<String, Image>,
        builds: BTreeMap<String, (String, Vec<BuildStep>)>,
        script: Vec<Action>,
    ) -> OverlaySim {
        OverlaySim {
            layers,
            bases,
            builds,
            world: World::default(),
            script: script.into(),
            pending: VecDeque::new(),
        }
    }

    /// The lower layers a mount or container currently has, top first.
    pub fn lowers_of(&self, on: &str) -> Option<&[Arc<Layer>]> {
        self.world.mounts.get(on).map(|r| r.mount.lowers())
    }

    /// The mount (or container mount) called `on`, if it exists now.
    pub fn mount(&self, on: &str) -> Option<&Mount> {
        self.world.mounts.get(on).map(|r| &r.mount)
    }

    /// The image called `name`, if it has been pulled, built or committed.
    pub fn image(&self, name: &str) -> Option<&Image> {
        self.world.images.get(name)
    }

    /// How many layer directories the overlay2 store holds.
    pub fn stored_layers(&self) -> usize {
        self.world.store.len()
    }

    /// Plans the steps that store `image`'s layers, bottom first; the last
    /// step also registers `image` itself.
    fn store_image(&self, rng: &mut SimRng, image: &Image, verb: &str) -> Vec<Micro> {
        let mut steps = Vec::new();
        let mut links_below: Vec<String> = Vec::new();
        let chains = image.chain_ids();
        for (layer, chain) in image.layers.iter().zip(&chains) {
            let lower = links_below
                .iter()
                .rev()
                .map(|l| format!("l/{l}"))
                .collect::<Vec<_>>()
                .join(":");
            let step = match self.world.store.get(chain) {
                Some(stored) => {
                    links_below.push(stored.link.clone());
                    Micro::new(
                        format!("layer {}", layer.name()),
                        "shared",
                        format!(
                            "{verb} {}: already exists as {OVERLAY2_ROOT}/{}, stored once",
                            layer.name(),
                            short(&stored.cache_id)
                        ),
                        rules::LAYER_SHARED,
                    )
                }
                None => {
                    let stored = Stored {
                        layer: layer.clone(),
                        cache_id: random_hex(rng),
                        link: random_link(rng),
                        lower: lower.clone(),
                    };
                    links_below.push(stored.link.clone());
                    Micro::new(
                        format!("layer {}", layer.name()),
                        "stored",
                        format!(
                            "{verb} {}: {} file(s), {} bytes into {OVERLAY2_ROOT}/{}/diff, link {}, lower {}",
                            layer.name(),
                            layer.file_count(),
                            layer.bytes(),
                            short(&stored.cache_id),
                            stored.link,
                            if lower.is_empty() { "(none: bottom layer)" } else { &lower }
                        ),
                        rules::LAYER_STORED,
                    )
                    .with(Change::Store(chain.clone(), stored))
                }
            };
            steps.push(step);
        }
        if let Some(last) = steps.last_mut() {
            last.changes.push(Change::SetImage(image.clone()));
        }
        steps
    }

    fn plan(&self, action: Action, rng: &mut SimRng) -> Vec<Micro> {
        match action {
            Action::Pull(name) => match self.bases.get(&name) {
                Some(image) => self.store_image(rng, image, "pull"),
                None => Vec::new(),
            },
            // `step` expands a build into its instructions before planning.
            Action::Build(_) => Vec::new(),
            Action::BuildStep(name, index) => self.plan_build_step(&name, index, rng),
            Action::Mount {
                target,
                lowers,
                writable,
                redirect_dir,
                options,
            } => {
                let layers: Vec<Arc<Layer>> = lowers
                    .iter()
                    .filter_map(|id| self.layers.get(id).cloned())
                    .collect();
                let mount = Mount::new(layers, writable, redirect_dir);
                let (rule, how) = if writable {
                    (rules::MOUNT_STACK, "read-write")
                } else {
                    (rules::MOUNT_READ_ONLY, "read-only (no upperdir)")
                };
                let detail = format!(
                    "mounts overlay {how} at {target}: top lower {}, bottom lower {}",
                    lowers.first().map_or("-", String::as_str),
                    lowers.last().map_or("-", String::as_str)
                );
                vec![
                    Micro::new(target.clone(), "mount", detail, rule).with(Change::Mount(
                        target,
                        MountRecord {
                            mount,
                            options,
                            container: None,
                        },
                    )),
                ]
            }
            Action::Run { image, container } => self.plan_run(&image, &container, rng),
            Action::File { on, op } => {
                let Some(record) = self.world.mounts.get(&on) else {
                    return Vec::new();
                };
                record
                    .mount
                    .plan(&op)
                    .into_iter()
                    .map(|s| {
                        let object = if on.starts_with('/') {
                            format!("{on}{}", s.path)
                        } else {
                            format!("{on}:{}", s.path)
                        };
                        Micro::new(object, s.kind, s.detail, s.rule)
                            .with(Change::Edit(on.clone(), s.edit))
                    })
                    .collect()
            }
            Action::Commit { container, image } => self.plan_commit(&container, &image, rng),
            Action::DockerRm(container) => self.plan_rm(&container),
            Action::Layout(image) => self.plan_layout(&image),
        }
    }

    fn plan_build_step(&self, name: &str, index: usize, rng: &mut SimRng) -> Vec<Micro> {
        let Some((base_name, step)) = self
            .builds
            .get(name)
            .and_then(|(base, steps)| steps.get(index).map(|s| (base, s)))
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if step.kind == "from" && !self.world.images.contains_key(base_name) {
            if let Some(base) = self.bases.get(base_name) {
                out.extend(self.store_image(rng, base, "FROM pulls"));
            }
        }
        let micro = Micro::new(
            format!("image {name}"),
            step.kind,
            format!("{}: {}", step.instruction, step.detail),
            step.rule,
        );
        let micro = match &step.new_layer {
            // The layers below are stored already, so only the top one is new.
            Some(_) => self
                .store_image(rng, &step.image, "stores")
                .pop()
                .map(|m| m.changes)
                .unwrap_or_default()
                .into_iter()
                .fold(micro, Micro::with),
            None => micro.with(Change::SetImage(step.image.clone())),
        };
        out.push(micro);
        out
    }

    fn links_of(&self, image: &Image) -> Vec<String> {
        image
            .chain_ids()
            .iter()
            .rev()
            .filter_map(|c| self.world.store.get(c))
            .map(|s| format!("l/{}", s.link))
            .collect()
    }

    fn plan_run(&self, image_name: &str, container: &str, rng: &mut SimRng) -> Vec<Micro> {
        let Some(image) = self.world.images.get(image_name) else {
            return Vec::new();
        };
        let cache_id = random_hex(rng);
        let lowerdir = self.links_of(image).join(":");
        let sharing: Vec<&str> = self
            .world
            .mounts
            .iter()
            .filter(|(_, r)| r.container.as_ref().is_some_and(|c| c.image == image_name))
            .map(|(n, _)| n.as_str())
            .collect();
        let dir = format!("{OVERLAY2_ROOT}/{}", short(&cache_id));
        let shared = if sharing.is_empty() {
            String::new()
        } else {
            format!(", shared with {}", sharing.join(", "))
        };
        let detail = format!(
            "runs {container} from {image_name}: upperdir {dir}/diff, workdir {dir}/work, merged {dir}/merged, over {} read-only image layer(s){shared}",
            image.layers.len()
        );
        let record = MountRecord {
            mount: image.container_mount(),
            options: format!("lowerdir={lowerdir},upperdir={dir}/diff,workdir={dir}/work"),
            container: Some(Container {
                image: image_name.to_string(),
                cache_id,
            }),
        };
        vec![Micro::new(
            format!("container {container}"),
            "run",
            detail,
            rules::DOCKER_CONTAINER,
        )
        .with(Change::Mount(container.to_string(), record))]
    }

    fn plan_commit(&self, container: &str, new_name: &str, rng: &mut SimRng) -> Vec<Micro> {
        let Some(record) = self.world.mounts.get(container) else {
            return Vec::new();
        };
        let (Some(info), Some(upper)) = (&record.container, record.mount.upper()) else {
            return Vec::new();
        };
        let Some(base) = self.world.images.get(&info.image) else {
            return Vec::new();
        };
        let layer = Arc::new(Layer::new(format!("commit of {container}"), upper.clone()));
        let members = layer.tar_members();
        let marks = members.iter().filter(|m| m.contains(".wh.")).count();
        let pack = Micro::new(
            format!("container {container}"),
            "tar",
            format!(
                "packs the upper layer as a tar of {} member(s): [{}]",
                members.len(),
                members.join(", ")
            ),
            if marks > 0 {
                rules::TAR_WHITEOUT
            } else {
                rules::COMMIT
            },
        );
        let mut layers = base.layers.clone();
        layers.push(layer);
        let mut image = Image {
            name: new_name.to_string(),
            layers,
            config: base.config.clone(),
            history: base.history.clone(),
        };
        image.history.push(History {
            created_by: format!("docker commit {container}"),
            empty_layer: false,
        });
        let mut out = vec![pack];
        if let Some(top) = self.store_image(rng, &image, "commit stores").pop() {
            let mut commit = Micro::new(
                format!("image {new_name}"),
                "commit",
                format!(
                    "{new_name} = the {} layer(s) of {} plus the committed layer ({} bytes)",
                    base.layers.len(),
                    info.image,
                    image.layers.last().map_or(0, |l| l.bytes())
                ),
                rules::COMMIT,
            );
            commit.changes = top.changes;
            out.push(commit);
        }
        out
    }

    fn plan_rm(&self, container: &str) -> Vec<Micro> {
        let Some(record) = self.world.mounts.get(container) else {
            return Vec::new();
        };
        let Some(info) = &record.container else {
            return Vec::new();
        };
        let others: Vec<&str> = self
            .world
            .mounts
            .iter()
            .filter(|(n, r)| {
                n.as_str() != container
                    && r.container.as_ref().is_some_and(|c| c.image == info.image)
            })
            .map(|(n, _)| n.as_str())
            .collect();
        let upper_entries = record.mount.upper().map_or(0, BTreeMap::len);
        let users = if others.is_empty() {
            String::new()
        } else {
            format!(", still used by {}", others.join(", "))
        };
        let detail = format!(
            "removes {OVERLAY2_ROOT}/{} and its upper layer ({upper_entries} entries); the {} image layer(s) of {} stay{users}",
            short(&info.cache_id),
            record.mount.lowers().len(),
            info.image
        );
        vec![Micro::new(
            format!("container {container}"),
            "rm",
            detail,
            rules::DOCKER_RM,
        )
        .with(Change::Unmount(container.to_string()))]
    }

    fn plan_layout(&self, name: &str) -> Vec<Micro> {
        let Some(image) = self.world.images.get(name) else {
            return Vec::new();
        };
        image
            .chain_ids()
            .iter()
            .zip(&image.layers)
            .filter_map(|(chain, layer)| {
                let stored = self.world.store.get(chain)?;
                let lower = if stored.lower.is_empty() {
                    "no lower file (bottom layer)".to_string()
                } else {
                    format!("lower = {}", stored.lower)
                };
                Some(Micro::new(
                    format!("{OVERLAY2_ROOT}/{}", short(&stored.cache_id)),
                    "layout",
                    format!(
                        "{}: diff/ holds {} file(s), {} bytes; link = {} (l/{} -> ../{}/diff); {lower}",
                        layer.name(),
                        layer.file_count(),
                        layer.bytes(),
                        stored.link,
                        stored.link,
                        short(&stored.cache_id)
                    ),
                    rules::LAYER_STORED,
                ))
            })
            .collect()
    }
}

impl Simulation for OverlaySim {
    fn step(&mut self, now: &mut SimTime, rng: &mut SimRng) -> Option<Event> {
        while self.pending.is_empty() {
            let action = self.script.pop_front()?;
            // A build runs one instruction at a time, each planned on the
            // world the previous one left.
            if let Action::Build(name) = &action {
                let count = self.builds.get(name).map_or(0, |(_, steps)| steps.len());
                for index in (0..count).rev() {
                    self.script
                        .push_front(Action::BuildStep(name.clone(), index));
                }
                continue;
            }
            let planned = self.plan(action, rng);
            self.pending.extend(planned);
        }
        let micro = self.pending.pop_front()?;
        for change in micro.changes {
            self.world.apply(change);
        }
        *now = now.plus(STEP_TIME);
        Some(Event::new(
            *now,
            micro.object,
            micro.kind,
            micro.detail,
            micro.rule,
        ))
    }

    fn state(&self) -> serde_json::Value {
        serde_json::to_value(self.view()).unwrap_or(serde_json::Value::Null)
    }
}

#[derive(Serialize)]
struct StateView<'a> {
    store: BTreeMap<String, LayerView<'a>>,
    images: BTreeMap<&'a str, ImageView<'a>>,
    mounts: BTreeMap<&'a str, MountView<'a>>,
}

#[derive(Serialize)]
struct LayerView<'a> {
    name: &'a str,
    digest: &'a str,
    link: &'a str,
    lower: &'a str,
    files: usize,
    bytes: u64,
    tar: Vec<String>,
}

#[derive(Serialize)]
struct ImageView<'a> {
    layers: Vec<&'a str>,
    size: u64,
    visible_bytes: u64,
    config: &'a ImageConfig,
    history: &'a [History],
}

#[derive(Serialize)]
struct MountView<'a> {
    kind: &'static str,
    image: Option<&'a str>,
    options: &'a str,
    lowerdir: Vec<&'a str>,
    read_only: bool,
    redirect_dir: bool,
    upper: Option<&'a BTreeMap<String, Entry>>,
    merged: BTreeMap<String, Shown>,
}

impl OverlaySim {
    fn view(&self) -> StateView<'_> {
        StateView {
            store: self
                .world
                .store
                .values()
                .map(|s| {
                    (
                        format!("{OVERLAY2_ROOT}/{}", s.cache_id),
                        LayerView {
                            name: s.layer.name(),
                            digest: s.layer.digest(),
                            link: &s.link,
                            lower: &s.lower,
                            files: s.layer.file_count(),
                            bytes: s.layer.bytes(),
                            tar: s.layer.tar_members(),
                        },
                    )
                })
                .collect(),
            images: self
                .world
                .images
                .iter()
                .map(|(n, i)| {
                    (
                        n.as_str(),
                        ImageView {
                            layers: i.layers.iter().map(|l| l.digest()).collect(),
                            size: i.size(),
                            visible_bytes: i.visible_bytes(),
                            config: &i.config,
                            history: &i.history,
                        },
                    )
                })
                .collect(),
            mounts: self
                .world
                .mounts
                .iter()
                .map(|(n, r)| {
                    (
                        n.as_str(),
                        MountView {
                            kind: if r.container.is_some() {
                                "container"
                            } else {
                                "mount"
                            },
                            image: r.container.as_ref().map(|c| c.image.as_str()),
                            options: &r.options,
                            lowerdir: r.mount.lowers().iter().map(|l| l.name()).collect(),
                            read_only: r.mount.upper().is_none(),
                            redirect_dir: r.mount.redirect_dir(),
                            upper: r.mount.upper(),
                            merged: r.mount.merged_view(),
                        },
                    )
                })
                .collect(),
        }
    }
}
