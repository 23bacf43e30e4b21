//! Wall-clock timestamps for log lines, from the virtual clock.
//!
//! Contract: a [`Timestamp`] is UTC seconds since the Unix epoch plus
//! nanoseconds. It formats as RFC 3339 with nanoseconds the way Go's
//! `time.RFC3339Nano` does (trailing zeros of the fraction dropped, no fraction
//! when it is zero, `Z` for UTC), as the kubelet's rotation suffix
//! `YYYYMMDD-hhmmss`, and as `date`'s default output. Parsing accepts RFC 3339
//! with an optional 1-9 digit fraction and `Z` or a `±hh:mm` offset, years
//! 0000-9999. No OS clock and no date crate: the civil-calendar arithmetic is
//! the proleptic Gregorian calendar done by hand.

use serde::{Deserialize, Serialize};
use sim_core::SimTime;
use std::fmt;

const NANOS_PER_SEC: u64 = 1_000_000_000;
const SECS_PER_DAY: i64 = 86_400;
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];

/// A UTC instant with nanosecond precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp {
    /// Whole seconds since 1970-01-01T00:00:00Z (negative before it).
    pub unix_secs: i64,
    /// Nanoseconds within the second, `0..1_000_000_000`.
    pub nanos: u32,
}

/// The broken-down UTC calendar fields of a [`Timestamp`].
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    weekday: usize,
}

impl Timestamp {
    /// This instant moved forward by the virtual time `elapsed` (saturating).
    pub fn plus(self, elapsed: SimTime) -> Timestamp {
        let total = u64::from(self.nanos) + elapsed.as_nanos() % NANOS_PER_SEC;
        let secs = i64::try_from(elapsed.as_nanos() / NANOS_PER_SEC + total / NANOS_PER_SEC)
            .unwrap_or(i64::MAX);
        Timestamp {
            unix_secs: self.unix_secs.saturating_add(secs),
            nanos: (total % NANOS_PER_SEC) as u32,
        }
    }

    fn civil(self) -> Civil {
        let days = self.unix_secs.div_euclid(SECS_PER_DAY);
        let secs_of_day = self.unix_secs.rem_euclid(SECS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: (secs_of_day / 3600) as u32,
            minute: (secs_of_day / 60 % 60) as u32,
            second: (secs_of_day % 60) as u32,
            weekday: days.rem_euclid(7) as usize,
        }
    }

