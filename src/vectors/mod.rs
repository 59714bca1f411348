//! The `vectors/` signing test suite: one directory per case, stage files named
//! after the servers' own fields (DESIGN "vectors/", peers-and-pitfalls.md §C.1,
//! the AWS signing test suite layout), plus Wycheproof-style mutation files.
//!
//! ```text
//! <suite>/<scheme>/<case>/request.http           raw HTTP request as sent, signed (LF line ends)
//!                         context.json           the JSON request spec + "provenance"
//!                         string-to-sign.txt     every scheme
//!                         canonical-request.txt  OSS V4 only
//!                         format-string.txt      COS only (the HttpString)
//!                         signature.txt
//!                         authorization.txt      header schemes
//!                         signed-url.txt         URL schemes
//! <suite>/mutations/<scheme>.json                invariance / sensitivity (Wycheproof style)
//! ```
//! Stage files hold the exact bytes, with no newline added at the end (a COS
//! FormatString ends in `\n` because the text itself does).
//!
//! * [`build`] writes the curated suite from the case definitions in `vectors/cases/`;
//! * [`check`] recomputes every stage of a suite and diffs what differs;
//! * [`export`] bundles a suite as JSON lines;
//! * [`generate`] draws a deterministic, pitfall-biased suite from a seed;
//! * [`mutations`] builds and runs the mutation files.

pub mod build;
pub mod check;
pub mod export;
pub mod generate;
pub mod mutations;

use crate::error::{InputError, Result};
use crate::input::spec::RequestSpec;
use crate::scheme::SchemeId;
use crate::sign::{sign_spec, SignOptions, SignResult};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// File name of the context (spec + provenance) of a case.
pub const CONTEXT: &str = "context.json";
/// Raw HTTP request file.
pub const REQUEST: &str = "request.http";
/// StringToSign file.
pub const STRING_TO_SIGN: &str = "string-to-sign.txt";
/// OSS V4 CanonicalRequest file.
pub const CANONICAL_REQUEST: &str = "canonical-request.txt";
/// COS FormatString (HttpString) file.
pub const FORMAT_STRING: &str = "format-string.txt";
/// Signature file.
pub const SIGNATURE: &str = "signature.txt";
/// Authorization header value file (header schemes).
pub const AUTHORIZATION: &str = "authorization.txt";
/// Signed URL file (URL schemes).
pub const SIGNED_URL: &str = "signed-url.txt";

/// Every stage file name a case may have, in a fixed order.
pub const STAGE_FILES: [&str; 7] = [
    REQUEST,
    STRING_TO_SIGN,
    CANONICAL_REQUEST,
    FORMAT_STRING,
    SIGNATURE,
    AUTHORIZATION,
    SIGNED_URL,
];

/// The stage files a case of `scheme` has (DESIGN "vectors/").
pub fn stage_files(scheme: SchemeId) -> Vec<&'static str> {
    let mut v = vec![REQUEST, STRING_TO_SIGN];
    match scheme {
        SchemeId::OssV4 | SchemeId::OssV4Url => v.push(CANONICAL_REQUEST),
        SchemeId::Cos | SchemeId::CosUrl => v.push(FORMAT_STRING),
        _ => {}
    }
    v.push(SIGNATURE);
    v.push(if scheme.is_url() {
        SIGNED_URL
    } else {
        AUTHORIZATION
    });
    v
}

/// One SDK that does not reproduce a case, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disagreement {
    /// `name==version` (PyPI) or `name@version` (npm).
    pub sdk: String,
    /// The known reason, with the spec section.
    pub reason: String,
}

/// Where a case's expected values come from (DESIGN "vectors/").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Provenance {
    /// What the case is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Citations: spec sections, documentation pages, SDK unit tests.
    #[serde(default)]
    pub sources: Vec<String>,
    /// Values a cited source prints for this request, which sigdiff reproduces
    /// (`signature`, `authorization`, `string_to_sign`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_answer: Option<serde_json::Map<String, serde_json::Value>>,
    /// Official SDK runs that reproduce every stage the SDK exposes (written by
    /// `scripts/crosscheck-vectors.py`, never by hand).
    #[serde(default)]
    pub agrees: Vec<String>,
    /// Official SDK runs that give something else, with the known reason.
    #[serde(default)]
    pub disagrees: Vec<Disagreement>,
    /// SDKs that cannot express the request, with why (crosscheck run).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unsupported: Vec<Disagreement>,
    /// The pitfall features the request exercises ([`features`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
}

