//! Pre-checks and lint for a q-signed request: algorithm, time windows, what the
//! lists cover, and request features signers and servers read differently
//! (cos-signing.md §1, §2.2, §3, §7). Findings only; nothing here fails.

use super::authorization::QAuthRef as QAuth;
use super::http_headers::signed_by_default;
use super::http_parameters::TOKEN;
use super::key_time::TimeRange;
use super::pairs::{canonical_key, KeyList, Keys, Selection, Sort};
use crate::canonical::escape_visible;
use crate::encode::QueryParam;
use crate::finding::Finding;
use crate::oss::v1::human_duration;
use crate::time::rfc3339;

/// `q-sign-algorithm` must be `sha1` (cos-signing.md §1.1), `q-signature` 40
/// lower-case hex, `q-ak` a bare SecretId (§7 item 16).
pub fn fields(a: &QAuth<'_>, out: &mut Vec<Finding>) {
    match a.algorithm {
        Some("sha1") => {}
        other => {
            let shown = other.map_or("(absent)".to_string(), |v| {
                format!("`{}`", escape_visible(v))
            });
            out.push(Finding::new(
                "SIG100",
                Some("algorithm"),
                format!(
                    "q-sign-algorithm is {shown}; COS supports only `sha1` (cos-signing.md §1.1)."
                ),
                format!("q-sign-algorithm 为 {shown}；COS 只支持 `sha1`。"),
            ));
        }
    }
    let s = &a.signature;
    if s.len() != 40
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        let upper = s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit());
        out.push(Finding::new(
            "SIG119",
            Some("signature"),
            format!(
                "q-signature `{}` is not 40 lower-case hex digits{} (cos-signing.md §1.1).",
                crate::encode::truncate(&escape_visible(s), 60),
                if upper {
                    ": write the hex in lower case"
                } else {
                    ""
                }
            ),
            format!(
                "q-signature `{}` 不是 40 位小写十六进制数。",
                crate::encode::truncate(&escape_visible(s), 60)
            ),
        ));
    }
    if a.ak.is_empty() || a.ak.trim() != a.ak || a.ak.contains(char::is_whitespace) {
        out.push(Finding::new(
            "SIG121",
            Some("access-key-id"),
            format!("q-ak `{}` is empty or holds whitespace: a copy-paste error? (Go rejects such SecretIds, PHP trims them; cos-signing.md §7 item 16)", escape_visible(a.ak)),
            format!("q-ak `{}` 为空或含有空白：是否复制出错？", escape_visible(a.ak)),
        ));
    }
}

