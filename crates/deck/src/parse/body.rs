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

/// The closing tag of a click list.
const CLICKS_CLOSE: &str = "</v-clicks>";

/// The closing tag of a slide's style.
const STYLE_CLOSE: &str = "</style>";

/// The largest click number a slide may use; more would trap the presenter.
const MAX_CLICK: usize = 1000;

/// Where a `<v-clicks>` list starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClickAt {
    /// `at="N"`: the first item shows at click N.
    Absolute(usize),
    /// `at="+N"` / `at="-N"`: relative to the clicks before it (`+1` is the default).
    Relative(i64),
}

/// A run of content lines of one kind.
enum Segment {
    Markdown(Located),
    Clicks { at: Option<ClickAt>, body: Located },
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
/// speaker note. Comments are matched as Slidev matches them (each `<!--`
/// with the nearest `-->`); comments anywhere else stay in the content and
/// render as nothing. An empty final comment is removed but is no note.
fn take_note(lines: &mut Vec<(usize, String)>) -> Option<String> {
    let joined = lines
        .iter()
        .map(|(_, l)| l.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let content_end = joined.trim_end().len();
    let mut last = None;
    let mut pos = 0;
    while let Some(found) = joined[pos..].find("<!--") {
        let open = pos + found;
        let Some(len) = joined[open + 4..].find("-->") else {
            break;
        };
        let close = open + 4 + len + 3;
        last = Some((open, close));
        pos = close;
    }
    let (open, close) = last.filter(|&(_, close)| close == content_end)?;
    let note = joined[open + 4..close - 3].trim().to_string();
    let mut offset = 0;
    let mut kept = Vec::new();
    for (n, line) in lines.drain(..) {
        let line_end = offset + line.len();
        if line_end < open {
            kept.push((n, line));
        } else if offset <= open {
            let before = &line[..open - offset];
            if !before.trim().is_empty() {
                kept.push((n, before.to_string()));
            }
        }
        offset = line_end + 1;
    }
    *lines = kept;
    (!note.is_empty()).then_some(note)
}

/// Splits content into markdown, `<v-clicks>` and `<style>` segments,
/// ignoring tags inside code fences and HTML comments. Text that shares a
/// line with a closing tag is read again, so tags may follow each other.
fn segment(content: &[(usize, String)], diagnostics: &mut Vec<Diagnostic>) -> Vec<Segment> {
    let mut lines = content.to_vec();
    let mut out = Vec::new();
    let mut markdown = Located::default();
    let mut fence: Option<String> = None;
    let mut in_comment = false;
    let mut i = 0;
    while i < lines.len() {
        let n = lines[i].0;
        let line = lines[i].1.clone();
        let trimmed = line.trim_start();
        if let Some(f) = &fence {
            if closes_fence(trimmed, f) {
                fence = None;
            }
            markdown.push(n, &line);
            i += 1;
            continue;
        }
        if in_comment || opens_comment(&line) {
            in_comment = in_comment && !line.contains("-->") || opens_comment(&line);
            markdown.push(n, &line);
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
            markdown.push(n, &line);
            i += 1;
            continue;
        }
        let column = line[..line.len() - trimmed.len()].chars().count() + 1;
        if is_tag(trimmed, "<style") {
            match find_close(&lines, i, STYLE_CLOSE) {
                Some(end) => {
                    out.push(Segment::Markdown(std::mem::take(&mut markdown)));
                    out.push(Segment::Style(style_text(&lines, i, end)));
                    i = read_rest(&mut lines, end, STYLE_CLOSE);
                }
                None => {
                    diagnostics.push(unclosed(n, column, "<style>", STYLE_CLOSE));
                    i = lines.len();
                }
            }
            continue;
        }
        if is_tag(trimmed, "<v-clicks") {
            let tag_end = trimmed.find('>').map_or(trimmed.len(), |t| t + 1);
            let at = click_list_at(&trimmed[..tag_end], n, column, diagnostics);
            let after_tag = &trimmed[tag_end..];
            let mut body = Located::default();
            let end = if after_tag.contains(CLICKS_CLOSE) {
                Some(i)
            } else {
                find_close(&lines, i + 1, CLICKS_CLOSE)
            };
            let Some(end) = end else {
                diagnostics.push(unclosed(n, column, "<v-clicks>", CLICKS_CLOSE));
                markdown.push(n, after_tag);
                i += 1;
                continue;
            };
            if end == i {
                let close = after_tag.find(CLICKS_CLOSE).unwrap_or(after_tag.len());
                body.push(n, &after_tag[..close]);
            } else {
                body.push(n, after_tag);
                for (m, l) in &lines[i + 1..end] {
                    body.push(*m, l);
                }
                let last = &lines[end].1;
                body.push(lines[end].0, &last[..last.find(CLICKS_CLOSE).unwrap_or(0)]);
            }
            out.push(Segment::Markdown(std::mem::take(&mut markdown)));
            out.push(Segment::Clicks { at, body });
            if end == i {
                // The list opened and closed on this line: read what follows it.
                let close = line
                    .find(CLICKS_CLOSE)
                    .map_or(line.len(), |c| c + CLICKS_CLOSE.len());
                lines[i].1 = line[close..].to_string();
                i = if lines[i].1.trim().is_empty() {
                    i + 1
                } else {
                    i
                };
            } else {
                i = read_rest(&mut lines, end, CLICKS_CLOSE);
            }
            continue;
        }
        markdown.push(n, &line);
        i += 1;
    }
    out.push(Segment::Markdown(markdown));
    out
}

/// Keeps what follows `close` on line `end` to be read again and returns the
/// index to continue from.
fn read_rest(lines: &mut [(usize, String)], end: usize, close: &str) -> usize {
    let line = &lines[end].1;
    let rest = line
        .find(close)
        .map_or("", |c| &line[c + close.len()..])
        .to_string();
    if rest.trim().is_empty() {
        end + 1
    } else {
        lines[end].1 = rest;
        end
    }
}

/// Whether `line` starts with the HTML tag `tag` (`<v-clicks` but not `<v-clicksx`).
fn is_tag(line: &str, tag: &str) -> bool {
    line.strip_prefix(tag).is_some_and(|rest| {
        rest.chars()
            .next()
            .is_none_or(|c| c == '>' || c == '/' || c.is_whitespace())
    })
}

/// Whether `line` leaves an HTML comment open at its end.
fn opens_comment(line: &str) -> bool {
    line.rfind("<!--")
        .is_some_and(|open| !line[open + 4..].contains("-->"))
}

/// Whether `line` (without indentation) closes a fence opened with `fence`:
/// at least as many of the same character, then nothing but spaces.
fn closes_fence(line: &str, fence: &str) -> bool {
    let Some(ch) = fence.chars().next() else {
        return false;
    };
    let run = line.chars().take_while(|&c| c == ch).count();
    run >= fence.chars().count() && line[run * ch.len_utf8()..].trim().is_empty()
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

/// Reads the `at` attribute of a `<v-clicks ...>` tag: `at="N"` or `at="+N"`.
fn click_list_at(
    tag: &str,
    line: usize,
    column: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<ClickAt> {
    let pos = tag
        .match_indices("at=")
        .find(|&(i, _)| tag[..i].ends_with(char::is_whitespace))?
        .0;
    let value: String = tag[pos + 3..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| !matches!(c, '"' | '\'' | '>' | ' '))
        .collect();
    let parsed = if value.starts_with(['+', '-']) {
        value
            .parse::<i64>()
            .ok()
            .filter(|v| v.unsigned_abs() <= MAX_CLICK as u64)
            .map(ClickAt::Relative)
    } else {
        value
            .parse::<usize>()
            .ok()
            .filter(|&v| v <= MAX_CLICK)
            .map(ClickAt::Absolute)
    };
    if parsed.is_none() {
        diagnostics.push(Diagnostic {
            line,
            column: column + tag[..pos].chars().count(),
            message: format!(
                "`at=\"{value}\"` is not a click number: expected a whole number up to {MAX_CLICK} such as `at=\"1\"`, or a relative one such as `at=\"+1\"`"
            ),
        });
    }
    parsed
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

    /// Reserves `n` clicks starting `offset` after the clicks so far (at
    /// least click 1) and returns the first one.
    fn take_from(&mut self, offset: i64, n: usize) -> usize {
        let first = (self.next as i64).saturating_add(offset).max(1) as usize;
        self.next = self.next.max(first + n.saturating_sub(1));
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
            other => pending.push(retarget_links(other)),
        }
    }
    flush_html(&mut pending, &mut body.blocks);
}

/// Link events as `<a>` tags that open links leaving the deck in a new tab;
/// other events unchanged.
fn retarget_links(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Start(Tag::Link {
            dest_url, title, ..
        }) => Event::Html(link_open(&dest_url, &title)),
        Event::End(TagEnd::Link) => Event::Html(CowStr::Borrowed("</a>")),
        other => other,
    }
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
        let rest = text.source.get(fence_offset..).unwrap_or("");
        let fence_line = rest.split('\n').next().unwrap_or("");
        let brace = fence_line.find('{').unwrap_or(0);
        let locate = |offset_chars: usize, message: String| {
            let byte = fence_offset + brace + 1;
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
    at: Option<ClickAt>,
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
            current.push(retarget_links(event));
        } else {
            outside.push(retarget_links(event));
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
        Some(ClickAt::Absolute(at)) => {
            clicks.reach(at + items.len() - 1);
            at
        }
        Some(ClickAt::Relative(offset)) => clicks.take_from(offset, items.len()),
        None => clicks.take(items.len()),
    };
    flush_html(&mut outside, &mut body.blocks);
    body.blocks
        .push(Block::Clicks(ClickList { at, ordered, items }));
}
