//! Properties of the parser on generated decks: it never panics, numbers
//! slides in order, locates every problem inside the source, and counts
//! clicks that cover every stepped block.

use proptest::prelude::*;
use simdeck_deck::{parse_deck, Block};

/// Pieces of Slidev markdown, good and bad, to glue together.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("---\n".to_string()),
        Just("---\nlayout: figure\nfigureCaption: c\n---\n".to_string()),
        Just("---\nlayout: [oops\n---\n".to_string()),
        Just("---\nlayout: nowhere\n---\n".to_string()),
        Just("# [Title](https://example.com)\n".to_string()),
        Just("- item\n  - nested\n".to_string()),
        Just("```shell {1-2|3}\na\nb\nc\n```\n".to_string()),
        Just("```sh {1-x|*}\na\n```\n".to_string()),
        Just("<v-clicks at=\"2\">\n\n- a\n- b\n\n</v-clicks>\n".to_string()),
        Just("<v-clicks>\n\n- a\n".to_string()),
        Just("<v-clicks>- a</v-clicks>\n".to_string()),
        Just("<v-clicks></v-clicks>\n".to_string()),
        Just("<v-clicks at=\"+2\">- a\n- b\n</v-clicks>\n".to_string()),
        Just("<v-clicks at=\"99999999999999999999\">\n- a\n</v-clicks>\n".to_string()),
        Just(
            "<style>\n@import url(x.css);\n@media print { p { a: b } }\n/* } */\n</style>\n"
                .to_string()
        ),
        Just("<!--\nx <!-- y\n-->\n".to_string()),
        Just("```js&amp; {1-x}\nq\n```\n".to_string()),
        Just("\u{3000}<v-clicks at=\"z\">\r\n- é\r\n</v-clicks>\r\n".to_string()),
        Just("<style>\np { color: red }\n</style>\n".to_string()),
        Just("<!-- note -->\n".to_string()),
        Just("\n".to_string()),
        "[ -~\n]{0,40}",
        "\\PC{0,20}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_deck_parses_into_numbered_slides_with_located_problems(parts in prop::collection::vec(fragment(), 0..16)) {
        let src = parts.concat();
        let deck = parse_deck(&src);
        prop_assert!(!deck.slides.is_empty());
        let line_count = src.lines().count().max(1);
        for (i, slide) in deck.slides.iter().enumerate() {
            prop_assert_eq!(slide.number, i + 1);
            for block in &slide.blocks {
                match block {
                    Block::Code(code) => {
                        let last_click = code.first_click + code.steps.len().saturating_sub(1);
                        prop_assert!(code.steps.len() <= 1 || last_click - 1 <= slide.clicks);
                        prop_assert!(code.step_at(slide.clicks) < code.steps.len().max(1));
                    }
                    Block::Clicks(list) => {
                        prop_assert!(list.at + list.items.len() - 1 <= slide.clicks);
                        prop_assert!((0..list.items.len()).all(|k| list.is_visible(k, slide.clicks)));
                    }
                    Block::Html(_) => {}
                }
            }
        }
        for (_, d) in deck.all_diagnostics() {
            prop_assert!(d.line >= 1 && d.line <= line_count + 1, "{} outside 1..={}", d, line_count);
            prop_assert!(d.column >= 1);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(src in "\\PC{0,400}") {
        let deck = parse_deck(&src);
        prop_assert!(!deck.slides.is_empty());
    }
}
