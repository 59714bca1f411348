//! Fuzz reports (issue 7 §4): a human summary, JSON lines (each mismatch with
//! its minimal request, field diff and findings), JUnit XML for CI dashboards
//! (peers-and-pitfalls.md §C.3), and a progress line on a terminal.
//!
//! Requests in reports carry the generated (fake) credentials only; no user
//! secret ever reaches the protocol.

use super::compare::Mismatch;
use super::protocol::Reply;
use crate::canonical::escape_visible;
use crate::finding::{Finding, Lang};
use crate::input::spec::RequestSpec;
use crate::scheme::SchemeId;
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write as _;
use std::time::Duration;

/// How the signer misbehaved (exit 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FailureKind {
    /// It exited or closed its output.
    Crash,
    /// It did not answer within the timeout.
    Hang,
    /// It wrote something that is not a protocol answer.
    Protocol,
    /// The hello exchange failed.
    Handshake,
}

impl FailureKind {
    /// The finding code (FINDINGS.md).
    pub fn code(self) -> &'static str {
        match self {
            FailureKind::Crash => "SIG603",
            FailureKind::Hang => "SIG604",
            FailureKind::Protocol => "SIG605",
            FailureKind::Handshake => "SIG608",
        }
    }
}

/// The signer misbehaved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignerFailure {
    /// What kind of failure.
    pub kind: FailureKind,
    /// What happened.
    pub message: String,
    /// The last bytes the signer wrote on stderr.
    pub stderr_tail: String,
    /// The case being answered, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<u64>,
}

/// Counts for one scheme.
#[derive(Debug, Clone, Serialize)]
pub struct SchemeStats {
    /// Scheme.
    pub scheme: SchemeId,
    /// Cases compared.
    pub cases: u64,
    /// Cases where the signer agrees.
    pub agreed: u64,
    /// Cases where it does not.
    pub mismatched: u64,
    /// Cases it refused (`error` answers).
    pub refused: u64,
}

impl SchemeStats {
    /// Zero counts.
    pub fn new(scheme: SchemeId) -> SchemeStats {
        SchemeStats {
            scheme,
            cases: 0,
            agreed: 0,
            mismatched: 0,
            refused: 0,
        }
    }
}

/// One kind of mismatch, with its first case shrunk.
#[derive(Debug, Clone, Serialize)]
pub struct MismatchReport {
    /// The first case of this kind (before shrinking).
    pub case: u64,
    /// Scheme.
    pub scheme: SchemeId,
    /// The codes that name this kind.
    pub kind: Vec<&'static str>,
    /// Cases of this kind.
    pub count: u64,
    /// One line: what the signer gets wrong.
    pub headline: String,
    /// The minimal request (after shrinking).
    pub request: RequestSpec,
    /// The case as generated.
    #[serde(skip)]
    pub original: RequestSpec,
    /// Candidates tried while shrinking.
    pub shrink_steps: u32,
    /// The mismatch on the minimal request.
    pub mismatch: Mismatch,
    /// Where the vector directory was written (`--out`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vector_dir: Option<String>,
}

/// The same request, two different answers.
#[derive(Debug, Clone, Serialize)]
pub struct NonDeterminism {
    /// Case.
    pub case: u64,
    /// Scheme.
    pub scheme: SchemeId,
    /// The request.
    pub request: RequestSpec,
    /// The first answer.
    pub first: Reply,
    /// The second answer.
    pub second: Reply,
}

/// A request the signer refused.
#[derive(Debug, Clone, Serialize)]
pub struct Refusal {
    /// Case.
    pub case: u64,
    /// Scheme.
    pub scheme: SchemeId,
    /// The signer's message.
    pub message: String,
    /// The request.
    pub request: RequestSpec,
}

