//! Bad input: each case gives a located diagnostic on its own slide, and
//! every other slide is read as usual.

use simdeck_deck::{parse_deck, Block, Deck, Layout};

const GOOD_BEFORE: &str = "---\ntheme: academic\n---\n\n# Cover\n\n---\n\n# Good one\n\n- a\n- b\n";
const GOOD_AFTER: &str = "\n---\n\n# Good two\n\ntext\n";

/// The deck `GOOD_BEFORE + bad + GOOD_AFTER`, checked to keep its good slides.
fn around(bad: &str) -> Deck {
    let src = format!("{GOOD_BEFORE}{bad}{GOOD_AFTER}");
    let deck = parse_deck(&src);
    let titles: Vec<_> = deck
        .slides
        .iter()
        .map(|s| s.title.clone().unwrap_or_default())
        .collect();
    assert!(titles.contains(&"Good one".to_string()), "{titles:?}");
    assert!(deck.slides[1].diagnostics.is_empty());
    deck
}

/// The single diagnostic of slide 3, as (line, column, message).
fn only_problem(deck: &Deck) -> (usize, usize, String) {
    let all: Vec<_> = deck.all_diagnostics().collect();
    assert_eq!(all.len(), 1, "{all:?}");
    let (slide, d) = all[0];
    assert_eq!(slide, 3);
    (d.line, d.column, d.message.clone())
}

#[test]
fn unknown_layout() {
    let deck = around("---\nlayout: poster\n---\n\n# Bad\n");
    let (line, column, message) = only_problem(&deck);
    assert_eq!((line, column), (14, 9));
    assert_eq!(
        message,
        "unknown layout `poster`: expected one of cover, default, figure"
    );
    assert_eq!(deck.slides[2].layout, Layout::Default);
    assert_eq!(deck.slides[3].title.as_deref(), Some("Good two"));
}

#[test]
fn bad_yaml() {
    let deck = around("---\nlayout: [figure\n---\n\n# Bad\n");
    let (line, _, message) = only_problem(&deck);
    assert!((14..=15).contains(&line), "line {line}");
    assert!(message.starts_with("bad YAML in frontmatter"), "{message}");
    assert_eq!(deck.slides[3].title.as_deref(), Some("Good two"));
}

#[test]
fn broken_click_range() {
    let deck = around("---\n\n# Bad\n\n```sh {1-x}\na\nb\n```\n");
    let (line, column, message) = only_problem(&deck);
    assert_eq!((line, column), (17, 10));
    assert!(message.contains("`x` is not a line number"), "{message}");
    assert_eq!(deck.slides[2].clicks, 0);
    assert!(matches!(&deck.slides[2].blocks[1], Block::Code(c) if c.lines == ["a", "b"]));
}

#[test]
fn click_range_past_the_code() {
    let deck = around("---\n\n# Bad\n\n```sh {1|9}\na\n```\n");
    let (line, _, message) = only_problem(&deck);
    assert_eq!(line, 17);
    assert!(
        message.contains("line 9 is past the end of this 1-line code block"),
        "{message}"
    );
}

#[test]
fn unclosed_v_clicks() {
    let deck = around("---\n\n# Bad\n\n<v-clicks>\n\n- one\n- two\n");
    let (line, column, message) = only_problem(&deck);
    assert_eq!((line, column), (17, 1));
    assert!(
        message.contains("`<v-clicks>` opened here is never closed"),
        "{message}"
    );
    let Block::Html(html) = &deck.slides[2].blocks[0] else {
        panic!()
    };
    assert!(
        html.contains("<li>one</li>"),
        "the list still renders: {html}"
    );
}

#[test]
fn bad_v_clicks_at() {
    let deck = around("---\n\n# Bad\n\n<v-clicks at=\"soon\">\n\n- one\n\n</v-clicks>\n");
    let (line, column, message) = only_problem(&deck);
    assert_eq!((line, column), (17, 11));
    assert!(message.contains("not a click number"), "{message}");
    assert_eq!(deck.slides[2].clicks, 1, "falls back to relative clicks");
}

