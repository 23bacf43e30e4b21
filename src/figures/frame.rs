//! The figure frame: one component around every live figure. It runs the
//! scenario, follows the slide's clicks (animating forward, restoring
//! backward), and gives the learner step buttons, play/pause with a speed,
//! reset, a scrubber with the click points marked, the seed, the what-if
//! panel and the narration of each step with its rule.

use super::live::{Live, Run, Told};
use crate::browser;
use crate::figure_host::FigureHost;
use crate::scenarios::LiveSimulation;
use leptos::ev;
use leptos::prelude::*;
use sim_core::{apply_edits, CompiledScenario, Tunable, WhatIf};
use simdeck_deck::figure_nav::{figure_command_for_key, FigureCommand};
use std::time::Duration;

/// How long one step of play takes at 1×.
const STEP_TIME: Duration = Duration::from_millis(450);
/// The longest a click's steps take to play, however many there are.
const CLICK_TIME: Duration = Duration::from_millis(2400);
/// How many past steps the narration log keeps on screen.
const LOG_LENGTH: usize = 2;
/// The speeds a learner may choose for play.
const SPEEDS: [(u32, &str); 4] = [(2, "½×"), (4, "1×"), (8, "2×"), (16, "4×")];

/// The frame around the figure `draw` for `scenario` on a slide at `click`.
/// `host` is the player's, for the slide on stage or the one a reading URL
/// resumes at; `None` elsewhere in the reading view, whose keys and URL stay
/// the page's.
pub fn frame<S: LiveSimulation>(
    scenario: CompiledScenario,
    click: Signal<usize>,
    host: Option<FigureHost>,
    draw: fn(Live<S>) -> AnyView,
) -> AnyView {
    let config = match S::config_of(&scenario) {
        Ok(config) => config,
        Err(message) => return super::failure(&message),
    };
    let header = scenario.header.clone();
    let what_ifs = header.what_if.clone();
    // Each parameter's value as the scenario writes it (the build checked the knobs).
    let written: Vec<i64> = what_ifs
        .iter()
        .map(|w| config.knob(&w.knob).unwrap_or(w.min))
        .collect();

    let initial = host.map(|h| h.take_initial()).unwrap_or_default();
    let FromUrl {
        seed,
        mut edits,
        step: url_step,
        mut problems,
    } = read_url(&initial, header.seed, &what_ifs);
    let config_now = match apply_edits(&config, &what_ifs, &edits) {
        Ok(edited) => edited,
        Err(e) => {
            problems.push(format!("{e} Using the scenario's values."));
            edits.clear();
            config.clone()
        }
    };
    let run = Run::<S>::start(config_now, seed, edits, &scenario);
    let first_step = match url_step {
        Some(s) if s > run.steps() => {
            problems.push(format!(
                "The figure has {} steps, not {s}; showing its last.",
                run.steps()
            ));
            run.steps()
        }
        Some(s) => s,
        None => run.click_step(click.get_untracked()),
    };
    if let (Some(host), false) = (host, problems.is_empty()) {
        host.notice.run(problems.join(" "));
    }
    let live = Live::<S>::new(run, click, scenario, config);
    live.show(first_step);
    provide_context(live);
    let figure = draw(live);
    let model = Model(StoredValue::new_local(Box::new(live)));
    frame_view(model, figure, header.seed, what_ifs, written, click, host)
}

/// What a figure's URL parameters ask for, each checked.
struct FromUrl {
    /// The seed (the scenario's when the URL names none, or a bad one).
    seed: u64,
    /// The what-if edits within bounds (key, value).
    edits: Vec<(String, i64)>,
    /// The step asked for, unchecked against the run.
    step: Option<usize>,
    /// What did not fit, in sentences.
    problems: Vec<String>,
}

