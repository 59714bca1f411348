//! Instruction-count probe for the COS hot path (cos.rs bench "cos sign + verify
//! core (header)"): run one stage N times so that
//! `valgrind --tool=callgrind target/release/examples/cos_probe MODE N` at two N
//! gives instructions per iteration (the difference over the difference in N).
//!
//! MODE: `sign-check` (sign + `verify::check`: the headline bench "cos sign +
//! check (header)"), `core` (sign + `cos::lean` + signature + compare),
//! `sign`, `lean` (`cos::lean` + signature + compare of a signed request), `check`
//! (`verify::check` of it), `prepare` (`cos::prepare` + signature +
//! compare of a signed request), `core-prepare` (sign + that), `clone` (the
//! per-iteration request copy `sign-check`, `core`, `sign` and `core-prepare` include),
//! `encode` (the request's header values through the COS/V4 value encoder, as
//! each side of `sign-check` encodes them).

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
#[path = "../benches/fixtures/mod.rs"]
mod fixtures;
use sigdiff::verify::{check, Verdict};
use std::hint::black_box;

fn main() {
    let (mode, n) = fixtures::probe_args();
    let f = fixtures::cos();
    let signed = f.sign(f.req.clone()).request;
    assert!(f.prepare_ok(&signed) && f.lean_ok(&signed));
    f.assert_matches(&signed);
    let mut ok = 0usize;
    let mut text = String::new();
    for _ in 0..n {
        match mode.as_str() {
            "core" => {
                let s = f.sign(black_box(f.req.clone()));
                ok += f.lean_ok(&s.request) as usize;
            }
            "sign-check" => {
                let s = f.sign(black_box(f.req.clone()));
                ok += (check(&s.request, &f.vopts).unwrap().verdict == Verdict::Match) as usize;
            }
            "core-prepare" => {
                let s = f.sign(black_box(f.req.clone()));
                ok += f.prepare_ok(&s.request) as usize;
            }
            "lean" => ok += f.lean_ok(black_box(&signed)) as usize,
            "check" => {
                ok += (check(black_box(&signed), &f.vopts).unwrap().verdict == Verdict::Match)
                    as usize
            }
            "sign" => {
                ok += f.sign(black_box(f.req.clone())).signature.len();
            }
            "prepare" => ok += f.prepare_ok(black_box(&signed)) as usize,
            "clone" => ok += black_box(f.req.clone()).headers.len(),
            "encode" => {
                text.clear();
                for (_, v) in &black_box(&f.req).headers {
                    sigdiff::encode::encode_into(&mut text, v);
                }
                ok += text.len();
            }
            _ => {
                panic!("mode: sign-check, core, sign, lean, check, prepare, core-prepare, clone or encode")
            }
        }
    }
    println!("{mode} {n} {ok}");
}
