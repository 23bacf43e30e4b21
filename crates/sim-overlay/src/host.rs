//! Planning one action of the Docker host into the steps it takes.
//!
//! Contract: [`Host::plan`] reads the world and never changes it; it returns
//! [`Micro`] steps whose changes, applied in order, perform the action. IDs
//! come from per-entity random streams: a stored layer's directory and link
//! from its chain ID, a container's directory from its name and how many
//! containers had that name before, so adding an entity never changes
//! another's IDs.

use crate::config::Action;
use crate::fact::{LayerDir, OverlayFact, StoreVerb};
use crate::image::{BuildNote, History, Image};
use crate::layer::Layer;
use crate::overlay::Mount;
use crate::world::{Change, Container, MountRecord, StoredLayer, World, OVERLAY2_ROOT};
use sim_core::SortedMap;
use sim_core::{ids, Context, SimRng};
use std::sync::Arc;

/// What a simulation knows from its config and never changes.
#[derive(Debug, PartialEq, Eq, Default)]
pub(crate) struct Catalog {
    /// The named layers, by id.
    pub(crate) layers: SortedMap<String, Arc<Layer>>,
    /// The base images, by name.
    pub(crate) bases: SortedMap<String, Image>,
    /// The planned builds, by image name.
    pub(crate) builds: SortedMap<String, PlannedBuild>,
}

/// A build's steps, each with the image as it is after it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct PlannedBuild {
    /// The base image.
    pub(crate) base: String,
    /// The steps in order.
    pub(crate) steps: Vec<PlannedStep>,
}

/// One build step with its result.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct PlannedStep {
    /// The instruction.
    pub(crate) instruction: String,
    /// What it did.
    pub(crate) note: BuildNote,
    /// Whether it added a layer (the image's top one).
    pub(crate) adds_layer: bool,
    /// The image after it.
    pub(crate) image: Image,
}

/// One planned step: its fact and the changes it makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Micro {
    pub(crate) fact: OverlayFact,
    pub(crate) changes: Vec<Change>,
}

impl Micro {
    fn new(fact: OverlayFact) -> Micro {
        Micro {
            fact,
            changes: Vec::new(),
        }
    }

    fn with(mut self, change: Change) -> Micro {
        self.changes.push(change);
        self
    }
}

/// The short link name of a layer: 26 characters of base32.
fn random_link(rng: &mut SimRng) -> String {
    const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    (0..26)
        .map(|_| {
            let i = usize::try_from(rng.below(32)).unwrap_or(0);
            BASE32.get(i).map_or('A', |b| char::from(*b))
        })
        .collect()
}

/// The host as a planner sees it: what the config holds and the world now.
pub(crate) struct Host<'a> {
    pub(crate) catalog: &'a Catalog,
    pub(crate) world: &'a World,
}

