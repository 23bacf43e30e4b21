//! The reading view: every slide on one scrolling page, at full width, with
//! a step control on slides that have clicks. What a step shows is decided
//! by `simdeck_deck::reading::Steps`.

use crate::figure_host::FigureHost;
use crate::slide::SlideView;
use leptos::ev;
use leptos::prelude::*;
use simdeck_deck::reading::{StepAction, Steps};
use simdeck_deck::{Deck, Position, Slide};
use std::sync::Arc;

/// The deck as one page.
#[component]
pub fn ReadingView(
    /// The deck to show.
    deck: Arc<Deck>,
    /// Asks for the slide view at a slide (the one being read).
    on_slide_view: Callback<usize>,
    /// A position the reader came from, whose slide resumes stepping at its click.
    resume: Option<Position>,
    /// The host of that slide's live figure, with the URL's figure parameters.
    resume_host: FigureHost,
) -> impl IntoView {
    let count = deck.slides.len();
    let articles = deck
        .slides
        .iter()
        .map(|slide| {
            let resumed = resume.filter(|p| p.slide == slide.number);
            let click = resumed.map_or(0, |p| p.click);
            let host = resumed.map(|_| resume_host);
            reading_slide(slide.clone(), &deck, count, click, host)
        })
        .collect_view();
    let to_slides = move |e: ev::MouseEvent| {
        e.prevent_default();
        on_slide_view.run(crate::browser::reading_slide_in_view());
    };
    view! {
        <main class="reading" aria-label=deck.title().to_string()>
            <header class="reading-bar">
                <span class="reading-title">{deck.title().to_string()}</span>
                <a class="reading-exit" href="#/1" on:click=to_slides>"Slide view"</a>
            </header>
            {articles}
        </main>
    }
}

/// One slide of the reading view, with its step control, stepping at
/// `click` when that is not 0; `host` for the slide a URL resumes at.
fn reading_slide(
    slide: Slide,
    deck: &Deck,
    count: usize,
    click: usize,
    host: Option<FigureHost>,
) -> impl IntoView {
    let n = slide.number;
    let steps = RwSignal::new(Steps::resumed(slide.clicks, click));
    let click = Signal::derive(move || steps.get().click());
    let control = (slide.clicks > 0).then(|| step_control(n, steps));
    view! {
        <article
            class="reading-slide"
            id=format!("read-{n}")
            tabindex="-1"
            aria-label=format!("Slide {n} of {count}")
        >
            <div class="reading-frame" class:at-rest=move || !steps.get().dims_code()>
                <SlideView
                    slide=slide
                    config=deck.config.clone()
                    count=count
                    click=click
                    host=host
                    animate=false
                    thumbnail=false
                />
            </div>
            {control}
        </article>
    }
}

/// Buttons that step through a slide's clicks: "Step through" at rest;
/// back, next and "Show all" while stepping (the stylesheet shows each set).
fn step_control(n: usize, steps: RwSignal<Steps>) -> impl IntoView {
    let act = move |action: StepAction| move |_| steps.update(|s| *s = s.apply(action));
    view! {
        <div
            class="step-control"
            class:stepping=move || steps.get().at.is_some()
            role="group"
            aria-label=format!("Steps of slide {n}")
        >
            <span class="step-label" aria-live="polite">{move || steps.get().label()}</span>
            <button class="step-start" on:click=act(StepAction::Start)>"Step through"</button>
            <button
                class="step-back"
                disabled=move || steps.get().at == Some(0)
                on:click=act(StepAction::Back)
            >
                "Back"
            </button>
            <button class="step-next" on:click=act(StepAction::Next)>"Next"</button>
            <button class="step-all" on:click=act(StepAction::ShowAll)>"Show all"</button>
        </div>
    }
}
