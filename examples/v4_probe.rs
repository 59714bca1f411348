//! Instruction-count probe for the OSS V4 hot path (the `oss_v4` bench's
//! "sign+verify core" closure, N times): run under
//! `valgrind --tool=callgrind target/release/examples/v4_probe core 1000`
//! or `perf stat -e instructions`, with N = 0 for the setup's own count.
//! Modes: `core` (sign + check), `prepare` (sign + prepare + signature), `sign`,
//! `verify` (the report), `check`, `clone` (the request clone every mode pays),
//! `sha20` (the crypto floor).

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../benches/fixtures/mod.rs"]
mod fixtures;
use sigdiff::secret::ct_eq;
use sigdiff::verify::prepare;
use std::hint::black_box;

fn main() {
    let f = fixtures::oss_v4();
    let vopts = &f.vopts;
    f.probe(
        |r| f.sign(r),
        |mode, r, _signed| match mode {
            "prepare" => {
                let s = f.sign(r);
                let p = prepare(black_box(&s.request), vopts).unwrap();
                Some(ct_eq(
                    &p.signature(&vopts.secrets[0]),
                    &p.provided_signature,
                ))
            }
            // The crypto floor: 20 SHA-256 blocks (two canonical-request hashes and
            // two cached-key HMACs of a StringToSign need about that many).
            "sha20" => {
                use sha2::Digest;
                let d = sha2::Sha256::digest(black_box(&[7u8; 1207][..]));
                Some(d[0] != 1 || !r.target.is_empty())
            }
            _ => None,
        },
    );
}
