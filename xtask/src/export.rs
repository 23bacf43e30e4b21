//! `cargo xtask export`: the built deck printed to PDF by headless Chromium
//! from its print view (`#/print`), one page per slide or per click step,
//! and optionally a PNG of each; and the check the test suite runs on the
//! PDF (pages, their "N / total", bookmarks, live figures at each step).

use crate::serve_dir::serve;
use crate::webdriver::Browser;
use serde_json::json;
use simdeck_deck::drawing::{storage_key, Drawings, Stroke, Tool};
use simdeck_deck::print::{export_stem, print_hash, print_pages};
use simdeck_deck::{Deck, Position, PrintRequest, PrintSteps};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What to export, and where.
pub struct Options {
    /// One page per click step instead of one per slide.
    pub steps: PrintSteps,
    /// A PNG per page too.
    pub png: bool,
    /// Drawings to show on the pages, as a browser keeps them
    /// ([`Drawings::encode`]'s text); none when not asked for.
    pub drawings: Option<String>,
    /// The directory written to.
    pub out: PathBuf,
}

/// How long a page may take to draw every live figure.
const READY_TIME: Duration = Duration::from_secs(60);

/// Waits for the print view: as many live figures drawn as it says it has,
/// the fonts loaded and no transition still running. A figure that cannot
/// run fails the export.
const PRINT_READY: &str = r#"
const settled = () => document.getAnimations().every((a) => a.playState !== 'running' || a.effect.getTiming().iterations === Infinity);
const root = document.querySelector('main.print');
if (!root) return false;
const failed = root.querySelector('.figure-failure');
if (failed) return 'failed: ' + failed.textContent;
const drawn = root.querySelectorAll('.figure-live').length;
return drawn === Number(root.dataset.liveFigures) && document.fonts.status === 'loaded' && settled() && 'ready';
"#;

/// Waits for the slide view: the player started, the slide's live figure
/// (if any) drawn, the fonts loaded, no transition still running.
const SLIDE_READY: &str = r#"
const settled = () => document.getAnimations().every((a) => a.playState !== 'running' || a.effect.getTiming().iterations === Infinity);
if (document.getElementById('boot') || !document.querySelector('.stage .slide')) return false;
const failed = document.querySelector('.figure-failure');
if (failed) return 'failed: ' + failed.textContent;
const waiting = document.querySelector('.figure-mount:empty');
return !waiting && document.fonts.status === 'loaded' && settled() && 'ready';
"#;

/// The deck `slides/slides.md` (or `$SIMDECK_SLIDES`) as the player has
/// it: read as the build reads it, with a live figure on each slide a
/// shipped scenario names, whose click points raise the slide's clicks.
pub fn deck() -> Result<Deck, String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let slides = std::env::var_os("SIMDECK_SLIDES")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("slides/slides.md"));
    let src = std::fs::read_to_string(&slides).map_err(|e| format!("{}: {e}", slides.display()))?;
    let mut deck = simdeck_deck::parse_deck(&src);
    for scenario in simdeck_sim::shipped() {
        let header = sim_core::scenario::read_header(scenario.path, scenario.source)
            .map_err(|e| e.to_string())?;
        for &slide in &header.slides {
            let live = simdeck_deck::LiveFigure {
                figure: scenario.file_name.to_string(),
                scenario: scenario.file_name.to_string(),
                click_points: header.clicks.len(),
            };
            deck.attach_live_figure(slide as usize, live)
                .map_err(|e| format!("{}: {e}", scenario.path))?;
        }
    }
    Ok(deck)
}

