//! Moving through a deck: positions, commands, the key map and gestures,
//! overlays, `#/N?clicks=K` URLs and what a screen reader hears, as in Slidev.
//!
//! A deck's shape is the number of clicks of each slide (`clicks[i]` for
//! slide `i + 1`). Every function here returns a valid position for that
//! shape, whatever it is given.

use crate::figure_nav::FIGURE_KEYS;
use crate::model::Deck;

/// Where the presenter is: a 1-based slide and the clicks taken on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Position {
    /// 1-based slide number.
    pub slide: usize,
    /// Clicks taken on that slide (0 = none yet).
    pub click: usize,
}

/// What a key press or gesture asks the player to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Next click, or the next slide after the last click.
    Next,
    /// Previous click, or the previous slide at its last click.
    Prev,
    /// Next slide, at its first click.
    NextSlide,
    /// Previous slide, at its first click.
    PrevSlide,
    /// First slide.
    First,
    /// Last slide.
    Last,
    /// Open or close the overview grid.
    ToggleOverview,
    /// Open the "go to slide" box.
    OpenGoTo,
    /// Switch between light and dark.
    ToggleDark,
    /// Enter or leave fullscreen.
    ToggleFullscreen,
    /// Open or close the list of keys and gestures.
    ToggleHelp,
    /// Open or close the table of contents.
    ToggleToc,
    /// Open the presenter view in a second window.
    OpenPresenter,
    /// Start or stop drawing on the slide.
    ToggleDrawing,
    /// Close every overlay.
    CloseOverlays,
}

impl Command {
    /// What the command does, as the help and the README say it.
    pub fn action(self) -> &'static str {
        match self {
            Command::Next => "next click, then next slide",
            Command::Prev => "previous click, then previous slide (at its last click)",
            Command::NextSlide => "next slide",
            Command::PrevSlide => "previous slide",
            Command::First => "first slide",
            Command::Last => "last slide",
            Command::ToggleOverview => "overview of all slides",
            Command::OpenGoTo => "go to a slide by number",
            Command::ToggleDark => "dark mode (remembered)",
            Command::ToggleFullscreen => "fullscreen",
            Command::ToggleHelp => "this list of keys and gestures",
            Command::ToggleToc => "table of contents",
            Command::OpenPresenter => "presenter view, in a second window the others follow",
            Command::ToggleDrawing => "draw on the slide (pen, highlighter), or stop",
            Command::CloseOverlays => "close overlays",
        }
    }

    /// Whether the command moves the position (rather than opening or
    /// switching something).
    pub fn is_move(self) -> bool {
        matches!(
            self,
            Command::Next
                | Command::Prev
                | Command::NextSlide
                | Command::PrevSlide
                | Command::First
                | Command::Last
        )
    }

    /// Whether the command runs while `open` is on screen: a modal overlay
    /// covers the slide, so moves wait until it closes.
    pub fn runs_under(self, open: Option<Overlay>) -> bool {
        !(self.is_move() && open.is_some_and(Overlay::is_modal))
    }
}

/// What can cover the slide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    /// The grid of all slides.
    Overview,
    /// The "go to slide" box.
    GoTo,
    /// The list of keys and gestures.
    Help,
    /// The table of contents.
    Toc,
}

impl Overlay {
    /// Whether it covers the deck and keeps the focus inside (the go-to box
    /// is a single field that closes when it loses focus).
    pub fn is_modal(self) -> bool {
        matches!(self, Overlay::Overview | Overlay::Help | Overlay::Toc)
    }

    /// The overlay on screen after `command` when `open` is: at most one
    /// shows at a time, and a toggle closes its own overlay.
    pub fn after(open: Option<Overlay>, command: Command) -> Option<Overlay> {
        let toggle = |overlay| (open != Some(overlay)).then_some(overlay);
        match command {
            Command::ToggleOverview => toggle(Overlay::Overview),
            Command::ToggleHelp => toggle(Overlay::Help),
            Command::ToggleToc => toggle(Overlay::Toc),
            Command::OpenGoTo => Some(Overlay::GoTo),
            Command::CloseOverlays => None,
            _ => open,
        }
    }
}

