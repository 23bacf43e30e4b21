//! Puts a drawing's markup (see [`super::svg`]) into its `<svg>` and keeps
//! it there as the state changes, by patching the elements already drawn
//! rather than replacing them: a changed attribute is set on the same
//! element, so CSS transitions run and the focus stays where it was.
//! Elements are matched by their `data-key` where they have one (so a keyed
//! row moves, and its transition runs, when rows are added or removed
//! before it), else by position; where the shape differs, the new nodes
//! replace the old. A top-level element whose markup is as it was last
//! time is not walked at all, so a step costs what it changes.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Node};

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// A figure's `<svg>` of `class` and `view_box`, named `label` with `role`
/// for assistive technology, its content kept equal to `markup` by
/// [`drawn`].
pub fn drawing_svg(
    class: &str,
    view_box: &str,
    role: &'static str,
    label: &'static str,
    markup: Signal<String>,
) -> AnyView {
    view! {
        <svg class=class.to_string() viewBox=view_box.to_string() preserveAspectRatio="xMidYMid meet"
            width="100%" height="100%" role=role aria-label=label use:drawn=markup>""
        </svg>
    }
    .into_any()
}

/// A directive (`use:drawn=markup`): keeps the element's content equal to
/// `markup`, patched in place, for as long as the view it is in lives.
fn drawn(el: Element, markup: Signal<String>) {
    let effect = RenderEffect::new(move |drawn: Option<Vec<String>>| {
        markup.with(|m| patch(&el, m, drawn.as_deref().unwrap_or_default()))
    });
    StoredValue::new_local(effect);
}

/// Makes `target`'s children those `markup` describes, keeping every node
/// that can be kept; `before` is the markup of each top-level child as the
/// last patch left it. Returns that markup now.
fn patch(target: &Element, markup: &str, before: &[String]) -> Vec<String> {
    let Ok(parsed) = document().create_element_ns(Some(SVG_NS), "svg") else {
        return Vec::new();
    };
    parsed.set_inner_html(markup);
    let children = parsed.child_nodes();
    let now: Vec<String> = (0..children.length())
        .filter_map(|i| children.item(i))
        .map(|n| match n.dyn_ref::<Element>() {
            Some(e) => e.outer_html(),
            None => n.node_value().unwrap_or_default(),
        })
        .collect();
    let unchanged = |i: u32| {
        let i = i as usize;
        before.get(i).is_some_and(|b| now.get(i) == Some(b))
    };
    patch_children(target, &parsed, &unchanged);
    now
}

/// Patches the children of `old` into those of `new`, position by position;
/// a child for which `unchanged` holds is left as it is when the node in
/// its place is of its kind.
fn patch_children(old: &Node, new: &Node, unchanged: &dyn Fn(u32) -> bool) {
    let wanted = new.child_nodes();
    let mut i = 0;
    while let Some(want) = wanted.item(i) {
        if let Some(have) = old.child_nodes().item(i) {
            if unchanged(i) && same_kind(&have, &want) && key_of(&have) == key_of(&want) {
                i += 1;
                continue;
            }
        }
        if let Some(key) = key_of(&want) {
            bring_keyed(old, i, &key);
        }
        match old.child_nodes().item(i) {
            Some(have) if same_kind(&have, &want) && key_of(&have) == key_of(&want) => {
                patch_node(&have, &want)
            }
            // A keyed row that is new, or one that is gone: insert before it,
            // so that a row still wanted later keeps its element.
            Some(have) if key_of(&have).is_some() || key_of(&want).is_some() => {
                if let Ok(copy) = want.clone_node_with_deep(true) {
                    let _ = old.insert_before(&copy, Some(&have));
                }
            }
            Some(have) => {
                if let Ok(copy) = want.clone_node_with_deep(true) {
                    let _ = old.replace_child(&copy, &have);
                }
            }
            None => {
                if let Ok(copy) = want.clone_node_with_deep(true) {
                    let _ = old.append_child(&copy);
                }
            }
        }
        i += 1;
    }
    while let Some(extra) = old.child_nodes().item(i) {
        let _ = old.remove_child(&extra);
    }
}

/// A node's `data-key`, if it is an element that has one.
fn key_of(node: &Node) -> Option<String> {
    node.dyn_ref::<Element>()?.get_attribute("data-key")
}

/// Moves the child of `parent` keyed `key`, if one is at `index` or after,
/// to `index`.
fn bring_keyed(parent: &Node, index: u32, key: &str) {
    let children = parent.child_nodes();
    let Some(here) = children.item(index) else {
        return;
    };
    if key_of(&here).as_deref() == Some(key) {
        return;
    }
    let found = (index + 1..children.length())
        .filter_map(|j| children.item(j))
        .find(|n| key_of(n).as_deref() == Some(key));
    if let Some(found) = found {
        let _ = parent.insert_before(&found, Some(&here));
    }
}

/// Whether `a` can be patched into `b`: the same node type and tag.
fn same_kind(a: &Node, b: &Node) -> bool {
    a.node_type() == b.node_type() && a.node_name() == b.node_name()
}

/// Patches one node into another of the same kind: an element's attributes
/// and children, a text's characters.
fn patch_node(have: &Node, want: &Node) {
    match (have.dyn_ref::<Element>(), want.dyn_ref::<Element>()) {
        (Some(have), Some(want)) => {
            patch_attributes(have, want);
            patch_children(have, want, &|_| false);
        }
        _ => {
            if have.node_value() != want.node_value() {
                have.set_node_value(want.node_value().as_deref());
            }
        }
    }
}

/// Gives `have` exactly `want`'s attributes, touching only those that differ.
fn patch_attributes(have: &Element, want: &Element) {
    let names = |e: &Element| -> Vec<String> {
        e.get_attribute_names()
            .iter()
            .filter_map(|n| n.as_string())
            .collect()
    };
    for name in names(have) {
        if !want.has_attribute(&name) {
            let _ = have.remove_attribute(&name);
        }
    }
    for name in names(want) {
        let value = want.get_attribute(&name);
        if have.get_attribute(&name) != value {
            if let Some(value) = value {
                let _ = have.set_attribute(&name, &value);
            }
        }
    }
}
