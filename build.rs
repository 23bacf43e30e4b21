//! Compiles `slides/slides.md` into the deck the player embeds: parsed,
//! code highlighted, encoded. Problems in the deck are printed as warnings
//! with their line and column; the player shows them on their slides.

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
}