/// Everything a fuzz run found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FuzzReport {
    /// The signer's command line.
    pub signer: String,
    /// Schemes the signer announced.
    pub announced: Vec<String>,
    /// Schemes tested.
    pub schemes: Vec<SchemeId>,
    /// Seed.
    pub seed: u64,
    /// `(i, n)`.
    pub shard: (u64, u64),
    /// Cases compared.
    pub cases: u64,
    /// Cases sigdiff could not sign itself (skipped).
    pub skipped: u64,
    /// Re-sent requests (determinism checks).
    pub rechecked: u64,
    /// Per-scheme counts.
    pub per_scheme: Vec<SchemeStats>,
    /// Kinds of mismatch.
    pub mismatches: Vec<MismatchReport>,
    /// Requests answered differently twice.
    pub nondeterministic: Vec<NonDeterminism>,
    /// The first few refusals.
    pub refusals: Vec<Refusal>,
    /// How the signer misbehaved, if it did.
    pub failure: Option<SignerFailure>,
    /// The time budget ended the run before all cases were sent.
    pub budget_exhausted: bool,
    /// Wall time, seconds.
    pub elapsed_secs: f64,
}

impl FuzzReport {
    /// DESIGN exit codes: 3 the signer misbehaved, 1 mismatches (or two answers
    /// to one request), 0 all agree.
    pub fn exit_code(&self) -> u8 {
        if self.failure.is_some() {
            3
        } else if !self.mismatches.is_empty() || !self.nondeterministic.is_empty() {
            1
        } else {
            0
        }
    }

    /// Cases that mismatched.
    pub fn mismatch_count(&self) -> u64 {
        self.per_scheme.iter().map(|s| s.mismatched).sum()
    }

    /// Cases per second.
    pub fn rate(&self) -> f64 {
        if self.elapsed_secs > 0.0 {
            self.cases as f64 / self.elapsed_secs
        } else {
            0.0
        }
    }

    /// The findings of the run that are not a mismatch's (non-determinism, refusals, failure).
    pub fn run_findings(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        if let Some(f) = &self.failure {
            out.push(Finding::new(
                f.kind.code(),
                None,
                f.message.clone(),
                f.message.clone(),
            ));
        }
        for n in &self.nondeterministic {
            out.push(Finding::new(
                "SIG601",
                None,
                format!(
                    "The signer answered case {} ({}) twice, differently.",
                    n.case, n.scheme
                ),
                format!("签名方对第 {} 个用例（{}）两次回答不同。", n.case, n.scheme),
            ));
        }
        let refused: u64 = self.per_scheme.iter().map(|s| s.refused).sum();
        if refused > 0 {
            out.push(Finding::new(
                "SIG602",
                None,
                format!("The signer refused {refused} request(s) that sigdiff signs."),
                format!("签名方拒绝了 {refused} 个 sigdiff 可以签名的请求。"),
            ));
        }
        out
    }
}

/// A spec as one line of JSON, only the fields that are set (a minimal request
/// reads minimal). A form upload's policy object is kept as its exact text: a JSON
/// value would sort its keys and drop its escapes, and sign other bytes.
pub fn spec_json(s: &RequestSpec) -> String {
    let t = spec_value(s).to_string();
    match &s.policy {
        // Line breaks outside strings (the only place a JSON text has them) are
        // whitespace the signer compacts away: one line, the same policy.
        Some(p) => splice(t, "policy", &p.get().replace(['\n', '\r'], " "), false),
        None => t,
    }
}

/// A spec's set fields as a JSON value, without its policy (see [`spec_json`]).
pub fn spec_value(s: &RequestSpec) -> serde_json::Value {
    let v = serde_json::to_value(s).expect("a spec serialises");
    match v {
        serde_json::Value::Object(m) => serde_json::Value::Object(
            m.into_iter()
                .filter(|(k, x)| {
                    k != "policy" && !x.is_null() && x.as_array().is_none_or(|a| !a.is_empty())
                })
                .collect(),
        ),
        other => other,
    }
}

