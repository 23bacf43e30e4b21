//! NormalizeScore: bringing each plugin's raw scores into 0..=100.
//!
//! Contract: integer arithmetic as kube-scheduler's `DefaultNormalizeScore`,
//! PodTopologySpread's and InterPodAffinity's `NormalizeScore`.

use super::resources::MAX_NODE_SCORE;

/// `DefaultNormalizeScore`: 100 * s / max, reversed to 100 - that; when every
/// score is 0, all get 0 (reversed: 100).
pub fn default_normalize(scores: &mut [i64], reverse: bool) {
    let max = scores.iter().copied().max().unwrap_or(0);
    if max == 0 {
        if reverse {
            scores.iter_mut().for_each(|s| *s = MAX_NODE_SCORE);
        }
        return;
    }
    for s in scores {
        *s = MAX_NODE_SCORE * *s / max;
        if reverse {
            *s = MAX_NODE_SCORE - *s;
        }
    }
}

/// PodTopologySpread: 100 * (max + min - s) / max over the nodes not
/// ignored (`None`: a node lacking a topology label scores 0); all 100 when max is 0.
pub fn spread_normalize(scores: &mut [i64], ignored: &[bool]) {
    let counted = || {
        scores
            .iter()
            .zip(ignored)
            .filter(|(_, i)| !**i)
            .map(|(s, _)| *s)
    };
    let (Some(max), Some(min)) = (counted().max(), counted().min()) else {
        scores.iter_mut().for_each(|s| *s = 0);
        return;
    };
    for (s, ignored) in scores.iter_mut().zip(ignored) {
        *s = if *ignored {
            0
        } else if max == 0 {
            MAX_NODE_SCORE
        } else {
            MAX_NODE_SCORE * (max + min - *s) / max
        };
    }
}

/// InterPodAffinity: 100 * (s - min) / (max - min) in floating point, truncated; all 0 when max = min.
pub fn min_max_normalize(scores: &mut [i64]) {
    let max = scores.iter().copied().max().unwrap_or(0);
    let min = scores.iter().copied().min().unwrap_or(0);
    let diff = max - min;
    for s in scores {
        let f = if diff > 0 {
            MAX_NODE_SCORE as f64 * ((*s - min) as f64 / diff as f64)
        } else {
            0.0
        };
        *s = f as i64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_normalize_scales_to_the_max_and_reverses() {
        let cases: [(&[i64], bool, &[i64]); 5] = [
            (&[0, 1, 2], false, &[0, 50, 100]),
            (&[0, 1, 2], true, &[100, 50, 0]),
            (&[0, 0], false, &[0, 0]),
            (&[0, 0], true, &[100, 100]),
            (&[1, 3], false, &[33, 100]),
        ];
        for (raw, reverse, want) in cases {
            let mut s = raw.to_vec();
            default_normalize(&mut s, reverse);
            assert_eq!(s, want, "{raw:?} reverse={reverse}");
        }
    }

    #[test]
    fn spread_normalize_prefers_the_fewest_and_ignores_nodes_without_the_label() {
        let mut s = vec![3, 1, 2, 9];
        spread_normalize(&mut s, &[false, false, false, true]);
        // max 3, min 1: 100 * (4 - s) / 3
        assert_eq!(s, [33, 100, 66, 0]);
        let mut zero = vec![0, 0];
        spread_normalize(&mut zero, &[false, false]);
        assert_eq!(zero, [100, 100]);
    }

    #[test]
    fn min_max_normalize_truncates() {
        let mut s = vec![-5, 0, 10];
        min_max_normalize(&mut s);
        assert_eq!(s, [0, 33, 100]);
        let mut flat = vec![4, 4];
        min_max_normalize(&mut flat);
        assert_eq!(flat, [0, 0]);
    }
}
