//! How an [`Explanation`] is shown: plain text, and the `--json` object
//! `{provider, code, message, known, cause, solution, findings, ...}` in one language
//! (a struct, so the keys keep that order).

use super::Explanation;
use crate::address::Provider;
use crate::canonical::escape_visible;
use crate::finding::Lang;
use crate::finding::Severity;
use serde::Serialize;
use std::fmt::Write;

/// One finding in one language, as `--json` prints it.
#[derive(Debug, Serialize)]
pub struct LocalFinding<'a> {
    /// Stable code.
    pub code: &'static str,
    /// The field concerned.
    pub field: Option<&'a str>,
    /// Severity.
    pub severity: Severity,
    /// The message in the chosen language.
    pub message: &'a str,
}

/// An [`Explanation`] in one language, in the `--json` field order:
/// `provider, code, message, known, cause, solution, findings`, then `ec`,
/// `recommend_doc`, `entries`, `sources` and the parsed `fields`.
#[derive(Debug, Serialize)]
pub struct Localised<'a> {
    /// Provider (`oss`, `cos`, or null).
    pub provider: Option<Provider>,
    /// Code.
    pub code: Option<&'a str>,
    /// Message.
    pub message: Option<&'a str>,
    /// In the catalogue.
    pub known: bool,
    /// Cause (null when unknown).
    pub cause: Option<&'a str>,
    /// Solution (null when unknown).
    pub solution: Option<&'a str>,
    /// Findings.
    pub findings: Vec<LocalFinding<'a>>,
    /// OSS EC code.
    pub ec: Option<&'a str>,
    /// OSS RecommendDoc.
    pub recommend_doc: Option<&'a str>,
    /// Catalogue entry ids.
    pub entries: &'a [String],
    /// Seed documents the entries come from.
    pub sources: &'a [String],
    /// Every parsed field, `[name, value]`.
    pub fields: &'a [(String, String)],
}

impl Explanation {
    /// The explanation in one language (what `--json` prints).
    pub fn localised(&self, lang: Lang) -> Localised<'_> {
        Localised {
            provider: self.provider,
            code: self.code.as_deref(),
            message: self.message.as_deref(),
            known: self.known,
            cause: self.cause(lang),
            solution: self.solution(lang),
            findings: self
                .findings
                .iter()
                .map(|f| LocalFinding {
                    code: f.code,
                    field: f.field.as_deref(),
                    severity: f.severity,
                    message: f.message_in(lang),
                })
                .collect(),
            ec: self.ec.as_deref(),
            recommend_doc: self.recommend_doc.as_deref(),
            entries: &self.entries,
            sources: &self.sources,
            fields: &self.fields,
        }
    }

    /// The `--json` line.
    pub fn to_json(&self, lang: Lang) -> String {
        serde_json::to_string(&self.localised(lang)).expect("plain data serialises")
    }

    /// Human-readable text in `lang` (no colour).
    pub fn to_text(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let mut o = String::new();
        let prov = self.provider.map(|p| p.name()).unwrap_or(if zh {
            "云厂商未知"
        } else {
            "provider unknown"
        });
        let _ = writeln!(
            o,
            "{}  [{prov}]{}",
            self.code.as_deref().unwrap_or("-"),
            self.ec
                .as_deref()
                .map(|e| format!("  EC {e}"))
                .unwrap_or_default()
        );
        if let Some(m) = &self.message {
            let _ = writeln!(
                o,
                "{}{}",
                if zh { "消息：" } else { "message: " },
                escape_visible(m)
            );
        }
        if !self.known {
            let _ = writeln!(
                o,
                "\n{}",
                if zh {
                    "不在错误目录中：不给出原因。解析到的字段："
                } else {
                    "Not in the catalogue: no cause is given. Parsed fields:"
                }
            );
            for (k, v) in &self.fields {
                let _ = writeln!(
                    o,
                    "    {k}: {}",
                    escape_visible(&crate::encode::truncate(v, 200))
                );
            }
        }
        for (label_en, label_zh, text) in [
            ("cause", "原因", self.cause(lang)),
            ("solution", "解决方案", self.solution(lang)),
        ] {
            if let Some(t) = text {
                let _ = writeln!(o, "\n{}:", if zh { label_zh } else { label_en });
                for l in t.lines() {
                    let _ = writeln!(o, "    {l}");
                }
            }
        }
        if let Some(d) = &self.recommend_doc {
            let _ = writeln!(
                o,
                "\n{} {d}",
                if zh {
                    "推荐文档："
                } else {
                    "recommended doc:"
                }
            );
        }
        if !self.findings.is_empty() {
            let _ = writeln!(o, "\n{}:", if zh { "检查结果" } else { "findings" });
            for f in &self.findings {
                let sev = format!("{:?}", f.severity).to_lowercase();
                let _ = writeln!(o, "    {} {sev:<7} {}", f.code, f.message_in(lang));
            }
        }
        if !self.sources.is_empty() {
            let _ = writeln!(
                o,
                "\n{} {}",
                if zh { "依据：" } else { "source:" },
                self.sources.join(" | ")
            );
        }
        o
    }
}
