//! Drawing over the slide: an SVG layer the pointer draws on while drawing
//! is on (`c`), its tools (pen, highlighter, colours, undo, clear), and the
//! drawings kept in local storage. The strokes and their rules are
//! `simdeck_deck::drawing`'s.

use crate::icons::{self, icon};
use leptos::ev;
use leptos::prelude::*;
use simdeck_deck::drawing::{Drawings, Stroke, Tool, COLOURS, EXTENT};
use simdeck_deck::{Deck, Position};
use wasm_bindgen::JsCast;

/// The local-storage key of a deck's drawings.
fn storage_key(deck: &Deck) -> String {
    simdeck_deck::drawing::storage_key(deck.title())
}

/// The drawings kept for `deck` in this browser: what the presenter drew on
/// each slide and click (`Drawings::at`), for the player and for an export
/// or print view. Stored lines that cannot be read are left out and said on
/// the console.
pub fn stored_drawings(deck: &Deck) -> Drawings {
    let text = window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(&storage_key(deck)).ok().flatten())
        .unwrap_or_default();
    let (drawings, problems) = Drawings::decode(&text);
    for problem in problems {
        web_sys::console::warn_1(
            &format!("simdeck: a stored drawing was left out: {problem}").into(),
        );
    }
    drawings
}

/// The drawing state of a player: whether drawing is on, the tool and
/// colour, and every position's strokes.
#[derive(Clone, Copy)]
pub struct Drawing {
    /// Whether the pointer draws (rather than moving the deck).
    pub active: RwSignal<bool>,
    /// The tool in hand.
    pub tool: RwSignal<Tool>,
    /// The colour in hand, an index into `COLOURS`.
    pub colour: RwSignal<u8>,
    /// Every position's strokes.
    pub drawings: RwSignal<Drawings>,
    key: StoredValue<String>,
}

impl Drawing {
    /// The drawing state for `deck`, with its stored drawings.
    pub fn new(deck: &Deck) -> Drawing {
        Drawing {
            active: RwSignal::new(false),
            tool: RwSignal::new(Tool::Pen),
            colour: RwSignal::new(0),
            drawings: RwSignal::new(stored_drawings(deck)),
            key: StoredValue::new(storage_key(deck)),
        }
    }

    /// Keeps the drawings in local storage.
    pub fn save(&self) {
        if let Some(storage) = window().local_storage().ok().flatten() {
            let text = self.drawings.with_untracked(Drawings::encode);
            let _ = storage.set_item(&self.key.get_value(), &text);
        }
    }
}

/// The strokes at one position as SVG markup, to go inside the layer's
/// `<svg>`. Every value comes from a checked [`Stroke`]: numbers, and a
/// colour from [`COLOURS`].
fn strokes_markup(strokes: &[Stroke]) -> String {
    let mut markup = String::new();
    for s in strokes {
        let class = if s.tool == Tool::Highlighter {
            r#" class="highlight""#
        } else {
            ""
        };
        markup.push_str(&format!(
            r#"<path d="{}" stroke="{}" stroke-width="{}"{class}/>"#,
            s.svg_path(),
            s.css_colour(),
            s.tool.width()
        ));
    }
    markup
}

/// Strokes drawn over a slide, read only (for previews, thumbnails and
/// previews and printing): an SVG to put inside the slide's canvas.
#[component]
pub fn DrawnStrokes(
    /// The strokes.
    strokes: Signal<Vec<Stroke>>,
) -> impl IntoView {
    view! {
        <svg class="drawing" viewBox="0 0 1000 1000" preserveAspectRatio="none" aria-hidden="true"
            inner_html=move || strokes.with(|s| strokes_markup(s))>
        </svg>
    }
}

