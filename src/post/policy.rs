//! The POST policy document: read from the Base64 text exactly as sent, or from a
//! JSON object that sigdiff serialises; checked for shape; conditions typed.
//!
//! * OSS: `policy = base64(UTF-8 JSON)`, required `expiration` and `conditions`
//!   (oss-signing.md §6.1); the V1 and V4 signatures are taken over the Base64
//!   *text* (§6.1, §6.2).
//! * COS: the same form field, but the signature hashes the *raw JSON bytes*
//!   (cos-signing.md §4 steps 2, 4).
//!
//! Both therefore need the exact bytes: [`Policy`] keeps the JSON bytes and the
//! Base64 text side by side and never re-serialises a policy that was given as
//! Base64.

use crate::error::{InputError, Result};
use base64::Engine;
use serde_json::Value;

/// Where the policy bytes came from, i.e. what exactly was Base64-encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PolicyOrigin {
    /// The Base64 text exactly as given (form field or spec string): nothing re-encoded.
    Base64AsGiven,
    /// A JSON object from the spec, compacted by sigdiff: whitespace outside strings
    /// removed; keys, their order, escapes and numbers kept as written.
    ObjectCompacted,
}

impl PolicyOrigin {
    /// One sentence saying which bytes were Base64-encoded.
    pub fn describe(self) -> &'static str {
        match self {
            PolicyOrigin::Base64AsGiven => {
                "the Base64 text as given; its decoded bytes are the policy JSON"
            }
            PolicyOrigin::ObjectCompacted => {
                "the spec's policy object compacted by sigdiff (whitespace outside strings removed; keys, key order, escapes and numbers as written), then Base64-encoded (standard alphabet, padded)"
            }
        }
    }
}

/// Which form of a condition it was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExactForm {
    /// `{"key": "value"}`.
    Object,
    /// `["eq", "$key", "value"]`.
    Eq,
}

/// One condition, typed (oss-signing.md §6.1; cos-signing.md §4 step 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConditionKind {
    /// Exact match: `{"k":"v"}` or `["eq","$k","v"]`.
    Exact {
        /// Field name (without `$`), as written.
        field: String,
        /// Required value.
        value: String,
        /// How it was written.
        form: ExactForm,
    },
    /// `["starts-with","$k","prefix"]` (the prefix may be empty).
    StartsWith {
        /// Field name.
        field: String,
        /// Required prefix.
        prefix: String,
    },
    /// `["in","$k",["a","b"]]`.
    In {
        /// Field name.
        field: String,
        /// Allowed values.
        values: Vec<String>,
    },
    /// `["not-in","$k",["a","b"]]`.
    NotIn {
        /// Field name.
        field: String,
        /// Forbidden values.
        values: Vec<String>,
    },
    /// `["content-length-range", min, max]`: the file's size in bytes.
    ContentLengthRange {
        /// Smallest size.
        min: u64,
        /// Largest size.
        max: u64,
    },
}

impl ConditionKind {
    /// The form field the condition constrains (None for content-length-range).
    pub fn field(&self) -> Option<&str> {
        match self {
            ConditionKind::Exact { field, .. }
            | ConditionKind::StartsWith { field, .. }
            | ConditionKind::In { field, .. }
            | ConditionKind::NotIn { field, .. } => Some(field),
            ConditionKind::ContentLengthRange { .. } => None,
        }
    }
}

/// A condition with where it stands in the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// 0-based index in `conditions`.
    pub index: usize,
    /// The condition as compact JSON (`["starts-with","$key","user/"]`, `{"bucket":"b"}`).
    pub text: String,
    /// What it requires.
    pub kind: ConditionKind,
}

/// A parsed policy with its exact bytes.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The JSON bytes (what the Base64 text encodes; what COS hashes).
    pub json: Vec<u8>,
    /// The Base64 text (what OSS signs; the `policy` form field).
    pub base64: String,
    /// What was encoded.
    pub origin: PolicyOrigin,
    /// `expiration` as written.
    pub expiration: String,
    /// The conditions, in order.
    pub conditions: Vec<Condition>,
}

