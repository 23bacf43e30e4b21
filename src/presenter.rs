//! The presenter view (`#/presenter/N`): the slide on stage at its click, a
//! preview of what the next click shows, the speaker notes, the live
//! figure's narration, a stopwatch, a countdown, the time of day, where the
//! talk is, and a go-to box. The deck's keys drive it as they drive the
//! slide view; the other windows of the deck follow it.

use crate::drawing::{Drawing, DrawnStrokes};
use leptos::ev;
use leptos::prelude::*;
use simdeck_deck::nav::next_preview;
use simdeck_deck::timer::{format_duration, format_time_of_day, Countdown, Stopwatch};
use simdeck_deck::{Deck, Position};
use std::sync::Arc;
use std::time::Duration;
use wasm_bindgen::JsCast;

/// The countdown's minutes until the presenter sets others.
const DEFAULT_MINUTES: u32 = 30;
/// The width (CSS pixels) under which the side column goes under the
/// slide, as `controls.css` says too.
const NARROW: f64 = 700.0;
/// How often the clocks and the narration are read again.
const TICK: Duration = Duration::from_millis(250);

/// What the presenter view takes from the player.
pub struct PresenterArgs {
    /// The deck.
    pub deck: Arc<Deck>,
    /// Where the talk is.
    pub position: Signal<Position>,
    /// The slide on stage with its drawing layer, drawn at its click.
    pub stage: ViewFn,
    /// Goes to a slide by number.
    pub go_to: Callback<usize>,
    /// The drawings.
    pub drawing: Drawing,
}

/// Draws the presenter view.
pub type DrawPresenter = fn(PresenterArgs) -> AnyView;

/// Whether the player can draw the presenter view: the site's player
/// cannot (`None`), so that no visitor pays for it; on a presenter URL it
/// starts the figures module's player, which can, in its place.
#[derive(Clone, Copy, Default)]
pub struct Presenter(pub Option<DrawPresenter>);

/// The presenter view of `args`.
pub fn draw(args: PresenterArgs) -> AnyView {
    let PresenterArgs {
        deck,
        position,
        stage,
        go_to,
        drawing,
    } = args;
    view! { <PresenterView deck position stage go_to drawing/> }.into_any()
}

