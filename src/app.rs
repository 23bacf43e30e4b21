//! The player: current position, overlays, the reading view, and the wiring
//! from keys, clicks, taps, swipes, the control bar and URLs to
//! [`Command`]s. Decisions come from `simdeck_deck::nav` and
//! `simdeck_deck::reading`.

use crate::browser;
use crate::controls::ControlBar;
use crate::drawing::{Drawing, DrawingLayer, DrawingTools};
use crate::figure_host::FigureHost;
use crate::figure_slot::Figures;
use crate::help::Help;
use crate::overview::Overview;
use crate::presenter::{Presenter, PresenterArgs};
use crate::reading::ReadingView;
use crate::slide::SlideView;
use crate::sync::Link;
use crate::toc::Toc;
use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use simdeck_deck::figure_nav::{figure_params, with_figure_params};
use simdeck_deck::nav::{
    announcement, command_for_key, command_for_swipe, command_for_tap, overview_cursor, Overlay,
};
use simdeck_deck::reading::{
    opens_reading_view, presenter_hash, reading_hash, runs_in_reading_view,
};
use simdeck_deck::sync::{Follower, Reaction, Role, SyncMessage};
use simdeck_deck::{Command, Deck, Position, Route};
use std::sync::Arc;
use std::time::Duration;

/// How long a notice (e.g. about a bad URL) stays on screen.
const NOTICE_TIME: Duration = Duration::from_secs(6);

