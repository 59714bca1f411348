//! V4 pre-checks that explain a rejection before (or besides) the signature
//! itself: time, credential, AdditionalHeaders, query form, header lint.
//! Every check emits findings; none fails.

use super::additional_headers::Received;
use super::canonical_query::{self, QueryMode};
use super::scope::{Credential, PRODUCT_CLOUDBOX, PRODUCT_OSS};
use super::signing_key::TERMINATOR;
use super::string_to_sign::ALGORITHM;
use super::{Form, TimeSource, V4Options};
use crate::canonical::escape_visible as vis;
use crate::encode::QueryParam;
use crate::finding::{Finding, Severity};
use crate::oss::v1::{human_duration, EmptyValues};
use crate::request::Request;
use crate::time::{parse_http_date, parse_iso_basic, rfc3339};

/// Largest `x-oss-expires` (§5: 7 days).
pub const MAX_EXPIRES: i64 = 604_800;
/// Allowed clock skew (§4.6, §10 item 14).
pub const MAX_SKEW: i64 = 15 * 60;

/// §4.1: only `OSS4-HMAC-SHA256`.
pub fn algorithm(alg: &str, field: &str, out: &mut Vec<Finding>) {
    if alg != ALGORITHM {
        let shown = if alg.is_empty() {
            "(missing)".to_string()
        } else {
            format!("`{}`", vis(alg))
        };
        out.push(Finding::new(
            "SIG214",
            Some(field),
            format!("The signature algorithm is {shown}; OSS V4 accepts only `{ALGORITHM}` (EC 0002-00000209)."),
            format!("签名算法为 {shown}；OSS V4 只接受 `{ALGORITHM}`（EC 0002-00000209）。"),
        ));
    }
}

/// Fields such as `SignedHeaders` (an S3 signer's habit) that V4 does not define.
pub fn unknown_fields(names: &[String], out: &mut Vec<Finding>) {
    if !names.is_empty() {
        let list = names.join(", ");
        out.push(Finding::new(
            "SIG220",
            Some("authorization"),
            format!("The Authorization header has fields OSS V4 does not define: {list}. OSS V4 has Credential, AdditionalHeaders and Signature (SignedHeaders is AWS SigV4's)."),
            format!("Authorization 头含有 OSS V4 未定义的字段：{list}。OSS V4 只有 Credential、AdditionalHeaders 与 Signature（SignedHeaders 属于 AWS SigV4）。"),
        ));
    }
}

/// Credential: terminator, region prefix, region vs endpoint, product (§4.4, §10 item 15).
pub fn credential(c: &Credential, endpoint_region: Option<&str>, out: &mut Vec<Finding>) {
    let s = &c.scope;
    if s.terminator != TERMINATOR {
        out.push(Finding::new(
            "SIG213",
            Some("scope"),
            format!("The credential ends with `{}`, not `{TERMINATOR}`; OSS answers \"Invalid credential\".", vis(&s.terminator)),
            format!("凭证以 `{}` 结尾，而不是 `{TERMINATOR}`；OSS 会返回 \"Invalid credential\"。", vis(&s.terminator)),
        ));
    }
    if let Some(bare) = s.region.strip_prefix("oss-") {
        out.push(Finding::new(
            "SIG200",
            Some("scope"),
            format!("The signing region is `{}`: V4 wants the region id without the `oss-` prefix (`{bare}`); OSS answers \"The signing region in credential is invalid.\"", s.region),
            format!("签名区域为 `{}`：V4 需要不带 `oss-` 前缀的区域 ID（`{bare}`）；OSS 会返回 \"The signing region in credential is invalid.\"", s.region),
        ));
    } else if let Some(er) = endpoint_region {
        if s.product == PRODUCT_OSS && er != s.region {
            out.push(Finding::new(
                "SIG215",
                Some("scope"),
                format!("The signing region `{}` is not the endpoint's region `{er}`; OSS answers \"The signing region in credential is invalid.\"", s.region),
                format!("签名区域 `{}` 与 Endpoint 的区域 `{er}` 不同；OSS 会返回 \"The signing region in credential is invalid.\"", s.region),
            ));
        }
    }
    if s.product != PRODUCT_OSS && s.product != PRODUCT_CLOUDBOX {
        out.push(Finding::new(
            "SIG218",
            Some("scope"),
            format!("The product in the credential is `{}`; OSS signs with `oss` (CloudBox: `oss-cloudbox`).", vis(&s.product)),
            format!("凭证中的产品为 `{}`；OSS 使用 `oss`（CloudBox 为 `oss-cloudbox`）。", vis(&s.product)),
        ));
    }
}

