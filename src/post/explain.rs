//! The servers' Post Policy error messages, mapped to the checks of this module,
//! for the `explain` command (shared/seeds/002 "Invalid according to Policy: ...";
//! cos-signing.md §4 POST error messages).

use crate::address::Provider;
use serde::Serialize;

/// Which Post Policy error a message is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum PolicyErrorKind {
    /// OSS "Invalid according to Policy: Policy expired."
    Expired,
    /// OSS "Invalid according to Policy: Policy Condition failed: `<unit>`".
    ConditionFailed {
        /// The condition the server names, when it does.
        related: Option<String>,
    },
    /// COS "Condition key `<key>` doesn't match the value `<value>`".
    ConditionKeyMismatch {
        /// The field.
        key: String,
        /// The value the server names.
        value: String,
    },
    /// COS "You post object request has been expired, expiration time: `<t>` but the time now : `<now>`".
    PostExpired {
        /// The policy's expiration, unix seconds.
        expiration: Option<i64>,
        /// The server's clock, unix seconds.
        now: Option<i64>,
    },
    /// COS InvalidPolicyDocument "You must provide condition if you specify a policy ...".
    NoCondition,
    /// COS MalformedPOSTRequest "... not well-formed multipart/form-data."
    MalformedBody,
}

/// What a Post Policy error means and which sigdiff checks address it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyErrorHint {
    /// The provider whose wording it is.
    pub provider: Provider,
    /// The error.
    pub kind: PolicyErrorKind,
    /// The finding codes `verify` reports for this cause (SIG5xx).
    pub codes: &'static [&'static str],
    /// Cause and fix, English.
    pub en: String,
    /// Cause and fix, Chinese.
    pub zh: String,
}