/// One key of the key map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyBinding {
    /// The DOM `KeyboardEvent.key`, letters in lower case.
    pub key: &'static str,
    /// `Some(true)`: only with Shift; `Some(false)`: only without; `None`: either.
    pub shift: Option<bool>,
    /// What the key does.
    pub command: Command,
}

const fn bind(key: &'static str, shift: Option<bool>, command: Command) -> KeyBinding {
    KeyBinding {
        key,
        shift,
        command,
    }
}

/// Slidev's key map, plus `?` for help, `t` for the table of contents, `s`
/// for the presenter (speaker) view as in reveal.js, and `c` to draw. The player, the help overlay and the
/// README's key table all come from this one table.
pub const KEY_MAP: [KeyBinding; 21] = [
    bind(" ", Some(false), Command::Next),
    bind("ArrowRight", Some(false), Command::Next),
    bind("PageDown", None, Command::Next),
    bind(" ", Some(true), Command::Prev),
    bind("ArrowLeft", Some(false), Command::Prev),
    bind("PageUp", None, Command::Prev),
    bind("ArrowDown", None, Command::NextSlide),
    bind("ArrowRight", Some(true), Command::NextSlide),
    bind("ArrowUp", None, Command::PrevSlide),
    bind("ArrowLeft", Some(true), Command::PrevSlide),
    bind("Home", None, Command::First),
    bind("End", None, Command::Last),
    bind("o", None, Command::ToggleOverview),
    bind("g", None, Command::OpenGoTo),
    bind("d", None, Command::ToggleDark),
    bind("f", None, Command::ToggleFullscreen),
    bind("?", None, Command::ToggleHelp),
    bind("t", None, Command::ToggleToc),
    bind("s", None, Command::OpenPresenter),
    bind("c", None, Command::ToggleDrawing),
    bind("Escape", None, Command::CloseOverlays),
];

impl KeyBinding {
    /// Whether a key press of `key` (canonical form) with `shift` is this binding.
    fn matches(&self, key: &str, shift: bool) -> bool {
        self.key == key && self.shift.is_none_or(|s| s == shift)
    }

    /// How the help writes the key, e.g. `Shift+→`.
    pub fn label(&self) -> String {
        let name = match self.key {
            " " => "Space",
            "ArrowRight" => "→",
            "ArrowLeft" => "←",
            "ArrowDown" => "↓",
            "ArrowUp" => "↑",
            other => other,
        };
        if self.shift == Some(true) {
            format!("Shift+{name}")
        } else {
            name.to_string()
        }
    }
}

/// The command for a key press: `key` is the DOM `KeyboardEvent.key`.
pub fn command_for_key(key: &str, shift: bool) -> Option<Command> {
    // Old Edge names Space "Spacebar"; Shift or Caps Lock make letters upper case.
    let key = if key == "Spacebar" {
        " ".to_string()
    } else if key.chars().count() == 1 {
        key.to_ascii_lowercase()
    } else {
        key.to_string()
    };
    KEY_MAP
        .iter()
        .find(|b| b.matches(&key, shift))
        .map(|b| b.command)
}

/// Inputs that are not keys of [`KEY_MAP`]: the overview's own keys, the
/// click and tap zones, swipes and the control bar.
pub const GESTURES: [(&str, &str); 5] = [
    (
        "←, →, ↑, ↓, Enter in the overview",
        "move between slides, go to the chosen one",
    ),
    (
        "Click or tap the right two thirds of a slide",
        "next click, then next slide",
    ),
    (
        "Click or tap the left third of a slide",
        "previous click, then previous slide",
    ),
    ("Swipe left / right", "next / previous click, then slide"),
    (
        "Move the pointer, or tap",
        "show the control bar (bottom left) for a few seconds",
    ),
];

/// One line of the help: an input and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpRow {
    /// The keys or gesture, e.g. `Space, →, PageDown`.
    pub input: String,
    /// What it does.
    pub action: &'static str,
}

