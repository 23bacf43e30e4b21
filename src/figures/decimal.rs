//! Numbers written with a fixed number of decimals by integer arithmetic.
//! Core's float formatting (`{}` or `{:.2}` of an `f64`) costs about 13 KB
//! of wasm; the drawings need only coordinates and a few readings such as
//! "0.50 CPU", so they write every number through [`Decimal`] and the
//! figures module links none of it. Halves round up (away from zero), as a
//! reader rounds: 1250 ms is "1.3 s". (`{:.1}` would round the binary
//! value to even and write "1.2 s".)

use std::fmt::{self, Display, Write};

/// A number rounded to some decimals, ready to be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    negative: bool,
    /// The number times 10^places, rounded.
    scaled: u128,
    places: u8,
    /// Whether trailing zeros (and then the point) are left out.
    trim: bool,
}

/// More decimals than a drawing needs, and as many as `u128` keeps exact.
const MAX_PLACES: u8 = 6;

/// `numerator / denominator` exactly, to `places` decimals, all written:
/// `ratio(1250, 1000, 1)` is "1.3", `ratio(1, 2, 2)` is "0.50". A zero
/// denominator reads as 1. For readings made of whole numbers (bytes,
/// milliseconds, micro-CPUs), which must not pass through a float.
pub fn ratio(numerator: u64, denominator: u64, places: u8) -> Decimal {
    let places = places.min(MAX_PLACES);
    let denominator = u128::from(denominator.max(1));
    let shifted = u128::from(numerator) * 10u128.pow(u32::from(places));
    Decimal {
        negative: false,
        scaled: (2 * shifted + denominator) / (2 * denominator),
        places,
        trim: false,
    }
}

/// `value` to `places` decimals, all written: `fixed(0.5, 2)` is "0.50".
/// A value that is not a number is written as 0.
pub fn fixed(value: f64, places: u8) -> Decimal {
    from_float(value, places.min(MAX_PLACES), false)
}

/// `value` to one decimal, as the drawings place their shapes:
/// `tenths(12.25)` is "12.3", `tenths(10.0)` is "10.0".
pub fn tenths(value: f64) -> Decimal {
    fixed(value, 1)
}

/// `value` with at most two decimals, as an SVG coordinate: `short(12.5)` is
/// "12.5", `short(10.0)` is "10".
pub fn short(value: f64) -> Decimal {
    from_float(value, 2, true)
}

fn from_float(value: f64, places: u8, trim: bool) -> Decimal {
    let value = if value.is_finite() { value } else { 0.0 };
    let magnitude = value.abs() * 10f64.powi(i32::from(places)) + 0.5;
    // `as` saturates: beyond u128 (about 3.4e38) the number is written as
    // its largest value, far outside any drawing.
    let scaled = magnitude as u128;
    Decimal {
        negative: value < 0.0 && scaled > 0,
        scaled,
        places,
        trim,
    }
}

impl Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scale = 10u128.pow(u32::from(self.places));
        let (whole, mut fraction, mut places) = (
            self.scaled / scale,
            self.scaled % scale,
            usize::from(self.places),
        );
        if self.trim {
            while places > 0 && fraction % 10 == 0 {
                fraction /= 10;
                places -= 1;
            }
        }
        if self.negative {
            f.write_char('-')?;
        }
        write!(f, "{whole}")?;
        if places > 0 {
            write!(f, ".{fraction:0places$}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_writes_every_decimal_and_rounds_halves_away_from_zero() {
        for (value, places, written) in [
            (0.5, 2, "0.50"),
            (1.0 / 3.0, 2, "0.33"),
            (2.0 / 3.0, 1, "0.7"),
            (12.0, 1, "12.0"),
            (0.04, 1, "0.0"),
            (-1.25, 1, "-1.3"),
            (-0.01, 1, "0.0"),
            (7.0, 0, "7"),
            (0.123456, 4, "0.1235"),
        ] {
            assert_eq!(
                fixed(value, places).to_string(),
                written,
                "{value} to {places}"
            );
        }
        assert_eq!(tenths(12.25).to_string(), "12.3");
        assert_eq!(tenths(10.0).to_string(), "10.0");
    }

    #[test]
    fn a_ratio_of_whole_numbers_is_rounded_exactly() {
        for (n, d, places, written) in [
            (1250, 1000, 1, "1.3"),
            (1249, 1000, 1, "1.2"),
            (15_000, 1_000_000, 2, "0.02"),
            (14_999, 1_000_000, 2, "0.01"),
            (1, 2, 2, "0.50"),
            (12_544, 1024, 1, "12.3"),
            (7, 0, 1, "7.0"),
            (u64::MAX, 1, 2, "18446744073709551615.00"),
            (3, 7, 200, "0.428571"),
        ] {
            assert_eq!(
                ratio(n, d, places).to_string(),
                written,
                "{n}/{d} to {places}"
            );
        }
    }

    #[test]
    fn short_drops_trailing_zeros_and_the_point() {
        for (value, written) in [
            (10.0, "10"),
            (12.5, "12.5"),
            (100.0 / 3.0, "33.33"),
            (0.999, "1"),
            (-4.05, "-4.05"),
            (0.0, "0"),
            (-0.0001, "0"),
        ] {
            assert_eq!(short(value).to_string(), written, "{value}");
        }
    }

    #[test]
    fn values_that_are_not_numbers_or_huge_still_write_a_number() {
        assert_eq!(short(f64::NAN).to_string(), "0");
        assert_eq!(fixed(f64::INFINITY, 2).to_string(), "0.00");
        assert_eq!(short(1.0e17).to_string(), "100000000000000000");
        assert_eq!(fixed(-2.0e16, 2).to_string(), "-20000000000000000.00");
        assert_eq!(fixed(1.0, 200).to_string(), "1.000000");
        assert!(short(1.0e300)
            .to_string()
            .starts_with("3402823669209384634633746074317682114"));
    }

    #[test]
    fn away_from_halves_it_agrees_with_the_float_formatter() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..2000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let value = (state % 2_000_000) as f64 / 997.0 - 1000.0;
            let hundredths = value.abs() * 100.0;
            if (hundredths - hundredths.floor() - 0.5).abs() < 1e-6 {
                continue;
            }
            assert_eq!(
                fixed(value, 2).to_string(),
                format!("{value:.2}"),
                "{value}"
            );
        }
    }
}
