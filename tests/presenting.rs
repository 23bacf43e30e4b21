//! Presenting in a real browser: windows following the presenter over a
//! `BroadcastChannel` (two players on one page, each with its own channel
//! object: a channel delivers to every other object of its name, in this
//! page too), the presenter view, drawing and the table of contents.
//! Run with `wasm-pack test --headless --chrome --test presenting`.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use simdeck_deck::parse_deck;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, PointerEvent, PointerEventInit};

mod support;
use support::{element, mount, mount_deck, press_on, settle, text};

wasm_bindgen_test_configure!(run_in_browser);

/// Presses `key` in the player mounted in `host` (aimed at its element, so
/// the other player on the page leaves it alone) and lets both settle.
async fn press_in(host: &HtmlElement, key: &str) {
    press_on(&element(host, ".deck"), key, false).await;
    settle().await;
    settle().await;
}

/// Waits until `read` returns `want`, at most five seconds.
async fn wait_until(what: &str, want: &str, read: impl Fn() -> String) {
    for _ in 0..100 {
        if read() == want {
            return;
        }
        gloo_timers::future::TimeoutFuture::new(50).await;
    }
    panic!("{what}: wanted “{want}”, got “{}”", read());
}

/// Waits until `read` stops changing (the same text twice, 300 ms apart)
/// and returns it: a figure has played its click's steps.
async fn settled(read: impl Fn() -> String) -> String {
    let mut last = read();
    for _ in 0..30 {
        gloo_timers::future::TimeoutFuture::new(300).await;
        let now = read();
        if now == last {
            return now;
        }
        last = now;
    }
    panic!("never settled: {last}");
}

/// How many clicks slide 8 of the compiled deck has.
fn clicks_of_slide_8() -> usize {
    simdeck::compiled_deck().unwrap().slides[7].clicks
}

/// What the audience player announces: its slide and click.
fn spoken(host: &HtmlElement) -> String {
    text(host, ".deck > [aria-live='polite']")
}

/// Draws a stroke across the drawing layer under `selector`, from 20 % to
/// 60 % of its width, half way down.
fn draw_stroke(host: &HtmlElement, selector: &str) {
    let layer = element(host, selector);
    let rect = layer.get_bounding_client_rect();
    let y = (rect.top() + rect.height() / 2.0) as i32;
    for (kind, fraction) in [
        ("pointerdown", 0.2),
        ("pointermove", 0.4),
        ("pointermove", 0.6),
        ("pointerup", 0.6),
    ] {
        let init = PointerEventInit::new();
        init.set_bubbles(true);
        init.set_pointer_id(1);
        init.set_client_x((rect.left() + fraction * rect.width()) as i32);
        init.set_client_y(y);
        let event = PointerEvent::new_with_event_init_dict(kind, &init).unwrap();
        layer.dispatch_event(&event).unwrap();
    }
}

fn clear_stored_drawings() {
    let storage = window().local_storage().unwrap().unwrap();
    let keys: Vec<String> = (0..storage.length().unwrap())
        .filter_map(|i| storage.key(i).unwrap())
        .filter(|k| k.ends_with("-drawings"))
        .collect();
    for key in keys {
        storage.remove_item(&key).unwrap();
    }
}

