//! The reading view: the deck as one scrolling page, each slide at full
//! width, for phones and for reading after the talk. URLs are `#/read` (from
//! the top, or at the current slide when the player is already open),
//! `#/read/N` (at slide N) and `#/read/N?clicks=K` (slide N stepping from
//! click K; a live figure's parameters may follow, as on a slide URL).
//!
//! A slide's click steps are shown at rest — every item there, every code
//! line lit — until the reader steps through them with [`Steps`].

use crate::nav::{Command, Position};
use crate::print::{parse_print, PrintRequest};

/// Where a URL hash leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// The slide view at a position.
    Slides(Position),
    /// The reading view, at a position when the URL names a slide: its
    /// slide is brought into sight, stepping from its click when not 0.
    Reading(Option<Position>),
    /// The print view (`#/print`), see [`crate::print`].
    Print(PrintRequest),
    /// The presenter view (`#/presenter/N?clicks=K`) at a position.
    Presenter(Position),
}

impl Route {
    /// Reads a URL hash: `#/read` and `#/read/N` open the reading view (a
    /// slide out of range lands on the nearest one, with a message);
    /// `#/print` the print view; `#/presenter/N?clicks=K` the presenter
    /// view at that position, read as [`Position::from_hash`] reads
    /// `#/N?clicks=K`; any other hash is a slide position.
    pub fn from_hash(hash: &str, clicks: &[usize]) -> (Route, Option<String>) {
        let body = hash.trim_start_matches('#').trim_start_matches('/');
        if let Some(rest) = body.strip_prefix("print") {
            if rest.is_empty() || rest.starts_with(['/', '?']) {
                let (request, message) = parse_print(rest);
                return (Route::Print(request), message);
            }
        }
        if let Some(rest) = body.strip_prefix("presenter") {
            if rest.is_empty() || rest.starts_with(['/', '?']) {
                let (position, message) = Position::from_hash(rest, clicks);
                return (Route::Presenter(position), message);
            }
        }
        let Some(rest) = body.strip_prefix("read") else {
            let (position, message) = Position::from_hash(hash, clicks);
            return (Route::Slides(position), message);
        };
        let rest = rest.trim_start_matches('/');
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let path = path.trim_matches('/');
        if path.is_empty() {
            return (Route::Reading(None), None);
        }
        let last = clicks.len().max(1);
        match path.parse::<usize>() {
            Ok(n) if (1..=last).contains(&n) => {
                // The slide's click, read as a slide URL's is.
                let (at, message) = Position::from_hash(&format!("{n}?{query}"), clicks);
                (Route::Reading(Some(at)), message)
            }
            Ok(n) => {
                let nearest = n.clamp(1, last);
                let message = format!(
                    "Slide {n} does not exist (the deck has {last} slides); showing slide {nearest}"
                );
                let at = Position {
                    slide: nearest,
                    click: 0,
                };
                (Route::Reading(Some(at)), Some(message))
            }
            Err(_) => (
                Route::Reading(None),
                Some(format!(
                    "`{path}` is not a slide number; showing the deck from the top"
                )),
            ),
        }
    }
}

/// The reading view's URL at `at`: `#/read/N`, or `#/read/N?clicks=K`
/// after clicks.
pub fn reading_hash(at: Position) -> String {
    format!("#/read{}", at.to_hash().trim_start_matches('#'))
}

/// The presenter view's URL at `at`: `#/presenter/N`, or
/// `#/presenter/N?clicks=K` after clicks.
pub fn presenter_hash(at: Position) -> String {
    format!("#/presenter{}", at.to_hash().trim_start_matches('#'))
}

/// Whether the player opens the reading view by itself: on a narrow
/// portrait screen, where a 16:9 slide would be too small to read, unless
/// the reader has chosen the slide view.
pub fn opens_reading_view(narrow_portrait: bool, chose_slides: bool) -> bool {
    narrow_portrait && !chose_slides
}

/// Whether `command` runs in the reading view. The view is a page whose
/// keys scroll it, so moves and the slide view's overlays stay off; the
/// help, dark mode, fullscreen and closing an overlay work as anywhere.
pub fn runs_in_reading_view(command: Command) -> bool {
    matches!(
        command,
        Command::ToggleHelp
            | Command::ToggleDark
            | Command::ToggleFullscreen
            | Command::CloseOverlays
    )
}

/// The slide being read: the last one whose top (in page order, relative to
/// the viewport) is at or above `line`, else the first.
pub fn slide_in_view(tops: &[f64], line: f64) -> usize {
    tops.iter().take_while(|&&top| top <= line).count().max(1)
}

/// A slide's click steps in the reading view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Steps {
    /// How many clicks the slide has.
    pub total: usize,
    /// The click being shown while stepping; `None` at rest (all shown).
    pub at: Option<usize>,
}

