//! The service worker's stamp, written by the post-build hook once every
//! file of the site is in place: a version (a hash of every file's name and
//! bytes) and the list of files to keep for offline use. A new deploy is
//! thereby a new worker with a new cache, which replaces the old one.

use crate::figures_module::fnv1a;
use std::path::{Path, PathBuf};

/// The worker, relative to the page.
const WORKER: &str = "sw.js";
const VERSION_MARK: &str = "__SIMDECK_VERSION__";
const PRECACHE_MARK: &str = "__SIMDECK_PRECACHE__";

/// Stamps `site/sw.js` with the site's version and files; returns the version.
pub fn stamp(site: &Path) -> Result<String, String> {
    let worker = site.join(WORKER);
    let script =
        std::fs::read_to_string(&worker).map_err(|e| format!("{}: {e}", worker.display()))?;
    if !script.contains(VERSION_MARK) || !script.contains(PRECACHE_MARK) {
        return Err(format!(
            "{} has no {VERSION_MARK} and {PRECACHE_MARK} to stamp",
            worker.display()
        ));
    }
    let files = site_files(site)?;
    let mut contents = Vec::with_capacity(files.len());
    for name in &files {
        let path = site.join(name);
        contents.push(std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?);
    }
    let parts: Vec<&[u8]> = files
        .iter()
        .zip(&contents)
        .flat_map(|(name, bytes)| [name.as_bytes(), &[0], bytes.as_slice(), &[0]])
        .collect();
    let version = format!("{:016x}", fnv1a(&parts));
    let stamped = script
        .replace(VERSION_MARK, &version)
        .replace(PRECACHE_MARK, &precache_list(&files));
    std::fs::write(&worker, stamped).map_err(|e| format!("{}: {e}", worker.display()))?;
    Ok(version)
}

/// The files the worker keeps at once, as a JavaScript array of paths
/// relative to the page: the page itself as `./`, every other file but the
/// worker and the presenter module (only a presenter window loads that; the
/// worker keeps it once it has been fetched).
fn precache_list(files: &[String]) -> String {
    let paths: Vec<String> = files
        .iter()
        .filter(|f| !f.starts_with("presenter-"))
        .map(|f| if f == "index.html" { "./" } else { f.as_str() })
        .map(|p| serde_json::Value::String(p.to_string()).to_string())
        .collect();
    format!("[{}]", paths.join(","))
}

/// Every file under `site` but the worker, as `/`-separated relative paths, sorted.
fn site_files(site: &Path) -> Result<Vec<String>, String> {
    let mut found = Vec::new();
    let mut dirs: Vec<PathBuf> = vec![site.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
            if path.is_dir() {
                dirs.push(path);
            } else if let Ok(relative) = path.strip_prefix(site) {
                let name = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                if name != WORKER {
                    found.push(name);
                }
            }
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "simdeck-offline-test-{}-{}",
            std::process::id(),
            files.len() + files.iter().map(|f| f.1.len()).sum::<usize>()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn the_worker_lists_every_file_but_the_presenters_and_its_version_follows_them() {
        let worker = "const V = \"__SIMDECK_VERSION__\"; const P = __SIMDECK_PRECACHE__;";
        let one = site(&[
            ("sw.js", worker),
            ("index.html", "<p>"),
            ("a-1.js", "x"),
            ("figures-9/figures.js", "y"),
            ("presenter-3/presenter.js", "z"),
        ]);
        let v1 = stamp(&one).unwrap();
        let stamped = std::fs::read_to_string(one.join("sw.js")).unwrap();
        assert_eq!(
            stamped,
            format!("const V = \"{v1}\"; const P = [\"a-1.js\",\"figures-9/figures.js\",\"./\"];")
        );
        assert!(
            stamp(&one).is_err(),
            "a stamped worker is not stamped twice"
        );
        let two = site(&[
            ("sw.js", worker),
            ("index.html", "<p>!"),
            ("a-1.js", "x"),
            ("figures-9/figures.js", "y"),
            ("presenter-3/presenter.js", "z"),
        ]);
        assert_ne!(stamp(&two).unwrap(), v1, "a changed page is a new version");
        let _ = std::fs::remove_dir_all(one);
        let _ = std::fs::remove_dir_all(two);
    }
}
