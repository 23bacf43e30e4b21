//! The table of contents: the titles of the slides not hidden from it
//! (`Deck::toc`), in a modal dialog. ↑ and ↓ move the focus between them,
//! Enter goes to the focused one.

use crate::overlay::OverlayDialog;
use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use simdeck_deck::nav::overview_cursor;
use simdeck_deck::Deck;
use std::sync::Arc;

/// The list of slide titles, the presented one marked.
#[component]
pub fn Toc(
    /// The deck.
    deck: Arc<Deck>,
    /// The slide being presented.
    presented: usize,
    /// Goes to a slide and closes the contents.
    choose: Callback<usize>,
    /// Closes the contents.
    close: Callback<()>,
) -> impl IntoView {
    let entries: Vec<(usize, String)> = deck
        .toc()
        .into_iter()
        .map(|(n, title)| (n, title.to_string()))
        .collect();
    let count = entries.len();
    // The entry under the keyboard cursor (1-based): the presented slide's,
    // or the last one before it.
    let start = entries
        .iter()
        .rposition(|(n, _)| *n <= presented)
        .map_or(1, |i| i + 1);
    let cursor = RwSignal::new(start);
    let items = entries
        .into_iter()
        .enumerate()
        .map(|(i, (n, title))| {
            view! {
                <li>
                    <a
                        class="toc-link"
                        href=format!("#/{n}")
                        data-entry=i + 1
                        aria-current=(n == presented).then_some("page")
                        on:focus=move |_| cursor.set(i + 1)
                        on:click=move |e| {
                            e.prevent_default();
                            choose.run(n);
                        }
                    >
                        <span class="toc-number">{n}</span>
                        <span class="toc-title">{title}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    let list = NodeRef::<html::Ol>::new();
    Effect::new(move |_| {
        let i = cursor.get();
        if let Some(list) = list.get() {
            crate::browser::focus_within(&list, &format!(".toc-link[data-entry='{i}']"));
        }
    });
    let on_key = move |e: ev::KeyboardEvent| {
        let key = e.key();
        if !matches!(key.as_str(), "ArrowUp" | "ArrowDown") {
            return;
        }
        if let Some(next) = overview_cursor(&key, cursor.get_untracked(), 1, count) {
            e.prevent_default();
            cursor.set(next);
        }
    };
    let empty =
        (count == 0).then(|| view! { <p class="toc-empty">"No slide has a title to list."</p> });
    view! {
        <OverlayDialog kind="toc" title="Contents" close_label="Close the contents" close=close>
            {empty}
            <ol class="toc-list" node_ref=list on:keydown=on_key>{items}</ol>
        </OverlayDialog>
    }
}
