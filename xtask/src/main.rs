//! Project commands, run as `cargo xtask <command>`:
//!
//! - `serve`: installs what is missing, then serves the deck with live reload.
//! - `build [--public-url PATH]`: the release site in `dist/`.
//! - `test`: every test — formatting, lints, native tests, browser tests
//!   (wasm-pack, headless Chromium), a smoke test of the built site and the
//!   check that the simulators reach a page without their loaders.
//! - `bench [--runs N]`: shipped bytes and timings of the release site.
//! - `smoke`: the release build and its smoke test alone.
//! - `export [--with-clicks] [--png] [--drawings FILE] [--out DIR]`: the deck as a PDF (and
//!   PNGs), printed by headless Chromium from the release site.
//! - `shots [DIR [POSITION...]]`: screenshots of the built site, of the
//!   positions named (e.g. `8?clicks=2`) or of key slides (laptop and phone, light
//!   and dark), for looking at it.
//! - `export-test`: both exports of the built `dist/`, their PDFs checked.
//! - `audit`: the accessibility audit (axe-core) of the built `dist/`.
//! - `offline`: the service worker's test on the built `dist/`.
//! - `sims-size`: what the three simulators add to a page, and that no TOML
//!   parser comes with them.
//! - `prerender`: Trunk's post-build hook; puts the cover into the page.
//! - `tools`: installs the build tools only.

mod bench;
mod browser;
mod csp;
mod export;
mod figures_module;
mod minify;
mod offline;
mod offline_check;
mod page_checks;
mod prerender;
mod serve_dir;
mod shell;
mod sims_size;
mod smoke;
mod tools;
mod webdriver;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <serve | build [--public-url PATH] | test | bench [--runs N] | smoke | export [--with-clicks] [--png] [--drawings FILE] [--out DIR] | shots [DIR [POSITION...]] | export-test | audit | offline | sims-size | prerender | tools>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => tools::ensure_build_tools().and_then(|_| shell::run("trunk", &["serve"])),
        Some("build") => {
            tools::ensure_release_tools().and_then(|_| build(flag_value(&args, "--public-url")))
        }
        Some("test") => test(),
        Some("bench") => {
            let runs = flag_value(&args, "--runs")
                .and_then(|r| r.parse().ok())
                .unwrap_or(5);
            tools::ensure_release_tools()
                .and_then(|_| tools::ensure_browser())
                .and_then(|_| build(None))
                .and_then(|_| bench::run(runs))
        }
        Some("smoke") => tools::ensure_release_tools()
            .and_then(|_| tools::ensure_browser())
            .and_then(|_| build(None))
            .and_then(|_| smoke::run()),
        Some("export") => tools::ensure_release_tools()
            .and_then(|_| tools::ensure_browser())
            .and_then(|_| build(None))
            .and_then(|_| export(&args)),
        Some("shots") => {
            let dir = args
                .get(1)
                .cloned()
                .unwrap_or_else(|| "target/shots".into());
            tools::ensure_release_tools()
                .and_then(|_| tools::ensure_browser())
                .and_then(|_| build(None))
                .and_then(|_| smoke::screenshots(&dir, args.get(2..).unwrap_or_default()))
        }
        Some("export-test") => tools::ensure_browser()
            .and_then(|_| export::deck())
            .and_then(|deck| export::test(&deck)),
        Some("audit") => tools::ensure_browser()
            .and_then(|_| serve_dir::serve(std::path::Path::new("dist")))
            .and_then(|base| page_checks::accessibility(&base)),
        Some("offline") => {
            tools::ensure_browser().and_then(|_| offline_check::run(std::path::Path::new("dist")))
        }
        Some("sims-size") => tools::ensure_release_tools().and_then(|_| sims_size::run()),
        Some("prerender") => prerender::run(),
        Some("tools") => tools::ensure_release_tools(),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The value after `flag` in `args`.
fn flag_value(args: &[String], flag: &str) -> Option<String> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

/// Builds the release site into `dist/`.
fn build(public_url: Option<String>) -> Result<(), String> {
    let mut args = vec!["build", "--release"];
    if let Some(url) = public_url.as_deref() {
        args.extend(["--public-url", url]);
    }
    shell::run("trunk", &args)
}

/// `cargo xtask export`'s flags, run on the built site.
fn export(args: &[String]) -> Result<(), String> {
    let options = export::Options {
        steps: if args.iter().any(|a| a == "--with-clicks") {
            simdeck_deck::PrintSteps::Clicks
        } else {
            simdeck_deck::PrintSteps::Slides
        },
        png: args.iter().any(|a| a == "--png"),
        drawings: match flag_value(args, "--drawings") {
            Some(file) => Some(std::fs::read_to_string(&file).map_err(|e| format!("{file}: {e}"))?),
            None => None,
        },
        out: flag_value(args, "--out").map_or_else(|| "target/export".into(), Into::into),
    };
    export::run(&export::deck()?, &options).map(|_| ())
}

/// Runs every test the project has.
fn test() -> Result<(), String> {
    tools::ensure_release_tools()?;
    tools::ensure_test_tools()?;
    tools::ensure_browser()?;
    shell::step("formatting", "cargo", &["fmt", "--all", "--check"])?;
    shell::step(
        "lints (native)",
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    let wasm_libs = [
        "clippy",
        "--workspace",
        "--exclude",
        "xtask",
        "--exclude",
        "simdeck-compile",
        "--target",
        "wasm32-unknown-unknown",
        "--lib",
        "--",
        "-D",
        "warnings",
    ];
    shell::step("lints (wasm32 libraries)", "cargo", &wasm_libs)?;
    let wasm_simulators = [
        "clippy",
        "-p",
        "sim-core",
        "-p",
        "sim-cgroups",
        "-p",
        "sim-overlay",
        "-p",
        "sim-logs",
        "-p",
        "sim-scheduler",
        "--target",
        "wasm32-unknown-unknown",
        "--lib",
        "--",
        "-D",
        "warnings",
    ];
    shell::step(
        "lints (wasm32 simulators as the site builds them: no loader, no JSON)",
        "cargo",
        &wasm_simulators,
    )?;
    let wasm_tests = [
        "clippy",
        "-p",
        "simdeck",
        "--target",
        "wasm32-unknown-unknown",
        "--tests",
        "--",
        "-D",
        "warnings",
    ];
    shell::step("lints (wasm32 browser tests)", "cargo", &wasm_tests)?;
    shell::step("native tests", "cargo", &["test", "--workspace"])?;
    shell::step(
        "fuzz target builds",
        "cargo",
        &["check", "--manifest-path", "fuzz/Cargo.toml", "--quiet"],
    )?;
    // Some browser tests play figures in real time: give the runner minutes.
    std::env::set_var("WASM_BINDGEN_TEST_TIMEOUT", "300");
    shell::step(
        "browser tests",
        "wasm-pack",
        &["test", "--headless", "--chrome", "."],
    )?;
    shell::step("release build", "trunk", &["build", "--release"])?;
    smoke::run()?;
    export::test(&export::deck()?)?;
    offline_check::run(std::path::Path::new("dist"))?;
    page_checks::accessibility(&serve_dir::serve(std::path::Path::new("dist"))?)?;
    sims_size::run()?;
    println!("xtask: all tests passed");
    Ok(())
}
