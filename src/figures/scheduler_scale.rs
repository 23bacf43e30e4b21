//! The framework figure (slide 20) at scale. Once an attempt looks at more
//! nodes than the per-node tables can show, the Filter is drawn as bands of
//! nodes in index order (what it looked at, rejected and let pass, and where
//! its rotating start was), the rejections are counted per reason, the
//! totals become a histogram, and the Score table shows the best rows only.
//! Opening a band (a click, or Enter on it) zooms the Score table into that
//! band's best nodes. The drawing stays the same size at 5 or 5,000 nodes.

use super::decimal::tenths;
use super::scheduler::{classes, clip, score_header, score_row};
use super::svg::Svg;
use sim_core::sorted::sort_stable_by;
use sim_scheduler::attempt::{Attempt, ScoreTable, Stop};
use sim_scheduler::cluster::NodeId;

/// Most nodes the per-node Filter table shows.
const FILTER_ROWS: usize = 5;
/// Most feasible nodes the per-node Score table shows, and the rows shown at scale.
const SCORE_ROWS: usize = 3;
/// Most bands the nodes are drawn in.
pub const BANDS: usize = 50;
/// Bins of the histogram of totals.
const BINS: usize = 10;
/// The band strip's left edge and width.
const STRIP_X: f64 = 8.0;
const STRIP_W: f64 = 340.0;

/// Whether `a` has more nodes than the per-node tables can show.
pub fn at_scale(a: &Attempt) -> bool {
    a.nodes.len() > FILTER_ROWS || a.feasible.len() > SCORE_ROWS
}

/// What the Filter made of one node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Not looked at: the Filter stopped first.
    Unseen,
    /// A Filter plugin rejected it.
    Rejected,
    /// It passed; `row` is its row in the Score table.
    Feasible { row: usize },
}

/// Each node's verdict, by node index.
pub fn verdicts(a: &Attempt) -> Vec<Verdict> {
    let mut out = vec![Verdict::Unseen; a.nodes.len()];
    for (node, _) in &a.rejected {
        if let Some(v) = out.get_mut(*node as usize) {
            *v = Verdict::Rejected;
        }
    }
    for (row, node) in a.feasible.iter().enumerate() {
        if let Some(v) = out.get_mut(*node as usize) {
            *v = Verdict::Feasible { row };
        }
    }
    out
}

/// A run of nodes next to each other, summarized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    /// Index of its first node.
    pub first: usize,
    /// One past its last node.
    pub end: usize,
    /// Nodes the Filter rejected.
    pub rejected: usize,
    /// Nodes that passed.
    pub feasible: usize,
    /// Its feasible nodes' Score-table rows, best total first (then node order).
    pub best: Vec<usize>,
}

impl Band {
    /// Nodes the Filter looked at.
    pub fn seen(&self) -> usize {
        self.rejected + self.feasible
    }
}

/// The nodes cut into at most `count` bands of nearly equal size, in index
/// order, each summarized; rows are ranked by `totals` (by node order when
/// nothing was scored).
pub fn bands(verdicts: &[Verdict], totals: &[i64], count: usize) -> Vec<Band> {
    let n = verdicts.len();
    let count = count.clamp(1, n.max(1));
    (0..count)
        .map(|k| {
            let (first, end) = (k * n / count, (k + 1) * n / count);
            let mut band = Band {
                first,
                end,
                rejected: 0,
                feasible: 0,
                best: Vec::new(),
            };
            for verdict in &verdicts[first..end] {
                match verdict {
                    Verdict::Unseen => {}
                    Verdict::Rejected => band.rejected += 1,
                    Verdict::Feasible { row } => {
                        band.feasible += 1;
                        band.best.push(*row);
                    }
                }
            }
            let total = |row: &usize| totals.get(*row).copied().unwrap_or(0);
            sort_stable_by(&mut band.best, |a, b| {
                total(b).cmp(&total(a)).then(a.cmp(b))
            });
            band
        })
        .collect()
}

