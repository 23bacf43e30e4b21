//! simdeck's web player: a thin Leptos layer over the pure deck model.
//!
//! The deck is compiled at build time (`build.rs`) and embedded; the player
//! only renders state and turns keys, clicks, taps, swipes, the control bar and URLs into
//! [`simdeck_deck::Command`]s. Everything it decides is decided in
//! `simdeck-deck`, which is tested natively. The scenarios are compiled at
//! build time too ([`scenarios`]): the browser rebuilds their simulations
//! from binary configs.

mod app;
mod browser;
mod controls;
mod drawing;
mod figure_host;
mod figure_slot;
pub mod figures;
mod help;
mod icons;
mod overlay;
mod overview;
mod presenter;
mod print;
mod reading;
pub mod scenarios;
mod slide;
mod sync;
mod toc;

pub use app::Player;
pub use figure_host::FigureHost;
pub use figure_slot::{DrawFigure, Figures};
pub use presenter::{draw as presenter_view, DrawPresenter, Presenter, PresenterArgs};

use leptos::prelude::*;
use simdeck_deck::{Deck, Route};
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// The deck compiled from `slides/slides.md` at build time.
pub fn compiled_deck() -> Result<Deck, String> {
    Deck::decode(include_bytes!(concat!(env!("OUT_DIR"), "/deck.bin")))
}

/// Starts the player in `#app`, replacing the prerendered cover; a
/// presenter or print URL starts the presenter module instead.
pub fn start() {
    console_error_panic_hook::set_once();
    let Some(root) = app_root() else {
        return;
    };
    match compiled_deck() {
        Ok(deck) => {
            let deck = Arc::new(deck);
            let shape: Vec<usize> = deck.slides.iter().map(|s| s.clicks).collect();
            match Route::from_hash(&browser::hash(), &shape).0 {
                // The presenter and print views are in the presenter module,
                // which has a player of its own to run this window (see
                // `start_presenting`).
                Route::Presenter(_) | Route::Print(_) => figure_slot::start_presenter(),
                _ => mount_to(root, move || view! { <Player deck=deck/> }).forget(),
            }
        }
        Err(message) => root.set_text_content(Some(&message)),
    }
    if let Some(boot) = document().get_element_by_id("boot") {
        boot.remove();
    }
}

/// The page's `#app`, where a player starts.
fn app_root() -> Option<web_sys::HtmlElement> {
    document()
        .get_element_by_id("app")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
}

/// Starts the presenter module's player in `#app`, with the presenter view
/// and the live figures drawn in the page, or on a `#/print` URL the print
/// view: the presenter module's entry, called by the site's player on a
/// presenter or print URL.
pub fn start_presenting() {
    console_error_panic_hook::set_once();
    let Some(root) = app_root() else {
        return;
    };
    root.set_inner_html("");
    let deck = match compiled_deck() {
        Ok(deck) => Arc::new(deck),
        Err(message) => return root.set_text_content(Some(&message)),
    };
    let shape: Vec<usize> = deck.slides.iter().map(|s| s.clicks).collect();
    match Route::from_hash(&browser::hash(), &shape) {
        (Route::Print(request), notice) => {
            let drawings = request.drawings.then(|| drawing::stored_drawings(&deck));
            mount_to(root, move || {
                provide_context(Figures(Some(figures::draw)));
                view! {
                    <print::PrintView
                        deck=deck
                        steps=request.steps
                        notice=notice
                        drawings=drawings
                    />
                }
            })
            .forget()
        }
        _ => mount_to(root, move || {
            view! {
                <Player
                    deck=deck
                    figures=Figures(Some(figures::draw))
                    presenter=Presenter(Some(presenter::draw))
                />
            }
        })
        .forget(),
    }
}
