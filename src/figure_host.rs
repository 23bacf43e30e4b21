//! What the player gives the live figure of the slide on stage: the figure
//! parameters of the URL it opened with, the parameters to write back, a
//! way to show a notice, and whether an overlay covers the stage.

use leptos::prelude::*;

/// The player's side of the slide on stage's live figure.
#[derive(Clone, Copy)]
pub struct FigureHost {
    /// The figure parameters of the URL the slide was opened with, until a
    /// figure takes them.
    initial: StoredValue<Vec<(String, String)>>,
    /// The figure's parameters now, for the URL.
    pub params: RwSignal<Vec<(String, String)>>,
    /// Shows a notice, as a bad slide number does.
    pub notice: Callback<String>,
    /// Whether a modal overlay covers the stage (the figure's keys rest then).
    pub covered: Signal<bool>,
}

impl FigureHost {
    /// A host with no parameters yet.
    pub fn new(notice: Callback<String>, covered: Signal<bool>) -> Self {
        FigureHost {
            initial: StoredValue::new(Vec::new()),
            params: RwSignal::new(Vec::new()),
            notice,
            covered,
        }
    }

    /// Hands `params` (from a URL) to the next figure drawn on stage.
    pub fn offer(&self, params: Vec<(String, String)>) {
        self.initial.set_value(params);
    }

    /// The parameters offered, once: a later figure starts clean.
    pub fn take_initial(&self) -> Vec<(String, String)> {
        self.initial
            .try_update_value(std::mem::take)
            .unwrap_or_default()
    }
}
