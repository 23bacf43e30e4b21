//! One slide, rendered from the deck model at a given click.

use crate::browser;
use crate::figure_host::FigureHost;
use crate::figure_slot;
use leptos::either::{Either, EitherOf3};
use leptos::html;
use leptos::prelude::*;
use simdeck_deck::{Block, ClickList, CodeBlock, DeckConfig, Figure, Layout, Slide};

/// A slide as the audience sees it at `click`.
#[component]
pub fn SlideView(
    /// The slide.
    slide: Slide,
    /// The deck's settings (cover author and date).
    config: DeckConfig,
    /// How many slides the deck has, for the "N / total" footer.
    count: usize,
    /// The clicks taken on this slide.
    click: Signal<usize>,
    /// The player's side of a live figure, for the slide on stage.
    host: Option<FigureHost>,
    /// Whether to fade in (the deck's transition).
    animate: bool,
    /// Whether this is an overview thumbnail: a live figure stays a card.
    thumbnail: bool,
    /// Whether its code regions name the click too ("Code of slide 8,
    /// click 2"): a print page, where a slide repeats once per click.
    #[prop(optional)]
    names_click: bool,
) -> impl IntoView {
    let class = format!(
        "slide layout-{} {}{}",
        slide.layout.name(),
        slide.scope_class(),
        if animate { " enter" } else { "" }
    );
    let style = slide.style.map(|css| view! { <style>{css}</style> });
    let errors = (!slide.diagnostics.is_empty()).then(|| {
        let items = slide
            .diagnostics
            .iter()
            .map(|d| view! { <li>{d.to_string()}</li> })
            .collect_view();
        view! {
            <div class="slide-errors" role="alert">
                <p>{format!("Slide {} could not be read entirely:", slide.number)}</p>
                <ul>{items}</ul>
            </div>
        }
    });
    let code_blocks = slide
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::Code(_)))
        .count();
    let mut code_index = 0;
    let blocks = slide
        .blocks
        .into_iter()
        .map(|block| match block {
            Block::Html(html) => EitherOf3::A(view! { <div class="md" inner_html=html></div> }),
            Block::Code(code) => {
                code_index += 1;
                let mut label = if code_blocks == 1 {
                    format!("Code of slide {}", slide.number)
                } else {
                    format!("Code {code_index} of slide {}", slide.number)
                };
                if names_click {
                    label.push_str(&format!(", click {}", click.get_untracked()));
                }
                EitherOf3::B(code_view(code, click, label))
            }
            Block::Clicks(list) => EitherOf3::C(click_list_view(list, click)),
        })
        .collect_view();
    let cover = (slide.layout == Layout::Cover).then(|| {
        let date = config.cover_date.clone().unwrap_or_else(browser::today);
        let author = config
            .cover_author
            .clone()
            .map(|a| view! { <p class="cover-author">{a}</p> });
        view! {
            <div class="cover-meta">
                {author}
                <p class="cover-date">{date}</p>
            </div>
        }
    });
    let live = slide
        .live
        .as_ref()
        .filter(|_| !thumbnail)
        .map(|live| figure_slot::live_figure(live, click, host));
    let has_live = live.is_some();
    // A figure slide shows its live figure in the figure area; any other
    // slide (a code slide) beside its content.
    let (figure, aside) = match slide.figure {
        Some(f) => (Some(figure_view(f, slide.source, live)), None),
        None => (
            None,
            live.map(|l| view! { <div class="live-aside figure-frame live">{l}</div> }),
        ),
    };
    let body = match aside {
        Some(aside) => Either::Left(view! {
            <div class="slide-body with-live">
                <div class="slide-content">{errors}{blocks}{cover}{figure}</div>
                {aside}
            </div>
        }),
        None => Either::Right(
            view! { <div class="slide-body" class:has-live=has_live>{errors}{blocks}{cover}{figure}</div> },
        ),
    };
    view! {
        <section class=class>
            {style}
            {body}
            <footer class="slide-number">
                {format!("{} / {}", slide.number, count)}
            </footer>
        </section>
    }
}