/// A case read from a directory: its spec, provenance and the raw context.
#[derive(Debug, Clone)]
pub struct Case {
    /// The case directory.
    pub dir: PathBuf,
    /// The request spec (context.json without `provenance`).
    pub spec: RequestSpec,
    /// The spec as JSON, exactly as in context.json (without `provenance`).
    pub spec_json: serde_json::Value,
    /// The provenance, when context.json has one.
    pub provenance: Option<Provenance>,
    /// The scheme.
    pub scheme: SchemeId,
}

fn io_err(what: &str, path: &Path, e: std::io::Error) -> InputError {
    InputError::new("io", format!("cannot {what} `{}`: {e}", path.display()))
}

/// Read a UTF-8 text file.
pub fn read_text(path: &Path) -> Result<String> {
    let b = std::fs::read(path).map_err(|e| io_err("read", path, e))?;
    String::from_utf8(b).map_err(|e| {
        InputError::new("invalid-utf8", "the file is not UTF-8").at(format!(
            "`{}` byte {}",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Write a file, creating its directory.
pub fn write_file(path: &Path, text: &str) -> Result<()> {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).map_err(|e| io_err("create", p, e))?;
    }
    std::fs::write(path, text).map_err(|e| io_err("write", path, e))
}

impl Case {
    /// Load `dir/context.json`.
    pub fn load(dir: &Path) -> Result<Case> {
        let path = dir.join(CONTEXT);
        let text = read_text(&path)?;
        let mut v: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            InputError::new("bad-context", format!("not valid JSON: {e}")).at(format!(
                "`{}` line {}, column {}",
                path.display(),
                e.line(),
                e.column()
            ))
        })?;
        let obj = v.as_object_mut().ok_or_else(|| {
            InputError::new("bad-context", "context.json must be a JSON object")
                .at(format!("`{}`", path.display()))
        })?;
        let provenance = match obj.remove("provenance") {
            None | Some(serde_json::Value::Null) => None,
            Some(p) => Some(serde_json::from_value(p).map_err(|e| {
                InputError::new("bad-context", format!("bad `provenance`: {e}"))
                    .at(format!("`{}`", path.display()))
            })?),
        };
        let spec: RequestSpec = serde_json::from_value(v.clone()).map_err(|e| {
            InputError::new("bad-context", format!("not a JSON request spec: {e}"))
                .at(format!("`{}`", path.display()))
        })?;
        let scheme = spec
            .scheme_id()
            .map_err(|e| e.at(format!("`{}` field `scheme`", path.display())))?
            .ok_or_else(|| {
                InputError::new("bad-context", "the spec has no `scheme`")
                    .at(format!("`{}`", path.display()))
            })?;
        Ok(Case {
            dir: dir.to_path_buf(),
            spec,
            spec_json: v,
            provenance,
            scheme,
        })
    }

    /// The case's name: its path relative to `root`, with `/` separators.
    pub fn name(&self, root: &Path) -> String {
        match relative(root, &self.dir).as_str() {
            // The root is the case itself: use its directory name.
            "." => self
                .dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| ".".to_string()),
            r => r.to_string(),
        }
    }
}

/// `path` relative to `root`, `/`-separated (the path itself when outside root).
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let s: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if s.is_empty() {
        ".".to_string()
    } else {
        s.join("/")
    }
}