/// `"key": raw` added as the last member of the JSON object text `obj`.
pub fn splice(mut obj: String, key: &str, raw: &str, pretty: bool) -> String {
    let Some(close) = obj.rfind('}') else {
        return obj;
    };
    let end = obj[..close].trim_end().len();
    let empty = obj[..end].ends_with('{');
    let member = match (empty, pretty) {
        (true, _) => format!("{}:{raw}", serde_json::Value::from(key)),
        (false, false) => format!(",{}:{raw}", serde_json::Value::from(key)),
        (false, true) => format!(",\n  {}: {raw}", serde_json::Value::from(key)),
    };
    obj.insert_str(end, &member);
    obj
}

/// A JSON line: `v` (an object) with the spec `request` as its `request` member.
fn with_request(mut v: serde_json::Value, request: &RequestSpec) -> String {
    if let Some(o) = v.as_object_mut() {
        o.remove("request");
    }
    splice(v.to_string(), "request", &spec_json(request), false)
}

/// A form upload's policy document as text, to show beside its Base64.
fn policy_json(s: &RequestSpec) -> Option<String> {
    crate::post::policy_of_spec(s)
        .ok()
        .flatten()
        .map(|p| p.json_text())
}

/// The field table of a mismatch: one line per equal field, a block per differing one.
pub fn field_table(rows: &[crate::diff::FieldRow]) -> String {
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
                .unwrap_or_else(|| "(absent)".into())
        };
        if f.same {
            let _ = writeln!(o, "    ✓ {:width$}  {}", f.name, show(&f.server));
        } else {
            let _ = writeln!(o, "    ✗ {}", f.name);
            let _ = writeln!(o, "        sigdiff: {}", show(&f.server));
            let _ = writeln!(o, "        signer:  {}", show(&f.client));
        }
    }
    o
}

