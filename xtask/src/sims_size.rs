//! What the simulators add to a page: the `simulators` example (every shipped
//! simulation rebuilt from the compiled scenario table) built for the browser
//! exactly as the site is, measured against the site's own wasm, with a check
//! that no TOML parser is linked in.

use crate::bench::gzip_len;
use crate::shell::step;
use std::path::Path;

const OUT: &str = "target/sims-size";

/// Builds the example for wasm32, runs wasm-bindgen and wasm-opt -Oz as
/// Trunk does, and prints its sizes beside the site's wasm in `dist/`.
pub fn run() -> Result<(), String> {
    step(
        "building the simulators example for the browser",
        "cargo",
        &[
            "build",
            "--release",
            "--target",
            "wasm32-unknown-unknown",
            "--example",
            "simulators",
        ],
    )?;
    let built = "target/wasm32-unknown-unknown/release/examples/simulators.wasm";
    let bytes = std::fs::read(built).map_err(|e| format!("{built}: {e}"))?;
    check_linked(&bytes)?;
    step(
        "wasm-bindgen",
        "wasm-bindgen",
        &[
            "--target",
            "web",
            "--no-typescript",
            "--out-dir",
            OUT,
            built,
        ],
    )?;
    let bound = format!("{OUT}/simulators_bg.wasm");
    let optimized = format!("{OUT}/simulators.opt.wasm");
    step(
        "wasm-opt -Oz",
        "wasm-opt",
        &[
            "-Oz",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            &bound,
            "-o",
            &optimized,
        ],
    )?;
    println!("{:<40} {:>10} {:>10}", "wasm", "bytes", "gzip -9");
    print_size("three simulators (example)", Path::new(&optimized))?;
    match site_wasm() {
        Some(site) => print_size("the player alone (dist/)", &site),
        None => {
            println!("(build the site with `cargo xtask build` to compare with the player)");
            Ok(())
        }
    }
}

/// Fails unless the simulators are in `wasm` and no code of the TOML parser
/// (nor of serde_json) is: the mangled function names in its name section
/// tell. (The scenario file names in the embedded table end in `.toml`, so
/// the check looks for crate paths, not the word.)
fn check_linked(wasm: &[u8]) -> Result<(), String> {
    let contains = |needle: &str| wasm.windows(needle.len()).any(|w| w == needle.as_bytes());
    for present in ["11sim_cgroups", "11sim_overlay", "8sim_logs"] {
        if !contains(present) {
            return Err(format!(
                "no `{present}` symbol in the example's wasm: the check cannot see names"
            ));
        }
    }
    let loaders = [
        "N4toml",
        "$LT$toml..",
        "toml_parser",
        "serde_spanned",
        "winnow",
        "10serde_json",
    ];
    if let Some(found) = loaders.iter().find(|needle| contains(needle)) {
        return Err(format!(
            "the simulators example links `{found}`: a loader or the runner's JSON reached the browser build"
        ));
    }
    println!("xtask: the example links sim_cgroups, sim_overlay and sim_logs, and no toml, winnow or serde_json code");
    Ok(())
}

fn site_wasm() -> Option<std::path::PathBuf> {
    std::fs::read_dir("dist")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "wasm"))
}

fn print_size(label: &str, path: &Path) -> Result<(), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("{label:<40} {:>10} {:>10}", bytes.len(), gzip_len(&bytes));
    Ok(())
}