/// Presents `deck`: one slide at a time, driven by keys, clicks, taps,
/// swipes, the control bar and the URL, or as one page in the reading view
/// (`#/read`).
#[component]
pub fn Player(
    /// The deck to present.
    deck: Arc<Deck>,
    /// How live figures are drawn: by default, by loading the figures module.
    #[prop(optional)]
    figures: Figures,
    /// How the presenter view is drawn: by default it is not (see [`Presenter`]).
    #[prop(optional)]
    presenter: Presenter,
) -> impl IntoView {
    provide_context(figures);
    let shape: Arc<Vec<usize>> = Arc::new(deck.slides.iter().map(|s| s.clicks).collect());
    let (start_route, start_notice) = Route::from_hash(&browser::hash(), &shape);
    let start = match start_route {
        Route::Slides(p) | Route::Presenter(p) => p,
        Route::Reading(at) => at.unwrap_or(Position::START),
        // The print view is started in its place (`crate::start`).
        Route::Print(_) => Position::START,
    };
    let position = RwSignal::new(start);
    // A presenter window stays one: it drives the deck's other windows.
    let presenting = matches!(start_route, Route::Presenter(_));
    let follower = RwSignal::new(Follower::new(if presenting {
        Role::Presenter
    } else {
        Role::Audience
    }));
    let drawing = Drawing::new(&deck);
    // The reading view is open, and the slide it should bring into sight.
    let reading = RwSignal::new(matches!(start_route, Route::Reading(_)));
    let reading_at = match start_route {
        Route::Reading(at) => at,
        Route::Slides(_) | Route::Print(_) | Route::Presenter(_) => None,
    };
    let reading_target = RwSignal::new(reading_at.map(|p| p.slide));
    // A reading URL's slide steps from its click, and so does a slide URL
    // opened in the reading view, which keeps its figure's parameters too.
    let reading_resume = StoredValue::new(reading_at);
    if !reading.get_untracked()
        && !presenting
        && opens_reading_view(browser::narrow_portrait(), browser::chose_slide_view())
    {
        let (params, _) = figure_params(&browser::hash());
        browser::set_hash(&with_figure_params(&reading_hash(start), &params), false);
        reading_resume.set_value(Some(start));
        reading.set(true);
        reading_target.set(Some(start.slide));
    }
    let overlay = RwSignal::new(None::<Overlay>);
    let cursor = RwSignal::new(start.slide);
    let dark = RwSignal::new(browser::prefers_dark());
    let notice = RwSignal::new(None::<String>);
    let root = NodeRef::<html::Div>::new();
    let canvas = NodeRef::<html::Div>::new();
    // What had the focus before an overlay opened, to give it back after.
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);
    let covered = Signal::derive(move || overlay.get().is_some_and(Overlay::is_modal));

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
    // The live figure on stage reads its own URL parameters and writes them back.
    let host = FigureHost::new(Callback::new(show_notice), covered);
    let stage_epoch = RwSignal::new(0u32);
    let offer_figure_params = {
        let deck = deck.clone();
        move |hash: &str, slide: usize| {
            let (params, dropped) = figure_params(hash);
            if let Some(text) = dropped {
                show_notice(text);
            }
            let has_live = deck
                .slides
                .get(slide.wrapping_sub(1))
                .is_some_and(|s| s.live.is_some());
            if !has_live && !params.is_empty() {
                let names: Vec<String> = params.iter().map(|(k, v)| format!("“{k}={v}”")).collect();
                show_notice(format!(
                    "Slide {slide} has no live figure: the URL parameters {} are not known.",
                    names.join(", ")
                ));
                return false;
            }
            let changed = params != host.params.get_untracked();
            host.offer(params);
            changed
        }
    };
    offer_figure_params(&browser::hash(), start.slide);
    // The live figure of the slide a reading URL resumes at reads that URL's
    // figure parameters (and takes no keys: the reading view's scroll).
    let reading_host = FigureHost::reading(Callback::new(show_notice));
    if reading.get_untracked() {
        reading_host.offer(host.take_initial());
    }

    let run = {
        let shape = shape.clone();
        Callback::new(move |command: Command| {
            let open = overlay.get_untracked();
            if !command.runs_under(open) {
                return;
            }
            let next = Overlay::after(open, command);
            if next != open {
                if open.is_none() {
                    opener.set_value(browser::focused());
                }
                if next == Some(Overlay::Overview) {
                    cursor.set(position.get_untracked().slide);
                }
                overlay.set(next);
            }
            match command {
                Command::ToggleDark => {
                    dark.update(|d| *d = !*d);
                    browser::remember_dark(dark.get_untracked());
                }
                Command::ToggleFullscreen => browser::toggle_fullscreen(),
                Command::OpenPresenter if !presenting => browser::open_window(
                    &presenter_hash(position.get_untracked()),
                    "simdeck-presenter",
                ),
                Command::ToggleDrawing => drawing.active.update(|on| *on = !*on),
                movement if movement.is_move() => {
                    follower.update(Follower::moved_here);
                    position.update(|p| *p = p.apply(movement, &shape));
                }
                _ => {}
            }
        })
    };
    let go_to_shape = shape.clone();
    let go_to = Callback::new(move |slide: usize| {
        follower.update(Follower::moved_here);
        position.set(Position { slide, click: 0 }.clamp(&go_to_shape));
        run.run(Command::CloseOverlays);
    });

    // The help's close button takes the focus (the overview focuses its own
    // cursor); a closed overlay gives the focus back to what had it, unless
    // the presenter has put it somewhere else meanwhile.
    Effect::new(move |previous: Option<Option<Overlay>>| {
        let now = overlay.get();
        if let (Some(Overlay::Help), Some(root)) = (now, root.get_untracked()) {
            browser::focus_within(&root, ".help .overlay-close");
        }
        if now.is_none() && previous.flatten().is_some() && browser::focus_is_idle() {
            if let Some(element) = opener.get_value() {
                let _ = element.focus();
            }
        }
        now
    });

    // URL and tab title follow the position; a new slide is a new history entry.
    let title_deck = deck.clone();
    Effect::new(move |previous: Option<Position>| {
        let p = position.get();
        if reading.get() {
            // The reading view's URL is the one that opened it.
            browser::set_title(title_deck.title());
            return p;
        }
        let at = if presenting {
            presenter_hash(p)
        } else {
            p.to_hash()
        };
        let hash = with_figure_params(&at, &host.params.get());
        if browser::hash() != hash {
            browser::set_hash(&hash, previous.is_some_and(|q| q.slide != p.slide));
        }
        browser::set_title(&title_deck.tab_title(p.slide));
        p
    });
    Effect::new(move |_| browser::apply_dark(dark.get()));
    let slide_number = Memo::new(move |_| position.get().slide);
    // On the slide before a live figure, the figures module starts loading
    // (the service worker fetches it for offline use anyway), so that figure
    // is drawn at once and its loading never falls between two key presses.
    if figures.0.is_none() {
        let ahead_deck = deck.clone();
        Effect::new(move |_| {
            if ahead_deck.live_figure_follows(slide_number.get()) {
                crate::figure_slot::load_ahead();
            }
        });
    }
    let count = deck.slides.len();

    // Back/forward and edited URLs move the player.
    let hash_shape = shape.clone();
    let go_to_hash = move |hash: &str| {
        let (route, message) = Route::from_hash(hash, &hash_shape);
        match route {
            Route::Slides(p) | Route::Presenter(p) => {
                reading.set(false);
                let same_slide = position.get_untracked().slide == p.slide;
                let params_changed = offer_figure_params(hash, p.slide);
                if position.get_untracked() != p {
                    position.set(p);
                }
                if same_slide && params_changed {
                    // An edited step, seed or value redraws the figure from them.
                    stage_epoch.update(|e| *e += 1);
                }
            }
            Route::Reading(at) => {
                // `#/read` from an open player reads on from the current slide.
                browser::remember_view(false);
                let slide = at.map_or(position.get_untracked().slide, |p| p.slide);
                reading_resume.set_value(at);
                reading_host.offer(figure_params(hash).0);
                overlay.set(None);
                reading.set(true);
                reading_target.set(Some(slide));
            }
            // The print view is a page of its own: loading it starts it.
            Route::Print(_) => browser::reload(),
        }
        if let Some(text) = message {
            show_notice(text);
        }
    };
    let follow_hash = go_to_hash.clone();
    let on_url = move || go_to_hash(&browser::hash());
    let on_url_pop = on_url.clone();

    // The deck's other windows: the presenter sends where it is and what it
    // draws; an audience window follows (unless the reading view is open).
    let follow = move |(at, figure): (Position, String)| {
        if !reading.get_untracked() {
            let params = crate::figure_slot::parse_params(&figure);
            follow_hash(&with_figure_params(&at.to_hash(), &params));
        }
    };
    let follow_latest = follow.clone();
    let hellos = RwSignal::new(0u32);
    let link = Link::open(deck.title(), follower, move |reaction| match reaction {
        Reaction::Follow(at, figure) => follow((at, figure)),
        Reaction::Draw(at, strokes) => drawing.drawings.update(|d| d.replace(at, strokes)),
        Reaction::Answer => hellos.update(|n| *n += 1),
        Reaction::Ignore(_) => {}
    });
    on_cleanup(move || link.close());
    let send_state = move || {
        link.send(&SyncMessage::State {
            at: position.get_untracked(),
            figure: crate::figure_slot::query_of(&host.params.get_untracked()),
        });
    };
    // Changes of one moment (a new slide, then its figure's parameters)
    // leave as one message, sent once they have settled.
    let state_pending = StoredValue::new(false);
    Effect::new(move |_| {
        position.track();
        host.params.track();
        if !presenting || state_pending.get_value() {
            return;
        }
        state_pending.set_value(true);
        set_timeout(
            move || {
                // (`try_set_value` hands the value back once the player is gone.)
                if state_pending.try_set_value(false).is_none() {
                    send_state();
                }
            },
            Duration::ZERO,
        );
    });
    // A window that has just opened hears where the presenter is and what
    // it has drawn.
    Effect::new(move |_| {
        if hellos.get() == 0 {
            return;
        }
        send_state();
        drawing.drawings.with_untracked(|d| {
            for at in d.positions() {
                let strokes = d.at(at).to_vec();
                link.send(&SyncMessage::Drawing { at, strokes });
            }
        });
    });
    let drawn = Callback::new(move |at: Position| {
        drawing.save();
        let strokes = drawing.drawings.with_untracked(|d| d.at(at).to_vec());
        link.send(&SyncMessage::Drawing { at, strokes });
    });
    let snap_back = move |_| {
        if let Some(latest) = follower.try_update(Follower::snap_back).flatten() {
            follow_latest(latest);
        }
    };

    let popstate = window_event_listener(ev::popstate, move |_| on_url_pop());
    let hashchange = window_event_listener(ev::hashchange, move |_| on_url());

    let keydown = window_event_listener(ev::keydown, move |e: ev::KeyboardEvent| {
        let key = e.key();
        if e.ctrl_key() || e.meta_key() || e.alt_key() {
            return;
        }
        if let Some(root) = root.get_untracked() {
            if browser::key_for_another_deck(&e, &root) {
                return;
            }
        }
        let open = overlay.get_untracked();
        if key == "Tab" {
            // Tab and Shift+Tab go round inside a modal overlay.
            let dialog = root.get_untracked().and_then(|r| {
                r.query_selector(".overlay[aria-modal='true']")
                    .ok()
                    .flatten()
            });
            if let Some(dialog) = dialog.filter(|_| open.is_some_and(Overlay::is_modal)) {
                e.prevent_default();
                browser::cycle_focus(&dialog, e.shift_key());
            }
            return;
        }
        if browser::target_takes_key(&e, &key) {
            return;
        }
        if reading.get_untracked() {
            // The reading view is a page: its keys scroll it; only the help,
            // dark mode, fullscreen and Escape keep their keys there.
            if let Some(command) =
                command_for_key(&key, e.shift_key()).filter(|&c| runs_in_reading_view(c))
            {
                e.prevent_default();
                run.run(command);
            }
            return;
        }
        if open == Some(Overlay::GoTo) {
            // The go-to box takes the keys; Escape closes it from anywhere.
            if key == "Escape" {
                run.run(Command::CloseOverlays);
            }
            return;
        }
        if open == Some(Overlay::Overview) {
            // Arrows move the cursor (and the focus with it), Enter goes there.
            let columns = root
                .get_untracked()
                .and_then(|r| r.query_selector(".overview-grid").ok().flatten())
                .map_or(1, |grid| browser::overview_columns(&grid));
            if let Some(next) = overview_cursor(&key, cursor.get_untracked(), columns, count) {
                e.prevent_default();
                cursor.set(next);
                return;
            }
            if key == "Enter" {
                e.prevent_default();
                go_to.run(cursor.get_untracked());
                return;
            }
        }
        if let Some(command) = command_for_key(&key, e.shift_key()) {
            e.prevent_default();
            run.run(command);
        }
    });

    let touch_start = StoredValue::new(None::<(f64, f64)>);
    let touchstart = window_event_listener(ev::touchstart, move |e: ev::TouchEvent| {
        if let Some(t) = e.touches().get(0) {
            touch_start.set_value(Some((t.client_x() as f64, t.client_y() as f64)));
        }
    });
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
            run.run(command);
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
            let at = position.get_untracked();
            let slide = at.slide;
            let params = host.params.get_untracked();
            browser::set_hash(&with_figure_params(&reading_hash(at), &params), false);
            reading_host.offer(params);
            reading_resume.set_value(Some(at));
            run.run(Command::CloseOverlays);
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

    // A click or tap on the slide: left third back, right two thirds on,
    // unless a link, a button, a live figure or a text selection has it.
    let on_stage_click = move |e: ev::MouseEvent| {
        let modified = e.ctrl_key() || e.meta_key() || e.alt_key() || e.shift_key();
        if e.button() != 0 || modified || browser::click_stays_with_target(&e) {
            return;
        }
        let Some(canvas) = canvas.get_untracked() else {
            return;
        };
        let across =
            browser::horizontal_fraction(&canvas, e.client_x().into(), e.client_y().into());
        if let Some(command) = across.and_then(command_for_tap) {
            run.run(command);
        }
    };

    let click = Signal::derive(move || position.get().click);
    let first_render = StoredValue::new(true);
    let fade = deck.config.transition == "fade";
    let stage_deck = deck.clone();
    let stage = move || {
        let n = slide_number.get();
        stage_epoch.track();
        let animate = fade && !first_render.get_value();
        first_render.set_value(false);
        stage_deck.slides.get(n - 1).cloned().map(|slide| {
            view! {
                <SlideView
                    slide=slide
                    config=stage_deck.config.clone()
                    count=count
                    click=click
                    host=Some(host)
                    animate=animate
                    thumbnail=false
                />
            }
        })
    };

    let overview_deck = deck.clone();
    let overview_view = move || {
        (overlay.get() == Some(Overlay::Overview)).then(|| {
            view! {
                <Overview
                    deck=overview_deck.clone()
                    presented=position.get_untracked().slide
                    cursor=cursor
                    choose=go_to
                    close=Callback::new(move |()| run.run(Command::CloseOverlays))
                />
            }
        })
    };
    let toc_deck = deck.clone();
    let toc_view = move || {
        (overlay.get() == Some(Overlay::Toc)).then(|| {
            view! {
                <Toc
                    deck=toc_deck.clone()
                    presented=position.get_untracked().slide
                    choose=go_to
                    close=Callback::new(move |()| run.run(Command::CloseOverlays))
                />
            }
        })
    };
    let help_view = move || {
        (overlay.get() == Some(Overlay::Help)).then(|| {
            view! {
                <Help
                    reading=reading.get_untracked()
                    close=Callback::new(move |()| run.run(Command::CloseOverlays))
                />
            }
        })
    };

    let goto_view = move || {
        (overlay.get() == Some(Overlay::GoTo)).then(|| {
            let input = NodeRef::<html::Input>::new();
            Effect::new(move |_| {
                if let Some(el) = input.get() {
                    let _ = el.focus();
                }
            });
            let close = move || {
                if overlay.get_untracked() == Some(Overlay::GoTo) {
                    run.run(Command::CloseOverlays);
                }
            };
            view! {
                <div class="overlay goto" role="dialog" aria-label="Go to slide">
                    <input
                        node_ref=input
                        type="number"
                        min="1"
                        max=count
                        placeholder=format!("Go to slide (1–{count})")
                        aria-label="Slide number"
                        on:blur=move |_| close()
                        on:keydown=move |e: ev::KeyboardEvent| {
                            match e.key().as_str() {
                                "Enter" => {
                                    if let Ok(wanted) = event_target_value(&e).trim().parse::<usize>() {
                                        go_to.run(wanted);
                                    } else {
                                        close();
                                    }
                                }
                                "Escape" => close(),
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
                    on_slide_view=to_slide_view
                    resume=reading_resume.get_value()
                    resume_host=reading_host
                />
            }
        })
    };
    // The slide view and its control bar; the reading view has its own bar
    // (with its "Slide view" link) and takes their place.
    let at = Signal::derive(move || position.get());
    let presenter_deck = deck.clone();
    let slide_view = move || {
        let layer = move || view! { <DrawingLayer drawing=drawing at=at changed=drawn/> };
        if presenting {
            let stage = stage.clone();
            let current = ViewFn::from(move || view! { {stage.clone()} {layer()} }.into_any());
            return (!reading.get())
                .then(|| {
                    let view = match presenter.0 {
                        Some(draw) => draw(PresenterArgs {
                            deck: presenter_deck.clone(),
                            position: at,
                            stage: current,
                            go_to,
                            drawing,
                        }),
                        None => view! {
                            <p class="pv-missing" role="alert">"This player has no presenter view."</p>
                        }
                        .into_any(),
                    };
                    view! { <main class="presenter-stage" inert=covered>{view}</main> }
                })
                .into_any();
        }
        (!reading.get())
            .then(|| {
                view! {
                    <main class="stage" inert=covered on:click=on_stage_click>
                        <div class="canvas" node_ref=canvas>{stage.clone()}{layer()}</div>
                    </main>
                    <ControlBar
                        slide=slide_number
                        count=count
                        dark=dark.into()
                        covered=covered
                        drawing=drawing.active.into()
                        run=run
                    />
                }
            })
            .into_any()
    };
    let drawing_tools = move || {
        (drawing.active.get() && !reading.get())
            .then(|| view! { <DrawingTools drawing=drawing at=at changed=drawn/> })
    };
    let detached = move || {
        (follower.with(|f| f.role) == Role::Detached).then(|| {
            view! {
                <button type="button" class="detached-chip" on:click=snap_back.clone()>
                    "Detached — snap back"
                </button>
            }
        })
    };

    let spoken_deck = deck.clone();
    view! {
        <div class="deck" class:transition-fade=fade node_ref=root>
            {slide_view}
            {reading_view}
            {drawing_tools}
            {detached}
            {overview_view}
            {toc_view}
            {help_view}
            {goto_view}
            {move || notice.get().map(|text| view! { <div class="notice" role="status">{text}</div> })}
            <div class="sr-only" role="status" aria-live="polite">
                {move || announcement(&spoken_deck, position.get())}
            </div>
        </div>
    }
}
