//! The offline test: a first visit installs the service worker; with the
//! server stopped, a reload still shows the deck and a live figure; a
//! changed build deployed on the same origin is what the next visit shows,
//! and its worker replaces the old cache.

use crate::serve_dir::StoppableServer;
use crate::webdriver::Browser;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(60);

/// The deck's cover title in the player (the WebAssembly has started).
const DECK_SHOWN: &str = "return !document.getElementById('boot') && !!document.querySelector('.stage .slide h1') && document.querySelector('.stage .slide h1').textContent;";
/// A live figure drawn (its module loaded).
const FIGURE_SHOWN: &str = "return !!document.querySelector('.figure-live') || (document.querySelector('.figure-failure') || {}).textContent;";
/// The marker the changed build carries.
const DEPLOY_MARK: &str = r#"<meta name="simdeck-deploy" content="second">"#;

/// Runs the offline test on a copy of `dist`.
pub fn run(dist: &Path) -> Result<(), String> {
    println!("\n==> offline test: service worker, server stopped, a new deploy");
    let first = crate::export::tempdir("offline-first")?;
    copy_dir(dist, &first)?;
    let second = crate::export::tempdir("offline-second")?;
    copy_dir(dist, &second)?;
    let version = change_build(&second)?;
    let profile = crate::export::tempdir("offline-profile")?;
    let browser = Browser::open(&profile, (1280, 720))?;

    let server = StoppableServer::start(&first, 0)?;
    let (base, port) = (server.base(), server.port());
    browser.goto(&format!("{base}#/1"))?;
    browser.wait_for("the deck", DECK_SHOWN, WAIT)?;
    let active = "return navigator.serviceWorker.ready.then((r) => r.active && r.active.state === 'activated' && !!navigator.serviceWorker.controller);";
    browser.wait_for("the service worker to be active", active, WAIT)?;
    check(true, "a first visit installs the service worker")?;

    server.stop();
    browser.goto(&format!("{base}?offline=1#/1"))?;
    let title = browser.wait_for("the deck, offline", DECK_SHOWN, WAIT)?;
    check(
        title == "TiDB-Operator Learning 1",
        &format!("with the server stopped, a reload shows the deck (title {title})"),
    )?;
    browser.goto(&format!("{base}?offline=2#/8"))?;
    let figure = browser.wait_for("a live figure, offline", FIGURE_SHOWN, WAIT)?;
    check(
        figure == true,
        &format!("offline, slide 8's live figure still loads (got {figure})"),
    )?;

    let server = StoppableServer::start(&second, port)?;
    browser.goto(&format!("{base}?visit=2#/1"))?;
    browser.wait_for("the deck, redeployed", DECK_SHOWN, WAIT)?;
    let marked = shows_new_build(&browser)?;
    check(
        marked,
        "after a new deploy, the next visit shows the new build",
    )?;
    let caches = format!(
        "return caches.keys().then((k) => k.length === 1 && k[0] === 'simdeck-{version}' && k[0]);"
    );
    browser.wait_for("the new worker's cache alone", &caches, WAIT)?;
    check(true, "the new build's worker replaces the old cache")?;
    server.stop();
    browser.goto(&format!("{base}?offline=3#/1"))?;
    browser.wait_for("the new deck, offline", DECK_SHOWN, WAIT)?;
    let marked = shows_new_build(&browser)?;
    check(marked, "offline again, the page kept is the new build's")?;
    drop(browser);
    for dir in [first, second, profile] {
        let _ = std::fs::remove_dir_all(dir);
    }
    println!("offline test passed");
    Ok(())
}

/// Makes `site` a changed build: a marked page and a worker of a new
/// version; returns that version.
fn change_build(site: &Path) -> Result<String, String> {
    let index = site.join("index.html");
    let page = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    let marked = page.replacen("</title>", &format!("</title>{DEPLOY_MARK}"), 1);
    std::fs::write(&index, marked).map_err(|e| format!("{}: {e}", index.display()))?;
    let worker = site.join("sw.js");
    let script =
        std::fs::read_to_string(&worker).map_err(|e| format!("{}: {e}", worker.display()))?;
    let old = script
        .split("const VERSION = \"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .ok_or("sw.js has no stamped VERSION")?
        .to_string();
    let new = format!("{old}-second");
    let changed = script.replacen(&format!("\"{old}\""), &format!("\"{new}\""), 1);
    std::fs::write(&worker, changed).map_err(|e| format!("{}: {e}", worker.display()))?;
    Ok(new)
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    let mut dirs: Vec<(PathBuf, PathBuf)> = vec![(from.to_path_buf(), to.to_path_buf())];
    while let Some((src, dst)) = dirs.pop() {
        std::fs::create_dir_all(&dst).map_err(|e| format!("{}: {e}", dst.display()))?;
        let entries = std::fs::read_dir(&src).map_err(|e| format!("{}: {e}", src.display()))?;
        for entry in entries.filter_map(Result::ok) {
            let (s, d) = (entry.path(), dst.join(entry.file_name()));
            if s.is_dir() {
                dirs.push((s, d));
            } else {
                std::fs::copy(&s, &d).map_err(|e| format!("{}: {e}", s.display()))?;
            }
        }
    }
    Ok(())
}

fn check(ok: bool, what: &str) -> Result<(), String> {
    if ok {
        println!("  ok: {what}");
        Ok(())
    } else {
        Err(format!("offline test failed: {what}"))
    }
}

/// Whether the page shown is the changed build's (its marker `<meta>`).
fn shows_new_build(browser: &Browser) -> Result<bool, String> {
    let marked = browser.run(
        "return !!document.querySelector('meta[name=simdeck-deploy]');",
        json!([]),
    )?;
    Ok(marked == true)
}
