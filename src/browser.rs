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

/// How many tiles a row of the overview grid holds at this window width
/// (tiles 208 px wide, 16 px apart, 24 px padding, as in style.css).
pub fn overview_columns() -> usize {
    let width = window()
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .unwrap_or(1280.0);
    (((width - 48.0 + 16.0) / 224.0).floor() as usize).max(1)
}

/// Scrolls the overview so its highlighted tile is in sight.
pub fn reveal_overview_cursor() {
    if let Ok(Some(tile)) = document().query_selector(".overview .tile.current") {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Nearest);
        tile.scroll_into_view_with_scroll_into_view_options(&options);
    }
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
