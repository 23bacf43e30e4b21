//! The control bar's icons: small line drawings on a 24x24 grid, drawn in
//! the text colour.

use leptos::prelude::*;

/// Chevron left.
pub const PREV: &str = "M15 5l-7 7 7 7";
/// Chevron right.
pub const NEXT: &str = "M9 5l7 7-7 7";
/// Four tiles.
pub const OVERVIEW: &str = "M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z";
/// An arrow to a mark.
pub const GO_TO: &str = "M4 12h12M11 7l5 5-5 5M20 5v14";
/// A half-filled circle.
pub const DARK: &str = "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM12 3v18";
/// Four corners.
pub const FULLSCREEN: &str = "M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5";
/// A question mark in a circle.
pub const HELP: &str =
    "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM9.5 9.5a2.5 2.5 0 1 1 3.3 2.4c-.5.2-.8.7-.8 1.2v.9M12 17v.5";
/// Lines of text.
pub const READ: &str = "M5 6h14M5 10h14M5 14h14M5 18h9";
/// A numbered list.
pub const TOC: &str = "M9 6h11M9 12h11M9 18h11M4 6h1M4 12h1M4 18h1";
/// A screen with a person before it.
pub const PRESENTER: &str = "M3 4h18v11H3zM8 20h8M12 15v5";
/// A pen nib.
pub const PEN: &str = "M4 20l4-1 11-11-3-3L5 16zM14 7l3 3";
/// A broad marker stroke.
pub const HIGHLIGHTER: &str = "M5 19h14M8 15l8-8 3 3-8 8H8z";
/// A pen drawing a line.
pub const DRAW: &str = "M3 21c3-3 5 1 8-2M14 4l6 6-8 8-4 0 0-4z";
/// A curved arrow back.
pub const UNDO: &str = "M9 5L4 10l5 5M4 10h10a5 5 0 0 1 0 10h-4";
/// A bin.
pub const CLEAR: &str = "M5 7h14M10 7V4h4v3M7 7l1 13h8l1-13";
/// A cross.
pub const CLOSE: &str = "M6 6l12 12M18 6L6 18";

/// An icon drawn from an SVG path; hidden from screen readers, which read
/// the button's label instead.
pub fn icon(path: &'static str) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
            <path d=path/>
        </svg>
    }
}
