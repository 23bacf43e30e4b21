//! The built site in a real browser: served on 127.0.0.1, loaded in headless
//! Chromium, checked for what a person would see.

use crate::browser::{dump_dom, page_requests, screenshot};
use crate::serve_dir::{serve, serve_without};
use std::path::Path;

/// The slides whose figures are live simulations.
const LIVE_SLIDES: [usize; 13] = [7, 8, 9, 10, 15, 16, 17, 18, 19, 20, 22, 23, 24];

/// Loads `dist/` at a few positions and checks what each shows.
pub fn run() -> Result<(), String> {
    println!("\n==> smoke test of dist/ in headless Chromium");
    let base = serve(Path::new("dist"))?;
    let built =
        std::fs::read_to_string("dist/index.html").map_err(|e| format!("dist/index.html: {e}"))?;
    check(
        built.contains("<h1>TiDB-Operator Learning 1</h1>"),
        "the built page carries the prerendered cover title",
    )?;
    check(
        !built.contains("src=\"http") && !built.contains("href=\"http"),
        "the built page loads nothing from another origin",
    )?;

    let cover = dump_dom(&format!("{base}#/1"))?;
    check(
        !cover.contains("id=\"boot\""),
        "the player replaced the prerendered cover",
    )?;
    let (prerendered, live) = (cover_markup(&built), cover_markup(&cover));
    let same = prerendered.is_some() && prerendered == live;
    let what = "the prerendered cover is the live one";
    check(
        same,
        &if same {
            what.to_string()
        } else {
            format!("{what} (prerendered {prerendered:?}, live {live:?})")
        },
    )?;
    check(
        cover.contains("layout-cover") && cover.contains("<h1>TiDB-Operator Learning 1</h1>"),
        "the cover shows its title",
    )?;
    check(
        cover.contains("Jirong Qiu") && cover.contains("1 / 26"),
        "the cover shows the author and 1 / 26",
    )?;
    check(
        cover.contains("aria-label=\"Slide controls\"")
            && cover.contains("<span class=\"controls-position\">1 / 26</span>"),
        "the control bar is there, at 1 / 26",
    )?;

    for (click, lit) in [
        (0, vec![1, 2, 3]),
        (1, vec![5, 6]),
        (2, vec![8, 9, 10, 11]),
        (4, vec![20]),
    ] {
        let dom = dump_dom(&format!("{base}#/8?clicks={click}"))?;
        let got = lit_lines(&dom);
        check(
            got == lit,
            &format!("slide 8 at click {click} highlights lines {lit:?} (got {got:?})"),
        )?;
    }

    let dom = dump_dom(&format!("{base}#/16?clicks=3"))?;
    let shown = dom.matches("class=\"v-click\"").count();
    let hidden = dom.matches("class=\"v-click hidden\"").count();
    check(
        (shown, hidden) == (3, 3),
        &format!("slide 16 at click 3 shows 3 of 6 items (got {shown} shown, {hidden} hidden)"),
    )?;
    check(
        lit_lines(&dom) == vec![5],
        "slide 16 at click 3 highlights the COPY line",
    )?;

    for slide in LIVE_SLIDES {
        let dom = dump_dom(&format!("{base}#/{slide}"))?;
        let placeholder = ["figure-frame placeholder", "fig-pending", "figure-failure"]
            .into_iter()
            .find(|mark| dom.contains(mark));
        check(
            dom.contains("class=\"figure-live\"") && placeholder.is_none(),
            &format!(
                "slide {slide} shows its live figure, not a placeholder (found {placeholder:?})"
            ),
        )?;
    }
    // The figures module starts loading on the slide before the first live
    // figure (its stylesheet link is the sign), not on the slides before.
    let loads_figures =
        |slide: usize| dump_dom(&format!("{base}#/{slide}")).map(|d| d.contains("/figures.css"));
    let ahead = LIVE_SLIDES[0] - 1;
    for slide in 1..ahead {
        check(
            !loads_figures(slide)?,
            &format!("slide {slide} does not load the figures module"),
        )?;
    }
    check(
        loads_figures(ahead)?,
        &format!("slide {ahead}, before the first live figure, loads the figures module"),
    )?;
    drawn_from_the_loaded_module(&base, ahead)?;
    let dom = dump_dom(&format!("{base}#/4"))?;
    check(
        dom.contains("figure-frame placeholder")
            && dom.contains("An overview of the key components"),
        "a figure slide shows its placeholder and caption",
    )?;
    let fonts = font_files(Path::new("dist/fonts"))?;
    check(
        fonts.len() == simdeck_compile::fonts::FACES.len(),
        &format!("the site ships the theme's fonts (got {fonts:?})"),
    )?;
    // The reading view draws every slide: text, code and live figures.
    let requests = page_requests(&format!("{base}#/read"))?;
    for font in &fonts {
        check(
            requests.contains(&format!("{base}fonts/{font}")),
            &format!("the font {font} comes from the site itself"),
        )?;
    }
    let elsewhere: Vec<&String> = requests.iter().filter(|r| !r.starts_with(&base)).collect();
    check(
        elsewhere.is_empty(),
        &format!("nothing is requested from another origin (got {elsewhere:?})"),
    )?;
    let dom = dump_dom(&format!("{base}#/99"))?;
    check(
        dom.contains("26 / 26") && dom.contains("class=\"notice\""),
        "an out-of-range URL lands on the last slide with a notice",
    )?;
    crate::page_checks::no_csp_violations(&base)?;
    no_wasm()?;
    println!("smoke test passed");
    Ok(())
}

