//! Reproducible cases: case `k` of seed `s` is the same request on every
//! machine, whatever the shard count, so a CI matrix can split a run
//! (`--shard i/n`: case k goes to shard k mod n) and a report can name a case.
//! Generation and shrinking use the public strategies of [`crate::strategy`].

use crate::input::spec::RequestSpec;
use crate::scheme::SchemeId;
use proptest::strategy::ValueTree;
use proptest::test_runner::{RngAlgorithm, TestRng};

/// SplitMix64: one well-mixed 64-bit value per input.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The generator of one run: the schemes under test and the seed.
pub struct Cases {
    seed: u64,
    schemes: Vec<SchemeId>,
}

impl Cases {
    /// Cases over `schemes` (not empty) from `seed`.
    pub fn new(seed: u64, schemes: &[SchemeId]) -> Cases {
        assert!(!schemes.is_empty(), "at least one scheme");
        Cases {
            seed,
            schemes: schemes.to_vec(),
        }
    }

    /// Case `k`'s scheme.
    pub fn scheme(&self, k: u64) -> SchemeId {
        let i = mix(self.seed ^ mix(k)) % self.schemes.len() as u64;
        self.schemes[i as usize]
    }

    /// Case `k`'s value tree (current value = the case; simplify / complicate to
    /// shrink). Only a mismatching case needs one: the tree is built on demand from
    /// the case drawn again.
    pub fn tree(&self, k: u64) -> (SchemeId, Box<dyn ValueTree<Value = RequestSpec>>) {
        let (scheme, spec) = self.case(k);
        (scheme, Box::new(crate::strategy::shrinking(spec)))
    }

    /// Case `k`: its scheme and request, drawn by [`crate::strategy::draw_spec`]
    /// (what [`crate::strategy::spec`] draws) from an RNG seeded by the seed and `k`
    /// alone.
    pub fn case(&self, k: u64) -> (SchemeId, RequestSpec) {
        let scheme = self.scheme(k);
        let mut bytes = [0u8; 16];
        for (j, chunk) in bytes.chunks_mut(8).enumerate() {
            chunk.copy_from_slice(
                &mix(self.seed.wrapping_add(j as u64) ^ mix(k ^ 0xF00D)).to_le_bytes(),
            );
        }
        let mut rng = TestRng::from_seed(RngAlgorithm::XorShift, &bytes);
        (scheme, crate::strategy::draw_spec(scheme, &mut rng))
    }
}

/// `i/n` → (i, n), with 0 ≤ i < n.
pub fn parse_shard(text: &str) -> crate::error::Result<(u64, u64)> {
    let bad = || {
        crate::InputError::new(
            "usage",
            format!("--shard `{text}`: expected i/n with 0 <= i < n (e.g. 0/4)"),
        )
    };
    let (i, n) = text.split_once('/').ok_or_else(bad)?;
    let (i, n): (u64, u64) = (
        i.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if n == 0 || i >= n {
        return Err(bad());
    }
    Ok((i, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_are_reproducible_and_independent_of_order() {
        let schemes = [SchemeId::OssV1, SchemeId::Cos];
        let a = Cases::new(7, &schemes);
        let b = Cases::new(7, &schemes);
        let ser =
            |(s, x): (SchemeId, RequestSpec)| format!("{s} {}", serde_json::to_string(&x).unwrap());
        // Case 5 is case 5, drawn first or after others.
        let b5 = ser(b.case(5));
        for k in 0..5 {
            let _ = a.case(k);
        }
        assert_eq!(ser(a.case(5)), b5);
        assert_ne!(ser(a.case(5)), ser(a.case(6)));
        assert_ne!(ser(Cases::new(8, &schemes).case(5)), b5);
        // Both schemes occur.
        let seen: std::collections::HashSet<SchemeId> = (0..40).map(|k| a.scheme(k)).collect();
        assert_eq!(seen.len(), 2);
        assert_eq!(a.case(9).0, a.scheme(9));
    }

    #[test]
    fn shards() {
        assert_eq!(parse_shard("1/4").unwrap(), (1, 4));
        for bad in ["4/4", "1", "a/b", "0/0", "-1/2"] {
            assert_eq!(parse_shard(bad).unwrap_err().code(), "usage", "{bad}");
        }
    }
}
