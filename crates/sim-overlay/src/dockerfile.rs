//! A Dockerfile line parser for the instructions the deck uses and the common rest.
//!
//! Contract: [`parse`] never panics; it returns the instructions in order, each
//! with the 1-based line and column of its keyword, or a [`DockerfileError`]
//! at the offending line and column. Parser directives (`# syntax=`, `# escape=`)
//! are read only at the very top, `#` lines are comments, and a line ending in
//! the escape character (`\` by default) continues on the next line.

use std::fmt;

/// The instructions this simulator understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    /// `FROM image [AS name]`.
    From,
    /// `LABEL key=value ...`.
    Label,
    /// `COPY src... dest`.
    Copy,
    /// `ADD src... dest`.
    Add,
    /// `RUN command`.
    Run,
    /// `CMD ["exec", "form"]` or `CMD shell form`.
    Cmd,
    /// `ENTRYPOINT ["exec", "form"]` or shell form.
    Entrypoint,
    /// `ENV key=value ...` (or the legacy `ENV key value`).
    Env,
    /// `WORKDIR path`.
    Workdir,
    /// `USER name[:group]`.
    User,
    /// `EXPOSE port[/tcp|/udp] ...`.
    Expose,
    /// `ARG name[=default]`.
    Arg,
}

/// Every keyword with its spelling, in the order error messages list them.
const KEYWORDS: [(Keyword, &str); 12] = [
    (Keyword::From, "FROM"),
    (Keyword::Label, "LABEL"),
    (Keyword::Copy, "COPY"),
    (Keyword::Add, "ADD"),
    (Keyword::Run, "RUN"),
    (Keyword::Cmd, "CMD"),
    (Keyword::Entrypoint, "ENTRYPOINT"),
    (Keyword::Env, "ENV"),
    (Keyword::Workdir, "WORKDIR"),
    (Keyword::User, "USER"),
    (Keyword::Expose, "EXPOSE"),
    (Keyword::Arg, "ARG"),
];

/// Real Dockerfile instructions this simulator does not model.
const NOT_SIMULATED: [&str; 6] = [
    "ONBUILD",
    "HEALTHCHECK",
    "SHELL",
    "STOPSIGNAL",
    "VOLUME",
    "MAINTAINER",
];

impl Keyword {
    /// The keyword as written in a Dockerfile, e.g. `RUN`.
    pub fn as_str(self) -> &'static str {
        KEYWORDS
            .iter()
            .find(|(k, _)| *k == self)
            .map_or("?", |(_, s)| s)
    }
}

fn allowed() -> String {
    KEYWORDS
        .iter()
        .map(|(_, s)| *s)
        .collect::<Vec<_>>()
        .join(", ")
}

/// One instruction, with its arguments and where its keyword is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// Which instruction.
    pub keyword: Keyword,
    /// The arguments, continuation lines joined, whitespace collapsed.
    pub args: String,
    /// 1-based line of the keyword in the Dockerfile.
    pub line: usize,
    /// 1-based column of the keyword.
    pub column: usize,
}

impl Instruction {
    /// The instruction as one line, e.g. `RUN make /app`: the key effects are
    /// matched on this text.
    pub fn text(&self) -> String {
        format!("{} {}", self.keyword.as_str(), self.args)
    }

    /// The arguments split into words, quotes honoured.
    pub fn words(&self) -> Vec<String> {
        words(&self.args)
    }
}

/// A parsed Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dockerfile {
    /// The `# syntax=` directive, if any.
    pub syntax: Option<String>,
    /// The instructions, in order.
    pub instructions: Vec<Instruction>,
}

/// A problem in a Dockerfile, at a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DockerfileError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong and what is expected.
    pub message: String,
}

impl fmt::Display for DockerfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

fn error(line: usize, column: usize, message: impl Into<String>) -> DockerfileError {
    DockerfileError {
        line,
        column,
        message: message.into(),
    }
}

/// Splits `s` into words at whitespace, keeping quoted parts together and
/// dropping the quotes.
pub fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    for c in s.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            (None, c) => {
                current.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(current);
    }
    out
}

/// Reads the parser directives at the top: returns `(syntax, escape, first
/// line index after them)`.
fn directives(lines: &[&str]) -> Result<(Option<String>, char, usize), DockerfileError> {
    let mut syntax = None;
    let mut escape = '\\';
    for (i, raw) in lines.iter().enumerate() {
        let Some(body) = raw.trim().strip_prefix('#') else {
            return Ok((syntax, escape, i));
        };
        let Some((key, value)) = body.split_once('=') else {
            return Ok((syntax, escape, i));
        };
        let key = key.trim().to_ascii_lowercase();
        let value = value.trim();
        match key.as_str() {
            "syntax" => syntax = Some(value.to_string()),
            "escape" => {
                escape = match value {
                    "\\" => '\\',
                    "`" => '`',
                    other => {
                        return Err(error(
                            i + 1,
                            1,
                            format!(
                                "invalid escape directive `{other}`: expected `\\` or a backtick"
                            ),
                        ))
                    }
                }
            }
            "check" => {}
            _ => return Ok((syntax, escape, i)),
        }
    }
    Ok((syntax, escape, lines.len()))
}

