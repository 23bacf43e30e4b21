//! Headless Chromium from the command line: the DOM after load, what a page
//! requested, screenshots.

use std::process::Command;

/// Flags for a quiet, sandbox-free headless Chromium with no network but
/// loopback (also the WebDriver sessions').
pub const HEADLESS: [&str; 9] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
];

fn chromium(extra: &[&str], url: &str) -> Result<Vec<u8>, String> {
    let profile = std::env::temp_dir().join(format!("simdeck-chromium-{}", std::process::id()));
    let out = Command::new("chromium")
        .args(HEADLESS)
        .arg("--hide-scrollbars")
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

/// The window size of a laptop screen, as the deck is presented.
const PRESENTING: &str = "--window-size=1280,720";

/// The page's DOM once it has settled.
pub fn dump_dom(url: &str) -> Result<String, String> {
    chromium(&["--dump-dom", PRESENTING], url).map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// Every URL the page at `url` asked for while it loaded: the page itself and
/// what it requested, read from Chromium's net log (the browser's own
/// background traffic, which no page asked for, is left out).
pub fn page_requests(url: &str) -> Result<Vec<String>, String> {
    let log = std::env::temp_dir().join(format!("simdeck-netlog-{}.json", std::process::id()));
    let flag = format!("--log-net-log={}", log.display());
    let run = chromium(&["--dump-dom", PRESENTING, &flag], url);
    let text = std::fs::read_to_string(&log);
    let _ = std::fs::remove_file(&log);
    run?;
    requests_in_net_log(&text.map_err(|e| format!("{}: {e}", log.display()))?)
}

/// The URLs of the page's own requests in a Chromium net log (JSON).
fn requests_in_net_log(log: &str) -> Result<Vec<String>, String> {
    let log: serde_json::Value =
        serde_json::from_str(log).map_err(|e| format!("unreadable net log: {e}"))?;
    let start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
        .as_u64()
        .ok_or("the net log names no URL_REQUEST_START_JOB event")?;
    let events = log["events"]
        .as_array()
        .ok_or("the net log has no events")?;
    Ok(events
        .iter()
        .filter(|e| e["type"].as_u64() == Some(start))
        .map(|e| &e["params"])
        .filter(|p| {
            p["request_type"] == "main frame"
                || p["initiator"]
                    .as_str()
                    .is_some_and(|i| i != "not an origin")
        })
        .filter_map(|p| p["url"].as_str().map(str::to_string))
        .collect())
}

/// A PNG of the page at `path`, in a window `width` x `height`, dark or light.
pub fn screenshot(
    url: &str,
    path: &str,
    (width, height): (u32, u32),
    dark: bool,
) -> Result<(), String> {
    let mut flags = vec![
        format!("--screenshot={path}"),
        format!("--window-size={width},{height}"),
    ];
    if dark {
        flags.push("--force-dark-mode".into());
    }
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    chromium(&flags, url).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_net_log_gives_the_pages_requests_only() {
        let log = r#"{"constants":{"logEventTypes":{"URL_REQUEST_START_JOB":7,"OTHER":8}},"events":[
            {"type":7,"params":{"initiator":"not an origin","request_type":"main frame","url":"http://127.0.0.1:1/#/2"}},
            {"type":7,"params":{"initiator":"http://127.0.0.1:1","request_type":"other","url":"http://127.0.0.1:1/fonts/a.woff2"}},
            {"type":7,"params":{"initiator":"http://127.0.0.1:1","request_type":"other","url":"https://fonts.example/x.css"}},
            {"type":7,"params":{"initiator":"not an origin","request_type":"other","url":"https://update.example/"}},
            {"type":8,"params":{"url":"http://127.0.0.1:1/not-a-request"}}]}"#;
        assert_eq!(
            requests_in_net_log(log).unwrap(),
            [
                "http://127.0.0.1:1/#/2",
                "http://127.0.0.1:1/fonts/a.woff2",
                "https://fonts.example/x.css"
            ]
        );
        assert!(requests_in_net_log("{").is_err());
    }
}
