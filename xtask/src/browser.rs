//! Headless Chromium from the command line: the DOM after load, screenshots.

use std::process::Command;

/// Flags for a quiet, sandbox-free headless Chromium with no network but loopback.
const FLAGS: [&str; 11] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=1280,720",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
];

fn chromium(extra: &[&str], url: &str) -> Result<Vec<u8>, String> {
    let profile = std::env::temp_dir().join(format!("simdeck-chromium-{}", std::process::id()));
    let out = Command::new("chromium")
        .args(FLAGS)
        .arg(format!("--user-data-dir={}", profile.display()))
        // Virtual time runs only while the page is idle: enough to load the
        // player, short of the 6 s after which a notice hides itself.
        .arg("--virtual-time-budget=4000")
        .args(extra)
        .arg(url)
        .output()
        .map_err(|e| format!("cannot run chromium: {e}"))?;
    let _ = std::fs::remove_dir_all(&profile);
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(format!(
            "chromium failed on {url}: {}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// The page's DOM once it has settled.
pub fn dump_dom(url: &str) -> Result<String, String> {
    chromium(&["--dump-dom"], url).map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// A 1280x720 PNG of the page at `path`.
pub fn screenshot(url: &str, path: &str) -> Result<(), String> {
    chromium(&[&format!("--screenshot={path}")], url).map(|_| ())
}
