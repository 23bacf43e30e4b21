//! Moving through a deck: positions, commands, keys and URLs, as in Slidev.
//!
//! A deck's shape is the number of clicks of each slide (`clicks[i]` for
//! slide `i + 1`). Every function here returns a valid position for that
//! shape, whatever it is given.

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
    /// Close every overlay.
    CloseOverlays,
}

/// Slidev's key map: `key` is the DOM `KeyboardEvent.key`.
pub fn command_for_key(key: &str, shift: bool) -> Option<Command> {
    Some(match key {
        " " | "Spacebar" if shift => Command::Prev,
        "ArrowRight" if shift => Command::NextSlide,
        "ArrowLeft" if shift => Command::PrevSlide,
        " " | "Spacebar" | "ArrowRight" | "PageDown" => Command::Next,
        "ArrowLeft" | "PageUp" => Command::Prev,
        "ArrowDown" => Command::NextSlide,
        "ArrowUp" => Command::PrevSlide,
        "Home" => Command::First,
        "End" => Command::Last,
        "o" | "O" => Command::ToggleOverview,
        "g" | "G" => Command::OpenGoTo,
        "d" | "D" => Command::ToggleDark,
        "f" | "F" => Command::ToggleFullscreen,
        "Escape" => Command::CloseOverlays,
        _ => return None,
    })
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
    /// position. The message says what was wrong when the hash was not exact.
    pub fn from_hash(hash: &str, clicks: &[usize]) -> (Position, Option<String>) {
        let body = hash.trim_start_matches('#').trim_start_matches('/');
        if body.is_empty() {
            return (Position::START.clamp(clicks), None);
        }
        let (slide_part, query) = body.split_once('?').unwrap_or((body, ""));
        let mut problems = Vec::new();
        let slide = match slide_part.trim_end_matches('/').parse::<usize>() {
            Ok(n) => n,
            Err(_) => {
                problems.push(format!("`{slide_part}` is not a slide number"));
                1
            }
        };
        let mut click = 0;
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("clicks", v)) => match v.parse::<usize>() {
                    Ok(k) => click = k,
                    Err(_) => problems.push(format!("`clicks={v}` is not a click count")),
                },
                _ => problems.push(format!("unknown URL parameter `{pair}`")),
            }
        }
        let wanted = Position { slide, click };
        let got = wanted.clamp(clicks);
        if problems.is_empty() && got != wanted {
            problems.push(format!(
                "slide {slide}, click {click} does not exist (the deck has {} slides)",
                clicks.len()
            ));
        }
        let message = (!problems.is_empty()).then(|| {
            format!(
                "{}; showing slide {}, click {}",
                problems.join("; "),
                got.slide,
                got.click
            )
        });
        (got, message)
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
            ("x", false, None),
        ];
        for (key, shift, want) in table {
            assert_eq!(command_for_key(key, shift), want, "{key:?} shift={shift}");
        }
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
            ("#/3?foo=1", at(3, 0), true),
        ];
        for (hash, want, warned) in cases {
            let (got, message) = Position::from_hash(hash, &SHAPE);
            assert_eq!(got, want, "{hash}");
            assert_eq!(message.is_some(), warned, "{hash}: {message:?}");
        }
        assert_eq!(Position::from_hash("#/3", &[]).0, Position::START);
    }
}
