//! Drawings over the slides: pen and highlighter strokes kept per position
//! (slide, click), with undo, and a compact text form for local storage and
//! for the windows that follow the presenter.
//!
//! Points are in thousandths of the slide's width and height (0..=1000), so
//! a drawing fits the slide at any scale. Everything read back is untrusted:
//! sizes are bounded ([`MAX_POINTS`], [`MAX_STROKES`], [`MAX_POSITIONS`]) and
//! malformed text is refused with a reason.

use crate::nav::Position;

/// The most points one stroke keeps; later points are dropped.
pub const MAX_POINTS: usize = 1000;
/// The most strokes one position keeps; the oldest give way.
pub const MAX_STROKES: usize = 100;
/// The most positions that keep drawings.
pub const MAX_POSITIONS: usize = 300;
/// The largest coordinate: the slide's far edge.
pub const EXTENT: u16 = 1000;

/// The colours to draw with: a name for the buttons, and the CSS colour.
pub const COLOURS: [(&str, &str); 4] = [
    ("red", "#e0245e"),
    ("blue", "#1d6fd8"),
    ("green", "#178a3e"),
    ("yellow", "#f2b705"),
];

/// What draws a stroke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    /// A thin opaque line.
    Pen,
    /// A broad translucent line.
    Highlighter,
}

impl Tool {
    fn letter(self) -> char {
        match self {
            Tool::Pen => 'p',
            Tool::Highlighter => 'h',
        }
    }

    /// The width of its line, in CSS pixels of the slide canvas.
    pub fn width(self) -> u8 {
        match self {
            Tool::Pen => 3,
            Tool::Highlighter => 18,
        }
    }
}

/// The local-storage key under which a browser keeps the drawings of the
/// deck titled `title` (as [`Drawings::encode`] writes them).
pub fn storage_key(title: &str) -> String {
    format!("{}-drawings", crate::sync::channel_name(title))
}

/// One line drawn without lifting the pen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stroke {
    /// Pen or highlighter.
    pub tool: Tool,
    /// An index into [`COLOURS`].
    pub colour: u8,
    /// The points, in thousandths of the slide's width and height.
    pub points: Vec<(u16, u16)>,
}

impl Stroke {
    /// A new stroke starting at `point`.
    pub fn start(tool: Tool, colour: u8, point: (u16, u16)) -> Stroke {
        Stroke {
            tool,
            colour: colour.min(COLOURS.len() as u8 - 1),
            points: vec![clamp_point(point)],
        }
    }

    /// Adds `point` (clamped to the slide), unless the stroke is full.
    pub fn extend(&mut self, point: (u16, u16)) {
        if self.points.len() < MAX_POINTS {
            self.points.push(clamp_point(point));
        }
    }

    /// Its CSS colour.
    pub fn css_colour(&self) -> &'static str {
        COLOURS[usize::from(self.colour).min(COLOURS.len() - 1)].1
    }

    /// The SVG path of its points, in a 1000x1000 view box.
    pub fn svg_path(&self) -> String {
        let mut path = String::new();
        for (i, (x, y)) in self.points.iter().enumerate() {
            path.push(if i == 0 { 'M' } else { 'L' });
            path.push_str(&format!("{x} {y}"));
        }
        if self.points.len() == 1 {
            // A dot: a line of no length still draws its round cap.
            path.push_str("h0");
        }
        path
    }

    /// The stroke as text: tool letter and colour digit, then `x,y` points,
    /// e.g. `p0 10,20 30,40`.
    pub fn encode(&self) -> String {
        let mut text = format!("{}{}", self.tool.letter(), self.colour);
        for (x, y) in &self.points {
            text.push_str(&format!(" {x},{y}"));
        }
        text
    }

    /// Reads a stroke written by [`Stroke::encode`].
    pub fn decode(text: &str) -> Result<Stroke, String> {
        let mut parts = text.split(' ');
        let head = parts.next().unwrap_or_default();
        let mut chars = head.chars();
        let tool = match chars.next() {
            Some('p') => Tool::Pen,
            Some('h') => Tool::Highlighter,
            _ => return Err(format!("“{head}” names no tool (p or h)")),
        };
        let colour = chars
            .as_str()
            .parse::<u8>()
            .ok()
            .filter(|&c| usize::from(c) < COLOURS.len())
            .ok_or_else(|| format!("“{head}” names no colour (0 to {})", COLOURS.len() - 1))?;
        let mut points = Vec::new();
        for pair in parts {
            if points.len() == MAX_POINTS {
                return Err(format!("a stroke has more than {MAX_POINTS} points"));
            }
            let point = pair
                .split_once(',')
                .and_then(|(x, y)| Some((x.parse::<u16>().ok()?, y.parse::<u16>().ok()?)))
                .filter(|&(x, y)| x <= EXTENT && y <= EXTENT)
                .ok_or_else(|| format!("“{pair}” is not a point x,y within 0..={EXTENT}"))?;
            points.push(point);
        }
        if points.is_empty() {
            return Err("a stroke has no points".into());
        }
        Ok(Stroke {
            tool,
            colour,
            points,
        })
    }
}

