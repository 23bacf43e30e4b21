//! Where a slide's live figure goes.
//!
//! On the site, the figures (simulators, the frame, the drawings and their
//! styles) are a WebAssembly module of their own, loaded on the slide
//! before a live figure ([`load_ahead`]) or when one is drawn first, so the
//! player answers keys before any simulator has arrived. The player and the
//! module talk through the slot element: the player writes the slide's click
//! (`data-click`) and whether an overlay covers the stage (`data-covered`);
//! the module sends the figure's URL parameters and notices back as DOM
//! events. Tests draw the figures in the
//! page instead, with [`Figures`] naming the drawing function.

use crate::figure_host::FigureHost;
use leptos::html;
use leptos::prelude::*;
use simdeck_deck::LiveFigure;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Draws a live figure in the page (the figures module's entry, or a test's).
pub type DrawFigure = fn(&LiveFigure, Signal<usize>, Option<FigureHost>) -> AnyView;

/// How the player draws live figures: in the page with the function given,
/// or (`None`) by loading the figures module.
#[derive(Clone, Copy, Default)]
pub struct Figures(pub Option<DrawFigure>);

/// The event the figures module sends with the figure's URL parameters
/// (`step=3&seed=9`, empty when it shows its click's step).
pub const PARAMS_EVENT: &str = "simdeck-figure-params";
/// The event the figures module sends with a notice for the presenter.
pub const NOTICE_EVENT: &str = "simdeck-figure-notice";
/// The page's `<meta>` naming the figures module (written by the build).
const MODULE_META: &str = "meta[name='simdeck-figures']";
/// The page's `<meta>` naming the presenter module (written by the build).
const PRESENTER_META: &str = "meta[name='simdeck-presenter']";

/// The slot's listeners for the module's events, dropped with the slot.
type Listeners = StoredValue<Vec<Closure<dyn Fn(web_sys::CustomEvent)>>, LocalStorage>;