/// The Filter's rejections counted by plugin and reason, most first (then
/// by text), each as kube-scheduler writes it.
pub fn rejections(a: &Attempt) -> Vec<(String, usize)> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for (node, rejection) in &a.rejected {
        let Some(spec) = a.nodes.get(*node as usize) else {
            continue;
        };
        let text = format!(
            "{}: {}",
            rejection.plugin.name(),
            rejection.texts(spec).join(", ")
        );
        match counts.iter_mut().find(|(t, _)| *t == text) {
            Some((_, c)) => *c += 1,
            None => counts.push((text, 1)),
        }
    }
    sort_stable_by(&mut counts, |(ta, ca), (tb, cb)| {
        cb.cmp(ca).then(ta.cmp(tb))
    });
    counts
}

/// `totals` in `bins` equal ranges from the lowest to the highest: each
/// range's low end, high end and count. Empty when there are no totals.
pub fn histogram(totals: &[i64], bins: usize) -> Vec<(i64, i64, usize)> {
    let (Some(&low), Some(&high)) = (totals.iter().min(), totals.iter().max()) else {
        return Vec::new();
    };
    let bins = bins.max(1) as i64;
    let span = high - low + 1;
    let width = (span + bins - 1) / bins;
    let used = ((span + width - 1) / width).max(1);
    let mut out: Vec<(i64, i64, usize)> = (0..used)
        .map(|b| (low + b * width, (low + (b + 1) * width - 1).min(high), 0))
        .collect();
    for t in totals {
        let b = ((t - low) / width) as usize;
        if let Some(bin) = out.get_mut(b) {
            bin.2 += 1;
        }
    }
    out
}

/// The left half at scale: the band strip, why the Filter stopped, the
/// rejections per reason and the histogram of totals (once `scored`).
/// `zoomed` is the band opened, if any.
pub fn filter_at_scale(
    s: &mut Svg,
    a: &Attempt,
    bands: &[Band],
    zoomed: Option<usize>,
    scored: bool,
) {
    let n = a.nodes.len();
    let seen = a.rejected.len() + a.feasible.len();
    let stop = match a.stop {
        Stop::FoundEnough => format!("stopped at the {} feasible it looks for", a.to_find),
        Stop::AllNodes => "looked at every node".to_string(),
        Stop::NominatedNode => "the nominated node passed".to_string(),
    };
    let per_band = n.div_ceil(bands.len().max(1));
    let cell = STRIP_W / bands.len().max(1) as f64;
    let chosen = a.selected.map(|sel| sel.node as usize);
    s.el("text")
        .attr("class", "sched-title")
        .attr("x", 8)
        .attr("y", 120)
        .text(format_args!(
            "Filter over {} nodes, {per_band} a band",
            thousands(n)
        ));
    s.el("text")
        .attr("class", "sched-small")
        .attr("x", 8)
        .attr("y", 134)
        .attr("data-seen", seen)
        .text(format_args!(
            "looked at {seen} from {}; {stop}",
            a.node_name(a.start)
        ));
    for (k, band) in bands.iter().enumerate() {
        let state = if band.seen() == 0 {
            "sched-band-unseen"
        } else if band.rejected > 0 {
            "sched-band-mixed"
        } else {
            "sched-band-feasible"
        };
        let holds_choice = chosen.is_some_and(|c| (band.first..band.end).contains(&c));
        let class = classes(
            &format!("sched-band {state}"),
            &[
                ("sched-band-chosen", holds_choice),
                ("sched-band-zoomed", zoomed == Some(k)),
            ],
        );
        let label = format!(
            "{} to {}: {} looked at, {} rejected, {} passed{}",
            a.node_name(band.first as NodeId),
            a.node_name(band.end.saturating_sub(1) as NodeId),
            band.seen(),
            band.rejected,
            band.feasible,
            if holds_choice {
                "; holds the chosen node"
            } else {
                ""
            }
        );
        s.el("g")
            .attr("class", class)
            .attr("data-band", k)
            .attr("tabindex", 0)
            .attr("role", "button")
            .attr("aria-label", &label)
            .open();
        s.el("rect")
            .attr("x", tenths(STRIP_X + k as f64 * cell))
            .attr("y", 142)
            .attr("width", tenths((cell - 1.0).max(0.5)))
            .attr("height", 18)
            .close();
        s.el("title").text(&label);
        s.end();
    }
    let start_x = (STRIP_X + STRIP_W * a.start as f64 / n.max(1) as f64).max(STRIP_X + 20.0);
    s.el("text")
        .attr("class", "sched-small sched-muted")
        .attr("x", tenths(start_x))
        .attr("y", 170)
        .attr("text-anchor", "middle")
        .text("▲ start");
    let reasons = rejections(a);
    let more = reasons.len().saturating_sub(2);
    if more > 0 {
        s.el("text")
            .attr("class", "sched-small sched-muted")
            .attr("x", 8)
            .attr("y", 210)
            .text(format_args!("and {more} more reasons"));
    }
    for (i, (text, count)) in reasons.into_iter().take(2).enumerate() {
        s.el("text")
            .attr("class", "sched-small sched-fail-text")
            .attr("x", 8)
            .attr("y", tenths(186.0 + i as f64 * 12.0))
            .text(clip(&format!("✗ {count} · {text}"), 64));
    }
    if scored {
        totals_histogram(s, a);
    }
    let zoom_line = match zoomed.and_then(|k| bands.get(k)) {
        Some(b) => format!(
            "zoomed into {} … {}: its best nodes are on the right",
            a.node_name(b.first as NodeId),
            a.node_name(b.end.saturating_sub(1) as NodeId)
        ),
        None => "open a band (click, or Enter) to zoom into its nodes".to_string(),
    };
    s.el("text")
        .attr("class", "sched-small sched-muted")
        .attr("x", 8)
        .attr("y", 246)
        .text(zoom_line);
}

