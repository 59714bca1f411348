//! How an [`Explanation`] is shown: plain text, and the `--json` object
//! `{provider, code, message, known, cause, solution, findings, ...}` in one language.

use super::Explanation;
use crate::canonical::escape_visible;
use crate::finding::Lang;
use serde_json::{json, Value};
use std::fmt::Write;

impl Explanation {
    /// The `--json` object: `provider, code, message, known, cause, solution, findings`
    /// (each finding with `code, field, severity, message` in `lang`), then `ec`,
    /// `recommend_doc`, `entries`, `sources` and the parsed `fields`.
    pub fn to_json(&self, lang: Lang) -> Value {
        let findings: Vec<Value> = self
            .findings
            .iter()
            .map(|f| {
                json!({
                    "code": f.code,
                    "field": f.field,
                    "severity": f.severity,
                    "message": f.message_in(lang),
                })
            })
            .collect();
        json!({
            "provider": self.provider,
            "code": self.code,
            "message": self.message,
            "known": self.known,
            "cause": self.cause(lang),
            "solution": self.solution(lang),
            "findings": findings,
            "ec": self.ec,
            "recommend_doc": self.recommend_doc,
            "entries": self.entries,
            "sources": self.sources,
            "fields": self.fields.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
        })
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
