//! The CRI container log line format: writing, splitting, parsing, joining.
//!
//! Contract: a line is `<RFC3339Nano> <stream> <tags> <content>` with single
//! spaces and `stream` is `stdout` or `stderr`. The tags are `:`-separated;
//! as in the kubelet's `parseCRILog`, a first tag `P` marks a partial line and
//! any other first tag (normally `F`) a full one. [`split_message`] cuts a
//! message into pieces of at most the runtime's max line size, all `P` but the
//! last `F`, as containerd does (on UTF-8 character boundaries here, where
//! containerd cuts raw bytes). [`parse_line`] reports a missing field, a bad
//! timestamp or an unknown stream with a [`CriParseError`] naming the line,
//! column and field. [`join_partials`] glues each `P` line to the following
//! lines of the same stream up to the next full line, which is what
//! `kubectl logs` prints.

use crate::wallclock::Timestamp;
use serde::Serialize;
use std::fmt;

/// The output stream a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

impl Stream {
    /// The stream's name as written in a CRI line.
    pub fn as_str(self) -> &'static str {
        match self {
            Stream::Stdout => "stdout",
            Stream::Stderr => "stderr",
        }
    }
}

/// Whether a line ends its message (parsed from the first tag: `P` is
/// partial, any other tag full).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Tag {
    /// `P`: the message continues on the next line of the same stream.
    #[serde(rename = "P")]
    Partial,
    /// `F`: the last (or only) piece of a message.
    #[serde(rename = "F")]
    Full,
}

impl Tag {
    /// The tag's letter as written in a CRI line.
    pub fn as_str(self) -> &'static str {
        match self {
            Tag::Partial => "P",
            Tag::Full => "F",
        }
    }
}

/// One line of a CRI container log file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriLine {
    /// When the runtime received the output.
    pub timestamp: Timestamp,
    /// Which stream it came from.
    pub stream: Stream,
    /// Partial or full.
    pub tag: Tag,
    /// The output itself, without the newline.
    pub content: String,
}

impl CriLine {
    /// The line as the runtime writes it, without the trailing newline.
    pub fn format(&self) -> String {
        format!(
            "{} {} {} {}",
            self.timestamp.rfc3339_nano(),
            self.stream.as_str(),
            self.tag.as_str(),
            self.content
        )
    }
}

/// Cuts `message` into pieces of at most `max_line_size` bytes (no limit when
/// it is `None`): every piece but the last is [`Tag::Partial`], the last is
/// [`Tag::Full`]. An empty message is one empty full piece.
pub fn split_message(message: &str, max_line_size: Option<usize>) -> Vec<(Tag, &str)> {
    let Some(max) = max_line_size.filter(|m| *m > 0) else {
        return vec![(Tag::Full, message)];
    };
    let mut pieces = Vec::new();
    let mut rest = message;
    while rest.len() > max {
        let mut cut = max;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        if cut == 0 {
            cut = rest.chars().next().map_or(rest.len(), char::len_utf8);
        }
        if cut >= rest.len() {
            break;
        }
        let (head, tail) = rest.split_at(cut);
        pieces.push((Tag::Partial, head));
        rest = tail;
    }
    pieces.push((Tag::Full, rest));
    pieces
}

/// The part of a CRI line a parse error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CriField {
    /// The RFC 3339 time at the start.
    Timestamp,
    /// `stdout` or `stderr`.
    Stream,
    /// The tags, `P` (partial) or anything else such as `F` (full).
    Tag,
    /// The output after the tag.
    Content,
}

impl CriField {
    fn name(self) -> &'static str {
        match self {
            CriField::Timestamp => "timestamp",
            CriField::Stream => "stream",
            CriField::Tag => "tag",
            CriField::Content => "content",
        }
    }
}

/// A CRI line that does not follow the format, with where and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriParseError {
    /// 1-based line number in the file.
    pub line: usize,
    /// 1-based column (in characters) where the bad field starts.
    pub column: usize,
    /// Which field is wrong.
    pub field: CriField,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for CriParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}, {}: {}",
            self.line,
            self.column,
            self.field.name(),
            self.message
        )
    }
}

impl std::error::Error for CriParseError {}

