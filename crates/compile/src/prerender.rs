//! The cover as static HTML, shown by the browser before the player starts.
//!
//! The markup is the player's own for a cover slide (see `src/slide.rs` in the
//! app), so when the player mounts, the cover does not move.

use simdeck_deck::{Block, Deck, Layout};

/// The first slide as the player renders it at rest, wrapped in `#boot`.
/// Returns an empty string when the first slide is not a cover.
pub fn prerender_cover(deck: &Deck) -> String {
    let Some(slide) = deck.slides.first().filter(|s| s.layout == Layout::Cover) else {
        return String::new();
    };
    let mut body = String::new();
    for block in &slide.blocks {
        if let Block::Html(html) = block {
            body.push_str(html);
        }
    }
    let author = deck
        .config
        .cover_author
        .as_deref()
        .map(escape)
        .unwrap_or_default();
    let date = deck
        .config
        .cover_date
        .as_deref()
        .map(escape)
        .unwrap_or_default();
    format!(
        concat!(
            r#"<div id="boot" class="deck"><div class="stage"><div class="canvas">"#,
            r#"<section class="slide layout-cover slide-1"><div class="slide-body">{body}"#,
            r#"<div class="cover-meta"><p class="cover-author">{author}</p><p class="cover-date">{date}</p></div>"#,
            r#"</div><footer class="slide-number">1 / {count}</footer></section></div></div></div>"#
        ),
        body = body,
        author = author,
        date = date,
        count = deck.slides.len(),
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use simdeck_deck::parse_deck;

    #[test]
    fn the_seed_cover_is_prerendered_with_title_author_and_count() {
        let deck = parse_deck(include_str!("../../../slides/slides.md"));
        let html = prerender_cover(&deck);
        assert!(html.contains("<h1>TiDB-Operator Learning 1</h1>"), "{html}");
        assert!(html.contains(r#"<p class="cover-author">Jirong Qiu</p>"#));
        assert!(html.contains("1 / 26"));
        assert!(html.starts_with(r#"<div id="boot""#));
    }

    #[test]
    fn no_cover_no_prerender() {
        let deck = parse_deck("---\nlayout: default\n---\n\n# Plain\n");
        assert_eq!(prerender_cover(&deck), "");
    }
}
