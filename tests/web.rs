//! The player in a real browser: keys, URLs, overlays, figures and bad input.
//! Run with `wasm-pack test --headless --chrome` (part of `cargo xtask test`).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use simdeck::compiled_deck;
use simdeck_deck::nav::help;
use simdeck_deck::{parse_deck, Deck};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, MouseEvent, MouseEventInit};

mod support;
use support::{count, element, mount_deck as mount, press_on, settle, text};

wasm_bindgen_test_configure!(run_in_browser);

fn seed() -> Deck {
    compiled_deck().expect("the compiled deck decodes")
}

async fn press(key: &str, shift: bool) {
    press_on(&window(), key, shift).await;
}

/// Clicks the element at `selector` and lets the player react.
async fn click(host: &HtmlElement, selector: &str) {
    element(host, selector).click();
    leptos::task::tick().await;
}

/// Clicks the control bar's button labelled `label`.
async fn click_control(host: &HtmlElement, label: &str) {
    element(host, &format!(".controls [aria-label='{label}']")).click();
    settle().await;
}

/// Clicks `target` at `x_fraction` across the slide's canvas, half way down.
async fn click_slide_at(host: &HtmlElement, target: &web_sys::Element, x_fraction: f64) {
    let rect = element(host, ".stage .canvas").get_bounding_client_rect();
    let init = MouseEventInit::new();
    init.set_bubbles(true);
    init.set_client_x((rect.left() + x_fraction * rect.width()) as i32);
    init.set_client_y((rect.top() + rect.height() / 2.0) as i32);
    let event = MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
    target.dispatch_event(&event).unwrap();
    settle().await;
}

/// The `data-slide` of the focused element (the overview's tiles carry it).
fn focused_tile() -> Option<String> {
    document()
        .active_element()
        .and_then(|e| e.get_attribute("data-slide"))
}

fn hash() -> String {
    window().location().hash().unwrap()
}

fn is_dark() -> bool {
    document()
        .document_element()
        .unwrap()
        .class_list()
        .contains("dark")
}

fn lit_lines(host: &HtmlElement) -> Vec<String> {
    let lines = host
        .query_selector_all(".stage .line:not(.dim) .ln")
        .unwrap();
    (0..lines.length())
        .map(|i| lines.item(i).unwrap().text_content().unwrap())
        .collect()
}

#[wasm_bindgen_test]
async fn keys_move_through_slides_and_clicks_and_the_url_follows() {
    let (host, _handle) = mount(seed(), "#/1");
    leptos::task::tick().await;
    assert_eq!(text(&host, ".stage h1"), "TiDB-Operator Learning 1");
    assert_eq!(text(&host, ".stage .slide-number"), "1 / 26");
    assert!(text(&host, ".cover-author").contains("Jirong Qiu"));
    assert_eq!(document().title(), "TiDB-Operator Learning 1 • Jirong Qiu");

    press("ArrowRight", false).await;
    assert_eq!(text(&host, ".stage h1"), "Agenda");
    assert_eq!(window().location().hash().unwrap(), "#/2");
    assert_eq!(document().title(), "Agenda • Jirong Qiu");

    press("ArrowDown", false).await;
    press("PageDown", false).await;
    assert_eq!(text(&host, ".stage .slide-number"), "4 / 26");
    press("ArrowUp", false).await;
    assert_eq!(text(&host, ".stage .slide-number"), "3 / 26");

    // Slides 3 to 7, slide 7 with its figure's clicks, then slide 8.
    for _ in 0..5 + seed().slides[6].clicks {
        press(" ", false).await;
    }
    assert_eq!(window().location().hash().unwrap(), "#/8");
    assert_eq!(lit_lines(&host), ["1", "2", "3"]);
    press(" ", false).await;
    assert_eq!(window().location().hash().unwrap(), "#/8?clicks=1");
    assert_eq!(lit_lines(&host), ["5", "6"]);
    press(" ", true).await;
    assert_eq!(lit_lines(&host), ["1", "2", "3"]);
    press("ArrowLeft", false).await;
    assert_eq!(text(&host, ".stage .slide-number"), "7 / 26");
    press("ArrowRight", false).await;
    for _ in 0..4 {
        press("ArrowRight", false).await;
    }
    assert_eq!(lit_lines(&host), ["20"]);
    press("ArrowRight", false).await;
    assert_eq!(text(&host, ".stage .slide-number"), "9 / 26");
    press("ArrowLeft", false).await;
    assert_eq!(
        window().location().hash().unwrap(),
        "#/8?clicks=4",
        "back lands on the last click"
    );
}

