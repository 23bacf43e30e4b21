//! Splitting a Slidev file into slides, exactly where Slidev splits it.
//!
//! A line starting with `---` (outside a code fence) ends a slide. When the
//! next line is not blank (and the separator is not `----`), a frontmatter
//! block follows, closed by a line `---`.

use crate::Diagnostic;

/// One slide's source before it is interpreted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawSlide<'a> {
    /// 1-based line where the slide starts (its separator, or line 1).
    pub line: usize,
    /// The frontmatter YAML and its first line, if any.
    pub frontmatter: Option<(usize, String)>,
    /// The content lines, each with its 1-based line number.
    pub content: Vec<(usize, &'a str)>,
    /// Problems found while splitting.
    pub diagnostics: Vec<Diagnostic>,
}

/// Splits `src` into raw slides. Never fails; an unclosed frontmatter block
/// is reported and ends at its first blank line so later slides survive.
pub(crate) fn split(src: &str) -> Vec<RawSlide<'_>> {
    let lines: Vec<&str> = src.lines().collect();
    let mut slides = Vec::new();
    let mut current = RawSlide {
        line: 1,
        frontmatter: None,
        content: Vec::new(),
        diagnostics: Vec::new(),
    };
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_end();
        if line.starts_with("---") {
            let finished = std::mem::replace(
                &mut current,
                RawSlide {
                    line: i + 1,
                    frontmatter: None,
                    content: Vec::new(),
                    diagnostics: Vec::new(),
                },
            );
            push_unless_blank(&mut slides, finished);
            let next_blank = lines.get(i + 1).is_none_or(|l| l.trim().is_empty());
            i = if line.as_bytes().get(3) != Some(&b'-') && !next_blank {
                read_frontmatter(&lines, i, &mut current)
            } else {
                i + 1
            };
            continue;
        }
        if let Some(fence) = fence_opening(lines[i]) {
            if let Some(close) = (i + 1..lines.len()).find(|&j| lines[j].starts_with(fence)) {
                current
                    .content
                    .extend((i..=close).map(|j| (j + 1, lines[j])));
                i = close + 1;
                continue;
            }
        }
        current.content.push((i + 1, lines[i]));
        i += 1;
    }
    push_unless_blank(&mut slides, current);
    slides
}

/// Reads the frontmatter opened by the separator on line index `open`;
/// returns the index of the first line after it.
fn read_frontmatter(lines: &[&str], open: usize, slide: &mut RawSlide<'_>) -> usize {
    let start = open + 1;
    let close = (start..lines.len()).find(|&j| lines[j].trim_end() == "---");
    let end = close.unwrap_or_else(|| {
        slide.diagnostics.push(Diagnostic {
            line: open + 1,
            column: 1,
            message:
                "frontmatter opened here is never closed: expected a line `---` after the YAML"
                    .into(),
        });
        (start..lines.len())
            .find(|&j| lines[j].trim().is_empty())
            .unwrap_or(lines.len())
    });
    slide.frontmatter = Some((start + 1, lines[start..end].join("\n")));
    match close {
        Some(c) => c + 1,
        None => end,
    }
}

/// The backtick run (with its indentation) that opens a fence on `line`.
fn fence_opening(line: &str) -> Option<&str> {
    let trimmed = line.trim_start();
    if !trimmed.starts_with("```") {
        return None;
    }
    let indent = line.len() - trimmed.len();
    let ticks = trimmed.bytes().take_while(|&b| b == b'`').count();
    Some(&line[..indent + ticks])
}

/// Keeps a slide unless it is the empty space before the first separator.
fn push_unless_blank<'a>(slides: &mut Vec<RawSlide<'a>>, slide: RawSlide<'a>) {
    let blank = slide.frontmatter.is_none()
        && slide.diagnostics.is_empty()
        && slide.content.iter().all(|(_, l)| l.trim().is_empty());
    if !(blank && slides.is_empty() && slide.line == 1) {
        slides.push(slide);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shapes(src: &str) -> Vec<(usize, Option<String>, Vec<usize>)> {
        split(src)
            .into_iter()
            .map(|s| {
                let lines = s
                    .content
                    .iter()
                    .filter(|(_, l)| !l.trim().is_empty())
                    .map(|(n, _)| *n)
                    .collect();
                (s.line, s.frontmatter.map(|f| f.1), lines)
            })
            .collect()
    }

    #[test]
    fn headmatter_then_plain_and_frontmatter_separators() {
        let src =
            "---\ntheme: a\n---\n\n# One\n\n---\n\n# Two\n\n---\nlayout: figure\n---\n\n# Three\n";
        assert_eq!(
            shapes(src),
            vec![
                (1, Some("theme: a".into()), vec![5]),
                (7, None, vec![9]),
                (11, Some("layout: figure".into()), vec![15]),
            ]
        );
    }

    #[test]
    fn separators_inside_code_fences_do_not_split() {
        let src = "# A\n\n```yaml\n---\nx: 1\n```\n\n---\n\n# B\n";
        let s = shapes(src);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].2, vec![1, 3, 4, 5, 6]);
    }

    #[test]
    fn four_dashes_never_open_frontmatter() {
        let s = shapes("# A\n----\nlayout: x\n");
        assert_eq!(s, vec![(1, None, vec![1]), (2, None, vec![3])]);
    }

    #[test]
    fn unclosed_frontmatter_is_located_and_later_content_survives() {
        let slides = split("# A\n\n---\nlayout: figure\n\n# B\n");
        assert_eq!(slides.len(), 2);
        let d = &slides[1].diagnostics[0];
        assert_eq!((d.line, d.column), (3, 1));
        assert!(d.message.contains("never closed"));
        assert_eq!(
            slides[1].frontmatter.as_ref().map(|f| f.1.as_str()),
            Some("layout: figure")
        );
        assert!(slides[1].content.iter().any(|(_, l)| *l == "# B"));
    }
}
