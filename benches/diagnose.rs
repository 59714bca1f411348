//! The diagnosis search (issue 5 part 1): hypotheses per second against raw
//! HMAC speed, and the worst case — a signature nothing reproduces, so the whole
//! default catalogue runs, singles, pairs and triples — per scheme, on typical
//! and large requests. Budget: under 250 ms per search on one core.
//!
//! `cargo bench --bench diagnose -- --warm-up-time 1 --measurement-time 3`
//!
//! The pair/triple phase rate is (whole − singles signatures) / (whole − singles
//! time) of a typical case; it is the figure to compare with `raw/…`.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use sigdiff::diagnose::{diagnose, DiagnoseOptions};
use sigdiff::input::spec::RequestSpec;
use sigdiff::scheme::Prepared;
use sigdiff::sign::{sign_spec, SignOptions};
use sigdiff::verify::{prepare, VerifyOptions};
use sigdiff::{Request, Secret};
use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A request signed with another secret: no hypothesis reproduces it.
fn case(json: &str) -> (Request, Prepared) {
    let mut spec = RequestSpec::from_json(json).unwrap();
    spec.credentials = Some(sigdiff::input::spec::CredentialsSpec {
        access_key_id: Some("LTAI5tExampleAccessKey".into()),
        access_key_secret: Some("not-the-secret-the-server-has".into()),
        security_token: None,
    });
    let r = sign_spec(&spec, &SignOptions::default()).unwrap();
    let req =
        Request::from_url(spec.method.as_deref().unwrap_or("GET"), &r.url, r.headers).unwrap();
    let p = prepare(&req, &VerifyOptions::default()).unwrap();
    (req, p)
}

