//! A static file server on 127.0.0.1 for tests and benchmarks.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
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
    match file_at(root, url) {
        Some((bytes, mime)) => {
            let response = tiny_http::Response::from_data(bytes);
            match tiny_http::Header::from_bytes("Content-Type", mime) {
                Ok(h) => response.with_header(h),
                Err(()) => response,
            }
        }
        None => tiny_http::Response::from_string("not found").with_status_code(404),
    }
}

/// The file under `root` a request for `url` gets, with its MIME type.
fn file_at(root: &Path, url: &str) -> Option<(Vec<u8>, &'static str)> {
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
    let bytes = std::fs::read(&file).ok().filter(|_| safe)?;
    Some((bytes, mime(&file)))
}

/// A server that can be stopped, so the port refuses connections as a
/// site gone offline does, and started again on the same port. Every
/// response closes its connection, so none outlives a stop.
pub struct StoppableServer {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<thread::JoinHandle<()>>,
}

impl StoppableServer {
    /// Serves `dir` on `port` (0: any free port).
    pub fn start(dir: &Path, port: u16) -> Result<StoppableServer, String> {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
        let port = listener
            .local_addr()
            .map_err(|e| format!("the server has no address: {e}"))?
            .port();
        let stop = Arc::new(AtomicBool::new(false));
        let (root, stopped) = (dir.to_path_buf(), stop.clone());
        let thread = thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    // A connection of its own each: Chromium opens some it
                    // sends nothing on.
                    let root = root.clone();
                    thread::spawn(move || answer(&root, stream));
                }
            }
        });
        Ok(StoppableServer {
            port,
            stop,
            thread: Some(thread),
        })
    }

    /// The base URL, `http://127.0.0.1:PORT/`.
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops listening: from now on the port refuses connections.
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop, which then sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Answers one HTTP/1.1 GET on `stream` from `root`, then closes it.
fn answer(root: &Path, mut stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(std::time::Duration::from_secs(5)))?;
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buffer)?;
        if n == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buffer[..n]);
    }
    let head = String::from_utf8_lossy(&head);
    let url = head.split_whitespace().nth(1).unwrap_or("/");
    let (status, mime, body) = match file_at(root, url) {
        Some((bytes, mime)) => ("200 OK", mime, bytes),
        None => ("404 Not Found", "text/plain", b"not found".to_vec()),
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)?;
    stream.flush()
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
        Some("webmanifest") => "application/manifest+json",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}
