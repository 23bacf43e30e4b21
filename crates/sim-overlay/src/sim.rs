//! The overlay simulation: a Docker host's layer store, images and overlay
//! mounts, driven by a script of actions and by inputs, one event per step.
//!
//! Contract: each action is planned against the current world into a queue
//! of micro-steps; each [`Simulation::step`] applies exactly one of them, so
//! the state after a step is exactly what that step's fact describes. An
//! input is planned on the world as the steps already planned leave it, and
//! its steps follow them. Time and randomness come only from the
//! [`Context`].

use crate::config::{Action, Config};
use crate::fact::OverlayFact;
use crate::host::{Catalog, Host, Micro, PlannedBuild, PlannedStep};
use crate::image::{images_after, Image};
use crate::input::OverlayInput;
use crate::layer::Layer;
use crate::overlay::{Mount, Shown};
use crate::world::{MountRecord, StoredLayer, World};
use sim_core::SortedMap;
use sim_core::{Context, Event, InputError, MicroQueue, SimTime, Simulation};
use std::sync::Arc;

/// Virtual time one step takes.
const STEP_TIME: SimTime = SimTime::from_millis(100);

/// The overlay simulator: what its config holds, the world now, and the
/// rest of its script.
///
/// Its script unit (what [`Simulation::script_position`] counts and click
/// points wait for) is one Dockerfile instruction of a build, or one other
/// scripted action: a `build` of a six-instruction Dockerfile is six units,
/// a `pull`, `run` or file operation is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlaySim {
    catalog: Arc<Catalog>,
    script: Arc<[Action]>,
    next: usize,
    /// How many script units have started.
    units: usize,
    /// The build being run and the index of its next step.
    building: Option<(String, usize)>,
    world: World,
    pending: MicroQueue<Micro>,
}

impl OverlaySim {
    /// A simulation at step 0 of `config`. It parses nothing and never
    /// panics; a name the config does not define makes its action do nothing.
    pub fn new(config: Config) -> OverlaySim {
        let layers: SortedMap<String, Arc<Layer>> = config
            .layers
            .into_iter()
            .map(|l| (l.name().to_string(), Arc::new(l)))
            .collect();
        let bases: SortedMap<String, Image> = config
            .bases
            .into_iter()
            .map(|base| {
                let stack = base
                    .layers
                    .iter()
                    .filter_map(|id| layers.get(id).cloned())
                    .collect();
                (base.name.clone(), Image::new(base.name, stack))
            })
            .collect();
        let builds = config
            .builds
            .into_iter()
            .filter_map(|build| {
                let base = bases.get(&build.base)?;
                let images = images_after(&build.image, base, &build.steps);
                let steps = build
                    .steps
                    .into_iter()
                    .zip(images)
                    .map(|(step, image)| PlannedStep {
                        instruction: step.instruction,
                        note: step.note,
                        adds_layer: step.new_layer.is_some(),
                        image,
                    })
                    .collect();
                Some((
                    build.image,
                    PlannedBuild {
                        base: build.base,
                        steps,
                    },
                ))
            })
            .collect();
        OverlaySim {
            catalog: Arc::new(Catalog {
                layers,
                bases,
                builds,
            }),
            script: config.script.into(),
            next: 0,
            units: 0,
            building: None,
            world: World::default(),
            pending: MicroQueue::new(),
        }
    }

    /// The named layers of the config, by id.
    pub fn layers(&self) -> impl Iterator<Item = (&str, &Arc<Layer>)> {
        self.catalog.layers.iter().map(|(id, l)| (id.as_str(), l))
    }

    /// Every mount and container mount that exists now, by target or name.
    pub fn mounts(&self) -> impl Iterator<Item = (&str, &MountRecord)> {
        self.world.mounts.iter().map(|(n, r)| (n.as_str(), r))
    }

    /// The mount (or container mount) called `on` with its options and
    /// container, if it exists now.
    pub fn mount_record(&self, on: &str) -> Option<&MountRecord> {
        self.world.mounts.get(on)
    }

    /// The mount (or container mount) called `on`, if it exists now.
    pub fn mount(&self, on: &str) -> Option<&Mount> {
        self.world.mounts.get(on).map(|r| &r.mount)
    }

    /// The lower layers a mount or container currently has, top first.
    pub fn lowers_of(&self, on: &str) -> Option<&[Arc<Layer>]> {
        self.mount(on).map(Mount::lowers)
    }

