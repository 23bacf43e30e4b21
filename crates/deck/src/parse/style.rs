//! Scoping a slide's `<style>` to that slide, as Slidev does.
//!
//! Every selector gets the slide's class in front (`p` becomes `.slide-16 p`);
//! `:root`, `html` and `body` become the slide itself. Rules inside `@media`,
//! `@supports`, `@container` and `@layer` are scoped too; other block
//! at-rules (`@keyframes`, `@font-face`) are kept as written. Comments are
//! dropped, and so are `@import`s: the deck loads nothing from elsewhere.

/// Returns `css` with every selector scoped under `.{scope}`.
pub(crate) fn scope_css(css: &str, scope: &str) -> String {
    let mut out = String::with_capacity(css.len() + 64);
    scope_rules(&strip_comments(css), scope, MAX_NESTING, &mut out);
    block_remote_urls(&out)
}

/// How deep `@media`-like blocks are scoped; deeper ones are kept as written.
const MAX_NESTING: usize = 16;

/// `css` with every `url(...)` that points at another origin made inert, so
/// a slide's style cannot fetch from elsewhere.
fn block_remote_urls(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(at) = rest.find("url(") {
        let (before, after) = rest.split_at(at + 4);
        out.push_str(before);
        let target = after.trim_start_matches([' ', '"', '\'']);
        out.push_str(&after[..after.len() - target.len()]);
        if target.starts_with("http:") || target.starts_with("https:") || target.starts_with("//") {
            out.push_str("about:invalid#");
        }
        rest = target;
    }
    out.push_str(rest);
    out
}

/// `css` without `/* ... */` comments.
fn strip_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .find("*/")
            .map_or("", |end| &rest[start + 2 + end + 2..]);
    }
    out.push_str(rest);
    out
}

/// Whether rules inside this at-rule's block are ordinary rules to scope.
fn holds_rules(prelude: &str) -> bool {
    ["@media", "@supports", "@container", "@layer"]
        .iter()
        .any(|at| prelude.starts_with(at))
}

fn scope_rules(css: &str, scope: &str, depth_left: usize, out: &mut String) {
    let mut rest = css;
    while let Some(open) = rest.find('{') {
        // Statement at-rules (`@import url(x);`, `@layer a, b;`) end at `;`.
        if let Some(semi) = rest[..open]
            .find(';')
            .filter(|_| rest.trim_start().starts_with('@'))
        {
            let statement = rest[..=semi].trim();
            if !statement.starts_with("@import") {
                out.push_str(statement);
                out.push('\n');
            }
            rest = &rest[semi + 1..];
            continue;
        }
        let prelude = rest[..open].trim();
        let body_end = matching_brace(rest, open);
        let body = &rest[open + 1..body_end.min(rest.len())];
        if holds_rules(prelude) && depth_left > 0 {
            out.push_str(prelude);
            out.push_str(" {\n");
            scope_rules(body, scope, depth_left - 1, out);
            out.push_str("}\n");
        } else if prelude.starts_with('@') {
            out.push_str(prelude);
            out.push_str(" {");
            out.push_str(body);
            out.push_str("}\n");
        } else {
            let selectors: Vec<String> = prelude
                .split(',')
                .map(|s| scope_selector(s.trim(), scope))
                .collect();
            out.push_str(&selectors.join(", "));
            out.push_str(" {");
            out.push_str(body);
            out.push_str("}\n");
        }
        rest = rest.get(body_end + 1..).unwrap_or("");
    }
}

/// The index of the `}` closing the `{` at `open` (or the end of `s`).
fn matching_brace(s: &str, open: usize) -> usize {
    let mut depth = 0usize;
    for (i, c) in s[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return open + i;
                }
            }
            _ => {}
        }
    }
    s.len()
}

fn scope_selector(selector: &str, scope: &str) -> String {
    for root in [":root", "html", "body"] {
        if let Some(rest) = selector.strip_prefix(root) {
            if rest.is_empty() || rest.starts_with([' ', '>', '.', ':', '[']) {
                return format!(".{scope}{rest}");
            }
        }
    }
    format!(".{scope} {selector}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_every_selector() {
        let css = "p {\n  font-size: 12px;\n}\nul, ol > li { font-size: 12px; }";
        assert_eq!(
            scope_css(css, "slide-16"),
            ".slide-16 p {\n  font-size: 12px;\n}\n.slide-16 ul, .slide-16 ol > li { font-size: 12px; }\n"
        );
    }

    #[test]
    fn scopes_inside_media_and_keeps_keyframes() {
        let css = "@media (max-width: 10px) { h1 { color: red } } @keyframes k { from { opacity: 0 } } :root { --x: 1 }";
        let out = scope_css(css, "s");
        assert!(
            out.contains("@media (max-width: 10px) {\n.s h1 { color: red }"),
            "{out}"
        );
        assert!(
            out.contains("@keyframes k { from { opacity: 0 } }"),
            "{out}"
        );
        assert!(out.contains(".s { --x: 1 }"), "{out}");
    }

    #[test]
    fn imports_and_comments_go_and_layers_are_scoped() {
        let css = "@import url(https://x/y.css);\n/* p { a } */ p { color: red }\n@layer base { h1 { b: 1 } }";
        let out = scope_css(css, "s");
        assert!(!out.contains("@import") && !out.contains("/*"), "{out}");
        assert!(out.contains(".s p { color: red }"), "{out}");
        assert!(out.contains("@layer base {\n.s h1 { b: 1 }"), "{out}");
    }

    #[test]
    fn remote_urls_are_made_inert_and_local_ones_kept() {
        let out = scope_css(
            "p { background: url('https://x/y.png') } a { b: url(/local.png) }",
            "s",
        );
        assert!(
            out.contains("url('about:invalid#https://x/y.png')"),
            "{out}"
        );
        assert!(out.contains("url(/local.png)"), "{out}");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let css = "@media x {".repeat(20_000);
        let out = scope_css(&css, "s");
        assert!(out.starts_with("@media x {"));
    }

    #[test]
    fn unbalanced_css_does_not_panic() {
        for css in ["p {", "}", "{{", "a { b { }", "@media {"] {
            let _ = scope_css(css, "s");
        }
    }
}