/// Time windows (cos-signing.md §2.2, §3 expiry, §7 item 9, §9 Q4/Q5). `sign` and
/// `key` are the parsed `q-sign-time` / `q-key-time`.
pub fn times(a: &QAuth<'_>, sign: TimeRange, key: TimeRange, now: i64, out: &mut Vec<Finding>) {
    if a.sign_time != a.key_time {
        out.push(Finding::new(
            "SIG101",
            Some("sign-time"),
            format!(
                "q-key-time `{}` differs from q-sign-time `{}`. sigdiff derives SignKey from q-key-time and puts q-sign-time in the StringToSign (Android/.NET); Go uses q-key-time for both and the docs use one value. Send the same value in both (cos-signing.md §2.2, Q4).",
                a.key_time, a.sign_time
            ),
            format!(
                "q-key-time `{}` 与 q-sign-time `{}` 不同。sigdiff 以 q-key-time 计算 SignKey、以 q-sign-time 写入 StringToSign（Android/.NET 的做法）；Go SDK 两处都用 q-key-time，文档中两者相同。请两处使用相同的值。",
                a.key_time, a.sign_time
            ),
        ));
    }
    let windows = [("q-sign-time", sign), ("q-key-time", key)];
    let n = if a.sign_time != a.key_time { 2 } else { 1 };
    for &(name, r) in &windows[..n] {
        let field = if name == "q-sign-time" {
            "sign-time"
        } else {
            "key-time"
        };
        if r.start >= 1_000_000_000_000 || r.end >= 1_000_000_000_000 {
            out.push(Finding::new(
                "SIG105",
                Some(field),
                format!("{name} `{r}` looks like milliseconds; COS wants unix seconds (cos-signing.md §1.1)."),
                format!("{name} `{r}` 看起来是毫秒；COS 需要秒级 Unix 时间戳。"),
            ));
            continue;
        }
        if r.end <= r.start {
            out.push(Finding::new(
                "SIG104",
                Some(field),
                format!("{name} `{r}` ends before it starts: the signature is expired from the outset (old docs: \"the end timestamp must be greater than the start timestamp\"; cos-signing.md §2.2)."),
                format!("{name} `{r}` 的结束时间不晚于开始时间：签名一开始即过期。"),
            ));
            continue;
        }
        if r.start > now {
            out.push(Finding::new(
                "SIG102",
                Some(field),
                format!(
                    "{name} starts at {} ({} after the reference time {}): the signature is not valid yet. A client clock ahead of the server's? SDKs back-date the start (Python/PHP 60 s, JS 1 s); COS's tolerance is undocumented (cos-signing.md §3, Q5).",
                    rfc3339(r.start), human_duration(r.start - now), rfc3339(now)
                ),
                format!(
                    "{name} 的开始时间 {} 晚于参考时间 {}（{}）：签名尚未生效。客户端时钟是否快于服务端？SDK 会把开始时间提前（Python/PHP 60 秒，JS 1 秒）。",
                    rfc3339(r.start), rfc3339(now), human_duration(r.start - now)
                ),
            ));
        }
        if r.end < now {
            out.push(Finding::new(
                "SIG103",
                Some(field),
                format!(
                    "{name} ended at {} ({} before the reference time): COS answers 403 AccessDenied \"Request has expired\" (cos-signing.md §3).",
                    rfc3339(r.end), human_duration(now - r.end)
                ),
                format!(
                    "{name} 已于 {} 结束（早于参考时间 {}）：COS 会返回 403 AccessDenied \"Request has expired\"。",
                    rfc3339(r.end), human_duration(now - r.end)
                ),
            ));
        }
    }
}

/// Upper-case letters in the lists (cos-signing.md §1.1, §7 item 11).
pub fn list_case(a: &QAuth<'_>, out: &mut Vec<Finding>) {
    for (name, v) in [
        ("q-header-list", a.header_list),
        ("q-url-param-list", a.url_param_list),
    ] {
        let Some(v) = v else { continue };
        if v.bytes().any(|b| b.is_ascii_uppercase()) {
            out.push(Finding::new(
                "SIG110",
                Some(name),
                format!("{name} `{}` has upper-case letters; the lists hold lower-cased encoded keys (`content-type`, `a%2fb`). sigdiff matched them lower-cased; the server may not (cos-signing.md §7 item 11).", escape_visible(v)),
                format!("{name} `{}` 含有大写字母；列表中应为编码后再小写的键。sigdiff 已按小写匹配，服务端未必如此。", escape_visible(v)),
            ));
        }
    }
}

