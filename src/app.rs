//! The player: current position, overlays, the reading view, and the wiring
//! from keys, swipes and URLs to [`Command`]s. Decisions come from
//! `simdeck_deck::nav` and `simdeck_deck::reading`.

use crate::browser;
use crate::figures::FigureRegistry;
use crate::reading::ReadingView;
use crate::slide::SlideView;
use leptos::ev;
use leptos::prelude::*;
use simdeck_deck::nav::{command_for_key, command_for_swipe, overview_cursor};
use simdeck_deck::reading::{opens_reading_view, reading_hash};
use simdeck_deck::{Command, Deck, Position, Route};
use std::sync::Arc;
use std::time::Duration;

/// How long a notice (e.g. about a bad URL) stays on screen.
const NOTICE_TIME: Duration = Duration::from_secs(6);

/// Presents `deck`: one slide at a time, driven by keys, swipes and the URL,
/// or as one page in the reading view (`#/read`).
#[component]
pub fn Player(
    /// The deck to present.
    deck: Arc<Deck>,
    /// Live figures that replace figure placeholders.
    figures: FigureRegistry,
) -> impl IntoView {
    let shape: Arc<Vec<usize>> = Arc::new(deck.slides.iter().map(|s| s.clicks).collect());
    let (start_route, start_notice) = Route::from_hash(&browser::hash(), &shape);
    let start = match start_route {
        Route::Slides(p) => p,
        Route::Reading(slide) => Position {
            slide: slide.unwrap_or(1),
            click: 0,
        },
    };
    let position = RwSignal::new(start);
    // The reading view is open, and the slide it should bring into sight.
    let reading = RwSignal::new(matches!(start_route, Route::Reading(_)));
    let reading_target = RwSignal::new(match start_route {
        Route::Reading(slide) => slide,
        Route::Slides(_) => None,
    });
    // A slide URL opened in the reading view keeps its click there.
    let reading_resume = StoredValue::new(None::<Position>);
    if !reading.get_untracked()
        && opens_reading_view(browser::narrow_portrait(), browser::chose_slide_view())
    {
        browser::set_hash(&reading_hash(start.slide), false);
        reading_resume.set_value(Some(start));
        reading.set(true);
        reading_target.set(Some(start.slide));
    }
    let overview = RwSignal::new(false);
    let cursor = RwSignal::new(start.slide);
    let goto_open = RwSignal::new(false);
    let dark = RwSignal::new(browser::prefers_dark());
    let notice = RwSignal::new(None::<String>);
    let figures = StoredValue::new(figures);

    let show_notice = move |text: String| {
        notice.set(Some(text.clone()));
        set_timeout(
            // The player may be gone by then: only a live notice is cleared.
            move || {
                if notice.try_get_untracked().flatten().as_deref() == Some(text.as_str()) {
                    notice.try_set(None);
                }
            },
            NOTICE_TIME,
        );
    };
    if let Some(text) = start_notice {
        show_notice(text);
    }

    let run = {
        let shape = shape.clone();
        move |command: Command| match command {
            Command::ToggleOverview => {
                goto_open.set(false);
                cursor.set(position.get_untracked().slide);
                overview.update(|o| *o = !*o);
            }
            Command::OpenGoTo => {
                overview.set(false);
                goto_open.set(true);
            }
            Command::ToggleDark => {
                dark.update(|d| *d = !*d);
                browser::remember_dark(dark.get_untracked());
            }
            Command::ToggleFullscreen => browser::toggle_fullscreen(),
            Command::CloseOverlays => {
                overview.set(false);
                goto_open.set(false);
            }
            movement => position.update(|p| *p = p.apply(movement, &shape)),
        }
    };

    // URL and tab title follow the position; a new slide is a new history entry.
    let title_deck = deck.clone();
    Effect::new(move |previous: Option<Position>| {
        let p = position.get();
        if reading.get() {
            // The reading view's URL is the one that opened it.
            browser::set_title(title_deck.title());
            return p;
        }
        let hash = p.to_hash();
        if browser::hash() != hash {
            browser::set_hash(&hash, previous.is_some_and(|q| q.slide != p.slide));
        }
        browser::set_title(&title_deck.tab_title(p.slide));
        p
    });
    Effect::new(move |_| browser::apply_dark(dark.get()));
    let count = deck.slides.len();

    // Back/forward and edited URLs move the player.
    let hash_shape = shape.clone();
    let on_url = move || {
        let (route, message) = Route::from_hash(&browser::hash(), &hash_shape);
        match route {
            Route::Slides(p) => {
                reading.set(false);
                if position.get_untracked() != p {
                    position.set(p);
                }
            }
            Route::Reading(slide) => {
                // `#/read` from an open player reads on from the current slide.
                browser::remember_view(false);
                let slide = slide.unwrap_or(position.get_untracked().slide);
                reading_resume.set_value(None);
                overview.set(false);
                goto_open.set(false);
                reading.set(true);
                reading_target.set(Some(slide));
            }
        }
        if let Some(text) = message {
            show_notice(text);
        }
    };
    let on_url_pop = on_url.clone();
    let popstate = window_event_listener(ev::popstate, move |_| on_url_pop());
    let hashchange = window_event_listener(ev::hashchange, move |_| on_url());

    let key_run = run.clone();
    let keydown = window_event_listener(ev::keydown, move |e: ev::KeyboardEvent| {
        let key = e.key();
        if reading.get_untracked()
            || e.ctrl_key()
            || e.meta_key()
            || e.alt_key()
            || browser::target_takes_key(&e, &key)
        {
            // The reading view is a page: its keys scroll it.
            return;
        }
        if goto_open.get_untracked() {
            // The go-to box takes the keys; Escape closes it from anywhere.
            if key == "Escape" {
                goto_open.set(false);
            }
            return;
        }
        if overview.get_untracked() {
            // Arrows move the overview's cursor, Enter goes there.
            let columns = browser::overview_columns();
            if let Some(next) = overview_cursor(&key, cursor.get_untracked(), columns, count) {
                e.prevent_default();
                cursor.set(next);
                return;
            }
            if key == "Enter" {
                e.prevent_default();
                position.set(Position {
                    slide: cursor.get_untracked(),
                    click: 0,
                });
                overview.set(false);
                return;
            }
        }
        if let Some(command) = command_for_key(&key, e.shift_key()) {
            e.prevent_default();
            key_run(command);
        }
    });

    let touch_start = StoredValue::new(None::<(f64, f64)>);
    let touchstart = window_event_listener(ev::touchstart, move |e: ev::TouchEvent| {
        if let Some(t) = e.touches().get(0) {
            touch_start.set_value(Some((t.client_x() as f64, t.client_y() as f64)));
        }
    });
    let swipe_run = run.clone();
    let touchend = window_event_listener(ev::touchend, move |e: ev::TouchEvent| {
        let (Some((x0, y0)), Some(t)) = (touch_start.get_value(), e.changed_touches().get(0))
        else {
            return;
        };
        touch_start.set_value(None);
        if reading.get_untracked() {
            return;
        }
        if let Some(command) = command_for_swipe(t.client_x() as f64 - x0, t.client_y() as f64 - y0)
        {
            swipe_run(command);
        }
    });
    // Turning a phone upright opens the reading view, unless slides were chosen.
    let was_narrow = StoredValue::new(browser::narrow_portrait());
    let resize = window_event_listener(ev::resize, move |_| {
        let narrow = browser::narrow_portrait();
        let turned_upright = narrow && !was_narrow.get_value();
        was_narrow.set_value(narrow);
        if turned_upright
            && !reading.get_untracked()
            && opens_reading_view(narrow, browser::chose_slide_view())
        {
            let slide = position.get_untracked().slide;
            browser::set_hash(&reading_hash(slide), false);
            reading_resume.set_value(Some(position.get_untracked()));
            reading.set(true);
            reading_target.set(Some(slide));
        }
    });
    on_cleanup(move || {
        resize.remove();
        popstate.remove();
        hashchange.remove();
        keydown.remove();
        touchstart.remove();
        touchend.remove();
    });

    let slide_number = Memo::new(move |_| position.get().slide);
    let click = Signal::derive(move || position.get().click);
    let first_render = StoredValue::new(true);
    let fade = deck.config.transition == "fade";
    let stage_deck = deck.clone();
    let stage = move || {
        let n = slide_number.get();
        let animate = fade && !first_render.get_value();
        first_render.set_value(false);
        stage_deck.slides.get(n - 1).cloned().map(|slide| {
            view! {
                <SlideView
                    slide=slide
                    config=stage_deck.config.clone()
                    count=count
                    click=click
                    figures=figures.get_value()
                    animate=animate
                    thumbnail=false
                />
            }
        })
    };

    let overview_deck = deck.clone();
    let overview_view = move || {
        overview.get().then(|| {
            let tiles = overview_deck
                .slides
                .iter()
                .map(|slide| {
                    let n = slide.number;
                    view! {
                        <button
                            class="tile"
                            class:current=move || cursor.get() == n
                            on:click=move |_| {
                                position.set(Position { slide: n, click: 0 });
                                overview.set(false);
                            }
                            title=format!("Slide {n}")
                        >
                            <div class="tile-canvas" inert>
                                <SlideView
                                    slide=slide.clone()
                                    config=overview_deck.config.clone()
                                    count=count
                                    click=Signal::stored(slide.clicks)
                                    figures=figures.get_value()
                                    animate=false
                                    thumbnail=true
                                />
                            </div>
                            <span class="tile-number">{n}</span>
                        </button>
                    }
                })
                .collect_view();
            view! {
                <div class="overlay overview" role="dialog" aria-modal="true" aria-label="All slides">
                    <div class="overview-grid">{tiles}</div>
                </div>
            }
        })
    };

    // The overview's cursor stays in sight as the arrows move it.
    Effect::new(move |_| {
        if overview.get() {
            cursor.track();
            request_animation_frame(browser::reveal_overview_cursor);
        }
    });

    let goto_shape = shape.clone();
    let goto_view = move || {
        goto_open.get().then(|| {
            let shape = goto_shape.clone();
            let input = NodeRef::<leptos::html::Input>::new();
            Effect::new(move |_| {
                if let Some(el) = input.get() {
                    let _ = el.focus();
                }
            });
            view! {
                <div class="overlay goto" role="dialog" aria-label="Go to slide">
                    <input
                        node_ref=input
                        type="number"
                        min="1"
                        max=shape.len()
                        placeholder=format!("Go to slide (1–{})", shape.len())
                        aria-label="Slide number"
                        on:blur=move |_| goto_open.set(false)
                        on:keydown=move |e: ev::KeyboardEvent| {
                            match e.key().as_str() {
                                "Enter" => {
                                    if let Ok(wanted) = event_target_value(&e).trim().parse::<usize>() {
                                        position.set(Position { slide: wanted, click: 0 }.clamp(&shape));
                                    }
                                    goto_open.set(false);
                                }
                                "Escape" => goto_open.set(false),
                                _ => {}
                            }
                        }
                    />
                </div>
            }
        })
    };

    // The reading view brings its target slide into sight once drawn.
    Effect::new(move |_| {
        if let (true, Some(slide)) = (reading.get(), reading_target.get()) {
            request_animation_frame(move || browser::reveal_reading_slide(slide));
        }
    });
    let reading_deck = deck.clone();
    let to_slide_view = Callback::new(move |slide: usize| {
        browser::remember_view(true);
        let p = Position { slide, click: 0 }.clamp(&shape);
        browser::set_hash(&p.to_hash(), true);
        reading_target.set(None);
        reading.set(false);
        position.set(p);
    });
    let reading_view = move || {
        reading.get().then(|| {
            view! {
                <ReadingView
                    deck=reading_deck.clone()
                    figures=figures.get_value()
                    on_slide_view=to_slide_view
                    resume=reading_resume.get_value()
                />
            }
        })
    };

    view! {
        <div class="deck" class:transition-fade=fade>
            {move || {
                (!reading.get())
                    .then(|| view! { <div class="stage"><div class="canvas">{stage.clone()}</div></div> })
            }}
            {reading_view}
            {overview_view}
            {goto_view}
            {move || notice.get().map(|text| view! { <div class="notice" role="status">{text}</div> })}
            <div class="sr-only" role="status" aria-live="polite">
                {move || format!("Slide {} of {count}", slide_number.get())}
            </div>
        </div>
    }
}
