//! What the fuzz harness adds per case on top of the signer (issue 7 target:
//! under 10 µs): draw the case from the strategies, sign it with sigdiff (the
//! answer only: `sign_answer`), write the request line, read the answer line and
//! compare (the borrowed `ReplyRef` against it: the path of every agreeing case;
//! the full reply and result are made only for an answer that differs). The signer's own work and
//! the pipe are not in here; `sigdiff fuzz --signer "sigdiff sign --protocol"`
//! measures the whole loop (see the README). The `sign --protocol:` benches are
//! that reference signer's side of the loop, per request line.
//!
//! Run: `cargo bench --bench fuzz -- --warm-up-time 1 --measurement-time 3`

use criterion::{black_box, criterion_group, criterion_main, Criterion};

// The same allocator the `sigdiff` binary uses (src/main.rs): measure what ships.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use sigdiff::fuzz::cases::Cases;
use sigdiff::fuzz::compare::{agrees_fast, compare, Outcome};
use sigdiff::fuzz::protocol::{write_sign, write_signed, Reply, ReplyRef};
use sigdiff::fuzz::serve::serve;
use sigdiff::input::spec::RequestSpec;
use sigdiff::scheme::SchemeId;
use sigdiff::sign::{sign_answer, sign_spec, SignOptions};

fn bench(c: &mut Criterion) {
    let schemes: Vec<SchemeId> = SchemeId::ALL
        .into_iter()
        .filter(|s| s.is_supported())
        .collect();
    let cases = Cases::new(1, &schemes);
    let opts = SignOptions::default();
    const N: u64 = 512;
    // The answers a correct signer sends (prepared outside the timed loops).
    let prepared: Vec<_> = (0..N)
        .map(|k| {
            let (scheme, spec) = cases.case(k);
            let ours = sign_spec(&spec, &opts).unwrap();
            let mut line = Vec::new();
            write_signed(&mut line, &ours);
            line.splice(
                line.len() - 1..line.len() - 1,
                format!(",\"id\":{k}").into_bytes(),
            );
            let lean = sign_answer(&spec, &opts).unwrap();
            (scheme, spec, ours, String::from_utf8(line).unwrap(), lean)
        })
        .collect();
    let mut k = 0u64;
    let mut next = || {
        k = (k + 1) % N;
        k
    };
    c.bench_function("fuzz: draw one case", |b| {
        b.iter(|| black_box(cases.case(next())))
    });
    c.bench_function("fuzz: sign the case with sigdiff", |b| {
        b.iter(|| {
            let (_, spec, _, _, _) = &prepared[next() as usize];
            black_box(sign_answer(spec, &opts).unwrap())
        })
    });
    c.bench_function(
        "fuzz: sign the case with sigdiff (full result: a differing answer)",
        |b| {
            b.iter(|| {
                let (_, spec, _, _, _) = &prepared[next() as usize];
                black_box(sign_spec(spec, &opts).unwrap())
            })
        },
    );
    let mut buf = Vec::with_capacity(4096);
    c.bench_function("fuzz: write the request line", |b| {
        b.iter(|| {
            let (_, spec, _, _, _) = &prepared[next() as usize];
            buf.clear();
            write_sign(&mut buf, 17, spec);
            black_box(buf.len())
        })
    });
    c.bench_function("fuzz: read the answer and compare", |b| {
        b.iter(|| {
            let i = next();
            let (_, _, _, line, lean) = &prepared[i as usize];
            let reply = ReplyRef::parse(line).unwrap();
            assert!(reply.id == Some(i) && agrees_fast(lean, &reply));
        })
    });
    c.bench_function(
        "fuzz: read the full answer and compare it with the full result (a differing answer)",
        |b| {
            b.iter(|| {
                let (scheme, spec, ours, line, _) = &prepared[next() as usize];
                let reply: Reply = serde_json::from_str(line).unwrap();
                assert!(matches!(
                    compare(*scheme, spec, ours, &reply),
                    Ok(Outcome::Agree)
                ));
            })
        },
    );
    // The reference signer's side: parse the request line, sign, write the answer.
    let lines: Vec<String> = prepared
        .iter()
        .enumerate()
        .map(|(i, (_, spec, _, _, _))| {
            let mut l = Vec::new();
            write_sign(&mut l, i as u64, spec);
            String::from_utf8(l).unwrap()
        })
        .collect();
    c.bench_function("sign --protocol: parse the request line", |b| {
        b.iter(|| black_box(RequestSpec::from_json(&lines[next() as usize]).unwrap()))
    });
    c.bench_function("sign --protocol: write the answer line", |b| {
        b.iter(|| {
            buf.clear();
            write_signed(&mut buf, &prepared[next() as usize].2);
            black_box(buf.len())
        })
    });
    let input: Vec<u8> = lines
        .iter()
        .flat_map(|l| [l.as_bytes(), b"\n"].concat())
        .collect();
    let mut output = Vec::with_capacity(1 << 20);
    c.bench_function("sign --protocol: serve 512 request lines", |b| {
        b.iter(|| {
            output.clear();
            serve(&input[..], &mut output, &opts).unwrap();
            black_box(output.len())
        })
    });
    c.bench_function("fuzz: harness work per case (all of the above)", |b| {
        b.iter(|| {
            let i = next();
            let (_, spec) = cases.case(i);
            let ours = sign_answer(&spec, &opts).unwrap();
            buf.clear();
            write_sign(&mut buf, i, &spec);
            let reply = ReplyRef::parse(&prepared[i as usize].3).unwrap();
            assert!(reply.id == Some(i) && agrees_fast(&ours, &reply));
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
