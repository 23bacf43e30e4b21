//! Slidev markdown to a [`Deck`].
//!
//! The parser never fails and never panics: whatever it is given, it returns
//! a deck in which every problem is a located [`Diagnostic`] on the slide it
//! belongs to, and every other slide is read as usual.

mod body;
mod frontmatter;
mod ranges;
mod split;
mod style;
mod text;

use crate::{Deck, DeckConfig, Diagnostic, Figure, Layout, Slide};
use frontmatter::Frontmatter;
pub use text::escape_html;

/// Reads a Slidev markdown deck.
pub fn parse_deck(src: &str) -> Deck {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let raw = split::split(src);
    let mut deck = Deck::default();
    for (index, raw_slide) in raw.into_iter().enumerate() {
        let mut diagnostics = raw_slide.diagnostics;
        let fm = match &raw_slide.frontmatter {
            Some((line, text)) => Frontmatter::read(text, *line, &mut diagnostics),
            None => Frontmatter::default(),
        };
        if index == 0 {
            deck.config = read_config(&fm, &mut diagnostics);
        }
        let layout = match fm.text("layout", &mut diagnostics) {
            None => {
                if index == 0 {
                    Layout::Cover
                } else {
                    Layout::Default
                }
            }
            Some(name) => Layout::from_name(&name).unwrap_or_else(|| {
                diagnostics.push(fm.error(
                    "layout",
                    format!(
                        "unknown layout `{name}`: expected one of {}",
                        Layout::NAMES.join(", ")
                    ),
                ));
                Layout::Default
            }),
        };
        let figure = (layout == Layout::Figure).then(|| Figure {
            url: fm.text("figureUrl", &mut diagnostics).unwrap_or_default(),
            caption: fm
                .text("figureCaption", &mut diagnostics)
                .unwrap_or_default(),
        });
        let hide_in_toc = if index == 0 {
            deck.config.hide_in_toc
        } else {
            fm.flag("hideInToc", &mut diagnostics).unwrap_or(false)
        };
        let body = body::interpret(&raw_slide.content, deck.config.line_numbers);
        let explicit_title = fm.text("title", &mut diagnostics);
        if index == 0 {
            deck.config.title = explicit_title.clone();
        }
        let title = explicit_title.or(body.title);
        diagnostics.extend(body.diagnostics);
        diagnostics.sort_by_key(|d| (d.line, d.column));
        let number = index + 1;
        let scope = format!("slide-{number}");
        deck.slides.push(Slide {
            number,
            line: raw_slide.line,
            layout,
            title,
            source: body.source,
            figure,
            live: None,
            blocks: body.blocks,
            clicks: body.clicks,
            note: body.note,
            hide_in_toc,
            style: body.style.map(|css| style::scope_css(&css, &scope)),
            diagnostics,
        });
    }
    if deck.slides.is_empty() {
        deck.slides.push(Slide {
            number: 1,
            line: 1,
            layout: Layout::Default,
            title: Some("Empty deck".into()),
            source: None,
            figure: None,
            live: None,
            blocks: Vec::new(),
            clicks: 0,
            note: None,
            hide_in_toc: false,
            style: None,
            diagnostics: vec![Diagnostic {
                line: 1,
                column: 1,
                message: "the deck is empty: expected at least one slide of markdown, slides separated by `---` lines".into(),
            }],
        });
    }
    deck
}

/// The headmatter settings, with Slidev's defaults.
fn read_config(fm: &Frontmatter, diagnostics: &mut Vec<Diagnostic>) -> DeckConfig {
    let defaults = DeckConfig::default();
    DeckConfig {
        title: None,
        theme: fm.text("theme", diagnostics).unwrap_or(defaults.theme),
        transition: fm
            .text("transition", diagnostics)
            .unwrap_or(defaults.transition),
        cover_author: fm.text("coverAuthor", diagnostics),
        cover_date: fm.text("coverDate", diagnostics),
        export_filename: fm.text("exportFilename", diagnostics),
        hide_in_toc: fm
            .flag("hideInToc", diagnostics)
            .unwrap_or(defaults.hide_in_toc),
        line_numbers: fm
            .flag("lineNumbers", diagnostics)
            .unwrap_or(defaults.line_numbers),
        title_template: fm
            .text("titleTemplate", diagnostics)
            .unwrap_or(defaults.title_template),
    }
}
