//! Trunk's post-build hook: writes the prerendered cover, the tab title, the
//! theme's fonts (cut to the deck's characters), the figures and presenter modules into
//! the staged site; then, with the page final, its Content-Security-Policy,
//! and last the service worker's version and file list.

use simdeck_compile::fonts::{self, WebFont};
use std::path::{Path, PathBuf};

/// The empty `#app`, as written in index.html and as Trunk's release
/// minification prints it.
const APP_MARKERS: [&str; 2] = [r#"<div id="app"></div>"#, "<div id=app></div>"];
const TITLE_MARKER: &str = "<title>simdeck</title>";
/// Where the fonts go in the site, relative to the page.
const FONT_DIR: &str = "fonts/";

/// Reads the deck and rewrites `$TRUNK_STAGING_DIR/index.html`, adding `fonts/`.
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
    let web_fonts = fonts::web_fonts(&fonts::deck_chars(&deck), |name| {
        let path = root.join("fonts").join(name);
        std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))
    })?;
    write_fonts(&staging.join(FONT_DIR), &web_fonts)?;
    let release = std::env::var("TRUNK_PROFILE").map_or(true, |p| p == "release");
    use crate::figures_module::{build, meta, FIGURES, PRESENTER};
    let figures = build(&staging, release, &FIGURES)?;
    let presenter = build(&staging, release, &PRESENTER)?;
    let index = staging.join("index.html");
    let mut html =
        std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    if release {
        html = crate::minify::minify_player(&staging, &html)?;
    }
    let page = inject(
        &html,
        &simdeck_compile::prerender_cover(&deck),
        &deck.tab_title(1),
        &(font_head(&web_fonts) + &meta(&FIGURES, &figures) + &meta(&PRESENTER, &presenter)),
    )?;
    let slide_styles: Vec<&str> = deck
        .slides
        .iter()
        .filter_map(|s| s.style.as_deref())
        .collect();
    let page = crate::csp::with_policy(&page, &crate::csp::policy(&page, &slide_styles))?;
    std::fs::write(&index, page).map_err(|e| format!("{}: {e}", index.display()))?;
    crate::offline::stamp(&staging).map(|_| ())
}

fn write_fonts(dir: &Path, web_fonts: &[WebFont]) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for font in web_fonts {
        let path = dir.join(&font.file_name);
        std::fs::write(&path, &font.bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// The page head's part for the fonts: the cover's font asked for at once,
/// and every `@font-face` rule.
fn font_head(web_fonts: &[WebFont]) -> String {
    let preloads: String = web_fonts
        .iter()
        .filter(|f| f.face.on_cover)
        .map(|f| {
            format!(
                r#"<link rel="preload" href="{FONT_DIR}{}" as="font" type="font/woff2" crossorigin>"#,
                f.file_name
            )
        })
        .collect();
    format!(
        "{preloads}<style>{}</style>",
        fonts::font_css(web_fonts, FONT_DIR)
    )
}

/// `html` with the cover inside `#app`, the tab title set and `head` after it.
fn inject(html: &str, cover: &str, title: &str, head: &str) -> Result<String, String> {
    let app = APP_MARKERS.into_iter().find(|m| html.contains(m));
    let (Some(app), true) = (app, html.contains(TITLE_MARKER)) else {
        return Err(format!(
            "index.html must contain `{}` and `{TITLE_MARKER}`",
            APP_MARKERS[0]
        ));
    };
    let title = simdeck_deck::parse::escape_html(title);
    Ok(html
        .replacen(app, &format!(r#"<div id="app">{cover}</div>"#), 1)
        .replacen(TITLE_MARKER, &format!("<title>{title}</title>{head}"), 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_cover_title_and_head() {
        let page = inject(
            "<title>simdeck</title><div id=\"app\"></div>",
            "<p>c</p>",
            "A & B",
            "<style>x</style>",
        )
        .unwrap();
        assert_eq!(
            page,
            "<title>A &amp; B</title><style>x</style><div id=\"app\"><p>c</p></div>"
        );
        assert_eq!(
            inject(
                "<title>simdeck</title><div id=app></div>",
                "<p>c</p>",
                "T",
                ""
            )
            .unwrap(),
            "<title>T</title><div id=\"app\"><p>c</p></div>",
            "the minified page"
        );
        assert!(inject("<body></body>", "", "", "").is_err());
    }

    #[test]
    fn the_cover_font_is_preloaded_and_every_face_declared() {
        let font = |on_cover, file_name: &str| WebFont {
            face: fonts::FontFace {
                on_cover,
                ..fonts::FACES[0]
            },
            file_name: file_name.into(),
            bytes: vec![],
        };
        let head = font_head(&[font(true, "a.woff2"), font(false, "b.woff2")]);
        assert_eq!(head.matches("rel=\"preload\"").count(), 1);
        assert!(head.starts_with(
            r#"<link rel="preload" href="fonts/a.woff2" as="font" type="font/woff2" crossorigin><style>@font-face"#
        ), "{head}");
        assert!(head.contains(r#"url("fonts/b.woff2")"#));
    }
}