/// §1.1: 64 lower-case hex digits.
pub fn signature_format(sig: &str, out: &mut Vec<Finding>) {
    if sig.len() != 64
        || !sig
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        out.push(Finding::new(
            "SIG219",
            Some("signature"),
            format!("The signature `{}` is not 64 lower-case hex digits (hex of HMAC-SHA256; upper case or Base64 does not match).", vis(&crate::encode::truncate(sig, 80))),
            format!("签名 `{}` 不是 64 位小写十六进制数（HMAC-SHA256 的十六进制；大写或 Base64 都不匹配）。", vis(&crate::encode::truncate(sig, 80))),
        ));
    }
}

fn scope_day(ts_day: &str, scope_date: &str, out: &mut Vec<Finding>) {
    if ts_day != scope_date {
        out.push(Finding::new(
            "SIG201",
            Some("scope"),
            format!("The credential's scope date `{scope_date}` is not the UTC day of x-oss-date (`{ts_day}`); both must be the same day (a local-time date?)."),
            format!("凭证中的 scope 日期 `{scope_date}` 与 x-oss-date 的 UTC 日期（`{ts_day}`）不同；两者必须是同一天（是否用了本地时间？）。"),
        ));
    }
}

fn skew(t: i64, now: i64, what: &str, out: &mut Vec<Finding>) {
    let d = t - now;
    let dir = if d > 0 { "ahead of" } else { "behind" };
    let dir_zh = if d > 0 { "快于" } else { "慢于" };
    out.push(Finding::new(
        "SIG204",
        Some("date"),
        format!("{what} is {} {dir} the reference time {}; OSS allows 15 minutes (403 RequestTimeTooSkewed).", human_duration(d.abs()), rfc3339(now)),
        format!("{what} {dir_zh}参考时间 {} 达 {}；OSS 允许的偏差为 15 分钟（403 RequestTimeTooSkewed）。", rfc3339(now), human_duration(d.abs())),
    ));
}

fn malformed(what: &str, v: &str, out: &mut Vec<Finding>) {
    let hint = if parse_http_date(v).is_some() {
        " (this is the RFC 1123 format of V1's Date)"
    } else {
        ""
    };
    out.push(Finding::new(
        "SIG203",
        Some("date"),
        format!("{what} `{}` is not an ISO 8601 basic UTC time like `20231203T121212Z`{hint} (EC 0002-00000502).", vis(v)),
        format!("{what} `{}` 不是 ISO 8601 基本格式的 UTC 时间（例如 `20231203T121212Z`）（EC 0002-00000502）。", vis(v)),
    ));
}