#[wasm_bindgen_test]
async fn the_toc_omits_hidden_slides_and_goes_to_the_chosen_one() {
    let deck = parse_deck(
        "# Cover\n\n---\nhideInToc: true\n---\n\n# Hidden\n\n---\n\n# Shown\n\n---\n\nno title\n",
    );
    let (host, _m) = mount_deck(deck, "#/1");
    settle().await;
    press_in(&host, "t").await;
    let titles: Vec<String> = {
        let links = host.query_selector_all(".toc .toc-title").unwrap();
        (0..links.length())
            .map(|i| links.item(i).unwrap().text_content().unwrap())
            .collect()
    };
    assert_eq!(titles, ["Cover", "Shown"]);
    let focused = || {
        document()
            .active_element()
            .and_then(|e| e.get_attribute("data-entry"))
            .unwrap_or_default()
    };
    assert_eq!(focused(), "1", "the presented slide's entry has the focus");
    press_on(&document().active_element().unwrap(), "ArrowDown", false).await;
    settle().await;
    assert_eq!(focused(), "2");
    press_on(&document().active_element().unwrap(), "ArrowDown", false).await;
    settle().await;
    assert_eq!(focused(), "2", "the cursor stays on the list");
    document()
        .active_element()
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    settle().await;
    assert_eq!(text(&host, ".stage .slide-number"), "3 / 4");
    assert!(host.query_selector(".toc").unwrap().is_none(), "closed");
    element(&host, ".controls [aria-label='Contents']").click();
    settle().await;
    assert!(
        host.query_selector(".toc").unwrap().is_some(),
        "the bar opens it"
    );
}

#[wasm_bindgen_test]
async fn the_presenter_view_shows_the_next_click_the_notes_and_running_clocks() {
    let n = clicks_of_slide_8();
    let (host, m) = mount("#/presenter/8");
    settle().await;
    assert_eq!(
        text(&host, ".pv-position"),
        format!("Slide 8 / 26 · click 0 / {n}")
    );
    assert_eq!(
        text(&host, ".pv-next-label"),
        format!("Next: click 1 of {n}")
    );
    assert_eq!(text(&host, ".pv-notes"), "No notes for this slide");
    assert!(
        host.query_selector(".pv-current .fc-count")
            .unwrap()
            .is_some(),
        "the slide on stage has its live figure"
    );
    press_in(&host, "ArrowRight").await;
    assert_eq!(
        text(&host, ".pv-position"),
        format!("Slide 8 / 26 · click 1 / {n}")
    );
    assert_eq!(
        text(&host, ".pv-next-label"),
        format!("Next: click 2 of {n}")
    );
    assert!(
        window()
            .location()
            .hash()
            .unwrap()
            .starts_with("#/presenter/8?clicks=1"),
        "the presenter's URL follows it"
    );
    let told = || text(&host, ".pv-current .narration-now .nn-detail");
    for _ in 0..100 {
        if !told().is_empty() {
            break;
        }
        gloo_timers::future::TimeoutFuture::new(50).await;
    }
    let detail = settled(told).await;
    let step = text(&host, ".pv-current .narration-now .nn-step");
    assert!(!detail.is_empty() && !step.is_empty());
    let object = text(&host, ".pv-current .narration-now .nn-object");
    let want = format!("Step {step}: {object} {detail}");
    wait_until("the narration", &want, || text(&host, ".pv-narration")).await;

    assert_eq!(text(&host, ".pv-elapsed"), "00:00");
    element(&host, ".pv-stopwatch-toggle").click();
    gloo_timers::future::TimeoutFuture::new(1300).await;
    assert_eq!(text(&host, ".pv-elapsed"), "00:01", "the stopwatch runs");
    element(&host, ".pv-stopwatch-toggle").click();
    gloo_timers::future::TimeoutFuture::new(1100).await;
    assert_eq!(text(&host, ".pv-elapsed"), "00:01", "paused");
    assert_eq!(text(&host, ".pv-remaining"), "30:00");
    element(&host, ".pv-countdown-toggle").click();
    gloo_timers::future::TimeoutFuture::new(1300).await;
    assert_eq!(text(&host, ".pv-remaining"), "29:58", "the countdown runs");
    let clock = text(&host, ".pv-clock");
    assert_eq!(clock.len(), 8, "hh:mm:ss: {clock}");
    drop(m);

    let notes = parse_deck("# A\n\n<!-- Say hello. -->\n\n---\n\n# B\n");
    let (host, _m) = mount_deck(notes, "#/presenter/1");
    settle().await;
    assert_eq!(text(&host, ".pv-notes"), "Say hello.");
    assert_eq!(text(&host, ".pv-next-label"), "Next: slide 2");
    assert_eq!(
        text(&host, ".pv-next .slide h1"),
        "B",
        "the next slide's preview"
    );
    press_in(&host, "End").await;
    assert_eq!(text(&host, ".pv-next-label"), "End of deck");
    assert_eq!(text(&host, ".pv-notes"), "No notes for this slide");
}

