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
use leptos::html;
use leptos::prelude::*;
use simdeck_deck::drawing::Drawings;
use simdeck_deck::print::print_pages;
use simdeck_deck::{Deck, PrintSteps};
use std::sync::Arc;
use wasm_bindgen::JsCast;

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
                    />
                    {drawings.as_ref().map(|d| {
                        let strokes = d.at(p).to_vec();
                        view! { <DrawnStrokes strokes=Signal::stored(strokes)/> }
                    })}
                </div>
            })
        })
        .collect_view();
    let root = NodeRef::<html::Main>::new();
    if steps == PrintSteps::Clicks {
        Effect::new(move |_| {
            if let Some(root) = root.get() {
                name_code_by_click(&root);
            }
        });
    }
    view! {
        <main class="print" node_ref=root aria-label=deck.title().to_string() data-live-figures=live_figures>
            {notice.map(|text| view! { <div class="notice" role="status">{text}</div> })}
            {views}
        </main>
    }
}

/// Adds its page's click to the name of every code region under `root`
/// ("Code of slide 8, click 2"): the pages of one slide repeat its code.
fn name_code_by_click(root: &web_sys::Element) {
    let Ok(regions) = root.query_selector_all(".print-page .code[aria-label]") else {
        return;
    };
    for region in (0..regions.length()).filter_map(|i| regions.item(i)) {
        let Ok(region) = region.dyn_into::<web_sys::Element>() else {
            continue;
        };
        let click = region
            .closest(".print-page")
            .ok()
            .flatten()
            .and_then(|page| page.get_attribute("data-click"));
        if let (Some(label), Some(click)) = (region.get_attribute("aria-label"), click) {
            let _ = region.set_attribute("aria-label", &format!("{label}, click {click}"));
        }
    }
}