/// Header form: x-oss-date present, well-formed, within 15 minutes, same day as the scope (§4.2, §4.4, §4.6).
pub fn header_time(
    req: &Request,
    src: TimeSource,
    ts: &str,
    scope_date: &str,
    now: i64,
    out: &mut Vec<Finding>,
) {
    match src {
        TimeSource::Missing => {
            let also = if req.header("date").is_some() {
                " The request has a Date header: the Go SDK v1 signs that instead (spec Q6; --opt v4_date=date-fallback reproduces it)."
            } else {
                ""
            };
            out.push(Finding::new(
                "SIG202",
                Some("date"),
                format!("x-oss-date is missing; V4 requires it as the request time and StringToSign timestamp.{also}"),
                "缺少 x-oss-date；V4 需要它作为请求时间和 StringToSign 中的时间戳。",
            ));
        }
        TimeSource::DateHeader => {
            out.push(Finding::new(
                "SIG216",
                Some("date"),
                format!("x-oss-date is missing; the Date header `{}` is used as the StringToSign timestamp, as the Go SDK v1 does (whether OSS accepts this is unverified, spec Q6).", vis(ts)),
                format!("缺少 x-oss-date；按 Go SDK v1 的做法以 Date 头 `{}` 作为 StringToSign 时间戳（OSS 是否接受未经验证，规范 Q6）。", vis(ts)),
            ));
            match parse_http_date(ts) {
                Some(t) => {
                    if (t - now).abs() > MAX_SKEW {
                        skew(t, now, "Date", out);
                    }
                    scope_day(&crate::time::ymd(t), scope_date, out);
                }
                None => malformed("Date", ts, out),
            }
        }
        TimeSource::XOssDate => match parse_iso_basic(ts) {
            None => malformed("x-oss-date", ts, out),
            Some(t) => {
                if (t - now).abs() > MAX_SKEW {
                    skew(t, now, "x-oss-date", out);
                }
                scope_day(&ts[..8], scope_date, out);
            }
        },
    }
}

/// URL form: x-oss-date well-formed and not in the future by more than 15 minutes,
/// x-oss-expires in 1..604800, not expired (§5; Q9).
pub fn url_time(
    date: Option<&str>,
    expires: Option<&str>,
    scope_date: &str,
    now: i64,
    out: &mut Vec<Finding>,
) {
    let t = match date {
        None => {
            out.push(Finding::new(
                "SIG202",
                Some("query:x-oss-date"),
                "The presigned V4 URL lacks x-oss-date (the signing time).",
                "V4 签名 URL 缺少 x-oss-date（签名时间）。",
            ));
            None
        }
        Some(d) => match parse_iso_basic(d.trim()) {
            None => {
                malformed("x-oss-date", d, out);
                None
            }
            Some(t) => {
                // §5: "允许向后偏移15分钟" — a start time up to 15 minutes ahead is accepted.
                if t - now > MAX_SKEW {
                    skew(t, now, "x-oss-date", out);
                }
                scope_day(&d.trim()[..8], scope_date, out);
                Some(t)
            }
        },
    };
    let n = match expires {
        None => {
            out.push(Finding::new(
                "SIG206",
                Some("query:x-oss-expires"),
                "The presigned V4 URL lacks x-oss-expires (EC 0002-00000215).",
                "V4 签名 URL 缺少 x-oss-expires（EC 0002-00000215）。",
            ));
            return;
        }
        Some(e) => e.trim().parse::<i64>().ok(),
    };
    let raw = expires.unwrap_or("");
    match n {
        Some(n) if (1..=MAX_EXPIRES).contains(&n) => {
            if let Some(t) = t {
                if t + n < now {
                    out.push(Finding::new(
                        "SIG205",
                        Some("query:x-oss-expires"),
                        format!("The URL expired at {} (x-oss-date + {n} s), {} before the reference time; OSS answers 403 AccessDenied \"Request has expired.\"", rfc3339(t + n), human_duration(now - t - n)),
                        format!("URL 已于 {}（x-oss-date + {n} 秒）过期，早于参考时间 {}；OSS 会返回 403 AccessDenied \"Request has expired.\"", rfc3339(t + n), human_duration(now - t - n)),
                    ));
                }
            }
        }
        Some(n) if n > 1_000_000_000 => out.push(Finding::new(
            "SIG206",
            Some("query:x-oss-expires"),
            format!("x-oss-expires `{n}` looks like a unix time ({}); V4 wants a duration in seconds, 1..604800 (V1's Expires is absolute, V4's is relative).", rfc3339(n)),
            format!("x-oss-expires `{n}` 看起来是 Unix 时间戳（{}）；V4 需要 1..604800 之间的秒数（V1 的 Expires 是绝对时间，V4 的是相对时长）。", rfc3339(n)),
        )),
        _ => out.push(Finding::new(
            "SIG206",
            Some("query:x-oss-expires"),
            format!("x-oss-expires `{}` is not a number of seconds in 1..604800 (7 days).", vis(raw)),
            format!("x-oss-expires `{}` 不是 1..604800（7 天）之间的秒数。", vis(raw)),
        )),
    }
}