/// Reads the URL parameters `initial` of a figure whose scenario has
/// `seed` and `what_ifs`: the same for every simulator, so compiled once.
fn read_url(initial: &[(String, String)], seed: u64, what_ifs: &[WhatIf]) -> FromUrl {
    let mut url = FromUrl {
        seed,
        edits: Vec::new(),
        step: None,
        problems: Vec::new(),
    };
    for (key, value) in initial {
        match key.as_str() {
            "seed" => match value.parse::<u64>() {
                Ok(s) => url.seed = s,
                Err(_) => {
                    let using = url.seed;
                    url.problems
                        .push(format!("“seed={value}” is not a seed; using {using}."));
                }
            },
            "step" => match value.parse::<usize>() {
                Ok(s) => url.step = Some(s),
                Err(_) => url
                    .problems
                    .push(format!("“step={value}” is not a step number.")),
            },
            key => match what_ifs.iter().find(|w| w.key == key) {
                None => url
                    .problems
                    .push(format!("The URL parameter “{key}” is not known.")),
                Some(w) => match value
                    .parse::<i64>()
                    .map_err(|_| format!("{} needs a whole number; “{value}” is not one.", w.label))
                    .and_then(|v| w.check(v))
                {
                    Ok(v) => url.edits.push((w.key.clone(), v)),
                    Err(e) => url
                        .problems
                        .push(format!("{e} Using the scenario's value.")),
                },
            },
        }
    }
    url
}

/// What the frame needs of a live run, whatever its simulator: the frame's
/// view code is compiled once, not once per simulator.
pub trait FrameRun {
    /// The step shown; a reactive read.
    fn step(&self) -> usize;
    /// The step shown, without tracking.
    fn step_untracked(&self) -> usize;
    /// How many steps the run has; a reactive read.
    fn steps(&self) -> usize;
    /// The step each click shows (index 0: the start); a reactive read.
    fn click_steps(&self) -> Vec<usize>;
    /// The step the slide's click `click` shows; a reactive read.
    fn click_step(&self, click: usize) -> usize;
    /// Step `index` (0-based) as told; a reactive read.
    fn told(&self, index: usize) -> Option<Told>;
    /// The run's seed and edits; a reactive read.
    fn seed_and_edits(&self) -> (u64, Vec<(String, i64)>);
    /// The steps that differ from the previous run; a reactive read.
    fn changed_steps(&self) -> Option<Vec<usize>>;
    /// The scenario's title.
    fn title(&self) -> String;
    /// Shows step `step`.
    fn show(&self, step: usize);
    /// Runs again with `seed` and `edits`, showing the step of `click`; a
    /// refusal (an edit out of bounds, a knob that refuses) changes nothing.
    fn rerun(&self, seed: u64, edits: Vec<(String, i64)>, click: usize) -> Result<(), String>;
}

impl<S: LiveSimulation> FrameRun for Live<S> {
    fn step(&self) -> usize {
        Live::step(self)
    }
    fn step_untracked(&self) -> usize {
        Live::step_untracked(self)
    }
    fn steps(&self) -> usize {
        Live::steps(self)
    }
    fn click_steps(&self) -> Vec<usize> {
        self.with_run(|run| run.click_steps.clone())
    }
    fn click_step(&self, click: usize) -> usize {
        self.with_run(|run| run.click_step(click))
    }
    fn told(&self, index: usize) -> Option<Told> {
        self.with_run(|run| run.told.get(index).cloned())
    }
    fn seed_and_edits(&self) -> (u64, Vec<(String, i64)>) {
        self.with_run(|run| (run.seed, run.edits.clone()))
    }
    fn changed_steps(&self) -> Option<Vec<usize>> {
        Live::changed_steps(self)
    }
    fn title(&self) -> String {
        self.scenario.with_value(|s| s.header.title.clone())
    }
    fn show(&self, step: usize) {
        Live::show(self, step);
    }
    fn rerun(&self, seed: u64, edits: Vec<(String, i64)>, click: usize) -> Result<(), String> {
        let what_ifs = self.scenario.with_value(|s| s.header.what_if.clone());
        let edited = self.with_config(|config| apply_edits(config, &what_ifs, &edits))?;
        let run = self
            .scenario
            .with_value(|scenario| Run::<S>::start(edited, seed, edits, scenario));
        let step = run.click_step(click);
        self.replace(run, step);
        Ok(())
    }
}

/// A handle on the frame's run, for the frame's closures.
#[derive(Clone, Copy)]
struct Model(StoredValue<Box<dyn FrameRun>, LocalStorage>);