#[wasm_bindgen_test]
async fn audience_windows_follow_the_presenter_and_never_drive_it() {
    clear_stored_drawings();
    let (audience, _a) = mount("#/1");
    settle().await;
    let (presenter, _p) = mount("#/presenter/1");
    settle().await;
    settle().await;

    // Slides and clicks.
    let n = clicks_of_slide_8();
    let click_of = |host: &HtmlElement| {
        spoken(host)
            .rsplit(", ")
            .next()
            .unwrap_or_default()
            .to_string()
    };
    for _ in 0..7 {
        press_in(&presenter, "ArrowDown").await;
    }
    assert_eq!(
        text(&presenter, ".pv-position"),
        format!("Slide 8 / 26 · click 0 / {n}")
    );
    wait_until("the audience's slide", "8 / 26", || {
        text(&audience, ".stage .slide-number")
    })
    .await;
    press_in(&presenter, "ArrowRight").await;
    wait_until("the audience's click", &format!("click 1 of {n}"), || {
        click_of(&audience)
    })
    .await;

    // A figure step.
    let presenter_count = || text(&presenter, ".pv-current .fc-count");
    let before = settled(presenter_count).await;
    element(&presenter, ".pv-current [aria-label='One step forward']").click();
    settle().await;
    let stepped = presenter_count();
    assert_ne!(stepped, before, "the presenter's figure stepped");
    wait_until("the audience's figure", &stepped, || {
        text(&audience, ".stage .fc-count")
    })
    .await;

    // A drawing.
    press_in(&presenter, "c").await;
    draw_stroke(&presenter, ".pv-current svg.drawing");
    settle().await;
    assert_eq!(
        presenter
            .query_selector_all(".pv-current svg.drawing path")
            .unwrap()
            .length(),
        1
    );
    wait_until("the audience's drawing", "1", || {
        audience
            .query_selector_all(".stage svg.drawing path")
            .unwrap()
            .length()
            .to_string()
    })
    .await;
    element(&presenter, ".draw-tools [aria-label='Undo']").click();
    wait_until("the audience's undone drawing", "0", || {
        audience
            .query_selector_all(".stage svg.drawing path")
            .unwrap()
            .length()
            .to_string()
    })
    .await;
    press_in(&presenter, "c").await;

    // The audience explores on its own; the presenter stays.
    press_in(&audience, "ArrowDown").await;
    press_in(&audience, "ArrowDown").await;
    assert_eq!(text(&audience, ".stage .slide-number"), "10 / 26");
    gloo_timers::future::TimeoutFuture::new(200).await;
    assert_eq!(
        text(&presenter, ".pv-position"),
        format!("Slide 8 / 26 · click 1 / {n}")
    );
    assert_eq!(text(&audience, ".detached-chip"), "Detached — snap back");
    // Detached, it no longer follows; snapping back goes where the presenter is.
    press_in(&presenter, "ArrowRight").await;
    gloo_timers::future::TimeoutFuture::new(200).await;
    assert_eq!(text(&audience, ".stage .slide-number"), "10 / 26");
    element(&audience, ".detached-chip").click();
    wait_until("the audience back", "8 / 26", || {
        text(&audience, ".stage .slide-number")
    })
    .await;
    wait_until("the audience's click", &format!("click 2 of {n}"), || {
        click_of(&audience)
    })
    .await;
    assert!(audience.query_selector(".detached-chip").unwrap().is_none());
}
