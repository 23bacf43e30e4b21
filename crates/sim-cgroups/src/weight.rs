//! runc's conversion of cgroup v1 `cpu.shares` into cgroup v2 `cpu.weight`.
//!
//! Contract: [`shares_to_weight`] returns exactly what the named runc version
//! writes; `None` means runc leaves `cpu.weight` unset (shares 0).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A runc release, e.g. `1.3.2`; it decides which conversion formula applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RuncVersion {
    /// Major number.
    pub major: u32,
    /// Minor number.
    pub minor: u32,
    /// Patch number.
    pub patch: u32,
}

impl RuncVersion {
    /// The first release with the log-scale (quadratic) formula.
    pub const QUADRATIC_SINCE: RuncVersion = RuncVersion {
        major: 1,
        minor: 3,
        patch: 2,
    };

    /// Parses `MAJOR.MINOR.PATCH`; `None` for anything else.
    pub fn parse(text: &str) -> Option<RuncVersion> {
        let mut parts = text.split('.').map(|p| p.parse::<u32>().ok());
        let version = RuncVersion {
            major: parts.next()??,
            minor: parts.next()??,
            patch: parts.next()??,
        };
        parts.next().is_none().then_some(version)
    }

    /// The formula this release uses.
    pub fn formula(self) -> WeightFormula {
        if self >= Self::QUADRATIC_SINCE {
            WeightFormula::Quadratic
        } else {
            WeightFormula::Linear
        }
    }
}

impl fmt::Display for RuncVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// Which shares-to-weight formula runc applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WeightFormula {
    /// runc <= 1.3.1: `1 + ((shares - 2) * 9999) / 262142`.
    Linear,
    /// runc >= 1.3.2: `ceil(10^((l^2 + 125 l) / 612 - 7/34))`, `l = log2(shares)`.
    Quadratic,
}

/// The `cpu.weight` runc writes for `shares`, or `None` when it leaves it unset.
pub fn shares_to_weight(shares: u64, formula: WeightFormula) -> Option<u64> {
    if shares == 0 {
        return None;
    }
    Some(match formula {
        WeightFormula::Linear => 1 + shares.saturating_sub(2).saturating_mul(9999) / 262_142,
        WeightFormula::Quadratic => quadratic(shares),
    })
}

fn quadratic(shares: u64) -> u64 {
    if shares <= 2 {
        return 1;
    }
    if shares >= 262_144 {
        return 10_000;
    }
    // For a power of two the exponent is the rational (l^2 + 125 l - 126) / 612;
    // when that is a whole number the weight is an exact power of ten, which
    // floating point could overshoot by one ulp and `ceil` would turn into +1.
    if shares.is_power_of_two() {
        let l = u64::from(shares.trailing_zeros());
        let numerator = l * l + 125 * l - 126;
        if numerator % 612 == 0 {
            return 10u64.pow((numerator / 612) as u32);
        }
    }
    // libm is pure Rust and IEEE basic operations are exact-rounded, so these
    // bits are the same on every target (std's log2/powf call the platform's
    // math library, which may differ in the last ulp).
    let weight = libm::ceil(libm::pow(10.0, exponent(shares)));
    // In range by the checks above; the clamp keeps the cast total.
    weight.clamp(1.0, 10_000.0) as u64
}

/// `(l^2 + 125 l) / 612 - 7/34` with `l = log2(shares)`, computed with libm.
fn exponent(shares: u64) -> f64 {
    let l = libm::log2(shares as f64);
    (l * l + 125.0 * l) / 612.0 - 7.0 / 34.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quadratic_boundaries_and_worked_examples() {
        let rows: &[(u64, Option<u64>)] = &[
            (0, None),
            (1, Some(1)),
            (2, Some(1)),
            (3, Some(2)),
            (512, Some(59)),
            (1024, Some(100)),
            (2048, Some(174)),
            (100, Some(17)),
            (10_000, Some(627)),
            (262_143, Some(10_000)),
            (262_144, Some(10_000)),
            (300_000, Some(10_000)),
        ];
        for &(shares, weight) in rows {
            assert_eq!(
                shares_to_weight(shares, WeightFormula::Quadratic),
                weight,
                "shares {shares}"
            );
        }
    }

    #[test]
    fn linear_boundaries_and_worked_examples() {
        let rows: &[(u64, Option<u64>)] = &[
            (0, None),
            (2, Some(1)),
            (3, Some(1)),
            (512, Some(20)),
            (1024, Some(39)),
            (262_144, Some(10_000)),
        ];
        for &(shares, weight) in rows {
            assert_eq!(
                shares_to_weight(shares, WeightFormula::Linear),
                weight,
                "shares {shares}"
            );
        }
    }

    #[test]
    fn quadratic_is_monotone_and_in_range() {
        let mut previous = 1;
        for shares in 2..=262_144u64 {
            let w = shares_to_weight(shares, WeightFormula::Quadratic).unwrap();
            assert!((1..=10_000).contains(&w), "shares {shares} -> {w}");
            assert!(w >= previous, "shares {shares}: {w} < {previous}");
            previous = w;
        }
    }

    #[test]
    fn no_weight_sits_within_rounding_error_of_a_ceil_boundary() {
        // The only inputs where 10^exponent is a whole number are the powers of
        // two handled exactly; every other input must be far (relative to f64
        // error) from the whole number below its weight, so that a last-ulp
        // difference in log2/pow could not change ceil().
        for shares in 3..262_144u64 {
            let w = shares_to_weight(shares, WeightFormula::Quadratic).unwrap();
            let below = libm::log10((w - 1) as f64);
            let e = exponent(shares);
            let exact_power = shares.is_power_of_two() && libm::pow(10.0, e).fract() == 0.0;
            if w > 1 && !exact_power {
                assert!(
                    e - below > 1e-12,
                    "shares {shares}: exponent {e} ~ log10({})",
                    w - 1
                );
            }
            assert!(
                libm::log10(w as f64) - e > -1e-12,
                "shares {shares}: weight {w} below"
            );
        }
    }

    #[test]
    fn versions_pick_their_formula() {
        let v = |s| RuncVersion::parse(s).unwrap().formula();
        assert_eq!(v("1.3.1"), WeightFormula::Linear);
        assert_eq!(v("1.1.15"), WeightFormula::Linear);
        assert_eq!(v("1.3.2"), WeightFormula::Quadratic);
        assert_eq!(v("1.4.0"), WeightFormula::Quadratic);
        assert_eq!(RuncVersion::parse("1.3"), None);
        assert_eq!(RuncVersion::parse("1.3.2.1"), None);
        assert_eq!(RuncVersion::parse("x.3.2"), None);
    }
}