#[wasm_bindgen_test]
async fn slide_16_reveals_one_item_per_click_with_the_code() {
    let (host, _handle) = mount(seed(), "#/16");
    leptos::task::tick().await;
    assert_eq!(count(&host, ".stage .v-click.hidden"), 6);
    assert_eq!(
        lit_lines(&host).len(),
        8,
        "every line lit before the first click"
    );
    for click in 1..=6 {
        press("ArrowRight", false).await;
        assert_eq!(count(&host, ".stage .v-click:not(.hidden)"), click);
        assert_eq!(lit_lines(&host), [(click + 2).to_string()]);
    }
    let style = text(&host, ".stage style");
    assert!(style.contains(".slide-16 p"), "{style}");
}

#[wasm_bindgen_test]
async fn urls_open_positions_and_bad_ones_land_nearby_with_a_notice() {
    let (host, _handle) = mount(seed(), "#/16?clicks=2");
    leptos::task::tick().await;
    assert_eq!(count(&host, ".stage .v-click:not(.hidden)"), 2);
    window().location().set_hash("#/99").unwrap();
    // hashchange is dispatched asynchronously.
    gloo_timers::future::TimeoutFuture::new(50).await;
    leptos::task::tick().await;
    assert_eq!(text(&host, ".stage .slide-number"), "26 / 26");
    assert_eq!(
        text(&host, ".notice"),
        "There is no slide 99; the deck has 26 slides. Showing slide 26."
    );
    window().location().set_hash("#/5?clicks=3").unwrap();
    gloo_timers::future::TimeoutFuture::new(50).await;
    leptos::task::tick().await;
    assert_eq!(text(&host, ".stage .slide-number"), "5 / 26");
    assert_eq!(
        text(&host, ".notice"),
        "Slide 5 has no click 3; showing its first click."
    );
}

#[wasm_bindgen_test]
async fn overlays_open_and_close_from_the_keyboard() {
    let (host, _handle) = mount(seed(), "#/3");
    leptos::task::tick().await;
    press("o", false).await;
    assert_eq!(count(&host, ".overview .tile"), 26);
    assert_eq!(count(&host, ".overview .tile.current"), 1);
    press("Escape", false).await;
    assert_eq!(count(&host, ".overview"), 0);
    press("g", false).await;
    assert_eq!(count(&host, ".goto input"), 1);
    press("ArrowRight", false).await;
    assert_eq!(
        text(&host, ".stage .slide-number"),
        "3 / 26",
        "keys go to the open go-to box"
    );
    press("Escape", false).await;
    assert_eq!(count(&host, ".goto"), 0);
    press("g", false).await;
    let input: web_sys::HtmlInputElement = host
        .query_selector(".goto input")
        .unwrap()
        .unwrap()
        .unchecked_into();
    input.set_value("12");
    press_on(&input, "Enter", false).await;
    assert_eq!(text(&host, ".stage .slide-number"), "12 / 26");
    assert_eq!(count(&host, ".goto"), 0);
    let was_dark = document()
        .document_element()
        .unwrap()
        .class_list()
        .contains("dark");
    press("d", false).await;
    let dark = document()
        .document_element()
        .unwrap()
        .class_list()
        .contains("dark");
    assert_ne!(was_dark, dark);
    press("d", false).await;
}

#[wasm_bindgen_test]
async fn the_overview_moves_with_arrows_and_goes_with_enter() {
    let (host, _handle) = mount(seed(), "#/3");
    leptos::task::tick().await;
    press("o", false).await;
    assert_eq!(text(&host, ".overview .tile.current .tile-number"), "3");
    press("ArrowRight", false).await;
    press("ArrowRight", false).await;
    assert_eq!(text(&host, ".overview .tile.current .tile-number"), "5");
    assert_eq!(
        text(&host, ".stage .slide-number"),
        "3 / 26",
        "the slide waits for Enter"
    );
    press("Enter", false).await;
    assert_eq!(count(&host, ".overview"), 0);
    assert_eq!(text(&host, ".stage .slide-number"), "5 / 26");
    press("ArrowRight", true).await;
    assert_eq!(
        text(&host, ".stage .slide-number"),
        "6 / 26",
        "Shift+Right is next slide"
    );
}