    /// RFC 3339 with nanoseconds, as Go's `time.RFC3339Nano` prints UTC times,
    /// e.g. `2016-10-06T00:17:09.669794202Z` or `2016-10-06T00:17:10Z`.
    pub fn rfc3339_nano(self) -> String {
        let c = self.civil();
        let mut out = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        );
        if self.nanos > 0 {
            let fraction = format!("{:09}", self.nanos);
            out.push('.');
            out.push_str(fraction.trim_end_matches('0'));
        }
        out.push('Z');
        out
    }

    /// The kubelet's rotation suffix, Go layout `20060102-150405`.
    pub fn rotation_suffix(self) -> String {
        let c = self.civil();
        format!(
            "{:04}{:02}{:02}-{:02}{:02}{:02}",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        )
    }

    /// What `date` prints in a UTC container, e.g. `Thu Oct  6 00:17:09 UTC 2016`.
    pub fn date_command(self) -> String {
        let c = self.civil();
        let weekday = WEEKDAYS.get(c.weekday).copied().unwrap_or("???");
        let month = MONTHS
            .get(c.month.saturating_sub(1) as usize)
            .copied()
            .unwrap_or("???");
        format!(
            "{weekday} {month} {:>2} {:02}:{:02}:{:02} UTC {}",
            c.day, c.hour, c.minute, c.second, c.year
        )
    }

    /// Parses an RFC 3339 timestamp; the error says what was expected.
    pub fn parse_rfc3339(text: &str) -> Result<Timestamp, String> {
        let expected = "expected an RFC 3339 time like `2016-10-06T00:17:09.669794202Z` (YYYY-MM-DDThh:mm:ss, optional .fraction of 1-9 digits, then `Z` or ±hh:mm)";
        let bytes = text.as_bytes();
        let digits = |from: usize, len: usize| -> Option<i64> {
            let part = bytes.get(from..from + len)?;
            if part.iter().all(u8::is_ascii_digit) {
                Some(part.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
            } else {
                None
            }
        };
        let at = |i: usize, c: u8| bytes.get(i) == Some(&c);
        let fields = (|| {
            if !(at(4, b'-') && at(7, b'-') && at(10, b'T') && at(13, b':') && at(16, b':')) {
                return None;
            }
            Some((
                digits(0, 4)?,
                digits(5, 2)?,
                digits(8, 2)?,
                digits(11, 2)?,
                digits(14, 2)?,
                digits(17, 2)?,
            ))
        })();
        let Some((year, month, day, hour, minute, second)) = fields else {
            return Err(format!("`{text}` is not a time: {expected}"));
        };
        let mut pos = 19;
        let mut nanos: u32 = 0;
        if at(pos, b'.') {
            let frac: Vec<u8> = bytes
                .get(pos + 1..)
                .unwrap_or_default()
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .copied()
                .collect();
            if frac.is_empty() || frac.len() > 9 {
                return Err(format!(
                    "`{text}` has a fraction of {} digits: {expected}",
                    frac.len()
                ));
            }
            for i in 0..9 {
                nanos = nanos * 10 + frac.get(i).map_or(0, |d| u32::from(d - b'0'));
            }
            pos += 1 + frac.len();
        }
        let offset_secs = match bytes.get(pos..) {
            Some(b"Z") => 0,
            Some([sign @ (b'+' | b'-'), ..]) if bytes.len() == pos + 6 && at(pos + 3, b':') => {
                let (Some(h), Some(m)) = (digits(pos + 1, 2), digits(pos + 4, 2)) else {
                    return Err(format!("`{text}` has a bad offset: {expected}"));
                };
                if h > 23 || m > 59 {
                    return Err(format!("`{text}` has an offset out of range: {expected}"));
                }
                let secs = h * 3600 + m * 60;
                if *sign == b'+' {
                    secs
                } else {
                    -secs
                }
            }
            _ => {
                return Err(format!(
                    "`{text}` lacks a zone or has extra text: {expected}"
                ))
            }
        };
        if !(1..=12).contains(&month) {
            return Err(format!("`{text}` has month {month}: expected 01-12"));
        }
        let month_days = days_in_month(year, month as u32);
        if day < 1 || day > i64::from(month_days) {
            return Err(format!(
                "`{text}` has day {day}: expected 01-{month_days:02} for that month"
            ));
        }
        if hour > 23 || minute > 59 || second > 59 {
            return Err(format!(
                "`{text}` has time of day {hour:02}:{minute:02}:{second:02}: expected 00:00:00-23:59:59"
            ));
        }
        let days = days_from_civil(year, month as u32, day as u32);
        Ok(Timestamp {
            unix_secs: days * SECS_PER_DAY + hour * 3600 + minute * 60 + second - offset_secs,
            nanos,
        })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rfc3339_nano())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.rfc3339_nano())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Timestamp::parse_rfc3339(&text).map_err(serde::de::Error::custom)
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (era-based method).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y.rem_euclid(400);
    let shifted_month = i64::from((month + 9) % 12);
    let day_of_year = (153 * shifted_month + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of `days` since 1970-01-01, inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ts(text: &str) -> Timestamp {
        Timestamp::parse_rfc3339(text).unwrap()
    }

    #[test]
    fn known_instants_format_like_go() {
        let t = ts("2016-10-06T00:17:09.669794202Z");
        assert_eq!(t.unix_secs, 1_475_713_029);
        assert_eq!(t.nanos, 669_794_202);
        assert_eq!(t.rfc3339_nano(), "2016-10-06T00:17:09.669794202Z");
        assert_eq!(t.rotation_suffix(), "20161006-001709");
        assert_eq!(t.date_command(), "Thu Oct  6 00:17:09 UTC 2016");
        assert_eq!(ts("1970-01-01T00:00:00Z").unix_secs, 0);
        assert_eq!(
            ts("2016-10-06T00:17:09.5Z").rfc3339_nano(),
            "2016-10-06T00:17:09.5Z"
        );
        assert_eq!(
            ts("2016-10-06T02:17:09+02:00").rfc3339_nano(),
            "2016-10-06T00:17:09Z"
        );
        assert_eq!(
            ts("2000-02-29T23:59:59Z")
                .plus(SimTime::from_secs(1))
                .rfc3339_nano(),
            "2000-03-01T00:00:00Z"
        );
    }

    #[test]
    fn bad_times_say_what_is_wrong() {
        for (text, says) in [
            ("2016-10-06 00:17:09Z", "not a time"),
            ("2016-13-06T00:17:09Z", "month 13"),
            ("2015-02-29T00:17:09Z", "day 29"),
            ("2016-10-06T24:17:09Z", "time of day"),
            ("2016-10-06T00:17:09", "zone"),
            ("2016-10-06T00:17:09.Z", "fraction of 0 digits"),
            ("2016-10-06T00:17:09.1234567890Z", "fraction of 10 digits"),
        ] {
            let e = Timestamp::parse_rfc3339(text).unwrap_err();
            assert!(e.contains(says), "{text}: {e}");
        }
    }

    proptest! {
        #[test]
        fn format_then_parse_is_identity(secs in -62_135_596_800i64..253_402_300_799, nanos in 0u32..1_000_000_000) {
            let t = Timestamp { unix_secs: secs, nanos };
            prop_assert_eq!(Timestamp::parse_rfc3339(&t.rfc3339_nano()), Ok(t));
        }
    }
}
