//! Instruction-count probe for the OSS V1 hot path (the `sign_verify` bench's
//! `oss_v1/sign+check` closure, N times): run under
//! `valgrind --tool=callgrind target/release/examples/v1_probe core 1000`
//! or `perf stat -e instructions`, with N = 0 for the setup's own count.
//! Modes: `core` (sign + check), `sign`, `check`, `verify` (the report),
//! `clone` (the request clone every mode pays).

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../benches/fixtures/mod.rs"]
mod fixtures;
use sigdiff::verify::{check, verify, Verdict};
use std::hint::black_box;

fn main() {
    let (mode, n) = fixtures::probe_args();
    let f = fixtures::oss_v1();
    let (req, vopts) = (&f.req, &f.vopts);
    let sign = |r| f.sign(r);
    let signed = sign(req.clone());
    f.assert_matches(&signed.request);
    let mut hits = 0usize;
    for _ in 0..n {
        let r = black_box(req.clone());
        let ok = match mode.as_str() {
            "core" => {
                let s = sign(r);
                check(black_box(&s.request), vopts).unwrap().verdict == Verdict::Match
            }
            "sign" => !sign(r).signature.is_empty(),
            "verify" => {
                verify(black_box(&signed.request), vopts).unwrap().verdict == Verdict::Match
            }
            "check" => check(black_box(&signed.request), vopts).unwrap().verdict == Verdict::Match,
            "clone" => !r.target.is_empty(),
            m => panic!("unknown mode {m}"),
        };
        hits += ok as usize;
    }
    assert_eq!(hits, n);
}