#[wasm_bindgen_test]
async fn keys_typed_into_a_field_stay_there_and_an_empty_go_to_goes_nowhere() {
    let (host, _handle) = mount(seed(), "#/7");
    leptos::task::tick().await;
    let field: HtmlElement = document().create_element("input").unwrap().unchecked_into();
    host.append_child(&field).unwrap();
    let was_dark = document()
        .document_element()
        .unwrap()
        .class_list()
        .contains("dark");
    press_on(&field, "d", false).await;
    assert_eq!(
        document()
            .document_element()
            .unwrap()
            .class_list()
            .contains("dark"),
        was_dark
    );
    press("g", false).await;
    let input: web_sys::HtmlInputElement = host
        .query_selector(".goto input")
        .unwrap()
        .unwrap()
        .unchecked_into();
    press_on(&input, "Enter", false).await;
    assert_eq!(count(&host, ".goto"), 0);
    assert_eq!(text(&host, ".stage .slide-number"), "7 / 26");
}

#[wasm_bindgen_test]
async fn figure_slides_show_their_live_figure_or_a_placeholder() {
    let (host, _handle) = mount(seed(), "#/7");
    leptos::task::tick().await;
    assert_eq!(count(&host, ".stage .figure-frame.live .figure-live"), 1);
    assert_eq!(count(&host, ".stage .figure-frame.placeholder"), 0);
    assert_eq!(count(&host, ".stage img"), 0);
    press("g", false).await;
    let input: web_sys::HtmlInputElement = host
        .query_selector(".goto input")
        .unwrap()
        .unwrap()
        .unchecked_into();
    input.set_value("5");
    press_on(&input, "Enter", false).await;
    assert_eq!(count(&host, ".stage .figure-live"), 0);
    assert_eq!(count(&host, ".stage .figure-frame.placeholder"), 1);
    assert_eq!(
        text(&host, ".stage .figure-frame.placeholder .figure-caption"),
        "Node (physical or virtual)",
        "the caption is inside the card"
    );
    assert_eq!(
        count(&host, ".stage .figure a"),
        1,
        "one link to the original"
    );
    let link = host.query_selector(".stage .figure a").unwrap().unwrap();
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("https://kubernetes.feisky.xyz/introduction/concepts")
    );
    let card = text(&host, ".stage .figure");
    assert!(
        card.contains("Open the source of this figure on kubernetes.feisky.xyz"),
        "{card}"
    );
    assert!(
        !card.contains("node_and_pod") && !card.to_lowercase().contains("bundled"),
        "no file names, no developer words: {card}"
    );
    press("ArrowLeft", false).await;
    press("ArrowLeft", false).await;
    let card = text(&host, ".stage .figure");
    assert_eq!(
        card.matches("kubernetes.io").count(),
        1,
        "a remote figure names its site once and prints no address: {card}"
    );
}

#[wasm_bindgen_test]
async fn a_malformed_slide_shows_its_located_error_and_the_others_render() {
    let src = "---\ntheme: academic\n---\n\n# Cover\n\n---\nlayout: poster\n---\n\n# Bad\n\n```sh {1-x}\nls\n```\n\n---\n\n# Fine\n\ntext\n";
    let (host, _handle) = mount(parse_deck(src), "#/2");
    leptos::task::tick().await;
    let errors = text(&host, ".stage .slide-errors");
    assert!(
        errors.contains("line 8, column 9: unknown layout `poster`"),
        "{errors}"
    );
    assert!(
        errors.contains("line 13, column 10: `x` is not a line number"),
        "{errors}"
    );
    assert_eq!(
        text(&host, ".stage h1"),
        "Bad",
        "the rest of the slide still renders"
    );
    press("ArrowRight", false).await;
    assert_eq!(text(&host, ".stage h1"), "Fine");
    assert_eq!(count(&host, ".stage .slide-errors"), 0);
}