/// §4.2: header form sends `x-oss-content-sha256: UNSIGNED-PAYLOAD` (EC 0002-00000214).
pub fn content_sha256(req: &Request, out: &mut Vec<Finding>) {
    match req.header("x-oss-content-sha256").map(str::trim) {
        Some("UNSIGNED-PAYLOAD") => {}
        Some(v) => out.push(Finding::new(
            "SIG207",
            Some("header:x-oss-content-sha256"),
            format!("x-oss-content-sha256 is `{}`; OSS wants `UNSIGNED-PAYLOAD` (EC 0002-00000214).", vis(v)),
            format!("x-oss-content-sha256 为 `{}`；OSS 要求 `UNSIGNED-PAYLOAD`（EC 0002-00000214）。", vis(v)),
        )),
        None => out.push(
            Finding::new(
                "SIG207",
                Some("header:x-oss-content-sha256"),
                "x-oss-content-sha256 is missing; every SDK sends `UNSIGNED-PAYLOAD` and signs it (the payload line is `UNSIGNED-PAYLOAD` either way).",
                "缺少 x-oss-content-sha256；所有 SDK 都会发送并签名 `UNSIGNED-PAYLOAD`（载荷行均为 `UNSIGNED-PAYLOAD`）。",
            )
            .with_severity(Severity::Warning),
        ),
    }
}

/// URL auth parameters sent twice (reuses V1's SIG032).
pub fn repeated(names: &[&str], out: &mut Vec<Finding>) {
    for n in names {
        out.push(Finding::new(
            "SIG032",
            Some(&format!("query:{n}")),
            format!("`{n}` appears more than once in the URL; sigdiff uses the first value, and every value is part of the canonical query."),
            format!("URL 中 `{n}` 出现多次；sigdiff 使用第一个值，且所有值都参与规范查询串。"),
        ));
    }
}

/// AdditionalHeaders rules (§4.1, §4.3; Q8).
pub fn additional(r: &Received, form: Form, out: &mut Vec<Finding>) {
    let field = match form {
        Form::Header => "additional-headers",
        Form::Url => "query:x-oss-additional-headers",
    };
    if r.has_empty {
        let (en, ec) = if r.raw.trim().is_empty() {
            ("AdditionalHeaders is present but empty", "0002-00000209")
        } else {
            (
                "AdditionalHeaders has an empty element (a stray `;`)",
                "0002-00000210",
            )
        };
        out.push(Finding::new(
            "SIG208",
            Some(field),
            format!("{en}: `{}` (EC {ec}); leave the field out when no header is added.", vis(&r.raw)),
            format!("AdditionalHeaders 为空或含有空元素：`{}`（EC {ec}）；不需要额外头部时请省略该字段。", vis(&r.raw)),
        ));
    }
    if r.not_canonical {
        out.push(Finding::new(
            "SIG211",
            Some(field),
            format!("AdditionalHeaders `{}` is not lower-case, sorted and unique; the canonical request uses `{}` (oss2 sorts by first character only).", vis(&r.raw), r.lower.join(";")),
            format!("AdditionalHeaders `{}` 不是小写、有序且无重复的；规范请求中使用 `{}`（oss2 只按首字母排序）。", vis(&r.raw), r.lower.join(";")),
        ));
    }
    for n in &r.default_signed {
        out.push(Finding::new(
            "SIG210",
            Some(field),
            format!("AdditionalHeaders lists `{n}`, which is signed anyway (x-oss-*, content-type, content-md5); SDKs drop it from the list."),
            format!("AdditionalHeaders 列出了 `{n}`，它默认即参与签名（x-oss-*、content-type、content-md5）；SDK 会将其从列表中去掉。"),
        ));
    }
    for n in &r.absent {
        out.push(Finding::new(
            "SIG209",
            Some(field),
            format!("AdditionalHeaders lists `{n}`, but the request has no such header; the Go/Python v2 SDKs leave it out, ali-oss refuses, the server's treatment is unknown (spec Q8): sigdiff signs no `{n}:` line."),
            format!("AdditionalHeaders 列出了 `{n}`，但请求中没有该头部；Go/Python v2 SDK 会将其省略，ali-oss 会报错，服务端的处理未知（规范 Q8）：sigdiff 不为其生成 `{n}:` 行。"),
        ));
    }
}