impl Model {
    fn step(self) -> usize {
        self.0.with_value(|r| r.step())
    }
    fn step_untracked(self) -> usize {
        self.0.with_value(|r| r.step_untracked())
    }
    fn steps(self) -> usize {
        self.0.with_value(|r| r.steps())
    }
    fn click_steps(self) -> Vec<usize> {
        self.0.with_value(|r| r.click_steps())
    }
    fn click_step(self, click: usize) -> usize {
        self.0.with_value(|r| r.click_step(click))
    }
    fn told(self, index: usize) -> Option<Told> {
        self.0.with_value(|r| r.told(index))
    }
    fn seed_and_edits(self) -> (u64, Vec<(String, i64)>) {
        self.0.with_value(|r| r.seed_and_edits())
    }
    fn changed_steps(self) -> Option<Vec<usize>> {
        self.0.with_value(|r| r.changed_steps())
    }
    fn title(self) -> String {
        self.0.with_value(|r| r.title())
    }
    fn show(self, step: usize) {
        self.0.with_value(|r| r.show(step));
    }
    fn rerun(self, seed: u64, edits: Vec<(String, i64)>, click: usize) -> Result<(), String> {
        self.0.with_value(|r| r.rerun(seed, edits, click))
    }
}

/// The frame's controls, what-if panel and narration around `figure`.
fn frame_view(
    live: Model,
    figure: AnyView,
    default_seed: u64,
    what_ifs: Vec<WhatIf>,
    written: Vec<i64>,
    click: Signal<usize>,
    host: Option<FigureHost>,
) -> AnyView {
    let playing = RwSignal::new(false);
    let goal = RwSignal::new(None::<usize>);
    let speed = RwSignal::new(4u32);
    let ticker = StoredValue::new_local(None::<IntervalHandle>);
    let message = RwSignal::new(None::<String>);

    let clear_timer = move || {
        if let Some(handle) = ticker.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    };
    let stop = move || {
        clear_timer();
        playing.set(false);
        goal.set(None);
    };
    // One timer moves the figure toward `goal`, a step per tick.
    let start_ticking = move |to: usize, period: Duration| {
        clear_timer();
        goal.set(Some(to));
        let handle = set_interval_with_handle(
            move || {
                let (Some(to), step) = (goal.get_untracked(), live.step_untracked()) else {
                    return;
                };
                if step == to {
                    stop();
                } else if step < to {
                    live.show(step + 1);
                } else {
                    live.show(step - 1);
                }
            },
            period,
        )
        .ok();
        ticker.set_value(handle);
    };

    // The slide's click moves the figure: forward by playing the steps,
    // backward by restoring the earlier state at once.
    Effect::new(move |previous: Option<usize>| {
        let click = click.get();
        if previous.is_some_and(|p| p != click) {
            stop();
            let target = live.click_step(click);
            let from = live.step_untracked();
            if target > from && !browser::prefers_reduced_motion() {
                let steps = u32::try_from(target - from).unwrap_or(u32::MAX);
                start_ticking(target, (CLICK_TIME / steps).min(STEP_TIME));
            } else {
                live.show(target);
            }
        }
        click
    });

    let command = move |command: FigureCommand| {
        message.set(None);
        match command {
            FigureCommand::StepBack => {
                stop();
                live.show(live.step_untracked().saturating_sub(1));
            }
            FigureCommand::StepForward => {
                stop();
                live.show(live.step_untracked() + 1);
            }
            FigureCommand::PlayPause => {
                if playing.get_untracked() {
                    stop();
                } else {
                    let end = live.steps();
                    if live.step_untracked() >= end {
                        live.show(0);
                    }
                    playing.set(true);
                    start_ticking(end, STEP_TIME * 4 / speed.get_untracked().max(1));
                }
            }
            FigureCommand::Reset => {
                stop();
                live.show(live.click_step(click.get_untracked()));
            }
        }
    };

    // Re-runs with another seed or other edits; a refusal keeps the run on screen.
    let rerun = move |seed: u64, edits: Vec<(String, i64)>| {
        stop();
        match live.rerun(seed, edits, click.get_untracked()) {
            Err(e) => message.set(Some(e)),
            Ok(()) => message.set(None),
        }
    };

    // The URL follows the figure when it leaves its click's step, seed or values.
    if let Some(host) = host {
        Effect::new(move |_| {
            let step = live.step();
            let heading = goal.get();
            let target = live.click_step(click.get());
            // On its click's step, or playing toward it after a click.
            let at_click = step == target || heading == Some(target);
            let (seed, edits) = live.seed_and_edits();
            let mut params = Vec::new();
            if !at_click {
                params.push(("step".to_string(), step.to_string()));
            }
            if seed != default_seed {
                params.push(("seed".to_string(), seed.to_string()));
            }
            params.extend(edits.into_iter().map(|(k, v)| (k, v.to_string())));
            host.params.set(params);
        });
        on_cleanup(move || {
            host.params.try_set(Vec::new());
        });
    }
    if let Some(host) = host.filter(|h| h.keys) {
        let keydown = window_event_listener(ev::keydown, move |e: ev::KeyboardEvent| {
            if e.ctrl_key() || e.meta_key() || e.alt_key() || host.covered.get_untracked() {
                return;
            }
            let key = e.key();
            if browser::target_takes_key(&e, &key) {
                return;
            }
            if let Some(c) = figure_command_for_key(&key) {
                e.prevent_default();
                command(c);
            }
        });
        on_cleanup(move || keydown.remove());
    }
    // Leaving only clears the timer: setting `playing` or `goal` here would
    // wake readers that are being disposed with the frame.
    on_cleanup(clear_timer);

    view! {
        <div class="figure-live" data-no-advance="">
            <div class="figure-drawing">{figure}</div>
            <Controls live=live playing=playing speed=speed command=Callback::new(command) />
            <div class="figure-bottom">
                {narration(live)}
                {what_if_panel(live, what_ifs, written, message, Callback::new(move |(seed, edits)| rerun(seed, edits)))}
            </div>
        </div>
    }
    .into_any()
}

