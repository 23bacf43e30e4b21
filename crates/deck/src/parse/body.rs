//! A slide's content: markdown blocks, stepped code, `<v-clicks>` lists,
//! the slide's `<style>`, and its speaker note.

use super::ranges::parse_steps;
use super::text::{escape_html, Located};
use crate::{Block, ClickList, CodeBlock, Diagnostic, LineSelection};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

/// What a slide's content turned into.
#[derive(Debug, Default)]
pub(crate) struct Body {
    pub blocks: Vec<Block>,
    pub clicks: usize,
    pub note: Option<String>,
    pub style: Option<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A run of content lines of one kind.
enum Segment {
    Markdown(Located),
    Clicks { at: Option<usize>, body: Located },
    Style(String),
}

/// Interprets a slide's content lines (each with its 1-based line number).
pub(crate) fn interpret(content: &[(usize, &str)], line_numbers: bool) -> Body {
    let mut body = Body::default();
    let mut lines: Vec<(usize, String)> =
        content.iter().map(|(n, l)| (*n, l.to_string())).collect();
    body.note = take_note(&mut lines);
    let mut clicks = ClickCounter::default();
    for segment in segment(&lines, &mut body.diagnostics) {
        match segment {
            Segment::Markdown(text) => render_markdown(&text, line_numbers, &mut clicks, &mut body),
            Segment::Clicks { at, body: text } => {
                render_click_list(&text, at, &mut clicks, &mut body)
            }
            Segment::Style(css) => {
                let all = body.style.take().unwrap_or_default();
                body.style = Some(all + &css);
            }
        }
    }
    body.clicks = clicks.total;
    body
}

/// Removes a comment that ends the slide and returns its text: Slidev's
/// speaker note. Comments anywhere else stay in the content (and render as
/// nothing).
fn take_note(lines: &mut Vec<(usize, String)>) -> Option<String> {
    while lines.last().is_some_and(|(_, l)| l.trim().is_empty()) {
        lines.pop();
    }
    let last = lines.last()?;
    if !last.1.trim_end().ends_with("-->") {
        return None;
    }
    let start = lines.iter().rposition(|(_, l)| l.contains("<!--"))?;
    let mut text: Vec<String> = lines[start..].iter().map(|(_, l)| l.clone()).collect();
    let open = text[0].rfind("<!--")?;
    let before = text[0][..open].to_string();
    text[0] = text[0][open + 4..].to_string();
    let joined = text.join("\n");
    let inner = joined.trim_end().strip_suffix("-->")?;
    if inner.contains("-->") {
        return None;
    }
    lines.truncate(start + 1);
    if before.trim().is_empty() {
        lines.pop();
    } else if let Some(first) = lines.last_mut() {
        first.1 = before;
    }
    Some(inner.trim().to_string())
}

/// Splits content into markdown, `<v-clicks>` and `<style>` segments,
/// ignoring tags inside code fences.
fn segment(lines: &[(usize, String)], diagnostics: &mut Vec<Diagnostic>) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut markdown = Located::default();
    let mut fence: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let (n, line) = (&lines[i].0, lines[i].1.as_str());
        let trimmed = line.trim_start();
        if let Some(f) = &fence {
            if trimmed.starts_with(f.as_str()) {
                fence = None;
            }
            markdown.push(*n, line);
            i += 1;
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let ch = trimmed.as_bytes()[0];
            fence = Some(
                trimmed
                    .bytes()
                    .take_while(|&b| b == ch)
                    .map(char::from)
                    .collect(),
            );
            markdown.push(*n, line);
            i += 1;
            continue;
        }
        let column = line.len() - trimmed.len() + 1;
        if trimmed.starts_with("<style") {
            match find_close(lines, i, "</style>") {
                Some(end) => {
                    out.push(Segment::Markdown(std::mem::take(&mut markdown)));
                    out.push(Segment::Style(style_text(lines, i, end)));
                    i = end + 1;
                }
                None => {
                    diagnostics.push(unclosed(*n, column, "<style>", "</style>"));
                    i = lines.len();
                }
            }
            continue;
        }
        if trimmed.starts_with("<v-clicks") {
            let at = click_list_at(trimmed, *n, column, diagnostics);
            match find_close(lines, i, "</v-clicks>") {
                Some(end) => {
                    out.push(Segment::Markdown(std::mem::take(&mut markdown)));
                    let mut body = Located::default();
                    for (m, l) in &lines[i + 1..end] {
                        body.push(*m, l);
                    }
                    out.push(Segment::Clicks { at, body });
                    i = end + 1;
                }
                None => {
                    diagnostics.push(unclosed(*n, column, "<v-clicks>", "</v-clicks>"));
                    i += 1;
                }
            }
            continue;
        }
        markdown.push(*n, line);
        i += 1;
    }
    out.push(Segment::Markdown(markdown));
    out
}

