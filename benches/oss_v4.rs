//! Sign + verify of a typical OSS V4 request (header form, STS, one additional
//! header, a few query parameters) with the signing-key chain cached.
//! Target (issue 4): under 3 µs.
//!
//! `cargo bench --bench oss_v4 -- --warm-up-time 1 --measurement-time 3`

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};

// The same allocator the `sigdiff` binary uses (src/main.rs), as in the other
// benches (sign_verify, diagnose, fuzz): measure what ships.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
mod fixtures;
use sigdiff::secret::ct_eq;
use sigdiff::verify::{check, prepare, verify, Verdict};

fn bench(c: &mut Criterion) {
    let f = fixtures::oss_v4();
    let (req, vopts) = (&f.req, &f.vopts);
    let sign = |r| f.sign(r);
    let signed = sign(req.clone());
    f.assert_matches(&signed.request);

    // The request clone `sign` consumes is setup, not timed (as in sign_verify).
    // The library's verification: `verify::check` canonicalises the received
    // request, recomputes and compares in constant time (what decides MATCH).
    c.bench_function("oss_v4 sign+verify core (key cached)", |b| {
        b.iter_batched(
            || req.clone(),
            |r| {
                let s = sign(black_box(r));
                check(black_box(&s.request), vopts).unwrap().verdict
            },
            BatchSize::SmallInput,
        )
    });
    // The same through `prepare` (canonical request and StringToSign as named
    // fields, findings): the report's first half, and the former core figure.
    c.bench_function("oss_v4 sign+prepare+signature (key cached)", |b| {
        b.iter_batched(
            || req.clone(),
            |r| {
                let s = sign(black_box(r));
                let p = prepare(black_box(&s.request), vopts).unwrap();
                ct_eq(&p.signature(&vopts.secrets[0]), &p.provided_signature)
            },
            BatchSize::SmallInput,
        )
    });
    // The full report: field table, findings, addressing.
    c.bench_function("oss_v4 sign+verify report (key cached)", |b| {
        b.iter_batched(
            || req.clone(),
            |r| {
                let s = sign(black_box(r));
                let r = verify(black_box(&s.request), vopts).unwrap();
                debug_assert_eq!(r.verdict, Verdict::Match);
                r.verdict
            },
            BatchSize::SmallInput,
        )
    });
    c.bench_function("oss_v4 sign (key cached)", |b| {
        b.iter_batched(
            || req.clone(),
            |r| sign(black_box(r)).signature,
            BatchSize::SmallInput,
        )
    });
    c.bench_function("oss_v4 check (key cached)", |b| {
        b.iter(|| check(black_box(&signed.request), vopts).unwrap().verdict)
    });
    c.bench_function("oss_v4 verify (key cached)", |b| {
        b.iter(|| verify(black_box(&signed.request), vopts).unwrap().verdict)
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