/// Q2: when the wire query is not already canonical, signers that copy it
/// (GO2, PY2) and the server's re-encoding disagree; `k=` is signed bare (§10 item 6).
pub fn query_form(query: &[QueryParam], opts: &V4Options, skip: &str, out: &mut Vec<Finding>) {
    if query.is_empty() {
        return;
    }
    let canonical = |p: &QueryParam| {
        canonical_query::is_canonical_raw(p.raw_name)
            && p.raw_value.is_none_or(canonical_query::is_canonical_raw)
    };
    // All canonical on the wire: re-encoding and copying agree (no allocation).
    if query.iter().all(|p| p.name == skip || canonical(p)) {
        if opts.empty_values == EmptyValues::Bare {
            empty_values(query, skip, out);
        }
        return;
    }
    let re = canonical_query::pairs(query, QueryMode::ReEncode, EmptyValues::Bare, skip);
    let raw = canonical_query::pairs(query, QueryMode::RawWire, EmptyValues::Bare, skip);
    if re != raw {
        let at = re
            .iter()
            .zip(&raw)
            .find(|(a, b)| a != b)
            .map(|(a, _)| a.0.clone())
            .unwrap_or_default();
        let (re_t, raw_t) = (canonical_query::text(&re), canonical_query::text(&raw));
        out.push(Finding::new(
            "SIG212",
            Some(&format!("query:{at}")),
            format!("The URL query is not in canonical RFC 3986 form (upper-case %XX, nothing else escaped or left raw): re-encoded it signs as `{}`, copied as sent (Go/Python v2 SDKs) as `{}`; which the server uses is unverified (spec Q2). Send the canonical form.", vis(&re_t), vis(&raw_t)),
            format!("URL 查询串不是规范的 RFC 3986 形式：重新编码后为 `{}`，原样复制（Go/Python v2 SDK）为 `{}`；服务端采用哪种未经验证（规范 Q2）。请发送规范形式。", vis(&re_t), vis(&raw_t)),
        ));
    }
    if opts.empty_values == EmptyValues::Bare {
        empty_values(query, skip, out);
    }
}

fn empty_values(query: &[QueryParam], skip: &str, out: &mut Vec<Finding>) {
    for p in query {
        if p.name != skip && p.raw_value == Some("") {
            out.push(Finding::new(
                "SIG217",
                Some(&format!("query:{}", crate::encode::encode(&p.name))),
                format!("`{}=` is signed as the bare name `{}` (ali-oss signs `{}=` for an empty string).", p.raw_name, p.raw_name, p.raw_name),
                format!("`{}=` 以裸名称 `{}` 参与签名（ali-oss 对空字符串会签 `{}=`）。", p.raw_name, p.raw_name, p.raw_name),
            ));
        }
    }
}

