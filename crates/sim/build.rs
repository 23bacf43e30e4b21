//! Embeds every `slides/scenarios/*.toml` file, sorted by name, as the
//! `include_str!` table `shipped_scenarios.rs` in `OUT_DIR`, so a new scenario
//! file is shipped (and checked, digested and benchmarked) without a code change.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let manifest_dir =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let scenario_dir = manifest_dir.join("../../slides/scenarios");
    println!("cargo:rerun-if-changed={}", scenario_dir.display());
    let mut files = scenario_files(&scenario_dir);
    files.sort();
    let mut table = String::from("&[\n");
    for file in &files {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .expect("scenario file names are UTF-8");
        let absolute = fs::canonicalize(file).expect("a listed scenario file exists");
        writeln!(
            table,
            "    ShippedScenario {{ file_name: {name:?}, path: {path:?}, source: include_str!({absolute:?}) }},",
            path = format!("slides/scenarios/{name}"),
            absolute = absolute.to_str().expect("the checkout path is UTF-8"),
        )
        .expect("writing to a String cannot fail");
    }
    table.push_str("]\n");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::write(out.join("shipped_scenarios.rs"), table).expect("OUT_DIR is writable");
}

/// The `*.toml` files directly inside `dir`; none when it does not exist.
fn scenario_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file() && path.extension().is_some_and(|ext| ext == "toml"))
        .collect()
}
