//! The page's Content-Security-Policy, written by the post-build hook once
//! the page is final: everything from the site itself, WebAssembly
//! compiled (`'wasm-unsafe-eval'`, nothing else evaluated), and every inline
//! script and `<style>` pinned by its SHA-256 — the page's own and each
//! slide's `<style>`, which the player adds when the slide is drawn.
//!
//! Style *attributes* are allowed (`style-src-attr 'unsafe-inline'`): the
//! player and the figures set them at run time (a scrubber mark's place, a
//! drawing's sizes) and an attribute's value cannot be pinned by hash
//! without `'unsafe-hashes'` for every value. An attribute cannot run code
//! or, with `img-src` and `font-src` at `'self'`, load anything from
//! elsewhere.

use base64::Engine;
use sha2::{Digest, Sha256};

/// The policy for a page `html` that will also add `<style>` elements
/// holding each of `styles`.
pub fn policy(html: &str, styles: &[&str]) -> String {
    let scripts = hashes(inline_elements(html, "script"));
    let page_styles = inline_elements(html, "style");
    let styles = hashes(page_styles.into_iter().chain(styles.iter().copied()));
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; \
         style-src-elem 'self'{styles}; style-src-attr 'unsafe-inline'; \
         object-src 'none'; base-uri 'self'; form-action 'self'"
    )
}

/// `html` with the policy `csp` right after the character set (or at the
/// head's start), before every script and style it covers. A minified page
/// has no `<head>` tag: its `<meta charset>` comes first.
pub fn with_policy(html: &str, csp: &str) -> Result<String, String> {
    let meta = format!(r#"<meta http-equiv="Content-Security-Policy" content="{csp}">"#);
    let after_charset = html
        .find("<meta charset")
        .and_then(|start| html[start..].find('>').map(|end| start + end + 1));
    let at = after_charset
        .or_else(|| html.find("<head>").map(|start| start + "<head>".len()))
        .ok_or("the page has neither a <meta charset> nor a <head>")?;
    Ok(format!("{}{meta}{}", &html[..at], &html[at..]))
}

/// The text of every `<tag>` element in `html` that has no `src`.
fn inline_elements<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        let (Some(end_of_tag), Some(end)) = (after.find('>'), after.find(&close)) else {
            break;
        };
        let attributes = &after[..end_of_tag];
        let named_exactly = attributes.is_empty() || attributes.starts_with([' ', '\n', '\t']);
        if named_exactly && end > end_of_tag && !attributes.contains("src=") {
            found.push(&after[end_of_tag + 1..end]);
        }
        rest = &after[end_of_tag.min(end)..];
    }
    found
}

/// ` 'sha256-…'` for each distinct text, in the order first seen.
fn hashes<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for text in texts {
        let digest = Sha256::digest(text.as_bytes());
        let hash = format!(
            " 'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest)
        );
        if !seen.contains(&hash) {
            seen.push(hash);
        }
    }
    seen.concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_inline_scripts_and_styles_but_not_files() {
        let page = r#"<head><script>a()</script><script type="module">b()</script><script src="x.js"></script><style>p{}</style><link rel=stylesheet href=s.css></head>"#;
        assert_eq!(inline_elements(page, "script"), ["a()", "b()"]);
        assert_eq!(inline_elements(page, "style"), ["p{}"]);
        let csp = policy(page, &["q{}", "p{}"]);
        assert!(
            csp.contains("'sha256-qVpDBgj7bpq5hMAcGp3AOc79J3Y1Z4HvySTwKrWDoy4='"),
            "a(): {csp}"
        );
        assert_eq!(
            csp.matches("'sha256-").count(),
            4,
            "two scripts, two distinct styles: {csp}"
        );
        assert!(
            csp.starts_with("default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-")
        );
        assert!(
            !csp.contains("'unsafe-eval'") && !csp.contains("script-src 'self' 'unsafe-inline'")
        );
    }

    #[test]
    fn a_script_hash_is_the_sha256_of_its_text() {
        // printf 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            hashes(["alert(1)"]),
            " 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
        );
        assert_eq!(hashes(["x", "x"]).matches("sha256").count(), 1);
    }

    #[test]
    fn the_policy_comes_right_after_the_character_set() {
        assert_eq!(
            with_policy("<html><head><meta charset=utf-8><title>", "P").unwrap(),
            r#"<html><head><meta charset=utf-8><meta http-equiv="Content-Security-Policy" content="P"><title>"#
        );
        assert_eq!(
            with_policy("<head>\n  <title>", "P").unwrap(),
            "<head><meta http-equiv=\"Content-Security-Policy\" content=\"P\">\n  <title>"
        );
        assert_eq!(
            with_policy(
                "<!doctype html><html lang=en><meta charset=utf-8><title>",
                "P"
            )
            .unwrap(),
            r#"<!doctype html><html lang=en><meta charset=utf-8><meta http-equiv="Content-Security-Policy" content="P"><title>"#,
            "the minified page"
        );
        assert!(with_policy("<body>", "P").is_err());
    }
}
