//! Sign and verify of a typical OSS V1 request in the library (issue 2 target:
//! sign + verify under 2 µs), the lean verdict `verify::check`, and the JSON-spec
//! path `sign --jsonl` uses.
//!
//! Run: `cargo bench --bench sign_verify -- --warm-up-time 1 --measurement-time 3`

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};

// The same allocator the `sigdiff` binary uses (src/main.rs): measure what ships.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use sigdiff::address::{resolve, Provider};
use sigdiff::input::spec::RequestSpec;
use sigdiff::oss::v1::{self, V1Options};
use sigdiff::secret::{Credentials, Secret};
use sigdiff::sign::{sign_spec, SignOptions};
use sigdiff::verify::{check, verify, Verdict, VerifyOptions};
use sigdiff::Request;

fn typical() -> Request {
    Request::from_url(
        "PUT",
        "https://examplebucket.oss-cn-hangzhou.aliyuncs.com/photos/2024/a%20b.jpg?partNumber=1&uploadId=0004B9894A22E5B1888A1E29F823",
        vec![
            ("Content-Type".into(), "image/jpeg".into()),
            ("Content-MD5".into(), "eB5eJF1ptWaXm4bijSPyxw==".into()),
            ("Date".into(), "Wed, 28 Dec 2022 10:27:41 GMT".into()),
            ("x-oss-meta-author".into(), "alice".into()),
            ("x-oss-storage-class".into(), "Standard".into()),
        ],
    )
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let creds = Credentials {
        access_key_id: "ak".into(),
        secret: Secret::new("OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV"),
        security_token: None,
    };
    let opts = V1Options::default();
    let req = typical();
    let addr = resolve(&req, Provider::Oss, None).unwrap();
    // The typical request signed in the header form at the fixed instant.
    let sign =
        |r: Request| v1::sign(r, &addr, v1::Form::Header, &creds, 1672223261, 3600, &opts).unwrap();
    let signed = sign(req.clone());
    let vopts = VerifyOptions {
        now: 1672223261,
        secrets: vec![Secret::new("OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV")],
        ..Default::default()
    };
    assert_eq!(
        verify(&signed.request, &vopts).unwrap().verdict,
        Verdict::Match
    );
    // The lean verdict (verify::check): canonicalise, HMAC, constant-time compare.
    assert_eq!(
        check(&signed.request, &vopts).unwrap().verdict,
        Verdict::Match
    );

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
                let v = check(&s.request, &vopts).unwrap();
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
