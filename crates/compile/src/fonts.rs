//! The theme's fonts, cut down at build time to the characters the deck and
//! the player use, as WOFF2 files served by the site itself.
//!
//! The academic theme sets text in Montserrat and code in Roboto Mono. Their
//! source files (OFL, in `fonts/` at the repository root) are subset with
//! `skera` (HarfBuzz's subsetter ported to Rust, which keeps kerning and
//! ligatures), encoded as WOFF2, and named by a hash of their bytes so a
//! browser never keeps an old cut after the deck changes. [`font_css`] writes
//! the `@font-face` rules, with `font-display: swap` so text is never hidden
//! while a font loads.

use read_fonts::collections::IntSet;
use read_fonts::types::{GlyphId, NameId, Tag};
use read_fonts::FontRef;
use simdeck_deck::{Block, Deck};
use skera::{subset_font, Plan, SubsetFlags, DEFAULT_LAYOUT_FEATURES};
use std::collections::BTreeSet;
use std::hash::Hasher;

/// Characters the player itself may write whatever the deck says: printable
/// ASCII (notices, help, dates, slide numbers) and the punctuation of its
/// messages.
pub const PLAYER_TEXT: &str = concat!(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`",
    "abcdefghijklmnopqrstuvwxyz{|}~",
    "\u{a0}–—‘’“”…•×←↑→↓↗"
);

/// One face of the theme: a family at a weight, cut from a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FontFace {
    /// CSS `font-family`.
    pub family: &'static str,
    /// CSS `font-weight`.
    pub weight: u16,
    /// The source file's name in `fonts/`.
    pub source: &'static str,
    /// Whether the cover uses it, so the page asks for it first.
    pub on_cover: bool,
}

/// The faces the player's stylesheet uses, as the theme ships them: Montserrat
/// regular for text and headings (bold text is drawn from it by the browser,
/// as in the theme's own build), Roboto Mono light for code.
pub const FACES: [FontFace; 2] = [
    FontFace {
        family: "Montserrat",
        weight: 400,
        source: "Montserrat-Regular.ttf",
        on_cover: true,
    },
    FontFace {
        family: "Roboto Mono",
        weight: 300,
        source: "RobotoMono-Light.ttf",
        on_cover: false,
    },
];

/// A face cut for the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebFont {
    /// The face it was cut from.
    pub face: FontFace,
    /// Its file name, e.g. `montserrat-400-0123456789abcdef.woff2`.
    pub file_name: String,
    /// The WOFF2 bytes.
    pub bytes: Vec<u8>,
}

/// Every character the deck shows: titles, text, list items, code, captions,
/// notes and the cover's author and date, plus [`PLAYER_TEXT`]. HTML markup
/// is left out and character references are decoded.
pub fn deck_chars(deck: &Deck) -> BTreeSet<char> {
    let mut chars: BTreeSet<char> = PLAYER_TEXT.chars().collect();
    let mut add_text = |text: &str| chars.extend(text.chars().filter(|c| !c.is_control()));
    for text in [&deck.config.cover_author, &deck.config.cover_date]
        .into_iter()
        .flatten()
    {
        add_text(text);
    }
    for slide in &deck.slides {
        for text in [&slide.title, &slide.note].into_iter().flatten() {
            add_text(text);
        }
        if let Some(figure) = &slide.figure {
            add_text(&figure.caption);
        }
        for block in &slide.blocks {
            let html: Vec<&String> = match block {
                Block::Html(html) => vec![html],
                Block::Code(code) => code.lines.iter().collect(),
                Block::Clicks(list) => list.items.iter().collect(),
            };
            for fragment in html {
                add_text(&html_text(fragment));
            }
        }
    }
    chars
}

/// The text of an HTML fragment: tags dropped, character references decoded.
pub fn html_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        rest = match rest[open..].find('>') {
            Some(close) => &rest[open + close + 1..],
            None => "",
        };
    }
    text.push_str(rest);
    html_escape::decode_html_entities(&text).into_owned()
}

/// Cuts each of [`FACES`] down to `chars`; `read_source` returns the bytes
/// of a file in `fonts/` by name.
pub fn web_fonts(
    chars: &BTreeSet<char>,
    read_source: impl Fn(&str) -> Result<Vec<u8>, String>,
) -> Result<Vec<WebFont>, String> {
    FACES
        .iter()
        .map(|face| {
            let source = read_source(face.source)?;
            let cut = subset(&source, chars).map_err(|e| format!("{}: {e}", face.source))?;
            let bytes = ttf2woff2::encode(&cut, ttf2woff2::BrotliQuality::default())
                .map_err(|e| format!("{}: cannot encode WOFF2: {e}", face.source))?;
            let slug = face.family.to_ascii_lowercase().replace(' ', "-");
            let file_name = format!("{slug}-{}-{:016x}.woff2", face.weight, fnv64(&bytes));
            Ok(WebFont {
                face: *face,
                file_name,
                bytes,
            })
        })
        .collect()
}

/// A TrueType or OpenType font cut down to the glyphs of `chars` (and what
/// they need: kerning, ligatures, composite parts), keeping its layout tables.
pub fn subset(source: &[u8], chars: &BTreeSet<char>) -> Result<Vec<u8>, String> {
    let font = FontRef::new(source).map_err(|e| format!("not a font file: {e}"))?;
    let unicodes: IntSet<u32> = chars.iter().map(|&c| u32::from(c)).collect();
    // HarfBuzz's defaults (the family's names, English only, every script,
    // the default shaping features; no legacy kerning table), plus the
    // licence's description and address, which the OFL asks each copy to carry.
    let mut name_ids = IntSet::<NameId>::empty();
    name_ids.insert_range(NameId::new(0)..=NameId::new(6));
    name_ids.insert(NameId::LICENSE_DESCRIPTION);
    name_ids.insert(NameId::LICENSE_URL);
    let mut name_languages = IntSet::<u16>::empty();
    name_languages.insert(0x0409);
    let mut scripts = IntSet::<Tag>::empty();
    scripts.invert();
    let features: IntSet<Tag> = DEFAULT_LAYOUT_FEATURES.iter().copied().collect();
    let dropped: IntSet<Tag> = [b"kern", b"kerx", b"morx", b"mort", b"DSIG"]
        .into_iter()
        .map(Tag::new)
        .collect();
    let plan = Plan::new(
        &IntSet::<GlyphId>::empty(),
        &unicodes,
        &font,
        SubsetFlags::SUBSET_FLAGS_NO_HINTING,
        &dropped,
        &scripts,
        &features,
        &name_ids,
        &name_languages,
    );
    subset_font(&font, &plan).map_err(|e| format!("cannot subset: {e}"))
}

/// The `@font-face` rules for `fonts`, whose files are served from `dir`
/// (relative to the page, e.g. `fonts/`).
pub fn font_css(fonts: &[WebFont], dir: &str) -> String {
    fonts
        .iter()
        .map(|f| {
            format!(
                "@font-face{{font-family:\"{}\";font-style:normal;font-weight:{};font-display:swap;src:url(\"{dir}{}\") format(\"woff2\")}}",
                f.face.family, f.face.weight, f.file_name
            )
        })
        .collect()
}

/// FNV-1a of `bytes`: a stable content hash for file names.
fn fnv64(bytes: &[u8]) -> u64 {
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(bytes);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use read_fonts::TableProvider;
    use simdeck_deck::parse_deck;
    use std::path::Path;

    fn read_source(name: &str) -> Result<Vec<u8>, String> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fonts")
            .join(name);
        std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The characters `font` maps to a glyph, among `wanted`.
    fn mapped(font: &[u8], wanted: &BTreeSet<char>) -> BTreeSet<char> {
        let font = FontRef::new(font).expect("a font");
        let cmap = font.cmap().expect("a cmap");
        wanted
            .iter()
            .copied()
            .filter(|&c| cmap.map_codepoint(c).is_some_and(|g| g.to_u32() != 0))
            .collect()
    }

    #[test]
    fn html_text_drops_markup_and_decodes_references() {
        assert_eq!(
            html_text(r#"<p>Tom &amp; <a href="x">Jérôme</a> &#8212; &lt;ok&gt;</p>"#),
            "Tom & Jérôme — <ok>"
        );
        assert_eq!(html_text("a < b"), "a ");
    }

    #[test]
    fn the_deck_text_is_collected_from_every_place_it_shows() {
        let src = "---\ncoverAuthor: Zoë\ncoverDate: 1. März\n---\n\n# Ωmega\n\n---\nlayout: figure\nfigureCaption: Ça va\nfigureUrl: /x.png\n---\n\n# F\n\n```sh\necho ñ\n```\n\n<v-clicks>\n\n- ü <b>ß</b>\n\n</v-clicks>\n\n<!-- note ø -->\n";
        let chars = deck_chars(&parse_deck(src));
        for c in ['ë', 'ä', 'Ω', 'Ç', 'ñ', 'ü', 'ß', 'ø'] {
            assert!(chars.contains(&c), "{c}");
        }
        assert!(!chars.contains(&'é'), "nothing the deck does not say");
        assert!(PLAYER_TEXT.chars().all(|c| chars.contains(&c)));
    }

    #[test]
    fn each_face_is_cut_to_the_seed_decks_characters() {
        let deck = parse_deck(include_str!("../../../slides/slides.md"));
        let chars = deck_chars(&deck);
        for face in FACES {
            let source = read_source(face.source).expect("the source font is in fonts/");
            let cut = subset(&source, &chars).expect("subsets");
            assert_eq!(
                mapped(&cut, &chars),
                mapped(&source, &chars),
                "{}: every character the source has survives",
                face.source
            );
            assert!(mapped(&cut, &chars).contains(&'K'));
            let others: BTreeSet<char> = "ÆĐŁŒ".chars().collect();
            assert!(!mapped(&source, &others).is_empty());
            assert!(mapped(&cut, &others).is_empty(), "nothing else is kept");
            assert!(
                cut.len() * 4 < source.len(),
                "{}: {} bytes",
                face.source,
                cut.len()
            );
            let font = FontRef::new(&cut).expect("a font");
            let names = font.name().expect("a name table");
            let license = names
                .name_record()
                .iter()
                .find(|r| r.name_id() == NameId::LICENSE_DESCRIPTION)
                .and_then(|r| r.string(names.string_data()).ok())
                .map(|s| s.to_string())
                .unwrap_or_default();
            assert!(
                license.contains("Open Font License"),
                "{}: the licence travels with the font: {license:?}",
                face.source
            );
        }
    }

    #[test]
    fn web_fonts_are_woff2_named_by_content_and_described_in_css() {
        let chars: BTreeSet<char> = "Agenda".chars().collect();
        let fonts = web_fonts(&chars, read_source).expect("cuts");
        assert_eq!(fonts.len(), FACES.len());
        for font in &fonts {
            assert_eq!(&font.bytes[..4], b"wOF2", "{}", font.file_name);
            assert!(font.file_name.ends_with(".woff2"));
        }
        assert!(fonts[0].file_name.starts_with("montserrat-400-"));
        assert!(fonts[1].file_name.starts_with("roboto-mono-300-"));
        let other = web_fonts(&"Agend".chars().collect(), read_source).expect("cuts");
        assert_ne!(other[0].file_name, fonts[0].file_name, "new text, new name");
        let css = font_css(&fonts, "fonts/");
        assert_eq!(css.matches("@font-face").count(), FACES.len());
        assert_eq!(css.matches("font-display:swap").count(), FACES.len());
        assert!(css.contains(&format!(
            "font-family:\"Roboto Mono\";font-style:normal;font-weight:300;font-display:swap;src:url(\"fonts/{}\") format(\"woff2\")",
            fonts[1].file_name
        )));
    }

    #[test]
    fn a_missing_or_broken_source_is_named() {
        let chars: BTreeSet<char> = "a".chars().collect();
        let err = web_fonts(&chars, |name| Err(format!("{name}: missing"))).unwrap_err();
        assert_eq!(err, "Montserrat-Regular.ttf: missing");
        let err = web_fonts(&chars, |_| Ok(b"not a font".to_vec())).unwrap_err();
        assert!(
            err.starts_with("Montserrat-Regular.ttf: not a font file"),
            "{err}"
        );
    }
}
