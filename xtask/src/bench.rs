//! The release site's budgets: every shipped file's bytes (raw and gzip -9),
//! the player's, the figures module's and the fonts' subtotals and the total
//! against their budgets; cold time to the first slide, the time of a slide
//! change, and on every live figure the time of an engine step and of a click.

use crate::serve_dir::serve;
use crate::shell::output;
use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Prints the size report and the browser timings for `dist/`.
pub fn run(runs: usize) -> Result<(), String> {
    size_report(Path::new("dist"))?;
    let base = serve(Path::new("dist"))?;
    let home = bench_home()?;
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../bench/timing.mjs");
    let status = std::process::Command::new("node")
        .arg(&script)
        .arg(&base)
        .arg(runs.to_string())
        .env("BENCH_HOME", &home)
        .status()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed", script.display()))
    }
}

/// The pinned playwright-core (the library only; it drives Debian's Chromium).
const PLAYWRIGHT_VERSION: &str = "1.65.1";

/// Where playwright-core lives, installed from npm when missing.
fn bench_home() -> Result<PathBuf, String> {
    let home = std::env::var("HOME").map_err(|_| "HOME is not set")?;
    let dir = Path::new(&home).join(".cache/simdeck-bench");
    crate::tools::npm_package(
        &dir,
        "playwright-core",
        PLAYWRIGHT_VERSION,
        "node_modules/playwright-core/index.mjs",
        "the bench",
    )?;
    Ok(dir)
}

/// Budget of the player (wasm, JS and HTML): what has arrived when the deck
/// answers keys, gzip -9 bytes (130 KB).
const PLAYER_BUDGET: usize = 130_000;
/// Budget of the self-hosted fonts, gzip -9 bytes (20 KB).
const FONTS_BUDGET: usize = 20_000;
/// Budget of the whole site with its simulators, gzip -9 bytes (230 KB).
const SITE_BUDGET: usize = 230_000;

/// One line per shipped file, the player's and the fonts' subtotals with
/// their budgets, and the total.
fn size_report(dist: &Path) -> Result<(), String> {
    let mut files: Vec<PathBuf> = Vec::new();
    collect(dist, &mut files)?;
    files.sort();
    let (mut total, mut fonts, mut figures, mut presenter, mut extras) =
        ((0, 0), (0, 0), (0, 0), (0, 0), (0, 0));
    println!("{:<48} {:>10} {:>10}", "shipped file", "bytes", "gzip -9");
    for file in files {
        let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let gz = gzip_len(&bytes);
        total = (total.0 + bytes.len(), total.1 + gz);
        let name = file
            .strip_prefix(dist)
            .unwrap_or(&file)
            .display()
            .to_string();
        let add = |sum: &mut (usize, usize)| *sum = (sum.0 + bytes.len(), sum.1 + gz);
        if is_font(&file) {
            add(&mut fonts);
        } else if name.starts_with("figures-") {
            add(&mut figures);
        } else if name.starts_with("presenter-") {
            add(&mut presenter);
        } else if is_offline_extra(&name) {
            add(&mut extras);
        }
        println!("{name:<48} {:>10} {gz:>10}", bytes.len());
    }
    let player = (
        total.0 - fonts.0 - figures.0 - presenter.0 - extras.0,
        total.1 - fonts.1 - figures.1 - presenter.1 - extras.1,
    );
    for (name, (raw, gz), when) in [
        (
            "figures module (simulators, frame, drawings)",
            figures,
            "loaded on the slide before the first live figure",
        ),
        (
            "presenter module (its own player, figures)",
            presenter,
            "loaded by a presenter window only",
        ),
        (
            "icons, manifest, service worker",
            extras,
            "fetched by the browser for installing and offline use",
        ),
    ] {
        println!("{name:<48} {raw:>10} {gz:>10}  ({when})");
    }
    let site = (total.0 - presenter.0, total.1 - presenter.1);
    for (name, (raw, gz), budget) in [
        ("player (wasm + JS + HTML)", player, PLAYER_BUDGET),
        ("fonts", fonts, FONTS_BUDGET),
        ("site (all but the presenter module)", site, SITE_BUDGET),
    ] {
        let verdict = if gz <= budget { "within" } else { "OVER" };
        println!("{name:<48} {raw:>10} {gz:>10}  {verdict} budget {budget}");
    }
    if let Some(v) = output("git", &["rev-parse", "--short", "HEAD"]) {
        println!("(commit {v})");
    }
    Ok(())
}

/// The files of `public/` a visitor's browser fetches for the tab, an
/// installed app and offline use, not to show or drive the deck.
fn is_offline_extra(name: &str) -> bool {
    name == "sw.js"
        || name == "manifest.webmanifest"
        || name.starts_with("icon")
        || name.starts_with("favicon")
}

fn is_font(file: &Path) -> bool {
    file.extension()
        .is_some_and(|e| ["woff2", "woff", "ttf", "otf"].iter().any(|f| e == *f))
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    for entry in std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}; build the site first", dir.display()))?
    {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

/// The length of `bytes` compressed with gzip -9.
pub fn gzip_len(bytes: &[u8]) -> usize {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    // Writing to and finishing an in-memory encoder does not fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().map(|v| v.len()).unwrap_or(0)
}
