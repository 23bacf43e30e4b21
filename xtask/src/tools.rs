//! Installing the pinned tools the site and its tests need, only when missing.
//!
//! Versions are pinned because this machine kind's rustc (1.95) needs Trunk
//! 0.21, wasm-bindgen-cli must equal the `wasm-bindgen` in Cargo.lock, and
//! only binaryen 116+ produces a working site (Debian's wasm-opt 108 breaks it).

use crate::shell::{output, run, step};
use std::path::{Path, PathBuf};

/// Must match `wasm-bindgen = "=…"` in Cargo.toml and `[tools]` in Trunk.toml.
const WASM_BINDGEN: &str = "0.2.130";
/// Must match `wasm_opt` in Trunk.toml.
const BINARYEN: &str = "132";

/// The wasm target, Trunk and wasm-bindgen-cli: all a development build needs.
pub fn ensure_build_tools() -> Result<(), String> {
    let targets = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets.lines().any(|t| t == "wasm32-unknown-unknown") {
        step(
            "installing the wasm32 target",
            "rustup",
            &["target", "add", "wasm32-unknown-unknown"],
        )?;
    }
    if !output("trunk", &["--version"]).is_some_and(|v| v.contains(" 0.21.")) {
        step(
            "installing Trunk 0.21 (~9 min)",
            "cargo",
            &["install", "--locked", "trunk", "--version", "~0.21"],
        )?;
    }
    if output("wasm-bindgen", &["--version"]).as_deref()
        != Some(&format!("wasm-bindgen {WASM_BINDGEN}"))
    {
        step(
            "installing wasm-bindgen-cli (~3 min)",
            "cargo",
            &[
                "install",
                "--force",
                "wasm-bindgen-cli",
                "--version",
                WASM_BINDGEN,
            ],
        )?;
    }
    Ok(())
}

/// The build tools plus wasm-opt, which only release builds run.
pub fn ensure_release_tools() -> Result<(), String> {
    ensure_build_tools()?;
    if !output("wasm-opt", &["--version"])
        .is_some_and(|v| v.contains(&format!("version {BINARYEN}")))
    {
        let package = format!("binaryen@{BINARYEN}");
        step("installing wasm-opt (binaryen, from npm)", "npm", &["install", "--global", "--no-audit", "--no-fund", &package])
            .map_err(|e| format!("{e}; wasm-opt {BINARYEN} comes from npm's binaryen package, so Node.js and npm are needed"))?;
    }
    Ok(())
}

/// rustfmt, clippy and wasm-pack, for the checks and the browser tests.
pub fn ensure_test_tools() -> Result<(), String> {
    let components = output("rustup", &["component", "list", "--installed"]).unwrap_or_default();
    for component in ["rustfmt", "clippy"] {
        if !components.lines().any(|c| c.starts_with(component)) {
            step(
                &format!("installing {component}"),
                "rustup",
                &["component", "add", component],
            )?;
        }
    }
    if output("wasm-pack", &["--version"]).is_none() {
        step(
            "installing wasm-pack (~3 min)",
            "cargo",
            &["install", "wasm-pack", "--version", "0.15.1"],
        )?;
    }
    Ok(())
}

/// The file `file` of npm package `package` at `version`, installed into
/// `dir` (its own `node_modules`, pinned) when missing or another version;
/// `needed_for` says what fails without npm.
pub fn npm_package(
    dir: &Path,
    package: &str,
    version: &str,
    file: &str,
    needed_for: &str,
) -> Result<PathBuf, String> {
    let wanted = dir.join(file);
    let installed = dir.join("node_modules").join(package).join("package.json");
    let version_ok = std::fs::read_to_string(&installed)
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .is_some_and(|v| v["version"] == version);
    if !version_ok || !wanted.exists() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        step(
            &format!(
                "installing {package} {version} (from npm, into {})",
                dir.display()
            ),
            "npm",
            &[
                "install",
                "--prefix",
                &dir.to_string_lossy(),
                "--no-audit",
                "--no-fund",
                "--no-save",
                &format!("{package}@{version}"),
            ],
        )
        .map_err(|e| format!("{e}; {needed_for} needs npm to fetch {package}"))?;
    }
    Ok(wanted)
}

/// Debian's Chromium and ChromeDriver (never a browser a tool downloads).
pub fn ensure_browser() -> Result<(), String> {
    if output("chromium", &["--version"]).is_some()
        && output("chromedriver", &["--version"]).is_some()
    {
        return Ok(());
    }
    if output("id", &["-u"]).as_deref() != Some("0") {
        return Err("Chromium and ChromeDriver are missing: install Debian's `chromium` and `chromium-driver` (as root: apt-get install chromium chromium-driver), then run this again".into());
    }
    run("apt-get", &["update", "-qq"])?;
    run(
        "env",
        &[
            "DEBIAN_FRONTEND=noninteractive",
            "apt-get",
            "install",
            "-y",
            "-qq",
            "chromium",
            "chromium-driver",
        ],
    )
}