/// Exports `dist/` as `options` says; returns the PDF's path.
pub fn run(deck: &Deck, options: &Options) -> Result<PathBuf, String> {
    let out = &options.out;
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let base = serve(Path::new("dist"))?;
    let profile = tempdir("export")?;
    let browser = Browser::open(&profile, (1280, 720))?;
    let pdf = out.join(format!("{}.pdf", export_stem(deck)));
    let hash = print_hash(PrintRequest {
        steps: options.steps,
        drawings: options.drawings.is_some(),
    });
    println!("\n==> export: {} from {base}{hash}", pdf.display());
    if let Some(text) = &options.drawings {
        // The print view reads them from this profile's local storage, as
        // a presenter's browser keeps them.
        browser.goto(&base)?;
        browser.run(
            "localStorage.setItem(arguments[0], arguments[1]); return true;",
            json!([storage_key(deck.title()), text]),
        )?;
    }
    browser.goto(&format!("{base}{hash}"))?;
    wait_ready(&browser, PRINT_READY, "the print view")?;
    let bytes = browser.print_pdf()?;
    std::fs::write(&pdf, &bytes).map_err(|e| format!("{}: {e}", pdf.display()))?;
    println!("  {} ({} bytes)", pdf.display(), bytes.len());
    if options.png {
        // The page's own size, whatever room the window's frame takes.
        browser.devtools(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": 1280, "height": 720, "deviceScaleFactor": 1, "mobile": false}),
        )?;
        let shape = shape(deck);
        for (i, p) in print_pages(&shape, options.steps).into_iter().enumerate() {
            // A query of its own makes each page a fresh load, as a visitor's.
            browser.goto(&format!("{base}?page={i}{}", p.to_hash()))?;
            wait_ready(&browser, SLIDE_READY, &format!("slide {}", p.slide))?;
            let file = out.join(png_name(p));
            let png = browser.screenshot()?;
            std::fs::write(&file, png).map_err(|e| format!("{}: {e}", file.display()))?;
            println!("  {}", file.display());
        }
    }
    drop(browser);
    let _ = std::fs::remove_dir_all(&profile);
    Ok(pdf)
}

fn wait_ready(browser: &Browser, script: &str, what: &str) -> Result<(), String> {
    let ready = browser.wait_for(&format!("{what} to draw"), script, READY_TIME)?;
    match ready.as_str() {
        Some(why) if why.starts_with("failed") => Err(format!("{what}: a live figure {why}")),
        _ => Ok(()),
    }
}

/// A PNG's file name: `slide-08.png`, `slide-08-click-2.png`.
fn png_name(p: Position) -> String {
    if p.click == 0 {
        format!("slide-{:02}.png", p.slide)
    } else {
        format!("slide-{:02}-click-{}.png", p.slide, p.click)
    }
}

/// Each slide's click count.
fn shape(deck: &Deck) -> Vec<usize> {
    deck.slides.iter().map(|s| s.clicks).collect()
}

