//! Human-readable output. JSON output is the library types serialised as is.

use sigdiff::canonical::{block_visible, escape_visible};
use sigdiff::finding::Lang;
use sigdiff::sign::SignResult;
use sigdiff::verify::{Source, Verdict, VerifyReport};
use std::fmt::Write;

/// ANSI styling, off unless wanted.
#[derive(Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn red(&self, s: &str) -> String {
        self.paint("31", s)
    }
    fn green(&self, s: &str) -> String {
        self.paint("32", s)
    }
    fn yellow(&self, s: &str) -> String {
        self.paint("33", s)
    }
    fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
}

fn indent_block(s: &str) -> String {
    block_visible(s)
        .lines()
        .map(|l| format!("    {l}\n"))
        .collect()
}

pub fn sign(r: &SignResult, st: Style) -> String {
    let mut o = String::new();
    if let Some(a) = &r.authorization {
        let _ = writeln!(o, "{} {a}", st.bold("Authorization:"));
    }
    let _ = writeln!(o, "{} {}", st.bold("URL:"), r.url);
    let _ = writeln!(o, "{} {}", st.bold("Signature:"), r.signature);
    if let Some(p) = &r.post {
        let _ = writeln!(o, "\n{}", st.bold("Form fields to post (file last):"));
        for (k, v) in &p.form {
            let _ = writeln!(o, "    {k}: {}", escape_visible(v));
        }
        let _ = writeln!(
            o,
            "\n{} ({} bytes; encoded: {}):",
            st.bold("Policy JSON"),
            p.policy.json_bytes,
            p.policy.encoded
        );
        o.push_str(&indent_block(&p.policy.json));
        for w in &p.warnings {
            let _ = writeln!(o, "{} {w}", st.yellow("warning:"));
        }
    }
    let _ = writeln!(o, "\n{}", st.bold("Headers to send:"));
    for (k, v) in &r.headers {
        let _ = writeln!(o, "    {k}: {}", escape_visible(v));
    }
    if let Some(c) = &r.canonical_request {
        let _ = writeln!(
            o,
            "\n{} ({} bytes, \\n marks each line break):",
            st.bold("CanonicalRequest"),
            c.len()
        );
        o.push_str(&indent_block(c));
    }
    if let Some(c) = &r.format_string {
        let _ = writeln!(
            o,
            "\n{} ({} bytes, \\n marks each line break):",
            st.bold("FormatString"),
            c.len()
        );
        o.push_str(&indent_block(c));
    }
    let _ = writeln!(
        o,
        "\n{} ({} bytes, \\n marks each line break):",
        st.bold("StringToSign"),
        r.string_to_sign.len()
    );
    o.push_str(&indent_block(&r.string_to_sign));
    o
}

fn source_name(s: Source) -> &'static str {
    match s {
        Source::Recomputed => "recomputed from the request",
        Source::ServerError => "the server's error body",
        Source::ClientLog => "the client's log",
        Source::Diagnosis => "the diagnosis (what the winning hypothesis signed)",
    }
}

pub fn verify(label: Option<&str>, r: &VerifyReport, lang: Lang, st: Style) -> String {
    let mut o = String::new();
    if let Some(l) = label {
        let _ = writeln!(o, "{}", st.bold(&format!("== {l}")));
    }
    let verdict = match r.verdict {
        Verdict::Match => st.green("MATCH"),
        Verdict::Mismatch => st.red("MISMATCH"),
        Verdict::Unverified => st.yellow("UNVERIFIED (no secret)"),
    };
    let _ = writeln!(o, "{} {verdict}", st.bold("verdict:"));
    let _ = writeln!(
        o,
        "scheme: {}   AccessKeyId: {}   bucket: {}   key: {}   ({})",
        r.scheme,
        r.access_key_id,
        r.address.bucket.as_deref().unwrap_or("(none)"),
        if r.address.key.is_empty() {
            "(none)".to_string()
        } else {
            escape_visible(&r.address.key)
        },
        r.address.style.label()
    );
    let _ = writeln!(o, "provided signature: {}", r.provided_signature);
    if let Some(c) = &r.computed_signature {
        // The fingerprint appears where it helps (a mismatch, or a secret other
        // than the first matched), as in the form-upload report (cli/post.rs).
        let fp = r
            .secret_fingerprint
            .as_deref()
            .map(|f| format!("   (secret {f})"))
            .unwrap_or_default();
        let _ = writeln!(o, "computed signature: {c}{fp}");
    }
    let _ = writeln!(
        o,
        "\n{} field by field (server: {}{})",
        st.bold(r.stage.server_name()),
        source_name(r.server_source),
        r.client_source
            .map(|s| format!("; client: {}", source_name(s)))
            .unwrap_or_default()
    );
    o.push_str(&fields(&r.fields, st));
    if !r.findings.is_empty() {
        let _ = writeln!(o, "\n{}", st.bold("findings:"));
        for f in &r.findings {
            let sev = match f.severity {
                sigdiff::Severity::Error => st.red("error  "),
                sigdiff::Severity::Warning => st.yellow("warning"),
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

/// The field table: one line per equal field, a block per differing one.
pub fn fields(rows: &[sigdiff::diff::FieldRow], st: Style) -> String {
    let mut o = String::new();
    let width = rows
        .iter()
        .map(|f| f.name.chars().count())
        .max()
        .unwrap_or(8)
        .min(40);
    for f in rows {
        let show = |v: &Option<String>| {
            v.as_deref()
                .map(escape_visible)
                .unwrap_or_else(|| "(absent)".to_string())
        };
        if f.same {
            let _ = writeln!(
                o,
                "  {} {:width$}  {}",
                st.green("✓"),
                f.name,
                show(&f.server)
            );
        } else {
            let _ = writeln!(o, "  {} {}", st.red("✗"), f.name);
            let _ = writeln!(o, "      server: {}", show(&f.server));
            let _ = writeln!(o, "      client: {}", show(&f.client));
            if let Some(d) = f.describe_difference() {
                let _ = writeln!(o, "      {d}");
            }
        }
    }
    o
}

/// `sigdiff diff` output.
pub fn text_diff(d: &sigdiff::diff::TextDiff, st: Style) -> String {
    let mut o = String::new();
    let verdict = if d.same {
        st.green("IDENTICAL")
    } else {
        st.red("DIFFERENT")
    };
    let _ = writeln!(
        o,
        "{} {verdict}   ({}; first text = server, second = client)\n",
        st.bold("texts:"),
        d.kind.label()
    );
    o.push_str(&fields(&d.fields, st));
    o
}
