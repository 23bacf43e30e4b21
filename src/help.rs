//! The help: every key and gesture, from the deck crate's one table.

use crate::overlay::OverlayDialog;
use leptos::prelude::*;
use simdeck_deck::nav::{help, KEY_MAP};
use simdeck_deck::reading::runs_in_reading_view;

/// A modal list of keys and gestures (the player focuses its close button).
#[component]
pub fn Help(
    /// Whether it opened over the reading view, whose keys scroll the page.
    reading: bool,
    /// Closes the help.
    close: Callback<()>,
) -> impl IntoView {
    let note = reading.then(|| {
        let keys: Vec<String> = KEY_MAP
            .iter()
            .filter(|b| runs_in_reading_view(b.command))
            .map(|b| b.label())
            .collect();
        view! {
            <p class="help-note">
                {format!(
                    "In the reading view the keys scroll the page; only {} work as listed.",
                    keys.join(", "),
                )}
            </p>
        }
    });
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
        <OverlayDialog kind="help" title="Keys and gestures" close_label="Close the help" close=close>
            {note}
            <table class="help-table">
                <tbody>{rows}</tbody>
            </table>
        </OverlayDialog>
    }
}