fn bad(what: impl Into<String>) -> InputError {
    InputError::new("bad-policy", what)
}

impl Policy {
    /// Read the `policy` form field exactly as sent (`where_` names it for errors).
    pub fn from_base64(text: &str, where_: &str) -> Result<Policy> {
        let json = decode_base64(text).map_err(|e| e.at(where_.to_string()))?;
        let (expiration, conditions) =
            parse_json(&json).map_err(|e| e.at(format!("{where_} (decoded JSON)")))?;
        Ok(Policy {
            json,
            base64: text.to_string(),
            origin: PolicyOrigin::Base64AsGiven,
            expiration,
            conditions,
        })
    }

    /// Serialise a policy object given as JSON text (the spec's `policy` object,
    /// exactly as written there) and encode it: see [`PolicyOrigin::ObjectCompacted`].
    pub fn from_object_text(raw: &str, where_: &str) -> Result<Policy> {
        let json = compact_json(raw).into_bytes();
        let (expiration, conditions) = parse_json(&json).map_err(|e| e.at(where_.to_string()))?;
        Ok(Policy {
            base64: base64::engine::general_purpose::STANDARD.encode(&json),
            json,
            origin: PolicyOrigin::ObjectCompacted,
            expiration,
            conditions,
        })
    }

    /// The JSON as text (lossy only if it is not UTF-8, which parsing already rejected).
    pub fn json_text(&self) -> String {
        String::from_utf8_lossy(&self.json).into_owned()
    }

    /// Exact-match conditions on a field (case-insensitive name).
    pub fn exact_values<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.conditions.iter().filter_map(move |c| match &c.kind {
            ConditionKind::Exact {
                field: f, value, ..
            } if f.eq_ignore_ascii_case(field) => Some(value.as_str()),
            _ => None,
        })
    }
}

/// Decode the policy's Base64 (standard alphabet, padding required), naming the
/// first offending character and the usual cause.
pub fn decode_base64(text: &str) -> Result<Vec<u8>> {
    if text.is_empty() {
        return Err(bad("the policy is empty"));
    }
    if let Some((i, c)) = text
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')))
    {
        let hint = match c {
            '-' | '_' => " (URL-safe Base64: the policy must use the standard alphabet `+` `/`)",
            '\n' | '\r' | ' ' => {
                " (line-wrapped Base64, e.g. Python's base64.encodebytes: use b64encode, no line breaks)"
            }
            '%' => " (percent-encoded: a form field is sent as is, not URL-encoded)",
            '{' | '"' => " (this is JSON, not its Base64 encoding)",
            _ => "",
        };
        return Err(bad(format!(
            "the policy is not Base64: character {} at position {i}{hint}",
            crate::canonical::escape_visible(&c.to_string())
        )));
    }
    if text.len() % 4 != 0 {
        return Err(bad(format!(
            "the policy is not valid Base64: its length {} is not a multiple of 4 (missing `=` padding?)",
            text.len()
        )));
    }
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|e| {
            let why = match e {
                base64::DecodeError::InvalidByte(at, b) => {
                    format!(
                        "byte {} at position {at}",
                        crate::canonical::escape_visible(&(b as char).to_string())
                    )
                }
                base64::DecodeError::InvalidLength(n) => {
                    format!("its length {n} is not a multiple of 4 (missing `=` padding?)")
                }
                base64::DecodeError::InvalidLastSymbol(at, _) => {
                    format!("the last symbol at position {at} has bits set past the data")
                }
                base64::DecodeError::InvalidPadding => "its `=` padding is wrong".to_string(),
            };
            bad(format!("the policy is not valid Base64: {why}"))
        })
}

