//! What every browser test of the player shares: mounting a player at a URL
//! into a fresh element (unmounted when dropped) and pressing keys.
//! Each test file uses what it needs of it.
#![allow(dead_code)]

use leptos::prelude::*;
use simdeck::{compiled_deck, presenter_view, Figures, Player, Presenter};
use simdeck_deck::Deck;
use std::sync::Arc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlElement, KeyboardEvent, KeyboardEventInit};

/// A mounted player; dropping it unmounts it (its view, effects and window
/// listeners) and removes its element.
pub struct Mounted {
    view: Option<Box<dyn std::any::Any>>,
    owner: Owner,
    host: HtmlElement,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        drop(self.view.take());
        self.owner.cleanup();
        self.host.remove();
    }
}

/// Mounts a player for `deck` at URL hash `hash` into a fresh element, with
/// its live figures drawn in the page.
pub fn mount_deck(deck: Deck, hash: &str) -> (HtmlElement, Mounted) {
    window()
        .history()
        .unwrap()
        .replace_state_with_url(&JsValue::NULL, "", Some(hash))
        .unwrap();
    let host: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&host).unwrap();
    let deck = Arc::new(deck);
    let owner = Owner::new();
    let parent = host.clone();
    let view = owner.with(|| {
        mount_to(parent, move || {
            view! {
                <Player
                    deck=deck
                    figures=Figures(Some(simdeck::figures::draw))
                    presenter=Presenter(Some(presenter_view))
                />
            }
        })
    });
    let view: Option<Box<dyn std::any::Any>> = Some(Box::new(view));
    (host.clone(), Mounted { view, owner, host })
}

/// Mounts the compiled deck at URL hash `hash`.
pub fn mount(hash: &str) -> (HtmlElement, Mounted) {
    mount_deck(compiled_deck().expect("the compiled deck decodes"), hash)
}

/// Dispatches a keydown of `key` (with or without Shift) on `target` and
/// lets the player react.
pub async fn press_on(target: &web_sys::EventTarget, key: &str, shift: bool) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
    leptos::task::tick().await;
}

/// Dispatches a keydown of `key` on the window and lets the player and its
/// figure settle (their effects run, the URL follows).
pub async fn press(key: &str) {
    press_on(&window(), key, false).await;
    settle().await;
}

/// Lets effects, timers and focus changes settle.
pub async fn settle() {
    gloo_timers::future::TimeoutFuture::new(30).await;
    leptos::task::tick().await;
}

/// The text of the element matching `selector` in `host`; empty when none does.
pub fn text(host: &HtmlElement, selector: &str) -> String {
    host.query_selector(selector)
        .unwrap()
        .map(|e| e.text_content().unwrap_or_default())
        .unwrap_or_default()
}

/// The element matching `selector` in `host`; panics when there is none.
pub fn element(host: &HtmlElement, selector: &str) -> HtmlElement {
    host.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .unchecked_into()
}

/// How many elements match `selector` in `host`.
pub fn count(host: &HtmlElement, selector: &str) -> u32 {
    host.query_selector_all(selector).unwrap().length()
}

/// Waits until the frame on stage shows step `step` of `steps` (a click
/// forward plays its steps), at most ten seconds.
pub async fn wait_for_step(host: &HtmlElement, step: usize, steps: usize) {
    wait_for_step_in(host, ".stage", step, steps).await;
}

/// Waits until the frame under `scope` (e.g. `#read-20`) shows step `step`
/// of `steps`, at most ten seconds.
pub async fn wait_for_step_in(host: &HtmlElement, scope: &str, step: usize, steps: usize) {
    let want = format!("step {step} / {steps}");
    let counter = format!("{scope} .fc-count");
    for _ in 0..200 {
        if text(host, &counter) == want {
            gloo_timers::future::TimeoutFuture::new(20).await;
            leptos::task::tick().await;
            return;
        }
        gloo_timers::future::TimeoutFuture::new(50).await;
    }
    panic!("the frame never showed “{want}”: {}", text(host, &counter));
}
