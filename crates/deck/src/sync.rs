//! Windows of one deck following its presenter window, without a server.
//!
//! The presenter window sends [`SyncMessage`]s (its position, its live
//! figure's URL parameters, its drawings) on a channel of the browser that
//! only windows of the same site in the same browser hear; the others follow
//! it as their [`Follower`] decides. A visitor of the public site is never
//! moved by anyone else: no message leaves their browser.
//!
//! Messages are untrusted text: one that is too long, of another protocol or
//! malformed is ignored, with the reason.

use crate::drawing::{decode_strokes, encode_strokes, Stroke};
use crate::nav::Position;

/// The first word of every message.
pub const PROTOCOL: &str = "simdeck1";
/// The longest message read, in bytes.
pub const MAX_MESSAGE: usize = 128 * 1024;

/// The channel a deck's windows share: `simdeck-` and a hash of its title
/// (FNV-1a, 32 bits, in hex), so two decks on one site keep apart.
pub fn channel_name(title: &str) -> String {
    let hash = title.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    format!("simdeck-{hash:08x}")
}

/// What one window of the deck tells the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncMessage {
    /// Where the presenter is, and its live figure's URL parameters there
    /// (`step=3&seed=9`, empty at the click's own step).
    State {
        /// The presenter's position.
        at: Position,
        /// The figure's parameters, as the URL carries them.
        figure: String,
    },
    /// The strokes drawn at a position (all of them: empty once cleared).
    Drawing {
        /// Where they are drawn.
        at: Position,
        /// The strokes, oldest first.
        strokes: Vec<Stroke>,
    },
    /// A window that has just opened asks the presenter where it is.
    Hello,
}

impl SyncMessage {
    /// The message as one line of text, e.g. `simdeck1 state 8 2 step=3`.
    pub fn encode(&self) -> String {
        match self {
            SyncMessage::State { at, figure } => {
                format!("{PROTOCOL} state {} {} {figure}", at.slide, at.click)
            }
            SyncMessage::Drawing { at, strokes } => format!(
                "{PROTOCOL} draw {} {} {}",
                at.slide,
                at.click,
                encode_strokes(strokes)
            ),
            SyncMessage::Hello => format!("{PROTOCOL} hello"),
        }
    }

    /// Reads a message written by [`SyncMessage::encode`]; says why not.
    pub fn decode(text: &str) -> Result<SyncMessage, String> {
        if text.len() > MAX_MESSAGE {
            return Err(format!(
                "a message of {} bytes is longer than {MAX_MESSAGE}",
                text.len()
            ));
        }
        let mut words = text.splitn(5, ' ');
        match words.next() {
            Some(PROTOCOL) => {}
            other => {
                return Err(format!(
                    "“{}” is not this deck's protocol ({PROTOCOL})",
                    other.unwrap_or_default()
                ))
            }
        }
        let kind = words.next().unwrap_or_default();
        if kind == "hello" {
            return Ok(SyncMessage::Hello);
        }
        let mut number = |what: &str| {
            let word = words.next().unwrap_or_default();
            word.parse::<usize>()
                .map_err(|_| format!("the {what} “{word}” is not a number"))
        };
        let at = match kind {
            "state" | "draw" => Position {
                slide: number("slide")?,
                click: number("click")?,
            },
            _ => return Err(format!("“{kind}” is no kind of message")),
        };
        let rest = words.next().unwrap_or_default();
        if kind == "state" {
            Ok(SyncMessage::State {
                at,
                figure: rest.to_string(),
            })
        } else {
            let strokes = decode_strokes(rest)?;
            Ok(SyncMessage::Drawing { at, strokes })
        }
    }
}

/// A window's part in following.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The presenter window: it drives, and follows no one.
    Presenter,
    /// A window that follows the presenter.
    Audience,
    /// An audience window exploring on its own until it snaps back.
    Detached,
}

/// What a window does with a message it hears.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reaction {
    /// Go to this position, with these figure parameters.
    Follow(Position, String),
    /// Show these strokes at this position.
    Draw(Position, Vec<Stroke>),
    /// Send the presenter's state and drawings (to a window that said hello).
    Answer,
    /// Nothing, for the reason given.
    Ignore(&'static str),
}

/// A window's role and the presenter's latest state, for snapping back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Follower {
    /// The window's part.
    pub role: Role,
    /// The presenter's last state heard.
    latest: Option<(Position, String)>,
}

impl Follower {
    /// A window in `role` that has heard nothing yet.
    pub fn new(role: Role) -> Follower {
        Follower { role, latest: None }
    }

    /// Whether this window sends its state and drawings.
    pub fn sends(&self) -> bool {
        self.role == Role::Presenter
    }

    /// Whether a presenter has been heard.
    pub fn heard_presenter(&self) -> bool {
        self.latest.is_some()
    }

    /// What to do with `message`.
    pub fn hear(&mut self, message: SyncMessage) -> Reaction {
        match (self.role, message) {
            (Role::Presenter, SyncMessage::Hello) => Reaction::Answer,
            (Role::Presenter, _) => Reaction::Ignore("the presenter follows no one"),
            (_, SyncMessage::Hello) => Reaction::Ignore("only the presenter answers"),
            (role, SyncMessage::State { at, figure }) => {
                self.latest = Some((at, figure.clone()));
                if role == Role::Audience {
                    Reaction::Follow(at, figure)
                } else {
                    Reaction::Ignore("detached: kept for snapping back")
                }
            }
            (_, SyncMessage::Drawing { at, strokes }) => Reaction::Draw(at, strokes),
        }
    }