/// The human summary.
pub fn human(r: &FuzzReport, lang: Lang) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "sigdiff fuzz: signer `{}` (announces {})",
        r.signer,
        if r.announced.is_empty() {
            "nothing".to_string()
        } else {
            r.announced.join(", ")
        }
    );
    let _ = writeln!(
        o,
        "seed {}, shard {}/{}: {} cases in {:.2} s ({:.0} cases/s), {} re-checked for determinism{}",
        r.seed,
        r.shard.0,
        r.shard.1,
        r.cases,
        r.elapsed_secs,
        r.rate(),
        r.rechecked,
        if r.budget_exhausted { "; the time budget ended the run" } else { "" }
    );
    if !r.per_scheme.is_empty() {
        let _ = writeln!(
            o,
            "\n  {:<12} {:>8} {:>8} {:>9} {:>8}",
            "scheme", "cases", "agree", "mismatch", "refused"
        );
        for s in &r.per_scheme {
            let _ = writeln!(
                o,
                "  {:<12} {:>8} {:>8} {:>9} {:>8}",
                s.scheme.as_str(),
                s.cases,
                s.agreed,
                s.mismatched,
                s.refused
            );
        }
    }
    for m in &r.mismatches {
        let _ = writeln!(
            o,
            "\nMISMATCH {} [{}]: {} case(s); first: case {}, shrunk in {} step(s)",
            m.scheme,
            m.kind.join(", "),
            m.count,
            m.case,
            m.shrink_steps
        );
        let _ = writeln!(o, "  {}", m.headline);
        let _ = writeln!(o, "  minimal request: {}", spec_json(&m.request));
        if let Some(p) = policy_json(&m.request) {
            let _ = writeln!(o, "  its policy: {p}");
        }
        let ours = &m.mismatch.ours;
        let theirs = &m.mismatch.theirs;
        let (label, a, b) = if crate::post::is_post(m.scheme) {
            ("signature", &ours.signature, &theirs.signature)
        } else if m.scheme.is_url() {
            ("url", &ours.url, &theirs.url)
        } else {
            ("authorization", &ours.authorization, &theirs.authorization)
        };
        let _ = writeln!(o, "  sigdiff {label}: {}", a.as_deref().unwrap_or("(none)"));
        let _ = writeln!(o, "  signer  {label}: {}", b.as_deref().unwrap_or("(none)"));
        if let Some(stage) = m.mismatch.stage {
            let _ = writeln!(
                o,
                "  {} field by field (sigdiff vs the signer):",
                stage.server_name()
            );
            o.push_str(&field_table(&m.mismatch.fields));
        }
        let _ = writeln!(o, "  findings:");
        for f in &m.mismatch.findings {
            let _ = writeln!(
                o,
                "    {} {}{} {}",
                format!("{:?}", f.severity).to_lowercase(),
                f.code,
                f.field
                    .as_deref()
                    .map(|x| format!(" [{x}]"))
                    .unwrap_or_default(),
                f.message_in(lang)
            );
        }
        if let Some(d) = &m.vector_dir {
            let _ = writeln!(o, "  vector: {d}");
        }
    }
    for n in &r.nondeterministic {
        let _ = writeln!(
            o,
            "\nNON-DETERMINISTIC {} case {}: the same request, two answers",
            n.scheme, n.case
        );
        let _ = writeln!(o, "  request: {}", spec_json(&n.request));
        let _ = writeln!(
            o,
            "  first:  {}",
            serde_json::to_string(&n.first).unwrap_or_default()
        );
        let _ = writeln!(
            o,
            "  second: {}",
            serde_json::to_string(&n.second).unwrap_or_default()
        );
    }
    if !r.refusals.is_empty() {
        let _ = writeln!(o, "\nREFUSED (first {}):", r.refusals.len());
        for x in &r.refusals {
            let _ = writeln!(
                o,
                "  {} case {}: {}",
                x.scheme,
                x.case,
                escape_visible(&x.message)
            );
        }
    }
    if let Some(f) = &r.failure {
        let _ = writeln!(
            o,
            "\nSIGNER FAILURE ({:?}, {}): {}{}",
            f.kind,
            f.kind.code(),
            f.message,
            f.case.map(|c| format!(" (case {c})")).unwrap_or_default()
        );
        if !f.stderr_tail.trim().is_empty() {
            let _ = writeln!(o, "  the signer's stderr (last lines):");
            for l in f
                .stderr_tail
                .lines()
                .rev()
                .take(20)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
            {
                let _ = writeln!(o, "    {l}");
            }
        }
    }
    let verdict = match r.exit_code() {
        0 => format!("all {} cases agree", r.cases),
        1 => format!(
            "{} kind(s) of mismatch in {} case(s){}",
            r.mismatches.len(),
            r.mismatch_count(),
            if r.nondeterministic.is_empty() {
                String::new()
            } else {
                format!(", {} non-deterministic answer(s)", r.nondeterministic.len())
            }
        ),
        _ => "the signer misbehaved".to_string(),
    };
    let _ = writeln!(o, "\nresult: {verdict} (exit {})", r.exit_code());
    o
}

/// Findings as JSON with `message` in one language (like `verify --json`).
fn findings_json(fs: &[Finding], lang: Lang) -> serde_json::Value {
    serde_json::Value::Array(
        fs.iter()
            .map(|f| {
                serde_json::json!({
                    "code": f.code, "field": f.field, "severity": f.severity,
                    "message": f.message_in(lang),
                })
            })
            .collect(),
    )
}

