//! The figures module's side of the slot (see `figure_slot`): mounts a live
//! figure into the element the player made, follows its `data-click` and
//! `data-covered`, and sends the figure's URL parameters and notices back as
//! DOM events. The `figures` binary exports these to the page.

use super::draw;
use crate::figure_host::FigureHost;
use crate::figure_slot::{parse_params, query_of, NOTICE_EVENT, PARAMS_EVENT};
use leptos::prelude::*;
use simdeck_deck::LiveFigure;
use std::any::Any;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    /// The mounted figures, by id; `None` once unmounted.
    static MOUNTED: RefCell<Vec<Option<Box<dyn Any>>>> = const { RefCell::new(Vec::new()) };
}

/// Mounts the figure `figure` running `scenario` into `el`, with the URL
/// parameters `params` (`step=3&q=1`); `on_stage` for the slide on stage,
/// whose figure takes its keys. A figure with neither follows no URL.
/// Returns the id to unmount it with.
pub fn mount(
    el: web_sys::HtmlElement,
    figure: String,
    scenario: String,
    params: String,
    on_stage: bool,
) -> u32 {
    let click = RwSignal::new(attribute_click(&el));
    let covered = RwSignal::new(attribute_covered(&el));
    let observer = observe(&el, click, covered);
    let target = el.clone();
    let handle = mount_to(el, move || {
        let host = (on_stage || !params.is_empty()).then(|| {
            let events = target.clone();
            let notice = Callback::new(move |text: String| send(&events, NOTICE_EVENT, &text));
            let host = if on_stage {
                FigureHost::new(notice, covered.into())
            } else {
                FigureHost::reading(notice)
            };
            host.offer(parse_params(&params));
            host
        });
        if let Some(host) = host {
            let events = target.clone();
            Effect::new(move |_| send(&events, PARAMS_EVENT, &query_of(&host.params.get())));
        }
        let live = LiveFigure {
            figure,
            scenario,
            click_points: 0,
        };
        draw(&live, click.into(), host)
    });
    MOUNTED.with(|mounted| {
        let mut mounted = mounted.borrow_mut();
        mounted.push(Some(Box::new((handle, observer))));
        u32::try_from(mounted.len() - 1).unwrap_or(u32::MAX)
    })
}

/// Unmounts the figure `id` (a second call does nothing).
pub fn unmount(id: u32) {
    let taken = MOUNTED.with(|mounted| {
        mounted
            .borrow_mut()
            .get_mut(id as usize)
            .and_then(Option::take)
    });
    drop(taken);
}

fn attribute_click(el: &web_sys::Element) -> usize {
    el.get_attribute("data-click")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn attribute_covered(el: &web_sys::Element) -> bool {
    el.get_attribute("data-covered").as_deref() == Some("true")
}

/// Watches `el`'s `data-click` and `data-covered`; the observer and its
/// callback live as long as the returned pair.
fn observe(
    el: &web_sys::HtmlElement,
    click: RwSignal<usize>,
    covered: RwSignal<bool>,
) -> Option<(web_sys::MutationObserver, Closure<dyn Fn()>)> {
    let watched = el.clone();
    let callback = Closure::<dyn Fn()>::new(move || {
        click.try_set(attribute_click(&watched));
        covered.try_set(attribute_covered(&watched));
    });
    let observer = web_sys::MutationObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    let options = web_sys::MutationObserverInit::new();
    options.set_attributes(true);
    let filter = js_sys::Array::of2(&"data-click".into(), &"data-covered".into());
    options.set_attribute_filter(&filter);
    observer.observe_with_options(el, &options).ok()?;
    Some((observer, callback))
}

/// Dispatches the event `name` with `detail` on `el`.
fn send(el: &web_sys::HtmlElement, name: &str, detail: &str) {
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&JsValue::from_str(detail));
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = el.dispatch_event(&event);
    }
}