fn number_after(msg: &str, marker: &str) -> Option<i64> {
    let i = msg.find(marker)? + marker.len();
    let digits: String = msg[i..]
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

/// Recognise a Post Policy error message (the `<Message>` of the error body, or
/// any text containing it). `None` when it is not one.
pub fn explain_policy_error(message: &str) -> Option<PolicyErrorHint> {
    let m = message.trim();
    let verify = "Run `sigdiff verify --request <the captured POST>` to check every condition against the form.";
    let verify_zh = "用 `sigdiff verify --request <抓取的 POST 请求>` 逐条检查条件与表单。";
    if m.contains("Policy expired") {
        return Some(PolicyErrorHint {
            provider: Provider::Oss,
            kind: PolicyErrorKind::Expired,
            codes: &["SIG502", "SIG508"],
            en: format!("The policy's `expiration` (ISO 8601 UTC) is in the past for the server: sign a new policy with a later expiration, and check the signer's clock and time zone. {verify}"),
            zh: format!("对服务端而言 Policy 的 `expiration`（ISO 8601 UTC）已过：请用更晚的过期时间重新签发 Policy，并检查签发端的时钟与时区。{verify_zh}"),
        });
    }
    if let Some(i) = m.find("Policy Condition failed") {
        let rest = m[i + "Policy Condition failed".len()..]
            .trim_start_matches(':')
            .trim();
        let related = (!rest.is_empty()).then(|| rest.to_string());
        return Some(PolicyErrorHint {
            provider: Provider::Oss,
            kind: PolicyErrorKind::ConditionFailed { related },
            codes: &["SIG503", "SIG504", "SIG505"],
            en: format!("A condition of the policy is not met by the form (a field is missing, differs, does not start with the prefix, is outside a list, or the file size is outside content-length-range); field names are case-insensitive, values are not. {verify}"),
            zh: format!("表单不满足 Policy 的某个条件（表单域缺失、取值不同、前缀不符、不在列表内，或文件大小超出 content-length-range）；表单域名称不区分大小写，取值区分。{verify_zh}"),
        });
    }
    if let Some(i) = m.find("Condition key ") {
        let rest = &m[i + "Condition key ".len()..];
        let (key, value) = match rest.split_once(" doesn't match the value") {
            Some((k, v)) => (k.trim().to_string(), v.trim().to_string()),
            None => (
                rest.split_whitespace().next().unwrap_or("").to_string(),
                String::new(),
            ),
        };
        let sig = ["q-ak", "q-sign-algorithm", "q-sign-time"].contains(&key.as_str());
        return Some(PolicyErrorHint {
            provider: Provider::Cos,
            codes: if sig {
                &["SIG505"]
            } else {
                &["SIG503", "SIG504"]
            },
            en: format!(
                "The form's `{key}` does not satisfy the policy's condition on it{}. {}{verify}",
                if value.is_empty() {
                    String::new()
                } else {
                    format!(" (the server names `{value}`)")
                },
                if sig {
                    "q-ak must be the SecretId and q-sign-time the form's q-key-time, exactly. "
                } else {
                    ""
                }
            ),
            zh: format!(
                "表单的 `{key}` 不满足 Policy 中对它的条件{}。{}{verify_zh}",
                if value.is_empty() {
                    String::new()
                } else {
                    format!("（服务端给出 `{value}`）")
                },
                if sig {
                    "q-ak 必须是 SecretId，q-sign-time 必须与表单的 q-key-time 完全一致。"
                } else {
                    ""
                }
            ),
            kind: PolicyErrorKind::ConditionKeyMismatch { key, value },
        });
    }
    if m.contains("post object request has been expired") {
        return Some(PolicyErrorHint {
            provider: Provider::Cos,
            kind: PolicyErrorKind::PostExpired {
                expiration: number_after(m, "expiration time:"),
                now: number_after(m, "time now :"),
            },
            codes: &["SIG502"],
            en: format!("The policy's `expiration` is before the server's clock: sign a new policy with a later expiration. {verify}"),
            zh: format!("Policy 的 `expiration` 早于服务端时间：请用更晚的过期时间重新签发。{verify_zh}"),
        });
    }
    if m.contains("must provide condition") {
        return Some(PolicyErrorHint {
            provider: Provider::Cos,
            kind: PolicyErrorKind::NoCondition,
            codes: &[],
            en: "The policy has no `conditions` array; COS requires one (with q-sign-algorithm, q-ak and q-sign-time). sigdiff rejects such a policy as malformed input.".into(),
            zh: "Policy 没有 `conditions` 数组；COS 要求提供（包括 q-sign-algorithm、q-ak、q-sign-time）。sigdiff 会把这样的 Policy 视为格式错误的输入。".into(),
        });
    }
    if m.contains("not well-formed multipart/form-data") {
        return Some(PolicyErrorHint {
            provider: Provider::Cos,
            kind: PolicyErrorKind::MalformedBody,
            codes: &["SIG506", "SIG507", "SIG514"],
            en: format!("The body is not valid multipart/form-data: check the boundary in Content-Type against the body, CRLF line breaks, and that `file` is the last field. {verify}"),
            zh: format!("请求体不是合法的 multipart/form-data：请核对 Content-Type 中的 boundary 与请求体、CRLF 换行，以及 `file` 是否为最后一个表单域。{verify_zh}"),
        });
    }
    if m.contains("Invalid according to Policy") {
        return Some(PolicyErrorHint {
            provider: Provider::Oss,
            kind: PolicyErrorKind::ConditionFailed { related: None },
            codes: &["SIG502", "SIG503", "SIG504", "SIG505"],
            en: format!("The form does not satisfy its policy. {verify}"),
            zh: format!("表单不满足其 Policy。{verify_zh}"),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_and_cos_messages() {
        // shared/seeds/002.
        let h = explain_policy_error("Invalid according to Policy: Policy expired.").unwrap();
        assert_eq!(h.kind, PolicyErrorKind::Expired);
        assert!(h.codes.contains(&"SIG502"));
        let h = explain_policy_error(
            "Invalid according to Policy: Policy Condition failed: [\"starts-with\", \"$key\", \"user/\"]",
        )
        .unwrap();
        assert_eq!(
            h.kind,
            PolicyErrorKind::ConditionFailed {
                related: Some("[\"starts-with\", \"$key\", \"user/\"]".into())
            }
        );
        // cos-signing.md §4.
        let h = explain_policy_error("Condition key q-ak doesn't match the value XXXXXX").unwrap();
        assert_eq!(
            h.kind,
            PolicyErrorKind::ConditionKeyMismatch {
                key: "q-ak".into(),
                value: "XXXXXX".into()
            }
        );
        assert_eq!(h.codes, &["SIG505"]);
        let h = explain_policy_error("You post object request has been expired, expiration time: 1621188104 but the time now : 1621245817").unwrap();
        assert_eq!(
            h.kind,
            PolicyErrorKind::PostExpired {
                expiration: Some(1621188104),
                now: Some(1621245817)
            }
        );
        assert_eq!(
            explain_policy_error(
                "You must provide condition if you specify a policy in post object request."
            )
            .unwrap()
            .kind,
            PolicyErrorKind::NoCondition
        );
        assert_eq!(
            explain_policy_error(
                "The body of your POST request is not well-formed multipart/form-data."
            )
            .unwrap()
            .kind,
            PolicyErrorKind::MalformedBody
        );
        assert!(
            explain_policy_error("The request signature we calculated does not match").is_none()
        );
        let h = explain_policy_error("Condition key bucket doesn't match the value [bucket-appid]")
            .unwrap();
        assert!(h.en.contains("bucket") && !h.zh.is_empty());
    }
}
