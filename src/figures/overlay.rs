//! The live figures of the overlay simulator (slides 15-18), each an SVG
//! drawn from the simulation's state at the shown step:
//!
//! - [`storage_drivers`]: Docker's storage drivers, overlay2 chosen, its
//!   layer directories and the overlay mount it makes for a container;
//! - [`dockerfile`]: the image as each Dockerfile instruction leaves it;
//! - [`container_layers`]: the image's shared read-only layers under each
//!   container's thin read-write layer;
//! - [`constructs`]: one overlay mount's lowerdirs, upperdir and merged view,
//!   path by path, each entry with the layer it comes from.
//!
//! Each drawing is a plain function writing the figure's markup (see
//! [`super::svg`]), which the figure's `<svg>` keeps patched in place (see
//! [`super::markup`]). What the last step acted on is marked `fresh`, found
//! from its narration ([`Told::object`]) and rule.

use super::decimal::{fixed, ratio, tenths};
use super::markup::drawing_svg;
use super::svg::Svg;
use super::svg::Value;
use super::{Live, Told};
use leptos::prelude::*;
use sim_core::sorted::sort_stable_by_key;
use sim_core::SortedMap;
use sim_overlay::image::Image;
use sim_overlay::layer::{base_name, Entry, Layer};
use sim_overlay::overlay::{Mount, Shown};
use sim_overlay::{MountRecord, OverlaySim, StoredLayer, OVERLAY2_ROOT};
use std::sync::Arc;

/// `n` bytes as Docker prints sizes (powers of 1000, one decimal).
fn size(n: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if n < 1000 {
        return format!("{n} B");
    }
    let (mut unit, mut divisor) = (0, 1000);
    while n / divisor >= 1000 && unit + 1 < UNITS.len() {
        divisor *= 1000;
        unit += 1;
    }
    format!("{} {}", ratio(n, divisor, 1), UNITS[unit])
}

/// `text` cut to `max` characters, an ellipsis marking the cut.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let kept: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{kept}…")
    }
}