    /// The merged view of `on`: every visible path with its entry and the
    /// layer it comes from.
    pub fn merged_view(&self, on: &str) -> Option<SortedMap<String, Shown>> {
        self.mount(on).map(Mount::merged_view)
    }

    /// The directory `dir` of `on` as `ls` shows it, each name with the layer
    /// it comes from (see [`Mount::listing`]).
    pub fn listing(&self, on: &str, dir: &str) -> Option<Vec<(String, Shown)>> {
        self.mount(on).and_then(|m| m.listing(dir))
    }

    /// The image called `name`, if it has been pulled, built or committed.
    pub fn image(&self, name: &str) -> Option<&Image> {
        self.world.images.get(name)
    }

    /// The names of the images the config builds from a Dockerfile, whether
    /// built yet or not.
    pub fn built_images(&self) -> impl Iterator<Item = &str> {
        self.catalog.builds.keys().map(String::as_str)
    }

    /// Every image the host has, by name.
    pub fn images(&self) -> impl Iterator<Item = &Image> {
        self.world.images.values()
    }

    /// The layers in the overlay2 store, by chain ID.
    pub fn store(&self) -> impl Iterator<Item = &StoredLayer> {
        self.world.store.values()
    }

    /// The overlay2 directories of image `name`'s layers, bottom first
    /// (empty when the image does not exist; a layer not stored is left out).
    pub fn layer_dirs_of(&self, name: &str) -> Vec<&StoredLayer> {
        self.image(name).map_or_else(Vec::new, |image| {
            image
                .chain_ids()
                .iter()
                .filter_map(|chain| self.world.store.get(chain))
                .collect()
        })
    }

    /// The images whose layers include the stored layer with directory
    /// `cache_id`, by name.
    pub fn images_using(&self, cache_id: &str) -> Vec<&str> {
        self.world
            .images
            .values()
            .filter(|image| {
                image.chain_ids().iter().any(|chain| {
                    self.world
                        .store
                        .get(chain)
                        .is_some_and(|s| s.cache_id == cache_id)
                })
            })
            .map(|image| image.name.as_str())
            .collect()
    }

    /// How many layer directories the overlay2 store holds.
    pub fn stored_layers(&self) -> usize {
        self.world.store.len()
    }

    fn host(&self) -> Host<'_> {
        Host {
            catalog: &self.catalog,
            world: &self.world,
        }
    }

    /// The steps of the next build step or scripted action; `None` at the
    /// end of the script.
    fn plan_next(&mut self, cx: &mut Context<'_>) -> Option<Vec<Micro>> {
        loop {
            if let Some((name, index)) = self.building.take() {
                let count = self.catalog.builds.get(&name).map_or(0, |b| b.steps.len());
                if index < count {
                    if self.catalog.builds.get(&name).is_some_and(|b| {
                        b.steps
                            .get(index)
                            .is_some_and(|s| !s.note.continues_instruction())
                    }) {
                        self.units += 1;
                    }
                    let planned = self.host().plan_build_step(&name, index, cx);
                    self.building = Some((name, index + 1));
                    return Some(planned);
                }
            }
            let script = Arc::clone(&self.script);
            let action = script.get(self.next)?;
            self.next += 1;
            match action {
                // A build runs one instruction at a time, each planned on the
                // world the previous one left.
                Action::Build(name) => self.building = Some((name.clone(), 0)),
                action => {
                    self.units += 1;
                    return Some(self.host().plan(action, cx));
                }
            }
        }
    }
}

impl Simulation for OverlaySim {
    type Fact = OverlayFact;
    type Input = OverlayInput;

    fn script_position(&self) -> usize {
        self.units
    }

    fn step(&mut self, cx: &mut Context<'_>) -> Option<Event<OverlayFact>> {
        while self.pending.is_empty() {
            let planned = self.plan_next(cx)?;
            self.pending.push_front_all(planned);
        }
        let micro = self.pending.pop_front()?;
        for change in micro.changes {
            self.world.apply(change);
        }
        cx.advance_by(STEP_TIME);
        Some(Event::new(cx.now(), micro.fact))
    }

    fn handle(&mut self, cx: &mut Context<'_>, input: &OverlayInput) -> Result<(), InputError> {
        let mut planned_world = self.world.clone();
        for micro in self.pending.iter() {
            for change in &micro.changes {
                planned_world.apply(change.clone());
            }
        }
        let action = input.check(&planned_world)?;
        let host = Host {
            catalog: &self.catalog,
            world: &planned_world,
        };
        for micro in host.plan(&action, cx) {
            self.pending.push_back(micro);
        }
        Ok(())
    }
}