/// Parses a Dockerfile.
pub fn parse(src: &str) -> Result<Dockerfile, DockerfileError> {
    let lines: Vec<&str> = src.lines().collect();
    let (syntax, escape, start) = directives(&lines)?;
    let mut instructions: Vec<Instruction> = Vec::new();
    let mut i = start;
    while let Some(raw) = lines.get(i) {
        let line = i + 1;
        i += 1;
        let trimmed = raw.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let column = raw.chars().count() - trimmed.chars().count() + 1;
        let mut text = String::new();
        let mut part = trimmed.trim_end();
        loop {
            match part.strip_suffix(escape) {
                Some(head) => {
                    text.push_str(head);
                    text.push(' ');
                    // Comment and empty lines inside a continuation are skipped.
                    loop {
                        match lines.get(i) {
                            Some(next)
                                if next.trim().is_empty() || next.trim_start().starts_with('#') =>
                            {
                                i += 1
                            }
                            _ => break,
                        }
                    }
                    match lines.get(i) {
                        Some(next) => {
                            part = next.trim();
                            i += 1;
                        }
                        None => break,
                    }
                }
                None => {
                    text.push_str(part);
                    break;
                }
            }
        }
        let (word, rest) = text.split_once(char::is_whitespace).unwrap_or((&text, ""));
        let upper = word.to_ascii_uppercase();
        let Some(keyword) = KEYWORDS.iter().find(|(_, s)| *s == upper).map(|(k, _)| *k) else {
            let why = if NOT_SIMULATED.contains(&upper.as_str()) {
                format!("instruction `{word}` is not simulated")
            } else {
                format!("unknown instruction `{word}`")
            };
            return Err(error(
                line,
                column,
                format!("{why}: expected one of {}", allowed()),
            ));
        };
        let args = rest.split_whitespace().collect::<Vec<_>>().join(" ");
        let instruction = Instruction {
            keyword,
            args,
            line,
            column,
        };
        check(&instruction, &instructions)?;
        instructions.push(instruction);
    }
    if !instructions.iter().any(|i| i.keyword == Keyword::From) {
        return Err(error(
            lines.len().max(1),
            1,
            "a Dockerfile needs a FROM instruction naming its base image",
        ));
    }
    Ok(Dockerfile {
        syntax,
        instructions,
    })
}

/// Checks one instruction's arguments and its place among `before`.
fn check(ins: &Instruction, before: &[Instruction]) -> Result<(), DockerfileError> {
    let at = |message: String| Err(error(ins.line, ins.column, message));
    let name = ins.keyword.as_str();
    let words = ins.words();
    let plain: Vec<&String> = words.iter().filter(|w| !w.starts_with("--")).collect();
    if plain.is_empty() {
        return at(format!("{name} needs an argument"));
    }
    let has_from = before.iter().any(|b| b.keyword == Keyword::From);
    match ins.keyword {
        Keyword::From if has_from => {
            return at("a second FROM (a multi-stage build) is not simulated: use one FROM".into())
        }
        Keyword::From => {
            let ok = match plain.as_slice() {
                [_] => true,
                [_, as_word, _] => as_word.eq_ignore_ascii_case("as"),
                _ => false,
            };
            if !ok {
                return at("FROM takes `image[:tag] [AS name]`".into());
            }
        }
        Keyword::Arg => {}
        _ if !has_from => {
            return at(format!(
                "{name} comes before FROM: only ARG may precede FROM"
            ));
        }
        Keyword::Label => {
            if let Some(bad) = plain.iter().find(|w| !w.contains('=')) {
                return at(format!("LABEL takes key=value pairs, found `{bad}`"));
            }
        }
        Keyword::Env => {
            if !plain.iter().all(|w| w.contains('=')) && plain.len() < 2 {
                return at("ENV takes key=value pairs (or `ENV key value`)".into());
            }
        }
        Keyword::Copy | Keyword::Add => {
            if plain.len() < 2 {
                return at(format!(
                    "{name} needs at least one source and a destination"
                ));
            }
        }
        Keyword::Workdir | Keyword::User => {
            if plain.len() != 1 {
                return at(format!("{name} takes exactly one argument"));
            }
        }
        Keyword::Expose => {
            for word in &plain {
                let (port, proto) = word.split_once('/').unwrap_or((word, "tcp"));
                let port_ok = port.parse::<u16>().is_ok_and(|p| p > 0);
                if !port_ok || !matches!(proto, "tcp" | "udp") {
                    return at(format!(
                        "EXPOSE takes port[/tcp|/udp] with a port from 1 to 65535, found `{word}`"
                    ));
                }
            }
        }
        Keyword::Run | Keyword::Cmd | Keyword::Entrypoint => {}
    }
    if ins.keyword == Keyword::Arg {
        let arg_name = plain
            .first()
            .map_or("", |w| w.split('=').next().unwrap_or(""));
        if arg_name.is_empty() || plain.len() != 1 {
            return at("ARG takes one `name[=default]`".into());
        }
    }
    Ok(())
}

