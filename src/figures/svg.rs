//! SVG markup written as text: a drawing is a plain function from a
//! simulation's state to a string, which the figure puts into its `<svg>`
//! in one assignment. Drawings written this way need no view tree of their
//! own (most of a figure module's bytes were those trees) and can be tested
//! natively. Every attribute value and text is escaped.

use super::decimal::{short, Decimal};
use std::fmt::Write;

/// Markup being written.
#[derive(Debug, Default)]
pub struct Svg {
    out: String,
    open: Vec<&'static str>,
}

/// An element whose start tag is being written.
pub struct Tag<'a> {
    svg: &'a mut Svg,
    name: &'static str,
}

impl Svg {
    /// Starts element `name`; finish it with [`Tag::close`], [`Tag::text`]
    /// or [`Tag::open`].
    pub fn el(&mut self, name: &'static str) -> Tag<'_> {
        self.out.push('<');
        self.out.push_str(name);
        Tag { svg: self, name }
    }

    /// Ends the element opened last.
    pub fn end(&mut self) {
        if let Some(name) = self.open.pop() {
            self.out.push_str("</");
            self.out.push_str(name);
            self.out.push('>');
        }
    }

    /// The markup, with every element still open ended.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.end();
        }
        self.out
    }
}

impl Tag<'_> {
    /// Adds attribute `name` with `value`, escaped.
    pub fn attr(self, name: &str, value: impl Value) -> Self {
        let out = &mut self.svg.out;
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        escape_into(out, value, true);
        out.push('"');
        self
    }

    /// Ends the element with no content.
    pub fn close(self) {
        self.svg.out.push_str("/>");
    }

    /// Ends the element with `text` as its only content, escaped.
    pub fn text(self, text: impl Value) {
        let out = &mut self.svg.out;
        out.push('>');
        escape_into(out, text, false);
        out.push_str("</");
        out.push_str(self.name);
        out.push('>');
    }

    /// Leaves the element open for children, until [`Svg::end`].
    pub fn open(self) {
        self.svg.out.push('>');
        self.svg.open.push(self.name);
    }
}

/// What an attribute value or a text can be. An `f64` is written by
/// [`short`], so no drawing links core's float formatting.
pub trait Value {
    /// Writes the value, not yet escaped, at the end of `out`.
    fn write_into(&self, out: &mut String);
}

impl<T: Value + ?Sized> Value for &T {
    fn write_into(&self, out: &mut String) {
        (**self).write_into(out);
    }
}

impl Value for f64 {
    fn write_into(&self, out: &mut String) {
        let _ = write!(out, "{}", short(*self));
    }
}

/// Values written as their `Display` writes them.
macro_rules! displayed {
    ($($t:ty),*) => {$(
        impl Value for $t {
            fn write_into(&self, out: &mut String) {
                let _ = write!(out, "{self}");
            }
        }
    )*};
}
displayed!(str, String, char, bool, u8, u16, u32, u64, usize, i32, i64, Decimal);

impl Value for std::fmt::Arguments<'_> {
    fn write_into(&self, out: &mut String) {
        let _ = out.write_fmt(*self);
    }
}

/// Writes `value` into `out` with `&`, `<`, `>` (and in attributes `"`) escaped.
fn escape_into(out: &mut String, value: impl Value, attribute: bool) {
    let start = out.len();
    value.write_into(out);
    if !out[start..]
        .bytes()
        .any(|b| matches!(b, b'&' | b'<' | b'>' | b'"'))
    {
        return;
    }
    let raw = out.split_off(start);
    for c in raw.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_nest_close_and_escape_what_they_carry() {
        let mut s = Svg::default();
        s.el("g").attr("class", "a \"b\"").attr("data-n", 3).open();
        s.el("rect").attr("x", "1.5").close();
        s.el("text").text("x < y & z");
        s.end();
        s.el("g").open();
        assert_eq!(
            s.finish(),
            "<g class=\"a &quot;b&quot;\" data-n=\"3\"><rect x=\"1.5\"/>\
             <text>x &lt; y &amp; z</text></g><g></g>"
        );
    }

    #[test]
    fn numbers_are_written_with_at_most_two_decimals() {
        let mut s = Svg::default();
        s.el("rect")
            .attr("x", 100.0 / 3.0)
            .attr("y", 12.0)
            .attr("width", -0.5)
            .close();
        assert_eq!(s.finish(), "<rect x=\"33.33\" y=\"12\" width=\"-0.5\"/>");
    }

    #[test]
    fn text_keeps_quotes_and_plain_values_stay_as_written() {
        let mut s = Svg::default();
        s.el("title").text("say \"hi\" — ok");
        assert_eq!(s.finish(), "<title>say \"hi\" — ok</title>");
    }
}
