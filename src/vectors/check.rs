//! `sigdiff vectors check DIR`: recompute every stage of every case from its
//! context.json and compare each stage file byte for byte; a stage that differs is
//! diffed field by field (the signed texts with [`crate::diff`], the others split
//! into their parameters, headers or lines). Mutation files under `DIR/mutations/`
//! are run too ([`super::mutations`]).

use super::{find_cases, read_text, render_stages, sign_case, Case, STAGE_FILES};
use super::{AUTHORIZATION, REQUEST, SIGNED_URL};
use crate::canonical::Canonical;
use crate::diff::{align, diff_texts, FieldRow};
use crate::error::{InputError, Result};
use serde::Serialize;
use std::path::Path;

/// One stage file that does not match.
#[derive(Debug, Clone, Serialize)]
pub struct FileFailure {
    /// The file name (`string-to-sign.txt`).
    pub file: String,
    /// The file's text.
    pub expected: String,
    /// What sigdiff computes from context.json.
    pub actual: String,
    /// The differing fields: `server` is the file's text, `client` sigdiff's.
    pub fields: Vec<FieldRow>,
}

/// One case's result.
#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    /// Path of the case relative to the checked directory.
    pub case: String,
    /// Scheme.
    pub scheme: String,
    /// Stage files compared.
    pub files_checked: usize,
    /// Stage files that differ.
    pub failures: Vec<FileFailure>,
}

/// The whole check.
#[derive(Debug, Clone, Serialize, Default)]
pub struct CheckReport {
    /// Every case, in path order.
    pub cases: Vec<CaseResult>,
    /// Every mutation file run.
    pub mutations: Vec<super::mutations::FileResult>,
}

impl CheckReport {
    /// Cases and mutation tests that failed.
    pub fn failed(&self) -> usize {
        self.cases.iter().filter(|c| !c.failures.is_empty()).count()
            + self
                .mutations
                .iter()
                .map(|m| m.failures.len())
                .sum::<usize>()
    }

    /// 0 when everything passes, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        u8::from(self.failed() > 0)
    }
}

/// Cut a non-canonical stage file into named fields for the diff.
fn split_fields(file: &str, text: &str) -> Canonical {
    let mut c = Canonical::default();
    match file {
        REQUEST => {
            for (i, line) in text.split_inclusive('\n').enumerate() {
                let name = if i == 0 {
                    "request-line".to_string()
                } else {
                    match line.split_once(':') {
                        Some((n, _)) => format!("header:{}", n.to_ascii_lowercase()),
                        None => format!("line {}", i + 1),
                    }
                };
                c.push(name, line);
            }
        }
        SIGNED_URL => {
            let (path, q) = match text.find('?') {
                Some(i) => (&text[..i], Some(&text[i..])),
                None => (text, None),
            };
            c.push("url", path);
            if let Some(q) = q {
                let mut start = 0;
                let b = q.as_bytes();
                for i in 1..=q.len() {
                    if i == q.len() || b[i] == b'&' {
                        let part = &q[start..i];
                        let name = part.trim_start_matches(['?', '&']);
                        let name = name.split('=').next().unwrap_or("");
                        c.push(format!("query:{name}"), part);
                        start = i;
                    }
                }
            }
        }
        AUTHORIZATION if text.starts_with("q-sign-algorithm") => {
            for (i, part) in text.split_inclusive('&').enumerate() {
                let name = part.split('=').next().unwrap_or("");
                c.push(
                    if name.is_empty() {
                        format!("part {i}")
                    } else {
                        name.to_string()
                    },
                    part,
                );
            }
        }
        AUTHORIZATION => {
            // `OSS ak:sig` or `OSS4-HMAC-SHA256 Credential=..,AdditionalHeaders=..,Signature=..`.
            let (alg, rest) = text.split_once(' ').unwrap_or((text, ""));
            c.push(
                "algorithm",
                &text[..alg.len() + usize::from(text.len() > alg.len())],
            );
            if alg == "OSS" {
                match rest.split_once(':') {
                    Some((ak, sig)) => {
                        c.push("access-key-id", &rest[..ak.len() + 1]);
                        c.push("signature", sig);
                    }
                    None => c.push("credential", rest),
                }
            } else {
                for part in rest.split_inclusive(',') {
                    let name = part.trim_start().split('=').next().unwrap_or("");
                    c.push(name.to_ascii_lowercase(), part);
                }
            }
        }
        _ => c.push("value", text),
    }
    c
}

