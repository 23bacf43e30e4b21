//! The release site's JavaScript glue (wasm-bindgen's output) minified by
//! esbuild. Trunk's own minifier fails on that output and leaves it as
//! written ("Failed to minify JS" in the build log), so the player, figures
//! and presenter scripts shipped about 2 KB gzip each of names and spaces.

use base64::Engine;
use sha2::{Digest, Sha384};
use std::path::{Path, PathBuf};

/// Where xtask installs esbuild (npm, pinned), inside the project's target directory.
const ESBUILD_DIR: &str = "target/esbuild";
/// Must match a published `esbuild` version.
const ESBUILD_VERSION: &str = "0.28.2";

/// Minifies the ES module at `path` in place, keeping its exports and
/// `import.meta.url`.
pub fn minify_module(path: &Path) -> Result<(), String> {
    let esbuild = esbuild()?;
    let file = path.to_string_lossy();
    crate::shell::step(
        "minifying the glue",
        &esbuild.to_string_lossy(),
        &[
            "--minify",
            "--format=esm",
            "--log-level=warning",
            "--allow-overwrite",
            &file,
            &format!("--outfile={file}"),
        ],
    )
}

/// Minifies the player's glue (Trunk's `<name>-<hash>.js` at the top of
/// `staging`) and names it by the hash of what it now holds, since a
/// hashed file is cached for good; returns `html` with the references to it
/// and its `integrity` pins renewed.
pub fn minify_player(staging: &Path, html: &str) -> Result<String, String> {
    let mut page = html.to_string();
    for script in player_scripts(staging)? {
        let located = |e: String| format!("{}: {e}", script.display());
        let before = std::fs::read(&script).map_err(|e| located(e.to_string()))?;
        minify_module(&script)?;
        let after = std::fs::read(&script).map_err(|e| located(e.to_string()))?;
        let old_name = script
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let new_name = hashed_name(&old_name, &after).map_err(located)?;
        std::fs::rename(&script, script.with_file_name(&new_name))
            .map_err(|e| located(e.to_string()))?;
        page = repin(&page, &before, &after).map_err(located)?;
        page = rename_in(&page, &old_name, &new_name).map_err(located)?;
    }
    Ok(page)
}

/// `name` (`<stem>-<hash>.js`, as Trunk names a file) with the hash of `content`.
fn hashed_name(name: &str, content: &[u8]) -> Result<String, String> {
    let (stem, _) = name
        .strip_suffix(".js")
        .and_then(|n| n.rsplit_once('-'))
        .ok_or_else(|| format!("`{name}` is not named `<name>-<hash>.js`"))?;
    Ok(format!(
        "{stem}-{:016x}.js",
        crate::figures_module::fnv1a(&[content])
    ))
}

/// `html` with every reference to the file `old` naming `new`; an error if
/// the page does not name `old`.
fn rename_in(html: &str, old: &str, new: &str) -> Result<String, String> {
    if !html.contains(old) {
        return Err(format!("the page does not name `{old}`"));
    }
    Ok(html.replace(old, new))
}

/// The scripts Trunk wrote at the top of `staging`, except the service worker.
fn player_scripts(staging: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(staging).map_err(|e| format!("{}: {e}", staging.display()))?;
    let mut scripts: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "js") && !p.ends_with("sw.js"))
        .collect();
    scripts.sort();
    Ok(scripts)
}

/// `html` with the Subresource Integrity pin of `before` replaced by that of
/// `after`; an error if the page does not pin `before`, so a change in how
/// Trunk writes the page cannot leave a stale pin that blocks the script.
fn repin(html: &str, before: &[u8], after: &[u8]) -> Result<String, String> {
    let old = sri(before);
    if !html.contains(&old) {
        return Err(format!("the page has no `integrity` pin {old} to renew"));
    }
    Ok(html.replace(&old, &sri(after)))
}

/// `sha384-…`, the integrity value Trunk writes.
fn sri(bytes: &[u8]) -> String {
    let digest = Sha384::digest(bytes);
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// esbuild's command, installed from npm into `target/` when missing.
fn esbuild() -> Result<PathBuf, String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    crate::tools::npm_package(
        &root.join(ESBUILD_DIR),
        "esbuild",
        ESBUILD_VERSION,
        "node_modules/.bin/esbuild",
        "a release build",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_integrity_pin_is_the_sha384_of_the_file() {
        // printf 'alert(1)' | openssl dgst -sha384 -binary | base64
        assert_eq!(
            sri(b"alert(1)"),
            "sha384-HT2E9NfWiuQ/w1PRai+hTyqW16NIoCGA/m8VQDUopfAtcz6YQjtsMmQd5uRbVDpW"
        );
    }

    #[test]
    fn the_minified_script_is_named_by_its_content() {
        let name = hashed_name("simdeck-9bec6317050ac28b.js", b"x").unwrap();
        assert!(
            name.starts_with("simdeck-") && name.ends_with(".js"),
            "{name}"
        );
        assert_ne!(
            name,
            hashed_name("simdeck-9bec6317050ac28b.js", b"y").unwrap()
        );
        assert_eq!(
            name,
            hashed_name("simdeck-0000000000000000.js", b"x").unwrap()
        );
        assert!(hashed_name("sw.js", b"x").is_err());
        let page = "<link href=/simdeck-1.js><script>import init from '/simdeck-1.js'; init('/simdeck-1_bg.wasm')</script>";
        let renamed = rename_in(page, "simdeck-1.js", "simdeck-2.js").unwrap();
        assert_eq!(renamed.matches("simdeck-2.js").count(), 2);
        assert!(
            renamed.contains("simdeck-1_bg.wasm"),
            "the wasm keeps its name"
        );
        assert!(rename_in(page, "other.js", "x.js").is_err());
    }

    #[test]
    fn every_pin_of_the_old_script_names_the_new_one() {
        let page = format!(
            "<link href=/a.js integrity={0}><script integrity={0}></script>",
            sri(b"old")
        );
        let renewed = repin(&page, b"old", b"new").unwrap();
        assert_eq!(renewed.matches(&sri(b"new")).count(), 2);
        assert!(!renewed.contains(&sri(b"old")));
        assert!(repin(&page, b"other", b"new")
            .unwrap_err()
            .contains("no `integrity` pin"));
    }
}
