//! The presenter module: a player with the presenter view, the print view
//! and the live figures drawn in the page, loaded by the site's player in a
//! presenter window (`#/presenter/N`) or on a print URL (`#/print`) only, so
//! no other visitor pays for them (built by Trunk's post-build hook, as the
//! figures module is).

use wasm_bindgen::prelude::*;

fn main() {}

/// Runs this window's player with the presenter view, or the print view;
/// see `simdeck::start_presenting`.
#[wasm_bindgen]
pub fn start_presenter() {
    simdeck::start_presenting();
}