/// The exec-form words of CMD/ENTRYPOINT when the arguments are a JSON array
/// of strings; `None` means shell form (as Docker does for malformed JSON).
pub fn exec_form(args: &str) -> Option<Vec<String>> {
    serde_json::from_str::<Vec<String>>(args).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DECK: &str = "# syntax=docker/dockerfile:1\n\nFROM ubuntu:22.04\nLABEL org.opencontainers.image.authors=\"org@example.com\"\nCOPY . /app\nRUN make /app\nRUN rm -r $HOME/.cache\nCMD python /app/app.py\n";

    #[test]
    fn parses_the_deck_dockerfile() {
        let d = parse(DECK).unwrap();
        assert_eq!(d.syntax.as_deref(), Some("docker/dockerfile:1"));
        let texts: Vec<String> = d.instructions.iter().map(Instruction::text).collect();
        assert_eq!(
            texts,
            vec![
                "FROM ubuntu:22.04",
                "LABEL org.opencontainers.image.authors=\"org@example.com\"",
                "COPY . /app",
                "RUN make /app",
                "RUN rm -r $HOME/.cache",
                "CMD python /app/app.py",
            ]
        );
        let lines: Vec<usize> = d.instructions.iter().map(|i| i.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6, 7, 8]);
    }

    #[test]
    fn continuations_join_and_skip_comments() {
        let d = parse("FROM a\nRUN apt-get update && \\\n# a comment\n    apt-get install -y x\nCMD [\"x\"]\n").unwrap();
        assert_eq!(
            d.instructions[1].text(),
            "RUN apt-get update && apt-get install -y x"
        );
        assert_eq!(d.instructions[2].line, 5);
        let tick = parse("# escape=`\nFROM a\nRUN a `\n  b\n").unwrap();
        assert_eq!(tick.instructions[1].args, "a b");
    }

    #[test]
    fn directives_only_at_the_top() {
        let d = parse("FROM a\n# syntax=x\n").unwrap();
        assert_eq!(d.syntax, None);
    }

    #[test]
    fn errors_are_located_and_name_what_is_allowed() {
        let cases: [(&str, (usize, usize), &str); 9] = [
            (
                "FROM a\n  FORM b\n",
                (2, 3),
                "unknown instruction `FORM`: expected one of FROM, LABEL",
            ),
            ("FROM a\nVOLUME /x\n", (2, 1), "`VOLUME` is not simulated"),
            ("LABEL a=b\nFROM a\n", (1, 1), "only ARG may precede FROM"),
            ("FROM a\nFROM b\n", (2, 1), "multi-stage"),
            ("FROM a\nLABEL novalue\n", (2, 1), "key=value"),
            ("FROM a\nCOPY app\n", (2, 1), "source and a destination"),
            ("FROM a\nEXPOSE 99999\n", (2, 1), "1 to 65535"),
            ("FROM a\nRUN\n", (2, 1), "RUN needs an argument"),
            (
                "# escape=x\nFROM a\n",
                (1, 1),
                "expected `\\` or a backtick",
            ),
        ];
        for (src, at, text) in cases {
            let e = parse(src).unwrap_err();
            assert_eq!((e.line, e.column), at, "{src:?}: {e}");
            assert!(e.message.contains(text), "{src:?}: {e}");
        }
        assert!(parse("# just a comment\n")
            .unwrap_err()
            .message
            .contains("FROM"));
    }

    #[test]
    fn exec_form_falls_back_to_shell_form() {
        assert_eq!(
            exec_form("[\"python\", \"/app/app.py\"]"),
            Some(vec!["python".to_string(), "/app/app.py".to_string()])
        );
        assert_eq!(exec_form("python /app/app.py"), None);
        assert_eq!(words("a=\"b c\" d"), vec!["a=b c", "d"]);
    }
}
