//! The overview: every slide as a thumbnail, in a modal dialog. The keyboard
//! cursor is the focused tile: arrows move both, Enter goes there.

use crate::overlay::OverlayHead;
use crate::slide::SlideView;
use leptos::html;
use leptos::prelude::*;
use simdeck_deck::Deck;
use std::sync::Arc;

/// The grid of all slides, with titles under the tiles and a close button.
#[component]
pub fn Overview(
    /// The deck.
    deck: Arc<Deck>,
    /// The slide being presented.
    presented: usize,
    /// The tile under the keyboard cursor, which has the focus.
    cursor: RwSignal<usize>,
    /// Goes to a slide and closes the overview.
    choose: Callback<usize>,
    /// Closes the overview.
    close: Callback<()>,
) -> impl IntoView {
    let count = deck.slides.len();
    let tiles = deck
        .slides
        .iter()
        .map(|slide| {
            let n = slide.number;
            let title = slide.title.clone().unwrap_or_default();
            let tooltip = title.clone();
            view! {
                <li class="tile" class:current=move || cursor.get() == n>
                    <div class="tile-canvas" inert aria-hidden="true">
                        <SlideView
                            slide=slide.clone()
                            config=deck.config.clone()
                            count=count
                            click=Signal::stored(slide.clicks)
                            host=None
                            animate=false
                            thumbnail=true
                        />
                    </div>
                    <a
                        class="tile-link"
                        href=format!("#/{n}")
                        data-slide=n
                        aria-current=(n == presented).then_some("page")
                        title=tooltip
                        on:focus=move |_| cursor.set(n)
                        on:click=move |e| {
                            e.prevent_default();
                            choose.run(n);
                        }
                    >
                        <span class="tile-number">{n}</span>
                        <span class="tile-title">{title}</span>
                    </a>
                </li>
            }
        })
        .collect_view();

    // The focus follows the cursor; focusing scrolls the tile into sight.
    let grid = NodeRef::<html::Ol>::new();
    Effect::new(move |_| {
        let n = cursor.get();
        if let Some(grid) = grid.get() {
            crate::browser::focus_within(&grid, &format!(".tile-link[data-slide='{n}']"));
        }
    });

    view! {
        <div class="overlay overview" role="dialog" aria-modal="true" aria-label="All slides">
            <OverlayHead title="All slides" close_label="Close the overview" close=close/>
            <ol class="overview-grid" node_ref=grid>{tiles}</ol>
        </div>
    }
}
