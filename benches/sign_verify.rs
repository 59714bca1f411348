//! Sign and verify of a typical OSS V1 request in the library (issue 2 target:
//! sign + verify under 2 µs), the lean verdict `verify::check`, and the JSON-spec
//! path `sign --jsonl` uses.
//!
//! Run: `cargo bench --bench sign_verify -- --warm-up-time 1 --measurement-time 3`

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};

// The same allocator the `sigdiff` binary uses (src/main.rs): measure what ships.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
mod fixtures;
use sigdiff::input::spec::RequestSpec;
use sigdiff::sign::{sign_spec, SignOptions};
use sigdiff::verify::{check, verify};
use sigdiff::Request;

fn bench(c: &mut Criterion) {
    // The typical request, credentials and options (benches/fixtures, shared with
    // examples/v1_probe.rs).
    let f = fixtures::oss_v1();
    let req = f.req.clone();
    let vopts = f.vopts.clone();
    // The typical request signed in the header form at the fixed instant.
    let sign = |r: Request| f.sign(r);
    let signed = sign(req.clone());
    // Through the report and the lean verdict (verify::check: canonicalise, HMAC,
    // constant-time compare).
    f.assert_matches(&signed.request);

    // `v1::sign` takes the request by value (it returns it signed): each iteration
    // gets its own copy, made outside the timed section (`iter_batched`), and the
    // result is dropped outside it too. Cloning the input is not part of signing.
    let fresh = || req.clone();
    c.bench_function("oss_v1/sign", |b| {
        b.iter_batched(fresh, |r| sign(black_box(r)), BatchSize::SmallInput)
    });
    c.bench_function("oss_v1/verify", |b| {
        b.iter(|| verify(black_box(&signed.request), &vopts).unwrap())
    });
    c.bench_function("oss_v1/check", |b| {
        b.iter(|| check(black_box(&signed.request), &vopts).unwrap())
    });
    c.bench_function("oss_v1/sign+verify", |b| {
        b.iter_batched(
            fresh,
            |r| {
                let s = sign(black_box(r));
                let v = verify(&s.request, &vopts).unwrap();
                (s, v)
            },
            BatchSize::SmallInput,
        )
    });
    c.bench_function("oss_v1/sign+check", |b| {
        b.iter_batched(
            fresh,
            |r| {
                let s = sign(black_box(r));
                // V1's verdict owns its texts (`into_owned` moves them): returned
                // with the signed request, both dropped after the timed section.
                let v = check(&s.request, &vopts).unwrap().into_owned();
                (s, v)
            },
            BatchSize::SmallInput,
        )
    });
    let line = r#"{"id":1,"scheme":"oss-v1","method":"PUT","bucket":"examplebucket","key":"photos/2024/a b.jpg","endpoint":"oss-cn-hangzhou.aliyuncs.com","query":[["partNumber","1"],["uploadId","0004B9894A22E5B1888A1E29F823"]],"headers":[["Content-Type","image/jpeg"],["x-oss-meta-author","alice"]],"time":1672223261,"credentials":{"access_key_id":"ak","access_key_secret":"sk"}}"#;
    let so = SignOptions::default();
    c.bench_function("oss_v1/jsonl_line (parse+sign+serialise)", |b| {
        b.iter(|| {
            let spec = RequestSpec::from_json(black_box(line)).unwrap();
            serde_json::to_string(&sign_spec(&spec, &so).unwrap()).unwrap()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