/// Step buttons, play/pause with a speed, reset, the scrubber with click
/// marks, and where the figure is.
#[component]
fn Controls(
    live: Model,
    playing: RwSignal<bool>,
    speed: RwSignal<u32>,
    command: Callback<FigureCommand>,
) -> impl IntoView {
    let steps = move || live.steps();
    let marks = move || {
        let total = live.steps().max(1);
        live.click_steps()
            .into_iter()
            .enumerate()
            .skip(1)
            .map(|(k, s)| {
                // Per ten thousand, so no float formatting is linked in.
                let at = s * 10_000 / total;
                let left = format!("left: {}.{:02}%", at / 100, at % 100);
                view! { <span class="scrub-mark" style=left title=format!("click {k}")></span> }
            })
            .collect_view()
    };
    let speeds = SPEEDS
        .iter()
        .map(|&(value, label)| view! { <option value=value.to_string() selected=move || speed.get() == value>{label}</option> })
        .collect_view();
    view! {
        <div class="figure-controls" role="group" aria-label="Figure steps">
            <button type="button" class="fc-button" title="Back to the slide's click (r)" aria-label="Reset to the slide's click"
                on:click=move |_| command.run(FigureCommand::Reset)>"⟲"</button>
            <button type="button" class="fc-button" title="One step back (,)" aria-label="One step back"
                disabled=move || live.step() == 0
                on:click=move |_| command.run(FigureCommand::StepBack)>"◀"</button>
            <button type="button" class="fc-button fc-play" title="Play or pause (p)"
                aria-label=move || if playing.get() { "Pause" } else { "Play" }
                aria-pressed=move || playing.get().to_string()
                on:click=move |_| command.run(FigureCommand::PlayPause)>
                {move || if playing.get() { "❚❚" } else { "▶" }}
            </button>
            <button type="button" class="fc-button" title="One step forward (.)" aria-label="One step forward"
                disabled=move || { live.step() >= live.steps() }
                on:click=move |_| command.run(FigureCommand::StepForward)>"▶|"</button>
            <select class="fc-speed" aria-label="Play speed"
                on:change=move |e| {
                    if let Ok(v) = event_target_value(&e).parse::<u32>() {
                        speed.set(v);
                    }
                }>
                {speeds}
            </select>
            <div class="scrub">
                <input type="range" class="scrub-range" min="0" max=steps
                    prop:value=move || live.step().to_string()
                    aria-label="Step"
                    aria-valuetext=move || format!("step {} of {}", live.step(), live.steps())
                    on:input=move |e| {
                        if let Ok(v) = event_target_value(&e).parse::<usize>() {
                            live.show(v);
                        }
                    } />
                <div class="scrub-marks" aria-hidden="true">{marks}</div>
            </div>
            <span class="fc-count">{move || format!("step {} / {}", live.step(), live.steps())}</span>
        </div>
    }
}