fn unclosed(line: usize, column: usize, open: &str, close: &str) -> Diagnostic {
    Diagnostic {
        line,
        column,
        message: format!(
            "`{open}` opened here is never closed: expected `{close}` before the end of the slide"
        ),
    }
}

/// The index of the line (from `from`) that contains `close`.
fn find_close(lines: &[(usize, String)], from: usize, close: &str) -> Option<usize> {
    (from..lines.len()).find(|&j| lines[j].1.contains(close))
}

/// The CSS between `<style ...>` on line `open` and `</style>` on line `close`.
fn style_text(lines: &[(usize, String)], open: usize, close: usize) -> String {
    let joined: Vec<&str> = lines[open..=close]
        .iter()
        .map(|(_, l)| l.as_str())
        .collect();
    let joined = joined.join("\n");
    let start = joined.find('>').map_or(0, |i| i + 1);
    let end = joined.rfind("</style>").unwrap_or(joined.len()).max(start);
    joined[start..end].to_string()
}

/// Reads `at="N"` from a `<v-clicks ...>` tag.
fn click_list_at(
    tag: &str,
    line: usize,
    column: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<usize> {
    let pos = tag.find("at=")?;
    let value: String = tag[pos + 3..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| !matches!(c, '"' | '\'' | '>' | ' '))
        .collect();
    match value.parse::<usize>() {
        Ok(n) => Some(n),
        Err(_) => {
            diagnostics.push(Diagnostic {
                line,
                column: column + tag[..pos].chars().count(),
                message: format!("`at=\"{value}\"` is not a click number: expected a whole number such as `at=\"1\"`"),
            });
            None
        }
    }
}

/// Counts a slide's clicks as Slidev does: relative clicks follow each
/// other; an absolute `at` does not move the counter but may extend the total.
#[derive(Default)]
struct ClickCounter {
    next: usize,
    total: usize,
}

impl ClickCounter {
    /// Reserves `n` relative clicks and returns the first one.
    fn take(&mut self, n: usize) -> usize {
        let first = self.next + 1;
        self.next += n;
        self.total = self.total.max(self.next);
        first
    }

    /// Notes clicks used at absolute positions up to `last`.
    fn reach(&mut self, last: usize) {
        self.total = self.total.max(last);
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Renders a markdown segment, turning fenced code into [`Block::Code`].
fn render_markdown(text: &Located, line_numbers: bool, clicks: &mut ClickCounter, body: &mut Body) {
    if text.source.trim().is_empty() {
        return;
    }
    let mut pending: Vec<Event> = Vec::new();
    let mut code: Option<(String, usize, String)> = None;
    let mut heading: Option<String> = None;
    for (event, range) in Parser::new_ext(&text.source, options()).into_offset_iter() {
        if let Some((info, start, buf)) = &mut code {
            match event {
                Event::Text(t) => buf.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    flush_html(&mut pending, &mut body.blocks);
                    let (info, start, buf) = (info.clone(), *start, std::mem::take(buf));
                    let block = code_block(
                        &info,
                        &buf,
                        text,
                        start,
                        line_numbers,
                        clicks,
                        &mut body.diagnostics,
                    );
                    body.blocks.push(Block::Code(block));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        if let Some(h) = &mut heading {
            match &event {
                Event::Text(t) | Event::Code(t) => h.push_str(t),
                Event::End(TagEnd::Heading(_)) => {
                    if body.title.is_none() {
                        body.title = Some(h.trim().to_string());
                    }
                    heading = None;
                }
                _ => {}
            }
        }
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                code = Some((info.to_string(), range.start, String::new()));
            }
            Event::Start(Tag::Heading { .. }) => {
                heading = Some(String::new());
                pending.push(event);
            }
            Event::Start(Tag::Link {
                dest_url, title, ..
            }) => {
                if heading.is_some() && body.source.is_none() && body.title.is_none() {
                    body.source = Some(dest_url.to_string());
                }
                pending.push(Event::Html(link_open(&dest_url, &title)))
            }
            Event::End(TagEnd::Link) => pending.push(Event::Html(CowStr::Borrowed("</a>"))),
            other => pending.push(other),
        }
    }
    flush_html(&mut pending, &mut body.blocks);
}

/// An `<a>` tag; links leaving the deck open in a new tab, as in Slidev.
fn link_open(href: &str, title: &str) -> CowStr<'static> {
    let mut tag = format!("<a href=\"{}\"", escape_html(href));
    if !title.is_empty() {
        tag.push_str(&format!(" title=\"{}\"", escape_html(title)));
    }
    if href.starts_with("http://") || href.starts_with("https://") {
        tag.push_str(" target=\"_blank\" rel=\"noopener\"");
    }
    tag.push('>');
    CowStr::from(tag)
}

fn flush_html(pending: &mut Vec<Event>, blocks: &mut Vec<Block>) {
    if pending.is_empty() {
        return;
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pending.drain(..));
    if !html.trim().is_empty() {
        blocks.push(Block::Html(html));
    }
}

/// Builds a code block from a fence's info string (`lang {ranges}`) and text.
fn code_block(
    info: &str,
    code: &str,
    text: &Located,
    fence_offset: usize,
    line_numbers: bool,
    clicks: &mut ClickCounter,
    diagnostics: &mut Vec<Diagnostic>,
) -> CodeBlock {
    let lang = info
        .split(|c: char| c.is_whitespace() || c == '{')
        .next()
        .unwrap_or("")
        .to_string();
    let lines: Vec<String> = code
        .strip_suffix('\n')
        .unwrap_or(code)
        .split('\n')
        .map(escape_html)
        .collect();
    let mut steps = vec![LineSelection::All];
    if let Some(open) = info.find('{') {
        let inner_start = open + 1;
        let close = info[inner_start..].find('}').map(|i| inner_start + i);
        let fence_line = &text.source[fence_offset..];
        let info_col = fence_line.find(info).unwrap_or(0);
        let locate = |offset_chars: usize, message: String| {
            let byte = fence_offset + info_col + inner_start;
            let (line, column) = text.line_column(byte);
            Diagnostic {
                line,
                column: column + offset_chars,
                message,
            }
        };
        match close {
            None => diagnostics.push(locate(
                0,
                "click range is never closed: expected `}`, as in `{1-3|5}`".into(),
            )),
            Some(close) => match parse_steps(&info[inner_start..close]) {
                Ok(parsed) => {
                    for sel in &parsed {
                        if let LineSelection::Ranges(r) = sel {
                            if let Some(&(_, last)) = r.iter().find(|&&(_, b)| b > lines.len()) {
                                diagnostics.push(locate(
                                    0,
                                    format!(
                                        "line {last} is past the end of this {}-line code block",
                                        lines.len()
                                    ),
                                ));
                            }
                        }
                    }
                    steps = parsed;
                }
                Err(e) => diagnostics.push(locate(e.offset, e.message)),
            },
        }
    }
    let first_click = clicks.take(steps.len().saturating_sub(1));
    CodeBlock {
        lang,
        lines,
        steps,
        first_click,
        line_numbers,
    }
}

/// Renders a `<v-clicks>` body: each top-level list item becomes one click.
fn render_click_list(
    text: &Located,
    at: Option<usize>,
    clicks: &mut ClickCounter,
    body: &mut Body,
) {
    let mut items: Vec<String> = Vec::new();
    let mut ordered = false;
    let mut depth = 0usize;
    let mut current: Vec<Event> = Vec::new();
    let mut outside: Vec<Event> = Vec::new();
    for event in Parser::new_ext(&text.source, options()) {
        match &event {
            Event::Start(Tag::List(first)) if depth == 0 => {
                ordered = first.is_some();
                depth = 1;
                continue;
            }
            Event::End(TagEnd::List(_)) if depth == 1 => {
                depth = 0;
                continue;
            }
            Event::Start(Tag::Item) if depth == 1 => {
                depth = 2;
                continue;
            }
            Event::End(TagEnd::Item) if depth == 2 => {
                let mut html = String::new();
                pulldown_cmark::html::push_html(&mut html, current.drain(..));
                items.push(html);
                depth = 1;
                continue;
            }
            Event::Start(Tag::List(_)) => depth += 1,
            Event::End(TagEnd::List(_)) => depth -= 1,
            _ => {}
        }
        if depth >= 2 {
            current.push(event);
        } else {
            outside.push(event);
        }
    }
    if items.is_empty() {
        body.diagnostics.push(Diagnostic {
            line: text.first_line().saturating_sub(1).max(1),
            column: 1,
            message:
                "`<v-clicks>` holds no list: expected markdown list items (`- item`) inside it"
                    .into(),
        });
        flush_html(&mut outside, &mut body.blocks);
        return;
    }
    let at = match at {
        Some(at) => {
            clicks.reach(at + items.len() - 1);
            at
        }
        None => clicks.take(items.len()),
    };
    flush_html(&mut outside, &mut body.blocks);
    body.blocks
        .push(Block::Clicks(ClickList { at, ordered, items }));
}
