//! Compiles what the player embeds, so the browser ships no parser:
//!
//! - `slides/slides.md` into the deck: parsed, code highlighted, encoded.
//!   Problems in the deck are printed as warnings with their line and
//!   column; the player shows them on their slides.
//! - every scenario in `slides/scenarios/` into the scenario table: loaded
//!   and run to its end by its simulator, its config encoded. A bad scenario
//!   is reported (file, line, column, what was expected) and left out;
//!   `cargo xtask test` fails on it.

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
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("deck.bin"), deck.encode()).expect("OUT_DIR is writable");
    std::fs::write(out.join("scenarios.bin"), compile_scenarios()).expect("OUT_DIR is writable");
}

/// Every shipped scenario that loads and finishes, compiled and encoded;
/// each one that fails is a located warning.
fn compile_scenarios() -> Vec<u8> {
    let registry = simdeck_sim::Registry::builtin();
    let mut table = Vec::new();
    for shipped in simdeck_sim::shipped() {
        match registry.compile(shipped.path, shipped.source, simdeck_sim::STEP_LIMIT) {
            Ok(compiled) => table.push(compiled),
            Err(e) => println!("cargo:warning={e}"),
        }
    }
    postcard::to_allocvec(&table).expect("plain data encodes")
}
