//! A live figure's keys, and its part of the URL: `#/N?clicks=K&step=S&seed=X&q=V`.
//!
//! The figure's keys are none of the deck's (`nav::KEY_MAP`, whose tests
//! check it), so Space, the arrows, PageUp/PageDown, o, g, d, f and Escape
//! keep their meaning.
//!
//! The slide and click are the deck's ([`crate::Position`]); `step`, `seed`
//! and what-if keys (one to three lowercase letters or digits) belong to the
//! slide's live figure, which checks their values. URLs are untrusted: at most
//! [`MAX_PARAMS`] figure parameters of at most [`MAX_VALUE`] characters are
//! read; the rest are dropped with a sentence that says so.

/// What a key does to the live figure on the slide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FigureCommand {
    /// One engine step back.
    StepBack,
    /// One engine step forward.
    StepForward,
    /// Play the steps one after another, or pause.
    PlayPause,
    /// Back to the slide's click, at its step.
    Reset,
}

/// The live figure's keys, with what the help says of them.
pub const FIGURE_KEYS: [(&str, FigureCommand, &str); 4] = [
    (",", FigureCommand::StepBack, "live figure: one step back"),
    (
        ".",
        FigureCommand::StepForward,
        "live figure: one step forward",
    ),
    ("p", FigureCommand::PlayPause, "live figure: play or pause"),
    (
        "r",
        FigureCommand::Reset,
        "live figure: back to the slide's click",
    ),
];

/// The figure command of the key `key`, if it has one.
pub fn figure_command_for_key(key: &str) -> Option<FigureCommand> {
    FIGURE_KEYS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, command, _)| *command)
}

/// The most figure parameters read from one URL.
pub const MAX_PARAMS: usize = 12;
/// The longest value read, in characters.
pub const MAX_VALUE: usize = 24;

/// Whether `key` is a figure's URL parameter rather than the deck's.
pub fn is_figure_param(key: &str) -> bool {
    if key == "step" || key == "seed" {
        return true;
    }
    let mut chars = key.chars();
    key.len() <= 3
        && chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

/// The figure parameters of `hash`, in order, and a sentence about any that
/// were dropped for being too many or too long.
pub fn figure_params(hash: &str) -> (Vec<(String, String)>, Option<String>) {
    let query = hash.split_once('?').map_or("", |(_, q)| q);
    let mut params = Vec::new();
    let mut dropped = 0;
    for (key, value) in query.split('&').filter_map(|p| p.split_once('=')) {
        if !is_figure_param(key) || key == "clicks" {
            continue;
        }
        if params.len() == MAX_PARAMS || value.chars().count() > MAX_VALUE {
            dropped += 1;
            continue;
        }
        params.push((key.to_string(), value.to_string()));
    }
    let notice = (dropped > 0).then(|| {
        format!(
            "{dropped} figure parameter{} of the URL {} ignored: at most {MAX_PARAMS} are read, each at most {MAX_VALUE} characters long.",
            if dropped == 1 { "" } else { "s" },
            if dropped == 1 { "was" } else { "were" }
        )
    });
    (params, notice)
}

/// `hash` (a slide hash, `#/N` or `#/N?clicks=K`) with `params` appended.
pub fn with_figure_params(hash: &str, params: &[(String, String)]) -> String {
    let mut out = hash.to_string();
    for (key, value) in params {
        out.push(if out.contains('?') { '&' } else { '?' });
        out.push_str(key);
        out.push('=');
        out.push_str(value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn each_figure_key_has_its_command() {
        for (key, command, _) in FIGURE_KEYS {
            assert_eq!(figure_command_for_key(key), Some(command));
        }
        assert_eq!(figure_command_for_key(" "), None);
    }

    #[test]
    fn figure_params_are_step_seed_and_short_keys() {
        let (params, notice) = figure_params("#/8?clicks=2&step=7&seed=3&q=100");
        assert_eq!(params, pairs(&[("step", "7"), ("seed", "3"), ("q", "100")]));
        assert_eq!(notice, None);
        assert!(!is_figure_param("clicks") && !is_figure_param("Q") && !is_figure_param("abcd"));
    }

    #[test]
    fn too_many_or_too_long_parameters_are_dropped_and_said() {
        let long = "9".repeat(MAX_VALUE + 1);
        let many: String = (0..20).map(|i| format!("&a{i}=1")).collect();
        let (params, notice) = figure_params(&format!("#/8?step={long}{many}"));
        assert_eq!(params.len(), MAX_PARAMS);
        assert!(params.iter().all(|(k, _)| k != "step"));
        let notice = notice.unwrap();
        assert!(notice.starts_with("9 figure parameters"), "{notice}");
    }

    #[test]
    fn params_append_to_a_slide_hash() {
        let p = pairs(&[("step", "4"), ("q", "1")]);
        assert_eq!(with_figure_params("#/8", &p), "#/8?step=4&q=1");
        assert_eq!(
            with_figure_params("#/8?clicks=2", &p),
            "#/8?clicks=2&step=4&q=1"
        );
        assert_eq!(with_figure_params("#/8", &[]), "#/8");
        let (back, _) = figure_params(&with_figure_params("#/8?clicks=2", &p));
        assert_eq!(back, p);
    }
}
