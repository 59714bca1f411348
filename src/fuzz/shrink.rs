//! Shrink a mismatching case to a minimal request (issue 7 §3) with proptest's
//! value trees over the strategies of [`crate::strategy`]: simplify while the
//! signer still disagrees in the same way, complicate back when it does not.

use super::cases::Cases;
use super::compare::{compare, Mismatch, Outcome};
use super::harness::{FuzzOptions, SignerProcess};
use super::report::SignerFailure;
use crate::input::spec::RequestSpec;
use crate::sign::{sign_spec, SignOptions};

/// A shrunk mismatch.
#[derive(Debug, Clone)]
pub struct Shrunk {
    /// The minimal request.
    pub spec: RequestSpec,
    /// Its mismatch.
    pub mismatch: Mismatch,
    /// Candidates tried.
    pub steps: u32,
}

/// The code a shrunk case must keep: the first named pattern, else the first code.
pub fn key_code<'a>(kind: &[&'a str]) -> Option<&'a str> {
    kind.iter()
        .copied()
        .find(|c| !matches!(*c, "SIG600" | "SIG607"))
        .or_else(|| kind.first().copied())
}

/// Shrink case `k` (whose mismatch is of `kind`). `Ok(None)`: the case no
/// longer mismatches when sent alone (the signer is not deterministic).
pub fn shrink(
    signer: &mut SignerProcess,
    cases: &Cases,
    k: u64,
    kind: &[&'static str],
    opts: &FuzzOptions,
) -> Result<Option<Shrunk>, SignerFailure> {
    let want = key_code(kind);
    let (scheme, mut tree) = cases.tree(k);
    let sign_opts = SignOptions::default();
    let mut steps = 0u32;
    let check = |signer: &mut SignerProcess,
                 spec: &RequestSpec|
     -> Result<Option<Mismatch>, SignerFailure> {
        let Ok(ours) = sign_spec(spec, &sign_opts) else {
            return Ok(None);
        };
        let reply = signer.exchange(spec, opts.timeout)?;
        match compare(scheme, spec, &ours, &reply) {
            Ok(Outcome::Mismatch(m)) if want.is_none_or(|w| m.kind().contains(&w)) => Ok(Some(*m)),
            _ => Ok(None),
        }
    };
    let first = tree.current();
    let Some(mut best) = check(signer, &first)?.map(|m| (first, m)) else {
        return Ok(None);
    };
    if tree.simplify() {
        while steps < opts.max_shrink_steps {
            steps += 1;
            let candidate = tree.current();
            if let Some(m) = check(signer, &candidate)? {
                best = (candidate, m);
                if !tree.simplify() {
                    break;
                }
            } else if !tree.complicate() {
                break;
            }
        }
    }
    Ok(Some(Shrunk {
        spec: best.0,
        mismatch: best.1,
        steps,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_code_prefers_a_named_pattern() {
        assert_eq!(key_code(&["SIG600", "SIG610"]), Some("SIG610"));
        assert_eq!(key_code(&["SIG600", "SIG607"]), Some("SIG600"));
        assert_eq!(key_code(&[]), None);
    }
}