#[wasm_bindgen_test]
async fn the_reading_view_lists_every_slide_and_steps_through_slide_16() {
    let (host, _handle) = mount(seed(), "#/read/16");
    leptos::task::tick().await;
    assert_eq!(count(&host, ".reading .reading-slide"), 26);
    assert_eq!(count(&host, ".stage"), 0, "no slide view behind it");
    assert_eq!(text(&host, "#read-1 h1"), "TiDB-Operator Learning 1");
    assert_eq!(text(&host, "#read-26 .slide-number"), "26 / 26");
    gloo_timers::future::TimeoutFuture::new(50).await;
    assert_eq!(
        document().active_element().map(|e| e.id()).as_deref(),
        Some("read-16"),
        "the deep link brings slide 16 forward"
    );

    let shown = || count(&host, "#read-16 .v-click:not(.hidden)");
    assert_eq!(shown(), 6, "at rest every item shows");
    assert_eq!(count(&host, "#read-16 .reading-frame.at-rest"), 1);
    assert_eq!(text(&host, "#read-16 .step-label"), "6 steps");
    click(&host, "#read-16 .step-start").await;
    assert_eq!(shown(), 0);
    assert_eq!(count(&host, "#read-16 .reading-frame.at-rest"), 0);
    for k in 1..=6 {
        click(&host, "#read-16 .step-next").await;
        assert_eq!(shown(), k, "one item per step");
        assert_eq!(
            text(&host, "#read-16 .step-label"),
            format!("Step {k} of 6")
        );
        let lit = host
            .query_selector_all("#read-16 .line:not(.dim) .ln")
            .unwrap();
        assert_eq!(lit.length(), 1);
        assert_eq!(
            lit.item(0).unwrap().text_content().unwrap(),
            (k + 2).to_string(),
            "the code steps with the items"
        );
    }
    click(&host, "#read-16 .step-back").await;
    assert_eq!(shown(), 5);
    click(&host, "#read-16 .step-all").await;
    assert_eq!(shown(), 6);
    assert_eq!(text(&host, "#read-16 .step-label"), "6 steps");
    assert_eq!(
        count(&host, "#read-2 .step-control"),
        0,
        "no clicks, no control"
    );
    assert_eq!(
        count(&host, "#read-8 .line.dim"),
        19,
        "the markup of other slides keeps its steps"
    );
    assert_eq!(count(&host, "#read-8 .reading-frame.at-rest"), 1);
}

#[wasm_bindgen_test]
async fn the_reading_view_opens_from_the_url_and_goes_back_to_slides() {
    let (host, _handle) = mount(seed(), "#/8?clicks=2");
    leptos::task::tick().await;
    assert_eq!(count(&host, ".reading"), 0);
    press("o", false).await;
    assert_eq!(count(&host, ".overview"), 1);
    window().location().set_hash("#/read").unwrap();
    gloo_timers::future::TimeoutFuture::new(50).await;
    leptos::task::tick().await;
    assert_eq!(count(&host, ".reading .reading-slide"), 26);
    assert_eq!(count(&host, ".overview"), 0, "overlays close");
    gloo_timers::future::TimeoutFuture::new(50).await;
    assert_eq!(
        document().active_element().map(|e| e.id()).as_deref(),
        Some("read-8"),
        "#/read reads on from the current slide"
    );
    press("ArrowRight", false).await;
    assert_eq!(
        count(&host, ".reading"),
        1,
        "keys scroll the page, not the deck"
    );
    click(&host, ".reading-exit").await;
    assert_eq!(count(&host, ".reading"), 0);
    let hash = window().location().hash().unwrap();
    assert!(
        hash.starts_with("#/") && !hash.contains("read"),
        "back at a slide: {hash}"
    );
    assert_eq!(count(&host, ".stage .slide"), 1);
    window()
        .local_storage()
        .unwrap()
        .unwrap()
        .remove_item("simdeck-view")
        .unwrap();
}

