//! The deck compiler: everything done to `slides/slides.md` at build time so
//! the player ships no parser and no highlighter.
//!
//! - [`compile`] parses the deck and highlights every code block.
//! - [`highlight`] turns code lines into HTML with `hl-*` classes (syntect,
//!   with bat's extra grammars for Dockerfile); the player's CSS colours them.
//! - [`prerender_cover`] writes the first slide as static HTML, so the cover
//!   is on screen before the WebAssembly has loaded.
//! - [`fonts`] (feature `fonts`) cuts the theme's fonts down to the deck's
//!   characters, for the site's post-build step.
//! - The compiled deck travels to the player as [`simdeck_deck::Deck::encode`] bytes.

#[cfg(feature = "fonts")]
pub mod fonts;
mod highlight;
mod prerender;

pub use highlight::Highlighter;
pub use prerender::prerender_cover;

use simdeck_deck::{parse_deck, Block, Deck};

/// Parses `src` and highlights its code blocks.
pub fn compile(src: &str) -> Deck {
    let mut deck = parse_deck(src);
    let highlighter = Highlighter::new();
    for slide in &mut deck.slides {
        for block in &mut slide.blocks {
            if let Block::Code(code) = block {
                highlighter.highlight(code);
            }
        }
    }
    deck
}
