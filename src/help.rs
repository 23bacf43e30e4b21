//! The help: every key and gesture, from the deck crate's one table.

use crate::icons::{self, icon};
use leptos::prelude::*;
use simdeck_deck::nav::help;

/// A modal list of keys and gestures (the player focuses its close button).
#[component]
pub fn Help(
    /// Closes the help.
    close: Callback<()>,
) -> impl IntoView {
    let rows = help()
        .into_iter()
        .map(|row| {
            view! {
                <tr>
                    <th scope="row">{row.input}</th>
                    <td>{row.action}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div
            class="overlay help"
            role="dialog"
            aria-modal="true"
            aria-label="Keys and gestures"
            on:click=move |e| {
                // A click on the backdrop, outside the panel, closes it.
                if e.target() == e.current_target() {
                    close.run(());
                }
            }
        >
            <div class="help-panel">
                <header class="overlay-head">
                    <h2>"Keys and gestures"</h2>
                    <button
                        type="button"
                        class="overlay-close"
                        aria-label="Close the help"
                        title="Close (Escape)"
                        on:click=move |_| close.run(())
                    >
                        {icon(icons::CLOSE)}
                    </button>
                </header>
                <table class="help-table">
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </div>
    }
}
