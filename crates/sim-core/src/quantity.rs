//! Kubernetes resource quantities (`250m`, `1.5`, `128Mi`, `10M`), the one
//! parser every simulator uses.
//!
//! Contract: each parser returns `None` for anything it does not accept and
//! never overflows (too-large values are `None`).

/// A CPU quantity in milliCPU: `250m`, `2`, `1.5` (extra decimals truncate).
pub fn milli_cpu(text: &str) -> Option<u64> {
    if let Some(milli) = text.strip_suffix('m') {
        return digits_only(milli)?.parse().ok();
    }
    decimal_scaled(text, 3)
}

/// A byte quantity: whole digits with an optional suffix `Ki`, `Mi`, `Gi`,
/// `Ti` (binary) or `k`, `M`, `G`, `T` (decimal): `128Mi`, `100M`, `1000`.
pub fn bytes(text: &str) -> Option<u64> {
    const SUFFIXES: [(&str, u64); 8] = [
        ("Ki", 1 << 10),
        ("Mi", 1 << 20),
        ("Gi", 1 << 30),
        ("Ti", 1 << 40),
        ("k", 1_000),
        ("M", 1_000_000),
        ("G", 1_000_000_000),
        ("T", 1_000_000_000_000),
    ];
    for (suffix, multiplier) in SUFFIXES {
        if let Some(number) = text.strip_suffix(suffix) {
            return digits_only(number)?
                .parse::<u64>()
                .ok()?
                .checked_mul(multiplier);
        }
    }
    digits_only(text)?.parse().ok()
}

/// A non-negative decimal `12.345` times `10^places`, truncating extra digits.
pub fn decimal_scaled(text: &str, places: u32) -> Option<u64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let whole_value: u64 = if whole.is_empty() {
        0
    } else {
        digits_only(whole)?.parse().ok()?
    };
    if !fraction.is_empty() {
        digits_only(fraction)?;
    }
    let mut fraction_value = 0u64;
    for place in 0..places as usize {
        let digit = fraction
            .as_bytes()
            .get(place)
            .map_or(0, |b| u64::from(b - b'0'));
        fraction_value = fraction_value * 10 + digit;
    }
    whole_value
        .checked_mul(10u64.checked_pow(places)?)?
        .checked_add(fraction_value)
}

/// `text` if it is a non-empty run of ASCII digits.
fn digits_only(text: &str) -> Option<&str> {
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_quantities() {
        assert_eq!(milli_cpu("250m"), Some(250));
        assert_eq!(milli_cpu("2"), Some(2000));
        assert_eq!(milli_cpu("1.5"), Some(1500));
        assert_eq!(milli_cpu("0.0005"), Some(0));
        assert_eq!(milli_cpu(".5"), Some(500));
        assert_eq!(milli_cpu("1.2345"), Some(1234), "extra decimals truncate");
        for bad in ["", "m", "1.5m", "-1", "1e3", ".", "x"] {
            assert_eq!(milli_cpu(bad), None, "{bad}");
        }
    }

    #[test]
    fn byte_quantities() {
        assert_eq!(bytes("10Mi"), Some(10 << 20));
        assert_eq!(bytes("100M"), Some(100_000_000));
        assert_eq!(bytes("1Ti"), Some(1 << 40));
        assert_eq!(bytes("512"), Some(512));
        for bad in [
            "10MB",
            "ten",
            "",
            "-1Ki",
            "1.5Mi",
            "Mi",
            "99999999999Ti",
            "12Q",
        ] {
            assert_eq!(bytes(bad), None, "{bad}");
        }
    }
}