thread_local! {
    /// The figures module, once loaded.
    static LOADED: std::cell::RefCell<Option<JsValue>> = const { std::cell::RefCell::new(None) };
    /// Whether [`load_ahead`] has started a load that has not failed.
    static LOADING_AHEAD: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

#[wasm_bindgen(inline_js = r#"
const loading = new Map();
export function load_figures(path) {
  if (!loading.has(path)) {
    const url = new URL(path, document.baseURI).href;
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = url.replace(/\.js$/, '.css');
    const styled = new Promise((done) => { link.onload = done; link.onerror = done; });
    document.head.appendChild(link);
    const loaded = Promise.all([import(url), styled]).then(async ([m]) => { await m["default"](); return m; });
    loaded.catch(() => { loading.delete(path); link.remove(); });
    loading.set(path, loaded);
  }
  return loading.get(path);
}
export function mount_in(m, el, figure, scenario, params, onStage) {
  return m.mount_figure(el, figure, scenario, params, onStage);
}
export function unmount_in(m, id) { m.unmount_figure(id); }
export function start_presenter_in(m) { m.start_presenter(); }
"#)]
extern "C" {
    fn load_figures(path: &str) -> js_sys::Promise;
    fn mount_in(
        module: &JsValue,
        el: &web_sys::HtmlElement,
        figure: &str,
        scenario: &str,
        params: &str,
        on_stage: bool,
    ) -> u32;
    fn unmount_in(module: &JsValue, id: u32);
    fn start_presenter_in(module: &JsValue);
}

/// Loads the module at `path` (a load under way is shared), then calls
/// `loaded` with it or `refused` with why not. The promise holds the
/// callbacks until it settles.
fn load(
    path: &str,
    loaded: impl FnOnce(JsValue) + 'static,
    refused: impl FnOnce(JsValue) + 'static,
) {
    let loaded = Closure::once(loaded);
    let refused = Closure::once(refused);
    let _ = load_figures(path).then2(&loaded, &refused);
    loaded.forget();
    refused.forget();
}

/// The path of the module the page's `<meta>` matching `selector` names.
fn module_path(selector: &str) -> Option<String> {
    document()
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
}

/// Loads the presenter module and lets its player, which has the presenter
/// and print views, run this window; a page without the module says so in
/// `#app`.
pub fn start_presenter() {
    let say = |message: &str| {
        if let Some(app) = document().get_element_by_id("app") {
            app.set_text_content(Some(message));
        }
    };
    let Some(path) = module_path(PRESENTER_META) else {
        say("This view cannot start: this page was built without its presenter module.");
        return;
    };
    load(
        &path,
        move |module| start_presenter_in(&module),
        move |_| say("This view did not load. Reloading the page may help."),
    );
}

/// Starts loading the figures module, once, so that the next live figure is
/// drawn as soon as its slide is shown. A slot drawn while it loads waits
/// for the same load, and says why if it fails; after a failure the next
/// call starts again.
pub fn load_ahead() {
    if LOADED.with(|m| m.borrow().is_some()) || LOADING_AHEAD.with(|a| a.replace(true)) {
        return;
    }
    let Some(path) = module_path(MODULE_META) else {
        return;
    };
    load(
        &path,
        |module| LOADED.with(|m| *m.borrow_mut() = Some(module)),
        |_| LOADING_AHEAD.with(|a| a.set(false)),
    );
}

/// The live figure `live` on a slide at `click`; `host` for the slide on stage.
pub fn live_figure(live: &LiveFigure, click: Signal<usize>, host: Option<FigureHost>) -> AnyView {
    match use_context::<Figures>().and_then(|f| f.0) {
        Some(draw) => draw(live, click, host),
        None => slot(live.clone(), click, host),
    }
}

/// The params a figure sends, as (key, value) pairs.
pub fn parse_params(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// `params` as a query string, the form the events carry.
pub fn query_of(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// An element the figures module mounts into once it has loaded.
fn slot(live: LiveFigure, click: Signal<usize>, host: Option<FigureHost>) -> AnyView {
    let mount = NodeRef::<html::Div>::new();
    let failed = RwSignal::new(None::<String>);
    let mounted = StoredValue::new_local(None::<(JsValue, u32)>);
    let listeners: Listeners = StoredValue::new_local(Vec::new());
    let covered = move || host.is_some_and(|h| h.covered.get()).to_string();
    Effect::new(move |done: Option<bool>| {
        let Some(el) = mount.get() else {
            return false;
        };
        if done == Some(true) {
            return true;
        }
        if let Some(host) = host {
            listen(&el, listeners, PARAMS_EVENT, move |detail| {
                host.params.set(parse_params(&detail));
            });
            listen(&el, listeners, NOTICE_EVENT, move |detail| {
                host.notice.run(detail)
            });
        }
        let Some(path) = module_path(MODULE_META) else {
            failed.set(Some(
                "this page was built without its live figures (no figures module is named in it)"
                    .into(),
            ));
            return true;
        };
        let params = host
            .map(|h| query_of(&h.take_initial()))
            .unwrap_or_default();
        let (figure, scenario) = (live.figure.clone(), live.scenario.clone());
        let el: web_sys::HtmlElement = el.into();
        let on_stage = host.is_some_and(|h| h.keys);
        let mount_into = move |module: JsValue| {
            if mounted.try_with_value(|_| ()).is_none() {
                // The slide was left before its figure was drawn.
                return;
            }
            let id = mount_in(&module, &el, &figure, &scenario, &params, on_stage);
            if mounted.try_set_value(Some((module.clone(), id))).is_some() {
                // The slot went while the figure was being mounted.
                unmount_in(&module, id);
            }
        };
        if let Some(module) = LOADED.with(|m| m.borrow().clone()) {
            // Drawn in a task of its own once the slide is on screen: a
            // figure's first drawing (its simulator's code running for the
            // first time) never stands between a key press and its slide.
            request_animation_frame(move || {
                set_timeout(move || mount_into(module), Duration::ZERO)
            });
            return true;
        }
        load(
            &path,
            move |module| {
                LOADED.with(|m| *m.borrow_mut() = Some(module.clone()));
                mount_into(module);
            },
            move |e| {
                let why = e
                    .dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .or_else(|| e.as_string());
                failed.try_set(Some(format!(
                    "the live figures did not load ({})",
                    why.unwrap_or_else(|| "no reason given".into())
                )));
            },
        );
        true
    });
    on_cleanup(move || {
        // The slide's figure parameters leave the URL with it.
        if let Some(host) = host {
            host.params.try_set(Vec::new());
        }
        if let Some((module, id)) = mounted.try_update_value(Option::take).flatten() {
            unmount_in(&module, id);
        }
        if let (Some(el), Some(closures)) = (
            mount.get_untracked(),
            listeners.try_update_value(std::mem::take),
        ) {
            for (name, closure) in [PARAMS_EVENT, NOTICE_EVENT].iter().zip(&closures) {
                let _ =
                    el.remove_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
            }
        }
    });
    view! {
        <div class="figure-slot">
            {move || failed.get().map(|why| view! {
                <div class="figure-failure" role="alert">
                    <p>"This live figure cannot run:"</p>
                    <pre>{why}</pre>
                </div>
            })}
            <div class="figure-mount" node_ref=mount data-click=move || click.get().to_string() data-covered=covered></div>
        </div>
    }
    .into_any()
}

/// Calls `on` with the string detail of each `name` event on `el`.
fn listen(el: &web_sys::Element, listeners: Listeners, name: &str, on: impl Fn(String) + 'static) {
    let closure = Closure::<dyn Fn(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
        on(e.detail().as_string().unwrap_or_default());
    });
    if el
        .add_event_listener_with_callback(name, closure.as_ref().unchecked_ref())
        .is_ok()
    {
        listeners.update_value(|list| list.push(closure));
    }
}
