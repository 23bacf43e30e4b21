//! The one context every live figure reads: its simulation at the step the
//! frame shows, the slide's click, the scenario and the what-if edits in
//! force. The frame ([`super::frame`]) provides it (as Leptos context, and to
//! the figure's drawing function, so the simulator type is checked where the
//! figure is registered) and is the only writer. A figure draws from it:
//!
//! ```ignore
//! fn groups(live: Live<CgroupSim>) -> AnyView {
//!     view! { <text>{move || live.with(|sim| sim.system().groups().count())}</text> }.into_any()
//! }
//! ```

use crate::scenarios::{LiveSimulation, STEP_LIMIT};
use leptos::prelude::*;
use sim_core::{CompiledScenario, Fact, Player, Rule, Timeline};

/// One step as the narration tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Told {
    /// What the step acted on, e.g. `/demo/cpu.stat`.
    pub object: String,
    /// What happened, in a sentence.
    pub detail: String,
    /// The rule that produced it.
    pub rule: &'static Rule,
}

/// One run of the scenario with one seed and one set of edits.
pub struct Run<S: LiveSimulation> {
    player: Player<S>,
    /// Every step of the run, told.
    pub told: Vec<Told>,
    /// The step each click shows (index 0: the start).
    pub click_steps: Vec<usize>,
    /// The seed.
    pub seed: u64,
    /// The what-if edits (key, value).
    pub edits: Vec<(String, i64)>,
}

impl<S: LiveSimulation> Run<S> {
    /// Runs `config` with `seed` to its end (at most [`STEP_LIMIT`] steps)
    /// and leaves it at step 0.
    pub fn start(
        config: S::Config,
        seed: u64,
        edits: Vec<(String, i64)>,
        scenario: &CompiledScenario,
    ) -> Run<S> {
        let mut player = Player::new(S::build(config), seed);
        let timeline = Timeline::record(&mut player, STEP_LIMIT);
        let told = player
            .trace()
            .iter()
            .map(|event| Told {
                object: event.fact.object(),
                detail: event.fact.detail(),
                rule: event.fact.rule(),
            })
            .collect();
        player.seek(0);
        Run {
            player,
            told,
            click_steps: timeline.click_steps(&scenario.header.clicks),
            seed,
            edits,
        }
    }

    /// How many steps the run has.
    pub fn steps(&self) -> usize {
        self.told.len()
    }

    /// The step the slide's click `click` shows: its click point's, or the
    /// last click point's for a click beyond them (0 when there are none).
    pub fn click_step(&self, click: usize) -> usize {
        self.click_steps
            .get(click)
            .or(self.click_steps.last())
            .copied()
            .unwrap_or(0)
    }
}

/// What a figure reads. Copy it into closures freely.
pub struct Live<S: LiveSimulation> {
    run: StoredValue<Run<S>, LocalStorage>,
    /// The run before the last edit or seed, to tell which steps changed.
    previous: StoredValue<Option<Run<S>>, LocalStorage>,
    step: RwSignal<usize>,
    version: RwSignal<u32>,
    /// The slide's click.
    pub click: Signal<usize>,
    /// The scenario the figure runs.
    pub scenario: StoredValue<CompiledScenario>,
    /// Its config as compiled, which what-if edits start from.
    config: StoredValue<S::Config, LocalStorage>,
}

impl<S: LiveSimulation> Clone for Live<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: LiveSimulation> Copy for Live<S> {}

impl<S: LiveSimulation> Live<S> {
    /// A live context over `run`, shown at step 0.
    pub(super) fn new(
        run: Run<S>,
        click: Signal<usize>,
        scenario: CompiledScenario,
        config: S::Config,
    ) -> Self {
        Live {
            run: StoredValue::new_local(run),
            previous: StoredValue::new_local(None),
            step: RwSignal::new(0),
            version: RwSignal::new(0),
            click,
            scenario: StoredValue::new(scenario),
            config: StoredValue::new_local(config),
        }
    }

    /// Reads the config as compiled.
    pub(super) fn with_config<R>(&self, f: impl FnOnce(&S::Config) -> R) -> R {
        self.config.with_value(f)
    }

    /// Reads the simulation at the shown step; a reactive read.
    pub fn with<R>(&self, f: impl FnOnce(&S) -> R) -> R {
        self.step.track();
        self.version.track();
        self.run.with_value(|run| f(run.player.sim()))
    }

    /// Reads the run itself (steps, narration, click steps); a reactive read.
    pub fn with_run<R>(&self, f: impl FnOnce(&Run<S>) -> R) -> R {
        self.version.track();
        self.run.with_value(f)
    }

    /// The step shown; a reactive read.
    pub fn step(&self) -> usize {
        self.step.get()
    }

    /// The step shown, without tracking.
    pub fn step_untracked(&self) -> usize {
        self.step.get_untracked()
    }

    /// How many steps the run has; a reactive read.
    pub fn steps(&self) -> usize {
        self.with_run(Run::steps)
    }

    /// The steps of the previous run whose narration differs from this
    /// run's (by index), when there was a previous run; a reactive read.
    pub fn changed_steps(&self) -> Option<Vec<usize>> {
        self.version.track();
        self.previous.with_value(|previous| {
            let previous = previous.as_ref()?;
            self.run.with_value(|run| {
                let longest = run.told.len().max(previous.told.len());
                Some(
                    (0..longest)
                        .filter(|&i| run.told.get(i) != previous.told.get(i))
                        .collect(),
                )
            })
        })
    }

    /// Shows step `step` (clamped to the run).
    pub(super) fn show(&self, step: usize) {
        let mut shown = 0;
        self.run.update_value(|run| shown = run.player.seek(step));
        if self.step.get_untracked() != shown {
            self.step.set(shown);
        }
    }

    /// Replaces the run with `run`, keeping the old one as the previous run,
    /// and shows `step` of the new one.
    pub(super) fn replace(&self, run: Run<S>, step: usize) {
        let old = self
            .run
            .try_update_value(|current| std::mem::replace(current, run));
        self.previous.set_value(old);
        self.version.update(|v| *v += 1);
        self.show(step);
    }
}

/// The live context of the figure being drawn, inside a frame for simulator `S`.
pub fn use_live<S: LiveSimulation>() -> Option<Live<S>> {
    use_context::<Live<S>>()
}