#[wasm_bindgen_test]
async fn the_control_bar_moves_slides_and_clicks_and_opens_every_overlay() {
    let (host, _handle) = mount(seed(), "#/8");
    leptos::task::tick().await;
    assert_eq!(text(&host, ".controls-position"), "8 / 26");
    click_control(&host, "Next").await;
    assert_eq!(hash(), "#/8?clicks=1");
    click_control(&host, "Previous").await;
    assert_eq!(hash(), "#/8");
    click_control(&host, "Previous").await;
    assert_eq!(text(&host, ".controls-position"), "7 / 26");
    assert_eq!(text(&host, ".stage .slide-number"), "7 / 26");

    click_control(&host, "Overview").await;
    assert_eq!(count(&host, ".overview .tile"), 26);
    assert_eq!(focused_tile().as_deref(), Some("7"));
    element(&host, ".overview .overlay-close").click();
    settle().await;
    assert_eq!(count(&host, ".overview"), 0);

    // From the keyboard, the focus comes back to the button that opened it.
    let button = element(&host, ".controls [aria-label='Overview']");
    button.focus().unwrap();
    click_control(&host, "Overview").await;
    assert_eq!(focused_tile().as_deref(), Some("7"));
    press("Escape", false).await;
    settle().await;
    assert_eq!(count(&host, ".overview"), 0);
    assert_eq!(
        document()
            .active_element()
            .and_then(|e| e.get_attribute("aria-label")),
        Some("Overview".to_string())
    );

    click_control(&host, "Go to slide").await;
    assert_eq!(count(&host, ".goto input"), 1);
    press("Escape", false).await;
    assert_eq!(count(&host, ".goto"), 0);

    click_control(&host, "Keys and gestures").await;
    assert_eq!(count(&host, ".help tr"), help().len() as u32);
    element(&host, ".help .overlay-close").click();
    settle().await;
    assert_eq!(count(&host, ".help"), 0);

    let was_dark = is_dark();
    click_control(&host, "Dark mode").await;
    assert_ne!(is_dark(), was_dark);
    assert_eq!(
        element(&host, ".controls [aria-label='Dark mode']").get_attribute("aria-pressed"),
        Some(is_dark().to_string())
    );
    click_control(&host, "Dark mode").await;
    assert_eq!(is_dark(), was_dark);

    assert_eq!(
        element(&host, ".controls [aria-label='Reading view']").get_attribute("href"),
        Some("#/read".to_string())
    );
    assert_eq!(count(&host, ".controls [aria-label='Fullscreen']"), 1);
}

#[wasm_bindgen_test]
async fn a_click_on_the_slide_goes_on_or_back_but_not_on_a_link_or_a_live_figure() {
    let (host, _handle) = mount(seed(), "#/8");
    leptos::task::tick().await;
    let slide = element(&host, ".stage .slide");
    click_slide_at(&host, &slide, 0.8).await;
    assert_eq!(hash(), "#/8?clicks=1", "the right two thirds go on");
    click_slide_at(&host, &slide, 0.5).await;
    assert_eq!(hash(), "#/8?clicks=2");
    click_slide_at(&host, &slide, 0.1).await;
    assert_eq!(hash(), "#/8?clicks=1", "the left third goes back");

    let link = element(&host, ".stage h1 a");
    // The link keeps its click; only the deck's reaction is under test here.
    let keep =
        wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(|e: web_sys::Event| {
            e.prevent_default()
        });
    link.add_event_listener_with_callback("click", keep.as_ref().unchecked_ref())
        .unwrap();
    click_slide_at(&host, &link, 0.8).await;
    assert_eq!(hash(), "#/8?clicks=1", "a click on a link is the link's");

    // Selecting code (the click that ends a drag) keeps the slide where it is.
    let code = element(&host, ".stage .line .src");
    let range = document().create_range().unwrap();
    range.select_node_contents(&code).unwrap();
    let selection = window().get_selection().unwrap().unwrap();
    selection.remove_all_ranges().unwrap();
    selection.add_range(&range).unwrap();
    click_slide_at(&host, &code, 0.8).await;
    assert_eq!(
        hash(),
        "#/8?clicks=1",
        "a click that selects code is the selection's"
    );
    selection.remove_all_ranges().unwrap();
    click_slide_at(&host, &code, 0.8).await;
    assert_eq!(hash(), "#/8?clicks=2", "a plain click on code goes on");
    click_slide_at(&host, &slide, 0.1).await;

    let figure: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    figure.set_class_name("figure-live");
    let inner = document().create_element("span").unwrap();
    figure.append_child(&inner).unwrap();
    element(&host, ".stage .slide-body")
        .append_child(&figure)
        .unwrap();
    click_slide_at(&host, &inner, 0.8).await;
    assert_eq!(
        hash(),
        "#/8?clicks=1",
        "a click in a live figure is the figure's"
    );
    figure.set_class_name("");
    figure.set_attribute("data-no-advance", "").unwrap();
    click_slide_at(&host, &inner, 0.8).await;
    assert_eq!(hash(), "#/8?clicks=1", "data-no-advance keeps the click");
}