/// The first 12 characters of a directory id, as Docker shows it.
fn short(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

/// The narration of the step that led to the shown one, if any.
fn last_told(live: &Live<OverlaySim>) -> Option<Told> {
    let step = live.step();
    live.with_run(|run| step.checked_sub(1).and_then(|i| run.told.get(i).cloned()))
}

/// The SVG every overlay figure draws into, its content kept equal to `markup`.
fn canvas(
    class: &'static str,
    view_box: &'static str,
    label: &'static str,
    markup: Signal<String>,
) -> AnyView {
    drawing_svg(&format!("fig-ov {class}"), view_box, "img", label, markup)
}

/// The markup of the figure of class `class`: the hatch pattern its bars
/// may fill with, then, in one group, what `body` draws. Elements of one
/// tag write their attributes in one order, those only some of them have
/// last, so that an element patched into another keeps the order a fresh
/// drawing has.
fn drawing(class: &str, body: impl FnOnce(&mut Svg)) -> String {
    let mut s = Svg::default();
    s.el("defs").open();
    s.el("pattern")
        .attr("id", format_args!("{class}-hatch"))
        .attr("width", 6)
        .attr("height", 6)
        .attr("patternUnits", "userSpaceOnUse")
        .attr("patternTransform", "rotate(45)")
        .open();
    s.el("rect")
        .attr("class", "ov-hatch-bg")
        .attr("width", 6)
        .attr("height", 6)
        .close();
    s.el("line")
        .attr("class", "ov-hatch-line")
        .attr("x1", 0)
        .attr("y1", 0)
        .attr("x2", 0)
        .attr("y2", 6)
        .close();
    s.end();
    s.end();
    s.el("g").open();
    body(&mut s);
    s.finish()
}

/// `base` and each flag's class that is on, as one `class` value, the
/// flags in a fixed order.
fn classes(base: &str, flags: &[(&str, bool)]) -> String {
    let mut out = base.to_string();
    for (name, on) in flags {
        if *on {
            out.push(' ');
            out.push_str(name);
        }
    }
    out
}

/// A line of SVG text.
fn label(s: &mut Svg, x: f64, y: f64, class: &str, text: impl Value) {
    s.el("text")
        .attr("x", tenths(x))
        .attr("y", tenths(y))
        .attr("class", class)
        .text(text);
}

/// A line of SVG text anchored at `anchor` (`middle` or `end`).
fn anchored(s: &mut Svg, x: impl Value, y: f64, class: &str, anchor: &str, text: impl Value) {
    s.el("text")
        .attr("x", x)
        .attr("y", tenths(y))
        .attr("class", class)
        .attr("text-anchor", anchor)
        .text(text);
}

/// A rectangle with rounded corners of radius `rx`.
fn rounded(
    s: &mut Svg,
    x: impl Value,
    y: impl Value,
    width: impl Value,
    height: impl Value,
    rx: u8,
) {
    s.el("rect")
        .attr("x", x)
        .attr("y", y)
        .attr("width", width)
        .attr("height", height)
        .attr("rx", rx)
        .close();
}

// ---------------------------------------------------------------- slide 15

/// Docker's storage drivers on Linux, as its documentation ranks them.
const DRIVERS: [(&str, &str); 4] = [
    ("overlay2", "preferred; no extra setup"),
    ("fuse-overlayfs", "rootless Docker, old kernels"),
    ("btrfs, zfs", "snapshots; own filesystem"),
    ("vfs", "no copy-on-write; testing"),
];

/// Slide 15: the storage drivers, overlay2 chosen, its store of layer
/// directories (which images use each) and a container's overlay mount.
pub fn storage_drivers(live: Live<OverlaySim>) -> AnyView {
    const CLASS: &str = "fig-ov-drivers";
    let markup = move || {
        let told = last_told(&live);
        live.with(|sim| drawing(CLASS, |s| drivers_body(s, sim, told.as_ref())))
    };
    canvas(
        CLASS,
        "0 0 880 250",
        "Docker's storage drivers; overlay2's layer directories and a container's overlay mount",
        Signal::derive(markup),
    )
}

/// One card of the overlay2 store: a layer's directory or a container's.
struct Card {
    x: f64,
    y: f64,
    fresh: bool,
    lines: Vec<String>,
    container: bool,
}

const CARD_W: f64 = 208.0;
const CARD_H: f64 = 56.0;

fn drivers_body(s: &mut Svg, sim: &OverlaySim, told: Option<&Told>) {
    let object = told.map_or("", |t| t.object.as_str());
    label(s, 0.0, 13.0, "ov-title", "Storage drivers on Linux");
    for (i, (name, note)) in DRIVERS.iter().enumerate() {
        let y = 24.0 + i as f64 * 48.0;
        let chosen = i == 0;
        s.el("g")
            .attr("class", classes("ov-driver", &[("chosen", chosen)]))
            .open();
        rounded(s, 0, tenths(y), 188, 40, 5);
        for (dy, class, text) in [(17.0, "ov-name", name), (32.0, "ov-note", note)] {
            s.el("text")
                .attr("x", 10)
                .attr("y", tenths(y + dy))
                .attr("class", class)
                .text(text);
        }
        if chosen {
            anchored(s, 180, y + 17.0, "ov-tag", "end", "✓ in use");
        }
        s.end();
    }
    label(s, 0.0, 222.0, "ov-note", "overlay2 keeps every layer in");
    label(s, 0.0, 236.0, "ov-mono", format_args!("{OVERLAY2_ROOT}/"));

    let store: Vec<&StoredLayer> = sim.store().collect();
    label(
        s,
        204.0,
        13.0,
        "ov-title",
        format_args!(
            "{OVERLAY2_ROOT}: one directory per layer ({} stored)",
            store.len()
        ),
    );
    if store.is_empty() {
        label(
            s,
            204.0,
            120.0,
            "ov-empty",
            "Nothing pulled yet: the store is empty.",
        );
        return;
    }
    // Rows by how many layers lie below; containers above their image.
    let depth = |s: &StoredLayer| {
        if s.lower.is_empty() {
            0
        } else {
            s.lower.split(':').count()
        }
    };
    let mut cards: Vec<Card> = Vec::new();
    let mut by_link: SortedMap<&str, usize> = SortedMap::default();
    let mut in_row: SortedMap<usize, usize> = SortedMap::default();
    let mut sorted = store.clone();
    sort_stable_by_key(&mut sorted, |s| depth(s));
    let mut links: Vec<(usize, Option<&str>)> = Vec::new();
    for stored in sorted {
        let d = depth(stored);
        let column = in_row.get_or_insert_with(d, || 0);
        let x = 204.0 + *column as f64 * (CARD_W + 8.0);
        *column += 1;
        let users = sim.images_using(&stored.cache_id);
        let lower = if stored.lower.is_empty() {
            "no lower file (bottom)".to_string()
        } else {
            format!("lower: {d} layer(s) below")
        };
        by_link.insert(stored.link.as_str(), cards.len());
        links.push((
            cards.len(),
            stored
                .lower
                .split(':')
                .next()
                .and_then(|l| l.strip_prefix("l/")),
        ));
        let name = stored.layer.name();
        cards.push(Card {
            x,
            y: 184.0 - d as f64 * 66.0,
            fresh: object == format!("layer {name}")
                || object == format!("{OVERLAY2_ROOT}/{}", short(&stored.cache_id)),
            lines: vec![
                format!("{}/  {}", short(&stored.cache_id), clip(name, 16)),
                format!(
                    "diff/: {} file(s), {}",
                    stored.layer.file_count(),
                    size(stored.layer.bytes())
                ),
                format!("link {} · {lower}", clip(&stored.link, 8)),
                format!("used by {}", clip(&users.join(", "), 30)),
            ],
            container: false,
        });
    }
    let mut mount_panel = None;
    for (name, record) in sim.mounts() {
        let Some(container) = &record.container else {
            continue;
        };
        let dirs = sim.layer_dirs_of(&container.image);
        let parent = dirs
            .last()
            .and_then(|top| by_link.get(top.link.as_str()).copied());
        let x = parent.and_then(|p| cards.get(p)).map_or(204.0, |c| c.x);
        let entries = record.mount.upper_entries();
        let files: Vec<String> = entries
            .iter()
            .filter(|e| !e.entry.is_plain_dir())
            .map(|e| e.path.to_string())
            .collect();
        links.push((cards.len(), dirs.last().map(|d| d.link.as_str())));
        cards.push(Card {
            x,
            y: 184.0 - dirs.len() as f64 * 66.0,
            fresh: object == format!("container {name}") || object.starts_with(&format!("{name}:")),
            lines: vec![
                format!("{}/  container {name}", short(&container.cache_id)),
                format!("diff/ (upperdir): {} entries", entries.len()),
                if files.is_empty() {
                    "nothing written yet".to_string()
                } else {
                    clip(&files.join(", "), 34)
                },
                "merged/: the container's /".to_string(),
            ],
            container: true,
        });
        if mount_panel.is_none() {
            mount_panel = Some(mount_lines(name, record, &dirs, &container.cache_id));
        }
    }
    for (child, parent_link) in links {
        let parent = parent_link
            .and_then(|l| by_link.get(l))
            .and_then(|&p| cards.get(p));
        if let (Some(c), Some(p)) = (cards.get(child), parent) {
            s.el("line")
                .attr("class", "ov-link")
                .attr("x1", tenths(c.x + CARD_W / 2.0))
                .attr("y1", tenths(c.y + CARD_H))
                .attr("x2", tenths(p.x + CARD_W / 2.0))
                .attr("y2", tenths(p.y))
                .close();
        }
    }
    for card in &cards {
        s.el("g")
            .attr(
                "class",
                classes(
                    "ov-card",
                    &[("fresh", card.fresh), ("container", card.container)],
                ),
            )
            .open();
        rounded(
            s,
            tenths(card.x),
            tenths(card.y),
            tenths(CARD_W),
            tenths(CARD_H),
            5,
        );
        for (i, line) in card.lines.iter().enumerate() {
            let class = if i == 0 {
                "ov-mono ov-strong"
            } else {
                "ov-small"
            };
            label(
                s,
                card.x + 8.0,
                card.y + 14.0 + i as f64 * 12.5,
                class,
                line,
            );
        }
        s.end();
    }
    if let Some(lines) = mount_panel {
        s.el("g").attr("class", "ov-mount-panel").open();
        rounded(s, 640, 28, 240, tenths(22.0 + 13.0 * 8.0), 5);
        for (i, (class, line)) in lines.into_iter().enumerate() {
            label(s, 648.0, 44.0 + i as f64 * 13.0, class, line);
        }
        s.end();
    }
}

/// The overlay mount overlay2 makes for container `name`, line by line.
fn mount_lines(
    name: &str,
    record: &MountRecord,
    dirs: &[&StoredLayer],
    cache_id: &str,
) -> Vec<(&'static str, String)> {
    let shorten = |value: &str| value.replace(OVERLAY2_ROOT, "…/overlay2");
    let option = |key: &str| {
        record
            .options
            .split(',')
            .find_map(|o| o.strip_prefix(key))
            .unwrap_or("")
            .to_string()
    };
    let lowers: Vec<String> = option("lowerdir=")
        .split(':')
        .map(|l| clip(l, 12))
        .collect();
    let names: Vec<&str> = dirs.iter().rev().map(|d| d.layer.name()).collect();
    vec![
        (
            "ov-strong",
            format!("the overlay mount of container {name}"),
        ),
        ("ov-mono", format!("lowerdir={}", lowers.join(":"))),
        ("ov-small", clip(&format!("  = {}", names.join(" : ")), 50)),
        (
            "ov-mono",
            format!("upperdir={}", shorten(&option("upperdir="))),
        ),
        (
            "ov-small",
            "  = the container's own read-write layer".into(),
        ),
        (
            "ov-mono",
            format!("workdir={}", shorten(&option("workdir="))),
        ),
        (
            "ov-mono",
            format!("target:  …/overlay2/{}/merged", short(cache_id)),
        ),
        ("ov-small", "  = the container's root filesystem".into()),
    ]
}

// ---------------------------------------------------------------- slide 16

/// Slide 16: the image as the Dockerfile's instructions leave it, one row
/// per `docker history` line, bottom first; sizes add up, and the `rm`
/// layer hides bytes without freeing them.
pub fn dockerfile(live: Live<OverlaySim>) -> AnyView {
    const CLASS: &str = "fig-ov-dockerfile";
    let markup = move || {
        let told = last_told(&live);
        live.with(|sim| drawing(CLASS, |s| dockerfile_body(s, sim, told.as_ref())))
    };
    canvas(
        CLASS,
        "0 0 430 360",
        "The image built from the Dockerfile, layer by layer, with its size",
        Signal::derive(markup),
    )
}

/// The style of a size bar: scaled to its track for the image's `all`
/// bytes, or to the `seen` ones when it is the `visible` bar; empty while
/// nothing is built.
fn bar_style(all: u64, seen: u64, visible: bool) -> String {
    let f = if all == 0 {
        0.0
    } else if visible {
        seen as f64 / all as f64
    } else {
        1.0
    };
    format!("transform: scaleX({f})", f = fixed(f, 4))
}

/// The image built, its two sizes with their bars, and its rows.
fn dockerfile_body(s: &mut Svg, sim: &OverlaySim, told: Option<&Told>) {
    let name = sim.built_images().next();
    let image = name.and_then(|n| sim.image(n));
    let (all, seen) = image.map_or((0, 0), |i| (i.size(), i.visible_bytes()));
    let title = s
        .el("text")
        .attr("x", 0)
        .attr("y", 14)
        .attr("class", "ov-title");
    match name {
        Some(n) => title.text(format_args!("docker build -t {n}")),
        None => title.text("docker build: nothing built yet"),
    }
    size_line(
        s,
        31,
        "image size: every byte of every layer",
        "all",
        all,
        bar_style(all, seen, false),
    );
    size_line(
        s,
        56,
        "what a container sees",
        "visible",
        seen,
        bar_style(all, seen, true),
    );
    match image {
        Some(image) => dockerfile_rows(s, image, told),
        None => {
            for (y, line) in [
                (130, "Each click runs the next instruction:"),
                (148, "a layer, or only a metadata change."),
            ] {
                s.el("text")
                    .attr("x", 0)
                    .attr("y", y)
                    .attr("class", "ov-empty")
                    .text(line);
            }
        }
    }
}

/// One of the image's sizes at height `y`: its caption, its `bytes`
/// (class `ov-size-<which>`) and its bar (class `ov-bar-<which>`).
fn size_line(s: &mut Svg, y: u16, caption: &str, which: &str, bytes: u64, bar_style: String) {
    s.el("text")
        .attr("x", 0)
        .attr("y", y)
        .attr("class", "ov-small")
        .text(caption);
    s.el("text")
        .attr("x", 430)
        .attr("y", y)
        .attr("class", format_args!("ov-strong ov-size-{which}"))
        .attr("text-anchor", "end")
        .attr("data-bytes", bytes)
        .text(size(bytes));
    s.el("rect")
        .attr("x", 0)
        .attr("y", y + 4)
        .attr("width", 430)
        .attr("height", 8)
        .attr("class", "ov-bar-track")
        .close();
    s.el("rect")
        .attr("x", 0)
        .attr("y", y + 4)
        .attr("width", 430)
        .attr("height", 8)
        .attr("class", format_args!("ov-bar ov-bar-{which}"))
        .attr("style", bar_style)
        .close();
}

/// One row per `docker history` line of `image`, the newest on top, and
/// the sum of its layers' sizes.
fn dockerfile_rows(s: &mut Svg, image: &Image, told: Option<&Told>) {
    let built_now = told.is_some_and(|t| t.rule.id.starts_with("build."));
    let rows = image.history_layers();
    let visible = image.visible_bytes_per_layer();
    let total = image.size().max(1) as f64;
    let n = rows.len().max(1) as f64;
    let pitch = (262.0 / n).min(50.0);
    let height = pitch - 6.0;
    let mut layer_index = 0;
    let mut sizes: Vec<String> = Vec::new();
    for (i, (line, layer)) in rows.iter().enumerate() {
        // The newest line on top, just below the sizes; the base at the bottom.
        let y = 96.0 + (n - 1.0 - i as f64) * pitch;
        let fresh = built_now && i + 1 == rows.len();
        let (note, bytes, shown) = match layer {
            Some(layer) => {
                layer_index += 1;
                let seen = visible.get(layer_index - 1).copied().unwrap_or(0);
                let whiteouts = layer.whiteout_count();
                let note = if whiteouts > 0 {
                    format!("layer {layer_index} · {whiteouts} whiteout(s), 0 B of its own")
                } else {
                    format!("layer {layer_index} · {} file(s)", layer.file_count())
                };
                sizes.push(size(layer.bytes()));
                (note, layer.bytes(), seen)
            }
            None => ("metadata only: no layer, 0 B".to_string(), 0, 0),
        };
        let hidden = bytes.saturating_sub(shown);
        let width = 300.0;
        let seen_w = shown as f64 / total * width;
        let hidden_w = hidden as f64 / total * width;
        let metadata = layer.is_none();
        s.el("g")
            .attr(
                "class",
                classes("ov-row", &[("metadata", metadata), ("fresh", fresh)]),
            )
            .open();
        rounded(s, 0, tenths(y), 430, tenths(height), 4);
        s.el("text")
            .attr("x", 8)
            .attr("y", tenths(y + 14.0))
            .attr("class", "ov-mono")
            .text(clip(&line.created_by, 44));
        let size_text = if metadata { String::new() } else { size(bytes) };
        anchored(s, 422, y + 14.0, "ov-strong", "end", size_text);
        s.el("text")
            .attr("x", 8)
            .attr("y", tenths(y + 27.0))
            .attr("class", "ov-small")
            .text(note);
        if !metadata {
            s.el("rect")
                .attr("x", 120)
                .attr("y", tenths(y + height - 8.0))
                .attr("width", tenths(seen_w.max(0.5)))
                .attr("height", 4)
                .attr("class", "ov-bar-visible")
                .close();
            s.el("rect")
                .attr("x", tenths(120.0 + seen_w))
                .attr("y", tenths(y + height - 8.0))
                .attr("width", tenths(hidden_w))
                .attr("height", 4)
                .attr("class", "ov-bar-hidden")
                .attr("fill", "url(#fig-ov-dockerfile-hatch)")
                .close();
            if hidden > 0 {
                anchored(
                    s,
                    422,
                    y + 27.0,
                    "ov-small ov-hidden-note",
                    "end",
                    format_args!("{} hidden by a later whiteout", size(hidden)),
                );
            }
        }
        s.end();
    }
    let sum = format!("{} = {}", sizes.join(" + "), size(image.size()));
    label(
        s,
        0.0,
        84.0,
        "ov-small ov-sum",
        clip(&format!("layers: {sum}"), 70),
    );
}

// ---------------------------------------------------------------- slide 17

/// Slide 17: the image's read-only layers, shared by every container, and
/// each container's own thin read-write layer; a write copies up.
pub fn container_layers(live: Live<OverlaySim>) -> AnyView {
    const CLASS: &str = "fig-ov-containers";
    let markup = move || {
        let told = last_told(&live);
        live.with(|sim| drawing(CLASS, |s| containers_body(s, sim, told.as_ref())))
    };
    canvas(
        CLASS,
        "0 0 880 250",
        "Containers sharing an image's read-only layers, each with its own thin read-write layer",
        Signal::derive(markup),
    )
}

/// How an upper entry stands over the image: its words in the figure.
fn upper_kind(entry: &Entry, over_lower: bool) -> &'static str {
    match entry {
        Entry::Whiteout => "whiteout",
        Entry::Dir { opaque: true, .. } => "opaque dir",
        Entry::HardLink { .. } => "hard link",
        Entry::File { .. } if over_lower => "copied up",
        Entry::File { .. } => "new",
        Entry::Dir { .. } => "dir",
    }
}