fn clamp_point((x, y): (u16, u16)) -> (u16, u16) {
    (x.min(EXTENT), y.min(EXTENT))
}

/// Strokes as text, `|` between strokes (empty for none).
pub fn encode_strokes(strokes: &[Stroke]) -> String {
    strokes
        .iter()
        .map(Stroke::encode)
        .collect::<Vec<_>>()
        .join("|")
}

/// Reads strokes written by [`encode_strokes`].
pub fn decode_strokes(text: &str) -> Result<Vec<Stroke>, String> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let strokes = text
        .split('|')
        .map(Stroke::decode)
        .collect::<Result<Vec<_>, _>>()?;
    if strokes.len() > MAX_STROKES {
        return Err(format!("more than {MAX_STROKES} strokes on one position"));
    }
    Ok(strokes)
}

/// What undo takes back at one position.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Change {
    /// A stroke was added.
    Added,
    /// These strokes were cleared.
    Cleared(Vec<Stroke>),
}

/// A position as the drawings file it: (slide, click).
type Key = (usize, usize);

fn key(at: Position) -> Key {
    (at.slide, at.click)
}

/// Where `key` is in `list` (sorted by key), or where it would go.
fn slot<T>(list: &[(Key, T)], key: Key) -> Result<usize, usize> {
    list.binary_search_by_key(&key, |(k, _)| *k)
}

/// Every position's strokes, and what undo takes back at each. (Sorted
/// lists rather than maps: the player then ships no B-tree.)
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drawings {
    strokes: Vec<(Key, Vec<Stroke>)>,
    history: Vec<(Key, Vec<Change>)>,
}

impl Drawings {
    /// The strokes drawn at `at`, oldest first.
    pub fn at(&self, at: Position) -> &[Stroke] {
        match slot(&self.strokes, key(at)) {
            Ok(i) => &self.strokes[i].1,
            Err(_) => &[],
        }
    }

    fn history_at(&mut self, at: Position) -> &mut Vec<Change> {
        let i = match slot(&self.history, key(at)) {
            Ok(i) => i,
            Err(i) => {
                self.history.insert(i, (key(at), Vec::new()));
                i
            }
        };
        &mut self.history[i].1
    }

    /// Adds `stroke` at `at`; the oldest stroke gives way past
    /// [`MAX_STROKES`]. A new position past [`MAX_POSITIONS`] is refused.
    pub fn add(&mut self, at: Position, stroke: Stroke) -> Result<(), String> {
        let i = match slot(&self.strokes, key(at)) {
            Ok(i) => i,
            Err(_) if self.strokes.len() >= MAX_POSITIONS => {
                return Err(format!(
                    "drawings are kept on at most {MAX_POSITIONS} slides and clicks; clear some first"
                ));
            }
            Err(i) => {
                self.strokes.insert(i, (key(at), Vec::new()));
                i
            }
        };
        let strokes = &mut self.strokes[i].1;
        if strokes.len() == MAX_STROKES {
            strokes.remove(0);
        }
        strokes.push(stroke);
        let history = self.history_at(at);
        history.push(Change::Added);
        history.truncate(MAX_STROKES);
        Ok(())
    }

    /// Removes every stroke at `at` (undo brings them back).
    pub fn clear(&mut self, at: Position) {
        if let Ok(i) = slot(&self.strokes, key(at)) {
            let (_, strokes) = self.strokes.remove(i);
            self.history_at(at).push(Change::Cleared(strokes));
        }
    }

