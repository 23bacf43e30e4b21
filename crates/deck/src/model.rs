//! The deck as the player sees it.

use serde::{Deserialize, Serialize};

/// A whole talk: the headmatter settings and the slides in order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Deck {
    /// Settings from the headmatter (the first slide's frontmatter).
    pub config: DeckConfig,
    /// The slides, numbered from 1. Never empty once parsed: an empty deck
    /// is one slide that says so.
    pub slides: Vec<Slide>,
}

impl Deck {
    /// The deck's title: the headmatter `title`, else the first slide's title.
    pub fn title(&self) -> &str {
        self.config
            .title
            .as_deref()
            .or_else(|| self.slides.first().and_then(|s| s.title.as_deref()))
            .unwrap_or("Slides")
    }

    /// The browser tab title for `slide` (1-based): `titleTemplate` with `%s`
    /// replaced by the slide's title, or by the deck's title when it has none.
    pub fn tab_title(&self, slide: usize) -> String {
        let name = slide
            .checked_sub(1)
            .and_then(|i| self.slides.get(i))
            .and_then(|s| s.title.as_deref())
            .unwrap_or_else(|| self.title());
        fill_template(&self.config.title_template, name)
    }

    /// The deck in the compact binary form the player embeds.
    pub fn encode(&self) -> Vec<u8> {
        // Encoding owned plain data into a growable buffer cannot fail.
        postcard::to_allocvec(self).unwrap_or_default()
    }

    /// Reads a deck written by [`Deck::encode`].
    pub fn decode(bytes: &[u8]) -> Result<Deck, String> {
        postcard::from_bytes(bytes).map_err(|e| format!("the compiled deck is unreadable: {e}"))
    }

    /// Puts `live` on slide `slide` (1-based): the slide's click count becomes
    /// the larger of its own clicks and the figure's click points. Says why
    /// not when there is no such slide or it already has a live figure.
    pub fn attach_live_figure(&mut self, slide: usize, live: LiveFigure) -> Result<(), String> {
        let count = self.slides.len();
        let Some(target) = slide.checked_sub(1).and_then(|i| self.slides.get_mut(i)) else {
            return Err(format!("there is no slide {slide}; the deck has {count}"));
        };
        if let Some(existing) = &target.live {
            return Err(format!(
                "slide {slide} already shows the figure `{}` of {}",
                existing.figure, existing.scenario
            ));
        }
        target.clicks = target.clicks.max(live.click_points);
        target.live = Some(live);
        Ok(())
    }

    /// Whether the slide after slide `slide` (1-based) shows a live figure:
    /// the player loads the figures while the presenter is still on `slide`.
    pub fn live_figure_follows(&self, slide: usize) -> bool {
        self.slides
            .get(slide)
            .is_some_and(|next| next.live.is_some())
    }

    /// The table of contents: the number and title of each slide that has a
    /// title and is not marked `hideInToc`, in order.
    pub fn toc(&self) -> Vec<(usize, &str)> {
        self.slides
            .iter()
            .filter(|s| !s.hide_in_toc)
            .filter_map(|s| s.title.as_deref().map(|t| (s.number, t)))
            .collect()
    }

    /// Every diagnostic in the deck, with the number of its slide.
    pub fn all_diagnostics(&self) -> impl Iterator<Item = (usize, &Diagnostic)> {
        self.slides
            .iter()
            .flat_map(|s| s.diagnostics.iter().map(move |d| (s.number, d)))
    }
}

/// Headmatter settings Slidev reads, with Slidev's defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeckConfig {
    /// `title`, when set explicitly.
    pub title: Option<String>,
    /// `theme` (the player renders its own take on `academic`).
    pub theme: String,
    /// `transition` between slides (`fade` or `none`).
    pub transition: String,
    /// `coverAuthor` shown on the cover.
    pub cover_author: Option<String>,
    /// `coverDate`; when absent the cover shows today's date, as the theme does.
    pub cover_date: Option<String>,
    /// `exportFilename`.
    pub export_filename: Option<String>,
    /// `hideInToc`.
    pub hide_in_toc: bool,
    /// `lineNumbers`: show line numbers in code blocks.
    pub line_numbers: bool,
    /// `titleTemplate`, `%s` standing for the title.
    pub title_template: String,
}

