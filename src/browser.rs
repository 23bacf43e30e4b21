//! The few browser facilities the player needs, each failing softly.

use leptos::prelude::{document, window};
use wasm_bindgen::{JsCast, JsValue};

const DARK_KEY: &str = "simdeck-dark";

/// The URL's hash, e.g. `#/3?clicks=1` (empty when none).
pub fn hash() -> String {
    window().location().hash().unwrap_or_default()
}

/// Puts `hash` in the URL: a new history entry when `new_entry`, else in place.
pub fn set_hash(hash: &str, new_entry: bool) {
    if let Ok(history) = window().history() {
        let _ = if new_entry {
            history.push_state_with_url(&JsValue::NULL, "", Some(hash))
        } else {
            history.replace_state_with_url(&JsValue::NULL, "", Some(hash))
        };
    }
}

/// Loads the page again, at its current URL.
pub fn reload() {
    let _ = window().location().reload();
}

/// Sets the tab title.
pub fn set_title(title: &str) {
    document().set_title(title);
}

/// Whether dark mode was chosen before, else whether the system prefers it.
pub fn prefers_dark() -> bool {
    let stored = window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(DARK_KEY).ok().flatten());
    match stored.as_deref() {
        Some("1") => true,
        Some("0") => false,
        _ => window()
            .match_media("(prefers-color-scheme: dark)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches()),
    }
}

/// Whether the main pointer is a finger (a touch screen).
pub fn coarse_pointer() -> bool {
    media_matches("(pointer: coarse)")
}

/// Whether the reader asked for less motion.
pub fn prefers_reduced_motion() -> bool {
    media_matches("(prefers-reduced-motion: reduce)")
}

fn media_matches(query: &str) -> bool {
    window()
        .match_media(query)
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

/// Shows the page dark or light.
pub fn apply_dark(dark: bool) {
    if let Some(root) = document().document_element() {
        let _ = root.class_list().toggle_with_force("dark", dark);
    }
}

/// Remembers a choice of dark or light made by the presenter.
pub fn remember_dark(dark: bool) {
    if let Some(storage) = window().local_storage().ok().flatten() {
        let _ = storage.set_item(DARK_KEY, if dark { "1" } else { "0" });
    }
}

/// Whether the key belongs to the focused element rather than to the deck:
/// typing in a field, or Space and Enter pressing a button.
pub fn target_takes_key(event: &web_sys::KeyboardEvent, key: &str) -> bool {
    let Some(element) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return false;
    };
    match element.tag_name().as_str() {
        "INPUT" | "TEXTAREA" | "SELECT" => true,
        "BUTTON" => matches!(key, " " | "Enter"),
        _ => element.is_content_editable(),
    }
}

/// How many tiles the first row of the overview `grid` holds, as laid out.
pub fn overview_columns(grid: &web_sys::Element) -> usize {
    let children = grid.children();
    let top_of = |i: u32| {
        children
            .item(i)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            .map(|e| e.offset_top())
    };
    let first_row = top_of(0);
    (1..children.length())
        .take_while(|&i| top_of(i) == first_row)
        .count()
        + 1
}

/// The element that has the focus, when it is an HTML element.
pub fn focused() -> Option<web_sys::HtmlElement> {
    document()
        .active_element()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
}

/// Whether nothing in particular has the focus (the page body has it).
pub fn focus_is_idle() -> bool {
    focused().is_none_or(|e| e.tag_name() == "BODY")
}

