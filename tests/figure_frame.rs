//! The figure frame in a real browser, on every live figure of the deck:
//! clicks play to click points and going back restores, a permalink gives
//! the frame that stepping gave, the figure keys step without taking the
//! deck's, and untrusted URL parameters land on the nearest valid frame.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use simdeck::compiled_deck;
use simdeck_deck::Deck;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

mod support;
use support::{mount, press, settle, text};

wasm_bindgen_test_configure!(run_in_browser);

fn deck() -> Deck {
    compiled_deck().expect("the compiled deck decodes")
}

/// The slides with a live figure, with their click counts.
fn live_slides() -> Vec<(usize, usize)> {
    deck()
        .slides
        .iter()
        .filter(|s| s.live.is_some())
        .map(|s| (s.number, s.clicks))
        .collect()
}

fn inner(host: &HtmlElement, selector: &str) -> String {
    host.query_selector(selector)
        .unwrap()
        .map(|e| e.inner_html())
        .unwrap_or_else(|| panic!("no {selector}"))
}

/// Everything the frame shows of the run: the drawing, the step and the narration.
fn frame_state(host: &HtmlElement) -> (String, String, String) {
    (
        inner(host, ".stage .figure-drawing"),
        text(host, ".stage .fc-count"),
        text(host, ".stage .narration"),
    )
}

/// The shown step and the run's length, from "step S / T".
fn step_of(host: &HtmlElement) -> (usize, usize) {
    let count = text(host, ".stage .fc-count");
    let numbers: Vec<usize> = count
        .trim_start_matches("step ")
        .split(" / ")
        .filter_map(|n| n.trim().parse().ok())
        .collect();
    assert_eq!(numbers.len(), 2, "{count}");
    (numbers[0], numbers[1])
}

/// Waits (animations step every few hundred ms) until the step stops moving.
async fn until_still(host: &HtmlElement) {
    let mut last = step_of(host).0;
    for _ in 0..200 {
        gloo_timers::future::TimeoutFuture::new(120).await;
        leptos::task::tick().await;
        let now = step_of(host).0;
        if now == last
            && host
                .query_selector(".stage .fc-play[aria-pressed='true']")
                .unwrap()
                .is_none()
        {
            gloo_timers::future::TimeoutFuture::new(500).await;
            if step_of(host).0 == now {
                return;
            }
        }
        last = now;
    }
    panic!("the figure never came to rest");
}

#[wasm_bindgen_test]
async fn going_back_through_every_live_figure_restores_each_click_as_its_permalink_shows_it() {
    let slides = live_slides();
    assert_eq!(
        slides.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        vec![7, 8, 9, 10, 15, 16, 17, 18, 19, 20, 22, 23, 24]
    );
    for (slide, clicks) in slides {
        // Fresh loads at each click: what a permalink shows.
        let mut loaded = Vec::new();
        for k in 0..=clicks {
            let (host, _m) = mount(&format!("#/{slide}?clicks={k}"));
            settle().await;
            assert!(
                host.query_selector(".stage .figure-live")
                    .unwrap()
                    .is_some(),
                "slide {slide} click {k} has its live figure"
            );
            loaded.push(frame_state(&host));
        }
        // Going back from the last click restores each earlier one exactly, at once.
        let (host, _m) = mount(&format!("#/{slide}?clicks={clicks}"));
        settle().await;
        for k in (0..clicks).rev() {
            press("ArrowLeft").await;
            assert_eq!(
                frame_state(&host),
                loaded[k],
                "slide {slide}: back to click {k}"
            );
        }
    }
    // Chromium ignores history updates beyond 200 in 10 s; this test makes
    // nearly that many, so the tests after it wait for the window to pass.
    gloo_timers::future::TimeoutFuture::new(10_000).await;
}

#[wasm_bindgen_test]
async fn a_click_plays_the_steps_to_its_click_point_as_its_permalink_shows_it() {
    let (slide, clicks) = (8, 4);
    let mut loaded = Vec::new();
    for k in 0..=clicks {
        let (host, _m) = mount(&format!("#/{slide}?clicks={k}"));
        settle().await;
        loaded.push(frame_state(&host));
    }
    let (host, _m) = mount(&format!("#/{slide}"));
    settle().await;
    for (k, expected) in loaded.iter().enumerate().skip(1) {
        press("ArrowRight").await;
        until_still(&host).await;
        assert_eq!(
            &frame_state(&host),
            expected,
            "slide {slide}: stepping to click {k}"
        );
    }
}