/// Parses one CRI line (without its newline), reporting errors as line 1.
pub fn parse_line(text: &str) -> Result<CriLine, CriParseError> {
    let error = |offset: usize, field: CriField, message: String| CriParseError {
        line: 1,
        column: text.get(..offset).map_or(1, |s| s.chars().count() + 1),
        field,
        message,
    };
    let Some((time_text, rest)) = text.split_once(' ') else {
        return Err(error(
            0,
            CriField::Timestamp,
            "missing: expected `<timestamp> <stream> <tag> <content>` separated by spaces".into(),
        ));
    };
    let timestamp =
        Timestamp::parse_rfc3339(time_text).map_err(|m| error(0, CriField::Timestamp, m))?;
    let stream_at = time_text.len() + 1;
    let Some((stream_text, rest)) = rest.split_once(' ') else {
        return Err(error(
            stream_at,
            CriField::Stream,
            "missing: expected `stdout` or `stderr` followed by a space and the tag".into(),
        ));
    };
    let stream = match stream_text {
        "stdout" => Stream::Stdout,
        "stderr" => Stream::Stderr,
        other => {
            return Err(error(
                stream_at,
                CriField::Stream,
                format!("unexpected stream `{other}`: expected `stdout` or `stderr`"),
            ))
        }
    };
    let tag_at = stream_at + stream_text.len() + 1;
    let Some((tags_text, content)) = rest.split_once(' ') else {
        return Err(error(
            tag_at,
            CriField::Tag,
            "missing, or no space before the content: expected a tag such as `P` or `F` then a space".into(),
        ));
    };
    let tag = match tags_text.split(':').next() {
        Some("P") => Tag::Partial,
        _ => Tag::Full,
    };
    Ok(CriLine {
        timestamp,
        stream,
        tag,
        content: content.to_string(),
    })
}

/// Parses every line of a log file's text, numbering errors by line.
pub fn parse_log(text: &str) -> Result<Vec<CriLine>, CriParseError> {
    text.split_terminator('\n')
        .enumerate()
        .map(|(i, line)| parse_line(line).map_err(|e| CriParseError { line: i + 1, ..e }))
        .collect()
}

/// A message as a reader sees it once partial lines are joined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogMessage {
    /// The time of its first line.
    pub timestamp: Timestamp,
    /// Its stream.
    pub stream: Stream,
    /// The joined content.
    pub text: String,
    /// `false` when the file ended before the `F` line.
    pub complete: bool,
}

/// Reassembles messages from CRI lines fed one at a time: a `P` line waits
/// for the following lines of the same stream up to the `F`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Joiner {
    open: Vec<LogMessage>,
}

impl Joiner {
    /// Feeds one line; returns the message it completes, if any.
    pub fn push(&mut self, line: &CriLine) -> Option<LogMessage> {
        let mut message = match self.open.iter().position(|m| m.stream == line.stream) {
            Some(i) => self.open.remove(i),
            None => LogMessage {
                timestamp: line.timestamp,
                stream: line.stream,
                text: String::new(),
                complete: false,
            },
        };
        message.text.push_str(&line.content);
        match line.tag {
            Tag::Full => {
                message.complete = true;
                Some(message)
            }
            Tag::Partial => {
                self.open.push(message);
                None
            }
        }
    }

    /// The messages still waiting for their `F` line, marked incomplete.
    pub fn into_open(self) -> Vec<LogMessage> {
        self.open
    }
}

