//! The cover as static HTML, shown by the browser before the player starts.
//!
//! The markup is the player's own for a cover slide (see `src/slide.rs` in the
//! app), so when the player mounts, the cover does not move.

use simdeck_deck::parse::escape_html;
use simdeck_deck::{Block, Deck, Layout};

/// Writes today's date where it stands, as `browser::today` in the player does.
const TODAY_SCRIPT: &str =
    "<script>document.currentScript.replaceWith(new Date().toLocaleDateString())</script>";

/// The first slide as the player renders it at rest, wrapped in `#boot`.
/// Returns an empty string when the first slide is not a cover.
pub fn prerender_cover(deck: &Deck) -> String {
    let Some(slide) = deck.slides.first().filter(|s| s.layout == Layout::Cover) else {
        return String::new();
    };
    let mut body = String::new();
    for block in &slide.blocks {
        if let Block::Html(html) = block {
            body.push_str(r#"<div class="md">"#);
            body.push_str(html);
            body.push_str("</div>");
        }
    }
    let author = deck
        .config
        .cover_author
        .as_deref()
        .map(|a| format!(r#"<p class="cover-author">{}</p>"#, escape_html(a)))
        .unwrap_or_default();
    // Without `coverDate` the cover shows today's date, as the player does.
    let date = match deck.config.cover_date.as_deref() {
        Some(date) => escape_html(date),
        None => TODAY_SCRIPT.to_string(),
    };
    format!(
        concat!(
            r#"<div id="boot" class="deck"><main class="stage"><div class="canvas">"#,
            r#"<section class="slide layout-cover slide-1"><div class="slide-body">{body}"#,
            r#"<div class="cover-meta">{author}<p class="cover-date">{date}</p></div>"#,
            r#"</div><footer class="slide-number">1 / {count}</footer></section></div></main></div>"#
        ),
        body = body,
        author = author,
        date = date,
        count = deck.slides.len(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use simdeck_deck::parse_deck;

    #[test]
    fn the_seed_cover_is_prerendered_with_title_author_and_count() {
        let deck = parse_deck(include_str!("../../../slides/slides.md"));
        let html = prerender_cover(&deck);
        assert!(
            html.contains(
                r#"<div class="slide-body"><div class="md"><h1>TiDB-Operator Learning 1</h1>"#
            ),
            "{html}"
        );
        assert!(html.contains(r#"<p class="cover-author">Jirong Qiu</p>"#));
        assert!(html.contains("1 / 26"));
        assert!(html.starts_with(r#"<div id="boot""#));
        assert!(html.contains(&format!(r#"<p class="cover-date">{TODAY_SCRIPT}</p>"#)));
        let dated = parse_deck("---\ncoverDate: 2024-03-01\n---\n\n# T\n");
        let dated = prerender_cover(&dated);
        assert!(
            dated.contains(r#"<div class="cover-meta"><p class="cover-date">2024-03-01</p></div>"#),
            "no author, no author line: {dated}"
        );
    }

    #[test]
    fn no_cover_no_prerender() {
        let deck = parse_deck("---\nlayout: default\n---\n\n# Plain\n");
        assert_eq!(prerender_cover(&deck), "");
    }
}
