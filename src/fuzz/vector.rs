//! `--out DIR`: each minimal mismatch as a vector directory in the layout of
//! DESIGN "vectors/" (aws-c-auth style; peers-and-pitfalls.md §C.1), with
//! sigdiff's answer as the expected one, ready for a regression suite:
//!
//! ```text
//! DIR/<scheme>/fuzz-<seed>-<case>/request.http, context.json, string-to-sign.txt,
//!     canonical-request.txt (OSS V4) | format-string.txt (COS),
//!     signature.txt, authorization.txt | signed-url.txt, signer-answer.json
//! (form uploads: context.json, string-to-sign.txt, signature.txt, signer-answer.json)
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
    let mut ctx = super::report::spec_value(&m.request);
    let mut comment = format!(
        "Found by sigdiff fuzz (seed {seed}, case {}, shrunk); the signer under test disagrees: {}",
        m.case, m.headline
    );
    if let (Some(raw), Ok(Some(p))) = (&m.request.policy, crate::post::policy_of_spec(&m.request)) {
        // The policy as the Base64 text of the bytes sigdiff signs (a JSON value
        // would sort the object's keys and drop its escapes); the text the signer
        // was sent is in the comment.
        comment.push_str(&format!(" The policy sent to the signer: {}", raw.get()));
        if let Some(o) = ctx.as_object_mut() {
            o.insert("policy".into(), p.base64.into());
        }
    }
    if let Some(o) = ctx.as_object_mut() {
        o.insert(
            "provenance".into(),
            serde_json::json!({
                "comment": comment,
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
    let text = serde_json::to_string_pretty(&ctx).expect("json");
    write(&dir, "context.json", &format!("{text}\n"))?;
    // The stage files as `vectors check` renders them (one source of truth). A
    // form upload has no request.http (its body is multipart) and no
    // Authorization: string-to-sign.txt (the policy) and signature.txt.
    let post = crate::post::is_post(m.scheme);
    for (name, text) in crate::vectors::render_stages(&m.request, &r) {
        if post
            && matches!(
                name,
                crate::vectors::REQUEST | crate::vectors::AUTHORIZATION
            )
        {
            continue;
        }
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