/// The totals of the scored nodes as bars, with the top total's ties.
fn totals_histogram(s: &mut Svg, a: &Attempt) {
    let totals = a.table.as_ref().map_or(&[][..], |t| &t.totals[..]);
    let bins = histogram(totals, BINS);
    let most = bins.iter().map(|b| b.2).max().unwrap_or(1).max(1);
    let bar_w = 200.0 / bins.len().max(1) as f64;
    let (low, high) = (
        bins.first().map_or(0, |b| b.0),
        bins.last().map_or(0, |b| b.1),
    );
    let ties = a.selected.map_or(String::new(), |sel| {
        if sel.ties > 1 {
            format!("{} tie at {}", sel.ties, sel.total)
        } else {
            format!("one top total, {}", sel.total)
        }
    });
    s.el("text")
        .attr("class", "sched-small")
        .attr("x", 8)
        .attr("y", 224)
        .text(format_args!("totals {low}–{high}"));
    s.el("text")
        .attr("class", "sched-small sched-muted")
        .attr("x", 8)
        .attr("y", 236)
        .attr("data-ties", &ties)
        .text(&ties);
    for (i, (low, high, count)) in bins.iter().enumerate() {
        let h = match count {
            0 => 0.5,
            c => (18.0 * *c as f64 / most as f64).max(2.0),
        };
        s.el("rect")
            .attr("class", "sched-hist")
            .attr("x", tenths(140.0 + i as f64 * bar_w))
            .attr("y", tenths(232.0 - h))
            .attr("width", tenths((bar_w - 1.0).max(0.5)))
            .attr("height", tenths(h))
            .open();
        s.el("title")
            .text(format_args!("total {low}–{high}: {count} nodes"));
        s.end();
    }
}

