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
use crate::scheme::SchemeId;
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
        o.insert(
            "provenance".into(),
            serde_json::json!({
                "source": "sigdiff fuzz",
                "seed": seed,
                "case": m.case,
                "expected": format!("sigdiff {}", env!("CARGO_PKG_VERSION")),
                "disagrees": m.headline,
                "kind": m.kind,
            }),
        );
    }
    write(
        &dir,
        "context.json",
        &format!("{}\n", serde_json::to_string_pretty(&ctx).expect("json")),
    )?;
    // request.http: the request as sent, signed.
    let (_, rest) = r.url.split_once("://").unwrap_or(("", &r.url));
    let target = rest.find('/').map_or("/", |i| &rest[i..]);
    let mut http = format!(
        "{} {target} HTTP/1.1\r\n",
        m.request.method.as_deref().unwrap_or("GET")
    );
    for (k, v) in &r.headers {
        http.push_str(&format!("{k}: {v}\r\n"));
    }
    http.push_str("\r\n");
    write(&dir, "request.http", &http)?;
    write(&dir, "string-to-sign.txt", &r.string_to_sign)?;
    match m.scheme {
        SchemeId::OssV4 | SchemeId::OssV4Url => write(
            &dir,
            "canonical-request.txt",
            r.canonical_request.as_deref().unwrap_or(""),
        )?,
        SchemeId::Cos | SchemeId::CosUrl => write(
            &dir,
            "format-string.txt",
            r.format_string.as_deref().unwrap_or(""),
        )?,
        _ => {}
    }
    write(&dir, "signature.txt", &r.signature)?;
    if m.scheme.is_url() {
        write(&dir, "signed-url.txt", &r.url)?;
    } else {
        write(
            &dir,
            "authorization.txt",
            r.authorization.as_deref().unwrap_or(""),
        )?;
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
