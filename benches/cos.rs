//! Sign + verify of a typical COS request in the library (issue target: < 2 µs).
//!
//! `cargo bench --bench cos -- --warm-up-time 1 --measurement-time 3`

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};

// The same allocator the `sigdiff` binary uses (src/main.rs), as in the other
// benches (sign_verify, diagnose, fuzz): measure what ships.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
mod fixtures;
use sigdiff::verify::{check, verify};

fn bench(c: &mut Criterion) {
    let f = fixtures::cos();
    let signed = f.sign(f.req.clone());
    f.assert_matches(&signed.request);
    assert!(f.lean_ok(&signed.request) && f.prepare_ok(&signed.request));

    // The library core: sign, then verify = canonicalise the signed request,
    // recompute, compare in constant time (no report, no field table): `cos::lean`,
    // the COS path of the lean verdict `verify::check`.
    // `cos::sign` takes the request by value (it returns it signed): each iteration
    // gets its own copy made outside the timed section (`iter_batched`, as in
    // benches/sign_verify.rs); cloning the input is setup, not signing.
    let fresh = || f.req.clone();
    c.bench_function("cos sign + verify core (header)", |b| {
        b.iter_batched(
            fresh,
            |r| black_box(f.lean_ok(&f.sign(black_box(r)).request)),
            BatchSize::SmallInput,
        )
    });
    // The headline (issue 3's target): sign, then the public lean verdict
    // `verify::check` (scheme detection, address check, `cos::lean`, recompute,
    // constant-time compare).
    c.bench_function("cos sign + check (header)", |b| {
        b.iter_batched(
            fresh,
            |r| {
                let s = f.sign(black_box(r));
                black_box(check(black_box(&s.request), &f.vopts).unwrap().verdict)
            },
            BatchSize::SmallInput,
        )
    });
    // The same through the public verify API, with its full report.
    c.bench_function("cos sign + verify (header)", |b| {
        b.iter_batched(
            fresh,
            |r| {
                let s = f.sign(black_box(r));
                black_box(verify(black_box(&s.request), &f.vopts).unwrap().verdict)
            },
            BatchSize::SmallInput,
        )
    });
    c.bench_function("cos sign (header)", |b| {
        b.iter_batched(
            fresh,
            |r| f.sign(black_box(r)).signature,
            BatchSize::SmallInput,
        )
    });
    // Verify alone, the core of the first bench: canonicalise, recompute, compare.
    c.bench_function("cos verify core (header)", |b| {
        b.iter(|| black_box(f.lean_ok(black_box(&signed.request))))
    });
    // The same through the public lean verdict (scheme detection, address check).
    c.bench_function("cos check (header)", |b| {
        b.iter(|| check(black_box(&signed.request), &f.vopts).unwrap().verdict)
    });
    // prepare (canonicalisation with findings and field tables) + recompute + compare.
    c.bench_function("cos prepare + signature (header)", |b| {
        b.iter(|| black_box(f.prepare_ok(black_box(&signed.request))))
    });
    c.bench_function("cos verify (header)", |b| {
        b.iter(|| {
            verify(black_box(&signed.request), &f.vopts)
                .unwrap()
                .verdict
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