fn containers_body(s: &mut Svg, sim: &OverlaySim, told: Option<&Told>) {
    let object = told.map_or("", |t| t.object.as_str());
    let rule = told.map_or("", |t| t.rule.id);
    let containers: Vec<(&str, &MountRecord)> = sim
        .mounts()
        .filter(|(_, r)| r.container.is_some())
        .collect();
    // The layers every container shares: the longest common bottom run.
    let stacks: Vec<&[Arc<Layer>]> = if containers.is_empty() {
        sim.images().take(1).map(|i| i.layers.as_slice()).collect()
    } else {
        containers
            .iter()
            .filter_map(|(_, r)| r.container.as_ref())
            .filter_map(|c| sim.image(&c.image))
            .map(|i| i.layers.as_slice())
            .collect()
    };
    let shared = stacks.first().map_or(0, |first| {
        (0..first.len())
            .take_while(|&i| {
                stacks
                    .iter()
                    .all(|s| s.get(i).map(|l| l.digest()) == first.get(i).map(|l| l.digest()))
            })
            .count()
    });
    let base: Vec<&Arc<Layer>> = stacks
        .first()
        .map_or_else(Vec::new, |s| s.iter().take(shared).collect());
    if base.is_empty() {
        label(s, 20.0, 120.0, "ov-empty", "Nothing pulled yet.");
        return;
    }
    // The layer the last read came from.
    let read_from = (rule == "overlay.read" || rule == "overlay.lookup.non-dir-hides")
        .then(|| object.split_once(':'))
        .flatten()
        .and_then(|(c, path)| {
            sim.merged_view(c).and_then(|v| {
                v.get(path)
                    .map(|s| (c.to_string(), path.to_string(), s.from.clone()))
            })
        });

    let image_names: Vec<String> = {
        let mut names: Vec<String> = sim
            .images()
            .filter(|i| i.layers.len() == shared)
            .map(|i| i.name.clone())
            .collect();
        names.truncate(1);
        names
    };
    let band_top = 146.0;
    label(
        s,
        20.0,
        band_top - 6.0,
        "ov-title",
        format_args!(
            "{}: {} read-only image layers, shared by every container ({} in all)",
            image_names.first().map_or("the image", String::as_str),
            base.len(),
            size(base.iter().map(|l| l.bytes()).sum())
        ),
    );
    let row_h = (96.0 / base.len().max(1) as f64).min(24.0);
    for (i, layer) in base.iter().rev().enumerate() {
        let y = band_top + i as f64 * row_h;
        let read = read_from
            .as_ref()
            .is_some_and(|(_, _, from)| from == layer.name());
        s.el("g")
            .attr("class", classes("ov-image-layer", &[("read-from", read)]))
            .open();
        rounded(s, 20, tenths(y), 840, tenths(row_h - 3.0), 3);
        s.el("text")
            .attr("x", 30)
            .attr("y", tenths(y + row_h / 2.0 + 2.0))
            .attr("class", "ov-mono")
            .text(layer.name());
        anchored(
            s,
            850,
            y + row_h / 2.0 + 2.0,
            "ov-small",
            "end",
            format_args!("{} · read-only", size(layer.bytes())),
        );
        s.end();
    }
    if containers.is_empty() {
        label(
            s,
            20.0,
            70.0,
            "ov-empty",
            "No container yet: docker run gives each one its own thin R/W layer.",
        );
        return;
    }
    let columns = containers.len().max(1) as f64;
    let gap = 10.0;
    let width = ((840.0 - gap * (columns - 1.0)) / columns).min(240.0);
    for (k, (name, record)) in containers.iter().enumerate() {
        let x = 20.0 + k as f64 * (width + gap);
        let Some(container) = &record.container else {
            continue;
        };
        let own: Vec<&Arc<Layer>> = sim
            .image(&container.image)
            .map_or_else(Vec::new, |i| i.layers.iter().skip(shared).collect());
        let fresh =
            object == format!("container {name}") || object.starts_with(&format!("{name}:"));
        let entries: Vec<_> = record
            .mount
            .upper_entries()
            .into_iter()
            .filter(|e| !e.entry.is_plain_dir())
            .collect();
        let upper_bytes: u64 = entries.iter().map(|e| e.entry.bytes()).sum();
        let fresh_path = object.strip_prefix(&format!("{name}:")).unwrap_or("");
        let box_h = if own.is_empty() { 124.0 } else { 92.0 };
        let max_chars = ((width - 16.0) / 5.6) as usize;
        s.el("g")
            .attr("class", classes("ov-container", &[("fresh", fresh)]))
            .attr("data-name", name)
            .attr("data-entries", entries.len())
            .open();
        let link_top = if own.is_empty() {
            box_h
        } else {
            98.0 + own.len() as f64 * 22.0
        };
        s.el("line")
            .attr("class", "ov-link")
            .attr("x1", tenths(x + width / 2.0))
            .attr("y1", tenths(link_top))
            .attr("x2", tenths(x + width / 2.0))
            .attr("y2", tenths(band_top - 20.0))
            .close();
        rounded(s, tenths(x), 0, tenths(width), tenths(box_h), 5);
        s.el("text")
            .attr("x", tenths(x + 8.0))
            .attr("y", 16)
            .attr("class", "ov-strong")
            .text(format_args!("container {name}"));
        s.el("text")
            .attr("x", tenths(x + 8.0))
            .attr("y", 32)
            .attr("class", "ov-small")
            .text(format_args!(
                "thin R/W layer (upperdir): {} entr{}, {}",
                entries.len(),
                if entries.len() == 1 { "y" } else { "ies" },
                size(upper_bytes)
            ));
        if entries.is_empty() {
            label(
                s,
                x + 8.0,
                50.0,
                "ov-small ov-empty-entry",
                "empty: nothing written yet",
            );
        }
        for (i, e) in entries.iter().take(3).enumerate() {
            let what = match e.entry {
                Entry::Whiteout => "whiteout: hides the image's copy".to_string(),
                Entry::File { .. } if e.over_lower => {
                    let from = record
                        .mount
                        .lowers()
                        .iter()
                        .find(|l| matches!(l.entries().get(e.path), Some(Entry::File { .. })))
                        .map_or("a lower layer", |l| l.name());
                    format!("copied up from {from} · {}", size(e.entry.bytes()))
                }
                entry => format!(
                    "{} · {}",
                    upper_kind(entry, e.over_lower),
                    size(entry.bytes())
                ),
            };
            let class = if e.path == fresh_path {
                "ov-mono fresh-entry"
            } else {
                "ov-mono"
            };
            let y = 50.0 + i as f64 * 24.0;
            label(s, x + 8.0, y, class, clip(e.path, max_chars));
            label(
                s,
                x + 16.0,
                y + 11.0,
                "ov-small",
                clip(&what, max_chars + 6),
            );
        }
        if let Some((_, path, from)) = read_from.as_ref().filter(|(c, _, _)| c == name) {
            let from = if from == "upper" {
                "its own layer".to_string()
            } else {
                format!("image layer {from}")
            };
            label(
                s,
                x + 8.0,
                box_h - 19.0,
                "ov-mono ov-read-note",
                clip(&format!("cat {path}"), max_chars),
            );
            label(
                s,
                x + 16.0,
                box_h - 7.0,
                "ov-small ov-read-note",
                clip(&format!("reads {from}"), max_chars + 6),
            );
        }
        s.end();
        for (i, layer) in own.iter().enumerate() {
            let y = 98.0 + i as f64 * 22.0;
            s.el("g").attr("class", "ov-image-layer own").open();
            rounded(s, tenths(x), tenths(y), tenths(width), 19, 3);
            label(
                s,
                x + 8.0,
                y + 13.0,
                "ov-small",
                clip(
                    &format!(
                        "{}: {} · {} layer, read-only",
                        container.image,
                        layer.name(),
                        size(layer.bytes())
                    ),
                    max_chars + 6,
                ),
            );
            s.end();
        }
    }
}

