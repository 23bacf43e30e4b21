//! The seed deck comes out as Slidev reads it.

use simdeck_deck::{parse_deck, Block, CodeBlock, Deck, Layout, LineSelection, Slide};

fn seed() -> Deck {
    parse_deck(include_str!("../../../slides/slides.md"))
}

/// The first code block of `slide`.
fn code_of(slide: &Slide) -> &CodeBlock {
    slide
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Code(c) => Some(c),
            _ => None,
        })
        .expect("a code block")
}

#[test]
fn has_26_slides_without_diagnostics() {
    let deck = seed();
    assert_eq!(deck.slides.len(), 26);
    let problems: Vec<_> = deck.all_diagnostics().collect();
    assert!(problems.is_empty(), "{problems:?}");
    let numbers: Vec<usize> = deck.slides.iter().map(|s| s.number).collect();
    assert_eq!(numbers, (1..=26).collect::<Vec<_>>());
}

#[test]
fn headmatter_is_read() {
    let c = seed().config;
    assert_eq!(c.theme, "academic");
    assert_eq!(c.transition, "fade");
    assert_eq!(c.cover_author.as_deref(), Some("Jirong Qiu"));
    assert_eq!(
        c.export_filename.as_deref(),
        Some("TiDB-Operator-Learning-1")
    );
    assert!(c.hide_in_toc);
    assert!(c.line_numbers);
    assert_eq!(c.title_template, "%s • Jirong Qiu");
}

#[test]
fn layouts_titles_and_tab_titles() {
    let deck = seed();
    let layouts: String = deck
        .slides
        .iter()
        .map(|s| match s.layout {
            Layout::Cover => 'C',
            Layout::Default => 'D',
            Layout::Figure => 'F',
        })
        .collect();
    assert_eq!(layouts, "CDFFFDFDDFFFFFFDFFFFFFFFFF");
    assert_eq!(
        deck.slides[0].title.as_deref(),
        Some("TiDB-Operator Learning 1")
    );
    assert_eq!(deck.slides[1].title.as_deref(), Some("Agenda"));
    assert_eq!(
        deck.slides[3].title.as_deref(),
        Some("Kubernetes Components")
    );
    assert_eq!(deck.tab_title(1), "TiDB-Operator Learning 1 • Jirong Qiu");
    assert_eq!(deck.tab_title(2), "Agenda • Jirong Qiu");
}

#[test]
fn figures_keep_url_and_caption() {
    let deck = seed();
    let f = deck.slides[3].figure.as_ref().unwrap();
    assert_eq!(
        f.url,
        "https://kubernetes.io/images/docs/components-of-kubernetes.svg"
    );
    assert_eq!(
        f.caption,
        "An overview of the key components that make up a Kubernetes cluster"
    );
    assert_eq!(
        deck.slides[2].figure.as_ref().unwrap().caption,
        "",
        "an empty figureCaption"
    );
    assert_eq!(
        deck.slides.iter().filter(|s| s.figure.is_some()).count(),
        20
    );
}

#[test]
fn heading_links_open_in_a_new_tab() {
    let deck = seed();
    let Block::Html(html) = &deck.slides[2].blocks[0] else {
        panic!("html first")
    };
    assert!(html.contains(
        r#"<h1><a href="https://kubernetes.io/docs/concepts/overview/#going-back-in-time" target="_blank" rel="noopener">Historical context for Kubernetes</a></h1>"#
    ), "{html}");
}

#[test]
fn click_counts_match_slidev() {
    let clicks: Vec<usize> = seed().slides.iter().map(|s| s.clicks).collect();
    let mut want = vec![0; 26];
    want[7] = 4;
    want[15] = 6;
    assert_eq!(clicks, want);
}

#[test]
fn slide_8_steps_through_its_ranges() {
    let deck = seed();
    let code = code_of(&deck.slides[7]);
    assert_eq!(code.lang, "shell");
    assert_eq!(code.lines.len(), 20);
    assert!(code.line_numbers);
    let lit = |click| {
        (1..=20)
            .filter(|&l| code.is_highlighted(l, click))
            .collect::<Vec<_>>()
    };
    assert_eq!(lit(0), vec![1, 2, 3]);
    assert_eq!(lit(1), vec![5, 6]);
    assert_eq!(lit(2), vec![8, 9, 10, 11]);
    assert_eq!(lit(3), (13..=18).collect::<Vec<_>>());
    assert_eq!(lit(4), vec![20]);
    assert_eq!(code.lines[13], "&gt;     unshare --uts --ipc --net \\");
}

#[test]
fn slide_16_list_items_appear_in_step_with_the_code() {
    let deck = seed();
    let slide = &deck.slides[15];
    let code = code_of(slide);
    let list = slide
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Clicks(l) => Some(l),
            _ => None,
        })
        .expect("a click list");
    assert_eq!(code.lang, "dockerfile");
    assert_eq!(code.steps[0], LineSelection::All);
    assert_eq!(list.items.len(), 6);
    assert!(list.items[0].contains("The <code>FROM</code> statement"));
    for click in 0..=6 {
        let visible = (0..6).filter(|&i| list.is_visible(i, click)).count();
        assert_eq!(visible, click, "items visible at click {click}");
        if click > 0 {
            // Item `click` explains Dockerfile line `click + 2` (FROM is line 3).
            let lit: Vec<usize> = (1..=8).filter(|&l| code.is_highlighted(l, click)).collect();
            assert_eq!(lit, vec![click + 2], "code at click {click}");
        }
    }
    let style = slide.style.as_deref().unwrap();
    assert!(
        style.contains(".slide-16 p {") && style.contains(".slide-16 ul {"),
        "{style}"
    );
    assert!(slide
        .blocks
        .iter()
        .all(|b| !matches!(b, Block::Html(h) if h.contains("<style"))));
}

#[test]
fn comments_inside_a_slide_are_not_notes() {
    let deck = seed();
    assert!(deck.slides.iter().all(|s| s.note.is_none()));
    let html: String = deck.slides[7]
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Html(h) => Some(h.as_str()),
            _ => None,
        })
        .collect();
    assert!(html.contains("Low-Level Container Runtime"), "{html}");
}

#[test]
fn encodes_and_decodes_losslessly() {
    let deck = seed();
    assert_eq!(Deck::decode(&deck.encode()), Ok(deck));
    assert!(Deck::decode(b"\xff\xff").is_err());
}

#[test]
fn slide_sources_are_their_title_links() {
    let deck = seed();
    assert_eq!(deck.slides[0].source, None);
    assert_eq!(
        deck.slides[4].source.as_deref(),
        Some("https://kubernetes.feisky.xyz/introduction/concepts")
    );
}