/// Without its `.wasm`, the page says the deck could not start and why, and
/// a deep link does not show the prerendered cover as if it were its slide.
fn no_wasm() -> Result<(), String> {
    let base = serve_without(Path::new("dist"), ".wasm")?;
    for hash in ["#/1", "#/8"] {
        let dom = dump_dom(&format!("{base}{hash}"))?;
        let said = dom
            .split("<p id=\"boot-failure\" role=\"alert\">")
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .unwrap_or_default();
        check(
            said.starts_with("The deck could not start: ") && said.contains(".wasm"),
            &format!(
                "without the .wasm, {hash} says the deck could not start and why (got {said:?})"
            ),
        )?;
    }
    let deep = dump_dom(&format!("{base}#/8"))?;
    let root_tag = deep
        .split("<html")
        .nth(1)
        .and_then(|rest| rest.split('>').next())
        .unwrap_or_default();
    check(
        root_tag.contains("deep-link"),
        &format!("without the .wasm, #/8 keeps the prerendered cover hidden (<html{root_tag}>)"),
    )?;
    Ok(())
}

/// Screenshots of the built site at the positions worth looking at, on a
/// laptop (1280x720) and a phone (390x844), light and dark.
pub fn screenshots(dir: &str, wanted: &[String]) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{dir}: {e}"))?;
    let base = serve(Path::new("dist"))?;
    let mut positions = if !wanted.is_empty() {
        wanted.to_vec()
    } else {
        default_positions()
    };
    positions.dedup();
    for ((width, height), dark) in [(1280, 720), (390, 844)]
        .into_iter()
        .flat_map(|size| [(size, false), (size, true)])
    {
        let mode = if dark { "dark" } else { "light" };
        for p in &positions {
            let name = p
                .replace("?clicks=", "-click-")
                .replace(['/', '?', '&', '='], "-");
            let file = format!("{dir}/{width}x{height}-{mode}-slide-{name}.png");
            screenshot(&format!("{base}#/{p}"), &file, (width, height), dark)?;
            println!("{file}");
        }
    }
    Ok(())
}

/// The positions `shots` takes when none are named.
fn default_positions() -> Vec<String> {
    let mut positions = vec![
        "1".to_string(),
        "2".into(),
        "4".into(),
        "5".into(),
        "9".into(),
        "read".into(),
        "read/16".into(),
        "presenter/8?clicks=2".into(),
    ];
    positions.extend((0..=4).map(|k| format!("8?clicks={k}")));
    positions.extend((0..=6).map(|k| format!("16?clicks={k}")));
    positions
}