/// Diff one stage file against sigdiff's text: only the differing rows.
fn diff_file(file: &str, expected: &str, actual: &str) -> Vec<FieldRow> {
    let rows = if matches!(file, REQUEST | SIGNED_URL | AUTHORIZATION) || file == super::SIGNATURE {
        align(&split_fields(file, expected), &split_fields(file, actual))
    } else {
        match diff_texts(expected, actual) {
            Ok(d) => d.fields,
            Err(_) => align(&split_fields("", expected), &split_fields("", actual)),
        }
    };
    let rows: Vec<FieldRow> = rows.into_iter().filter(|r| !r.same).collect();
    if rows.is_empty() {
        // Same fields, different bytes (e.g. a separator): show the whole text.
        align(&split_fields("", expected), &split_fields("", actual))
    } else {
        rows
    }
}

/// Check one case directory.
pub fn check_case(root: &Path, dir: &Path) -> Result<CaseResult> {
    let case = Case::load(dir)?;
    let name = case.name(root);
    let r = sign_case(&case.spec).map_err(|e| e.at(format!("case `{name}`")))?;
    let mut out = CaseResult {
        case: name.clone(),
        scheme: case.scheme.to_string(),
        files_checked: 0,
        failures: Vec::new(),
    };
    let stages = render_stages(&case.spec, &r);
    for f in STAGE_FILES {
        let path = dir.join(f);
        if !path.is_file() {
            continue;
        }
        let expected = read_text(&path)?;
        let Some((_, actual)) = stages.iter().find(|(n, _)| *n == f) else {
            return Err(InputError::new(
                "bad-suite",
                format!("`{f}` does not belong to a `{}` case", case.scheme),
            )
            .at(format!("case `{name}`")));
        };
        out.files_checked += 1;
        if expected != *actual {
            out.failures.push(FileFailure {
                file: f.to_string(),
                fields: diff_file(f, &expected, actual),
                expected,
                actual: actual.clone(),
            });
        }
    }
    if out.files_checked == 0 {
        return Err(InputError::new(
            "bad-suite",
            "the case has a context.json but no stage file (string-to-sign.txt, signature.txt, ...)",
        )
        .at(format!("case `{name}`")));
    }
    Ok(out)
}

/// Check every case under `root` (a suite, a scheme directory or one case) and
/// every `mutations/*.json` under it.
pub fn check_suite(root: &Path) -> Result<CheckReport> {
    let dirs = find_cases(root)?;
    let mut rep = CheckReport::default();
    for d in &dirs {
        rep.cases.push(check_case(root, d)?);
    }
    let mdir = root.join("mutations");
    if mdir.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(&mdir)
            .map_err(|e| InputError::new("io", format!("cannot list `{}`: {e}", mdir.display())))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for f in files {
            rep.mutations.push(super::mutations::run_file(&f)?);
        }
    }
    if rep.cases.is_empty() && rep.mutations.is_empty() {
        return Err(InputError::new(
            "bad-suite",
            format!(
                "no case (a directory with a context.json) and no mutations/*.json under `{}`",
                root.display()
            ),
        ));
    }
    Ok(rep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_urls_and_authorizations() {
        let c = split_fields(SIGNED_URL, "https://h/k?a=1&Signature=x");
        let names: Vec<_> = c.fields().map(|f| f.name.to_string()).collect();
        assert_eq!(names, ["url", "query:a", "query:Signature"]);
        assert_eq!(c.to_string(), "https://h/k?a=1&Signature=x");
        let c = split_fields(AUTHORIZATION, "OSS ak:sig=");
        assert_eq!(c.get("signature"), Some("sig="));
        assert_eq!(c.to_string(), "OSS ak:sig=");
        let c = split_fields(
            AUTHORIZATION,
            "OSS4-HMAC-SHA256 Credential=a/b,AdditionalHeaders=host,Signature=f",
        );
        assert_eq!(c.get("signature"), Some("Signature=f"));
        let c = split_fields(AUTHORIZATION, "q-sign-algorithm=sha1&q-ak=x&q-signature=y");
        assert_eq!(c.get("q-signature"), Some("q-signature=y"));
        let c = split_fields(REQUEST, "GET / HTTP/1.1\nHost: h\n\n");
        assert_eq!(c.get("header:host"), Some("Host: h\n"));
    }
}
