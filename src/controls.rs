//! The control bar: buttons for everything the keys do, for mouse and touch.
//! It shows on pointer movement or a tap and hides after a few seconds
//! without either, unless the pointer or the keyboard focus is on it.

use crate::icons::{self, icon};
use leptos::prelude::*;
use simdeck_deck::nav::KEY_MAP;
use simdeck_deck::Command;
use std::time::Duration;

/// How long the bar stays after the last pointer movement or tap.
const SHOW_TIME: Duration = Duration::from_secs(3);

/// The bar at the bottom left: previous, next, overview, go-to, contents,
/// drawing, the presenter view, dark mode, fullscreen, help, the reading
/// view and "N / total".
#[component]
pub fn ControlBar(
    /// The slide on screen.
    slide: Memo<usize>,
    /// How many slides the deck has.
    count: usize,
    /// Whether dark mode is on.
    dark: Signal<bool>,
    /// Whether a modal overlay covers the deck (the bar is then out of reach).
    covered: Signal<bool>,
    /// Whether drawing is on.
    drawing: Signal<bool>,
    /// Runs a command, as a key would.
    run: Callback<Command>,
) -> impl IntoView {
    // On a touch screen, where it has a strip of its own, the bar shows at
    // first, to be found; elsewhere it waits for the pointer to move.
    let touch = crate::browser::coarse_pointer();
    let idle = RwSignal::new(!touch);
    let wakes = StoredValue::new(0u64);
    let wake = move || {
        idle.set(false);
        wakes.update_value(|n| *n += 1);
        let this_wake = wakes.get_value();
        set_timeout(
            // The player may be gone by then: only a live bar is hidden.
            // The pointer resting on the bar keeps it; leaving it wakes it again.
            move || {
                let hovered = document()
                    .query_selector(".controls:hover")
                    .is_ok_and(|b| b.is_some());
                if wakes.try_get_value() == Some(this_wake) && !hovered {
                    idle.try_set(true);
                }
            },
            SHOW_TIME,
        );
    };
    if touch {
        wake();
    }
    let on_pointer = move |_: web_sys::Event| wake();
    let moved = window_event_listener_untyped("pointermove", on_pointer);
    let pressed = window_event_listener_untyped("pointerdown", on_pointer);
    on_cleanup(move || {
        moved.remove();
        pressed.remove();
    });

    let button = move |command: Command,
                       label: &'static str,
                       path: &'static str,
                       pressed: Option<Signal<bool>>| {
        let key = KEY_MAP
            .iter()
            .find(|b| b.command == command)
            .map(|b| format!("{label} ({})", b.label()))
            .unwrap_or_else(|| label.to_string());
        view! {
            <button
                type="button"
                class="control"
                aria-label=label
                aria-pressed=move || pressed.map(|p| p.get().to_string())
                title=key
                on:click=move |_| run.run(command)
            >
                {icon(path)}
            </button>
        }
    };
    view! {
        <nav
            class="controls"
            class:idle=idle
            aria-label="Slide controls"
            inert=covered
            // A mouse click or a tap leaves the focus where it was, so Space
            // still goes to the deck after using a button.
            on:mousedown=|e| e.prevent_default()
        >
            {button(Command::Prev, "Previous", icons::PREV, None)}
            {button(Command::Next, "Next", icons::NEXT, None)}
            {button(Command::ToggleOverview, "Overview", icons::OVERVIEW, None)}
            {button(Command::OpenGoTo, "Go to slide", icons::GO_TO, None)}
            {button(Command::ToggleToc, "Contents", icons::TOC, None)}
            {button(Command::ToggleDrawing, "Draw", icons::DRAW, Some(drawing))}
            {button(Command::OpenPresenter, "Presenter view", icons::PRESENTER, None)}
            {button(Command::ToggleDark, "Dark mode", icons::DARK, Some(dark))}
            {button(Command::ToggleFullscreen, "Fullscreen", icons::FULLSCREEN, None)}
            {button(Command::ToggleHelp, "Keys and gestures", icons::HELP, None)}
            <a class="control" href="#/read" aria-label="Reading view" title="Reading view">
                {icon(icons::READ)}
            </a>
            <span class="controls-position">{move || format!("{} / {count}", slide.get())}</span>
        </nav>
    }
}