/// The seed and the scenario's what-if parameters; a changed value re-runs
/// from the same seed, a refused one is said and changes nothing.
fn what_if_panel(
    live: Model,
    what_ifs: Vec<WhatIf>,
    written: Vec<i64>,
    message: RwSignal<Option<String>>,
    rerun: Callback<(u64, Vec<(String, i64)>)>,
) -> impl IntoView {
    let seed_now = move || live.seed_and_edits().0;
    let edits_now = move || live.seed_and_edits().1;
    let fields = what_ifs
        .into_iter()
        .zip(written)
        .map(|(w, written)| {
            let key = w.key.clone();
            let shown = {
                let key = key.clone();
                move || {
                    edits_now()
                        .iter()
                        .find(|(k, _)| *k == key)
                        .map_or(written, |(_, v)| *v)
                        .to_string()
                }
            };
            let label = w.label.clone();
            let unit = w.unit.clone();
            let (min, max) = (w.min.to_string(), w.max.to_string());
            let on_change = move |e: ev::Event| {
                let text = event_target_value(&e);
                let value = match text.trim().parse::<i64>() {
                    Ok(v) => v,
                    Err(_) => {
                        message.set(Some(format!(
                            "{} needs a whole number; “{}” is not one.",
                            w.label,
                            text.trim()
                        )));
                        return;
                    }
                };
                if let Err(e) = w.check(value) {
                    message.set(Some(e));
                    return;
                }
                let mut edits: Vec<(String, i64)> = edits_now()
                    .into_iter()
                    .filter(|(k, _)| *k != w.key)
                    .collect();
                edits.push((w.key.clone(), value));
                rerun.run((seed_now(), edits));
            };
            view! {
                <label class="wi-field">
                    <span class="wi-label">{label}</span>
                    <input type="number" class="wi-input" data-key=key min=min max=max
                        prop:value=shown on:change=on_change />
                    <span class="wi-unit">{unit}</span>
                </label>
            }
        })
        .collect_view();
    let on_seed = move |e: ev::Event| {
        let text = event_target_value(&e);
        match text.trim().parse::<u64>() {
            Ok(seed) => rerun.run((seed, edits_now())),
            Err(_) => message.set(Some(format!(
                "A seed is a whole number from 0; “{}” is not one.",
                text.trim()
            ))),
        }
    };
    let changed = move || {
        live.changed_steps().map(|changed| {
            let text = if changed.is_empty() {
                "The same steps as the previous run.".to_string()
            } else {
                format!(
                    "{} of {} steps differ from the previous run.",
                    changed.len(),
                    live.steps()
                )
            };
            view! { <p class="wi-diff">{text}</p> }
        })
    };
    view! {
        <div class="what-if" role="group" aria-label="What if">
            <label class="wi-field">
                <span class="wi-label">"seed"</span>
                <input type="number" class="wi-input wi-seed" min="0" prop:value=move || seed_now().to_string() on:change=on_seed />
            </label>
            {fields}
            {changed}
            {move || message.get().map(|m| view! { <p class="wi-error" role="alert">{m}</p> })}
        </div>
    }
}

/// The current step's sentence and rule (announced), and the steps before it.
fn narration(live: Model) -> impl IntoView {
    let now = move || live.step().checked_sub(1).and_then(|i| live.told(i));
    let spoken = move || match now() {
        Some(told) => format!(
            "Step {}: {}: {} — {}",
            live.step(),
            told.object,
            told.detail,
            told.rule.says
        ),
        None => "The start, before the first step.".to_string(),
    };
    let log = move || {
        let step = live.step();
        let changed = live.changed_steps().unwrap_or_default();
        {
            let from = step.saturating_sub(LOG_LENGTH + 1);
            (from..step.saturating_sub(1))
                .filter_map(|i| live.told(i).map(|t| (i, t)))
                .map(|(i, told): (usize, Told)| {
                    view! {
                        <li class:changed=changed.contains(&i)>
                            <span class="nl-step">{i + 1}</span>
                            <span class="nl-object">{told.object}</span>
                            " "
                            <span class="nl-detail">{told.detail}</span>
                        </li>
                    }
                })
                .collect_view()
        }
    };
    view! {
        <div class="narration">
            <ol class="narration-log">{log}</ol>
            {move || match now() {
                Some(told) => view! {
                    <p class="narration-now">
                        <span class="nn-step">{live.step()}</span>
                        <span class="nn-object">{told.object}</span>
                        " "
                        <span class="nn-detail">{told.detail}</span>
                    </p>
                    <p class="narration-rule" title=format!("{} — {}", told.rule.says, told.rule.source)>{told.rule.says}" — "<cite>{told.rule.source}</cite></p>
                }.into_any(),
                None => view! { <p class="narration-now nn-start">{live.title()}</p> }.into_any(),
            }}
            <div class="sr-only" role="status" aria-live="polite">{spoken}</div>
        </div>
    }
}