// ---------------------------------------------------------------- slide 18

/// Slide 18: one overlay mount as the kernel documentation draws it: the
/// merged view over upperdir over the lowerdirs, one column per path, each
/// entry with the layer it comes from; the last operation marked.
pub fn constructs(live: Live<OverlaySim>) -> AnyView {
    const CLASS: &str = "fig-ov-constructs";
    let markup = move || {
        let step = live.step();
        let told: Vec<Told> = live.with_run(|run| run.told.iter().take(step).cloned().collect());
        live.with(|sim| drawing(CLASS, |s| constructs_body(s, sim, &told)))
    };
    canvas(
        CLASS,
        "0 0 880 250",
        "An overlay mount: lowerdir, upperdir and the merged view, path by path",
        Signal::derive(markup),
    )
}

/// The mount the latest step that named one acted on.
fn focused_mount<'a>(sim: &'a OverlaySim, told: &[Told]) -> Option<(&'a str, &'a MountRecord)> {
    let mounts: Vec<(&str, &MountRecord)> = sim
        .mounts()
        .filter(|(_, r)| r.container.is_none())
        .collect();
    told.iter()
        .rev()
        .find_map(|t| {
            mounts
                .iter()
                .find(|(m, _)| t.object == *m || t.object.starts_with(&format!("{m}/")))
                .copied()
        })
        .or_else(|| mounts.first().copied())
}

