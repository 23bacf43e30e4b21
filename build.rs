//! Compiles `slides/slides.md` into the deck the player embeds: parsed,
//! code highlighted, encoded. Problems in the deck are printed as warnings
//! with their line and column; the player shows them on their slides.
//!
//! It also runs every scenario in `slides/scenarios/` to its end, so a bad
//! scenario is reported (file, line, column, what was expected) whenever the
//! site is built; `cargo xtask test` fails on it.

use std::path::PathBuf;

fn main() {
    let slides = std::env::var("SIMDECK_SLIDES").unwrap_or_else(|_| "slides/slides.md".into());
    println!("cargo:rerun-if-changed={slides}");
    println!("cargo:rerun-if-env-changed=SIMDECK_SLIDES");
    let src = match std::fs::read_to_string(&slides) {
        Ok(src) => src,
        Err(e) => {
            println!("cargo:warning={slides}: cannot read the deck ({e}); building an empty deck");
            String::new()
        }
    };
    let deck = simdeck_compile::compile(&src);
    for (slide, d) in deck.all_diagnostics() {
        println!(
            "cargo:warning={slides}:{}:{}: slide {slide}: {}",
            d.line, d.column, d.message
        );
    }
    check_scenarios();
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("deck.bin"), deck.encode()).expect("OUT_DIR is writable");
}

/// Loads and runs every shipped scenario, warning about each one that fails.
fn check_scenarios() {
    let registry = simdeck_sim::Registry::builtin();
    let scenarios = simdeck_sim::shipped().iter().map(|s| (s.path, s.source));
    for result in simdeck_sim::check_all(&registry, scenarios, sim_core::DEFAULT_STEP_LIMIT) {
        if let Err(e) = result {
            println!("cargo:warning={e}");
        }
    }
}
