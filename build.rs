//! Compiles what the player embeds, so the browser ships no parser:
//!
//! - `slides/slides.md` into the deck: parsed, code highlighted, encoded.
//!   Problems in the deck are printed as warnings with their line and
//!   column; the player shows them on their slides.
//! - every scenario in `slides/scenarios/` into the scenario table: loaded
//!   and run to its end by its simulator, its config encoded. A bad scenario
//!   is reported (file, line, column, what was expected) and its figure shows
//!   that message; `cargo xtask test` fails on it.
//! - the live figures (`src/figures/catalog.rs`) onto their slides. The
//!   build fails, with a located message, when a figure runs a scenario that
//!   does not exist, or a scenario names a slide no figure of it can be on.

use sim_core::scenario::read_header;
use sim_core::ScenarioTable;
use simdeck_deck::{Deck, LiveFigure};
use simdeck_sim::ShippedScenario;
use std::path::PathBuf;

/// The player's figure catalog; the build reads only names and scenarios.
#[allow(dead_code)]
mod catalog {
    include!("src/figures/catalog.rs");
}
use catalog::FIGURES;

const CATALOG: &str = "src/figures/catalog.rs";

fn main() {
    let slides = std::env::var("SIMDECK_SLIDES").unwrap_or_else(|_| "slides/slides.md".into());
    println!("cargo:rerun-if-changed={slides}");
    println!("cargo:rerun-if-changed={CATALOG}");
    println!("cargo:rerun-if-env-changed=SIMDECK_SLIDES");
    let src = match std::fs::read_to_string(&slides) {
        Ok(src) => src,
        Err(e) => {
            println!("cargo:warning={slides}: cannot read the deck ({e}); building an empty deck");
            String::new()
        }
    };
    let mut deck = simdeck_compile::compile(&src);
    for (slide, d) in deck.all_diagnostics() {
        println!(
            "cargo:warning={slides}:{}:{}: slide {slide}: {}",
            d.line, d.column, d.message
        );
    }
    let table = compile_scenarios();
    if let Err(problems) = attach_figures(&mut deck, &slides) {
        for problem in &problems {
            println!("cargo:warning={problem}");
            eprintln!("error: {problem}");
        }
        std::process::exit(1);
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("deck.bin"), deck.encode()).expect("OUT_DIR is writable");
    let table = postcard::to_allocvec(&table).expect("plain data encodes");
    std::fs::write(out.join("scenarios.bin"), table).expect("OUT_DIR is writable");
}

/// Every shipped scenario compiled; each one that fails is a located warning
/// and an entry of the table's failures.
fn compile_scenarios() -> ScenarioTable {
    let registry = simdeck_sim::Registry::builtin();
    let mut table = ScenarioTable::default();
    for shipped in simdeck_sim::shipped() {
        match registry.compile(shipped.path, shipped.source, simdeck_sim::STEP_LIMIT) {
            Ok(compiled) => table.scenarios.push(compiled),
            Err(e) => {
                println!("cargo:warning={e}");
                table
                    .failures
                    .push((shipped.file_name.to_string(), e.to_string()));
            }
        }
    }
    table
}

/// Puts each catalog figure on the slides its scenario names, or says, in
/// located sentences, why the catalog, the scenarios and the deck disagree.
fn attach_figures(deck: &mut Deck, slides: &str) -> Result<(), Vec<String>> {
    let shipped = simdeck_sim::shipped();
    let mut problems = Vec::new();
    for spec in FIGURES {
        if !shipped.iter().any(|s| s.file_name == spec.scenario) {
            problems.push(format!(
                "{CATALOG}:{}: the figure `{}` runs {}, which is not in {}",
                catalog_line(spec.name),
                spec.name,
                spec.scenario,
                simdeck_sim::SCENARIO_DIR
            ));
        }
    }
    for scenario in shipped {
        let Ok(header) = read_header(scenario.path, scenario.source) else {
            continue; // compile_scenarios has reported it; its figure says so.
        };
        let spec = FIGURES.iter().find(|f| f.scenario == scenario.file_name);
        for &slide in &header.slides {
            let Some(spec) = spec else {
                problems.push(format!(
                    "{}:{}: the scenario names slide {slide}, but no live figure in {CATALOG} runs {}",
                    scenario.path,
                    slides_line(scenario),
                    scenario.file_name
                ));
                continue;
            };
            let live = LiveFigure {
                figure: spec.name.to_string(),
                scenario: scenario.file_name.to_string(),
                click_points: header.clicks.len(),
            };
            if let Err(e) = deck.attach_live_figure(slide as usize, live) {
                problems.push(format!(
                    "{}:{}: the scenario names slide {slide}, but {e} ({slides})",
                    scenario.path,
                    slides_line(scenario)
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The line of `scenario` that names its slides.
fn slides_line(scenario: &ShippedScenario) -> usize {
    line_of(scenario.source, "slides")
}

/// The catalog line that names the figure `name`.
fn catalog_line(name: &str) -> usize {
    let catalog = std::fs::read_to_string(CATALOG).unwrap_or_default();
    line_of(&catalog, &format!("\"{name}\""))
}

/// The 1-based line of the first line of `text` that holds `needle`, or 1.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|line| line.contains(needle))
        .map_or(1, |i| i + 1)
}