#[wasm_bindgen_test]
async fn the_overview_focuses_the_current_tile_keeps_the_focus_inside_and_enter_goes_to_it() {
    let (host, _handle) = mount(seed(), "#/3");
    leptos::task::tick().await;
    press("o", false).await;
    settle().await;
    assert_eq!(
        focused_tile().as_deref(),
        Some("3"),
        "focus on the current tile"
    );
    assert!(element(&host, ".stage").has_attribute("inert"));
    assert!(element(&host, ".controls").has_attribute("inert"));

    press("ArrowRight", false).await;
    settle().await;
    assert_eq!(
        focused_tile().as_deref(),
        Some("4"),
        "the focus is the cursor"
    );
    assert_eq!(count(&host, ".overview .tile.current"), 1);
    assert_eq!(text(&host, ".overview .tile.current .tile-number"), "4");
    press(" ", false).await;
    assert_eq!(
        text(&host, ".stage .slide-number"),
        "3 / 26",
        "no moves under it"
    );

    // Tab goes round the dialog: the close button, then the 26 tiles.
    let dialog = element(&host, ".overview");
    let mut visited = Vec::new();
    for _ in 0..27 {
        let active = document().active_element().unwrap();
        press_on(&active, "Tab", false).await;
        let now = document().active_element().unwrap();
        assert!(dialog.contains(Some(&now)), "Tab left the dialog");
        visited.push(now.get_attribute("data-slide").unwrap_or_default());
    }
    assert_eq!(
        visited.last().map(String::as_str),
        Some("4"),
        "27 Tabs go round"
    );
    assert_eq!(
        visited.iter().filter(|v| v.is_empty()).count(),
        1,
        "{visited:?}"
    );
    let active = document().active_element().unwrap();
    press_on(&active, "Tab", true).await;
    press_on(&document().active_element().unwrap(), "Tab", true).await;
    settle().await;
    assert_eq!(focused_tile().as_deref(), Some("2"), "Shift+Tab goes back");
    assert_eq!(text(&host, ".overview .tile.current .tile-number"), "2");
    assert_eq!(
        text(&host, ".overview .tile-link[data-slide='8'] .tile-title"),
        "Container Runtime"
    );

    press_on(&document().active_element().unwrap(), "Enter", false).await;
    settle().await;
    assert_eq!(count(&host, ".overview"), 0);
    assert_eq!(text(&host, ".stage .slide-number"), "2 / 26");
    assert!(!element(&host, ".stage").has_attribute("inert"));
}

#[wasm_bindgen_test]
async fn question_mark_lists_every_key_and_gesture() {
    let (host, _handle) = mount(seed(), "#/2");
    leptos::task::tick().await;
    press("?", true).await;
    settle().await;
    let rows = help();
    assert_eq!(count(&host, ".help tr"), rows.len() as u32);
    for (i, row) in rows.iter().enumerate() {
        let nth = format!(".help tr:nth-child({})", i + 1);
        assert_eq!(text(&host, &format!("{nth} th")), row.input);
        assert_eq!(text(&host, &format!("{nth} td")), row.action);
    }
    let all = text(&host, ".help");
    for expected in ["Shift+Space", "PageDown", "Escape", "Swipe left / right"] {
        assert!(all.contains(expected), "{expected}: {all}");
    }
    assert_eq!(
        document()
            .active_element()
            .and_then(|e| e.get_attribute("aria-label")),
        Some("Close the help".to_string())
    );
    press("ArrowRight", false).await;
    assert_eq!(text(&host, ".stage .slide-number"), "2 / 26");
    press("Escape", false).await;
    assert_eq!(count(&host, ".help"), 0);
    press("ArrowRight", false).await;
    assert_eq!(text(&host, ".stage .slide-number"), "3 / 26");
}

