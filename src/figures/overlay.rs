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
//! What the last step acted on is marked `fresh`, found from its narration
//! ([`Told::object`]) and rule.

use super::{Live, Told};
use leptos::prelude::*;
use sim_overlay::layer::{base_name, Entry};
use sim_overlay::overlay::{Mount, Shown};
use sim_overlay::{OverlaySim, StoredLayer, OVERLAY2_ROOT};
use std::collections::BTreeMap;

/// `n` bytes as Docker prints sizes (powers of 1000, one decimal).
fn size(n: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if n < 1000 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1000.0;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
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

/// A coordinate as an attribute value.
fn at(v: f64) -> String {
    format!("{v:.1}")
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

/// The SVG every overlay figure draws into.
fn canvas(
    class: &'static str,
    view_box: &'static str,
    label: &'static str,
    body: AnyView,
) -> AnyView {
    view! {
        <svg class=format!("fig-ov {class}") viewBox=view_box preserveAspectRatio="xMidYMid meet"
            width="100%" height="100%" role="img" aria-label=label>
            <defs>
                <pattern id=format!("{class}-hatch") width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                    <rect class="ov-hatch-bg" width="6" height="6"></rect>
                    <line class="ov-hatch-line" x1="0" y1="0" x2="0" y2="6"></line>
                </pattern>
            </defs>
            {body}
        </svg>
    }
    .into_any()
}

/// `base` and each flag's class that is on, as one `class` value. (The
/// drawings are rebuilt at every step, and Leptos rebuilds a `class`
/// attribute over `class:` flags it believes unchanged, so flags go here.)
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
fn label(x: f64, y: f64, class: &str, text: String) -> AnyView {
    view! { <text x=at(x) y=at(y) class=class.to_string()>{text}</text> }.into_any()
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
    let body = move || {
        let told = last_told(&live);
        live.with(|sim| drivers_body(sim, told.as_ref()))
    };
    canvas(
        "fig-ov-drivers",
        "0 0 880 250",
        "Docker's storage drivers; overlay2's layer directories and a container's overlay mount",
        view! { <g>{body}</g> }.into_any(),
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

fn drivers_body(sim: &OverlaySim, told: Option<&Told>) -> AnyView {
    let object = told.map_or("", |t| t.object.as_str());
    let mut parts: Vec<AnyView> = vec![label(
        0.0,
        13.0,
        "ov-title",
        "Storage drivers on Linux".into(),
    )];
    for (i, (name, note)) in DRIVERS.iter().enumerate() {
        let y = 24.0 + i as f64 * 48.0;
        let chosen = i == 0;
        parts.push(
            view! {
                <g class=classes("ov-driver", &[("chosen", chosen)])>
                    <rect x="0" y=at(y) width="188" height="40" rx="5"></rect>
                    <text x="10" y=at(y + 17.0) class="ov-name">{*name}</text>
                    <text x="10" y=at(y + 32.0) class="ov-note">{*note}</text>
                    {chosen.then(|| view! { <text x="180" y=at(y + 17.0) class="ov-tag" text-anchor="end">"✓ in use"</text> })}
                </g>
            }
            .into_any(),
        );
    }
    parts.push(label(
        0.0,
        222.0,
        "ov-note",
        "overlay2 keeps every layer in".into(),
    ));
    parts.push(label(0.0, 236.0, "ov-mono", format!("{OVERLAY2_ROOT}/")));

    let store: Vec<&StoredLayer> = sim.store().collect();
    parts.push(label(
        204.0,
        13.0,
        "ov-title",
        format!(
            "{OVERLAY2_ROOT}: one directory per layer ({} stored)",
            store.len()
        ),
    ));
    if store.is_empty() {
        parts.push(label(
            204.0,
            120.0,
            "ov-empty",
            "Nothing pulled yet: the store is empty.".into(),
        ));
        return parts.collect_view().into_any();
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
    let mut by_link: BTreeMap<&str, usize> = BTreeMap::new();
    let mut in_row: BTreeMap<usize, usize> = BTreeMap::new();
    let mut sorted = store.clone();
    sorted.sort_by_key(|s| depth(s));
    let mut links: Vec<(usize, Option<&str>)> = Vec::new();
    for stored in sorted {
        let d = depth(stored);
        let column = in_row.entry(d).or_insert(0);
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
            parts.push(
                view! {
                    <line class="ov-link" x1=at(c.x + CARD_W / 2.0) y1=at(c.y + CARD_H)
                        x2=at(p.x + CARD_W / 2.0) y2=at(p.y)></line>
                }
                .into_any(),
            );
        }
    }
    for card in &cards {
        let lines = card
            .lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                let class = if i == 0 {
                    "ov-mono ov-strong"
                } else {
                    "ov-small"
                };
                label(
                    card.x + 8.0,
                    card.y + 14.0 + i as f64 * 12.5,
                    class,
                    line.clone(),
                )
            })
            .collect_view();
        parts.push(
            view! {
                <g class=classes("ov-card", &[("fresh", card.fresh), ("container", card.container)])>
                    <rect x=at(card.x) y=at(card.y) width=at(CARD_W) height=at(CARD_H) rx="5"></rect>
                    {lines}
                </g>
            }
            .into_any(),
        );
    }
    if let Some(lines) = mount_panel {
        let rows = lines
            .into_iter()
            .enumerate()
            .map(|(i, (class, line))| label(648.0, 44.0 + i as f64 * 13.0, class, line))
            .collect_view();
        parts.push(
            view! {
                <g class="ov-mount-panel">
                    <rect x="640" y="28" width="240" height=at(22.0 + 13.0 * 8.0) rx="5"></rect>
                    {rows}
                </g>
            }
            .into_any(),
        );
    }
    parts.collect_view().into_any()
}

/// The overlay mount overlay2 makes for container `name`, line by line.
fn mount_lines(
    name: &str,
    record: &sim_overlay::MountRecord,
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
    let image_name = move || live.with(|sim| sim.built_images().next().map(str::to_string));
    let totals = move || {
        let name = image_name();
        live.with(|sim| {
            name.and_then(|n| sim.image(&n))
                .map_or((0, 0), |i| (i.size(), i.visible_bytes()))
        })
    };
    let rows = move || {
        let told = last_told(&live);
        let name = image_name();
        live.with(|sim| dockerfile_rows(sim, name.as_deref(), told.as_ref()))
    };
    let bar = move |visible: bool| {
        let (all, seen) = totals();
        let fraction = if all == 0 {
            0.0
        } else {
            seen as f64 / all as f64
        };
        let f = if visible {
            fraction
        } else if all == 0 {
            0.0
        } else {
            1.0
        };
        format!("transform: scaleX({f:.4})")
    };
    let body = view! {
        <g>
            <text x="0" y="14" class="ov-title">
                {move || image_name().map_or_else(|| "docker build: nothing built yet".to_string(), |n| format!("docker build -t {n}"))}
            </text>
            <text x="0" y="31" class="ov-small">"image size: every byte of every layer"</text>
            <text x="430" y="31" class="ov-strong ov-size-all" text-anchor="end" data-bytes=move || totals().0.to_string()>{move || size(totals().0)}</text>
            <rect x="0" y="35" width="430" height="8" class="ov-bar-track"></rect>
            <rect x="0" y="35" width="430" height="8" class="ov-bar ov-bar-all" style=move || bar(false)></rect>
            <text x="0" y="56" class="ov-small">"what a container sees"</text>
            <text x="430" y="56" class="ov-strong ov-size-visible" text-anchor="end" data-bytes=move || totals().1.to_string()>{move || size(totals().1)}</text>
            <rect x="0" y="60" width="430" height="8" class="ov-bar-track"></rect>
            <rect x="0" y="60" width="430" height="8" class="ov-bar ov-bar-visible" style=move || bar(true)></rect>
            {rows}
        </g>
    }
    .into_any();
    canvas(
        "fig-ov-dockerfile",
        "0 0 430 360",
        "The image built from the Dockerfile, layer by layer, with its size",
        body,
    )
}

fn dockerfile_rows(sim: &OverlaySim, name: Option<&str>, told: Option<&Told>) -> AnyView {
    let Some(image) = name.and_then(|n| sim.image(n)) else {
        return view! {
            <text x="0" y="130" class="ov-empty">"Each click runs the next instruction:"</text>
            <text x="0" y="148" class="ov-empty">"a layer, or only a metadata change."</text>
        }
        .into_any();
    };
    let built_now = told.is_some_and(|t| t.rule.id.starts_with("build."));
    let rows = image.history_layers();
    let visible = image.visible_bytes_per_layer();
    let total = image.size().max(1) as f64;
    let n = rows.len().max(1) as f64;
    let pitch = (262.0 / n).min(50.0);
    let height = pitch - 6.0;
    let mut layer_index = 0;
    let mut parts: Vec<AnyView> = Vec::new();
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
        parts.push(
            view! {
                <g class=classes("ov-row", &[("metadata", metadata), ("fresh", fresh)])>
                    <rect x="0" y=at(y) width="430" height=at(height) rx="4"></rect>
                    <text x="8" y=at(y + 14.0) class="ov-mono">{clip(&line.created_by, 44)}</text>
                    <text x="422" y=at(y + 14.0) class="ov-strong" text-anchor="end">{if metadata { String::new() } else { size(bytes) }}</text>
                    <text x="8" y=at(y + 27.0) class="ov-small">{note}</text>
                    {(!metadata).then(|| view! {
                        <rect x="120" y=at(y + height - 8.0) width=at(seen_w.max(0.5)) height="4" class="ov-bar-visible"></rect>
                        <rect x=at(120.0 + seen_w) y=at(y + height - 8.0) width=at(hidden_w) height="4"
                            class="ov-bar-hidden" fill="url(#fig-ov-dockerfile-hatch)"></rect>
                        {(hidden > 0).then(|| view! {
                            <text x="422" y=at(y + 27.0) class="ov-small ov-hidden-note" text-anchor="end">{format!("{} hidden by a later whiteout", size(hidden))}</text>
                        })}
                    })}
                </g>
            }
            .into_any(),
        );
    }
    let sum = format!("{} = {}", sizes.join(" + "), size(image.size()));
    parts.push(label(
        0.0,
        84.0,
        "ov-small ov-sum",
        clip(&format!("layers: {sum}"), 70),
    ));
    parts.collect_view().into_any()
}

// ---------------------------------------------------------------- slide 17

/// Slide 17: the image's read-only layers, shared by every container, and
/// each container's own thin read-write layer; a write copies up.
pub fn container_layers(live: Live<OverlaySim>) -> AnyView {
    let body = move || {
        let told = last_told(&live);
        live.with(|sim| containers_body(sim, told.as_ref()))
    };
    canvas(
        "fig-ov-containers",
        "0 0 880 250",
        "Containers sharing an image's read-only layers, each with its own thin read-write layer",
        view! { <g>{body}</g> }.into_any(),
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

fn containers_body(sim: &OverlaySim, told: Option<&Told>) -> AnyView {
    let object = told.map_or("", |t| t.object.as_str());
    let rule = told.map_or("", |t| t.rule.id);
    let containers: Vec<(&str, &sim_overlay::MountRecord)> = sim
        .mounts()
        .filter(|(_, r)| r.container.is_some())
        .collect();
    // The layers every container shares: the longest common bottom run.
    let stacks: Vec<&[std::sync::Arc<sim_overlay::layer::Layer>]> = if containers.is_empty() {
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
    let base: Vec<&std::sync::Arc<sim_overlay::layer::Layer>> = stacks
        .first()
        .map_or_else(Vec::new, |s| s.iter().take(shared).collect());
    let mut parts: Vec<AnyView> = Vec::new();
    if base.is_empty() {
        parts.push(label(20.0, 120.0, "ov-empty", "Nothing pulled yet.".into()));
        return parts.collect_view().into_any();
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
    parts.push(label(
        20.0,
        band_top - 6.0,
        "ov-title",
        format!(
            "{}: {} read-only image layers, shared by every container ({} in all)",
            image_names.first().map_or("the image", String::as_str),
            base.len(),
            size(base.iter().map(|l| l.bytes()).sum())
        ),
    ));
    let row_h = (96.0 / base.len().max(1) as f64).min(24.0);
    for (i, layer) in base.iter().rev().enumerate() {
        let y = band_top + i as f64 * row_h;
        let read = read_from
            .as_ref()
            .is_some_and(|(_, _, from)| from == layer.name());
        parts.push(
            view! {
                <g class=classes("ov-image-layer", &[("read-from", read)])>
                    <rect x="20" y=at(y) width="840" height=at(row_h - 3.0) rx="3"></rect>
                    <text x="30" y=at(y + row_h / 2.0 + 2.0) class="ov-mono">{layer.name().to_string()}</text>
                    <text x="850" y=at(y + row_h / 2.0 + 2.0) class="ov-small" text-anchor="end">{format!("{} · read-only", size(layer.bytes()))}</text>
                </g>
            }
            .into_any(),
        );
    }
    if containers.is_empty() {
        parts.push(label(
            20.0,
            70.0,
            "ov-empty",
            "No container yet: docker run gives each one its own thin R/W layer.".into(),
        ));
        return parts.collect_view().into_any();
    }
    let columns = containers.len().max(1) as f64;
    let gap = 10.0;
    let width = ((840.0 - gap * (columns - 1.0)) / columns).min(240.0);
    for (k, (name, record)) in containers.iter().enumerate() {
        let x = 20.0 + k as f64 * (width + gap);
        let Some(container) = &record.container else {
            continue;
        };
        let own: Vec<&std::sync::Arc<sim_overlay::layer::Layer>> = sim
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
        let lines = entries
            .iter()
            .take(3)
            .enumerate()
            .map(|(i, e)| {
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
                view! {
                    {label(x + 8.0, y, class, clip(e.path, max_chars))}
                    {label(x + 16.0, y + 11.0, "ov-small", clip(&what, max_chars + 6))}
                }
            })
            .collect_view();
        let reading = read_from
            .as_ref()
            .filter(|(c, _, _)| c == name)
            .map(|(_, path, from)| {
                let from = if from == "upper" {
                    "its own layer".to_string()
                } else {
                    format!("image layer {from}")
                };
                view! {
                    {label(x + 8.0, box_h - 19.0, "ov-mono ov-read-note", clip(&format!("cat {path}"), max_chars))}
                    {label(x + 16.0, box_h - 7.0, "ov-small ov-read-note", clip(&format!("reads {from}"), max_chars + 6))}
                }
            });
        let own_layers = own
            .iter()
            .enumerate()
            .map(|(i, layer)| {
                let y = 98.0 + i as f64 * 22.0;
                view! {
                    <g class="ov-image-layer own">
                        <rect x=at(x) y=at(y) width=at(width) height="19" rx="3"></rect>
                        <text x=at(x + 8.0) y=at(y + 13.0) class="ov-small">{clip(&format!("{}: {} · {} layer, read-only", container.image, layer.name(), size(layer.bytes())), max_chars + 6)}</text>
                    </g>
                }
            })
            .collect_view();
        parts.push(
            view! {
                <g class=classes("ov-container", &[("fresh", fresh)]) data-name=name.to_string() data-entries=entries.len().to_string()>
                    <line class="ov-link" x1=at(x + width / 2.0) y1=at(if own.is_empty() { box_h } else { 98.0 + own.len() as f64 * 22.0 }) x2=at(x + width / 2.0) y2=at(band_top - 20.0)></line>
                    <rect x=at(x) y="0" width=at(width) height=at(box_h) rx="5"></rect>
                    <text x=at(x + 8.0) y="16" class="ov-strong">{format!("container {name}")}</text>
                    <text x=at(x + 8.0) y="32" class="ov-small">{format!("thin R/W layer (upperdir): {} entr{}, {}", entries.len(), if entries.len() == 1 { "y" } else { "ies" }, size(upper_bytes))}</text>
                    {(entries.is_empty()).then(|| label(x + 8.0, 50.0, "ov-small ov-empty-entry", "empty: nothing written yet".into()))}
                    {lines}
                    {reading}
                </g>
                {own_layers}
            }
            .into_any(),
        );
    }
    parts.collect_view().into_any()
}

// ---------------------------------------------------------------- slide 18

/// Slide 18: one overlay mount as the kernel documentation draws it: the
/// merged view over upperdir over the lowerdirs, one column per path, each
/// entry with the layer it comes from; the last operation marked.
pub fn constructs(live: Live<OverlaySim>) -> AnyView {
    let body = move || {
        let step = live.step();
        let told: Vec<Told> = live.with_run(|run| run.told.iter().take(step).cloned().collect());
        live.with(|sim| constructs_body(sim, &told))
    };
    canvas(
        "fig-ov-constructs",
        "0 0 880 250",
        "An overlay mount: lowerdir, upperdir and the merged view, path by path",
        view! { <g>{body}</g> }.into_any(),
    )
}

/// The mount the latest step that named one acted on.
fn focused_mount<'a>(
    sim: &'a OverlaySim,
    told: &[Told],
) -> Option<(&'a str, &'a sim_overlay::MountRecord)> {
    let mounts: Vec<(&str, &sim_overlay::MountRecord)> = sim
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
type Row<'a> = (String, String, Option<&'a BTreeMap<String, Entry>>);

fn constructs_body(sim: &OverlaySim, told: &[Told]) -> AnyView {
    let mut parts: Vec<AnyView> = Vec::new();
    let Some((target, record)) = focused_mount(sim, told) else {
        parts.push(label(0.0, 120.0, "ov-empty", "Nothing mounted yet.".into()));
        return parts.collect_view().into_any();
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
        .and_then(|d| d.split(':').next())
        .map(str::to_string);
    parts.push(
        view! {
            <text x="0" y="12" class="ov-mono ov-strong ov-mount-line" data-mount=target.to_string()>
                {clip(&format!("mount -t overlay overlay -o {} {target}", record.options), 140)}
            </text>
        }
        .into_any(),
    );
    let paths = mount.notable_paths();
    let view: BTreeMap<String, Shown> = mount.merged_view();
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
        parts.push(
            view! {
                <text x=at(x + col_w / 2.0) y=at(top - 4.0) class=classes("ov-mono ov-path", &[("fresh-path", fresh)]) text-anchor="middle">{clip(path, chars)}</text>
            }
            .into_any(),
        );
    }
    for (r, (key, name, entries)) in rows.iter().enumerate() {
        let y = top + r as f64 * row_h;
        let class = if key == "merged" {
            "merged".to_string()
        } else {
            origin_class(key)
        };
        parts.push(
            view! {
                <g class=format!("ov-row-label {class}")>
                    <rect x="0" y=at(y) width=at(left - 8.0) height=at(row_h - 4.0) rx="4"></rect>
                    <text x="6" y=at(y + row_h / 2.0 + 1.0) class="ov-small">{name.clone()}</text>
                </g>
            }
            .into_any(),
        );
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
            let Some(entry) = entry else {
                if entries.is_none() {
                    parts.push(
                        view! {
                            <g class="ov-cell ov-gone" data-row="merged" data-path=path.clone()>
                                <text x=at(x + col_w / 2.0) y=at(y + row_h / 2.0 - 3.0) class="ov-small" text-anchor="middle">"—"</text>
                                <text x=at(x + col_w / 2.0) y=at(y + row_h / 2.0 + 9.0) class="ov-small" text-anchor="middle">"not shown"</text>
                            </g>
                        }
                        .into_any(),
                    );
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
            parts.push(
                view! {
                    <g class=classes(&cell_class, &[("hidden-below", hidden), ("whiteout", whiteout), ("fresh", fresh)])
                        data-row=key.clone() data-path=path.clone() data-from=from.clone()>
                        <rect x=at(x + 2.0) y=at(y) width=at(col_w - 4.0) height=at(row_h - 4.0) rx="4"></rect>
                        <text x=at(x + col_w / 2.0) y=at(y + row_h / 2.0 - 3.0) class="ov-mono" text-anchor="middle">{clip(&first, chars)}</text>
                        <text x=at(x + col_w / 2.0) y=at(y + row_h / 2.0 + 9.0) class="ov-small" text-anchor="middle">{clip(&second, chars + 2)}</text>
                    </g>
                }
                .into_any(),
            );
        }
    }
    if mount.upper().is_none() {
        parts.push(label(
            0.0,
            top + rows.len() as f64 * row_h + 14.0,
            "ov-small",
            "No upperdir and workdir: the mount is read-only, so every change fails with EROFS."
                .into(),
        ));
    }
    let legend_y = 244.0;
    let mut legend: Vec<AnyView> = vec![label(
        0.0,
        legend_y,
        "ov-small",
        "colour = the layer an entry comes from;".into(),
    )];
    legend.push(
        view! {
            <g class="ov-cell hidden-below ov-legend"><rect x="196" y=at(legend_y - 9.0) width="14" height="11" rx="2"></rect></g>
            <text x="214" y=at(legend_y) class="ov-small">"hidden by a higher layer"</text>
            <g class="ov-cell whiteout ov-legend"><rect x="350" y=at(legend_y - 9.0) width="14" height="11" rx="2"></rect></g>
            <text x="368" y=at(legend_y) class="ov-small">"whiteout / opaque: hides the layers below"</text>
        }
        .into_any(),
    );
    if let Some(errno) = failure {
        legend.push(
            view! {
                <text x="880" y=at(legend_y) class="ov-error" text-anchor="end">{format!("{} → {errno}", clip(object, 30))}</text>
            }
            .into_any(),
        );
    }
    parts.extend(legend);
    parts.collect_view().into_any()
}
