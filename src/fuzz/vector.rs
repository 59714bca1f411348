//! `--out DIR`: each minimal mismatch as a vector directory in the layout of
//! DESIGN "vectors/" (aws-c-auth style; peers-and-pitfalls.md §C.1), with
//! sigdiff's answer as the expected one, ready for a regression suite:
//!
//! ```text
//! DIR/<scheme>/fuzz-<seed>-<case>/request.http, context.json, string-to-sign.txt,
//!     canonical-request.txt (OSS V4) | format-string.txt (COS),
//!     signature.txt, authorization.txt | signed-url.txt, signer-answer.json
//! ```

use super::report::MismatchReport;
use crate::error::{InputError, Result};
use crate::sign::{sign_spec, SignOptions};
use std::path::{Path, PathBuf};

fn write(dir: &Path, name: &str, text: &str) -> Result<()> {
    let p = dir.join(name);
    std::fs::write(&p, text)
        .map_err(|e| InputError::new("io", format!("cannot write `{}`: {e}", p.display())))
}

/// Write one mismatch's minimal request under `root`; returns the directory.
pub fn write_vector(root: &Path, seed: u64, m: &MismatchReport) -> Result<PathBuf> {
    let dir = root
        .join(m.scheme.as_str())
        .join(format!("fuzz-{seed}-{}", m.case));
    std::fs::create_dir_all(&dir)
        .map_err(|e| InputError::new("io", format!("cannot create `{}`: {e}", dir.display())))?;
    let r = sign_spec(&m.request, &SignOptions::default())?;
    let mut ctx = serde_json::to_value(&m.request).expect("a spec serialises");
    if let Some(o) = ctx.as_object_mut() {
        o.retain(|_, v| !v.is_null());
        // The provenance `vectors check` reads (src/vectors/mod.rs), plus the run.
        o.insert(
            "provenance".into(),
            serde_json::json!({
                "comment": format!(
                    "Found by sigdiff fuzz (seed {seed}, case {}, shrunk); the signer under test disagrees: {}",
                    m.case, m.headline
                ),
                "sources": [format!("sigdiff fuzz --seed {seed}: case {}", m.case)],
                "disagrees": [{"sdk": "the signer under test (sigdiff fuzz --signer)", "reason": m.headline}],
                "features": crate::vectors::features(&m.request),
                "source": "sigdiff fuzz",
                "seed": seed,
                "case": m.case,
                "expected": format!("sigdiff {}", env!("CARGO_PKG_VERSION")),
                "kind": m.kind,
            }),
        );
    }
    write(
        &dir,
        "context.json",
        &format!("{}\n", serde_json::to_string_pretty(&ctx).expect("json")),
    )?;
    // The stage files as `vectors check` renders them (one source of truth).
    for (name, text) in crate::vectors::render_stages(&m.request, &r) {
        write(&dir, name, &text)?;
    }
    write(
        &dir,
        "signer-answer.json",
        &format!(
            "{}\n",
            serde_json::to_string_pretty(&m.mismatch.theirs).expect("json")
        ),
    )?;
    Ok(dir)
}
