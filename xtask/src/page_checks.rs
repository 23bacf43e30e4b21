//! Checks of the built site in a browser driven over WebDriver: no
//! Content-Security-Policy violation, and an accessibility audit with
//! axe-core, on the pages a visitor sees.

use crate::webdriver::Browser;
use serde_json::{json, Value};
use std::path::Path;
use std::time::Duration;

/// A page checked: its URL hash, what it is, keys pressed there and what
/// it must then show.
pub struct AuditedPage {
    /// The URL's hash, e.g. `#/8`.
    pub hash: &'static str,
    /// What is seen there, for messages.
    pub what: &'static str,
    /// Keys pressed once it is ready (e.g. `o` for the overview).
    pub keys: &'static str,
    /// An element the page must then show, by CSS selector.
    pub shows: &'static str,
}

/// The pages audited and checked for CSP violations: the main view (the
/// cover and a content slide), the overview, live-figure slides, the
/// reading view and the print view. A new view (e.g. the presenter's)
/// joins this list.
pub const AUDITED: [AuditedPage; 9] = [
    AuditedPage {
        hash: "#/1",
        what: "the cover",
        keys: "",
        shows: ".stage .layout-cover",
    },
    AuditedPage {
        hash: "#/2",
        what: "a content slide",
        keys: "",
        shows: ".stage .slide-2",
    },
    AuditedPage {
        hash: "#/3",
        what: "the overview",
        keys: "o",
        shows: ".overview-grid",
    },
    AuditedPage {
        hash: "#/8",
        what: "a live figure beside code",
        keys: "",
        shows: ".stage .figure-live",
    },
    AuditedPage {
        hash: "#/19",
        what: "a live figure slide",
        keys: "",
        shows: ".stage .figure-live",
    },
    AuditedPage {
        hash: "#/read",
        what: "the reading view",
        keys: "",
        shows: "main.reading .figure-live",
    },
    AuditedPage {
        hash: "#/presenter/8?clicks=2",
        what: "the presenter view",
        keys: "",
        shows: ".presenter .figure-live",
    },
    AuditedPage {
        hash: "#/20",
        what: "the contents",
        keys: "t",
        shows: ".toc-list",
    },
    AuditedPage {
        hash: "#/print?clicks=all",
        what: "the print view",
        keys: "",
        shows: "main.print .figure-live",
    },
];

/// Keeps every CSP violation of a page in `window.__cspViolations`.
const RECORD_VIOLATIONS: &str = r#"
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' (' + (e.sourceFile || '') + ':' + e.lineNumber + ')' + (e.sample ? ' ' + e.sample : ''));
});
"#;

/// Ready once the player (or print view) has started and every live
/// figure on the page has drawn.
const READY: &str = r#"
if (document.getElementById('boot') || !document.querySelector('.slide')) return false;
if (document.querySelector('.figure-failure')) return 'failed: ' + document.querySelector('.figure-failure').textContent;
return !document.querySelector('.figure-mount:empty') && document.fonts.status === 'loaded' && 'ready';
"#;

/// Opens `page` on `base` in `browser`, presses its keys, and waits until
/// it is ready.
fn open(browser: &Browser, base: &str, page: &AuditedPage, visit: usize) -> Result<(), String> {
    // A query of its own makes each visit a fresh load.
    browser.goto(&format!("{base}?visit={visit}{}", page.hash))?;
    let ready = browser.wait_for(page.what, READY, Duration::from_secs(60))?;
    if let Some(why) = ready.as_str().filter(|r| r.starts_with("failed")) {
        return Err(format!("{}: a live figure {why}", page.what));
    }
    for key in page.keys.chars() {
        browser.run(
            "window.dispatchEvent(new KeyboardEvent('keydown', {key: arguments[0], bubbles: true}));",
            json!([key.to_string()]),
        )?;
    }
    let shown = format!("return !!document.querySelector({:?});", page.shows);
    browser
        .wait_for(
            &format!("{} to show {}", page.what, page.shows),
            &shown,
            Duration::from_secs(10),
        )
        .map(|_| ())
}

