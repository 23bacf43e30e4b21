//! The presenter module: a player with the presenter view and the live
//! figures drawn in the page, loaded by the site's player in a presenter
//! window (`#/presenter/N`) only, so no other visitor pays for it (built by
//! Trunk's post-build hook, as the figures module is).

use wasm_bindgen::prelude::*;

fn main() {}

/// Runs this window's player with the presenter view; see
/// `simdeck::start_presenting`.
#[wasm_bindgen]
pub fn start_presenter() {
    simdeck::start_presenting();
}