/// A fresh directory under the system's temporary one.
pub fn tempdir(what: &str) -> Result<PathBuf, String> {
    let dir = std::env::temp_dir().join(format!("simdeck-{what}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}

/// The test suite's export: both PDFs, each checked.
pub fn test(deck: &Deck) -> Result<(), String> {
    for steps in [PrintSteps::Slides, PrintSteps::Clicks] {
        let out = PathBuf::from("target/export").join(match steps {
            PrintSteps::Slides => "slides",
            PrintSteps::Clicks => "clicks",
        });
        let pdf = run(
            deck,
            &Options {
                steps,
                png: false,
                drawings: None,
                out,
            },
        )?;
        let bytes = std::fs::read(&pdf).map_err(|e| format!("{}: {e}", pdf.display()))?;
        check_pdf(&bytes, deck, steps)?;
    }
    drawings_test(deck)?;
    println!("export test passed");
    Ok(())
}

/// Exports one page per slide with a stroke drawn on slide 2 (at its last
/// click, the click its page shows) and checks that page shows more than
/// it did without the drawing, and slide 3's page no more.
fn drawings_test(deck: &Deck) -> Result<(), String> {
    let plain = PathBuf::from("target/export/slides").join(format!("{}.pdf", export_stem(deck)));
    let at = Position {
        slide: 2,
        click: deck.slides.get(1).map_or(0, |s| s.clicks),
    };
    let mut stroke = Stroke::start(Tool::Pen, 0, (100, 100));
    for i in 1..20u16 {
        stroke.extend((100 + i * 40, 100 + i * 30));
    }
    let mut drawings = Drawings::default();
    drawings.add(at, stroke)?;
    let pdf = run(
        deck,
        &Options {
            steps: PrintSteps::Slides,
            png: false,
            drawings: Some(drawings.encode()),
            out: PathBuf::from("target/export/drawings"),
        },
    )?;
    let content = |path: &Path, page: u32| -> Result<usize, String> {
        let doc = lopdf::Document::load(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let id = doc
            .get_pages()
            .get(&page)
            .copied()
            .ok_or(format!("{}: no page {page}", path.display()))?;
        doc.get_page_content(id)
            .map(|c| c.len())
            .map_err(|e| format!("{}: page {page}: {e}", path.display()))
    };
    let (drawn, before) = (content(&pdf, 2)?, content(&plain, 2)?);
    check(
        drawn > before,
        &format!(
            "slide 2's page draws the stroke kept for it ({before} → {drawn} bytes of content)"
        ),
    )?;
    let (other, other_before) = (content(&pdf, 3)?, content(&plain, 3)?);
    check(
        other == other_before,
        &format!(
            "slide 3's page, with nothing drawn, is as before ({other_before} → {other} bytes)"
        ),
    )
}

/// Checks an exported PDF against the deck: one page per print page, each
/// with its slide's "N / total", a bookmark per slide title, and on a live
/// figure's slide a different page at each click step.
pub fn check_pdf(bytes: &[u8], deck: &Deck, steps: PrintSteps) -> Result<(), String> {
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| format!("unreadable PDF: {e}"))?;
    let pages = print_pages(&shape(deck), steps);
    let count = doc.get_pages().len();
    check(
        count == pages.len(),
        &format!(
            "the PDF has {} pages, one per {} (got {count})",
            pages.len(),
            match steps {
                PrintSteps::Slides => "slide",
                PrintSteps::Clicks => "click step",
            }
        ),
    )?;
    let total = deck.slides.len();
    let mut texts = Vec::with_capacity(pages.len());
    for (i, p) in pages.iter().enumerate() {
        let page = u32::try_from(i + 1).map_err(|_| "too many pages")?;
        let text = doc
            .extract_text(&[page])
            .map_err(|e| format!("page {page}: no text ({e})"))?;
        if !holds_page_number(&text, p.slide, total) {
            return Err(format!(
                "export check failed: page {page} (slide {}) does not say “{} / {total}”; its text: {text:?}",
                p.slide, p.slide
            ));
        }
        texts.push(text);
    }
    println!("  ok: every page says its own slide's “N / {total}”");
    let toc = doc
        .get_toc()
        .map_err(|e| format!("the PDF has no bookmarks: {e}"))?;
    let titles: Vec<&str> = deck
        .slides
        .iter()
        .filter_map(|s| s.title.as_deref())
        .collect();
    let missing: Vec<&&str> = titles
        .iter()
        .filter(|t| !toc.toc.iter().any(|entry| entry.title.trim() == **t))
        .collect();
    check(
        missing.is_empty() && !titles.is_empty(),
        &format!(
            "the PDF's {} bookmarks name every slide title (missing {missing:?})",
            toc.toc.len()
        ),
    )?;
    if steps == PrintSteps::Clicks {
        let mut compared = 0;
        for pair in pages.windows(2).zip(texts.windows(2)) {
            let ([a, b], [ta, tb]) = pair else { continue };
            let live = deck
                .slides
                .get(a.slide - 1)
                .is_some_and(|s| s.live.is_some());
            if live && a.slide == b.slide {
                compared += 1;
                if ta == tb {
                    return Err(format!(
                        "export check failed: slide {}'s live figure reads the same at clicks {} and {}",
                        a.slide, a.click, b.click
                    ));
                }
            }
        }
        check(
            compared > 0,
            &format!(
                "every live figure's page differs from its previous click's ({compared} pairs)"
            ),
        )?;
    }
    Ok(())
}

/// Whether `text` says "N / total" with no other digit before N.
fn holds_page_number(text: &str, n: usize, total: usize) -> bool {
    let label = format!("{n} / {total}");
    text.match_indices(&label).any(|(at, _)| {
        !text[..at].ends_with(|c: char| c.is_ascii_digit())
            && !text[at + label.len()..].starts_with(|c: char| c.is_ascii_digit())
    })
}

fn check(ok: bool, what: &str) -> Result<(), String> {
    if ok {
        println!("  ok: {what}");
        Ok(())
    } else {
        Err(format!("export check failed: {what}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_number_is_not_found_inside_another() {
        assert!(holds_page_number("x\n1 / 26\n", 1, 26));
        assert!(!holds_page_number("11 / 26", 1, 26));
        assert!(!holds_page_number("1 / 260", 1, 26));
        assert!(holds_page_number("11 / 26 and 1 / 26", 1, 26));
        assert!(!holds_page_number("", 1, 26));
    }

    #[test]
    fn png_names_sort_by_slide_and_click() {
        assert_eq!(png_name(Position { slide: 8, click: 0 }), "slide-08.png");
        assert_eq!(
            png_name(Position {
                slide: 12,
                click: 3
            }),
            "slide-12-click-3.png"
        );
    }
}
