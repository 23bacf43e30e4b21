//! The print view: every slide, or every click step of every slide, one
//! after another, one page each, for printing to PDF. URLs are `#/print`
//! (each slide once, at its last click, as Slidev exports) and
//! `#/print?clicks=all` (one page per click step); `&drawings` (or
//! `?drawings`) draws the presenter's drawings kept in this browser too.

use crate::model::Deck;
use crate::nav::Position;

/// Which pages the print view draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintSteps {
    /// One page per slide, every click taken.
    Slides,
    /// One page per click step: click 0 to the last of every slide.
    Clicks,
}

/// What a print URL asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrintRequest {
    /// One page per slide, or one per click step.
    pub steps: PrintSteps,
    /// Whether each page shows the drawings kept for its slide and click.
    pub drawings: bool,
}

/// The print view's URL for `request`.
pub fn print_hash(request: PrintRequest) -> String {
    let mut query = Vec::new();
    if request.steps == PrintSteps::Clicks {
        query.push("clicks=all");
    }
    if request.drawings {
        query.push("drawings");
    }
    if query.is_empty() {
        "#/print".to_string()
    } else {
        format!("#/print?{}", query.join("&"))
    }
}

/// Reads what follows `print` in a URL hash (`""`, `?clicks=all`,
/// `?drawings`, both joined by `&`); anything else prints one page per
/// slide, without drawings, and says what it did not know.
pub fn parse_print(rest: &str) -> (PrintRequest, Option<String>) {
    let rest = rest.trim_start_matches('/');
    let query = rest.strip_prefix('?').unwrap_or(rest);
    let mut request = PrintRequest {
        steps: PrintSteps::Slides,
        drawings: false,
    };
    let mut unknown = Vec::new();
    for part in query.split('&').filter(|p| !p.is_empty()) {
        match part {
            "clicks=all" => request.steps = PrintSteps::Clicks,
            "drawings" => request.drawings = true,
            other => unknown.push(other),
        }
    }
    if unknown.is_empty() {
        return (request, None);
    }
    let plain = PrintRequest {
        steps: PrintSteps::Slides,
        drawings: false,
    };
    let message = format!(
        "“{}” is not known in a print URL (only “clicks=all” and “drawings” are); printing one page per slide",
        unknown.join("&")
    );
    (plain, Some(message))
}

/// The positions printed, in order, for a deck whose slides have `clicks`.
pub fn print_pages(clicks: &[usize], steps: PrintSteps) -> Vec<Position> {
    clicks
        .iter()
        .enumerate()
        .flat_map(|(i, &last)| {
            let first = match steps {
                PrintSteps::Slides => last,
                PrintSteps::Clicks => 0,
            };
            (first..=last).map(move |click| Position {
                slide: i + 1,
                click,
            })
        })
        .collect()
}

/// The exported file's name without its extension: the headmatter
/// `exportFilename`, else the deck's title with every run of characters
/// other than letters, digits, `.` and `_` turned into one `-`.
pub fn export_stem(deck: &Deck) -> String {
    let wanted = deck
        .config
        .export_filename
        .as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| deck.title());
    let mut stem = String::new();
    for c in wanted.chars() {
        if c.is_alphanumeric() || c == '.' || c == '_' {
            stem.push(c);
        } else if !stem.ends_with('-') {
            stem.push('-');
        }
    }
    let stem = stem.trim_matches(['-', '.']);
    if stem.is_empty() {
        "slides".into()
    } else {
        stem.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DeckConfig;

    #[test]
    fn reads_print_urls() {
        let request = |steps, drawings| PrintRequest { steps, drawings };
        let plain = request(PrintSteps::Slides, false);
        assert_eq!(parse_print(""), (plain, None));
        assert_eq!(parse_print("/"), (plain, None));
        assert_eq!(
            parse_print("?clicks=all"),
            (request(PrintSteps::Clicks, false), None)
        );
        assert_eq!(
            parse_print("?drawings&clicks=all"),
            (request(PrintSteps::Clicks, true), None)
        );
        let (read, message) = parse_print("?clicks=2&drawings");
        assert_eq!(read, plain);
        assert!(message.is_some_and(|m| m.contains("clicks=2") && !m.contains("drawings&")));
        for steps in [PrintSteps::Slides, PrintSteps::Clicks] {
            for drawings in [false, true] {
                let hash = print_hash(request(steps, drawings));
                let rest = hash.strip_prefix("#/print").unwrap_or("?");
                assert_eq!(
                    parse_print(rest),
                    (request(steps, drawings), None),
                    "{hash}"
                );
            }
        }
    }

    #[test]
    fn pages_are_slides_at_their_last_click_or_every_click_step() {
        let clicks = [0, 2, 1];
        let at = |slide, click| Position { slide, click };
        assert_eq!(
            print_pages(&clicks, PrintSteps::Slides),
            [at(1, 0), at(2, 2), at(3, 1)]
        );
        assert_eq!(
            print_pages(&clicks, PrintSteps::Clicks),
            [at(1, 0), at(2, 0), at(2, 1), at(2, 2), at(3, 0), at(3, 1)]
        );
        let steps: usize = clicks.iter().map(|c| c + 1).sum();
        assert_eq!(print_pages(&clicks, PrintSteps::Clicks).len(), steps);
        assert!(print_pages(&[], PrintSteps::Clicks).is_empty());
    }

    #[test]
    fn the_export_name_is_the_headmatters_else_the_title() {
        let deck = |export: Option<&str>, title: Option<&str>| Deck {
            config: DeckConfig {
                export_filename: export.map(str::to_string),
                title: title.map(str::to_string),
                ..DeckConfig::default()
            },
            slides: vec![],
        };
        assert_eq!(
            export_stem(&deck(Some("TiDB-Operator-Learning-1"), Some("x"))),
            "TiDB-Operator-Learning-1"
        );
        assert_eq!(
            export_stem(&deck(None, Some("Kubernetes: the / hard way!"))),
            "Kubernetes-the-hard-way"
        );
        assert_eq!(export_stem(&deck(Some("  "), Some("A b"))), "A-b");
        assert_eq!(export_stem(&deck(Some("../../etc"), None)), "etc");
        assert_eq!(export_stem(&deck(None, Some("///"))), "slides");
        assert_eq!(export_stem(&deck(None, None)), "Slides");
    }
}