impl Default for DeckConfig {
    fn default() -> Self {
        DeckConfig {
            title: None,
            theme: "default".into(),
            transition: "none".into(),
            cover_author: None,
            cover_date: None,
            export_filename: None,
            hide_in_toc: false,
            line_numbers: false,
            title_template: "%s - Slidev".into(),
        }
    }
}

/// How a slide is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Layout {
    /// Big title, author and date (Slidev's default for the first slide).
    Cover,
    /// Title and content.
    Default,
    /// Title, a figure taking most of the slide, a small caption.
    Figure,
}

impl Layout {
    /// The layout names this player knows, as written in frontmatter.
    pub const NAMES: [&'static str; 3] = ["cover", "default", "figure"];

    /// The layout called `name` in frontmatter.
    pub fn from_name(name: &str) -> Option<Layout> {
        match name {
            "cover" => Some(Layout::Cover),
            "default" => Some(Layout::Default),
            "figure" => Some(Layout::Figure),
            _ => None,
        }
    }

    /// The name used in frontmatter and as a CSS class suffix.
    pub fn name(self) -> &'static str {
        match self {
            Layout::Cover => "cover",
            Layout::Default => "default",
            Layout::Figure => "figure",
        }
    }
}

/// A figure slide's picture: where it came from and its caption.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Figure {
    /// `figureUrl`: the original image (never loaded by the player).
    pub url: String,
    /// `figureCaption`, possibly empty.
    pub caption: String,
}

impl Figure {
    /// Where a reader finds the original figure, for a slide whose content
    /// comes from `source`: the image itself when `figureUrl` is a web
    /// address, else the page the slide cites. `None` when neither is known.
    pub fn original(&self, source: Option<&str>) -> Option<FigureLink> {
        let (href, words) = if is_web_address(&self.url) {
            (self.url.as_str(), "Open the original figure")
        } else {
            (
                source.filter(|s| is_web_address(s))?,
                "Open the source of this figure",
            )
        };
        Some(FigureLink {
            href: href.to_string(),
            label: format!("{words} on {}", host(href)),
        })
    }
}

/// A link to a figure's original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureLink {
    /// The address.
    pub href: String,
    /// What the link says, naming the site, e.g. "Open the original figure on kubernetes.io".
    pub label: String,
}

/// `template` with every `%s` replaced by `name`, as `str::replace` would,
/// found by splitting on `%`: the player then ships no substring searcher.
fn fill_template(template: &str, name: &str) -> String {
    let mut parts = template.split('%');
    let mut filled = String::from(parts.next().unwrap_or_default());
    for part in parts {
        match part.strip_prefix('s') {
            Some(rest) => {
                filled.push_str(name);
                filled.push_str(rest);
            }
            None => {
                filled.push('%');
                filled.push_str(part);
            }
        }
    }
    filled
}

fn is_web_address(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

/// The host of a web address (see [`is_web_address`]), without `www.`.
/// Prefix checks, not a substring search: the player then ships no
/// substring searcher.
fn host(url: &str) -> &str {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    host.strip_prefix("www.").unwrap_or(host)
}

/// One slide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slide {
    /// 1-based position in the deck.
    pub number: usize,
    /// 1-based line in the source where the slide starts.
    pub line: usize,
    /// Its layout.
    pub layout: Layout,
    /// Plain text of its first heading.
    pub title: Option<String>,
    /// Where the slide's content comes from: the first link in its title.
    pub source: Option<String>,
    /// The figure, for the figure layout.
    pub figure: Option<Figure>,
    /// The live figure drawn on this slide, when a scenario names the slide
    /// (attached when the site is built: [`Deck::attach_live_figure`]).
    pub live: Option<LiveFigure>,
    /// Content in order.
    pub blocks: Vec<Block>,
    /// How many clicks the slide consumes before the next slide.
    pub clicks: usize,
    /// Speaker note: a comment that ends the slide.
    pub note: Option<String>,
    /// `hideInToc`: left out of the table of contents.
    pub hide_in_toc: bool,
    /// The slide's own `<style>`, with every selector scoped to this slide.
    pub style: Option<String>,
    /// Problems found in this slide's source, located.
    pub diagnostics: Vec<Diagnostic>,
}