    /// Takes back the last change at `at`; whether there was one.
    pub fn undo(&mut self, at: Position) -> bool {
        let Some(change) = self.history_at(at).pop() else {
            return false;
        };
        match (change, slot(&self.strokes, key(at))) {
            (Change::Added, Ok(i)) => {
                self.strokes[i].1.pop();
                if self.strokes[i].1.is_empty() {
                    self.strokes.remove(i);
                }
            }
            (Change::Added, Err(_)) => {}
            (Change::Cleared(strokes), Ok(i)) => self.strokes[i].1 = strokes,
            (Change::Cleared(strokes), Err(i)) => self.strokes.insert(i, (key(at), strokes)),
        }
        true
    }

    /// Puts `strokes` at `at` as they are elsewhere (the presenter's, or
    /// stored): undo history there starts afresh.
    pub fn replace(&mut self, at: Position, strokes: Vec<Stroke>) {
        if let Ok(i) = slot(&self.history, key(at)) {
            self.history.remove(i);
        }
        match slot(&self.strokes, key(at)) {
            Ok(i) if strokes.is_empty() => {
                self.strokes.remove(i);
            }
            Ok(i) => self.strokes[i].1 = strokes,
            Err(i) if !strokes.is_empty() && self.strokes.len() < MAX_POSITIONS => {
                self.strokes.insert(i, (key(at), strokes));
            }
            Err(_) => {}
        }
    }

