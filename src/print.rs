//! The print view (`#/print`): every page `simdeck_deck::print` lists, one
//! after another, each a 16:9 page of its own in print (`src/print.css`).
//! Live figures are drawn at their page's click; the root's
//! `data-live-figures` says how many there are, so an export can wait until
//! that many have mounted before printing. Asked to, each page shows the
//! drawings kept in this browser for its slide and click. With a page per
//! click, each page's code regions name their click, so no two share a name.

use crate::browser;
use crate::drawing::DrawnStrokes;
use crate::slide::SlideView;
use leptos::prelude::*;
use simdeck_deck::drawing::Drawings;
use simdeck_deck::print::print_pages;
use simdeck_deck::{Deck, PrintSteps};
use std::sync::Arc;

/// The deck as pages to print.
#[component]
pub fn PrintView(
    /// The deck to print.
    deck: Arc<Deck>,
    /// One page per slide, or one per click step.
    steps: PrintSteps,
    /// What was wrong with the URL, shown on screen (never printed).
    notice: Option<String>,
    /// The drawings each page shows over its slide, if asked for.
    drawings: Option<Drawings>,
) -> impl IntoView {
    browser::set_title(deck.title());
    let shape: Vec<usize> = deck.slides.iter().map(|s| s.clicks).collect();
    let count = deck.slides.len();
    let pages = print_pages(&shape, steps);
    let live_figures = pages
        .iter()
        .filter(|p| {
            deck.slides
                .get(p.slide - 1)
                .is_some_and(|s| s.live.is_some())
        })
        .count();
    let views = pages
        .into_iter()
        .filter_map(|p| {
            let slide = deck.slides.get(p.slide - 1)?.clone();
            Some(view! {
                <div class="print-page" data-slide=p.slide data-click=p.click>
                    <SlideView
                        slide=slide
                        config=deck.config.clone()
                        count=count
                        click=Signal::stored(p.click)
                        host=None
                        animate=false
                        thumbnail=false
                        names_click=steps == PrintSteps::Clicks
                    />
                    {drawings.as_ref().map(|d| {
                        let strokes = d.at(p).to_vec();
                        view! { <DrawnStrokes strokes=Signal::stored(strokes)/> }
                    })}
                </div>
            })
        })
        .collect_view();
    view! {
        <main class="print" aria-label=deck.title().to_string() data-live-figures=live_figures>
            {notice.map(|text| view! { <div class="notice" role="status">{text}</div> })}
            {views}
        </main>
    }
}