/// What the request carries that the lists do not cover, and the other way round
/// (cos-signing.md §2.4, §2.5, §1.3 token, §7 item 15 strict mode).
#[allow(clippy::too_many_arguments)]
pub fn coverage<K: Keys + ?Sized>(
    headers: &[(&str, &str)],
    params: &[(&str, &str)],
    keys: (&KeyList, &KeyList),
    header_list: &K,
    param_list: &K,
    header_sel: &Selection<'_>,
    param_sel: &Selection<'_>,
    out: &mut Vec<Finding>,
) {
    let listed = |list: &K, k: &str| list.has_key(k);
    let mut seen: Vec<&str> = Vec::new();
    for (i, (n, _)) in headers.iter().enumerate() {
        if !signed_by_default(n) {
            continue;
        }
        let k = keys.0.get(i);
        if listed(header_list, k) || seen.contains(&k) {
            continue;
        }
        seen.push(k);
        if k == TOKEN {
            out.push(token_unsigned("header"));
            continue;
        }
        out.push(Finding::new(
            "SIG106",
            Some(&format!("header:{k}")),
            format!("Header `{n}` is sent but q-header-list does not cover it: it can be changed on the way, and a bucket in strict signature mode rejects the request (cos-signing.md §2.5, §7 item 15)."),
            format!("发送了头部 `{n}`，但 q-header-list 未包含它：它可能在途中被修改；开启严格签名模式的存储桶会拒绝该请求。"),
        ));
    }
    seen.clear();
    for (i, (n, _)) in params.iter().enumerate() {
        let k = keys.1.get(i);
        if listed(param_list, k) || seen.contains(&k) {
            continue;
        }
        seen.push(k);
        if k == TOKEN {
            out.push(token_unsigned("query parameter"));
            continue;
        }
        out.push(Finding::new(
            "SIG107",
            Some(&format!("query:{k}")),
            format!("Query parameter `{n}` is sent but q-url-param-list does not cover it: anyone can change it without breaking the signature (SDKs sign every parameter; cos-signing.md §2.4)."),
            format!("发送了查询参数 `{n}`，但 q-url-param-list 未包含它：任何人都可以修改它而不影响签名。"),
        ));
    }
    for k in &header_sel.missing {
        out.push(Finding::new(
            "SIG108",
            Some(&format!("header:{k}")),
            format!("q-header-list names `{k}` but the request has no such header; sigdiff signs `{k}=` (empty), the server's handling is undocumented. Sign only headers that are sent."),
            format!("q-header-list 包含 `{k}`，但请求中没有该头部；sigdiff 按 `{k}=`（空值）计算，服务端行为未见文档。只签实际发送的头部。"),
        ));
    }
    for k in &param_sel.missing {
        out.push(Finding::new(
            "SIG109",
            Some(&format!("query:{k}")),
            format!("q-url-param-list names `{k}` but the URL has no such parameter; sigdiff signs `{k}=` (empty), the server's handling is undocumented."),
            format!("q-url-param-list 包含 `{k}`，但 URL 中没有该参数；sigdiff 按 `{k}=`（空值）计算，服务端行为未见文档。"),
        ));
    }
    for (what, sel) in [("header", header_sel), ("query", param_sel)] {
        for k in &sel.repeated {
            out.push(Finding::new(
                "SIG118",
                Some(&format!("{what}:{k}")),
                format!("`{k}` appears more than once. Go signs every value (`{k}=v1&{k}=v2`, listed twice), Python/Java/JS keep one, PHP the first; the server's rule is unknown (cos-signing.md §2.4, Q2). Send it once."),
                format!("`{k}` 出现多次。Go 对每个值都签名，Python/Java/JS 只保留一个，PHP 取第一个；服务端规则未知。请只发送一次。"),
            ));
        }
    }
}

fn token_unsigned(place: &str) -> Finding {
    Finding::new(
        "SIG113",
        Some(&format!(
            "{}:{TOKEN}",
            if place == "header" { "header" } else { "query" }
        )),
        format!("The {place} `{TOKEN}` is sent but not signed. Java, PHP, JS/Node, Android and .NET send it so and the server accepts it; Go and Python sign it (cos-signing.md §1.3)."),
        format!("发送了 `{TOKEN}`（{place}）但未签名。Java、PHP、JS/Node、Android、.NET 都如此，服务端接受；Go 与 Python 会签名。"),
    )
}