/// A code block whose lines outside the current step are dimmed, named
/// `label` for screen readers. Its lines are markup written once; a click
/// only changes which of them carry `dim`.
fn code_view(code: CodeBlock, click: Signal<usize>, label: String) -> impl IntoView {
    let body = NodeRef::<html::Code>::new();
    let markup = code_markup(&code, click.get_untracked());
    let lang = code.lang.clone();
    Effect::new(move |_| {
        let click = click.get();
        if let Some(lines) = body.get() {
            mark_children(&lines, "dim", &|i| !code.is_highlighted(i + 1, click));
        }
    });
    // A long line scrolls the block sideways: it takes the focus, so a
    // keyboard can scroll it too.
    view! {
        <div class="code" data-lang=lang tabindex="0" role="region" aria-label=label>
            <pre><code node_ref=body inner_html=markup></code></pre>
        </div>
    }
}

/// The lines of `code` as markup, dimmed as at `click`.
fn code_markup(code: &CodeBlock, click: usize) -> String {
    let mut markup = String::new();
    for (i, html) in code.lines.iter().enumerate() {
        let n = i + 1;
        markup.push_str(if code.is_highlighted(n, click) {
            r#"<div class="line">"#
        } else {
            r#"<div class="line dim">"#
        });
        if code.line_numbers {
            markup.push_str(&format!(
                r#"<span class="ln" aria-hidden="true">{n}</span>"#
            ));
        }
        markup.push_str(r#"<span class="src">"#);
        markup.push_str(html);
        markup.push_str("</span></div>");
    }
    markup
}

/// A `<v-clicks>` list: items hidden until their click. Its items are
/// markup written once; a click only changes which of them carry `hidden`.
fn click_list_view(list: ClickList, click: Signal<usize>) -> impl IntoView {
    let at = click.get_untracked();
    let mut markup = String::new();
    for (i, html) in list.items.iter().enumerate() {
        markup.push_str(if list.is_visible(i, at) {
            r#"<li class="v-click">"#
        } else {
            r#"<li class="v-click hidden">"#
        });
        markup.push_str(html);
        markup.push_str("</li>");
    }
    let (ul, ol) = (NodeRef::<html::Ul>::new(), NodeRef::<html::Ol>::new());
    let ordered = list.ordered;
    Effect::new(move |_| {
        let click = click.get();
        let items: Option<web_sys::Element> = if ordered {
            ol.get().map(Into::into)
        } else {
            ul.get().map(Into::into)
        };
        if let Some(items) = items {
            mark_children(&items, "hidden", &|i| !list.is_visible(i, click));
        }
    });
    if ordered {
        Either::Left(view! { <ol class="v-clicks" node_ref=ol inner_html=markup></ol> })
    } else {
        Either::Right(view! { <ul class="v-clicks" node_ref=ul inner_html=markup></ul> })
    }
}

/// Gives `class` to the children of `parent` for which `marked(index)` holds,
/// and takes it from the others.
fn mark_children(parent: &web_sys::Element, class: &str, marked: &dyn Fn(usize) -> bool) {
    let children = parent.children();
    for (i, child) in (0..children.length())
        .filter_map(|i| children.item(i))
        .enumerate()
    {
        let _ = child.class_list().toggle_with_force(class, marked(i));
    }
}

/// An outline picture, marking a figure card.
const FIGURE_ICON: &str = r#"<svg class="figure-icon" viewBox="0 0 24 24" aria-hidden="true"><rect x="3" y="4" width="18" height="16" rx="2"/><circle cx="8.5" cy="9.5" r="1.5"/><path d="M4 18l5-5 3 3 3-4 5 6"/></svg>"#;

/// The figure area: a live figure when one is registered, else a figure
/// card for the reader: the caption and one link to the original.
fn figure_view(figure: Figure, source: Option<String>, live: Option<AnyView>) -> impl IntoView {
    let link = figure.original(source.as_deref()).map(|link| {
        view! {
            <a class="figure-link" href=link.href target="_blank" rel="noopener">
                {link.label}
                <span aria-hidden="true">" ↗"</span>
            </a>
        }
    });
    let body = match live {
        Some(live) => {
            let text = (!figure.caption.is_empty())
                .then(|| view! { <span class="figure-caption">{figure.caption.clone()}</span> });
            Either::Left(view! {
                <div class="figure-frame live">{live}</div>
                <figcaption class="figure-under">{text}{link}</figcaption>
            })
        }
        None => Either::Right(view! {
            <div class="figure-frame placeholder">
                <span class="figure-mark" inner_html=FIGURE_ICON></span>
                {(!figure.caption.is_empty()).then(|| view! { <figcaption class="figure-caption">{figure.caption.clone()}</figcaption> })}
                {link}
            </div>
        }),
    };
    view! { <figure class="figure">{body}</figure> }
}