/// The cover's `<section>` without Leptos's comment markers, its date left
/// out (today's, written by a script before the player starts).
fn cover_markup(html: &str) -> Option<String> {
    let start = html.find(r#"<section class="slide layout-cover"#)?;
    let end = start + html[start..].find("</section>")?;
    let mut markup = String::new();
    let mut rest = &html[start..end];
    while let Some(open) = rest.find("<!--") {
        markup.push_str(&rest[..open]);
        rest = rest[open..]
            .find("-->")
            .map_or("", |close| &rest[open + close + 3..]);
    }
    markup.push_str(rest);
    let date = markup.find(r#"<p class="cover-date">"#)? + r#"<p class="cover-date">"#.len();
    let date_end = date + markup[date..].find("</p>")?;
    markup.replace_range(date..date_end, "");
    Some(markup)
}

/// The file names in `dir`, sorted.
fn font_files(dir: &Path) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    Ok(names)
}

/// The line numbers of a code block that are not dimmed, in page order.
fn lit_lines(dom: &str) -> Vec<usize> {
    dom.split("<div class=\"line")
        .skip(1)
        .filter(|chunk| !chunk.starts_with(" dim"))
        .filter_map(|chunk| {
            let number = chunk.split("<span class=\"ln\"").nth(1)?;
            number.split_once('>')?.1.split('<').next()?.parse().ok()
        })
        .collect()
}

/// With the figures module loaded ahead on slide `ahead`, the next slide's
/// figure is drawn once its slide is shown; a slide left at once draws none.
fn drawn_from_the_loaded_module(base: &str, ahead: usize) -> Result<(), String> {
    use serde_json::json;
    use std::time::Duration;
    let profile = crate::export::tempdir("smoke-profile")?;
    let browser = crate::webdriver::Browser::open(&profile, (1280, 720))?;
    let wait = Duration::from_secs(30);
    let press = |key: &str| {
        browser.run(
            "window.dispatchEvent(new KeyboardEvent('keydown', { key: arguments[0] }));",
            json!([key]),
        )
    };
    let at = |slide: usize| {
        format!("return document.querySelector('.stage .slide-number')?.textContent.startsWith('{slide} /');")
    };
    let figures = "return document.querySelectorAll('.stage .figure-live').length;";
    browser.goto(&format!("{base}#/{ahead}"))?;
    let fetched = "return performance.getEntriesByType('resource').some((r) => r.name.endsWith('/figures_bg.wasm') && r.responseEnd > 0);";
    browser.wait_for("the figures module", fetched, wait)?;
    // (Fetched, it is compiled and started within moments.)
    std::thread::sleep(Duration::from_millis(1500));
    // Left before its figure could be drawn, the slide draws none later.
    press("ArrowRight")?;
    press("ArrowLeft")?;
    browser.wait_for(&format!("slide {ahead} again"), &at(ahead), wait)?;
    std::thread::sleep(Duration::from_millis(500));
    let stray = browser.run(figures, json!([]))?;
    check(
        stray == 0,
        &format!(
            "slide {ahead}, left for the next and back at once, shows no figure (got {stray})"
        ),
    )?;
    press("ArrowRight")?;
    browser.wait_for(&format!("slide {}", ahead + 1), &at(ahead + 1), wait)?;
    let drawn = browser.wait_for("the live figure", figures, wait)?;
    std::thread::sleep(Duration::from_millis(300));
    let drawn_later = browser.run(figures, json!([]))?;
    check(
        drawn == 1 && drawn_later == 1,
        &format!(
            "slide {}, reached from slide {ahead}, draws its figure once (got {drawn}, then {drawn_later})",
            ahead + 1
        ),
    )?;
    drop(browser);
    let _ = std::fs::remove_dir_all(&profile);
    Ok(())
}

fn check(ok: bool, what: &str) -> Result<(), String> {
    if ok {
        println!("  ok: {what}");
        Ok(())
    } else {
        Err(format!("smoke test failed: {what}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cover_markup_leaves_out_comments_and_the_date() {
        let page = r#"<div><section class="slide layout-cover slide-1"><!----><h1>T</h1><p class="cover-date"><script>x</script></p></section></div>"#;
        assert_eq!(
            cover_markup(page).as_deref(),
            Some(
                r#"<section class="slide layout-cover slide-1"><h1>T</h1><p class="cover-date"></p>"#
            )
        );
        assert_eq!(cover_markup("<section class=\"slide\"></section>"), None);
    }

    #[test]
    fn finds_lit_lines() {
        let dom = r#"<div class="line dim"><span class="ln" aria-hidden="true">1</span></div><div class="line"><span class="ln" aria-hidden="true">2</span></div><div class="line"><span class="ln">3</span>"#;
        assert_eq!(lit_lines(dom), vec![2, 3]);
    }
}