    /// Every position with strokes, in deck order.
    pub fn positions(&self) -> impl Iterator<Item = Position> + '_ {
        self.strokes
            .iter()
            .map(|&((slide, click), _)| Position { slide, click })
    }

    /// All drawings as text, one line per position: `slide.click=strokes`.
    pub fn encode(&self) -> String {
        self.strokes
            .iter()
            .map(|((slide, click), strokes)| format!("{slide}.{click}={}", encode_strokes(strokes)))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Reads drawings written by [`Drawings::encode`]. A bad line is left
    /// out; the sentences say which and why.
    pub fn decode(text: &str) -> (Drawings, Vec<String>) {
        let mut drawings = Drawings::default();
        let mut problems = Vec::new();
        for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.is_empty()) {
            let read = line
                .split_once('=')
                .ok_or_else(|| "no “=”".to_string())
                .and_then(|(at, strokes)| {
                    let at = at
                        .split_once('.')
                        .and_then(|(s, c)| {
                            Some(Position {
                                slide: s.parse().ok()?,
                                click: c.parse().ok()?,
                            })
                        })
                        .ok_or_else(|| format!("“{at}” is not slide.click"))?;
                    Ok((at, decode_strokes(strokes)?))
                });
            match read {
                Ok((at, strokes)) if drawings.strokes.len() < MAX_POSITIONS => {
                    drawings.replace(at, strokes);
                }
                Ok(_) => problems.push(format!(
                    "line {}: more than {MAX_POSITIONS} positions with drawings",
                    n + 1
                )),
                Err(why) => problems.push(format!("line {}: {why}", n + 1)),
            }
        }
        (drawings, problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(slide: usize, click: usize) -> Position {
        Position { slide, click }
    }

    fn line(tool: Tool, colour: u8, points: &[(u16, u16)]) -> Stroke {
        let mut stroke = Stroke::start(tool, colour, points[0]);
        for &p in &points[1..] {
            stroke.extend(p);
        }
        stroke
    }

    #[test]
    fn strokes_round_trip_through_text() {
        let strokes = vec![
            line(Tool::Pen, 0, &[(10, 20), (30, 40), (1000, 0)]),
            line(Tool::Highlighter, 3, &[(5, 5)]),
        ];
        let text = encode_strokes(&strokes);
        assert_eq!(text, "p0 10,20 30,40 1000,0|h3 5,5");
        assert_eq!(decode_strokes(&text), Ok(strokes));
        assert_eq!(decode_strokes(""), Ok(Vec::new()));
    }

    #[test]
    fn points_stay_on_the_slide_and_strokes_stay_bounded() {
        let mut stroke = Stroke::start(Tool::Pen, 9, (4000, 2));
        assert_eq!((stroke.points[0], stroke.colour), ((EXTENT, 2), 3));
        for i in 0..2 * MAX_POINTS {
            stroke.extend((i as u16, 1));
        }
        assert_eq!(stroke.points.len(), MAX_POINTS);
        let mut drawings = Drawings::default();
        for i in 0..MAX_STROKES + 5 {
            drawings
                .add(at(1, 0), line(Tool::Pen, 0, &[(i as u16, 0)]))
                .unwrap();
        }
        let kept = drawings.at(at(1, 0));
        assert_eq!(kept.len(), MAX_STROKES);
        assert_eq!(kept[0].points[0], (5, 0), "the oldest gave way");
        for slide in 2..=MAX_POSITIONS {
            drawings
                .add(at(slide, 0), line(Tool::Pen, 0, &[(1, 1)]))
                .unwrap();
        }
        let refused = drawings.add(at(999, 0), line(Tool::Pen, 0, &[(1, 1)]));
        assert!(refused.unwrap_err().contains("at most 300"));
        assert!(drawings
            .add(at(2, 0), line(Tool::Pen, 0, &[(2, 2)]))
            .is_ok());
    }

    #[test]
    fn malformed_strokes_are_refused_with_a_reason() {
        let cases = [
            ("x0 1,1", "names no tool"),
            ("p7 1,1", "names no colour"),
            ("p 1,1", "names no colour"),
            ("p0 1;1", "is not a point"),
            ("p0 1001,1", "within 0..=1000"),
            ("p0 -1,1", "is not a point"),
            ("p0", "no points"),
        ];
        for (text, reason) in cases {
            let why = Stroke::decode(text).unwrap_err();
            assert!(why.contains(reason), "{text}: {why}");
        }
        let too_long = format!("p0{}", " 1,1".repeat(MAX_POINTS + 1));
        assert!(Stroke::decode(&too_long).unwrap_err().contains("more than"));
        let too_many = vec!["p0 1,1"; MAX_STROKES + 1].join("|");
        assert!(decode_strokes(&too_many).unwrap_err().contains("more than"));
    }

    #[test]
    fn undo_takes_back_strokes_and_clears_at_their_own_position() {
        let mut drawings = Drawings::default();
        let a = line(Tool::Pen, 0, &[(1, 1), (2, 2)]);
        let b = line(Tool::Highlighter, 1, &[(3, 3)]);
        drawings.add(at(2, 1), a.clone()).unwrap();
        drawings.add(at(2, 1), b.clone()).unwrap();
        drawings.add(at(2, 0), b.clone()).unwrap();
        drawings.clear(at(2, 1));
        assert!(drawings.at(at(2, 1)).is_empty());
        assert!(drawings.undo(at(2, 1)), "the clear comes back");
        assert_eq!(drawings.at(at(2, 1)), [a.clone(), b.clone()]);
        assert!(drawings.undo(at(2, 1)));
        assert_eq!(drawings.at(at(2, 1)), [a]);
        assert!(drawings.undo(at(2, 1)));
        assert!(!drawings.undo(at(2, 1)), "nothing left to undo");
        assert_eq!(drawings.at(at(2, 0)), [b], "another click keeps its own");
        assert_eq!(drawings.positions().collect::<Vec<_>>(), [at(2, 0)]);
    }

    #[test]
    fn drawings_round_trip_and_bad_stored_lines_are_left_out_with_a_reason() {
        let mut drawings = Drawings::default();
        drawings
            .add(at(8, 2), line(Tool::Pen, 1, &[(1, 2), (3, 4)]))
            .unwrap();
        drawings
            .add(at(3, 0), line(Tool::Highlighter, 0, &[(9, 9)]))
            .unwrap();
        let text = drawings.encode();
        assert_eq!(text, "3.0=h0 9,9\n8.2=p1 1,2 3,4");
        let (back, problems) = Drawings::decode(&text);
        assert!(problems.is_empty());
        assert_eq!(back.encode(), text);
        let (partial, problems) = Drawings::decode("3.0=h0 9,9\nnonsense\n4=p0 1,1\n5.1=p0 1,x\n");
        assert_eq!(partial.encode(), "3.0=h0 9,9");
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].starts_with("line 2: no “=”"), "{problems:?}");
        assert!(
            problems[1].contains("“4” is not slide.click"),
            "{problems:?}"
        );
        assert!(problems[2].contains("“1,x” is not a point"), "{problems:?}");
    }

    #[test]
    fn a_stroke_is_an_svg_path_in_its_colour() {
        let stroke = line(Tool::Pen, 1, &[(10, 20), (30, 40)]);
        assert_eq!(stroke.svg_path(), "M10 20L30 40");
        assert_eq!(stroke.css_colour(), COLOURS[1].1);
        assert_eq!(line(Tool::Pen, 0, &[(5, 6)]).svg_path(), "M5 6h0");
        assert!(Tool::Highlighter.width() > Tool::Pen.width());
    }
}