/// The layer over the slide on stage: the strokes at `at`, and, while
/// drawing is on, the pointer drawing new ones. `changed` runs after each
/// change at a position.
#[component]
pub fn DrawingLayer(
    /// The player's drawing state.
    drawing: Drawing,
    /// The position on stage.
    at: Signal<Position>,
    /// Runs after the strokes at a position changed.
    changed: Callback<Position>,
) -> impl IntoView {
    let current = RwSignal::new(None::<Stroke>);
    // The layer itself, not a stroke under the pointer.
    let layer_of = |e: &ev::PointerEvent| {
        e.current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    };
    let point_of = move |e: &ev::PointerEvent| -> Option<(u16, u16)> {
        let rect = layer_of(e)?.get_bounding_client_rect();
        if rect.width() <= 0.0 || rect.height() <= 0.0 {
            return None;
        }
        let scale = |v: f64| (v.clamp(0.0, 1.0) * f64::from(EXTENT)).round() as u16;
        Some((
            scale((f64::from(e.client_x()) - rect.left()) / rect.width()),
            scale((f64::from(e.client_y()) - rect.top()) / rect.height()),
        ))
    };
    let down = move |e: ev::PointerEvent| {
        if !drawing.active.get_untracked() || e.button() != 0 {
            return;
        }
        e.prevent_default();
        if let (Some(point), Some(layer)) = (point_of(&e), layer_of(&e)) {
            let _ = layer.set_pointer_capture(e.pointer_id());
            let stroke = Stroke::start(
                drawing.tool.get_untracked(),
                drawing.colour.get_untracked(),
                point,
            );
            current.set(Some(stroke));
        }
    };
    let moved = move |e: ev::PointerEvent| {
        if current.with_untracked(Option::is_none) {
            return;
        }
        if let Some(point) = point_of(&e) {
            current.update(|s| {
                if let Some(s) = s {
                    s.extend(point);
                }
            });
        }
    };
    let up = move |_: ev::PointerEvent| {
        let Some(stroke) = current.try_update(Option::take).flatten() else {
            return;
        };
        let here = at.get_untracked();
        let mut added = Ok(());
        drawing.drawings.update(|d| added = d.add(here, stroke));
        if let Err(why) = added {
            web_sys::console::warn_1(&format!("simdeck: {why}").into());
        }
        changed.run(here);
    };
    let strokes = move || {
        let mut shown = drawing.drawings.with(|d| d.at(at.get()).to_vec());
        shown.extend(current.get());
        strokes_markup(&shown)
    };
    // While drawing, pointer and touch events are the layer's, never a
    // slide change or a swipe.
    let keep = |e: web_sys::Event| e.stop_propagation();
    view! {
        <svg
            class="drawing"
            class:active=drawing.active
            viewBox="0 0 1000 1000"
            preserveAspectRatio="none"
            aria-hidden="true"
            data-no-advance=move || drawing.active.get().then_some("")
            on:pointerdown=down
            on:pointermove=moved
            on:pointerup=up
            on:pointercancel=up
            on:touchstart=move |e: ev::TouchEvent| if drawing.active.get_untracked() { keep(e.into()) }
            on:touchend=move |e: ev::TouchEvent| if drawing.active.get_untracked() { keep(e.into()) }
            inner_html=strokes
        >
        </svg>
    }
}

/// The drawing tools, shown while drawing is on: pen, highlighter, the
/// colours, undo, clear and done.
#[component]
pub fn DrawingTools(
    /// The player's drawing state.
    drawing: Drawing,
    /// The position on stage.
    at: Signal<Position>,
    /// Runs after the strokes at a position changed.
    changed: Callback<Position>,
) -> impl IntoView {
    let tool_button = move |tool: Tool, label: &'static str, path: &'static str| {
        view! {
            <button
                type="button"
                class="control"
                aria-label=label
                title=label
                aria-pressed=move || (drawing.tool.get() == tool).to_string()
                on:click=move |_| drawing.tool.set(tool)
            >
                {icon(path)}
            </button>
        }
    };
    let colours = COLOURS
        .iter()
        .enumerate()
        .map(|(i, (name, css))| {
            let i = i as u8;
            view! {
                <button
                    type="button"
                    class="control swatch"
                    aria-label=format!("Colour {name}")
                    title=*name
                    aria-pressed=move || (drawing.colour.get() == i).to_string()
                    style=format!("--swatch: {css}")
                    on:click=move |_| drawing.colour.set(i)
                ></button>
            }
        })
        .collect_view();
    let undo = move |_| {
        let here = at.get_untracked();
        let mut undone = false;
        drawing.drawings.update(|d| undone = d.undo(here));
        if undone {
            changed.run(here);
        }
    };
    let clear = move |_| {
        let here = at.get_untracked();
        drawing.drawings.update(|d| d.clear(here));
        changed.run(here);
    };
    view! {
        <div
            class="draw-tools"
            role="toolbar"
            aria-label="Drawing"
            on:mousedown=|e| e.prevent_default()
        >
            {tool_button(Tool::Pen, "Pen", icons::PEN)}
            {tool_button(Tool::Highlighter, "Highlighter", icons::HIGHLIGHTER)}
            {colours}
            <button type="button" class="control" aria-label="Undo" title="Undo" on:click=undo>
                {icon(icons::UNDO)}
            </button>
            <button type="button" class="control" aria-label="Clear this click's drawing" title="Clear" on:click=clear>
                {icon(icons::CLEAR)}
            </button>
            <button
                type="button"
                class="control"
                aria-label="Stop drawing"
                title="Stop drawing (c)"
                on:click=move |_| drawing.active.set(false)
            >
                {icon(icons::CLOSE)}
            </button>
        </div>
    }
}