/// Focuses the first element inside `container` that `selector` matches.
pub fn focus_within(container: &web_sys::Element, selector: &str) {
    if let Some(element) = container
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// What Tab can reach inside a dialog (inert thumbnails excluded).
const FOCUSABLE: &str = "a[href], button, input, [tabindex]:not([tabindex='-1'])";

/// Moves the focus to the next (or, `backwards`, the previous) focusable
/// element inside `dialog`, wrapping around, so Tab never leaves it.
pub fn cycle_focus(dialog: &web_sys::Element, backwards: bool) {
    let Ok(list) = dialog.query_selector_all(FOCUSABLE) else {
        return;
    };
    let reachable: Vec<web_sys::HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .filter(|e| e.closest("[inert]").ok().flatten().is_none())
        .collect();
    if reachable.is_empty() {
        return;
    }
    let active = document().active_element();
    let here = reachable
        .iter()
        .position(|e| active.as_ref() == Some(e.as_ref()));
    let last = reachable.len() - 1;
    let next = match (here, backwards) {
        (Some(0), true) | (None, true) => last,
        (Some(i), true) => i - 1,
        (Some(i), false) if i < last => i + 1,
        _ => 0,
    };
    let _ = reachable[next].focus();
}

/// Elements whose clicks and taps are their own, never a slide change.
const KEEPS_CLICKS: &str = "a[href], button, input, select, textarea, label, summary, \
    [contenteditable], [role='button'], .figure-live, [data-no-advance]";

/// Whether a click belongs to what was clicked (a link, a button, a live
/// figure, text being selected) rather than to the deck.
pub fn click_stays_with_target(event: &web_sys::MouseEvent) -> bool {
    let on_own_element = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| e.closest(KEEPS_CLICKS).ok().flatten().is_some());
    let selecting = window()
        .get_selection()
        .ok()
        .flatten()
        .is_some_and(|s| !s.is_collapsed());
    on_own_element || selecting
}

/// Where a click at (`x`, `y`) falls across `element`'s box, from 0 at its
/// left edge to 1 at its right; `None` above or below it.
pub fn horizontal_fraction(element: &web_sys::Element, x: f64, y: f64) -> Option<f64> {
    let rect = element.get_bounding_client_rect();
    (rect.width() > 0.0 && y >= rect.top() && y <= rect.bottom())
        .then(|| (x - rect.left()) / rect.width())
}

/// Enters fullscreen, or leaves it.
pub fn toggle_fullscreen() {
    let doc = document();
    if doc.fullscreen_element().is_some() {
        doc.exit_fullscreen();
    } else if let Some(root) = doc.document_element() {
        let _ = root.request_fullscreen();
    }
}

/// Today's date as the browser writes it, for the cover.
pub fn today() -> String {
    js_sys::Date::new_0()
        .to_locale_date_string("default", &JsValue::UNDEFINED)
        .into()
}

const VIEW_KEY: &str = "simdeck-view";

/// Whether the screen is narrow and upright, as a phone held normally.
pub fn narrow_portrait() -> bool {
    window()
        .match_media("(max-width: 600px) and (orientation: portrait)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

/// Whether the reader chose the slide view over the reading view.
pub fn chose_slide_view() -> bool {
    window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(VIEW_KEY).ok().flatten())
        .is_some_and(|v| v == "slides")
}

/// Remembers the view the reader chose: the slide view or the reading view.
pub fn remember_view(slides: bool) {
    if let Some(storage) = window().local_storage().ok().flatten() {
        let _ = storage.set_item(VIEW_KEY, if slides { "slides" } else { "read" });
    }
}

/// Scrolls the reading view to slide `n` and puts the focus there.
pub fn reveal_reading_slide(n: usize) {
    let Some(article) = document()
        .get_element_by_id(&format!("read-{n}"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    article.scroll_into_view_with_bool(true);
    let options = web_sys::FocusOptions::new();
    options.set_prevent_scroll(true);
    let _ = article.focus_with_options(&options);
}

/// The slide being read in the reading view (1 when there is none).
pub fn reading_slide_in_view() -> usize {
    let line = window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(720.0)
        * 0.3;
    let tops: Vec<f64> = document()
        .query_selector_all(".reading-slide")
        .map(|list| {
            (0..list.length())
                .filter_map(|i| list.item(i))
                .filter_map(|node| node.dyn_into::<web_sys::Element>().ok())
                .map(|e| e.get_bounding_client_rect().top())
                .collect()
        })
        .unwrap_or_default();
    simdeck_deck::reading::slide_in_view(&tops, line)
}

/// Opens `hash` of this page in the window named `name` (a new one the
/// first time, the same one after).
pub fn open_window(hash: &str, name: &str) {
    let href = window().location().href().unwrap_or_default();
    let page = href.split('#').next().unwrap_or_default();
    let _ = window().open_with_url_and_target(&format!("{page}{hash}"), name);
}

/// Whether a key press was aimed inside another player's element than
/// `root` (two players on one page, as in the tests): that player's key.
pub fn key_for_another_deck(event: &web_sys::KeyboardEvent, root: &web_sys::Element) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest(".deck").ok().flatten())
        .is_some_and(|deck| &deck != root)
}