/// Remove JSON whitespace outside strings (RFC 8259 §2: space, tab, LF, CR).
pub fn compact_json(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut in_str = false;
    let mut esc = false;
    for c in raw.chars() {
        if in_str {
            out.push(c);
            if esc {
                esc = false;
            } else if c == '\\' {
                esc = true;
            } else if c == '"' {
                in_str = false;
            }
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            if c == '"' {
                in_str = true;
            }
            out.push(c);
        }
    }
    out
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Parse and type the policy JSON: `{"expiration": string, "conditions": [...]}`.
fn parse_json(bytes: &[u8]) -> Result<(String, Vec<Condition>)> {
    let v: Value = serde_json::from_slice(bytes).map_err(|e| {
        bad(format!("the policy is not valid JSON: {e}")).at(format!(
            "line {}, column {}",
            e.line(),
            e.column()
        ))
    })?;
    let obj = v.as_object().ok_or_else(|| {
        bad(format!(
            "the policy must be a JSON object, not {}",
            type_name(&v)
        ))
    })?;
    let expiration = match obj.get("expiration") {
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(bad(format!(
            "`expiration` must be a string (ISO 8601, e.g. \"2014-12-01T12:00:00.000Z\"), not {}",
            type_name(other)
        ))
            .at("field `expiration`"))
        }
        None => {
            return Err(bad(
                "the policy has no `expiration` (OSS and COS require it)",
            ))
        }
    };
    let list = match obj.get("conditions") {
        Some(Value::Array(a)) => a,
        Some(other) => {
            return Err(bad(format!(
                "`conditions` must be an array, not {}",
                type_name(other)
            ))
            .at("field `conditions`"))
        }
        None => {
            return Err(bad(
                "the policy has no `conditions` (COS: \"You must provide condition if you specify a policy in post object request.\")",
            ))
        }
    };
    let mut out = Vec::with_capacity(list.len());
    for (i, c) in list.iter().enumerate() {
        parse_condition(i, c, &mut out).map_err(|e| e.at(format!("conditions[{i}]")))?;
    }
    Ok((expiration, out))
}

fn field_ref(v: &Value) -> Result<String> {
    match v {
        Value::String(s) if s.starts_with('$') && s.len() > 1 => Ok(s[1..].to_string()),
        Value::String(s) => Err(bad(format!(
            "the field `{}` must be written `${}` (with a leading `$`)",
            crate::encode::truncate(s, 40),
            crate::encode::truncate(s, 40)
        ))),
        other => Err(bad(format!(
            "the field reference must be a string like \"$key\", not {}",
            type_name(other)
        ))),
    }
}

fn string_list(v: &Value) -> Result<Vec<String>> {
    let a = v.as_array().ok_or_else(|| {
        bad(format!(
            "the third element must be an array of strings, not {}",
            type_name(v)
        ))
    })?;
    a.iter()
        .map(|x| {
            x.as_str().map(str::to_string).ok_or_else(|| {
                bad(format!(
                    "the list must hold strings only, not {}",
                    type_name(x)
                ))
            })
        })
        .collect()
}

