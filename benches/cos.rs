//! Sign + verify of a typical COS request in the library (issue target: < 2 µs).
//!
//! `cargo bench --bench cos -- --warm-up-time 1 --measurement-time 3`

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};

// The same allocator the `sigdiff` binary uses (src/main.rs), as in the other
// benches (sign_verify, diagnose, fuzz): measure what ships.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use sigdiff::address::{resolve, Provider};
use sigdiff::cos::{self, CosOptions, Form};
use sigdiff::input::spec::RequestSpec;
use sigdiff::secret::{ct_eq, Credentials};
use sigdiff::verify::{check, verify, Verdict, VerifyOptions};
use sigdiff::{Request, Secret};

fn typical() -> Request {
    // An upload as an SDK sends it (cos-signing.md §6 D3 shape).
    Request::from_url(
        "PUT",
        "https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/photos/2024/a%20b.jpg",
        vec![
            (
                "Host".into(),
                "examplebucket-1250000000.cos.ap-beijing.myqcloud.com".into(),
            ),
            ("Content-Type".into(), "image/jpeg".into()),
            ("Content-Length".into(), "13".into()),
            ("Content-MD5".into(), "mQ/fVh815F3k6TAUm8m0eg==".into()),
            ("x-cos-meta-author".into(), "Zhang San".into()),
            ("User-Agent".into(), "bench".into()),
        ],
    )
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let req = typical();
    let addr = resolve(&req, Provider::Cos, None).unwrap();
    let creds = Credentials {
        access_key_id: "AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q".into(),
        secret: Secret::new("BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz"),
        security_token: None,
    };
    let spec = RequestSpec::default();
    let opts = CosOptions::default();
    let vopts = VerifyOptions {
        now: 1_700_000_100,
        secrets: vec![Secret::new("BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz")],
        ..Default::default()
    };
    let signed = cos::sign(
        req.clone(),
        &addr,
        Form::Header,
        &creds,
        1_700_000_000,
        3600,
        &spec,
        &opts,
    )
    .unwrap();
    assert_eq!(
        verify(&signed.request, &vopts).unwrap().verdict,
        Verdict::Match
    );

    // The library core: sign, then verify = canonicalise the signed request,
    // recompute, compare in constant time (no report, no field table): `cos::lean`,
    // the COS path of the lean verdict `verify::check`.
    // `cos::sign` takes the request by value (it returns it signed): each iteration
    // gets its own copy made outside the timed section (`iter_batched`, as in
    // benches/sign_verify.rs); cloning the input is setup, not signing.
    let fresh = || req.clone();
    c.bench_function("cos sign + verify core (header)", |b| {
        b.iter_batched(
            fresh,
            |r| {
                let s = cos::sign(
                    black_box(r),
                    &addr,
                    Form::Header,
                    &creds,
                    1_700_000_000,
                    3600,
                    &spec,
                    &opts,
                )
                .unwrap();
                let l = cos::lean(&s.request, Form::Header, &opts).unwrap();
                black_box(ct_eq(&l.signature(&creds.secret), &l.provided_signature))
            },
            BatchSize::SmallInput,
        )
    });
    // The same through the public verify API, with its full report.
    c.bench_function("cos sign + verify (header)", |b| {
        b.iter_batched(
            fresh,
            |r| {
                let s = cos::sign(
                    black_box(r),
                    &addr,
                    Form::Header,
                    &creds,
                    1_700_000_000,
                    3600,
                    &spec,
                    &opts,
                )
                .unwrap();
                let r = verify(black_box(&s.request), &vopts).unwrap();
                black_box(r.verdict)
            },
            BatchSize::SmallInput,
        )
    });
    c.bench_function("cos sign (header)", |b| {
        b.iter_batched(
            fresh,
            |r| {
                cos::sign(
                    black_box(r),
                    &addr,
                    Form::Header,
                    &creds,
                    1_700_000_000,
                    3600,
                    &spec,
                    &opts,
                )
                .unwrap()
                .signature
            },
            BatchSize::SmallInput,
        )
    });
    // Verify alone, the core of the first bench: canonicalise, recompute, compare.
    c.bench_function("cos verify core (header)", |b| {
        b.iter(|| {
            let l = cos::lean(black_box(&signed.request), Form::Header, &opts).unwrap();
            black_box(ct_eq(&l.signature(&creds.secret), &l.provided_signature))
        })
    });
    // The same through the public lean verdict (scheme detection, address check).
    c.bench_function("cos check (header)", |b| {
        b.iter(|| check(black_box(&signed.request), &vopts).unwrap().verdict)
    });
    // prepare (canonicalisation with findings and field tables) + recompute + compare.
    c.bench_function("cos prepare + signature (header)", |b| {
        b.iter(|| {
            let p = cos::prepare(
                black_box(&signed.request),
                addr.clone(),
                Form::Header,
                &opts,
                1_700_000_100,
            )
            .unwrap();
            black_box(ct_eq(&p.signature(&creds.secret), &p.provided_signature))
        })
    });
    c.bench_function("cos verify (header)", |b| {
        b.iter(|| verify(black_box(&signed.request), &vopts).unwrap().verdict)
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
