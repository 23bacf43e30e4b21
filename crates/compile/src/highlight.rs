//! Syntax highlighting at build time.

use simdeck_deck::CodeBlock;
use syntect::html::{line_tokens_to_classed_spans, ClassStyle};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// A syntect highlighter with bat's grammars (shell, Dockerfile and more).
pub struct Highlighter {
    syntaxes: SyntaxSet,
}

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}

impl Highlighter {
    /// Loads the grammars.
    pub fn new() -> Self {
        Highlighter {
            syntaxes: two_face::syntax::extra_newlines(),
        }
    }

    /// The grammar for a fence language such as `shell` or `dockerfile`.
    pub fn syntax_for(&self, lang: &str) -> Option<&SyntaxReference> {
        let token = match lang.to_ascii_lowercase().as_str() {
            "shell" | "sh" | "console" | "zsh" => "bash".to_string(),
            other => other.to_string(),
        };
        self.syntaxes.find_syntax_by_token(&token)
    }

    /// Replaces `code.lines` (escaped text) with highlighted HTML, one
    /// balanced fragment per line. Unknown languages are left as they are.
    pub fn highlight(&self, code: &mut CodeBlock) {
        let Some(syntax) = self.syntax_for(&code.lang) else {
            return;
        };
        let mut state = ParseState::new(syntax);
        let mut stack = ScopeStack::new();
        let mut out = Vec::with_capacity(code.lines.len());
        for escaped in &code.lines {
            let line = unescape(escaped) + "\n";
            let Ok(ops) = state.parse_line(&line, &self.syntaxes) else {
                return;
            };
            let mut html = String::new();
            for scope in stack.as_slice() {
                html.push_str("<span class=\"");
                html.push_str(&classes(&scope.build_string()));
                html.push_str("\">");
            }
            let Ok((body, _)) = line_tokens_to_classed_spans(&line, &ops, STYLE, &mut stack) else {
                return;
            };
            html.push_str(body.trim_end_matches('\n'));
            html.push_str(&"</span>".repeat(stack.len()));
            out.push(html.replace('\n', ""));
        }
        code.lines = out;
    }
}

/// `a.b.c` as `hl-a hl-b hl-c`.
fn classes(scope: &str) -> String {
    scope
        .split('.')
        .map(|atom| format!("hl-{atom}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reverses the parser's HTML escaping of a code line.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use simdeck_deck::LineSelection;

    fn code(lang: &str, lines: &[&str]) -> CodeBlock {
        CodeBlock {
            lang: lang.into(),
            lines: lines.iter().map(|l| l.to_string()).collect(),
            steps: vec![LineSelection::All],
            first_click: 1,
            line_numbers: true,
        }
    }

    fn balanced(html: &str) -> bool {
        html.matches("<span").count() == html.matches("</span>").count()
    }

    #[test]
    fn shell_and_dockerfile_get_real_grammar_classes() {
        let h = Highlighter::new();
        let mut sh = code(
            "shell",
            &[
                "UUID=$(uuidgen)",
                "# a &lt;comment&gt;",
                "echo &quot;hi&quot;",
            ],
        );
        h.highlight(&mut sh);
        assert!(sh.lines[0].contains("hl-variable"), "{}", sh.lines[0]);
        assert!(sh.lines[1].contains("hl-comment"), "{}", sh.lines[1]);
        assert!(
            sh.lines[1].contains("&lt;comment&gt;"),
            "text stays escaped: {}",
            sh.lines[1]
        );
        assert!(sh.lines[2].contains("hl-string"), "{}", sh.lines[2]);
        let mut docker = code("dockerfile", &["FROM ubuntu:22.04", "RUN make /app"]);
        h.highlight(&mut docker);
        assert!(
            docker.lines[0].contains("hl-keyword"),
            "{}",
            docker.lines[0]
        );
        assert!(sh.lines.iter().chain(&docker.lines).all(|l| balanced(l)));
    }

    #[test]
    fn multi_line_constructs_stay_balanced_per_line() {
        let h = Highlighter::new();
        let mut sh = code("sh", &["echo &quot;one", "two&quot; done"]);
        h.highlight(&mut sh);
        assert!(sh.lines.iter().all(|l| balanced(l)), "{:?}", sh.lines);
        assert!(
            sh.lines[1].starts_with("<span"),
            "string reopened on line 2: {}",
            sh.lines[1]
        );
    }

    #[test]
    fn unknown_languages_are_left_alone() {
        let mut c = code("no-such-lang", &["a &lt; b"]);
        Highlighter::new().highlight(&mut c);
        assert_eq!(c.lines, vec!["a &lt; b"]);
    }
}
