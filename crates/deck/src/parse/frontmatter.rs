//! Frontmatter: the YAML block of a slide, read into typed settings with
//! located errors.

use crate::Diagnostic;
use yaml_rust2::{Yaml, YamlLoader};

/// A slide's frontmatter as key/value pairs, with where each key is.
#[derive(Debug, Default)]
pub(crate) struct Frontmatter {
    entries: Vec<(String, Yaml)>,
    first_line: usize,
    text: String,
}

impl Frontmatter {
    /// Reads YAML `text` that starts on deck line `first_line`.
    pub fn read(text: &str, first_line: usize, diagnostics: &mut Vec<Diagnostic>) -> Frontmatter {
        let mut fm = Frontmatter {
            entries: Vec::new(),
            first_line,
            text: text.to_string(),
        };
        match YamlLoader::load_from_str(text) {
            Ok(docs) => match docs.into_iter().next() {
                None | Some(Yaml::Null) => {}
                Some(Yaml::Hash(hash)) => {
                    for (k, v) in hash {
                        match k {
                            Yaml::String(k) => fm.entries.push((k, v)),
                            other => diagnostics.push(Diagnostic {
                                line: first_line,
                                column: 1,
                                message: format!("frontmatter key {other:?} is not text: expected `name: value` lines"),
                            }),
                        }
                    }
                }
                Some(_) => diagnostics.push(Diagnostic {
                    line: first_line,
                    column: 1,
                    message: "frontmatter is not a mapping: expected `name: value` lines".into(),
                }),
            },
            Err(e) => {
                let m = e.marker();
                diagnostics.push(Diagnostic {
                    line: first_line + m.line().saturating_sub(1),
                    column: m.col() + 1,
                    message: format!("bad YAML in frontmatter: {}", e.info()),
                });
            }
        }
        fm
    }

    /// Where `key`'s value starts (line, column), for messages about it.
    fn locate(&self, key: &str) -> (usize, usize) {
        for (i, line) in self.text.lines().enumerate() {
            if let Some(rest) = line.strip_prefix(key) {
                if let Some(value) = rest.trim_start().strip_prefix(':') {
                    let col = line.len() - value.trim_start().len() + 1;
                    return (self.first_line + i, col);
                }
            }
        }
        (self.first_line, 1)
    }

    fn raw(&self, key: &str) -> Option<&Yaml> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// An error about `key`'s value.
    pub fn error(&self, key: &str, message: String) -> Diagnostic {
        let (line, column) = self.locate(key);
        Diagnostic {
            line,
            column,
            message,
        }
    }

    /// `key` as text (numbers and booleans are written as text); `None` if
    /// absent or empty.
    pub fn text(&self, key: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
        match self.raw(key)? {
            Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
            Yaml::Integer(i) => Some(i.to_string()),
            Yaml::Boolean(b) => Some(b.to_string()),
            Yaml::Null => None,
            _ => {
                diagnostics.push(self.error(key, format!("`{key}` must be text")));
                None
            }
        }
    }

    /// `key` as a boolean; `None` if absent.
    pub fn flag(&self, key: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<bool> {
        match self.raw(key)? {
            Yaml::Boolean(b) => Some(*b),
            Yaml::Null => None,
            _ => {
                diagnostics.push(self.error(key, format!("`{key}` must be `true` or `false`")));
                None
            }
        }
    }
}
