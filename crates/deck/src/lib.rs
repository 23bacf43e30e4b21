//! simdeck's deck: a Slidev-compatible model of a talk, its parser, and the
//! rules for moving through it.
//!
//! - [`model`]: what a deck is once read — slides, layouts, blocks, clicks,
//!   notes, per-slide styles, and located [`Diagnostic`]s for bad input.
//! - [`parse`] (feature `parse`): Slidev markdown to a [`Deck`]. It never
//!   fails: a bad slide carries its diagnostics and every other slide is kept.
//! - [`nav`]: positions (slide, click), the keyboard map and `#/N?clicks=K`
//!   URLs, as pure functions the web player calls.
//! - [`reading`]: the reading view's URLs (`#/read/N`), when it opens by
//!   itself, and each slide's click steps there; the presenter view's URLs.
//! - [`print`]: the print view's URLs (`#/print`), its pages and the
//!   exported file's name.
//! - [`sync`]: windows following the presenter window, and their messages.
//! - [`drawing`]: pen and highlighter strokes kept per slide and click.
//! - [`timer`]: the presenter's stopwatch and countdown.
//!
//! Nothing here depends on a browser; everything is tested natively.

pub mod drawing;
pub mod figure_nav;
pub mod model;
pub mod nav;
#[cfg(feature = "parse")]
pub mod parse;
pub mod print;
pub mod reading;
pub mod sync;
pub mod timer;

pub use model::{
    Block, ClickList, CodeBlock, Deck, DeckConfig, Diagnostic, Figure, FigureLink, Layout,
    LineSelection, LiveFigure, Slide,
};
pub use nav::{Command, Position};
#[cfg(feature = "parse")]
pub use parse::parse_deck;
pub use print::{PrintRequest, PrintSteps};
pub use reading::{Route, StepAction, Steps};
