//! A static file server on 127.0.0.1 for tests and benchmarks.

use std::path::{Component, Path, PathBuf};
use std::thread;

/// Serves `dir` on an ephemeral loopback port in a background thread and
/// returns the base URL (`http://127.0.0.1:PORT/`).
pub fn serve(dir: &Path) -> Result<String, String> {
    serve_hiding(dir, None)
}

/// Like [`serve`], but files whose names end with `hidden` are not found,
/// to see the site as a browser does when they fail to load.
pub fn serve_without(dir: &Path, hidden: &'static str) -> Result<String, String> {
    serve_hiding(dir, Some(hidden))
}

fn serve_hiding(dir: &Path, hidden: Option<&'static str>) -> Result<String, String> {
    let server = tiny_http::Server::http("127.0.0.1:0")
        .map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .ok_or("the server has no IP address")?;
    let root = dir.to_path_buf();
    thread::spawn(move || {
        for request in server.incoming_requests() {
            let response = match hidden {
                Some(suffix)
                    if request
                        .url()
                        .split(['?', '#'])
                        .next()
                        .is_some_and(|p| p.ends_with(suffix)) =>
                {
                    tiny_http::Response::from_string("not found").with_status_code(404)
                }
                _ => respond(&root, request.url()),
            };
            let _ = request.respond(response);
        }
    });
    Ok(format!("http://127.0.0.1:{port}/"))
}

fn respond(root: &Path, url: &str) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let relative = PathBuf::from(path.trim_start_matches('/'));
    let safe = relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    let file = if relative.as_os_str().is_empty() {
        root.join("index.html")
    } else {
        root.join(&relative)
    };
    match std::fs::read(&file) {
        Ok(bytes) if safe => {
            let header = tiny_http::Header::from_bytes("Content-Type", mime(&file)).ok();
            let response = tiny_http::Response::from_data(bytes);
            match header {
                Some(h) => response.with_header(h),
                None => response,
            }
        }
        _ => tiny_http::Response::from_string("not found").with_status_code(404),
    }
}

fn mime(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") | Some("mjs") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") => "application/json",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}
