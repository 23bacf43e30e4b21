//! Reading and printing the quantities of commands and events: kernel memory
//! sizes (`100M`), durations (`3s`), seconds, bytes and counts. Kubernetes
//! quantities (`500m`, `128Mi`) are read by `sim_core::quantity`.
//!
//! Contract: every parser returns `None` for anything it does not accept, and
//! never overflows (too-large values are `None`).

use sim_core::quantity::decimal_scaled;

/// One memory page, the unit memory limits are kept in.
pub const PAGE_SIZE: u64 = 4096;

/// A byte count as the kernel's `memparse` reads it: digits with an optional
/// binary suffix `K`, `M`, `G` or `T` (either case).
pub fn memparse(text: &str) -> Option<u64> {
    let (digits, multiplier) = match text.char_indices().last()? {
        (i, 'k' | 'K') => (&text[..i], 1u64 << 10),
        (i, 'm' | 'M') => (&text[..i], 1 << 20),
        (i, 'g' | 'G') => (&text[..i], 1 << 30),
        (i, 't' | 'T') => (&text[..i], 1 << 40),
        _ => (text, 1),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u64>().ok()?.checked_mul(multiplier)
}

/// A duration in nanoseconds: a decimal number of seconds with an optional
/// unit `s`, `m` or `h` (as `sleep` and `stress --timeout` accept).
pub fn duration_ns(text: &str) -> Option<u64> {
    let (number, unit_ns) = match text.char_indices().last()? {
        (i, 's') => (&text[..i], 1_000_000_000u64),
        (i, 'm') => (&text[..i], 60_000_000_000),
        (i, 'h') => (&text[..i], 3_600_000_000_000),
        _ => (text, 1_000_000_000),
    };
    let nanos_per_unit = decimal_scaled(number, 9)?;
    nanos_per_unit.checked_mul(unit_ns / 1_000_000_000)
}

/// `n` and `noun`, plural unless `n` is 1: `1 worker`, `2 workers`.
pub fn count(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The largest memory size a command may ask for: 1 PiB (2^50 bytes), so
/// that sums over many tasks stay far from `u64::MAX`.
pub const MAX_BYTES: u64 = 1 << 50;

/// Seconds with millisecond precision, rounded half up, e.g. `1.250 s`.
pub fn seconds(ns: u64) -> String {
    let ms = (u128::from(ns) + 500_000) / 1_000_000;
    format!("{}.{:03} s", ms / 1000, ms % 1000)
}

/// A byte count the way people say it, to a tenth of a MiB rounded half up:
/// `95.4 MiB` for 99999744 bytes; under 1 MiB, the exact bytes.
pub fn bytes(n: u64) -> String {
    if n < 1 << 20 {
        format!("{n} bytes")
    } else {
        let tenths = (u128::from(n) * 10 + (1 << 19)) >> 20;
        format!("{}.{} MiB", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memparse_reads_kernel_suffixes() {
        assert_eq!(memparse("100000000"), Some(100_000_000));
        assert_eq!(memparse("100M"), Some(100 << 20));
        assert_eq!(memparse("2g"), Some(2 << 30));
        assert_eq!(memparse("M"), None);
        assert_eq!(memparse("-1"), None);
        assert_eq!(memparse("1.5M"), None);
        assert_eq!(memparse("99999999999999T"), None);
    }

    #[test]
    fn durations() {
        assert_eq!(duration_ns("3"), Some(3_000_000_000));
        assert_eq!(duration_ns("3s"), Some(3_000_000_000));
        assert_eq!(duration_ns("0.25"), Some(250_000_000));
        assert_eq!(duration_ns("2m"), Some(120_000_000_000));
        assert_eq!(duration_ns("s"), None);
        assert_eq!(duration_ns("1x"), None);
        assert_eq!(seconds(1_250_000_000), "1.250 s");
        assert_eq!(bytes(100 << 20), "100.0 MiB");
        assert_eq!(count(1, "worker"), "1 worker");
        assert_eq!(count(0, "worker"), "0 workers");
        assert_eq!(count(2, "group"), "2 groups");
    }

    #[test]
    fn display_rounds_half_up() {
        // 99999744 B = 95.367 MiB; 1310720 B = 1.25 MiB exactly.
        assert_eq!(bytes(99_999_744), "95.4 MiB");
        assert_eq!(bytes(1_310_720), "1.3 MiB");
        assert_eq!(bytes(1_310_719), "1.2 MiB");
        assert_eq!(seconds(666_666_666), "0.667 s");
        assert_eq!(seconds(333_333_333), "0.333 s");
        assert_eq!(seconds(1_500_000), "0.002 s");
        assert_eq!(seconds(1_499_999), "0.001 s");
    }

    #[test]
    fn display_never_overflows() {
        // u64::MAX bytes = 2^64 / 2^20 MiB = 2^44 MiB (rounded up from just under).
        assert_eq!(bytes(u64::MAX), format!("{}.0 MiB", 1u64 << 44));
        assert_eq!(
            bytes(16_000_000 << 40),
            format!("{}.0 MiB", 16_000_000u64 << 20)
        );
        // u64::MAX ns = 18446744073.709551615 s.
        assert_eq!(seconds(u64::MAX), "18446744073.710 s");
    }
}
