//! A small WebDriver client: Debian's chromedriver started on a loopback
//! port, one headless Chromium session, pages driven by scripts. For what the
//! command line cannot do: waiting until a page is ready, printing it to PDF
//! with bookmarks, a service worker across reloads, an audit's results.

use base64::Engine;
use serde_json::{json, Value};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running chromedriver, stopped when dropped.
struct Driver {
    child: Child,
    base: String,
}

impl Driver {
    fn start() -> Result<Driver, String> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .map_err(|e| format!("no free loopback port for chromedriver: {e}"))?;
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run chromedriver: {e}"))?;
        let driver = Driver {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let ready = ureq::get(&format!("{}/status", driver.base))
                .call()
                .ok()
                .and_then(|r| r.into_json::<Value>().ok())
                .is_some_and(|v| v["value"]["ready"] == true);
            if ready {
                return Ok(driver);
            }
            if Instant::now() > deadline {
                return Err("chromedriver did not start within 20 s".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One headless Chromium driven over WebDriver, closed when dropped.
pub struct Browser {
    driver: Driver,
    session: String,
}

impl Browser {
    /// A browser with a window of `width` x `height` and the profile in
    /// `profile` (kept between browsers, for a service worker's cache).
    pub fn open(profile: &Path, (width, height): (u32, u32)) -> Result<Browser, String> {
        let driver = Driver::start()?;
        let mut args: Vec<String> = crate::browser::HEADLESS
            .iter()
            .map(|f| f.to_string())
            .collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        args.push(format!("--window-size={width},{height}"));
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "timeouts": {"script": 180_000, "pageLoad": 60_000},
            "goog:chromeOptions": {"args": args}
        }}});
        let reply = post(&format!("{}/session", driver.base), &caps)?;
        let session = reply["sessionId"]
            .as_str()
            .ok_or_else(|| format!("chromedriver gave no session: {reply}"))?
            .to_string();
        Ok(Browser { driver, session })
    }

    fn url(&self, path: &str) -> String {
        format!("{}/session/{}/{path}", self.driver.base, self.session)
    }

    /// Loads `url` and waits for its load event.
    pub fn goto(&self, url: &str) -> Result<(), String> {
        post(&self.url("url"), &json!({ "url": url })).map(|_| ())
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns
    /// what it returns.
    pub fn run(&self, script: &str, args: Value) -> Result<Value, String> {
        post(
            &self.url("execute/sync"),
            &json!({"script": script, "args": args}),
        )
    }

    /// Runs `script` (a function body whose last argument is the callback
    /// to call with its result) and returns that result.
    pub fn run_async(&self, script: &str, args: Value) -> Result<Value, String> {
        post(
            &self.url("execute/async"),
            &json!({"script": script, "args": args}),
        )
    }

    /// Runs `script` before any of the page's own, on every page loaded
    /// from now on (outside the page's Content-Security-Policy).
    pub fn before_each_page(&self, script: &str) -> Result<(), String> {
        self.devtools(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": script }),
        )
        .map(|_| ())
    }

    /// Runs `script` until it returns something truthy (returning that),
    /// or fails after `timeout` saying it waited for `what`.
    pub fn wait_for(&self, what: &str, script: &str, timeout: Duration) -> Result<Value, String> {
        let deadline = Instant::now() + timeout;
        loop {
            let got = self.run(script, json!([]));
            match got {
                Ok(v) if !(v.is_null() || v == false || v == 0 || v == "") => return Ok(v),
                _ if Instant::now() > deadline => {
                    return Err(format!(
                        "waited {} s for {what} (last answer: {got:?})",
                        timeout.as_secs()
                    ))
                }
                _ => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }

    /// Runs a Chrome DevTools Protocol command on the page.
    pub fn devtools(&self, command: &str, params: Value) -> Result<Value, String> {
        post(
            &self.url("goog/cdp/execute"),
            &json!({"cmd": command, "params": params}),
        )
    }

    /// The page printed to PDF at the sizes its `@page` rule asks for, with
    /// its headings as bookmarks.
    pub fn print_pdf(&self) -> Result<Vec<u8>, String> {
        let reply = self.devtools(
            "Page.printToPDF",
            json!({
                "printBackground": true,
                "preferCSSPageSize": true,
                "generateTaggedPDF": true,
                "generateDocumentOutline": true,
            }),
        )?;
        decode(&reply["data"])
    }

    /// A PNG of the window.
    pub fn screenshot(&self) -> Result<Vec<u8>, String> {
        let reply = ureq::get(&self.url("screenshot"))
            .call()
            .map_err(describe)?
            .into_json::<Value>()
            .map_err(|e| format!("unreadable WebDriver reply: {e}"))?;
        decode(&reply["value"])
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = ureq::delete(&format!("{}/session/{}", self.driver.base, self.session)).call();
    }
}

/// A WebDriver call's `value`, or its error's message.
fn post(url: &str, body: &Value) -> Result<Value, String> {
    let reply = ureq::post(url)
        .send_json(body.clone())
        .map_err(describe)?
        .into_json::<Value>()
        .map_err(|e| format!("unreadable WebDriver reply: {e}"))?;
    Ok(reply["value"].clone())
}

fn describe(e: ureq::Error) -> String {
    match e {
        ureq::Error::Status(code, reply) => {
            let body: Value = reply.into_json().unwrap_or(Value::Null);
            format!(
                "WebDriver error {code}: {}",
                body["value"]["message"].as_str().unwrap_or("(no message)")
            )
        }
        other => format!("WebDriver request failed: {other}"),
    }
}

fn decode(data: &Value) -> Result<Vec<u8>, String> {
    let text = data.as_str().ok_or("the browser sent no data")?;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|e| format!("the browser's data is not base64: {e}"))
}