impl Host<'_> {
    /// The steps of `action` on the world as it is now.
    pub(crate) fn plan(&self, action: &Action, cx: &Context<'_>) -> Vec<Micro> {
        match action {
            Action::Pull(name) => match self.catalog.bases.get(name) {
                Some(image) => self.store_image(image, StoreVerb::Pull, cx),
                None => Vec::new(),
            },
            // The simulation runs a build one step at a time (`plan_build_step`).
            Action::Build(_) => Vec::new(),
            Action::Mount {
                target,
                lowers,
                writable,
                redirect_dir,
                options,
            } => self.plan_mount(target, lowers, *writable, *redirect_dir, options),
            Action::Run { image, container } => self.plan_run(image, container, cx),
            Action::File { on, op } => {
                let Some(record) = self.world.mounts.get(on) else {
                    return Vec::new();
                };
                record
                    .mount
                    .plan(op)
                    .into_iter()
                    .map(|s| {
                        Micro::new(OverlayFact::File {
                            on: on.clone(),
                            path: s.path,
                            note: s.note,
                        })
                        .with(Change::Edit(on.clone(), s.edit))
                    })
                    .collect()
            }
            Action::Commit { container, image } => self.plan_commit(container, image, cx),
            Action::DockerRm(container) => self.plan_rm(container),
            Action::Layout(image) => self.plan_layout(image),
        }
    }

    /// A new entry of the store for `layer` at `chain`, its IDs drawn from
    /// the chain's own stream.
    fn new_stored(layer: &Arc<Layer>, chain: &str, lower: String, cx: &Context<'_>) -> StoredLayer {
        let mut rng = cx.stream(&format!("layer:{chain}"));
        StoredLayer {
            layer: layer.clone(),
            cache_id: ids::hex(&mut rng, 64),
            link: random_link(&mut rng),
            lower,
        }
    }

    /// The `lower` file of a layer above `links_below` (bottom first).
    fn lower_of(links_below: &[String]) -> String {
        links_below
            .iter()
            .rev()
            .map(|l| format!("l/{l}"))
            .collect::<Vec<_>>()
            .join(":")
    }

    /// Plans the steps that store `image`'s layers, bottom first; the last
    /// step also registers `image` itself.
    fn store_image(&self, image: &Image, verb: StoreVerb, cx: &Context<'_>) -> Vec<Micro> {
        let mut steps = Vec::new();
        let mut links_below: Vec<String> = Vec::new();
        for (layer, chain) in image.layers.iter().zip(image.chain_ids()) {
            let step = match self.world.store.get(&chain) {
                Some(stored) => {
                    links_below.push(stored.link.clone());
                    Micro::new(OverlayFact::LayerShared {
                        verb,
                        layer: layer.name().to_string(),
                        cache_id: stored.cache_id.clone(),
                    })
                }
                None => {
                    let stored = Self::new_stored(layer, &chain, Self::lower_of(&links_below), cx);
                    links_below.push(stored.link.clone());
                    Micro::new(OverlayFact::LayerStored {
                        verb,
                        dir: LayerDir::of(layer, &stored),
                    })
                    .with(Change::Store(chain, stored))
                }
            };
            steps.push(step);
        }
        if let Some(last) = steps.last_mut() {
            last.changes.push(Change::SetImage(image.clone()));
        }
        steps
    }

    /// The changes that store `image`'s top layer (the layers below are
    /// stored already) and register the image.
    fn store_top(&self, image: &Image, cx: &Context<'_>) -> Vec<Change> {
        let chains = image.chain_ids();
        let mut changes = Vec::new();
        if let (Some(layer), Some((chain, below))) = (image.layers.last(), chains.split_last()) {
            if !self.world.store.contains_key(chain) {
                let links: Vec<String> = below
                    .iter()
                    .filter_map(|c| self.world.store.get(c))
                    .map(|s| s.link.clone())
                    .collect();
                let stored = Self::new_stored(layer, chain, Self::lower_of(&links), cx);
                changes.push(Change::Store(chain.clone(), stored));
            }
        }
        changes.push(Change::SetImage(image.clone()));
        changes
    }

    /// The steps of build step `index` of image `name`, planned on the world
    /// the previous step left.
    pub(crate) fn plan_build_step(&self, name: &str, index: usize, cx: &Context<'_>) -> Vec<Micro> {
        let Some((build, step)) = self
            .catalog
            .builds
            .get(name)
            .and_then(|b| b.steps.get(index).map(|s| (b, s)))
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if matches!(step.note, BuildNote::From { .. })
            && !self.world.images.contains_key(&build.base)
        {
            if let Some(base) = self.catalog.bases.get(&build.base) {
                out.extend(self.store_image(base, StoreVerb::FromPulls, cx));
            }
        }
        let mut micro = Micro::new(OverlayFact::Build {
            image: name.to_string(),
            instruction: step.instruction.clone(),
            note: step.note.clone(),
        });
        micro.changes = if step.adds_layer {
            self.store_top(&step.image, cx)
        } else {
            vec![Change::SetImage(step.image.clone())]
        };
        out.push(micro);
        out
    }

    fn plan_mount(
        &self,
        target: &str,
        lowers: &[String],
        writable: bool,
        redirect_dir: bool,
        options: &str,
    ) -> Vec<Micro> {
        let layers: Vec<Arc<Layer>> = lowers
            .iter()
            .filter_map(|id| self.catalog.layers.get(id).cloned())
            .collect();
        let fact = OverlayFact::Mounted {
            target: target.to_string(),
            writable,
            top: lowers.first().map_or("-", String::as_str).to_string(),
            bottom: lowers.last().map_or("-", String::as_str).to_string(),
        };
        let record = MountRecord {
            mount: Mount::new(layers, writable, redirect_dir),
            options: options.to_string(),
            container: None,
        };
        vec![Micro::new(fact).with(Change::Mount(target.to_string(), record))]
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

    /// The containers of `image` other than `except`.
    fn containers_of(&self, image: &str, except: &str) -> Vec<String> {
        self.world
            .mounts
            .iter()
            .filter(|(n, r)| {
                n.as_str() != except && r.container.as_ref().is_some_and(|c| c.image == image)
            })
            .map(|(n, _)| n.clone())
            .collect()
    }

    fn plan_run(&self, image_name: &str, container: &str, cx: &Context<'_>) -> Vec<Micro> {
        let Some(image) = self.world.images.get(image_name) else {
            return Vec::new();
        };
        let started = self.world.runs.get(container).copied().unwrap_or(0);
        let mut rng = cx.stream(&format!("container:{container}#{}", started + 1));
        let cache_id = ids::hex(&mut rng, 64);
        let dir = format!("{OVERLAY2_ROOT}/{}", crate::fact::short(&cache_id));
        let lowerdir = self.links_of(image).join(":");
        let fact = OverlayFact::ContainerRun {
            container: container.to_string(),
            image: image_name.to_string(),
            cache_id: cache_id.clone(),
            layers: image.layers.len(),
            sharing: self.containers_of(image_name, container),
        };
        let record = MountRecord {
            mount: image.container_mount(),
            options: format!("lowerdir={lowerdir},upperdir={dir}/diff,workdir={dir}/work"),
            container: Some(Container {
                image: image_name.to_string(),
                cache_id,
            }),
        };
        vec![Micro::new(fact)
            .with(Change::CountRun(container.to_string()))
            .with(Change::Mount(container.to_string(), record))]
    }

    fn plan_commit(&self, container: &str, new_name: &str, cx: &Context<'_>) -> Vec<Micro> {
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
        let pack = Micro::new(OverlayFact::Packed {
            container: container.to_string(),
            members: layer.tar_members(),
        });
        let bytes = layer.bytes();
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
        let mut commit = Micro::new(OverlayFact::Committed {
            image: new_name.to_string(),
            from: info.image.clone(),
            base_layers: base.layers.len(),
            bytes,
        });
        commit.changes = self.store_top(&image, cx);
        vec![pack, commit]
    }

    fn plan_rm(&self, container: &str) -> Vec<Micro> {
        let Some(record) = self.world.mounts.get(container) else {
            return Vec::new();
        };
        let Some(info) = &record.container else {
            return Vec::new();
        };
        let fact = OverlayFact::ContainerRemoved {
            container: container.to_string(),
            cache_id: info.cache_id.clone(),
            upper_entries: record.mount.upper().map_or(0, SortedMap::len),
            image: info.image.clone(),
            image_layers: record.mount.lowers().len(),
            others: self.containers_of(&info.image, container),
        };
        vec![Micro::new(fact).with(Change::Unmount(container.to_string()))]
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
                Some(Micro::new(OverlayFact::Layout(LayerDir::of(layer, stored))))
            })
            .collect()
    }
}