fn large_headers() -> String {
    (0..16)
        .map(|i| format!(r#",["x-oss-meta-field{i:02}","value {i} with  some text"]"#))
        .collect()
}

fn large_query() -> String {
    (0..8)
        .map(|i| format!(r#",["param{i}","v/{i} x"]"#))
        .collect()
}

fn cases() -> Vec<(&'static str, String)> {
    let lh = large_headers();
    let lq = large_query();
    vec![
        ("oss-v1 typical", r#"{"scheme":"oss-v1","method":"PUT","bucket":"examplebucket","key":"photos/2024/a b+c.jpg","endpoint":"oss-cn-hangzhou.aliyuncs.com","query":[["acl",null]],"headers":[["Content-Type","image/jpeg"],["Content-MD5","eB5eJF1ptWaXm4bijSPyxw=="],["x-oss-meta-author","alice"],["x-oss-date","Sun, 03 Dec 2023 12:12:12 GMT"]],"time":1701605532}"#.into()),
        ("oss-v1-url typical", r#"{"scheme":"oss-v1-url","method":"GET","bucket":"examplebucket","key":"a/b c.txt","endpoint":"oss-cn-hangzhou.aliyuncs.com","query":[["response-content-type","text/plain"],["versionId","v1"]],"time":1701605532}"#.into()),
        ("oss-v4 typical", r#"{"scheme":"oss-v4","method":"PUT","bucket":"examplebucket","key":"photos/2024/a b+c.jpg","endpoint":"oss-cn-hangzhou.aliyuncs.com","query":[["uploadId","0004B999"],["partNumber","1"]],"headers":[["Content-Type","image/jpeg"],["Content-MD5","eB5eJF1ptWaXm4bijSPyxw=="],["x-oss-meta-author","alice"]],"additional_headers":["host"],"time":1701605532}"#.into()),
        ("oss-v4-url typical", r#"{"scheme":"oss-v4-url","method":"GET","bucket":"examplebucket","key":"a/b c.txt","endpoint":"oss-cn-hangzhou.aliyuncs.com","query":[["response-content-type","text/plain"]],"additional_headers":["host"],"time":1701605532}"#.into()),
        ("cos typical", r#"{"scheme":"cos","method":"PUT","bucket":"examplebucket-1250000000","key":"photos/2024/a b.jpg","endpoint":"cos.ap-beijing.myqcloud.com","query":[["versionId","v1"]],"headers":[["Content-Type","image/jpeg"],["Content-Length","13"],["Content-MD5","mQ/fVh815F3k6TAUm8m0eg=="],["x-cos-meta-author","Zhang San"]],"time":1701605532}"#.into()),
        ("cos-url typical", r#"{"scheme":"cos-url","method":"GET","bucket":"examplebucket-1250000000","key":"a/b c.txt","endpoint":"cos.ap-beijing.myqcloud.com","query":[["response-content-type","text/plain"]],"time":1701605532}"#.into()),
        ("oss-v1 large", format!(r#"{{"scheme":"oss-v1","method":"PUT","bucket":"examplebucket","key":"a b+c.jpg","endpoint":"oss-cn-hangzhou.aliyuncs.com","query":[["acl",null],["uploadId","1"],["partNumber","2"]{lq}],"headers":[["Content-Type","image/jpeg; charset=utf-8"],["Content-MD5","eB5eJF1ptWaXm4bijSPyxw=="],["x-oss-date","Sun, 03 Dec 2023 12:12:12 GMT"]{lh}],"time":1701605532}}"#)),
        ("oss-v4 large", format!(r#"{{"scheme":"oss-v4","method":"PUT","bucket":"examplebucket","key":"a b+c.jpg","endpoint":"oss-cn-hangzhou.aliyuncs.com","query":[["acl",""],["uploadId","1"]{lq}],"headers":[["Content-Type","image/jpeg; charset=utf-8"],["Content-MD5","eB5eJF1ptWaXm4bijSPyxw=="]{lh}],"additional_headers":["host"],"time":1701605532}}"#)),
        ("oss-v4 huge (120 headers, 40 params)", format!(r#"{{"scheme":"oss-v4","method":"PUT","bucket":"examplebucket","key":"a b+c.jpg","endpoint":"oss-cn-hangzhou.aliyuncs.com","query":[["acl",""]{}],"headers":[["Content-Type","image/jpeg; charset=utf-8"]{}],"additional_headers":["host"],"time":1701605532}}"#,
            (0..40).map(|i| format!(r#",["p{i:02}","v/{i} x"]"#)).collect::<String>(),
            (0..120).map(|i| format!(r#",["x-oss-meta-h{i:03}","value {i}  x"]"#)).collect::<String>())),
        ("cos large", format!(r#"{{"scheme":"cos","method":"PUT","bucket":"examplebucket-1250000000","key":"a b+c.jpg","endpoint":"cos.ap-beijing.myqcloud.com","query":[["acl",""]{lq}],"headers":[["Content-Type","image/jpeg; charset=utf-8"],["Content-MD5","mQ/fVh815F3k6TAUm8m0eg=="]{}],"time":1701605532}}"#, lh.replace("x-oss-", "x-cos-"))),
    ]
}

fn bench(c: &mut Criterion) {
    let secrets = [Secret::new("the-server-secret-0123456789abcdef")];
    let opts = DiagnoseOptions::default();
    let mut g = c.benchmark_group("diagnose");
    g.sample_size(10);
    let mut text_len = (0usize, 0usize, 0usize);
    for (name, json) in cases() {
        let (req, p) = case(&json);
        let t0 = Instant::now();
        let d = diagnose(&req, &p, &secrets, &p.provided_signature, &opts);
        let once = t0.elapsed();
        assert!(d.winners.is_empty(), "{name}: nothing should reproduce");
        eprintln!(
            "{name}: {} entries, {} hypotheses, {} signatures, {} work, complete={}, one run {:.1} ms",
            d.entries,
            d.hypotheses,
            d.evaluations,
            d.work,
            d.complete,
            once.as_secs_f64() * 1e3
        );
        let l = p.stages[0].1.len();
        match name {
            "oss-v1 typical" => text_len.0 = l,
            "oss-v4 typical" => text_len.1 = l,
            "cos typical" => text_len.2 = l,
            _ => {}
        }
        g.throughput(Throughput::Elements(d.evaluations));
        g.bench_function(format!("whole search, {name}"), |b| {
            b.iter(|| diagnose(black_box(&req), &p, &secrets, &p.provided_signature, &opts))
        });
        if name.ends_with("typical") {
            // Compilation and singles only: the difference to the whole search is
            // the pair/triple phase, whose rate compares with raw HMAC speed.
            let o1 = DiagnoseOptions {
                max_combination: 1,
                ..DiagnoseOptions::default()
            };
            let d1 = diagnose(&req, &p, &secrets, &p.provided_signature, &o1);
            eprintln!(
                "{name}: combinations phase {} signatures",
                d.evaluations - d1.evaluations
            );
            g.throughput(Throughput::Elements(d1.evaluations));
            g.bench_function(format!("compile + singles, {name}"), |b| {
                b.iter(|| diagnose(black_box(&req), &p, &secrets, &p.provided_signature, &o1))
            });
        }
    }
    g.finish();

    // Raw speed on this machine, one message per element, keyed state precomputed.
    let mut g = c.benchmark_group("raw");
    g.throughput(Throughput::Elements(1));
    let v1 = vec![b'x'; text_len.0];
    let v4 = vec![b'x'; text_len.1];
    let cosm = vec![b'x'; text_len.2];
    let k1 = Hmac::<Sha1>::new_from_slice(b"the-server-secret").unwrap();
    let k256 = Hmac::<Sha256>::new_from_slice(&[7u8; 32]).unwrap();
    g.bench_function(format!("HMAC-SHA1, {} bytes (V1 text)", v1.len()), |b| {
        b.iter(|| {
            let mut m = k1.clone();
            m.update(black_box(&v1));
            m.finalize().into_bytes()
        })
    });
    g.bench_function(format!("HMAC-SHA256, {} bytes (V4 text)", v4.len()), |b| {
        b.iter(|| {
            let mut m = k256.clone();
            m.update(black_box(&v4));
            m.finalize().into_bytes()
        })
    });
    let sts = [b'x'; 17 + 17 + 45 + 64];
    g.bench_function(
        format!(
            "V4 signature: SHA256 {} bytes + HMAC-SHA256 {} bytes",
            v4.len(),
            sts.len()
        ),
        |b| {
            b.iter(|| {
                let d = Sha256::digest(black_box(&v4));
                let mut m = k256.clone();
                m.update(&sts[..sts.len() - 32]);
                m.update(&d);
                m.finalize().into_bytes()
            })
        },
    );
    let cos_sts = [b'x'; 5 + 22 + 41];
    g.bench_function(
        format!(
            "COS signature: SHA1 {} bytes + HMAC-SHA1 {} bytes",
            cosm.len(),
            cos_sts.len()
        ),
        |b| {
            b.iter(|| {
                let d = Sha1::digest(black_box(&cosm));
                let mut m = k1.clone();
                m.update(&cos_sts);
                m.update(&d);
                m.finalize().into_bytes()
            })
        },
    );
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