/// What the reader asks of a slide's [`Steps`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepAction {
    /// Go back to before the first click, to step through.
    Start,
    /// One click forward; past the last, back at rest.
    Next,
    /// One click back.
    Back,
    /// Stop stepping: everything shown.
    ShowAll,
}

impl Steps {
    /// A slide with `total` clicks, at rest.
    pub fn new(total: usize) -> Steps {
        Steps { total, at: None }
    }

    /// A slide with `total` clicks as a slide URL left it: stepping at
    /// `click` (at most `total`), or at rest before any click.
    pub fn resumed(total: usize, click: usize) -> Steps {
        Steps {
            total,
            at: (click > 0).then(|| click.min(total)),
        }
    }

    /// Where `action` leads.
    pub fn apply(self, action: StepAction) -> Steps {
        let at = match (action, self.at) {
            (StepAction::Start, _) => Some(0),
            (StepAction::Next, Some(k)) if k < self.total => Some(k + 1),
            (StepAction::Next, _) | (StepAction::ShowAll, _) => None,
            (StepAction::Back, Some(k)) => Some(k.saturating_sub(1)),
            (StepAction::Back, None) => None,
        };
        Steps { at, ..self }
    }

    /// The click to draw the slide at: the last one at rest.
    pub fn click(self) -> usize {
        self.at.unwrap_or(self.total)
    }

    /// Whether code lines outside the current step are dimmed: only while
    /// stepping; at rest every line is lit.
    pub fn dims_code(self) -> bool {
        self.at.is_some()
    }

