//! Instruction-count probe for the OSS V4 hot path (the `oss_v4` bench's
//! "sign+verify core" closure, N times): run under
//! `valgrind --tool=callgrind target/release/examples/v4_probe core 1000`
//! or `perf stat -e instructions`, with N = 0 for the setup's own count.
//! Modes: `core` (sign + check), `prepare` (sign + prepare + signature), `sign`,
//! `verify` (the report), `check`, `clone` (the
//! request clone every mode pays).

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../benches/fixtures/mod.rs"]
mod fixtures;
use sigdiff::secret::ct_eq;
use sigdiff::verify::{check, prepare, verify, Verdict};
use std::hint::black_box;

fn main() {
    let (mode, n) = fixtures::probe_args();
    let f = fixtures::oss_v4();
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
            "prepare" => {
                let s = sign(r);
                let p = prepare(black_box(&s.request), vopts).unwrap();
                ct_eq(&p.signature(&vopts.secrets[0]), &p.provided_signature)
            }
            "sign" => !sign(r).signature.is_empty(),
            "verify" => {
                verify(black_box(&signed.request), vopts).unwrap().verdict == Verdict::Match
            }
            "check" => check(black_box(&signed.request), vopts).unwrap().verdict == Verdict::Match,
            "clone" => !r.target.is_empty(),
            // The crypto floor: 20 SHA-256 blocks (two canonical-request hashes and
            // two cached-key HMACs of a StringToSign need about that many).
            "sha20" => {
                use sha2::Digest;
                sha2::Sha256::digest(black_box(&[7u8; 1207][..]))[0] != 1 || !r.target.is_empty()
            }
            m => panic!("unknown mode {m}"),
        };
        hits += ok as usize;
    }
    assert_eq!(hits, n);
}