/// A live figure on a slide: which figure draws it and the scenario it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveFigure {
    /// The figure's name in the player's catalog, e.g. `shell-session`.
    pub figure: String,
    /// The scenario file it runs, e.g. `cgroups-deck-session.toml`.
    pub scenario: String,
    /// How many click points its scenario has.
    pub click_points: usize,
}

impl Slide {
    /// The CSS class that scopes this slide's style: `slide-N`.
    pub fn scope_class(&self) -> String {
        format!("slide-{}", self.number)
    }
}

/// A piece of slide content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Block {
    /// Static HTML rendered from markdown.
    Html(String),
    /// A code block, possibly stepping through line highlights on clicks.
    Code(CodeBlock),
    /// A list whose items appear one per click (`<v-clicks>`).
    Clicks(ClickList),
}

/// A fenced code block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeBlock {
    /// The fence's language, e.g. `shell`.
    pub lang: String,
    /// One HTML fragment per source line (escaped text, or highlighter spans).
    pub lines: Vec<String>,
    /// The highlighted lines at each step; step 0 shows before any click.
    pub steps: Vec<LineSelection>,
    /// The click after which step 1 shows (steps follow one per click).
    pub first_click: usize,
    /// Whether to show line numbers.
    pub line_numbers: bool,
}

impl CodeBlock {
    /// Which step shows at `click` on the slide.
    pub fn step_at(&self, click: usize) -> usize {
        let last = self.steps.len().saturating_sub(1);
        if click < self.first_click {
            0
        } else {
            (click + 1 - self.first_click).min(last)
        }
    }

    /// Whether 1-based `line` is highlighted at `click`.
    pub fn is_highlighted(&self, line: usize, click: usize) -> bool {
        self.steps
            .get(self.step_at(click))
            .is_none_or(|sel| sel.contains(line))
    }
}

/// Lines highlighted at one step of a code block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineSelection {
    /// Every line (`all`, `*`, or no range given).
    All,
    /// Inclusive 1-based line ranges.
    Ranges(Vec<(usize, usize)>),
}

impl LineSelection {
    /// Whether 1-based `line` is selected.
    pub fn contains(&self, line: usize) -> bool {
        match self {
            LineSelection::All => true,
            LineSelection::Ranges(r) => r.iter().any(|&(a, b)| a <= line && line <= b),
        }
    }
}

/// A `<v-clicks>` list: item `i` appears at click `at + i`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClickList {
    /// The click at which the first item appears.
    pub at: usize,
    /// Whether the list is numbered.
    pub ordered: bool,
    /// Each item's HTML.
    pub items: Vec<String>,
}

impl ClickList {
    /// Whether item `index` is visible at `click`.
    pub fn is_visible(&self, index: usize, click: usize) -> bool {
        self.at
            .checked_add(index)
            .is_some_and(|first| click >= first)
    }
}