/// Every case directory (one holding a context.json) under `root`, sorted; `root`
/// itself may be a case.
pub fn find_cases(root: &Path) -> Result<Vec<PathBuf>> {
    if !root.is_dir() {
        return Err(InputError::new(
            "usage",
            format!("`{}` is not a directory", root.display()),
        ));
    }
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        if d.join(CONTEXT).is_file() {
            out.push(d);
            continue;
        }
        let rd = std::fs::read_dir(&d).map_err(|e| io_err("list", &d, e))?;
        for e in rd {
            let e = e.map_err(|e| io_err("list", &d, e))?;
            if e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                stack.push(e.path());
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Sign a case's spec the way the suite does: no clock (a spec without `time`
/// is refused), sigdiff's server-model defaults plus the spec's own `options`.
pub fn sign_case(spec: &RequestSpec) -> Result<SignResult> {
    if spec.time.is_none() {
        return Err(InputError::new(
            "bad-spec",
            "a vector needs a fixed `time` (the suite never reads the clock)",
        )
        .at("field `time`"));
    }
    sign_spec(spec, &SignOptions::default())
}

/// `https://host/p?q` → `/p?q`.
fn target_of(url: &str) -> &str {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    match rest.find(['/', '?']) {
        Some(i) if rest[i..].starts_with('/') => &rest[i..],
        Some(i) => &rest[i..],
        None => "/",
    }
}

/// The raw HTTP request as sent (request line, every header, the blank line),
/// LF line ends; no body.
pub fn request_http(spec: &RequestSpec, r: &SignResult) -> String {
    let method = spec.method.as_deref().unwrap_or("GET");
    let mut s = format!("{method} {} HTTP/1.1\n", target_of(&r.url));
    for (k, v) in &r.headers {
        s.push_str(k);
        s.push_str(": ");
        s.push_str(v);
        s.push('\n');
    }
    s.push('\n');
    s
}

/// Every stage file of a signed case: `(file name, exact text)`.
pub fn render_stages(spec: &RequestSpec, r: &SignResult) -> Vec<(&'static str, String)> {
    stage_files(r.scheme)
        .into_iter()
        .map(|f| {
            let text = match f {
                REQUEST => request_http(spec, r),
                STRING_TO_SIGN => r.string_to_sign.clone(),
                CANONICAL_REQUEST => r.canonical_request.clone().unwrap_or_default(),
                FORMAT_STRING => r.format_string.clone().unwrap_or_default(),
                SIGNATURE => r.signature.clone(),
                AUTHORIZATION => r.authorization.clone().unwrap_or_default(),
                _ => r.url.clone(),
            };
            (f, text)
        })
        .collect()
}

/// A header name in neither lower case nor the usual `Title-Case` (`X-OSS-Meta-a`).
fn is_mixed_case(name: &str) -> bool {
    let title: String = name
        .split('-')
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                // `MD5` is the usual spelling in `Content-MD5`.
                _ if p == "MD5" => p.to_string(),
                Some(f) => f.to_ascii_uppercase().to_string() + &c.as_str().to_ascii_lowercase(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-");
    name != name.to_ascii_lowercase() && name != title
}

/// The pitfall features a spec exercises (oss-signing.md §10, cos-signing.md §7):
/// recorded in the provenance so a user can pick the cases for a feature.
pub fn features(spec: &RequestSpec) -> Vec<String> {
    let mut f: Vec<&str> = Vec::new();
    let key = spec.key.as_deref().unwrap_or("");
    if spec.url.is_some() {
        f.push("wire-url");
    }
    if spec.bucket.is_none() && spec.url.is_none() {
        f.push("service-level");
    } else if key.is_empty() && spec.url.is_none() {
        f.push("bucket-level");
    }
    let texts: Vec<&str> = std::iter::once(key)
        .chain(
            spec.query
                .iter()
                .flat_map(|(k, v)| [k.as_str(), v.as_deref().unwrap_or("")]),
        )
        .collect();
    let any = |p: &dyn Fn(&str) -> bool| texts.iter().any(|t| p(t));
    if any(&|t| !t.is_ascii()) {
        f.push("unicode");
    }
    if any(&|t| t.contains(' ')) {
        f.push("space");
    }
    if any(&|t| t.contains('+')) {
        f.push("plus");
    }
    if any(&|t| t.contains('~')) {
        f.push("tilde");
    }
    if any(&|t| t.contains('%')) {
        f.push("percent");
    }
    if key.contains("//") {
        f.push("double-slash");
    }
    if key.starts_with('/') {
        f.push("leading-slash");
    }
    if key.ends_with('/') {
        f.push("trailing-slash");
    }
    if key.split('/').any(|s| s == "." || s == "..") {
        f.push("dot-segment");
    }
    if spec.query.iter().any(|(_, v)| v.is_none()) {
        f.push("bare-param");
    }
    if spec.query.iter().any(|(_, v)| v.as_deref() == Some("")) {
        f.push("empty-param");
    }
    if spec.query.iter().any(|(k, _)| k.starts_with("response-")) {
        f.push("response-override");
    }
    let names: Vec<String> = spec.query.iter().map(|(k, _)| k.to_string()).collect();
    if names
        .iter()
        .enumerate()
        .any(|(i, n)| names[..i].contains(n))
    {
        f.push("duplicate-param");
    }
    if spec
        .query
        .iter()
        .any(|(k, _)| crate::oss::v1::subresources::UNION.contains(&k.as_str()))
    {
        f.push("sub-resource");
    }
    let has_token = spec
        .credentials
        .as_ref()
        .and_then(|c| c.security_token.as_deref())
        .is_some_and(|t| !t.is_empty());
    if has_token {
        f.push("sts-token");
    }
    let hn: Vec<String> = spec
        .headers
        .iter()
        .map(|(k, _)| k.to_ascii_lowercase())
        .collect();
    if hn.iter().enumerate().any(|(i, n)| hn[..i].contains(n)) {
        f.push("duplicate-header");
    }
    if spec.headers.iter().any(|(k, _)| is_mixed_case(k)) {
        f.push("mixed-case-header");
    }
    if spec
        .headers
        .iter()
        .any(|(_, v)| v.trim() != v || v.contains("  "))
    {
        f.push("header-whitespace");
    }
    if spec.headers.iter().any(|(_, v)| v.is_empty()) {
        f.push("empty-header");
    }
    if spec
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("date") || k.eq_ignore_ascii_case("x-oss-date"))
    {
        f.push("given-date");
    }
    if spec
        .additional_headers
        .as_ref()
        .is_some_and(|a| !a.is_empty())
    {
        f.push("additional-headers");
    }
    if spec.product.as_deref() == Some("oss-cloudbox") {
        f.push("cloudbox");
    }
    if spec.expires.is_some_and(|e| e >= 86_400) {
        f.push("long-expiry");
    }
    if spec.signed_headers.is_some() {
        f.push("chosen-signed-headers");
    }
    if spec.key_time.is_some() || spec.sign_time.is_some() {
        f.push("explicit-key-time");
    }
    if spec.style == Some(crate::input::spec::StyleSpec::Path) {
        f.push("path-style");
    }
    if spec.options.is_some() {
        f.push("sdk-variant-options");
    }
    f.into_iter().map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_case_names() {
        assert!(!is_mixed_case("Content-MD5"));
        assert!(!is_mixed_case("x-oss-meta-a"));
        assert!(!is_mixed_case("Content-Type"));
        assert!(is_mixed_case("X-OSS-Meta-Author"));
        assert!(is_mixed_case("ZAbc"));
    }

    #[test]
    fn targets() {
        assert_eq!(target_of("https://h/a%20b?x=1"), "/a%20b?x=1");
        assert_eq!(target_of("https://h?x"), "?x");
        assert_eq!(target_of("https://h"), "/");
    }

    #[test]
    fn files_per_scheme() {
        assert_eq!(
            stage_files(SchemeId::OssV4Url),
            [
                REQUEST,
                STRING_TO_SIGN,
                CANONICAL_REQUEST,
                SIGNATURE,
                SIGNED_URL
            ]
        );
        assert_eq!(
            stage_files(SchemeId::Cos),
            [
                REQUEST,
                STRING_TO_SIGN,
                FORMAT_STRING,
                SIGNATURE,
                AUTHORIZATION
            ]
        );
    }
}