#[test]
fn unclosed_frontmatter_keeps_the_slides_before_and_its_content() {
    let deck = parse_deck(&format!(
        "{GOOD_BEFORE}---\nlayout: figure\n\n# Bad\n\nstill here\n"
    ));
    let (line, column, message) = only_problem(&deck);
    assert_eq!((line, column), (13, 1));
    assert!(message.contains("never closed"), "{message}");
    assert_eq!(deck.slides[1].title.as_deref(), Some("Good one"));
    assert_eq!(deck.slides[2].title.as_deref(), Some("Bad"));
    assert_eq!(deck.slides[2].layout, Layout::Figure);
}

#[test]
fn empty_deck_is_one_slide_saying_so() {
    for src in ["", "\n\n", "   \n"] {
        let deck = parse_deck(src);
        assert_eq!(deck.slides.len(), 1, "{src:?}");
        let (_, d) = deck.all_diagnostics().next().expect("a diagnostic");
        assert!(d.message.contains("empty"), "{src:?}: {d}");
    }
}

#[test]
fn a_comment_that_ends_a_slide_is_its_note() {
    let deck = parse_deck("# A\n\ntext <!-- inline -->\n\nmore\n\n<!--\nSay hello.\n-->\n\n---\n\n# B\n<!-- mid -->\nend\n");
    assert_eq!(deck.slides[0].note.as_deref(), Some("Say hello."));
    assert_eq!(deck.slides[1].note, None);
    let Block::Html(html) = &deck.slides[0].blocks[0] else {
        panic!()
    };
    assert!(!html.contains("Say hello"), "{html}");
}

#[test]
fn relative_clicks_follow_each_other() {
    let deck =
        parse_deck("# A\n\n```js {1|2}\na\nb\n```\n\n<v-clicks>\n\n- x\n- y\n\n</v-clicks>\n");
    let s = &deck.slides[0];
    assert_eq!(s.clicks, 3);
    let Block::Clicks(list) = &s.blocks[2] else {
        panic!("{:?}", s.blocks)
    };
    assert_eq!(list.at, 2);
}

#[test]
fn click_lists_on_one_line_or_sharing_lines_keep_every_item() {
    for src in [
        "# A\n\n<v-clicks>- a</v-clicks>\n",
        "# A\n\n<v-clicks>- a\n- b\n</v-clicks>\n",
        "# A\n\n<v-clicks>\n\n- a\n- b</v-clicks>\n",
    ] {
        let deck = parse_deck(src);
        let items: Vec<&String> = deck.slides[0]
            .blocks
            .iter()
            .flat_map(|b| match b {
                Block::Clicks(l) => l.items.iter().collect(),
                _ => Vec::new(),
            })
            .collect();
        let want = if src.contains("- b") { 2 } else { 1 };
        assert_eq!(items.len(), want, "{src:?}: {:?}", deck.slides[0].blocks);
        assert!(items[0].contains('a'), "{src:?}");
    }
    let empty = parse_deck("# A\n\n<v-clicks></v-clicks>\n");
    assert!(empty.slides[0].diagnostics[0]
        .message
        .contains("holds no list"));
}

#[test]
fn click_positions_are_bounded_and_relative_ones_follow_the_clicks_before() {
    let deck = parse_deck("# A\n\n<v-clicks at=\"18446744073709551615\">\n\n- a\n\n</v-clicks>\n");
    let d = &deck.slides[0].diagnostics[0];
    assert_eq!((d.line, d.column), (3, 11));
    assert!(d.message.contains("up to 1000"), "{d}");
    let deck = parse_deck(
        "# A\n\n```js {1|2}\na\nb\n```\n\n<v-clicks at=\"+1\">\n\n- x\n- y\n\n</v-clicks>\n",
    );
    let s = &deck.slides[0];
    assert_eq!(s.clicks, 3, "code takes click 1, the list clicks 2 and 3");
    let deck = parse_deck("# A\n\n<v-clicks data-at=\"7\">\n\n- x\n\n</v-clicks>\n");
    assert_eq!(deck.slides[0].clicks, 1, "only an `at` attribute counts");
}

