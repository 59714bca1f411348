//! Build the curated suite from its case definitions (`vectors/cases/<scheme>.jsonl`,
//! one [`CaseDef`] per line), so the suite can always be regenerated.
//!
//! Stage files come from sigdiff's signer. They are kept only where an official SDK
//! reproduces them (`scripts/crosscheck-vectors.py` writes `provenance.agrees`) or a
//! cited source prints the answer: a definition's `expect` holds the values a source
//! prints, and the build fails unless sigdiff reproduces every one of them.

use super::{features, render_stages, sign_case, write_file, Case, Provenance, CONTEXT};
use crate::error::{InputError, Result};
use crate::input::spec::RequestSpec;
use crate::scheme::SchemeId;
use crate::sign::SignResult;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One case definition (one line of `vectors/cases/<scheme>.jsonl`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CaseDef {
    /// Directory name: lower-case letters, digits and `-`.
    pub case: String,
    /// What the case is about.
    #[serde(default)]
    pub comment: Option<String>,
    /// Citations (spec sections naming the rule or printing the answer).
    pub sources: Vec<String>,
    /// Values a cited source prints (`signature`, `authorization`, `string_to_sign`,
    /// `canonical_request`, `format_string`, `url`): the build checks each.
    #[serde(default)]
    pub expect: Option<serde_json::Map<String, serde_json::Value>>,
    /// Known SDK deviations: short SDK name (`oss2`, `alibabacloud-oss-v2`, `ali-oss`,
    /// `cos-python-sdk-v5`, `cos-nodejs-sdk-v5`) → reason. Read by the crosscheck,
    /// which reports a deviation only when the SDK run shows it.
    #[serde(default)]
    pub deviations: BTreeMap<String, String>,
    /// Use this case as a base of the scheme's mutation file.
    #[serde(default)]
    pub mutations: bool,
    /// The JSON request spec.
    pub spec: serde_json::Value,
}

/// Read every definition in `<cases_dir>/<scheme>.jsonl`, in file order.
pub fn read_defs(path: &Path) -> Result<Vec<CaseDef>> {
    let text = super::read_text(path)?;
    let mut out: Vec<CaseDef> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let loc = || format!("`{}` line {}", path.display(), i + 1);
        if line.trim().is_empty() {
            continue;
        }
        let d: CaseDef = serde_json::from_str(line).map_err(|e| {
            InputError::new("bad-case", format!("not a case definition: {e}")).at(loc())
        })?;
        if d.case.is_empty()
            || !d
                .case
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(InputError::new(
                "bad-case",
                format!("case name `{}` must be [a-z0-9-]+", d.case),
            )
            .at(loc()));
        }
        if out.iter().any(|o| o.case == d.case) {
            return Err(
                InputError::new("bad-case", format!("case `{}` defined twice", d.case)).at(loc()),
            );
        }
        out.push(d);
    }
    Ok(out)
}

/// The field of a sign result a known answer names.
fn result_field(r: &SignResult, name: &str) -> Option<String> {
    match name {
        "signature" => Some(r.signature.clone()),
        "authorization" => r.authorization.clone(),
        "string_to_sign" => Some(r.string_to_sign.clone()),
        "canonical_request" => r.canonical_request.clone(),
        "format_string" => r.format_string.clone(),
        "url" => Some(r.url.clone()),
        _ => None,
    }
}

/// Check sigdiff against every value a source prints.
pub fn check_known_answer(
    r: &SignResult,
    expect: &serde_json::Map<String, serde_json::Value>,
) -> Result<()> {
    for (k, v) in expect {
        let want = v
            .as_str()
            .ok_or_else(|| InputError::new("bad-case", format!("`expect.{k}` must be a string")))?;
        let (field, contains) = match k.strip_suffix("_contains") {
            Some(f) => (f, true),
            None => (k.as_str(), false),
        };
        let got = result_field(r, field).ok_or_else(|| {
            InputError::new(
                "bad-case",
                format!("`expect.{k}`: the scheme has no such output"),
            )
        })?;
        let ok = if contains {
            got.contains(want)
        } else {
            got == want
        };
        if !ok {
            return Err(InputError::new(
                "known-answer-mismatch",
                format!("sigdiff gives {field} {got:?}, the cited source {want:?}"),
            ));
        }
    }
    Ok(())
}

