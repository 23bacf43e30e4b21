//! Numbers written with a fixed number of decimals by integer arithmetic.
//! Core's float formatting (`{}` or `{:.2}` of an `f64`) costs about 13 KB
//! of wasm; the drawings need only coordinates and a few readings such as
//! "0.50 CPU", so they write every `f64` through [`Decimal`] and the
//! figures module links none of it.

use std::fmt::{self, Display, Write};

/// `value` rounded to `places` decimals (half away from zero), written with
/// them all like `{:.places$}`, or with trailing zeros dropped if `trim`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decimal {
    value: f64,
    places: u8,
    trim: bool,
}

/// `value` with exactly `places` decimals: `fixed(0.5, 2)` is "0.50".
pub fn fixed(value: f64, places: u8) -> Decimal {
    Decimal {
        value,
        places: places.min(MAX_PLACES),
        trim: false,
    }
}

/// `value` with at most two decimals, as an SVG coordinate: `short(12.5)` is
/// "12.5", `short(10.0)` is "10".
pub fn short(value: f64) -> Decimal {
    Decimal {
        value,
        places: 2,
        trim: true,
    }
}

/// More decimals than a drawing needs would overflow the scaled integer.
const MAX_PLACES: u8 = 6;
/// Beyond this magnitude the value is written as a whole number.
const LARGEST_SCALED: f64 = 9.0e15;

impl Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.value.is_finite() {
            return f.write_str("0");
        }
        let scale = 10u64.pow(u32::from(self.places));
        let magnitude = self.value.abs() * scale as f64;
        let (whole, mut fraction, mut places) = if magnitude >= LARGEST_SCALED {
            (self.value.abs() as u64, 0, 0)
        } else {
            let scaled = (magnitude + 0.5) as u64;
            (scaled / scale, scaled % scale, u32::from(self.places))
        };
        if self.trim {
            while places > 0 && fraction % 10 == 0 {
                fraction /= 10;
                places -= 1;
            }
        }
        if self.value < 0.0 && (whole > 0 || fraction > 0) {
            f.write_char('-')?;
        }
        write!(f, "{whole}")?;
        if places > 0 {
            write!(f, ".{fraction:0width$}", width = places as usize)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_keeps_every_decimal_as_the_format_precision_does() {
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
        assert_eq!(fixed(f64::INFINITY, 2).to_string(), "0");
        assert_eq!(short(1.0e17).to_string(), "100000000000000000");
        assert_eq!(fixed(-2.0e16, 2).to_string(), "-20000000000000000");
        assert_eq!(fixed(1.0, 200).to_string(), "1.000000");
    }

    #[test]
    fn it_agrees_with_the_float_formatter_away_from_ties() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..2000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let value = (state % 2_000_000) as f64 / 997.0 - 1000.0;
            let tenths = value * 100.0;
            if (tenths - tenths.floor() - 0.5).abs() < 1e-6 {
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
