//! What every overlay dialog has: its title and a close button.

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