/// The presenter's own view of the deck.
#[component]
fn PresenterView(
    /// The deck.
    deck: Arc<Deck>,
    /// Where the talk is.
    position: Signal<Position>,
    /// The slide on stage with its drawing layer, drawn at its click.
    stage: ViewFn,
    /// Goes to a slide by number.
    go_to: Callback<usize>,
    /// The drawings, shown on the preview too.
    drawing: Drawing,
) -> impl IntoView {
    let count = deck.slides.len();
    let shape: Arc<Vec<usize>> = Arc::new(deck.slides.iter().map(|s| s.clicks).collect());
    let now = RwSignal::new(js_sys::Date::now());
    let stopwatch = RwSignal::new(Stopwatch::default());
    let countdown = RwSignal::new(Countdown::new(DEFAULT_MINUTES));
    let narration = RwSignal::new(String::new());
    let scales = RwSignal::new(scales());

    let ticker = set_interval_with_handle(
        move || {
            now.try_set(js_sys::Date::now());
            let told = narration_on_stage();
            if narration.try_get_untracked().is_some_and(|n| n != told) {
                narration.try_set(told);
            }
        },
        TICK,
    )
    .ok();
    let resize = window_event_listener(ev::resize, move |_| scales.set(self::scales()));
    on_cleanup(move || {
        if let Some(ticker) = ticker {
            ticker.clear();
        }
        resize.remove();
    });

    let where_label = {
        let shape = shape.clone();
        move || {
            let p = position.get();
            let clicks = shape.get(p.slide - 1).copied().unwrap_or(0);
            format!("Slide {} / {count} · click {} / {clicks}", p.slide, p.click)
        }
    };
    let clock = move || {
        now.track();
        let date = js_sys::Date::new_0();
        format_time_of_day(date.get_hours(), date.get_minutes(), date.get_seconds())
    };
    let next = Memo::new(move |_| next_preview(position.get(), &shape));
    let preview_deck = deck.clone();
    let preview = move || {
        let (to, label) = next.get();
        let slide = to
            .and_then(|to| Some((to, preview_deck.slides.get(to.slide - 1).cloned()?)))
            .map(|(to, slide)| {
                view! {
                    <div class="pv-next-canvas" inert aria-hidden="true">
                        <crate::slide::SlideView
                            slide=slide
                            config=preview_deck.config.clone()
                            count=count
                            click=Signal::stored(to.click)
                            host=None
                            animate=false
                            thumbnail=true
                        />
                        <DrawnStrokes strokes=Signal::derive(move || {
                            drawing.drawings.with(|d| d.at(to).to_vec())
                        })/>
                    </div>
                }
            });
        view! {
            <p class="pv-next-label">{label}</p>
            <div class="pv-next">{slide}</div>
        }
    };
    let notes_deck = deck.clone();
    let notes = move || {
        let slide = notes_deck.slides.get(position.get().slide - 1);
        match slide.and_then(|s| s.note.clone()) {
            Some(note) => view! { <div class="pv-notes">{note}</div> }.into_any(),
            None => view! { <p class="pv-notes pv-empty">"No notes for this slide"</p> }.into_any(),
        }
    };
    let live_deck = deck.clone();
    let figure = move || {
        let live = live_deck
            .slides
            .get(position.get().slide - 1)
            .and_then(|s| s.live.as_ref())
            .is_some();
        live.then(|| {
            view! {
                <h2>"Figure"</h2>
                <p class="pv-narration" aria-live="off">{move || narration.get()}</p>
            }
        })
    };

    let elapsed = move || format_duration(stopwatch.get().elapsed(now.get()));
    let remaining = move || format_duration(countdown.get().remaining(now.get()));
    let over_time = move || countdown.get().remaining(now.get()) <= -1000.0;
    let toggle_stopwatch = move |_| {
        let at = js_sys::Date::now();
        now.set(at);
        stopwatch.update(|w| w.toggle(at));
    };
    let toggle_countdown = move |_| {
        let at = js_sys::Date::now();
        now.set(at);
        countdown.update(|c| c.watch.toggle(at));
    };
    let set_minutes = move |e: ev::Event| {
        if let Ok(minutes) = event_target_value(&e).trim().parse::<u32>() {
            countdown.update(|c| c.minutes = minutes.clamp(1, 600));
        }
    };
    let go = move |e: ev::KeyboardEvent| {
        if e.key() == "Enter" {
            if let Ok(wanted) = event_target_value(&e).trim().parse::<usize>() {
                go_to.run(wanted);
            }
        }
    };
    let keep_focus = |e: ev::MouseEvent| {
        let on_button = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|t| t.closest("button").ok().flatten().is_some());
        if on_button {
            e.prevent_default();
        }
    };
    let style = move || {
        let (current, preview) = scales.get();
        format!("--pv-current: {current}; --pv-next: {preview}")
    };
    view! {
        <div class="presenter" style=style>
            // A mouse click on a button leaves the focus where it was, so Space
            // still goes on with the talk; the fields take the focus as usual.
            <header class="pv-bar" on:mousedown=keep_focus>
                <span class="pv-position">{where_label}</span>
                <span class="pv-clock" title="Time of day">{clock}</span>
                <span class="pv-timer" role="group" aria-label="Stopwatch">
                    <span class="pv-elapsed">{elapsed}</span>
                    <button type="button" class="pv-button pv-stopwatch-toggle" on:click=toggle_stopwatch>
                        {move || if stopwatch.get().running() { "Pause" } else { "Start" }}
                    </button>
                    <button type="button" class="pv-button" on:click=move |_| stopwatch.update(Stopwatch::reset)>
                        "Reset"
                    </button>
                </span>
                <span class="pv-timer" role="group" aria-label="Countdown">
                    <input
                        class="pv-minutes"
                        type="number"
                        min="1"
                        max="600"
                        value=DEFAULT_MINUTES
                        aria-label="Countdown minutes"
                        on:change=set_minutes
                    />
                    <span class="pv-remaining" class:over=over_time>{remaining}</span>
                    <button type="button" class="pv-button pv-countdown-toggle" on:click=toggle_countdown>
                        {move || if countdown.get().watch.running() { "Pause" } else { "Start" }}
                    </button>
                    <button type="button" class="pv-button" on:click=move |_| countdown.update(|c| c.watch.reset())>
                        "Reset"
                    </button>
                </span>
                <button
                    type="button"
                    class="pv-button"
                    title="Draw on the slide (c)"
                    aria-pressed=move || drawing.active.get().to_string()
                    on:click=move |_| drawing.active.update(|on| *on = !*on)
                >
                    "Draw"
                </button>
                <input
                    class="pv-goto"
                    type="number"
                    min="1"
                    max=count
                    placeholder=format!("Go to (1–{count})")
                    aria-label="Go to slide"
                    on:keydown=go
                />
            </header>
            <div class="pv-main">
                <div class="pv-current">
                    <div class="pv-canvas">{stage.run()}</div>
                </div>
                <aside class="pv-side">
                    {preview}
                    <h2>"Notes"</h2>
                    {notes}
                    {figure}
                </aside>
            </div>
        </div>
    }
}

/// The narration line of the live figure on stage, e.g. "Step 6: …": the
/// figure frame draws it in this window too.
fn narration_on_stage() -> String {
    let read = |selector: &str| {
        document()
            .query_selector(&format!(".pv-current .narration-now {selector}"))
            .ok()
            .flatten()
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    };
    let (step, object, detail) = (read(".nn-step"), read(".nn-object"), read(".nn-detail"));
    if object.is_empty() && detail.is_empty() {
        return read("");
    }
    format!("Step {step}: {object} {detail}")
}

/// The scales of the current slide and the preview for this window's
/// size, in thousandths (whole numbers: the player then formats no
/// floating-point numbers): the slide about two thirds of the width, the
/// preview about a third.
fn scales() -> (u32, u32) {
    let width = window()
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .unwrap_or(1280.0);
    let height = window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(720.0);
    // On a narrow screen the preview and the notes go under the slide.
    let (current, preview) = if width < NARROW {
        ((width - 32.0) / 980.0, (width * 0.6) / 980.0)
    } else {
        (
            ((width * 0.64 - 24.0) / 980.0).min((height - 96.0) / 552.0),
            (width * 0.32 - 24.0) / 980.0,
        )
    };
    let thousandths = |scale: f64| (scale.max(0.1) * 1000.0) as u32;
    (thousandths(current), thousandths(preview))
}