    /// Words for the step control: "6 steps" at rest, else "Step 2 of 6".
    pub fn label(self) -> String {
        match self.at {
            None if self.total == 1 => "1 step".to_string(),
            None => format!("{} steps", self.total),
            Some(k) => format!("Step {k} of {}", self.total),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nav::command_for_key;
    use crate::print::PrintSteps;

    #[test]
    fn the_reading_view_keeps_its_scrolling_keys_and_the_help() {
        for (key, shift) in [
            (" ", false),
            ("ArrowDown", false),
            ("PageDown", false),
            ("End", false),
        ] {
            let command = command_for_key(key, shift);
            assert!(command.is_some_and(Command::is_move), "{key:?} is a move");
            assert!(
                !command.is_some_and(runs_in_reading_view),
                "{key:?} scrolls the page"
            );
        }
        for (key, shift) in [("o", false), ("g", false)] {
            assert!(
                !command_for_key(key, shift).is_some_and(runs_in_reading_view),
                "{key:?}"
            );
        }
        for (key, shift) in [("?", true), ("d", false), ("f", false), ("Escape", false)] {
            assert!(
                command_for_key(key, shift).is_some_and(runs_in_reading_view),
                "{key:?}"
            );
        }
    }

    const SHAPE: [usize; 4] = [0, 2, 0, 1];

    #[test]
    fn reading_urls_open_the_reading_view_and_others_are_positions() {
        let print = |steps, drawings| Route::Print(PrintRequest { steps, drawings });
        let read = |slide, click| Route::Reading(Some(Position { slide, click }));
        let cases = [
            ("#/read", Route::Reading(None), false),
            ("#/read/", Route::Reading(None), false),
            ("#read", Route::Reading(None), false),
            ("#/read/3", read(3, 0), false),
            ("#/read/3/", read(3, 0), false),
            ("#/read/2?clicks=2", read(2, 2), false),
            ("#/read/2?clicks=2&step=4&n=9", read(2, 2), false),
            ("#/read/2?clicks=5", read(2, 2), true),
            ("#/read/2?clicks=x", read(2, 0), true),
            ("#/read/9", read(4, 0), true),
            ("#/read/0", read(1, 0), true),
            ("#/read/x", Route::Reading(None), true),
            (
                "#/2?clicks=1",
                Route::Slides(Position { slide: 2, click: 1 }),
                false,
            ),
            ("", Route::Slides(Position::START), false),
            ("#/99", Route::Slides(Position { slide: 4, click: 0 }), true),
            ("#/print", print(PrintSteps::Slides, false), false),
            (
                "#/print?clicks=all",
                print(PrintSteps::Clicks, false),
                false,
            ),
            ("#/print?drawings", print(PrintSteps::Slides, true), false),
            ("#/print?x", print(PrintSteps::Slides, false), true),
            ("#/printer", Route::Slides(Position::START), true),
        ];
        for (hash, want, warned) in cases {
            let (got, message) = Route::from_hash(hash, &SHAPE);
            assert_eq!(got, want, "{hash}");
            assert_eq!(message.is_some(), warned, "{hash}: {message:?}");
        }
        let (_, message) = Route::from_hash("#/read/9", &SHAPE);
        assert_eq!(
            message.as_deref(),
            Some("Slide 9 does not exist (the deck has 4 slides); showing slide 4")
        );
        for (slide, &total) in (1..).zip(&SHAPE) {
            for click in 0..=total {
                let at = Position { slide, click };
                assert_eq!(
                    Route::from_hash(&reading_hash(at), &SHAPE),
                    (Route::Reading(Some(at)), None)
                );
            }
        }
        assert_eq!(
            reading_hash(Position { slide: 2, click: 1 }),
            "#/read/2?clicks=1"
        );
    }

    #[test]
    fn presenter_urls_open_the_presenter_view_at_a_position() {
        let cases = [
            ("#/presenter", Route::Presenter(Position::START), false),
            ("#/presenter/", Route::Presenter(Position::START), false),
            (
                "#/presenter/2?clicks=2",
                Route::Presenter(Position { slide: 2, click: 2 }),
                false,
            ),
            (
                "#/presenter/2?clicks=7",
                Route::Presenter(Position { slide: 2, click: 2 }),
                true,
            ),
            (
                "#/presenter/9",
                Route::Presenter(Position { slide: 4, click: 0 }),
                true,
            ),
            ("#/presenter/x", Route::Presenter(Position::START), true),
            ("#/presenters", Route::Slides(Position::START), true),
        ];
        for (hash, want, warned) in cases {
            let (got, message) = Route::from_hash(hash, &SHAPE);
            assert_eq!(got, want, "{hash}");
            assert_eq!(message.is_some(), warned, "{hash}: {message:?}");
        }
        assert_eq!(
            Route::from_hash("#/presenter/9", &SHAPE).1.as_deref(),
            Some("There is no slide 9; the deck has 4 slides. Showing slide 4.")
        );
        for at in [Position::START, Position { slide: 2, click: 1 }] {
            assert_eq!(
                Route::from_hash(&presenter_hash(at), &SHAPE),
                (Route::Presenter(at), None)
            );
        }
        assert_eq!(
            presenter_hash(Position { slide: 8, click: 2 }),
            "#/presenter/8?clicks=2"
        );
    }

    #[test]
    fn narrow_portrait_screens_open_the_reading_view_unless_slides_were_chosen() {
        assert!(opens_reading_view(true, false));
        assert!(!opens_reading_view(true, true));
        assert!(!opens_reading_view(false, false));
        assert!(!opens_reading_view(false, true));
    }

    #[test]
    fn the_slide_in_view_is_the_last_one_started_above_the_line() {
        let tops = [-900.0, -200.0, 150.0, 700.0];
        assert_eq!(slide_in_view(&tops, 100.0), 2);
        assert_eq!(slide_in_view(&tops, 150.0), 3);
        assert_eq!(
            slide_in_view(&[40.0, 900.0], 10.0),
            1,
            "the first at the top"
        );
        assert_eq!(slide_in_view(&[], 10.0), 1);
    }

    #[test]
    fn steps_rest_at_everything_shown_and_step_one_click_at_a_time() {
        let rest = Steps::new(3);
        assert_eq!((rest.click(), rest.dims_code()), (3, false));
        assert_eq!(rest.label(), "3 steps");
        let mut s = rest.apply(StepAction::Start);
        let mut seen = vec![s.click()];
        while s.at.is_some() {
            s = s.apply(StepAction::Next);
            seen.push(s.click());
            assert!(seen.len() < 10, "stepping ends");
        }
        assert_eq!(seen, [0, 1, 2, 3, 3], "one click per step, then at rest");
        assert_eq!(s, rest);
        let stepping = rest.apply(StepAction::Start).apply(StepAction::Next);
        assert_eq!(stepping.label(), "Step 1 of 3");
        assert!(stepping.dims_code());
        assert_eq!(stepping.apply(StepAction::Back).click(), 0);
        assert_eq!(
            stepping
                .apply(StepAction::Back)
                .apply(StepAction::Back)
                .click(),
            0
        );
        assert_eq!(stepping.apply(StepAction::ShowAll), rest);
        assert_eq!(rest.apply(StepAction::Back), rest);
        assert_eq!(Steps::new(1).label(), "1 step");
    }

    #[test]
    fn a_slide_url_with_clicks_resumes_stepping_there() {
        assert_eq!(
            Steps::resumed(4, 2),
            Steps {
                total: 4,
                at: Some(2)
            }
        );
        assert_eq!(Steps::resumed(4, 9).click(), 4, "never past the last click");
        assert!(Steps::resumed(4, 9).dims_code());
        assert_eq!(Steps::resumed(4, 0), Steps::new(4));
    }
}
