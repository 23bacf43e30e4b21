//! Live figures: simulations that take the place of a figure slide's image.
//!
//! To make a figure live, write a component and add one line to
//! [`registry`], keyed by the slide's `figureUrl`:
//!
//! ```ignore
//! FigureRegistry::default().with("/cgroups_level.png", || view! { <CgroupsLevel/> }.into_any())
//! ```
//!
//! A figure slide with no live figure shows a neutral placeholder with its
//! caption and a link to the original source; the player never loads the
//! original image.

use leptos::prelude::AnyView;

/// Builds a live figure's view.
pub type LiveFigure = fn() -> AnyView;

/// Live figures by the `figureUrl` of the slide they replace.
#[derive(Clone, Default)]
pub struct FigureRegistry {
    entries: Vec<(String, LiveFigure)>,
}

impl FigureRegistry {
    /// This registry plus `figure` for slides whose `figureUrl` is `figure_url`.
    pub fn with(mut self, figure_url: &str, figure: LiveFigure) -> Self {
        self.entries.push((figure_url.to_string(), figure));
        self
    }

    /// The live figure registered for `figure_url`.
    pub fn get(&self, figure_url: &str) -> Option<LiveFigure> {
        self.entries
            .iter()
            .find(|(url, _)| url == figure_url)
            .map(|(_, f)| *f)
    }
}

/// Every live figure of the deck.
pub fn registry() -> FigureRegistry {
    FigureRegistry::default()
}
