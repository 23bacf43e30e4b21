//! Seeded randomness, and the identifiers drawn from it.

use rand_core::{RngCore, SeedableRng};
use rand_pcg::Pcg64Mcg;
use std::fmt::Write as _;

/// The only source of randomness a simulation may use: a PCG generator seeded
/// from the scenario's seed, never from the OS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimRng {
    inner: Pcg64Mcg,
}

impl SimRng {
    /// A generator for the world seed `seed`.
    pub fn new(seed: u64) -> Self {
        SimRng {
            inner: Pcg64Mcg::seed_from_u64(seed),
        }
    }

    /// An independent generator for one entity, derived from the world's seed
    /// and the entity's `key`, so adding an entity never shifts another's draws.
    pub fn stream(seed: u64, key: &str) -> Self {
        SimRng::new(seed ^ fnv1a(key.as_bytes()).rotate_left(17))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }

    /// A uniform integer in `0..n`; `0` when `n` is `0`.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        // Rejection sampling keeps the draw exactly uniform.
        let zone = u64::MAX - (u64::MAX % n);
        loop {
            let v = self.next_u64();
            if v < zone {
                return v % n;
            }
        }
    }
}

/// Identifiers drawn from a [`SimRng`]: the one place their bit layouts live.
pub mod ids {
    use super::*;

    /// A version-4 UUID (RFC 4122 layout: version nibble `4`, variant bits `10`),
    /// e.g. `1b4e28ba-2fa1-41d2-883f-0016d3cca427`.
    pub fn uuid_v4(rng: &mut SimRng) -> String {
        let high = (rng.next_u64() & !0xF000) | 0x4000;
        let low = (rng.next_u64() & !(0b11 << 62)) | (0b10 << 62);
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            high >> 32,
            (high >> 16) & 0xFFFF,
            high & 0xFFFF,
            low >> 48,
            low & 0xFFFF_FFFF_FFFF
        )
    }

    /// `digits` random lowercase hex digits, e.g. a 64-digit container ID.
    pub fn hex(rng: &mut SimRng, digits: usize) -> String {
        let mut out = String::with_capacity(digits + 16);
        while out.len() < digits {
            // Writing to a String cannot fail.
            let _ = write!(out, "{:016x}", rng.next_u64());
        }
        out.truncate(digits);
        out
    }
}

/// FNV-1a over bytes: the engine's stable, platform-independent digest.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = fnv::FnvHasher::default();
    h.write(bytes);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draws(seed: u64) -> Vec<u64> {
        let mut r = SimRng::new(seed);
        (0..8).map(|_| r.next_u64()).collect()
    }

    #[test]
    fn same_seed_same_draws_other_seed_other_draws() {
        assert_eq!(draws(7), draws(7));
        assert_ne!(draws(7), draws(8));
    }

    #[test]
    fn below_stays_in_range_and_streams_differ() {
        let mut r = SimRng::new(1);
        assert!((0..1000).all(|_| r.below(3) < 3));
        assert_eq!(r.below(0), 0);
        assert_ne!(
            SimRng::stream(1, "node-a").next_u64(),
            SimRng::stream(1, "node-b").next_u64()
        );
        assert_eq!(
            SimRng::stream(1, "node-a").next_u64(),
            SimRng::stream(1, "node-a").next_u64()
        );
    }

    #[test]
    fn uuids_have_the_version_4_layout() {
        let mut r = SimRng::new(3);
        for _ in 0..100 {
            let id = ids::uuid_v4(&mut r);
            let groups: Vec<&str> = id.split('-').collect();
            let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
            assert_eq!(lengths, vec![8, 4, 4, 4, 12], "{id}");
            assert!(groups[2].starts_with('4'), "{id}");
            assert!(matches!(&groups[3][..1], "8" | "9" | "a" | "b"), "{id}");
        }
    }

    #[test]
    fn hex_has_the_asked_length_and_only_hex_digits() {
        let mut r = SimRng::new(4);
        for digits in [0, 1, 12, 16, 17, 64] {
            let h = ids::hex(&mut r, digits);
            assert_eq!(h.len(), digits);
            assert!(h
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        }
        assert_ne!(ids::hex(&mut r, 64), ids::hex(&mut r, 64));
    }
}
