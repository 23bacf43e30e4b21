//! The figures module: the simulators, the figure frame and the drawings,
//! which the player loads on the slide before a live figure, or when a slide
//! with one is drawn first (built by Trunk's post-build hook, `cargo xtask
//! prerender`).

use wasm_bindgen::prelude::*;

fn main() {}

/// Mounts a live figure into `el`; see `simdeck::figures::remote::mount`.
#[wasm_bindgen]
pub fn mount_figure(
    el: web_sys::HtmlElement,
    figure: String,
    scenario: String,
    params: String,
    on_stage: bool,
) -> u32 {
    console_error_panic_hook::set_once();
    simdeck::figures::remote::mount(el, figure, scenario, params, on_stage)
}

/// Unmounts the live figure `id`.
#[wasm_bindgen]
pub fn unmount_figure(id: u32) {
    simdeck::figures::remote::unmount(id);
}