/// Every key and gesture: one row per command of [`KEY_MAP`] (its keys in
/// table order), then the live figures' keys ([`FIGURE_KEYS`]), then the
/// [`GESTURES`].
pub fn help() -> Vec<HelpRow> {
    let mut rows: Vec<(Command, Vec<String>)> = Vec::new();
    for binding in KEY_MAP {
        match rows.iter_mut().find(|(c, _)| *c == binding.command) {
            Some((_, keys)) => keys.push(binding.label()),
            None => rows.push((binding.command, vec![binding.label()])),
        }
    }
    let keys = rows.into_iter().map(|(command, keys)| HelpRow {
        input: keys.join(", "),
        action: command.action(),
    });
    let figure_keys = FIGURE_KEYS.iter().map(|&(key, _, action)| HelpRow {
        input: key.to_string(),
        action,
    });
    let gestures = GESTURES.iter().map(|&(input, action)| HelpRow {
        input: input.to_string(),
        action,
    });
    keys.chain(figure_keys).chain(gestures).collect()
}

/// Where the overview's cursor goes on `key` from `cursor` (1-based) in a
/// grid `columns` wide holding `count` slides; `None` for other keys.
pub fn overview_cursor(key: &str, cursor: usize, columns: usize, count: usize) -> Option<usize> {
    let columns = columns.max(1);
    let moved = match key {
        "ArrowRight" => cursor.saturating_add(1),
        "ArrowLeft" => cursor.saturating_sub(1),
        "ArrowDown" => cursor.saturating_add(columns),
        "ArrowUp" if cursor > columns => cursor - columns,
        "ArrowUp" => cursor,
        _ => return None,
    };
    Some(moved.clamp(1, count.max(1)))
}

/// The command for a horizontal swipe of `dx` CSS pixels (`None` under 50).
pub fn command_for_swipe(dx: f64, dy: f64) -> Option<Command> {
    if dx.abs() < 50.0 || dx.abs() < dy.abs() {
        None
    } else if dx < 0.0 {
        Some(Command::Next)
    } else {
        Some(Command::Prev)
    }
}

/// The command for a click or tap at `x_fraction` of the slide's width
/// (0 = left edge, 1 = right edge): the left third goes back, the right two
/// thirds go on; `None` outside the slide.
pub fn command_for_tap(x_fraction: f64) -> Option<Command> {
    if !(0.0..=1.0).contains(&x_fraction) {
        None
    } else if x_fraction < 1.0 / 3.0 {
        Some(Command::Prev)
    } else {
        Some(Command::Next)
    }
}

/// What a screen reader hears at `at`, e.g.
/// "Slide 8 of 26, Container Runtime, click 2 of 4" (no title or clicks when
/// the slide has none).
pub fn announcement(deck: &Deck, at: Position) -> String {
    let mut text = format!("Slide {} of {}", at.slide, deck.slides.len());
    let slide = at.slide.checked_sub(1).and_then(|i| deck.slides.get(i));
    if let Some(title) = slide.and_then(|s| s.title.as_deref()) {
        text.push_str(", ");
        text.push_str(title);
    }
    if let Some(clicks) = slide.map(|s| s.clicks).filter(|&c| c > 0) {
        text.push_str(&format!(", click {} of {clicks}", at.click));
    }
    text
}

/// What the presenter view previews from `here` in a deck shaped `clicks`:
/// the position the next click leads to, and what it says of it ("Next:
/// click 2 of 4", "Next: slide 9", or "End of deck", with no position).
pub fn next_preview(here: Position, clicks: &[usize]) -> (Option<Position>, String) {
    let here = here.clamp(clicks);
    let next = here.apply(Command::Next, clicks);
    if next == here {
        (None, "End of deck".to_string())
    } else if next.slide == here.slide {
        let total = clicks.get(here.slide - 1).copied().unwrap_or(0);
        (Some(next), format!("Next: click {} of {total}", next.click))
    } else {
        (Some(next), format!("Next: slide {}", next.slide))
    }
}

impl Position {
    /// The first slide, no clicks.
    pub const START: Position = Position { slide: 1, click: 0 };

    /// The nearest valid position for a deck shaped `clicks`.
    pub fn clamp(self, clicks: &[usize]) -> Position {
        if clicks.is_empty() {
            return Position::START;
        }
        let slide = self.slide.clamp(1, clicks.len());
        Position {
            slide,
            click: self.click.min(clicks[slide - 1]),
        }
    }