/// Joins each run of `P` lines with the following lines of the same stream up
/// to and including an `F`, in the order messages complete; messages still
/// waiting for their `F` at the end come last, marked incomplete.
pub fn join_partials(lines: &[CriLine]) -> Vec<LogMessage> {
    let mut joiner = Joiner::default();
    let mut done: Vec<LogMessage> = lines.iter().filter_map(|l| joiner.push(l)).collect();
    done.extend(joiner.into_open());
    done
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_worked_example_parses_to_stdout_full_log_content() {
        let line = parse_line("2016-10-06T00:17:09.669794202Z stdout F log content").unwrap();
        assert_eq!(line.stream, Stream::Stdout);
        assert_eq!(line.tag, Tag::Full);
        assert_eq!(line.content, "log content");
        assert_eq!(
            line.timestamp.rfc3339_nano(),
            "2016-10-06T00:17:09.669794202Z"
        );
        assert_eq!(
            line.format(),
            "2016-10-06T00:17:09.669794202Z stdout F log content"
        );
    }

    #[test]
    fn extra_tags_after_a_colon_are_accepted_and_content_may_be_empty() {
        let line = parse_line("2016-10-06T00:17:09Z stderr P:x ").unwrap();
        assert_eq!(
            (line.stream, line.tag, line.content.as_str()),
            (Stream::Stderr, Tag::Partial, "")
        );
    }

    #[test]
    fn a_first_tag_other_than_p_is_a_full_line_as_in_the_kubelet() {
        let t = "2016-10-06T00:17:09Z";
        for tags in ["F", "X", "Q:P", "F:x", "p", ""] {
            let line = parse_line(&format!("{t} stdout {tags} hello")).unwrap();
            assert_eq!(
                (line.tag, line.content.as_str()),
                (Tag::Full, "hello"),
                "tags `{tags}`"
            );
        }
        assert_eq!(
            parse_line(&format!("{t} stderr P:F x")).unwrap().tag,
            Tag::Partial
        );
    }

    #[test]
    fn bad_lines_name_line_column_field_and_expectation() {
        let t = "2016-10-06T00:17:09Z";
        for (text, column, field, says) in [
            (
                format!("{t} stdin F x"),
                22,
                CriField::Stream,
                "`stdout` or `stderr`",
            ),
            (format!("{t} stdout F"), 29, CriField::Tag, "missing"),
            (format!("{t} stdout"), 22, CriField::Stream, "missing"),
            (
                "yesterday stdout F x".to_string(),
                1,
                CriField::Timestamp,
                "RFC 3339",
            ),
            ("".to_string(), 1, CriField::Timestamp, "missing"),
        ] {
            let e = parse_line(&text).unwrap_err();
            assert_eq!((e.column, e.field), (column, field), "{text}: {e}");
            assert!(e.message.contains(says), "{text}: {e}");
        }
        let e = parse_log(&format!("{t} stdout F ok\n{t} stdin F bad\n")).unwrap_err();
        assert_eq!((e.line, e.field), (2, CriField::Stream));
        assert!(
            e.to_string().starts_with("line 2, column 22, stream:"),
            "{e}"
        );
    }

    #[test]
    fn splitting_follows_containerd_pieces_of_max_size() {
        let tags = |m: &str, max| {
            split_message(m, max)
                .iter()
                .map(|(t, p)| (t.as_str(), p.len()))
                .collect::<Vec<_>>()
        };
        assert_eq!(tags("abcdefgh", Some(4)), vec![("P", 4), ("F", 4)]);
        assert_eq!(
            tags("abcdefghi", Some(4)),
            vec![("P", 4), ("P", 4), ("F", 1)]
        );
        assert_eq!(tags("abcd", Some(4)), vec![("F", 4)]);
        assert_eq!(tags("", Some(4)), vec![("F", 0)]);
        assert_eq!(tags("abcdefghi", None), vec![("F", 9)]);
        assert_eq!(tags("ééé", Some(3)), vec![("P", 2), ("P", 2), ("F", 2)]);
        assert_eq!(tags("éé", Some(1)), vec![("P", 2), ("F", 2)]);
    }

    #[test]
    fn joining_keeps_streams_apart() {
        let t = Timestamp::default();
        let l = |stream, tag, c: &str| CriLine {
            timestamp: t,
            stream,
            tag,
            content: c.into(),
        };
        let joined = join_partials(&[
            l(Stream::Stdout, Tag::Partial, "ab"),
            l(Stream::Stderr, Tag::Full, "err"),
            l(Stream::Stdout, Tag::Full, "cd"),
            l(Stream::Stdout, Tag::Partial, "tail"),
        ]);
        let texts: Vec<(&str, bool)> = joined
            .iter()
            .map(|m| (m.text.as_str(), m.complete))
            .collect();
        assert_eq!(texts, vec![("err", true), ("abcd", true), ("tail", false)]);
    }

    proptest! {
        #[test]
        fn parse_of_format_round_trips(content in "[^\n]*", stderr: bool, partial: bool, secs in 0i64..4_000_000_000, nanos in 0u32..1_000_000_000) {
            let line = CriLine {
                timestamp: Timestamp { unix_secs: secs, nanos },
                stream: if stderr { Stream::Stderr } else { Stream::Stdout },
                tag: if partial { Tag::Partial } else { Tag::Full },
                content,
            };
            prop_assert_eq!(parse_line(&line.format()), Ok(line));
        }

        #[test]
        fn split_then_join_reproduces_the_message(message in "[^\n]{0,300}", max in 1usize..64) {
            let pieces = split_message(&message, Some(max));
            prop_assert!(pieces.iter().all(|(_, p)| p.len() <= max.max(4)));
            prop_assert!(pieces[..pieces.len() - 1].iter().all(|(t, _)| *t == Tag::Partial));
            let lines: Vec<CriLine> = pieces.iter().map(|(tag, p)| CriLine {
                timestamp: Timestamp::default(), stream: Stream::Stdout, tag: *tag, content: p.to_string(),
            }).collect();
            let joined = join_partials(&lines);
            prop_assert_eq!(joined.len(), 1);
            prop_assert_eq!(&joined[0].text, &message);
            prop_assert!(joined[0].complete);
        }
    }
}
