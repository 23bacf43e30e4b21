//! What the player gives a live figure that follows a URL: the figure
//! parameters of the URL it opened with, the parameters to write back, a
//! way to show a notice, whether an overlay covers the stage, and whether
//! the figure's keys are live (on stage, not in the reading view).

use leptos::prelude::*;

/// The player's side of a live figure that follows a URL: the slide on
/// stage's, or the one a reading URL resumes at.
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
    /// Whether the figure takes its keys (`,` `.` `p` `r`): on stage; the
    /// reading view's keys scroll the page.
    pub keys: bool,
}

impl FigureHost {
    /// The host of the slide on stage, with no parameters yet.
    pub fn new(notice: Callback<String>, covered: Signal<bool>) -> Self {
        FigureHost {
            initial: StoredValue::new(Vec::new()),
            params: RwSignal::new(Vec::new()),
            notice,
            covered,
            keys: true,
        }
    }

    /// The host of a figure in the reading view, which takes no keys.
    pub fn reading(notice: Callback<String>) -> Self {
        FigureHost {
            keys: false,
            ..FigureHost::new(notice, Signal::stored(false))
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