    /// Where `command` leads from here; commands that do not move return `self`.
    pub fn apply(self, command: Command, clicks: &[usize]) -> Position {
        let here = self.clamp(clicks);
        let last_slide = clicks.len().max(1);
        let clicks_of = |slide: usize| clicks.get(slide.wrapping_sub(1)).copied().unwrap_or(0);
        match command {
            Command::Next if here.click < clicks_of(here.slide) => Position {
                click: here.click + 1,
                ..here
            },
            Command::Next if here.slide < last_slide => Position {
                slide: here.slide + 1,
                click: 0,
            },
            Command::Prev if here.click > 0 => Position {
                click: here.click - 1,
                ..here
            },
            Command::Prev if here.slide > 1 => Position {
                slide: here.slide - 1,
                click: clicks_of(here.slide - 1),
            },
            Command::NextSlide if here.slide < last_slide => Position {
                slide: here.slide + 1,
                click: 0,
            },
            Command::PrevSlide if here.slide > 1 => Position {
                slide: here.slide - 1,
                click: 0,
            },
            Command::First => Position::START,
            Command::Last => Position {
                slide: last_slide,
                click: 0,
            },
            _ => here,
        }
    }

    /// The URL hash for this position: `#/N`, or `#/N?clicks=K` after clicks.
    pub fn to_hash(self) -> String {
        if self.click == 0 {
            format!("#/{}", self.slide)
        } else {
            format!("#/{}?clicks={}", self.slide, self.click)
        }
    }