/// A problem in the source, with where it is and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// 1-based line in the deck source.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong and what was expected.
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn live(points: usize) -> LiveFigure {
        LiveFigure {
            figure: "f".into(),
            scenario: "s.toml".into(),
            click_points: points,
        }
    }

    #[cfg(feature = "parse")]
    #[test]
    fn a_live_figure_raises_the_click_count_to_its_click_points() {
        let mut deck = crate::parse_deck("# a\n\n---\n\n```sh {1|2|3}\na\nb\nc\n```\n");
        assert_eq!(deck.slides[1].clicks, 2);
        deck.attach_live_figure(1, live(4)).unwrap();
        deck.attach_live_figure(2, live(1)).unwrap();
        assert_eq!((deck.slides[0].clicks, deck.slides[1].clicks), (4, 2));
        assert!(deck
            .attach_live_figure(2, live(1))
            .unwrap_err()
            .contains("already shows"));
        assert!(deck
            .attach_live_figure(3, live(1))
            .unwrap_err()
            .contains("no slide 3"));
        assert!(deck.attach_live_figure(0, live(1)).is_err());
    }

    #[cfg(feature = "parse")]
    #[test]
    fn a_live_figure_is_announced_by_the_slide_before_it() {
        let mut deck = crate::parse_deck("# a\n\n---\n\n# b\n\n---\n\n# c\n");
        deck.attach_live_figure(2, live(1)).unwrap();
        let follows: Vec<bool> = (0..=4).map(|s| deck.live_figure_follows(s)).collect();
        assert_eq!(follows, [false, true, false, false, false]);
    }

    #[cfg(feature = "parse")]
    #[test]
    fn the_toc_lists_titled_slides_not_hidden_in_it() {
        let deck = crate::parse_deck(
            "---\nhideInToc: true\n---\n# Cover\n\n---\n\n# One\n\n---\nhideInToc: true\n---\n\n# Hidden\n\n---\n\nno title\n\n---\nhideInToc: false\n---\n\n# Two\n",
        );
        assert_eq!(deck.toc(), vec![(2, "One"), (5, "Two")]);
        assert!(deck.slides[0].hide_in_toc && deck.slides[2].hide_in_toc);
        assert!(
            deck.config.hide_in_toc,
            "the headmatter's flag is the deck's too"
        );
        let shown = crate::parse_deck("# A\n\n---\n\n# B\n");
        assert_eq!(shown.toc(), vec![(1, "A"), (2, "B")]);
        let bad = crate::parse_deck("# A\n\n---\nhideInToc: maybe\n---\n\n# B\n");
        assert_eq!(
            bad.toc(),
            vec![(1, "A"), (2, "B")],
            "a bad flag hides nothing"
        );
        assert!(bad.slides[1].diagnostics[0].message.contains("hideInToc"));
    }

    fn figure(url: &str) -> Figure {
        Figure {
            url: url.into(),
            caption: String::new(),
        }
    }

    #[test]
    fn a_title_template_fills_every_percent_s_as_str_replace_does() {
        for template in [
            "%s - Slidev",
            "%s",
            "",
            "no slot",
            "%%s",
            "%s%s",
            "100% %ss",
            "%",
            "s%",
        ] {
            assert_eq!(
                fill_template(template, "Agenda"),
                template.replace("%s", "Agenda"),
                "{template:?}"
            );
        }
    }

    #[test]
    fn a_figure_links_to_its_original_or_else_to_its_source() {
        let remote = figure("https://kubernetes.io/images/docs/components-of-kubernetes.svg");
        assert_eq!(
            remote.original(Some("https://example.org/page")),
            Some(FigureLink {
                href: "https://kubernetes.io/images/docs/components-of-kubernetes.svg".into(),
                label: "Open the original figure on kubernetes.io".into(),
            })
        );
        let local = figure("/cgroups_level.png");
        let link = local
            .original(Some("https://www.ianlewis.org/en/container-runtimes?x=1"))
            .expect("the source is a web page");
        assert_eq!(
            link.href,
            "https://www.ianlewis.org/en/container-runtimes?x=1"
        );
        assert_eq!(link.label, "Open the source of this figure on ianlewis.org");
        assert_eq!(local.original(None), None);
        assert_eq!(
            figure("http://www.brendangregg.com#fig").original(None),
            Some(FigureLink {
                href: "http://www.brendangregg.com#fig".into(),
                label: "Open the original figure on brendangregg.com".into(),
            }),
            "plain http, a fragment right after the host"
        );
        assert_eq!(
            local.original(Some("/notes.html")),
            None,
            "not a web address"
        );
    }
}