/// Sign `spec_json` and write one case directory (stage files + context.json).
/// Returns the sign result.
pub fn write_case(
    dir: &Path,
    spec_json: &serde_json::Value,
    mut provenance: Provenance,
) -> Result<SignResult> {
    let spec: RequestSpec = serde_json::from_value(spec_json.clone())
        .map_err(|e| InputError::new("bad-spec", format!("not a JSON request spec: {e}")))?;
    let r = sign_case(&spec)?;
    for (name, text) in render_stages(&spec, &r) {
        write_file(&dir.join(name), &text)?;
    }
    provenance.features = features(&spec);
    let mut ctx = spec_json.clone();
    ctx["provenance"] = serde_json::to_value(&provenance).expect("provenance serialises");
    let mut text = serde_json::to_string_pretty(&ctx).expect("context serialises");
    text.push('\n');
    write_file(&dir.join(CONTEXT), &text)?;
    Ok(r)
}

/// What a build wrote.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BuildReport {
    /// Cases per scheme.
    pub cases: BTreeMap<String, usize>,
    /// Mutation tests per scheme.
    pub mutation_tests: BTreeMap<String, usize>,
    /// Stale case directories removed.
    pub removed: Vec<String>,
}

/// Build the suite in `out` from `<cases_dir>/*.jsonl`. The SDK-run parts of an
/// existing context.json (`agrees`, `disagrees`, `unsupported`) are kept as they
/// are; everything else is rewritten. Case directories no definition names are removed.
pub fn build_suite(cases_dir: &Path, out: &Path) -> Result<BuildReport> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(cases_dir)
        .map_err(|e| InputError::new("io", format!("cannot list `{}`: {e}", cases_dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(InputError::new(
            "usage",
            format!(
                "no <scheme>.jsonl case definitions in `{}`",
                cases_dir.display()
            ),
        ));
    }
    let mut report = BuildReport::default();
    for f in files {
        let stem = f
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let scheme: SchemeId = stem
            .parse()
            .map_err(|e: InputError| e.at(format!("file name `{}`", f.display())))?;
        let defs = read_defs(&f)?;
        let scheme_dir = out.join(scheme.as_str());
        let mut bases = Vec::new();
        for d in &defs {
            let loc = format!("`{}` case `{}`", f.display(), d.case);
            if d.spec.get("scheme").and_then(|s| s.as_str()) != Some(scheme.as_str()) {
                return Err(InputError::new(
                    "bad-case",
                    format!("the spec's scheme must be `{scheme}`"),
                )
                .at(loc));
            }
            let dir = scheme_dir.join(&d.case);
            let old = Case::load(&dir).ok().and_then(|c| c.provenance);
            let mut p = Provenance {
                sources: d.sources.clone(),
                known_answer: d.expect.clone(),
                comment: d.comment.clone(),
                ..Default::default()
            };
            if let Some(old) = old {
                p.agrees = old.agrees;
                p.disagrees = old.disagrees;
                p.unsupported = old.unsupported;
            }
            let r = write_case(&dir, &d.spec, p).map_err(|e| e.at(loc.clone()))?;
            if let Some(exp) = &d.expect {
                check_known_answer(&r, exp).map_err(|e| e.at(loc.clone()))?;
            }
            if d.mutations {
                bases.push((d.case.clone(), d.spec.clone()));
            }
        }
        // Remove case directories that no definition names any more.
        if let Ok(rd) = std::fs::read_dir(&scheme_dir) {
            for e in rd.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                if e.path().join(CONTEXT).is_file() && !defs.iter().any(|d| d.case == name) {
                    std::fs::remove_dir_all(e.path()).map_err(|err| {
                        InputError::new(
                            "io",
                            format!("cannot remove `{}`: {err}", e.path().display()),
                        )
                    })?;
                    report.removed.push(format!("{scheme}/{name}"));
                }
            }
        }
        report.cases.insert(scheme.to_string(), defs.len());
        if !bases.is_empty() {
            let file = super::mutations::build_file(scheme, &bases)?;
            report
                .mutation_tests
                .insert(scheme.to_string(), file.number_of_tests);
            let mut text = serde_json::to_string_pretty(&file).expect("serialises");
            text.push('\n');
            write_file(&out.join("mutations").join(format!("{scheme}.json")), &text)?;
        }
    }
    Ok(report)
}
