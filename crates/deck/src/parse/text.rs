//! Text helpers: HTML escaping and source text that remembers its lines.

/// Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attributes.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Lines of the deck joined into one string, each remembering its line number
/// in the deck, so offsets in the string map back to deck positions.
#[derive(Debug, Default, Clone)]
pub(crate) struct Located {
    /// The joined lines, each ending in `\n`.
    pub source: String,
    starts: Vec<(usize, usize)>,
}

impl Located {
    /// Appends deck line `line` with text `text`.
    pub fn push(&mut self, line: usize, text: &str) {
        self.starts.push((self.source.len(), line));
        self.source.push_str(text);
        self.source.push('\n');
    }

    /// The deck line of the first line, or 1 when empty.
    pub fn first_line(&self) -> usize {
        self.starts.first().map_or(1, |s| s.1)
    }

    /// The deck line and 1-based column of byte `offset` in [`Self::source`].
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let idx = self
            .starts
            .partition_point(|s| s.0 <= offset)
            .saturating_sub(1);
        let Some(&(start, line)) = self.starts.get(idx) else {
            return (1, 1);
        };
        let end = offset.min(self.source.len()).max(start);
        let column = self
            .source
            .get(start..end)
            .map_or(1, |s| s.chars().count() + 1);
        (line, column)
    }
}