/// Signed headers with edge whitespace (SIG020) or sent twice (SIG021), as for V1.
pub fn signed_headers(req: &Request, additional: &[String], out: &mut Vec<Finding>) {
    let signed = |n: &str| {
        (n.len() >= 6 && n.as_bytes()[..6].eq_ignore_ascii_case(b"x-oss-"))
            || n.eq_ignore_ascii_case("content-type")
            || n.eq_ignore_ascii_case("content-md5")
            || additional.iter().any(|a| a.eq_ignore_ascii_case(n))
    };
    for (i, (n, v)) in req.headers.iter().enumerate() {
        if !signed(n) {
            continue;
        }
        let edge = v.trim_matches([' ', '\t']) != v;
        let first = !req.headers[..i]
            .iter()
            .any(|(m, _)| m.eq_ignore_ascii_case(n));
        let second = !first
            && req.headers[..i]
                .iter()
                .filter(|(m, _)| m.eq_ignore_ascii_case(n))
                .count()
                == 1;
        if !edge && !second {
            continue;
        }
        let field = format!("header:{}", n.to_ascii_lowercase());
        if edge {
            out.push(Finding::new(
                "SIG020",
                Some(&field),
                format!("Header `{n}` has leading or trailing whitespace (`{}`); the server signs the trimmed value, PY1/PY2 sign it as is.", vis(v)),
                format!("头部 `{n}` 的值首尾有空白（`{}`）；服务端按去掉空白后的值签名，PY1/PY2 则原样签名。", vis(v)),
            ));
        }
        if second {
            out.push(Finding::new(
                "SIG021",
                Some(&field),
                format!("Header `{n}` is sent more than once; the values are joined with `,` (GO2), GO1 signs only the first."),
                format!("头部 `{n}` 出现多次；其值以 `,` 合并（GO2），GO1 只签第一个。"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::verify::{prepare, VerifyOptions};
    use crate::Request;

    const SIG: &str = "e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe";
    const NOW: i64 = 1702743657; // 20231216T162057Z

    fn auth(scope: &str, extra: &str) -> String {
        format!("OSS4-HMAC-SHA256 Credential=ak/{scope}{extra},Signature={SIG}")
    }

    /// Finding codes (with fields) of a request.
    fn codes(url: &str, headers: &[(&str, &str)]) -> Vec<(String, Option<String>)> {
        let r = Request::from_url(
            "GET",
            url,
            headers
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        )
        .unwrap();
        let o = VerifyOptions {
            now: NOW,
            ..Default::default()
        };
        prepare(&r, &o)
            .unwrap()
            .findings
            .into_iter()
            .map(|f| (f.code.to_string(), f.field))
            .collect()
    }

    fn has(c: &[(String, Option<String>)], code: &str) -> bool {
        c.iter().any(|(x, _)| x == code)
    }

    const URL: &str = "https://bucket.oss-cn-hangzhou.aliyuncs.com/k";
    const SCOPE: &str = "20231216/cn-hangzhou/oss/aliyun_v4_request";

    fn header_codes(a: &str, more: &[(&str, &str)]) -> Vec<(String, Option<String>)> {
        let mut h = vec![
            ("Authorization", a),
            ("x-oss-content-sha256", "UNSIGNED-PAYLOAD"),
        ];
        h.extend_from_slice(more);
        codes(URL, &h)
    }

    #[test]
    fn clean_header_request_has_no_findings() {
        let c = header_codes(&auth(SCOPE, ""), &[("x-oss-date", "20231216T162057Z")]);
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn time_checks_header() {
        let a = auth(SCOPE, "");
        assert!(has(&header_codes(&a, &[]), "SIG202"));
        assert!(has(
            &header_codes(&a, &[("x-oss-date", "2023-12-16T16:20:57Z")]),
            "SIG203"
        ));
        assert!(has(
            &header_codes(&a, &[("x-oss-date", "20231216T164057Z")]),
            "SIG204"
        ));
        assert!(!has(
            &header_codes(&a, &[("x-oss-date", "20231216T163457Z")]),
            "SIG204"
        ));
        // §4.4: scope date must be the day of x-oss-date.
        let c = header_codes(
            &auth("20231217/cn-hangzhou/oss/aliyun_v4_request", ""),
            &[("x-oss-date", "20231216T162057Z")],
        );
        assert!(has(&c, "SIG201"), "{c:?}");
    }

    #[test]
    fn credential_and_algorithm_checks() {
        let d = [("x-oss-date", "20231216T162057Z")];
        let c = header_codes(
            &auth("20231216/oss-cn-hangzhou/oss/aliyun_v4_request", ""),
            &d,
        );
        assert!(has(&c, "SIG200") && !has(&c, "SIG215"), "{c:?}");
        let c = header_codes(&auth("20231216/cn-shanghai/oss/aliyun_v4_request", ""), &d);
        assert!(has(&c, "SIG215"), "{c:?}");
        let c = header_codes(&auth("20231216/cn-hangzhou/oss/aws4_request", ""), &d);
        assert!(has(&c, "SIG213"), "{c:?}");
        let c = header_codes(&auth("20231216/cn-hangzhou/s3/aliyun_v4_request", ""), &d);
        assert!(has(&c, "SIG218"), "{c:?}");
        let c = header_codes(
            &auth(SCOPE, "").replace("OSS4-HMAC-SHA256 ", "OSS4-HMAC-SHA256X "),
            &d,
        );
        assert!(has(&c, "SIG214"), "{c:?}");
        let c = header_codes(&auth(SCOPE, "").replace(SIG, &SIG.to_uppercase()), &d);
        assert!(has(&c, "SIG219"), "{c:?}");
        let c = header_codes(&auth(SCOPE, ",SignedHeaders=host"), &d);
        assert!(has(&c, "SIG220"), "{c:?}");
    }

    #[test]
    fn content_sha256() {
        let a = auth(SCOPE, "");
        let r = Request::from_url(
            "GET",
            URL,
            vec![
                ("Authorization".into(), a.clone()),
                ("x-oss-date".into(), "20231216T162057Z".into()),
                ("x-oss-content-sha256".into(), "e3b0c442".into()),
            ],
        )
        .unwrap();
        let p = prepare(
            &r,
            &VerifyOptions {
                now: NOW,
                ..Default::default()
            },
        )
        .unwrap();
        let f = p.findings.iter().find(|f| f.code == "SIG207").unwrap();
        assert_eq!(f.severity, crate::Severity::Error);
        // The payload line is the header's value (§4.3).
        assert_eq!(p.stages[0].1.get("payload-hash").unwrap(), "e3b0c442");
        let c = codes(
            URL,
            &[("Authorization", &a), ("x-oss-date", "20231216T162057Z")],
        );
        assert!(has(&c, "SIG207"));
    }

    #[test]
    fn additional_headers_checks() {
        let d = [("x-oss-date", "20231216T162057Z"), ("abc", "v")];
        let c = header_codes(&auth(SCOPE, ",AdditionalHeaders="), &d);
        assert!(has(&c, "SIG208"), "{c:?}");
        let c = header_codes(&auth(SCOPE, ",AdditionalHeaders=abc;"), &d);
        assert!(has(&c, "SIG208"), "{c:?}");
        let c = header_codes(&auth(SCOPE, ",AdditionalHeaders=abc;range"), &d);
        assert!(has(&c, "SIG209") && !has(&c, "SIG211"), "{c:?}");
        let c = header_codes(&auth(SCOPE, ",AdditionalHeaders=abc;x-oss-date"), &d);
        assert!(has(&c, "SIG210"), "{c:?}");
        let c = header_codes(&auth(SCOPE, ",AdditionalHeaders=host;abc"), &d);
        assert!(has(&c, "SIG211"), "{c:?}");
        let c = header_codes(&auth(SCOPE, ",AdditionalHeaders=abc;host"), &d);
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn query_form_checks() {
        let a = auth(SCOPE, "");
        let d = [
            ("Authorization", a.as_str()),
            ("x-oss-date", "20231216T162057Z"),
            ("x-oss-content-sha256", "UNSIGNED-PAYLOAD"),
        ];
        // Q2: a lower-case escape and an unencoded `*`.
        let c = codes(&format!("{URL}?prefix=a%2fb&k=x*"), &d);
        assert!(
            c.iter()
                .any(|(x, f)| x == "SIG212" && f.as_deref() == Some("query:k")),
            "{c:?}"
        );
        assert!(!has(
            &codes(&format!("{URL}?prefix=a%2Fb&acl"), &d),
            "SIG212"
        ));
        // Edge whitespace and a repeated signed header (SIG020, SIG021).
        let mut h = d.to_vec();
        h.extend([
            ("x-oss-meta-a", " 1"),
            ("X-Oss-Meta-A", "2"),
            ("x-oss-meta-a", "3"),
        ]);
        let c = codes(URL, &h);
        assert_eq!(c.iter().filter(|(x, _)| x == "SIG020").count(), 1, "{c:?}");
        assert_eq!(c.iter().filter(|(x, _)| x == "SIG021").count(), 1, "{c:?}");
        // `k=` is signed bare (ali-oss differs).
        assert!(has(
            &codes(&format!("{URL}?continuation-token="), &d),
            "SIG217"
        ));
    }

    #[test]
    fn url_form_checks() {
        let base = "https://bucket.oss-cn-hangzhou.aliyuncs.com/k?x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-credential=ak%2F20231216%2Fcn-hangzhou%2Foss%2Faliyun_v4_request";
        let sig = format!("&x-oss-signature={SIG}");
        let c = codes(
            &format!("{base}&x-oss-date=20231216T162057Z&x-oss-expires=60{sig}"),
            &[],
        );
        assert!(c.is_empty(), "{c:?}");
        for (q, code) in [
            ("&x-oss-date=20231216T160000Z&x-oss-expires=60", "SIG205"),
            ("&x-oss-date=20231216T162057Z&x-oss-expires=0", "SIG206"),
            (
                "&x-oss-date=20231216T162057Z&x-oss-expires=604801",
                "SIG206",
            ),
            (
                "&x-oss-date=20231216T162057Z&x-oss-expires=1702747257",
                "SIG206",
            ),
            ("&x-oss-date=20231216T162057Z", "SIG206"),
            ("&x-oss-expires=60", "SIG202"),
            ("&x-oss-date=1702743657&x-oss-expires=60", "SIG203"),
            ("&x-oss-date=20231216T170000Z&x-oss-expires=60", "SIG204"),
            ("&x-oss-date=20231217T000000Z&x-oss-expires=60", "SIG201"),
            (
                "&x-oss-date=20231216T162057Z&x-oss-expires=60&x-oss-expires=61",
                "SIG032",
            ),
        ] {
            let c = codes(&format!("{base}{q}{sig}"), &[]);
            assert!(has(&c, code), "{q}: {code} not in {c:?}");
        }
        // A presigned URL 10 minutes in the past is fine (only the future is bounded, §5).
        let c = codes(
            &format!("{base}&x-oss-date=20231216T161057Z&x-oss-expires=3600{sig}"),
            &[],
        );
        assert!(c.is_empty(), "{c:?}");
        // Version missing or wrong.
        let c = codes(
            &format!(
                "{}&x-oss-date=20231216T162057Z&x-oss-expires=60{sig}",
                base.replace("x-oss-signature-version=OSS4-HMAC-SHA256&", "")
            ),
            &[],
        );
        assert!(has(&c, "SIG214"));
    }
}
