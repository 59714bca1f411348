//! Human-readable output for form uploads (`verify` of an `oss-post`, `oss-post-v4`
//! or `cos-post` capture). JSON output is the library's `PostReport` as is.

use super::render::Style;
use sigdiff::canonical::{block_visible, escape_visible};
use sigdiff::finding::Lang;
use sigdiff::post::conditions::Status;
use sigdiff::post::PostReport;
use sigdiff::verify::Verdict;
use std::fmt::Write;

fn bold(st: Style, s: &str) -> String {
    if st.color {
        format!("\x1b[1m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

fn paint(st: Style, code: &str, s: &str) -> String {
    if st.color {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

/// The report of one upload.
pub fn report(label: Option<&str>, r: &PostReport, lang: Lang, st: Style) -> String {
    let mut o = String::new();
    if let Some(l) = label {
        let _ = writeln!(o, "{}", bold(st, &format!("== {l}")));
    }
    let verdict = match r.verdict {
        Verdict::Match => paint(st, "32", "MATCH"),
        Verdict::Mismatch => paint(st, "31", "MISMATCH"),
        Verdict::Unverified => paint(st, "33", "UNVERIFIED (no secret)"),
    };
    let _ = writeln!(o, "{} {verdict}", bold(st, "verdict:"));
    let _ = writeln!(
        o,
        "scheme: {}   AccessKeyId: {}   bucket: {}",
        r.scheme,
        r.access_key_id,
        r.bucket.as_deref().unwrap_or("(unknown)")
    );
    let _ = writeln!(o, "provided signature: {}", r.provided_signature);
    if let Some(c) = &r.computed_signature {
        let _ = writeln!(
            o,
            "computed signature: {c}{}",
            r.secret_fingerprint
                .as_deref()
                .map(|f| format!("   (secret {f})"))
                .unwrap_or_default()
        );
    }
    if let Some(k) = &r.key_inputs {
        let _ = writeln!(o, "signing key from: {k}");
    }
    let _ = writeln!(
        o,
        "\n{} ({} Base64 characters as sent, decoding to {} bytes of JSON):",
        bold(st, "policy"),
        r.policy.base64.len(),
        r.policy.json_bytes
    );
    for l in block_visible(&r.policy.json).lines() {
        let _ = writeln!(o, "    {l}");
    }
    let _ = writeln!(
        o,
        "{} {}",
        bold(st, "string to sign:"),
        if r.string_to_sign.len() > 100 {
            format!(
                "{}… (the policy's Base64 text, {} characters)",
                &r.string_to_sign[..60],
                r.string_to_sign.len()
            )
        } else {
            r.string_to_sign.clone()
        }
    );
    let _ = writeln!(o, "\n{}", bold(st, "conditions:"));
    for c in &r.conditions {
        let (mark, detail) = match c.status {
            Status::Pass => (paint(st, "32", "✓"), String::new()),
            Status::Fail => (
                paint(st, "31", "✗"),
                match lang {
                    Lang::En => c.detail.clone(),
                    Lang::Zh => c.detail_zh.clone(),
                },
            ),
            Status::Unchecked => (
                paint(st, "33", "?"),
                match lang {
                    Lang::En => c.detail.clone(),
                    Lang::Zh => c.detail_zh.clone(),
                },
            ),
        };
        let found = c
            .found
            .as_deref()
            .map(|v| format!("   ({})", escape_visible(v)))
            .unwrap_or_default();
        let _ = writeln!(o, "  {mark} {}{found}", escape_visible(&c.condition));
        if let Some(m) = &c.server_message {
            if c.status == Status::Fail {
                let _ = writeln!(o, "      server: {m}");
            }
        }
        if !detail.is_empty() {
            let _ = writeln!(o, "      {detail}");
        }
    }
    if !r.findings.is_empty() {
        let _ = writeln!(o, "\n{}", bold(st, "findings:"));
        for f in &r.findings {
            let sev = match f.severity {
                sigdiff::Severity::Error => paint(st, "31", "error  "),
                sigdiff::Severity::Warning => paint(st, "33", "warning"),
                sigdiff::Severity::Info => "info   ".to_string(),
            };
            let field = f
                .field
                .as_deref()
                .map(|x| format!(" [{x}]"))
                .unwrap_or_default();
            let rep = if f.reproduces {
                " (reproduces the provided signature)"
            } else {
                ""
            };
            let _ = writeln!(o, "  {sev} {}{field} {}{rep}", f.code, f.message_in(lang));
        }
    }
    o
}