    /// The window's own reader moved it: an audience window that has heard
    /// a presenter detaches, to explore on its own.
    pub fn moved_here(&mut self) {
        if self.role == Role::Audience && self.heard_presenter() {
            self.role = Role::Detached;
        }
    }

    /// Back to following: the presenter's latest state, to go to now.
    pub fn snap_back(&mut self) -> Option<(Position, String)> {
        if self.role != Role::Detached {
            return None;
        }
        self.role = Role::Audience;
        self.latest.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drawing::Tool;

    fn at(slide: usize, click: usize) -> Position {
        Position { slide, click }
    }

    fn state(slide: usize, click: usize, figure: &str) -> SyncMessage {
        SyncMessage::State {
            at: at(slide, click),
            figure: figure.into(),
        }
    }

    #[test]
    fn messages_round_trip_through_one_line_of_text() {
        let mut stroke = Stroke::start(Tool::Pen, 2, (1, 2));
        stroke.extend((3, 4));
        let messages = [
            state(8, 2, "step=3&seed=9&q=100"),
            state(1, 0, ""),
            SyncMessage::Drawing {
                at: at(8, 2),
                strokes: vec![stroke],
            },
            SyncMessage::Drawing {
                at: at(3, 0),
                strokes: Vec::new(),
            },
            SyncMessage::Hello,
        ];
        for message in messages {
            let text = message.encode();
            assert!(!text.contains('\n'), "{text}");
            assert_eq!(SyncMessage::decode(&text), Ok(message), "{text}");
        }
        assert_eq!(state(8, 2, "step=3").encode(), "simdeck1 state 8 2 step=3");
    }

    #[test]
    fn malformed_messages_are_ignored_with_a_reason() {
        let cases = [
            ("", "not this deck's protocol"),
            ("simdeck0 state 1 0 ", "not this deck's protocol"),
            ("simdeck1 jump 1 0", "no kind of message"),
            ("simdeck1 state x 0", "slide “x” is not a number"),
            ("simdeck1 state 1", "click “” is not a number"),
            ("simdeck1 draw 1 0 q0 1,1", "names no tool"),
        ];
        for (text, reason) in cases {
            let why = SyncMessage::decode(text).unwrap_err();
            assert!(why.contains(reason), "{text:?}: {why}");
        }
        let long = format!("simdeck1 state 1 0 {}", "a".repeat(MAX_MESSAGE));
        assert!(SyncMessage::decode(&long)
            .unwrap_err()
            .contains("longer than"));
    }

    #[test]
    fn the_audience_follows_and_the_presenter_answers_hellos_only() {
        let mut presenter = Follower::new(Role::Presenter);
        assert!(presenter.sends());
        assert_eq!(presenter.hear(SyncMessage::Hello), Reaction::Answer);
        assert!(matches!(
            presenter.hear(state(2, 0, "")),
            Reaction::Ignore(_)
        ));
        let mut audience = Follower::new(Role::Audience);
        assert!(!audience.sends());
        assert!(matches!(
            audience.hear(SyncMessage::Hello),
            Reaction::Ignore(_)
        ));
        assert_eq!(
            audience.hear(state(8, 2, "step=3")),
            Reaction::Follow(at(8, 2), "step=3".into())
        );
        let drawing = SyncMessage::Drawing {
            at: at(8, 2),
            strokes: Vec::new(),
        };
        assert_eq!(audience.hear(drawing), Reaction::Draw(at(8, 2), Vec::new()));
    }

    #[test]
    fn a_window_moved_by_its_reader_detaches_and_snaps_back_to_the_latest() {
        let mut alone = Follower::new(Role::Audience);
        alone.moved_here();
        assert_eq!(
            alone.role,
            Role::Audience,
            "no presenter: nothing to detach from"
        );
        let mut audience = Follower::new(Role::Audience);
        audience.hear(state(3, 0, ""));
        audience.moved_here();
        assert_eq!(audience.role, Role::Detached);
        assert!(matches!(
            audience.hear(state(4, 1, "step=2")),
            Reaction::Ignore(_)
        ));
        assert!(matches!(
            audience.hear(SyncMessage::Drawing {
                at: at(4, 1),
                strokes: Vec::new()
            }),
            Reaction::Draw(..)
        ));
        assert_eq!(audience.snap_back(), Some((at(4, 1), "step=2".into())));
        assert_eq!(audience.role, Role::Audience);
        assert_eq!(audience.snap_back(), None, "already following");
        let mut presenter = Follower::new(Role::Presenter);
        presenter.moved_here();
        assert_eq!(presenter.role, Role::Presenter);
    }

    #[test]
    fn each_deck_title_has_its_own_channel() {
        let a = channel_name("TiDB-Operator Learning 1");
        assert_eq!(a, channel_name("TiDB-Operator Learning 1"));
        assert_ne!(a, channel_name("TiDB-Operator Learning 2"));
        assert!(a.starts_with("simdeck-") && a.len() == "simdeck-".len() + 8);
        assert_eq!(channel_name(""), "simdeck-811c9dc5");
    }
}
