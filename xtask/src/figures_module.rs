//! The modules built for the browser apart from the player, each with the
//! figures' stylesheets (`src/figures/*.css`), into a directory of the
//! staged site named by its content's hash, so a new build is never served
//! from a stale cache: the figures module (`figures` binary: simulators,
//! figure frame and drawings), which the player loads on the slide before a
//! live figure or when one is drawn first, and the presenter module (`presenter`
//! binary: a player with the presenter view and the figures), which it
//! loads in a presenter window only.

use crate::shell::step;
use std::path::{Path, PathBuf};

/// A module built apart from the player.
pub struct Module {
    /// Its binary, which names its files and directory too.
    pub bin: &'static str,
    /// The name of the page's `<meta>` that says where it is.
    meta: &'static str,
}

/// The live figures.
pub const FIGURES: Module = Module {
    bin: "figures",
    meta: "simdeck-figures",
};

/// The presenter window's player.
pub const PRESENTER: Module = Module {
    bin: "presenter",
    meta: "simdeck-presenter",
};

/// Builds `module` into `staging` and returns its script's path relative
/// to the page, e.g. `figures-0123abcd/figures.js`. `release` optimises it
/// as Trunk does the player.
pub fn build(staging: &Path, release: bool, module: &Module) -> Result<String, String> {
    let bin = module.bin;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let manifest = root.join("Cargo.toml").to_string_lossy().into_owned();
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let mut cargo = vec![
        "build",
        "--manifest-path",
        &manifest,
        "--target",
        "wasm32-unknown-unknown",
        "--bin",
        bin,
    ];
    if release {
        cargo.push("--release");
    }
    step(&format!("{bin} module"), "cargo", &cargo)?;
    let profile = if release { "release" } else { "debug" };
    let built = target_dir
        .join(format!("wasm32-unknown-unknown/{profile}/{bin}.wasm"))
        .to_string_lossy()
        .into_owned();
    let out = target_dir.join(format!("{bin}-module"));
    let out = out.as_path();
    let _ = std::fs::remove_dir_all(out);
    let out_dir = out.to_string_lossy().into_owned();
    step(
        &format!("{bin} module: wasm-bindgen"),
        "wasm-bindgen",
        &[
            "--target",
            "web",
            "--no-typescript",
            "--out-dir",
            &out_dir,
            "--out-name",
            bin,
            &built,
        ],
    )?;
    let wasm = out.join(format!("{bin}_bg.wasm"));
    let script_name = format!("{bin}.js");
    if release {
        crate::minify::minify_module(&out.join(&script_name))?;
        let wasm = wasm.to_string_lossy().into_owned();
        step(
            &format!("{bin} module: wasm-opt -Oz"),
            "wasm-opt",
            &[
                "-Oz",
                "--converge",
                "--strip-producers",
                "--low-memory-unused",
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
                "--enable-reference-types",
                "--enable-sign-ext",
                &wasm,
                "-o",
                &wasm,
            ],
        )?;
    }
    let script =
        std::fs::read(out.join(&script_name)).map_err(|e| format!("{script_name}: {e}"))?;
    let code = std::fs::read(&wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
    let styles = styles(&root.join("src/figures"))?;
    // The JavaScript snippets the module imports (`inline_js`), by path.
    let mut snippets = Vec::new();
    files_under(&out.join("snippets"), Path::new("snippets"), &mut snippets)?;
    let mut parts: Vec<&[u8]> = vec![&script, &code, &styles];
    for (name, bytes) in &snippets {
        parts.extend([name.as_bytes(), bytes.as_slice()]);
    }
    let dir = format!("{bin}-{:016x}", fnv1a(&parts));
    let target = staging.join(&dir);
    let mut files = vec![
        (script_name.clone(), script),
        (format!("{bin}_bg.wasm"), code),
        (format!("{bin}.css"), styles),
    ];
    files.extend(snippets);
    for (name, bytes) in files {
        let path = target.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(format!("{dir}/{script_name}"))
}

/// Every file under `dir` (none if it does not exist), named by its path
/// under `prefix`, `/`-separated, sorted.
fn files_under(dir: &Path, prefix: &Path, out: &mut Vec<(String, Vec<u8>)>) -> Result<(), String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let Some(name) = path.file_name() else {
            continue;
        };
        let under = prefix.join(name);
        if path.is_dir() {
            files_under(&path, &under, out)?;
        } else {
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            out.push((under.to_string_lossy().replace('\\', "/"), bytes));
        }
    }
    Ok(())
}

/// Every stylesheet in `dir`, the frame's first, then by name, minified as
/// far as dropping comments and indentation goes.
fn styles(dir: &Path) -> Result<Vec<u8>, String> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "css"))
        .collect();
    names.sort_by_key(|path| (!path.ends_with("frame.css"), path.clone()));
    let mut css = String::new();
    for path in names {
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        css.push_str(&minify_css(&text));
    }
    Ok(css.into_bytes())
}

/// `css` without comments and with each line trimmed.
fn minify_css(css: &str) -> String {
    let mut out = String::new();
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    out.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The `<meta>` that tells the player where `module` is.
pub fn meta(module: &Module, path: &str) -> String {
    format!(r#"<meta name="{}" content="{path}">"#, module.meta)
}

/// FNV-1a over `parts`, for naming the module's directory (and the
/// service worker's version) by their content.
pub fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in parts.iter().flat_map(|p| p.iter()) {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_loses_comments_and_indentation() {
        assert_eq!(
            minify_css("/* a */\n.x { a: b; }\n  /* b\n c */  .y{}\n\n"),
            ".x { a: b; }\n.y{}\n"
        );
    }

    #[test]
    fn a_modules_snippets_are_found_under_their_own_paths() {
        let dir = std::env::temp_dir().join(format!("simdeck-snippets-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("simdeck-1")).unwrap();
        std::fs::write(dir.join("simdeck-1/inline0.js"), "export {}").unwrap();
        std::fs::write(dir.join("a.js"), "a").unwrap();
        let mut found = Vec::new();
        files_under(&dir, Path::new("snippets"), &mut found).unwrap();
        let names: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["snippets/a.js", "snippets/simdeck-1/inline0.js"]);
        let mut none = Vec::new();
        files_under(&dir.join("missing"), Path::new("snippets"), &mut none).unwrap();
        assert!(none.is_empty());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn the_directory_name_follows_the_content() {
        assert_eq!(fnv1a(&[b"a", b"b"]), fnv1a(&[b"ab"]));
        assert_ne!(fnv1a(&[b"ab"]), fnv1a(&[b"ba"]));
        assert_eq!(fnv1a(&[]), 0xcbf2_9ce4_8422_2325);
    }
}