fn parse_condition(index: usize, c: &Value, out: &mut Vec<Condition>) -> Result<()> {
    match c {
        Value::Object(m) => {
            if m.is_empty() {
                return Err(bad("an empty object is not a condition"));
            }
            for (k, v) in m {
                let value = v.as_str().ok_or_else(|| {
                    bad(format!(
                        "the value of `{}` must be a string, not {}",
                        crate::encode::truncate(k, 40),
                        type_name(v)
                    ))
                })?;
                let mut one = serde_json::Map::new();
                one.insert(k.clone(), v.clone());
                out.push(Condition {
                    index,
                    text: Value::Object(one).to_string(),
                    kind: ConditionKind::Exact {
                        field: k.clone(),
                        value: value.to_string(),
                        form: ExactForm::Object,
                    },
                });
            }
            Ok(())
        }
        Value::Array(a) => {
            let op = a
                .first()
                .and_then(Value::as_str)
                .ok_or_else(|| bad("an array condition starts with its operator as a string (\"eq\", \"starts-with\", \"in\", \"not-in\", \"content-length-range\")"))?;
            if a.len() != 3 {
                return Err(bad(format!(
                    "`{}` takes 2 arguments, got {}",
                    crate::encode::truncate(op, 30),
                    a.len() - 1
                )));
            }
            let kind = match op.to_ascii_lowercase().as_str() {
                "eq" => ConditionKind::Exact {
                    field: field_ref(&a[1])?,
                    value: a[2]
                        .as_str()
                        .ok_or_else(|| {
                            bad(format!(
                                "the value of `eq` must be a string, not {}",
                                type_name(&a[2])
                            ))
                        })?
                        .to_string(),
                    form: ExactForm::Eq,
                },
                "starts-with" => ConditionKind::StartsWith {
                    field: field_ref(&a[1])?,
                    prefix: a[2]
                        .as_str()
                        .ok_or_else(|| {
                            bad(format!(
                                "the prefix of `starts-with` must be a string, not {}",
                                type_name(&a[2])
                            ))
                        })?
                        .to_string(),
                },
                "in" => ConditionKind::In {
                    field: field_ref(&a[1])?,
                    values: string_list(&a[2])?,
                },
                "not-in" => ConditionKind::NotIn {
                    field: field_ref(&a[1])?,
                    values: string_list(&a[2])?,
                },
                "content-length-range" => {
                    let n = |v: &Value, which: &str| {
                        v.as_u64().ok_or_else(|| {
                            bad(format!(
                                "the {which} of `content-length-range` must be a non-negative integer, not {}",
                                if v.is_number() { "this number" } else { type_name(v) }
                            ))
                        })
                    };
                    let (min, max) = (n(&a[1], "minimum")?, n(&a[2], "maximum")?);
                    if min > max {
                        return Err(bad(format!(
                            "`content-length-range` minimum {min} is larger than its maximum {max}"
                        )));
                    }
                    ConditionKind::ContentLengthRange { min, max }
                }
                other => {
                    return Err(bad(format!(
                        "unknown condition operator `{}`; known: eq, starts-with, in, not-in, content-length-range",
                        crate::encode::truncate(other, 30)
                    )))
                }
            };
            out.push(Condition {
                index,
                text: c.to_string(),
                kind,
            });
            Ok(())
        }
        other => Err(bad(format!(
            "a condition is an object {{\"field\": \"value\"}} or an array [\"op\", \"$field\", ...], not {}",
            type_name(other)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // oss-signing.md §9.3 P1 (exact bytes).
    const P1_JSON: &str = r#"{"expiration":"2023-12-03T13:12:12.000Z","conditions":[{"bucket":"examplebucket"},["starts-with","$key","user/eric/"],["content-length-range",1,1024]]}"#;
    const P1_B64: &str = "eyJleHBpcmF0aW9uIjoiMjAyMy0xMi0wM1QxMzoxMjoxMi4wMDBaIiwiY29uZGl0aW9ucyI6W3siYnVja2V0IjoiZXhhbXBsZWJ1Y2tldCJ9LFsic3RhcnRzLXdpdGgiLCIka2V5IiwidXNlci9lcmljLyJdLFsiY29udGVudC1sZW5ndGgtcmFuZ2UiLDEsMTAyNF1dfQ==";

    #[test]
    fn p1_both_ways() {
        let a = Policy::from_base64(P1_B64, "policy").unwrap();
        assert_eq!(a.json, P1_JSON.as_bytes());
        assert_eq!(a.origin, PolicyOrigin::Base64AsGiven);
        assert_eq!(a.conditions.len(), 3);
        assert_eq!(
            a.conditions[1].text,
            r#"["starts-with","$key","user/eric/"]"#
        );
        // The same object, pretty-printed in a spec, compacts to the P1 bytes.
        let pretty = "{ \"expiration\": \"2023-12-03T13:12:12.000Z\",\n  \"conditions\": [ {\"bucket\": \"examplebucket\"},\n [\"starts-with\", \"$key\", \"user/eric/\"], [\"content-length-range\", 1, 1024] ] }";
        let b = Policy::from_object_text(pretty, "policy").unwrap();
        assert_eq!(b.base64, P1_B64);
        assert_eq!(b.origin, PolicyOrigin::ObjectCompacted);
    }

    #[test]
    fn compaction_keeps_strings() {
        assert_eq!(
            compact_json("{ \"a b\" : \"x \\\" y\" ,\n\t\"c\":[1, 2] }"),
            "{\"a b\":\"x \\\" y\",\"c\":[1,2]}"
        );
    }

    #[test]
    fn condition_kinds() {
        let p = Policy::from_object_text(
            r#"{"expiration":"2030-01-01T00:00:00Z","conditions":[{"a":"1","b":"2"},["eq","$key","k"],["starts-with","$key",""],["in","$content-type",["image/png","image/jpeg"]],["not-in","$cache-control",["no-cache"]],["content-length-range",0,10]]}"#,
            "policy",
        )
        .unwrap();
        assert_eq!(p.conditions.len(), 7);
        assert_eq!(p.conditions[0].index, 0);
        assert_eq!(p.conditions[1].index, 0);
        assert_eq!(p.conditions[1].text, r#"{"b":"2"}"#);
        assert!(matches!(
            p.conditions[2].kind,
            ConditionKind::Exact {
                form: ExactForm::Eq,
                ..
            }
        ));
        assert_eq!(
            p.conditions[6].kind,
            ConditionKind::ContentLengthRange { min: 0, max: 10 }
        );
        assert_eq!(p.exact_values("A").collect::<Vec<_>>(), ["1"]);
    }

    fn err_b64(b: &str) -> String {
        Policy::from_base64(b, "form field `policy`")
            .unwrap_err()
            .to_string()
    }

    fn err_obj(j: &str) -> String {
        Policy::from_object_text(j, "field `policy`")
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn bad_base64_named() {
        let e = err_b64("eyJ-eA==");
        assert!(e.contains("position 3") && e.contains("URL-safe"), "{e}");
        let e = err_b64("eyJl\neA==");
        assert!(e.contains("line-wrapped"), "{e}");
        let e = err_b64("eyJleA");
        assert!(e.contains("multiple of 4"), "{e}");
        let e = err_b64("");
        assert!(e.contains("empty"), "{e}");
        assert!(err_b64("e30%3D").contains("percent-encoded"));
        assert!(err_b64("{}").contains("this is JSON"));
    }

    #[test]
    fn bad_json_and_types_named() {
        use base64::Engine;
        let b = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let e = err_b64(&b("{\"expiration\":"));
        assert!(
            e.contains("not valid JSON") && e.contains("decoded JSON"),
            "{e}"
        );
        assert!(err_b64(&b("[1]")).contains("must be a JSON object, not an array"));
        assert!(err_obj(r#"{"expiration":5,"conditions":[]}"#)
            .contains("`expiration` must be a string"));
        assert!(err_obj(r#"{"conditions":[]}"#).contains("no `expiration`"));
        assert!(err_obj(r#"{"expiration":"x","conditions":{}}"#)
            .contains("`conditions` must be an array"));
        assert!(err_obj(r#"{"expiration":"x"}"#).contains("no `conditions`"));
        for (c, want) in [
            ("5", "not a number"),
            ("{}", "empty object"),
            (r#"{"a":1}"#, "must be a string, not a number"),
            (r#"["eq","key","v"]"#, "leading `$`"),
            (r#"["eq","$key"]"#, "takes 2 arguments, got 1"),
            (r#"["eq","$key",1]"#, "must be a string"),
            (
                r#"["starts-with","$key",null]"#,
                "must be a string, not null",
            ),
            (r#"["in","$k","a"]"#, "array of strings"),
            (r#"["in","$k",[1]]"#, "strings only"),
            (r#"["content-length-range",-1,5]"#, "non-negative integer"),
            (r#"["content-length-range","1",5]"#, "not a string"),
            (r#"["content-length-range",9,5]"#, "larger than its maximum"),
            (r#"["matches","$k","x"]"#, "unknown condition operator"),
            (r#"[1,"$k","x"]"#, "operator as a string"),
        ] {
            let e = err_obj(&format!(r#"{{"expiration":"x","conditions":[{c}]}}"#));
            assert!(e.contains(want), "{c}: {e}");
            assert!(e.contains("conditions[0]"), "{c}: {e}");
        }
    }
}