/// A cell's two lines for `entry`.
fn cell_lines(entry: &Entry) -> (String, String) {
    match entry {
        Entry::File {
            mode,
            size: bytes,
            content,
            xattrs,
        } => {
            let mut second = size(*bytes);
            if *mode != 0o644 {
                second.push_str(&format!(" · {mode:04o}"));
            }
            if !xattrs.is_empty() {
                second.push_str(&format!(" · {} xattr", xattrs.len()));
            }
            (format!("“{}”", clip(content, 9)), second)
        }
        Entry::Whiteout => ("whiteout".into(), "char 0/0".into()),
        Entry::HardLink { target } => ("hard link".into(), format!("→ {}", base_name(target))),
        Entry::Dir { opaque: true, .. } => ("opaque dir".into(), "hides below".into()),
        Entry::Dir {
            redirect: Some(to), ..
        } => ("dir".into(), format!("redirect {}", clip(to, 9))),
        Entry::Dir { .. } => ("dir".into(), String::new()),
    }
}

/// One row of the constructs figure: its layer's key (`merged`, `upper` or
/// a lower's name), its label, and its entries (`None` for the merged view).
type Row<'a> = (String, String, Option<&'a SortedMap<String, Entry>>);

fn constructs_body(s: &mut Svg, sim: &OverlaySim, told: &[Told]) {
    let Some((target, record)) = focused_mount(sim, told) else {
        label(s, 0.0, 120.0, "ov-empty", "Nothing mounted yet.");
        return;
    };
    let mount: &Mount = &record.mount;
    let last = told.last();
    let object = last.map_or("", |t| t.object.as_str());
    let acted = object
        .strip_prefix(target)
        .filter(|p| p.starts_with('/'))
        .unwrap_or("");
    let failure = last
        .filter(|_| !acted.is_empty() || object == target)
        .and_then(|t| t.detail.strip_prefix("fails with "))
        .and_then(|d| d.split(':').next());
    s.el("text")
        .attr("x", 0)
        .attr("y", 12)
        .attr("class", "ov-mono ov-strong ov-mount-line")
        .attr("data-mount", target)
        .text(clip(
            &format!("mount -t overlay overlay -o {} {target}", record.options),
            140,
        ));
    let paths = mount.notable_paths();
    let view: SortedMap<String, Shown> = mount.merged_view();
    // Rows: merged, upper (when writable), then each lower, top first.
    let mut rows: Vec<Row<'_>> = vec![("merged".into(), format!("merged {target}"), None)];
    if let Some(upper) = mount.upper() {
        rows.push(("upper".into(), "upperdir (R/W)".into(), Some(upper)));
    }
    for layer in mount.lowers() {
        rows.push((
            layer.name().to_string(),
            format!("lowerdir {}", layer.name()),
            Some(layer.entries()),
        ));
    }
    let left = 118.0;
    let top = 36.0;
    let columns = paths.len().max(1) as f64;
    let col_w = (880.0 - left) / columns;
    let row_h = (192.0 / rows.len() as f64).min(46.0);
    let chars = ((col_w - 6.0) / 5.4).max(4.0) as usize;
    let lower_names: Vec<&str> = mount.lowers().iter().map(|l| l.name()).collect();
    let origin_class = |from: &str| -> String {
        if from == "upper" {
            "from-upper".into()
        } else {
            let i = lower_names.iter().position(|n| *n == from).unwrap_or(0);
            format!("from-lower{}", i.min(2))
        }
    };
    for (c, path) in paths.iter().enumerate() {
        let x = left + c as f64 * col_w;
        let fresh = !acted.is_empty() && (path == acted || path.starts_with(&format!("{acted}/")));
        anchored(
            s,
            tenths(x + col_w / 2.0),
            top - 4.0,
            &classes("ov-mono ov-path", &[("fresh-path", fresh)]),
            "middle",
            clip(path, chars),
        );
    }
    for (r, (key, name, entries)) in rows.iter().enumerate() {
        let y = top + r as f64 * row_h;
        let class = if key == "merged" {
            "merged".to_string()
        } else {
            origin_class(key)
        };
        s.el("g")
            .attr("class", format_args!("ov-row-label {class}"))
            .open();
        rounded(s, 0, tenths(y), tenths(left - 8.0), tenths(row_h - 4.0), 4);
        s.el("text")
            .attr("x", 6)
            .attr("y", tenths(y + row_h / 2.0 + 1.0))
            .attr("class", "ov-small")
            .text(name);
        s.end();
        for (c, path) in paths.iter().enumerate() {
            let x = left + c as f64 * col_w;
            let (entry, from, hidden) = match entries {
                None => match view.get(path) {
                    Some(shown) => (Some(&shown.entry), shown.from.clone(), false),
                    None => (None, String::new(), false),
                },
                Some(map) => match map.get(path) {
                    Some(e) => {
                        let shows = view
                            .get(path)
                            .is_some_and(|s| s.from == *key || s.merged_from.contains(key));
                        (
                            Some(e),
                            key.clone(),
                            !shows && !matches!(e, Entry::Whiteout),
                        )
                    }
                    None => (None, String::new(), false),
                },
            };
            let middle = tenths(x + col_w / 2.0);
            let Some(entry) = entry else {
                if entries.is_none() {
                    s.el("g")
                        .attr("class", "ov-cell ov-gone")
                        .attr("data-row", "merged")
                        .attr("data-path", path)
                        .open();
                    anchored(s, middle, y + row_h / 2.0 - 3.0, "ov-small", "middle", "—");
                    anchored(
                        s,
                        middle,
                        y + row_h / 2.0 + 9.0,
                        "ov-small",
                        "middle",
                        "not shown",
                    );
                    s.end();
                }
                continue;
            };
            let (first, second) = cell_lines(entry);
            let second = if entries.is_none() {
                format!("from {from}")
            } else {
                second
            };
            let whiteout = matches!(entry, Entry::Whiteout)
                || matches!(entry, Entry::Dir { opaque: true, .. });
            let fresh = path == acted && (entries.is_none() || key == "upper");
            let cell_class = format!("ov-cell {}", origin_class(&from));
            s.el("g")
                .attr(
                    "class",
                    classes(
                        &cell_class,
                        &[
                            ("hidden-below", hidden),
                            ("whiteout", whiteout),
                            ("fresh", fresh),
                        ],
                    ),
                )
                .attr("data-row", key)
                .attr("data-path", path)
                .attr("data-from", &from)
                .open();
            rounded(
                s,
                tenths(x + 2.0),
                tenths(y),
                tenths(col_w - 4.0),
                tenths(row_h - 4.0),
                4,
            );
            anchored(
                s,
                middle,
                y + row_h / 2.0 - 3.0,
                "ov-mono",
                "middle",
                clip(&first, chars),
            );
            anchored(
                s,
                middle,
                y + row_h / 2.0 + 9.0,
                "ov-small",
                "middle",
                clip(&second, chars + 2),
            );
            s.end();
        }
    }
    if mount.upper().is_none() {
        label(
            s,
            0.0,
            top + rows.len() as f64 * row_h + 14.0,
            "ov-small",
            "No upperdir and workdir: the mount is read-only, so every change fails with EROFS.",
        );
    }
    legend(s, failure.map(|errno| (object, errno)));
}