/// No page of [`AUDITED`] reports a Content-Security-Policy violation,
/// and each has the policy (the live figures' module loaded under it).
pub fn no_csp_violations(base: &str) -> Result<(), String> {
    let profile = crate::export::tempdir("csp")?;
    let browser = Browser::open(&profile, (1280, 720))?;
    browser.before_each_page(RECORD_VIOLATIONS)?;
    for (i, page) in AUDITED.iter().enumerate() {
        open(&browser, base, page, i)?;
        let found = browser.run(
            "return [document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]') !== null, window.__cspViolations];",
            json!([]),
        )?;
        let has_policy = found[0] == true;
        let violations = found[1].as_array().cloned().unwrap_or_default();
        if !has_policy || !violations.is_empty() {
            return Err(format!(
                "CSP check failed on {} ({}): policy present {has_policy}, violations {violations:?}",
                page.what, page.hash
            ));
        }
        println!(
            "  ok: {} ({}) runs under the CSP with no violation",
            page.what, page.hash
        );
    }
    drop(browser);
    let _ = std::fs::remove_dir_all(&profile);
    Ok(())
}

/// Where xtask installs axe-core (npm, pinned), inside the target directory.
const AXE_DIR: &str = "target/axe-core";
/// Must match a published `axe-core` version.
const AXE_VERSION: &str = "4.14.1";

/// axe-core's script, installed from npm into `target/` when missing.
fn axe_script() -> Result<String, String> {
    let script = crate::tools::npm_package(
        Path::new(AXE_DIR),
        "axe-core",
        AXE_VERSION,
        "node_modules/axe-core/axe.min.js",
        "the accessibility audit",
    )?;
    std::fs::read_to_string(&script).map_err(|e| format!("{}: {e}", script.display()))
}

/// Runs axe-core's WCAG 2 A and AA rules on the page; the results' violations.
const RUN_AXE: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
  .then((r) => done(r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 6).map((n) => n.target.join(' ') + ' — ' + n.failureSummary.replace(/\s+/g, ' ')) }))))
  .catch((e) => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }]));
"#;

/// The accessibility audit: every page of [`AUDITED`], in light and dark
/// mode, fails on a serious or critical axe-core finding (printing each);
/// lesser ones are printed.
pub fn accessibility(base: &str) -> Result<(), String> {
    println!("\n==> accessibility audit (axe-core {AXE_VERSION}) of {base}");
    let axe = axe_script()?;
    let profile = crate::export::tempdir("axe")?;
    let browser = Browser::open(&profile, (1280, 720))?;
    let mut serious = Vec::new();
    let mut visit = 0;
    for dark in [false, true] {
        let mode = if dark { "dark" } else { "light" };
        for page in &AUDITED {
            visit += 1;
            browser.goto(&format!("{base}?visit=0"))?;
            browser.run(
                "localStorage.setItem('simdeck-dark', arguments[0]);",
                json!([if dark { "1" } else { "0" }]),
            )?;
            open(&browser, base, page, visit)?;
            // Run as WebDriver's own script, outside the page's CSP.
            browser.run(&format!("{axe}\n;return typeof axe;"), json!([]))?;
            let found = browser.run_async(RUN_AXE, json!([]))?;
            for v in found.as_array().cloned().unwrap_or_default() {
                let impact = v["impact"].as_str().unwrap_or("?");
                let line = format!(
                    "{} ({}, {mode}): {impact}: {} — {}\n      {}",
                    page.what,
                    page.hash,
                    v["id"].as_str().unwrap_or("?"),
                    v["help"].as_str().unwrap_or(""),
                    v["nodes"]
                        .as_array()
                        .map(|n| n
                            .iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join("\n      "))
                        .unwrap_or_default()
                );
                println!("  {line}");
                if matches!(impact, "serious" | "critical") {
                    serious.push(line);
                }
            }
            println!("  audited: {} ({}, {mode})", page.what, page.hash);
        }
    }
    drop(browser);
    let _ = std::fs::remove_dir_all(&profile);
    if serious.is_empty() {
        println!("accessibility audit passed: no serious or critical finding");
        Ok(())
    } else {
        Err(format!(
            "accessibility audit failed: {} serious or critical findings:\n  {}",
            serious.len(),
            serious.join("\n  ")
        ))
    }
}