/// JSON lines: one `mismatch` per kind, one `nondeterminism` per case, one
/// `refusal` per kept refusal, a `failure` if any, then the `summary`.
pub fn json_lines(r: &FuzzReport, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    for m in &r.mismatches {
        out.push(with_request(
            serde_json::json!({
                "type": "mismatch", "scheme": m.scheme, "case": m.case, "kind": m.kind,
                "count": m.count, "headline": m.headline,
                "shrink_steps": m.shrink_steps,
                "sigdiff": m.mismatch.ours, "signer": m.mismatch.theirs,
                "stage": m.mismatch.stage, "fields": m.mismatch.fields,
                "findings": findings_json(&m.mismatch.findings, lang),
                "vector": m.vector_dir,
            }),
            &m.request,
        ));
    }
    for n in &r.nondeterministic {
        let mut v = serde_json::to_value(n).expect("serialisable");
        v["type"] = "nondeterminism".into();
        out.push(with_request(v, &n.request));
    }
    for x in &r.refusals {
        let mut v = serde_json::to_value(x).expect("serialisable");
        v["type"] = "refusal".into();
        out.push(with_request(v, &x.request));
    }
    if let Some(f) = &r.failure {
        let mut v = serde_json::to_value(f).expect("serialisable");
        v["type"] = "failure".into();
        v["code"] = f.kind.code().into();
        out.push(v.to_string());
    }
    out.push(
        serde_json::json!({
            "type": "summary", "signer": r.signer, "announced": r.announced, "schemes": r.schemes,
            "seed": r.seed, "shard": format!("{}/{}", r.shard.0, r.shard.1), "cases": r.cases,
            "skipped": r.skipped, "rechecked": r.rechecked, "per_scheme": r.per_scheme,
            "mismatch_kinds": r.mismatches.len(), "mismatched_cases": r.mismatch_count(),
            "nondeterministic": r.nondeterministic.len(),
            "findings": findings_json(&r.run_findings(), lang),
            "budget_exhausted": r.budget_exhausted, "elapsed_secs": r.elapsed_secs,
            "cases_per_sec": r.rate(), "exit": r.exit_code(),
        })
        .to_string(),
    );
    out
}

/// XML text: escaped, control characters (other than tab and line feed) made visible.
fn xml(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\n' | '\t' => o.push(c),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                let _ = write!(o, "\\u{{{:04X}}}", c as u32);
            }
            c => o.push(c),
        }
    }
    o
}

/// JUnit XML (the Jenkins flavour CI dashboards ingest): one suite per scheme
/// with a passing case when every case agrees, or one failing case per kind of
/// mismatch; a `signer` suite for non-determinism and failures (as errors).
pub fn junit(r: &FuzzReport, lang: Lang) -> String {
    let mut suites = String::new();
    let (mut tests, mut failures, mut errors) = (0, 0, 0);
    for s in &r.per_scheme {
        let mut body = String::new();
        let kinds: Vec<&MismatchReport> = r
            .mismatches
            .iter()
            .filter(|m| m.scheme == s.scheme)
            .collect();
        let (mut t, mut f) = (0, 0);
        if kinds.is_empty() {
            t += 1;
            let _ = writeln!(
                body,
                "    <testcase classname=\"sigdiff.fuzz.{0}\" name=\"{0}: {1} cases agree\"/>",
                s.scheme, s.agreed
            );
        }
        for m in kinds {
            t += 1;
            f += 1;
            let mut detail = format!(
                "{}\nminimal request: {}\n",
                m.headline,
                spec_json(&m.request)
            );
            if m.mismatch.stage.is_some() {
                detail.push_str(&field_table(&m.mismatch.fields));
            }
            for x in &m.mismatch.findings {
                let _ = writeln!(detail, "{} {}", x.code, x.message_in(lang));
            }
            let _ = writeln!(
                body,
                "    <testcase classname=\"sigdiff.fuzz.{}\" name=\"{}: {} ({} cases)\">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>",
                s.scheme,
                s.scheme,
                xml(&m.kind.join(" ")),
                m.count,
                xml(crate::fuzz::shrink::key_code(&m.kind).unwrap_or("SIG600")),
                xml(&m.headline),
                xml(&detail)
            );
        }
        tests += t;
        failures += f;
        let _ = write!(
            suites,
            "  <testsuite name=\"sigdiff fuzz {}\" tests=\"{t}\" failures=\"{f}\" errors=\"0\" skipped=\"0\">\n{body}  </testsuite>\n",
            s.scheme
        );
    }
    if r.failure.is_some() || !r.nondeterministic.is_empty() || r.per_scheme.is_empty() {
        let mut body = String::new();
        let (mut t, mut f, mut e) = (0, 0, 0);
        for n in &r.nondeterministic {
            t += 1;
            f += 1;
            let _ = writeln!(
                body,
                "    <testcase classname=\"sigdiff.fuzz.signer\" name=\"determinism: case {}\">\n      <failure type=\"SIG601\" message=\"two answers to one request\">{}</failure>\n    </testcase>",
                n.case,
                xml(&format!(
                    "request: {}\nfirst: {}\nsecond: {}",
                    spec_json(&n.request),
                    serde_json::to_string(&n.first).unwrap_or_default(),
                    serde_json::to_string(&n.second).unwrap_or_default()
                ))
            );
        }
        if let Some(x) = &r.failure {
            t += 1;
            e += 1;
            let _ = writeln!(
                body,
                "    <testcase classname=\"sigdiff.fuzz.signer\" name=\"signer protocol\">\n      <error type=\"{}\" message=\"{}\">{}</error>\n    </testcase>",
                x.kind.code(),
                xml(&x.message),
                xml(&x.stderr_tail)
            );
        }
        if t == 0 {
            t += 1;
            let _ = writeln!(
                body,
                "    <testcase classname=\"sigdiff.fuzz.signer\" name=\"signer protocol\"/>"
            );
        }
        tests += t;
        failures += f;
        errors += e;
        let _ = write!(
            suites,
            "  <testsuite name=\"sigdiff fuzz signer\" tests=\"{t}\" failures=\"{f}\" errors=\"{e}\" skipped=\"0\">\n{body}  </testsuite>\n"
        );
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"sigdiff fuzz\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{:.3}\">\n{suites}</testsuites>\n",
        r.elapsed_secs
    )
}

