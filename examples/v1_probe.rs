//! Instruction-count probe for the OSS V1 hot path (the `sign_verify` bench's
//! `oss_v1/sign+check` closure, N times): run under
//! `valgrind --tool=callgrind target/release/examples/v1_probe core 1000`
//! or `perf stat -e instructions`, with N = 0 for the setup's own count.
//! Modes: `core` (sign + check), `sign`, `check`, `verify` (the report),
//! `clone` (the request clone every mode pays).

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../benches/fixtures/mod.rs"]
mod fixtures;

fn main() {
    let f = fixtures::oss_v1();
    f.probe(|r| f.sign(r), |_, _, _| None);
}