#[test]
fn a_note_is_the_last_comment_matched_as_slidev_matches_it() {
    let deck = parse_deck("# A\n\ntext\n\n<!--\nx <!-- y\n-->\n");
    assert_eq!(deck.slides[0].note.as_deref(), Some("x <!-- y"));
    let Block::Html(html) = &deck.slides[0].blocks[0] else {
        panic!()
    };
    assert!(!html.contains("<!--"), "{html}");
    assert_eq!(parse_deck("# A\n\n<!-- -->\n").slides[0].note, None);
}

#[test]
fn a_fence_closes_only_on_a_bare_fence_line() {
    let deck = parse_deck("# A\n\n```md\n```js\n<v-clicks>\n\n- a\n\n</v-clicks>\n```\n");
    let s = &deck.slides[0];
    assert_eq!(s.clicks, 0, "the click list is inside the code block");
    assert!(
        matches!(&s.blocks[1], Block::Code(c) if c.lines.len() == 6),
        "{:?}",
        s.blocks
    );
}

#[test]
fn range_errors_point_into_the_braces_even_after_entities() {
    let deck = parse_deck("# A\n\n```js&amp; {1-x}\na\n```\n");
    let d = &deck.slides[0].diagnostics[0];
    assert_eq!((d.line, d.column), (3, 15), "{d}");
}

#[test]
fn links_in_click_lists_open_in_a_new_tab() {
    let deck = parse_deck("# A\n\n<v-clicks>\n\n- [k8s](https://kubernetes.io)\n\n</v-clicks>\n");
    let Block::Clicks(list) = &deck.slides[0].blocks[1] else {
        panic!()
    };
    assert!(
        list.items[0].contains(r#"target="_blank""#),
        "{}",
        list.items[0]
    );
}

#[test]
fn a_slide_lists_its_problems_in_source_order() {
    let deck = parse_deck(
        "# A\n\n---\nlayout: poster\n---\n\n```sh {1-x}\nls\n```\n\n<v-clicks>\n\n- one\n",
    );
    let lines: Vec<usize> = deck.slides[1].diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, vec![4, 7, 11]);
}

#[test]
fn tags_inside_comments_are_left_alone() {
    let deck = parse_deck("# A\n<!--\n<style>\nh1 { color: red }\n</style>\n<v-clicks>\n\n- a\n\n</v-clicks>\n-->\ntext\n");
    let s = &deck.slides[0];
    assert_eq!(s.style, None);
    assert_eq!(s.clicks, 0);
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
    let html: String = s
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Html(h) => Some(h.as_str()),
            _ => None,
        })
        .collect();
    assert!(!html.contains("--&gt;"), "{html}");
}

#[test]
fn tags_may_follow_each_other_on_one_line() {
    let deck = parse_deck("# A\n\n<v-clicks>\n- a\n</v-clicks><v-clicks>\n- b\n</v-clicks>\n\n<style>p{}</style> Tail text\n");
    let s = &deck.slides[0];
    assert_eq!(s.clicks, 2);
    let lists = s
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::Clicks(_)))
        .count();
    assert_eq!(lists, 2, "{:?}", s.blocks);
    assert!(s.style.as_deref().is_some_and(|c| c.contains(".slide-1 p")));
    assert!(s
        .blocks
        .iter()
        .any(|b| matches!(b, Block::Html(h) if h.contains("Tail text"))));
    let other = parse_deck("# A\n\n<v-clicksfoo>\n\n- a\n");
    assert_eq!(
        other.slides[0].clicks, 0,
        "only the v-clicks tag itself opens a list"
    );
}

#[test]
fn a_byte_order_mark_does_not_hide_the_headmatter() {
    let deck = parse_deck("\u{feff}---\ntitle: T\ntheme: academic\n---\n# A\n");
    assert_eq!(deck.slides.len(), 1);
    assert_eq!(deck.config.theme, "academic");
    assert_eq!(deck.config.title.as_deref(), Some("T"));
}

#[test]
fn a_bad_headmatter_title_is_reported_once() {
    let deck = parse_deck("---\ntitle: [2]\n---\n# A\n");
    assert_eq!(deck.all_diagnostics().count(), 1);
}
