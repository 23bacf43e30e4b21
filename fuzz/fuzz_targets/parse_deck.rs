//! Fuzzes the deck parser: any UTF-8 input must parse without panicking into
//! a deck with at least one slide, its slides numbered in order.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(src) = std::str::from_utf8(data) {
        let deck = simdeck_deck::parse_deck(src);
        assert!(!deck.slides.is_empty());
        for (i, slide) in deck.slides.iter().enumerate() {
            assert_eq!(slide.number, i + 1);
        }
    }
});