    /// Reads a URL hash (`#/N`, `#/N?clicks=K`), landing on the nearest valid
    /// position. When the hash was not exact, the message says, in sentences,
    /// what was wrong and what is shown instead.
    pub fn from_hash(hash: &str, clicks: &[usize]) -> (Position, Option<String>) {
        let body = hash.trim_start_matches('#').trim_start_matches('/');
        if body.is_empty() {
            return (Position::START.clamp(clicks), None);
        }
        let (slide_part, query) = body.split_once('?').unwrap_or((body, ""));
        let slide_part = slide_part.trim_end_matches('/');
        let mut click = 0;
        let mut url_problems = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("clicks", v)) => match v.parse::<usize>() {
                    Ok(k) => click = k,
                    Err(_) => url_problems.push(format!("“clicks={v}” is not a click count.")),
                },
                // The slide's live figure reads and checks its own parameters.
                Some((key, _)) if crate::figure_nav::is_figure_param(key) => {}
                _ => url_problems.push(format!("The URL parameter “{pair}” is not known.")),
            }
        }
        let count = clicks.len();
        let slides = if count == 1 { "slide" } else { "slides" };
        // A missing slide lands on the nearest one, at its start; a missing
        // click on the slide's nearest click, in a sentence that says so.
        let (got, problem, outcome_told) = match slide_part.parse::<usize>() {
            Err(_) => (
                Position::START.clamp(clicks),
                Some(format!("There is no slide “{slide_part}”.")),
                false,
            ),
            Ok(n) if n == 0 || n > count => (
                Position { slide: n, click: 0 }.clamp(clicks),
                Some(format!(
                    "There is no slide {n}; the deck has {count} {slides}."
                )),
                false,
            ),
            Ok(n) => {
                let got = Position { slide: n, click }.clamp(clicks);
                let missing_click = (got.click != click).then(|| {
                    let shown = if got.click == 0 {
                        "its first click".to_string()
                    } else {
                        format!("click {}, its last", got.click)
                    };
                    format!("Slide {n} has no click {click}; showing {shown}.")
                });
                let told = missing_click.is_some();
                (got, missing_click, told)
            }
        };
        let mut sentences: Vec<String> = problem.into_iter().chain(url_problems).collect();
        if sentences.is_empty() {
            return (got, None);
        }
        if !outcome_told {
            sentences.push(if got.click == 0 {
                format!("Showing slide {}.", got.slide)
            } else {
                format!("Showing slide {}, click {}.", got.slide, got.click)
            });
        }
        (got, Some(sentences.join(" ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHAPE: [usize; 4] = [0, 2, 0, 1];

    fn at(slide: usize, click: usize) -> Position {
        Position { slide, click }
    }

    #[test]
    fn next_and_prev_walk_clicks_then_slides() {
        let mut p = Position::START;
        let mut seen = vec![p];
        while p.apply(Command::Next, &SHAPE) != p {
            p = p.apply(Command::Next, &SHAPE);
            seen.push(p);
        }
        assert_eq!(
            seen,
            vec![
                at(1, 0),
                at(2, 0),
                at(2, 1),
                at(2, 2),
                at(3, 0),
                at(4, 0),
                at(4, 1)
            ]
        );
        let mut back = vec![p];
        while p.apply(Command::Prev, &SHAPE) != p {
            p = p.apply(Command::Prev, &SHAPE);
            back.push(p);
        }
        back.reverse();
        assert_eq!(back, seen, "prev lands on the previous slide's last click");
    }

    #[test]
    fn the_preview_is_the_next_click_then_the_next_slide_then_the_end() {
        assert_eq!(
            next_preview(at(2, 0), &SHAPE),
            (Some(at(2, 1)), "Next: click 1 of 2".to_string())
        );
        assert_eq!(
            next_preview(at(2, 2), &SHAPE),
            (Some(at(3, 0)), "Next: slide 3".to_string())
        );
        assert_eq!(
            next_preview(at(4, 1), &SHAPE),
            (None, "End of deck".to_string())
        );
        assert_eq!(next_preview(at(9, 9), &SHAPE).1, "End of deck", "clamped");
    }

    #[test]
    fn slide_jumps_reset_clicks() {
        assert_eq!(at(2, 1).apply(Command::NextSlide, &SHAPE), at(3, 0));
        assert_eq!(at(2, 1).apply(Command::PrevSlide, &SHAPE), at(1, 0));
        assert_eq!(at(1, 0).apply(Command::PrevSlide, &SHAPE), at(1, 0));
        assert_eq!(at(3, 0).apply(Command::Last, &SHAPE), at(4, 0));
        assert_eq!(at(3, 0).apply(Command::First, &SHAPE), at(1, 0));
        assert_eq!(at(3, 0).apply(Command::ToggleDark, &SHAPE), at(3, 0));
    }

    #[test]
    fn keys_map_as_in_slidev() {
        let table = [
            (" ", false, Some(Command::Next)),
            (" ", true, Some(Command::Prev)),
            ("ArrowRight", false, Some(Command::Next)),
            ("PageDown", false, Some(Command::Next)),
            ("ArrowLeft", false, Some(Command::Prev)),
            ("PageUp", false, Some(Command::Prev)),
            ("ArrowDown", false, Some(Command::NextSlide)),
            ("ArrowRight", true, Some(Command::NextSlide)),
            ("ArrowLeft", true, Some(Command::PrevSlide)),
            ("ArrowUp", false, Some(Command::PrevSlide)),
            ("o", false, Some(Command::ToggleOverview)),
            ("g", false, Some(Command::OpenGoTo)),
            ("d", false, Some(Command::ToggleDark)),
            ("f", false, Some(Command::ToggleFullscreen)),
            ("Escape", false, Some(Command::CloseOverlays)),
            ("?", true, Some(Command::ToggleHelp)),
            ("O", true, Some(Command::ToggleOverview)),
            ("Spacebar", true, Some(Command::Prev)),
            ("Home", false, Some(Command::First)),
            ("End", true, Some(Command::Last)),
            ("t", false, Some(Command::ToggleToc)),
            ("s", false, Some(Command::OpenPresenter)),
            ("C", true, Some(Command::ToggleDrawing)),
            ("x", false, None),
            ("Enter", false, None),
        ];
        for (key, shift, want) in table {
            assert_eq!(command_for_key(key, shift), want, "{key:?} shift={shift}");
        }
    }

    #[test]
    fn no_key_press_matches_two_bindings() {
        for a in KEY_MAP {
            for shift in [false, true] {
                let matching = KEY_MAP.iter().filter(|b| b.matches(a.key, shift)).count();
                assert!(matching <= 1, "{:?} shift={shift}", a.key);
            }
        }
    }

    #[test]
    fn the_help_lists_every_binding_once_per_command_then_the_gestures() {
        let rows = help();
        let mut commands: Vec<Command> = Vec::new();
        for b in KEY_MAP {
            if !commands.contains(&b.command) {
                commands.push(b.command);
            }
        }
        assert_eq!(
            rows.len(),
            commands.len() + FIGURE_KEYS.len() + GESTURES.len()
        );
        for (row, command) in rows.iter().zip(&commands) {
            assert_eq!(row.action, command.action());
            for b in KEY_MAP.iter().filter(|b| b.command == *command) {
                assert!(row.input.split(", ").any(|k| k == b.label()), "{row:?}");
            }
        }
        assert_eq!(rows[0].input, "Space, →, PageDown");
        assert_eq!(rows[1].input, "Shift+Space, ←, PageUp");
        assert_eq!(rows[2].input, "↓, Shift+→");
        let figure_rows = &rows[commands.len()..commands.len() + FIGURE_KEYS.len()];
        for (row, (key, _, action)) in figure_rows.iter().zip(FIGURE_KEYS) {
            assert_eq!((row.input.as_str(), row.action), (key, action));
        }
        let gesture_rows = &rows[commands.len() + FIGURE_KEYS.len()..];
        for (row, (input, action)) in gesture_rows.iter().zip(GESTURES) {
            assert_eq!((row.input.as_str(), row.action), (input, action));
        }
    }

    #[test]
    fn figure_keys_are_none_of_the_decks() {
        for (key, _, _) in FIGURE_KEYS {
            for shift in [false, true] {
                assert_eq!(command_for_key(key, shift), None, "{key}");
            }
        }
    }

    #[test]
    fn the_readme_key_tables_are_the_help() {
        let readme = include_str!("../../../README.md").replace('`', "");
        let table = |header: &str| -> Vec<String> {
            readme
                .lines()
                .skip_while(|l| *l != header)
                .skip(2)
                .take_while(|l| l.starts_with('|'))
                .map(str::to_string)
                .collect()
        };
        let mut documented = table("| key | action |");
        documented.extend(table("| gesture | action |"));
        let rows: Vec<String> = help()
            .iter()
            .map(|r| format!("| {} | {} |", r.input, r.action))
            .collect();
        assert_eq!(documented, rows);
    }

    #[test]
    fn overlays_show_one_at_a_time_and_toggles_close_their_own() {
        use Overlay::*;
        let cases = [
            (None, Command::ToggleOverview, Some(Overview)),
            (Some(Overview), Command::ToggleOverview, None),
            (Some(Overview), Command::ToggleHelp, Some(Help)),
            (Some(Help), Command::ToggleHelp, None),
            (Some(Help), Command::OpenGoTo, Some(GoTo)),
            (Some(GoTo), Command::ToggleOverview, Some(Overview)),
            (Some(Overview), Command::ToggleToc, Some(Toc)),
            (Some(Toc), Command::ToggleToc, None),
            (Some(Toc), Command::ToggleDrawing, Some(Toc)),
            (Some(Help), Command::CloseOverlays, None),
            (Some(Overview), Command::ToggleDark, Some(Overview)),
            (None, Command::Next, None),
        ];
        for (open, command, want) in cases {
            assert_eq!(Overlay::after(open, command), want, "{open:?} {command:?}");
        }
    }

    #[test]
    fn moves_wait_while_a_modal_overlay_is_open() {
        assert!(Command::Next.runs_under(None));
        assert!(Command::Next.runs_under(Some(Overlay::GoTo)));
        assert!(!Command::Next.runs_under(Some(Overlay::Overview)));
        assert!(!Command::Last.runs_under(Some(Overlay::Help)));
        assert!(!Command::Next.runs_under(Some(Overlay::Toc)));
        assert!(Command::ToggleDark.runs_under(Some(Overlay::Help)));
        assert!(Command::CloseOverlays.runs_under(Some(Overlay::Overview)));
    }

    #[test]
    fn taps_go_back_on_the_left_third_and_on_elsewhere() {
        assert_eq!(command_for_tap(0.0), Some(Command::Prev));
        assert_eq!(command_for_tap(0.33), Some(Command::Prev));
        assert_eq!(command_for_tap(0.34), Some(Command::Next));
        assert_eq!(command_for_tap(0.9), Some(Command::Next));
        assert_eq!(command_for_tap(1.0), Some(Command::Next));
        assert_eq!(command_for_tap(-0.01), None);
        assert_eq!(command_for_tap(1.2), None);
        assert_eq!(command_for_tap(f64::NAN), None);
    }

    #[test]
    fn the_announcement_names_the_slide_its_title_and_the_click() {
        let deck = crate::parse_deck(
            "# Cover\n\n---\n\n# Steps\n\n```sh {1|2|3}\na\nb\nc\n```\n\n---\n\nno heading\n",
        );
        assert_eq!(announcement(&deck, at(1, 0)), "Slide 1 of 3, Cover");
        assert_eq!(
            announcement(&deck, at(2, 1)),
            "Slide 2 of 3, Steps, click 1 of 2"
        );
        assert_eq!(
            announcement(&deck, at(2, 0)),
            "Slide 2 of 3, Steps, click 0 of 2"
        );
        assert_eq!(announcement(&deck, at(3, 0)), "Slide 3 of 3");
    }

    #[test]
    fn the_overview_cursor_moves_in_its_grid_and_stays_inside() {
        let cases = [
            ("ArrowRight", 3, Some(4)),
            ("ArrowLeft", 3, Some(2)),
            ("ArrowLeft", 1, Some(1)),
            ("ArrowDown", 3, Some(8)),
            ("ArrowDown", 24, Some(26)),
            ("ArrowUp", 8, Some(3)),
            ("ArrowUp", 4, Some(4)),
            ("ArrowRight", 26, Some(26)),
            ("x", 3, None),
        ];
        for (key, from, want) in cases {
            assert_eq!(overview_cursor(key, from, 5, 26), want, "{key} from {from}");
        }
        assert_eq!(
            overview_cursor("ArrowDown", 1, 0, 3),
            Some(2),
            "at least one column"
        );
    }

    #[test]
    fn swipes_need_a_clear_horizontal_move() {
        assert_eq!(command_for_swipe(-80.0, 10.0), Some(Command::Next));
        assert_eq!(command_for_swipe(80.0, 10.0), Some(Command::Prev));
        assert_eq!(command_for_swipe(30.0, 0.0), None);
        assert_eq!(command_for_swipe(60.0, 90.0), None);
    }

    #[test]
    fn hashes_round_trip_and_bad_ones_land_nearby() {
        for p in [at(1, 0), at(2, 2), at(4, 1)] {
            assert_eq!(Position::from_hash(&p.to_hash(), &SHAPE), (p, None));
        }
        assert_eq!(at(2, 1).to_hash(), "#/2?clicks=1");
        let cases = [
            ("", at(1, 0), false),
            ("#/", at(1, 0), false),
            ("#/99", at(4, 0), true),
            ("#/0", at(1, 0), true),
            ("#/2?clicks=9", at(2, 2), true),
            ("#/abc", at(1, 0), true),
            ("#/3?clicks=x", at(3, 0), true),
            ("#/3?colour=1", at(3, 0), true),
            ("#/3?step=4&q=1", at(3, 0), false),
        ];
        for (hash, want, warned) in cases {
            let (got, message) = Position::from_hash(hash, &SHAPE);
            assert_eq!(got, want, "{hash}");
            assert_eq!(message.is_some(), warned, "{hash}: {message:?}");
        }
        let messages = [
            ("#/99", "There is no slide 99; the deck has 4 slides. Showing slide 4."),
            ("#/99?clicks=1", "There is no slide 99; the deck has 4 slides. Showing slide 4."),
            ("#/0", "There is no slide 0; the deck has 4 slides. Showing slide 1."),
            ("#/3?clicks=3", "Slide 3 has no click 3; showing its first click."),
            ("#/2?clicks=9", "Slide 2 has no click 9; showing click 2, its last."),
            ("#/abc", "There is no slide “abc”. Showing slide 1."),
            ("#/3?clicks=x", "“clicks=x” is not a click count. Showing slide 3."),
            (
                "#/2?clicks=1&colour=1",
                "The URL parameter “colour=1” is not known. Showing slide 2, click 1.",
            ),
            (
                "#/4?clicks=5&x",
                "Slide 4 has no click 5; showing click 1, its last. The URL parameter “x” is not known.",
            ),
        ];
        for (hash, want) in messages {
            assert_eq!(
                Position::from_hash(hash, &SHAPE).1.as_deref(),
                Some(want),
                "{hash}"
            );
        }
        assert_eq!(
            Position::from_hash("#/2", &[0]).1.as_deref(),
            Some("There is no slide 2; the deck has 1 slide. Showing slide 1.")
        );
        assert_eq!(Position::from_hash("#/3", &[]).0, Position::START);
    }
}
