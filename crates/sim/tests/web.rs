//! In the browser, every shipped scenario gives the golden digest computed natively.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

mod common;

#[wasm_bindgen_test]
fn the_browser_computes_the_native_golden_digests() {
    let digests = common::shipped_digests().unwrap_or_else(|e| panic!("{e}"));
    if let Err(report) = common::compare_with_golden(&digests) {
        panic!("{report}");
    }
}
