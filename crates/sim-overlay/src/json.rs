//! The runner's JSON form of the overlay state (feature `json`).
//!
//! Contract: the shape and key order are those the golden digests cover;
//! modes print as four octal digits, empty xattrs and redirects are left out.

use crate::image::{History, ImageConfig};
use crate::layer::{Entry, Xattrs};
use crate::overlay::Shown;
use crate::world::OVERLAY2_ROOT;
use crate::OverlaySim;
use serde::{Serialize, Serializer};
use sim_core::JsonState;
use std::collections::BTreeMap;

impl JsonState for OverlaySim {
    fn state_json(&self, _now: sim_core::SimTime) -> serde_json::Value {
        serde_json::to_value(StateView::of(self)).unwrap_or(serde_json::Value::Null)
    }
}

#[derive(Serialize)]
struct StateView<'a> {
    store: BTreeMap<String, LayerView<'a>>,
    images: BTreeMap<&'a str, ImageView<'a>>,
    mounts: BTreeMap<&'a str, MountView<'a>>,
}

#[derive(Serialize)]
struct LayerView<'a> {
    name: &'a str,
    digest: &'a str,
    link: &'a str,
    lower: &'a str,
    files: usize,
    bytes: u64,
    tar: Vec<String>,
}

#[derive(Serialize)]
struct ImageView<'a> {
    layers: Vec<&'a str>,
    size: u64,
    visible_bytes: u64,
    config: &'a ImageConfig,
    history: &'a [History],
}

#[derive(Serialize)]
struct MountView<'a> {
    kind: &'static str,
    image: Option<&'a str>,
    options: &'a str,
    lowerdir: Vec<&'a str>,
    read_only: bool,
    redirect_dir: bool,
    upper: Option<BTreeMap<&'a str, EntryView<'a>>>,
    merged: BTreeMap<String, ShownView>,
}

#[derive(Serialize)]
struct ShownView {
    #[serde(serialize_with = "entry_json")]
    entry: Entry,
    from: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    merged_from: Vec<String>,
}

fn entry_json<S: Serializer>(entry: &Entry, s: S) -> Result<S::Ok, S::Error> {
    EntryView::from(entry).serialize(s)
}

/// An entry as JSON: `{"type": "file", "mode": "0644", ...}`.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
enum EntryView<'a> {
    Dir {
        #[serde(serialize_with = "octal")]
        mode: u32,
        opaque: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        redirect: Option<&'a str>,
        #[serde(skip_serializing_if = "no_xattrs")]
        xattrs: &'a Xattrs,
    },
    File {
        #[serde(serialize_with = "octal")]
        mode: u32,
        size: u64,
        content: &'a str,
        #[serde(skip_serializing_if = "no_xattrs")]
        xattrs: &'a Xattrs,
    },
    HardLink {
        target: &'a str,
    },
    Whiteout,
}

impl<'a> From<&'a Entry> for EntryView<'a> {
    fn from(entry: &'a Entry) -> EntryView<'a> {
        match entry {
            Entry::Dir {
                mode,
                opaque,
                redirect,
                xattrs,
            } => EntryView::Dir {
                mode: *mode,
                opaque: *opaque,
                redirect: redirect.as_deref(),
                xattrs,
            },
            Entry::File {
                mode,
                size,
                content,
                xattrs,
            } => EntryView::File {
                mode: *mode,
                size: *size,
                content,
                xattrs,
            },
            Entry::HardLink { target } => EntryView::HardLink { target },
            Entry::Whiteout => EntryView::Whiteout,
        }
    }
}

fn octal<S: Serializer>(mode: &u32, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format!("{mode:04o}"))
}

fn no_xattrs(xattrs: &&Xattrs) -> bool {
    xattrs.is_empty()
}

impl From<Shown> for ShownView {
    fn from(shown: Shown) -> ShownView {
        ShownView {
            entry: shown.entry,
            from: shown.from,
            merged_from: shown.merged_from,
        }
    }
}

impl<'a> StateView<'a> {
    fn of(sim: &'a OverlaySim) -> StateView<'a> {
        StateView {
            store: sim
                .store()
                .map(|s| {
                    (
                        format!("{OVERLAY2_ROOT}/{}", s.cache_id),
                        LayerView {
                            name: s.layer.name(),
                            digest: s.layer.digest(),
                            link: &s.link,
                            lower: &s.lower,
                            files: s.layer.file_count(),
                            bytes: s.layer.bytes(),
                            tar: s.layer.tar_members(),
                        },
                    )
                })
                .collect(),
            images: sim
                .images()
                .map(|i| {
                    (
                        i.name.as_str(),
                        ImageView {
                            layers: i.layers.iter().map(|l| l.digest()).collect(),
                            size: i.size(),
                            visible_bytes: i.visible_bytes(),
                            config: &i.config,
                            history: &i.history,
                        },
                    )
                })
                .collect(),
            mounts: sim
                .mounts()
                .map(|(n, r)| {
                    (
                        n,
                        MountView {
                            kind: if r.container.is_some() {
                                "container"
                            } else {
                                "mount"
                            },
                            image: r.container.as_ref().map(|c| c.image.as_str()),
                            options: &r.options,
                            lowerdir: r.mount.lowers().iter().map(|l| l.name()).collect(),
                            read_only: r.mount.upper().is_none(),
                            redirect_dir: r.mount.redirect_dir(),
                            upper: r.mount.upper().map(|u| {
                                u.iter()
                                    .map(|(p, e)| (p.as_str(), EntryView::from(e)))
                                    .collect()
                            }),
                            merged: r
                                .mount
                                .merged_view()
                                .into_iter()
                                .map(|(p, s)| (p, ShownView::from(s)))
                                .collect(),
                        },
                    )
                })
                .collect(),
        }
    }
}