/// What the cells' outlines mean, and the last operation's error, if it
/// failed: what it acted on and its errno.
fn legend(s: &mut Svg, failure: Option<(&str, &str)>) {
    let y = 244.0;
    label(
        s,
        0.0,
        y,
        "ov-small",
        "colour = the layer an entry comes from;",
    );
    for (x, class, text) in [
        (196, "hidden-below", "hidden by a higher layer"),
        (350, "whiteout", "whiteout / opaque: hides the layers below"),
    ] {
        s.el("g")
            .attr("class", format_args!("ov-cell {class} ov-legend"))
            .open();
        rounded(s, x, tenths(y - 9.0), 14, 11, 2);
        s.end();
        s.el("text")
            .attr("x", x + 18)
            .attr("y", tenths(y))
            .attr("class", "ov-small")
            .text(text);
    }
    if let Some((object, errno)) = failure {
        anchored(
            s,
            880,
            y,
            "ov-error",
            "end",
            format_args!("{} → {errno}", clip(object, 30)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenarios::{table, LiveSimulation, STEP_LIMIT};
    use sim_core::{Fact, Player};

    #[test]
    fn sizes_are_written_in_decimal_units_to_a_tenth() {
        for (bytes, written) in [
            (999, "999 B"),
            (1000, "1.0 kB"),
            (1250, "1.3 kB"),
            (2_500_000, "2.5 MB"),
            (999_940_000, "999.9 MB"),
            (5_000_000_000_000, "5.0 TB"),
            (2_000_000_000_000_000, "2000.0 TB"),
        ] {
            assert_eq!(size(bytes), written, "{bytes}");
        }
    }

    /// Scenario `file` played to its end: the simulation and every step told.
    fn played(file: &str) -> (Player<OverlaySim>, Vec<Told>) {
        let scenario = table().unwrap().find(file).unwrap();
        let config = OverlaySim::config_of(scenario).unwrap();
        let mut player = Player::new(OverlaySim::build(config), scenario.header.seed);
        assert!(player.run_to_end(STEP_LIMIT), "{file} ends");
        let told = player
            .trace()
            .iter()
            .map(|e| Told {
                object: e.fact.object(),
                detail: e.fact.detail(),
                rule: e.fact.rule(),
            })
            .collect();
        (player, told)
    }

    fn draw(body: impl FnOnce(&mut Svg)) -> String {
        let mut s = Svg::default();
        body(&mut s);
        s.finish()
    }

    #[test]
    fn the_size_bars_scale_to_the_image_and_to_what_a_container_sees() {
        assert_eq!(bar_style(0, 0, false), "transform: scaleX(0.0000)");
        assert_eq!(bar_style(0, 0, true), "transform: scaleX(0.0000)");
        assert_eq!(bar_style(400, 100, false), "transform: scaleX(1.0000)");
        assert_eq!(bar_style(400, 100, true), "transform: scaleX(0.2500)");
    }

    #[test]
    fn the_dockerfile_figure_writes_one_row_per_history_line() {
        let (mut player, told) = played("overlay-dockerfile.toml");
        let markup = draw(|s| dockerfile_body(s, player.sim(), told.last()));
        let image = player.sim().image("myapp:latest").unwrap();
        let metadata = image.history.iter().filter(|h| h.empty_layer).count();
        assert!(metadata > 0 && metadata < image.history.len());
        assert_eq!(
            markup.matches("<g class=\"ov-row").count(),
            image.history.len()
        );
        assert_eq!(
            markup.matches("<g class=\"ov-row metadata").count(),
            metadata
        );
        assert!(markup.contains(&format!("data-bytes=\"{}\"", image.size())));
        player.seek(0);
        let empty = draw(|s| dockerfile_body(s, player.sim(), None));
        assert!(
            empty.contains("Each click runs the next instruction"),
            "{empty}"
        );
        assert!(!empty.contains("ov-row"));
        assert_eq!(empty.matches("data-bytes=\"0\"").count(), 2);
    }

    #[test]
    fn the_store_draws_a_card_per_directory_and_one_mount_panel() {
        let (mut player, told) = played("overlay-storage-driver.toml");
        let sim = player.sim();
        let markup = draw(|s| drivers_body(s, sim, told.last()));
        let containers = sim.mounts().filter(|(_, r)| r.container.is_some()).count();
        assert!(containers > 0);
        assert_eq!(
            markup.matches("<g class=\"ov-card").count(),
            sim.store().count() + containers
        );
        assert_eq!(markup.matches("<g class=\"ov-mount-panel\"").count(), 1);
        player.seek(0);
        let empty = draw(|s| drivers_body(s, player.sim(), None));
        assert!(empty.contains("Nothing pulled yet"));
        assert_eq!(empty.matches("<g class=\"ov-driver").count(), DRIVERS.len());
    }

    #[test]
    fn a_failed_operation_is_named_with_its_errno_escaped() {
        let markup = draw(|s| legend(s, Some(("/merged/a<b&c", "EROFS"))));
        assert!(
            markup.contains(">/merged/a&lt;b&amp;c → EROFS</text>"),
            "{markup}"
        );
        assert!(!draw(|s| legend(s, None)).contains("ov-error"));
    }

    #[test]
    fn every_path_of_the_mount_gets_a_merged_cell() {
        let (player, told) = played("overlay-mount.toml");
        let sim = player.sim();
        let markup = draw(|s| constructs_body(s, sim, &told));
        let (_, record) = focused_mount(sim, &told).unwrap();
        for path in record.mount.notable_paths() {
            let cell = format!("data-row=\"merged\" data-path=\"{path}\"");
            assert_eq!(markup.matches(&cell).count(), 1, "{path}");
        }
    }
}