#[wasm_bindgen_test]
async fn figure_keys_step_the_figure_and_the_url_remembers_the_step() {
    let (host, _m) = mount("#/22");
    settle().await;
    let (start, total) = step_of(&host);
    assert_eq!(start, 0);
    assert!(total > 3);
    press(".").await;
    press(".").await;
    assert_eq!(step_of(&host).0, 2);
    let hash = window().location().hash().unwrap();
    assert_eq!(
        hash, "#/22?step=2",
        "the URL holds the step off the click point"
    );
    let stepped = frame_state(&host);
    press(",").await;
    assert_eq!(step_of(&host).0, 1);
    press("r").await;
    assert_eq!(step_of(&host).0, 0, "r goes back to the click's step");
    assert_eq!(window().location().hash().unwrap(), "#/22");
    drop(_m);
    let (fresh, _m2) = mount("#/22?step=2");
    settle().await;
    assert_eq!(
        frame_state(&fresh),
        stepped,
        "the permalink shows the same frame"
    );
    // The deck's keys keep their meaning: → is the slide's next click (or
    // the next slide, on a slide without clicks).
    press("ArrowRight").await;
    if deck().slides[21].clicks > 0 {
        assert_eq!(text(&fresh, ".stage .slide-number"), "22 / 26");
        assert_eq!(window().location().hash().unwrap(), "#/22?clicks=1");
    } else {
        assert_eq!(text(&fresh, ".stage .slide-number"), "23 / 26");
    }
}

#[wasm_bindgen_test]
async fn untrusted_url_parameters_land_on_the_nearest_valid_frame_with_a_notice() {
    let (host, _m) = mount("#/22?step=999999999&seed=x&zz=1");
    settle().await;
    let (step, total) = step_of(&host);
    assert_eq!(step, total, "a step past the end shows the last");
    let notice = text(&host, ".notice");
    assert!(notice.contains("not 999999999"), "{notice}");
    assert!(notice.contains("“seed=x” is not a seed"), "{notice}");
    assert!(notice.contains("“zz” is not known"), "{notice}");
    drop(_m);
    let long = "9".repeat(40);
    let (host, _m) = mount(&format!("#/22?step={long}"));
    settle().await;
    assert_eq!(step_of(&host).0, 0, "an overlong value is not read");
    assert!(text(&host, ".notice").contains("ignored"));
    drop(_m);
    let (host, _m) = mount("#/4?step=3");
    settle().await;
    assert!(text(&host, ".notice").contains("has no live figure"));
}

#[wasm_bindgen_test]
async fn the_narration_tells_the_step_and_its_rule_and_announces_it() {
    let (host, _m) = mount("#/22?step=1");
    settle().await;
    let now = text(&host, ".stage .narration-now");
    let rule = text(&host, ".stage .narration-rule");
    assert!(now.starts_with('1'), "{now}");
    assert!(rule.contains(" — "), "the rule names its source: {rule}");
    let spoken = text(&host, ".stage .narration [aria-live='polite']");
    assert!(spoken.starts_with("Step 1: "), "{spoken}");
    let says = rule.split(" — ").next().unwrap();
    assert!(spoken.contains(says), "{spoken} / {says}");
}

/// Types `value` into the what-if field `key` (or the seed, for `seed`) and commits it.
async fn set_field(host: &HtmlElement, key: &str, value: &str) {
    let selector = if key == "seed" {
        ".stage .wi-seed".to_string()
    } else {
        format!(".stage .wi-input[data-key='{key}']")
    };
    let input: web_sys::HtmlInputElement = host
        .query_selector(&selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .unchecked_into();
    input.set_value(value);
    let event = web_sys::Event::new_with_event_init_dict("change", &{
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        init
    })
    .unwrap();
    input.dispatch_event(&event).unwrap();
    settle().await;
}

#[wasm_bindgen_test]
async fn a_what_if_reruns_from_the_same_seed_says_what_changed_and_its_permalink_reproduces_it() {
    let (host, m) = mount("#/8?clicks=3");
    settle().await;
    let before = frame_state(&host);
    // Out of bounds: refused, said, and the run stays on screen.
    set_field(&host, "q", "9000000").await;
    let error = text(&host, ".stage .wi-error");
    assert!(error.contains("between 100000 and 8000000"), "{error}");
    assert_eq!(frame_state(&host).0, before.0, "the previous run stays");
    // In bounds: a new run, the steps that differ counted, the URL extended.
    set_field(&host, "q", "1000000").await;
    assert_eq!(text(&host, ".stage .wi-error"), "");
    let diff = text(&host, ".stage .wi-diff");
    assert!(diff.contains("differ from the previous run"), "{diff}");
    let after = frame_state(&host);
    assert_ne!(after.0, before.0, "a halved quota changes the figure");
    let hash = window().location().hash().unwrap();
    assert!(hash.contains("q=1000000"), "{hash}");
    drop(m);
    let (fresh, _m) = mount(&hash);
    settle().await;
    assert_eq!(
        frame_state(&fresh).0,
        after.0,
        "the permalink reproduces the edited run"
    );
    // Another seed is a parameter of the URL too.
    set_field(&fresh, "seed", "99").await;
    assert!(window().location().hash().unwrap().contains("seed=99"));
    // A bad value in a URL is said and the scenario's value used.
    drop(_m);
    let (bad, _m) = mount("#/8?clicks=3&q=abc");
    settle().await;
    assert!(text(&bad, ".notice").contains("needs a whole number"));
    assert_eq!(frame_state(&bad).0, before.0);
}
