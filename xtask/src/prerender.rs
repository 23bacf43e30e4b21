//! Trunk's post-build hook: writes the prerendered cover and the tab title
//! into the staged `index.html`.

use std::path::PathBuf;

const APP_MARKER: &str = r#"<div id="app"></div>"#;
const TITLE_MARKER: &str = "<title>simdeck</title>";

/// Reads the deck and rewrites `$TRUNK_STAGING_DIR/index.html`.
pub fn run() -> Result<(), String> {
    let staging = std::env::var_os("TRUNK_STAGING_DIR")
        .map(PathBuf::from)
        .ok_or("prerender runs as Trunk's post_build hook (TRUNK_STAGING_DIR is not set)")?;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let slides = std::env::var_os("SIMDECK_SLIDES")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("slides/slides.md"));
    let src = std::fs::read_to_string(&slides).map_err(|e| format!("{}: {e}", slides.display()))?;
    let deck = simdeck_deck::parse_deck(&src);
    let index = staging.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    let page = inject(
        &html,
        &simdeck_compile::prerender_cover(&deck),
        &deck.tab_title(1),
    )?;
    std::fs::write(&index, page).map_err(|e| format!("{}: {e}", index.display()))
}

/// `html` with the cover inside `#app` and the tab title set.
fn inject(html: &str, cover: &str, title: &str) -> Result<String, String> {
    if !html.contains(APP_MARKER) || !html.contains(TITLE_MARKER) {
        return Err(format!(
            "index.html must contain `{APP_MARKER}` and `{TITLE_MARKER}`"
        ));
    }
    let title = simdeck_deck::parse::escape_html(title);
    Ok(html
        .replacen(APP_MARKER, &format!(r#"<div id="app">{cover}</div>"#), 1)
        .replacen(TITLE_MARKER, &format!("<title>{title}</title>"), 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_cover_and_title() {
        let page = inject(
            "<title>simdeck</title><div id=\"app\"></div>",
            "<p>c</p>",
            "A & B",
        )
        .unwrap();
        assert_eq!(
            page,
            "<title>A &amp; B</title><div id=\"app\"><p>c</p></div>"
        );
        assert!(inject("<body></body>", "", "").is_err());
    }
}
