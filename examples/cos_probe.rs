//! Instruction-count probe for the COS hot path (cos.rs bench "cos sign + verify
//! core (header)"): run one stage N times so that
//! `valgrind --tool=callgrind target/release/examples/cos_probe MODE N` at two N
//! gives instructions per iteration (the difference over the difference in N).
//!
//! MODE: `core` (sign + `cos::lean` + signature + compare: the bench's core),
//! `sign`, `lean` (`cos::lean` + signature + compare of a signed request), `check`
//! (`verify::check` of it), `prepare` (`cos::prepare` + signature +
//! compare of a signed request), `core-prepare` (sign + that), `clone` (the
//! per-iteration request copy `core`, `sign` and `core-prepare` include).

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use sigdiff::address::{resolve, Provider};
use sigdiff::cos::{self, CosOptions, Form};
use sigdiff::input::spec::RequestSpec;
use sigdiff::secret::{ct_eq, Credentials};
use sigdiff::verify::{check, Verdict, VerifyOptions};
use sigdiff::{Request, Secret};
use std::hint::black_box;

fn typical() -> Request {
    // The cos bench's request (cos-signing.md §6 D3 shape).
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

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "core".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let req = typical();
    let addr = resolve(&req, Provider::Cos, None).unwrap();
    let creds = Credentials {
        access_key_id: "AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q".into(),
        secret: Secret::new("BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz"),
        security_token: None,
    };
    let spec = RequestSpec::default();
    let opts = CosOptions::default();
    let sign = |r: Request| {
        cos::sign(
            r,
            &addr,
            Form::Header,
            &creds,
            1_700_000_000,
            3600,
            &spec,
            &opts,
        )
        .unwrap()
    };
    let verify = |r: &Request| {
        let p = cos::prepare(r, addr.clone(), Form::Header, &opts, 1_700_000_100).unwrap();
        ct_eq(&p.signature(&creds.secret), &p.provided_signature)
    };
    let vopts = VerifyOptions {
        now: 1_700_000_100,
        secrets: vec![Secret::new("BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz")],
        ..Default::default()
    };
    let checked = |r: &Request| check(r, &vopts).unwrap().verdict == Verdict::Match;
    let lean = |r: &Request| {
        let l = cos::lean(r, Form::Header, &opts).unwrap();
        ct_eq(&l.signature(&creds.secret), &l.provided_signature)
    };
    let signed = sign(req.clone()).request;
    assert!(verify(&signed) && lean(&signed) && checked(&signed));
    let mut ok = 0usize;
    for _ in 0..n {
        match mode.as_str() {
            "core" => {
                let s = sign(black_box(req.clone()));
                ok += lean(&s.request) as usize;
            }
            "core-prepare" => {
                let s = sign(black_box(req.clone()));
                ok += verify(&s.request) as usize;
            }
            "lean" => ok += lean(black_box(&signed)) as usize,
            "check" => ok += checked(black_box(&signed)) as usize,
            "sign" => {
                ok += sign(black_box(req.clone())).signature.len();
            }
            "prepare" => ok += verify(black_box(&signed)) as usize,
            "clone" => ok += black_box(req.clone()).headers.len(),
            _ => panic!("mode: core, sign, lean, check, prepare, core-prepare or clone"),
        }
    }
    println!("{mode} {n} {ok}");
}