/// Draw the progress line on stderr (callers check that stderr is a terminal).
pub fn draw_progress(done: u64, total: u64, mismatched: u64, elapsed: Duration) {
    let rate = done as f64 / elapsed.as_secs_f64().max(1e-9);
    let width = 24usize;
    let filled = if total == 0 {
        width
    } else {
        ((done * width as u64) / total.max(1)) as usize
    }
    .min(width);
    let mut e = std::io::stderr().lock();
    let _ = write!(
        e,
        "\r[{}{}] {done}/{total} cases, {mismatched} mismatched, {rate:.0}/s ",
        "#".repeat(filled),
        "-".repeat(width - filled)
    );
    let _ = e.flush();
}

/// Erase the progress line.
pub fn clear_progress() {
    let mut e = std::io::stderr().lock();
    let _ = write!(e, "\r\x1b[K");
    let _ = e.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_and_junit_shape() {
        let mut r = FuzzReport {
            signer: "x".into(),
            per_scheme: vec![SchemeStats {
                cases: 3,
                agreed: 3,
                ..SchemeStats::new(SchemeId::OssV1)
            }],
            cases: 3,
            ..Default::default()
        };
        assert_eq!(r.exit_code(), 0);
        let j = junit(&r, Lang::En);
        assert!(j.contains("tests=\"1\" failures=\"0\" errors=\"0\""), "{j}");
        assert!(j.contains("oss-v1: 3 cases agree"));
        r.failure = Some(SignerFailure {
            kind: FailureKind::Crash,
            message: "the signer <died>".into(),
            stderr_tail: "Traceback\x01".into(),
            case: Some(2),
        });
        assert_eq!(r.exit_code(), 3);
        let j = junit(&r, Lang::En);
        assert!(j.contains("errors=\"1\""));
        assert!(j.contains("&lt;died&gt;") && j.contains("\\u{0001}"), "{j}");
        let lines = json_lines(&r, Lang::En);
        let last: serde_json::Value = serde_json::from_str(lines.last().unwrap()).unwrap();
        assert_eq!(last["type"], "summary");
        assert_eq!(last["exit"], 3);
        assert!(human(&r, Lang::En).contains("SIGNER FAILURE"));
    }
}