/// The right half at scale: the Score table's best rows overall, or of the
/// band zoomed into.
pub fn score_at_scale(
    s: &mut Svg,
    a: &Attempt,
    bands: &[Band],
    zoom: Option<usize>,
    normalized_shown: bool,
    chosen_shown: bool,
) {
    let Some(table) = &a.table else {
        s.el("text")
            .attr("class", "sched-title")
            .attr("x", 360)
            .attr("y", 120)
            .text("Score");
        s.el("text")
            .attr("class", "sched-small sched-muted")
            .attr("x", 360)
            .attr("y", 136)
            .text("not run yet");
        return;
    };
    let chosen = a.selected.filter(|_| chosen_shown).map(|sel| sel.node);
    let (title, rows): (String, Vec<usize>) = match zoom.and_then(|k| bands.get(k)) {
        Some(b) => (
            format!(
                "Score in {} … {}: its best {} of {} scored",
                a.node_name(b.first as NodeId),
                a.node_name(b.end.saturating_sub(1) as NodeId),
                b.best.len().min(SCORE_ROWS),
                b.best.len()
            ),
            b.best.iter().take(SCORE_ROWS).copied().collect(),
        ),
        None => (
            format!(
                "Score: the best {} of {} nodes scored (raw → normalized × weight)",
                SCORE_ROWS.min(a.feasible.len()),
                a.feasible.len()
            ),
            best_rows(a, table, chosen),
        ),
    };
    s.el("text")
        .attr("class", "sched-title")
        .attr("x", 360)
        .attr("y", 120)
        .text(title);
    s.el("text")
        .attr("class", "sched-small sched-col")
        .attr("x", tenths(828.0))
        .attr("y", 136)
        .text("total");
    score_header(s, table);
    for (i, row) in rows.into_iter().enumerate() {
        score_row(
            s,
            a,
            table,
            row,
            166.0 + i as f64 * 32.0,
            normalized_shown,
            chosen,
        );
    }
}

/// `n` with a comma between each group of three digits.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The rows of the best totals, the chosen node's first once it is chosen.
fn best_rows(a: &Attempt, table: &ScoreTable, chosen: Option<NodeId>) -> Vec<usize> {
    let mut rows: Vec<usize> = (0..a.feasible.len()).collect();
    let total = |row: &usize| table.totals.get(*row).copied().unwrap_or(0);
    let is_chosen = |row: &usize| chosen == a.feasible.get(*row).copied();
    sort_stable_by(&mut rows, |x, y| {
        is_chosen(y)
            .cmp(&is_chosen(x))
            .then(total(y).cmp(&total(x)))
            .then(x.cmp(y))
    });
    rows.truncate(SCORE_ROWS);
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_split_nodes_evenly_and_rank_their_rows_by_total() {
        use Verdict::*;
        let verdicts = [
            Rejected,
            Feasible { row: 0 },
            Feasible { row: 1 },
            Unseen,
            Feasible { row: 2 },
        ];
        let totals = [10, 30, 20];
        let b = bands(&verdicts, &totals, 2);
        assert_eq!(b.len(), 2);
        assert_eq!((b[0].first, b[0].end, b[1].first, b[1].end), (0, 2, 2, 5));
        assert_eq!(
            (b[0].rejected, b[0].feasible, b[0].best.clone()),
            (1, 1, vec![0])
        );
        assert_eq!(
            (b[1].rejected, b[1].feasible, b[1].best.clone()),
            (0, 2, vec![1, 2])
        );
        assert_eq!(b[1].seen(), 2, "the unseen node counts for nothing");
        assert_eq!(
            bands(&verdicts, &totals, 50).len(),
            5,
            "never more bands than nodes"
        );
        assert_eq!(bands(&[], &[], 50).len(), 1);
    }

    #[test]
    fn counts_get_a_comma_every_three_digits() {
        assert_eq!(thousands(5), "5");
        assert_eq!(thousands(500), "500");
        assert_eq!(thousands(5000), "5,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn the_histogram_covers_every_total_once_from_lowest_to_highest() {
        let totals = [400, 409, 450, 450, 450, 431];
        let bins = histogram(&totals, 10);
        assert_eq!(bins.first().map(|b| b.0), Some(400));
        assert_eq!(bins.last().map(|b| b.1), Some(450));
        assert_eq!(bins.iter().map(|b| b.2).sum::<usize>(), totals.len());
        assert_eq!(
            bins.last().map(|b| b.2),
            Some(3),
            "the three at 450 share the top bin"
        );
        assert!(bins.windows(2).all(|w| w[0].1 + 1 == w[1].0), "{bins:?}");
        assert_eq!(histogram(&[7, 7], 10), vec![(7, 7, 2)]);
        assert!(histogram(&[], 10).is_empty());
    }
}