#[wasm_bindgen_test]
async fn the_live_region_reads_the_title_and_the_click_and_line_numbers_are_silent() {
    let (host, _handle) = mount(seed(), "#/8?clicks=2");
    leptos::task::tick().await;
    assert_eq!(
        text(&host, ".deck > .sr-only[aria-live]"),
        "Slide 8 of 26, Container Runtime, click 2 of 4"
    );
    press("ArrowRight", false).await;
    assert_eq!(
        text(&host, ".deck > .sr-only[aria-live]"),
        "Slide 8 of 26, Container Runtime, click 3 of 4"
    );
    assert!(count(&host, ".stage .ln") > 0);
    assert_eq!(count(&host, ".stage .ln:not([aria-hidden='true'])"), 0);
    press("Home", false).await;
    assert_eq!(
        text(&host, ".deck > .sr-only[aria-live]"),
        "Slide 1 of 26, TiDB-Operator Learning 1"
    );
}

#[wasm_bindgen_test]
async fn the_control_bar_shows_on_pointer_movement_and_hides_when_idle() {
    let (host, _handle) = mount(seed(), "#/2");
    leptos::task::tick().await;
    assert_eq!(count(&host, ".controls.idle"), 1, "waits for the pointer");
    let moved = web_sys::PointerEvent::new("pointermove").unwrap();
    window().dispatch_event(&moved).unwrap();
    settle().await;
    assert_eq!(count(&host, ".controls:not(.idle)"), 1, "shown on movement");
    gloo_timers::future::TimeoutFuture::new(2500).await;
    assert_eq!(
        count(&host, ".controls:not(.idle)"),
        1,
        "still shown after 2.5 s"
    );
    let tapped = web_sys::PointerEvent::new("pointerdown").unwrap();
    window().dispatch_event(&tapped).unwrap();
    gloo_timers::future::TimeoutFuture::new(2500).await;
    assert_eq!(
        count(&host, ".controls:not(.idle)"),
        1,
        "a tap restarts the time"
    );
    gloo_timers::future::TimeoutFuture::new(700).await;
    leptos::task::tick().await;
    assert_eq!(
        count(&host, ".controls.idle"),
        1,
        "hidden 3 s after the last"
    );
}

#[wasm_bindgen_test]
async fn the_control_bar_opens_the_reading_view_which_has_its_own_bar_and_the_help() {
    let (host, _handle) = mount(seed(), "#/5");
    leptos::task::tick().await;
    click_control(&host, "Reading view").await;
    gloo_timers::future::TimeoutFuture::new(50).await;
    leptos::task::tick().await;
    assert_eq!(count(&host, ".reading .reading-slide"), 26);
    assert_eq!(
        count(&host, ".controls"),
        0,
        "the reading view's own bar replaces it"
    );
    assert_eq!(text(&host, ".reading-exit"), "Slide view");
    gloo_timers::future::TimeoutFuture::new(50).await;
    assert_eq!(
        document().active_element().map(|e| e.id()).as_deref(),
        Some("read-5"),
        "it reads on from the slide on screen"
    );

    press("?", true).await;
    settle().await;
    assert_eq!(
        count(&host, ".help"),
        1,
        "? opens the help over the reading view"
    );
    assert_eq!(
        text(&host, ".help .help-note"),
        "In the reading view the keys scroll the page; only d, f, ?, Escape work as listed."
    );
    press("Escape", false).await;
    settle().await;
    assert_eq!(count(&host, ".help"), 0);
    press("o", false).await;
    assert_eq!(count(&host, ".overview"), 0, "no overview over the page");

    click(&host, ".reading-exit").await;
    settle().await;
    assert_eq!(count(&host, ".reading"), 0);
    assert_eq!(text(&host, ".controls-position"), "5 / 26");
    press("?", true).await;
    settle().await;
    assert_eq!(count(&host, ".help"), 1);
    assert_eq!(
        count(&host, ".help .help-note"),
        0,
        "the slide view's keys are as listed"
    );
    press("Escape", false).await;
    window()
        .local_storage()
        .unwrap()
        .unwrap()
        .remove_item("simdeck-view")
        .unwrap();
}