/// Request features read differently on the way (cos-signing.md §7).
pub fn lint<'q, K: Keys + ?Sized>(
    raw_path: &str,
    query: impl Iterator<Item = &'q QueryParam<'q>>,
    param_list: &K,
    headers: &[(&str, &str)],
    raw_headers: &[(String, String)],
    header_list: &K,
    out: &mut Vec<Finding>,
) {
    let listed = |list: &K, k: &str| list.has_key(k);
    if raw_path.contains('+') {
        out.push(Finding::new(
            "SIG111",
            Some("path"),
            "The path has a literal '+'. The COS server reads it as a space in the signed path (its FormatString shows a space where <Resource> shows '+'): send '+' as %2B (cos-signing.md §7 item 2).",
            "路径中有未编码的 '+'。COS 服务端在签名路径中将其读作空格（FormatString 显示空格而 Resource 显示 '+'）：请将 '+' 编码为 %2B。",
        ));
    }
    for p in query {
        if p.raw_value.is_some_and(|v| v.contains('+'))
            && listed(param_list, &canonical_key(&p.name))
        {
            out.push(Finding::new(
                "SIG112",
                Some(&format!("query:{}", canonical_key(&p.name))),
                format!("The value of `{}` has a literal '+', read as a space when signed (form decoding); send %2B for a plus (cos-signing.md §2.4, §7 item 2).", p.name),
                format!("`{}` 的值中有未编码的 '+'，签名时被当作空格；若要表示加号请用 %2B。", p.name),
            ));
        }
    }
    if listed(header_list, "host") {
        if let Some((_, h)) = headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("host")) {
            if crate::address::host_without_port(h) != *h {
                out.push(Finding::new(
                    "SIG114",
                    Some("header:host"),
                    format!("Host `{h}` carries a port and is signed with it (the exact wire value, as Go does). The Python SDK signs the host without the port, and proxies may rewrite Host (cos-signing.md §2.7, §7 item 7)."),
                    format!("Host `{h}` 带端口，按线上实际值（含端口）签名（同 Go）。Python SDK 签名时去掉端口，代理也可能改写 Host。"),
                ));
            }
        }
    }
    for (n, v) in raw_headers {
        if v.trim_matches([' ', '\t']) == v {
            continue;
        }
        if listed(header_list, &canonical_key(n)) {
            out.push(Finding::new(
                "SIG020",
                Some(&format!("header:{}", canonical_key(n))),
                format!("Header `{n}` has leading or trailing whitespace (`{}`); HTTP strips it, so sigdiff signs the trimmed value (Java, flare); Go, Python and JS sign it as is (cos-signing.md §2.5).", escape_visible(v)),
                format!("头部 `{n}` 的值首尾有空白（`{}`）；HTTP 传输会去掉，sigdiff 按去掉后的值签名（Java、flare），Go、Python、JS 则原样签名。", escape_visible(v)),
            ));
        }
    }
}

/// When the encoded-key and raw-key sort orders give different texts for this
/// request (cos-signing.md §2.4 "Divergence", D7, §9 Q1), say so.
pub fn sort_matters(
    params: &Selection<'_>,
    headers: &Selection<'_>,
    used: Sort,
    out: &mut Vec<Finding>,
) {
    let other = match used {
        Sort::EncodedKey => Sort::RawKey,
        Sort::RawKey => Sort::EncodedKey,
    };
    for (what, ps) in [("HttpParameters", params), ("HttpHeaders", headers)] {
        if ps.is_sorted(other) {
            continue;
        }
        let (enc, raw) = (
            ps.join_sorted(Sort::EncodedKey),
            ps.join_sorted(Sort::RawKey),
        );
        out.push(Finding::new(
            "SIG120",
            None,
            format!("The {what} order depends on the sort rule here: `{enc}` sorted on encoded keys (Go, Python, Java, C++, PHP) vs `{raw}` on raw keys (JS/Node, C, iOS); the server's rule is unknown (cos-signing.md §2.4, D7, Q1). `--opt sort=raw-key` selects the other."),
            format!("此请求的 {what} 顺序取决于排序规则：按编码后键排序（Go、Python、Java、C++、PHP）为 `{enc}`，按原始键排序（JS/Node、C、iOS）为 `{raw}`；服务端规则未知。可用 `--opt sort=raw-key` 切换。"),
        ));
    }
}
