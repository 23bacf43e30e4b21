//! What every overlay dialog has: a backdrop that closes it, its title and
//! a close button.

use crate::icons::{self, icon};
use leptos::prelude::*;

/// The head of an overlay: its title and a button that closes it.
#[component]
pub fn OverlayHead(
    /// The dialog's title.
    title: &'static str,
    /// What the close button says to a screen reader, e.g. "Close the help".
    close_label: &'static str,
    /// Closes the overlay.
    close: Callback<()>,
) -> impl IntoView {
    view! {
        <header class="overlay-head">
            <h2>{title}</h2>
            <button
                type="button"
                class="overlay-close"
                aria-label=close_label
                title="Close (Escape)"
                on:click=move |_| close.run(())
            >
                {icon(icons::CLOSE)}
            </button>
        </header>
    }
}

/// A modal overlay dialog: `children` in a panel under its head, over a
/// backdrop that closes it when clicked outside the panel.
#[component]
pub fn OverlayDialog(
    /// The overlay's class, e.g. `help` (its panel is `help-panel`).
    kind: &'static str,
    /// The dialog's title, also its accessible name.
    title: &'static str,
    /// What the close button says to a screen reader, e.g. "Close the help".
    close_label: &'static str,
    /// Closes the overlay.
    close: Callback<()>,
    /// What the panel shows under its head.
    children: Children,
) -> impl IntoView {
    view! {
        <div
            class=format!("overlay {kind}")
            role="dialog"
            aria-modal="true"
            aria-label=title
            on:click=move |e| {
                // A click on the backdrop, outside the panel, closes it.
                if e.target() == e.current_target() {
                    close.run(());
                }
            }
        >
            <div class=format!("{kind}-panel")>
                <OverlayHead title=title close_label=close_label close=close/>
                {children()}
            </div>
        </div>
    }
}
