//! The catalogue of known client mistakes and SDK behaviours, as data.
//!
//! Each [`Entry`] names a mistake once (id, schemes, finding code, spec section,
//! what the client did and the fix, in English and Chinese) and carries a
//! generator that turns it into concrete [`Instance`]s for one request: the
//! text the client signed (rendered through the scheme's model, i.e. the
//! library's own canonicalisation of a changed request, address, options or
//! model) and/or the key it signed with. An instance's id is the entry id, or
//! `entry-id:arg` for entries with one instance per header, parameter or offset.

use super::ctx::{Ctx, Instance, KeySpec, SecretForm, Tier, SKEW_PAIR_SECONDS};
use super::mac::Kind;
use super::mime;
use super::splice::Splice;
use crate::address::HostStyle;
use crate::cos::pairs::canonical_key;
use crate::encode::{self, encode, encode_path, PlusMeans};
use crate::oss::v1::{DateSource, Duplicates, EmptyValues, HeaderValues, SubresourceList};
use crate::oss::v4::QueryMode;
use crate::request::Request;
use crate::time;

/// OSS V1 header form.
pub const V1H: u8 = 1;
/// OSS V1 presigned URL.
pub const V1U: u8 = 2;
/// OSS V4 header form.
pub const V4H: u8 = 4;
/// OSS V4 presigned URL.
pub const V4U: u8 = 8;
/// COS header form.
pub const CH: u8 = 16;
/// COS presigned URL.
pub const CU: u8 = 32;
const V1: u8 = V1H | V1U;
const V4: u8 = V4H | V4U;
const COS: u8 = CH | CU;
const ALL: u8 = V1 | V4 | COS;

/// A generator: the instances of an entry for one request (none when it does not apply).
pub type Gen = fn(&Ctx, &mut Vec<Instance>);

/// One known mistake or SDK behaviour.
pub struct Entry {
    /// Stable id (`content-type.signed-empty`, `sdk:sort=raw-key`).
    pub id: &'static str,
    /// Schemes it applies to (bit set of [`V1H`], [`V1U`], [`V4H`], [`V4U`], [`CH`], [`CU`]).
    pub schemes: u8,
    /// Finding code when it alone reproduces the signature (SIG410–SIG419).
    pub code: &'static str,
    /// The spec section the mistake is documented in.
    pub spec: &'static str,
    /// What the client did, completing "The client …"; `{}` takes the instance's note.
    pub en: &'static str,
    /// The same in Chinese, completing "客户端…".
    pub zh: &'static str,
    /// The fix, one sentence.
    pub fix_en: &'static str,
    /// The fix in Chinese.
    pub fix_zh: &'static str,
    /// Instances for a request.
    pub gen: Gen,
}

impl Entry {
    /// The scheme bit of a signature family and form.
    pub fn bit(kind: Kind, url: bool) -> u8 {
        match (kind, url) {
            (Kind::V1, false) => V1H,
            (Kind::V1, true) => V1U,
            (Kind::V4, false) => V4H,
            (Kind::V4, true) => V4U,
            (Kind::Cos, false) => CH,
            (Kind::Cos, true) => CU,
        }
    }

    /// Does the entry apply to this scheme?
    pub fn applies(&self, kind: Kind, url: bool) -> bool {
        self.schemes & Entry::bit(kind, url) != 0
    }
}

macro_rules! entry {
    ($id:literal, $s:expr, $code:literal, $spec:literal, $en:literal, $zh:literal, $fen:literal, $fzh:literal, $gen:expr) => {
        Entry {
            id: $id,
            schemes: $s,
            code: $code,
            spec: $spec,
            en: $en,
            zh: $zh,
            fix_en: $fen,
            fix_zh: $fzh,
            gen: $gen,
        }
    };
}

/// The default catalogue, in reporting order (generic mistakes before SDK behaviours).
pub const CATALOGUE: &[Entry] = &[
    // ------------------------------------------------------------ Content-Type / MD5
    entry!("content-type.signed-empty", ALL, "SIG410", "oss-signing.md §10.1; cos-signing.md §7.6",
        "signed no Content-Type, but the request carries one: the HTTP library or a proxy added it after signing",
        "签名时没有 Content-Type，但请求带有该头：HTTP 库或代理在签名后加上了它",
        "Set the Content-Type header before signing and sign exactly that value (or stop the HTTP library from adding one).",
        "请在签名前设置 Content-Type 并按该值签名（或禁止 HTTP 库自动添加）。",
        g_ct_empty),
    entry!("content-type.charset-added", ALL, "SIG410", "oss-signing.md §10.1; cos-signing.md §7.6",
        "signed Content-Type without the charset the HTTP library appended afterwards",
        "签名的 Content-Type 不含 HTTP 库随后追加的 charset",
        "Sign the Content-Type exactly as sent, charset included, or set the full value yourself so the library does not append one.",
        "请按实际发送的 Content-Type（含 charset）签名，或自行设置完整值以免 HTTP 库追加。",
        g_ct_charset_added),
    entry!("content-type.charset-variant", ALL, "SIG410", "oss-signing.md §10.1; cos-signing.md §7.6",
        "signed Content-Type `{}`, a charset spelling the HTTP library rewrote before sending",
        "签名的 Content-Type 为 `{}`，其 charset 写法被 HTTP 库在发送前改写",
        "Sign the Content-Type byte for byte as it goes on the wire (spacing and case of the charset included).",
        "请按线上实际发送的 Content-Type 逐字节签名（含 charset 的空格与大小写）。",
        g_ct_charset_variant),
    entry!("content-type.from-extension", ALL, "SIG410", "oss-signing.md §10.1",
        "signed Content-Type `{}`, guessed from the object key's extension, but sent another one",
        "签名的 Content-Type 为按对象扩展名推测的 `{}`，实际发送的却是另一个值",
        "Send the Content-Type the signer guessed (or sign the one you send).",
        "请发送签名时推测的 Content-Type（或按实际发送的值签名）。",
        g_ct_ext),
    entry!("content-type.form-default", ALL, "SIG410", "oss-signing.md §10.1",
        "signed Content-Type `application/x-www-form-urlencoded` (an HTTP library default) but sent another one",
        "签名的 Content-Type 为 `application/x-www-form-urlencoded`（HTTP 库默认值），实际发送的却是另一个值",
        "Sign the Content-Type that is actually sent.",
        "请按实际发送的 Content-Type 签名。",
        g_ct_form),
    entry!("content-type.octet-default", ALL, "SIG410", "oss-signing.md §10.1",
        "signed Content-Type `application/octet-stream` (an SDK default) but sent another one",
        "签名的 Content-Type 为 `application/octet-stream`（SDK 默认值），实际发送的却是另一个值",
        "Sign the Content-Type that is actually sent.",
        "请按实际发送的 Content-Type 签名。",
        g_ct_octet),
    entry!("content-md5.signed-empty", ALL, "SIG410", "oss-signing.md §2.2; cos-signing.md §2.5",
        "signed no Content-MD5, but the request carries one (computed after signing)",
        "签名时没有 Content-MD5，但请求带有该头（在签名之后才计算）",
        "Compute Content-MD5 before signing and sign it.",
        "请在签名前计算 Content-MD5 并将其纳入签名。",
        g_md5_empty),
    // ------------------------------------------------------------ time
    entry!("date.x-oss-date-added", V1H, "SIG411", "oss-signing.md §2.3",
        "signed the Date header and no x-oss-date line: x-oss-date was added after signing, and the server signs its value instead of Date",
        "签名时用的是 Date 头且没有 x-oss-date 行：x-oss-date 在签名后才加上，而服务端以它代替 Date 签名",
        "Add x-oss-date before signing (its value goes into the Date line and into the x-oss-* headers), or do not send it.",
        "请在签名前加上 x-oss-date（其值进入 Date 行和 x-oss-* 头部），或者不要发送它。",
        g_x_oss_date_added),
    entry!("date.iso-format", V1H, "SIG411", "oss-signing.md §2.3, §11 Q3",
        "signed the Date line in another format (`{}`) than the one sent",
        "Date 行签名时使用了另一种格式（`{}`）",
        "Sign the date string exactly as sent (RFC 1123 GMT for V1).",
        "请按发送的日期字符串原样签名（V1 使用 RFC 1123 GMT 格式）。",
        g_iso_format),
    entry!("date.local-as-gmt", ALL, "SIG411", "oss-signing.md §2.3, §4.2; cos-signing.md §7.9",
        "signed the local time of {} labelled as GMT/UTC instead of the time sent",
        "签名时把 {} 的本地时间当作 GMT/UTC 使用，而不是发送的时间",
        "Format the signing time from UTC (e.g. `gmtime`, `toUTCString`, `timegm`), never from local time.",
        "请用 UTC 时间格式化签名时间（如 gmtime、toUTCString、timegm），不要用本地时间。",
        g_local_as_gmt),
    entry!("date.skew", ALL, "SIG411", "oss-signing.md §2.3, §10.14; cos-signing.md §7.9",
        "signed a time {} off the one sent: the clock was read twice, or the HTTP library replaced the date header after signing",
        "签名用的时间与发送的相差 {}：时钟被读取了两次，或 HTTP 库在签名后替换了日期头",
        "Read the clock once and use that one value both in the signed string and on the wire.",
        "请只读取一次时钟，并在签名字符串和请求中使用同一个值。",
        g_skew),
    entry!("expires.milliseconds", V1U | COS, "SIG411", "oss-signing.md §3, peers-and-pitfalls.md §B item 11",
        "signed the expiry time in {} while the URL carries the other unit",
        "签名时的过期时间单位为{}，而 URL 中使用了另一种单位",
        "Use unix seconds (10 digits) both in the URL and in the signed string.",
        "请在 URL 与签名字符串中都使用秒级 Unix 时间戳（10 位）。",
        g_ms),
    // ------------------------------------------------------------ object key, bucket, path
    entry!("key.encoded", V1 | COS, "SIG412", "oss-signing.md §2.5; cos-signing.md §2.6, §7.1",
        "signed the object key percent-encoded; the server signs the decoded key",
        "签名时对象键是百分号编码后的形式；服务端签名的是解码后的键",
        "Sign the raw (decoded) object key and percent-encode it only in the URL.",
        "请用原始（解码后）的对象键签名，只在 URL 中做百分号编码。",
        g_key_encoded),
    entry!("key.encoded-twice", ALL, "SIG412", "oss-signing.md §1.2, §4.3; cos-signing.md §7.4",
        "signed the object key encoded twice (an already encoded key was encoded again)",
        "签名时对象键被编码了两次（已编码的键又被编码）",
        "Encode the key exactly once: V1 and COS sign it decoded, V4 encodes the decoded key once.",
        "对象键只编码一次：V1 与 COS 签名时用解码后的键，V4 对解码后的键编码一次。",
        g_key_encoded_twice),
    entry!("key.not-encoded", V4, "SIG412", "oss-signing.md §4.3",
        "signed the canonical URI without percent-encoding the key",
        "签名时 CanonicalURI 中的对象键没有做百分号编码",
        "Percent-encode the key in the V4 canonical URI (RFC 3986, `/` kept).",
        "V4 的 CanonicalURI 中请对对象键做百分号编码（RFC 3986，保留 `/`）。",
        g_key_not_encoded),
    entry!("key.plus-as-space", ALL, "SIG412", "oss-signing.md §10.2; cos-signing.md §7.2",
        "signed the object key with `+` read as a space",
        "签名时把对象键中的 `+` 当作空格",
        "Sign `+` as `+` and send it as %2B in the URL.",
        "签名时 `+` 就是 `+`，在 URL 中请编码为 %2B。",
        g_key_plus_as_space),
    entry!("key.space-as-plus", ALL, "SIG412", "oss-signing.md §10.2, §10.3; cos-signing.md §7.2",
        "signed the object key with spaces written as `+` (form encoding), while the server reads a space",
        "签名时把对象键中的空格写成了 `+`（表单编码），而服务端读到的是空格",
        "Sign spaces as spaces and send them as %20 (never `+`) in the URL.",
        "签名时空格就是空格，在 URL 中请编码为 %20（不要用 `+`）。",
        g_key_space_as_plus),
    entry!("key.leading-slash-kept", ALL, "SIG412", "oss-signing.md §10.9; cos-signing.md §7.17",
        "signed the object key with an extra leading `/`",
        "签名时对象键多了一个前导 `/`",
        "Strip the leading `/` from the key before signing (or send it, encoded as %2F).",
        "签名前请去掉对象键的前导 `/`（或者在请求中以 %2F 发送它）。",
        g_slash_kept),
    entry!("key.leading-slash-stripped", ALL, "SIG412", "oss-signing.md §10.9; cos-signing.md §2.6, §7.17",
        "signed the object key without its leading `/`",
        "签名时去掉了对象键的前导 `/`",
        "Sign the key exactly as sent, leading `/` included.",
        "请按发送的对象键原样签名，包括前导 `/`。",
        g_slash_stripped),
    entry!("bucket.doubled", ALL, "SIG412", "oss-signing.md §10.15; cos-signing.md §2.6",
        "signed the bucket twice in the resource (a path-style path plus the bucket)",
        "签名时资源路径中 Bucket 出现了两次（路径风格的路径再加上 Bucket）",
        "Put the bucket into the signed resource once: /bucket/key for OSS, the request path for COS.",
        "签名资源中 Bucket 只能出现一次：OSS 为 /bucket/key，COS 为请求路径。",
        g_bucket_doubled),
    entry!("bucket.missing", ALL, "SIG412", "oss-signing.md §2.5, §4.3; cos-signing.md §2.6",
        "signed the resource without the bucket",
        "签名时资源路径中没有 Bucket",
        "Sign /bucket/key for OSS (whatever the host style), and the full path of a path-style COS request.",
        "OSS 请签 /bucket/key（不论域名风格）；COS 路径风格请求请签完整路径。",
        g_bucket_missing),
    // ------------------------------------------------------------ query
    entry!("query.left-out", ALL, "SIG413", "oss-signing.md §2.5, §4.3, §10.7; cos-signing.md §2.4",
        "did not sign the query parameter `{}`, which the server signs",
        "没有对查询参数 `{}` 签名，而服务端会签它",
        "Sign every parameter the server signs (V1: every sub-resource; V4: all; COS: every name in q-url-param-list), or add it after signing only when it is not signed.",
        "请对服务端签名的所有参数签名（V1：所有子资源；V4：全部；COS：q-url-param-list 中的每个名称）。",
        g_q_left_out),
    entry!("query.signed-extra", V1 | COS, "SIG413", "oss-signing.md §2.5, §10.7; cos-signing.md §2.4",
        "signed the query parameter `{}`, which the server does not sign",
        "对查询参数 `{}` 签了名，而服务端不签它",
        "V1: sign only sub-resources; COS: sign exactly the parameters listed in q-url-param-list.",
        "V1 只对子资源签名；COS 只对 q-url-param-list 中列出的参数签名。",
        g_q_extra),
    entry!("query.equals-form", ALL, "SIG413", "oss-signing.md §2.5, §10.6; cos-signing.md §2.4",
        "wrote the empty parameter `{}` in the other form (`k=` vs bare `k`)",
        "空值参数 `{}` 的写法不对（`k=` 与裸名 `k`）",
        "OSS signs an empty value as the bare name (`acl`); COS signs it as `acl=`.",
        "OSS 将空值参数签为裸名（`acl`）；COS 签为 `acl=`。",
        g_q_equals),
    entry!("query.value-form", ALL, "SIG413", "oss-signing.md §2.5, §4.3; cos-signing.md §2.4, §7.4",
        "signed the value of `{}` in the wrong encoding (V1 signs it decoded, V4 and COS encoded once)",
        "参数 `{}` 的值编码形式不对（V1 签解码后的值，V4 与 COS 签编码一次的值）",
        "Decode the value from the URL, then sign it decoded (V1) or encoded exactly once (V4, COS).",
        "请先从 URL 解码参数值，再按 V1 解码形式或 V4/COS 编码一次的形式签名。",
        g_q_value_form),
    entry!("query.value-encoded-twice", V4 | COS, "SIG413", "oss-signing.md §4.3; cos-signing.md §7.4",
        "signed the value of `{}` encoded twice",
        "参数 `{}` 的值被编码了两次",
        "Decode the wire value once and encode it once for signing.",
        "请将 URL 中的值解码一次，签名时再编码一次。",
        g_q_twice),
    entry!("query.sorted-before-encoding", V4, "SIG413", "oss-signing.md §4.3, §10.20",
        "sorted the query parameters by their decoded names instead of the encoded ones",
        "按解码后的参数名而不是编码后的参数名排序",
        "Encode the names first, then sort bytewise.",
        "请先编码参数名，再按字节排序。",
        g_q_sort_decoded),
    entry!("query.key-escapes-upper", COS, "SIG413", "cos-signing.md §2.4, §7.5",
        "wrote the parameter key `{}` with upper-case escapes (lower-cased before encoding)",
        "参数键 `{}` 使用了大写的百分号转义（在编码之前做了小写化）",
        "Encode the key first, then lower-case the whole result (escapes included).",
        "请先编码参数键，再将结果整体小写（包括转义序列）。",
        g_q_key_upper),
    entry!("query.value-escapes-lower", COS, "SIG413", "cos-signing.md §2.4, §7.5",
        "wrote the value of `{}` with lower-case escapes",
        "参数 `{}` 的值使用了小写的百分号转义",
        "Keep values' escapes upper-case (`%2F`); only keys are lower-cased.",
        "值的转义请保持大写（`%2F`）；只有键需要小写。",
        g_q_value_lower),
    entry!("query.key-case", COS, "SIG413", "cos-signing.md §2.4",
        "did not lower-case the parameter key `{}`",
        "没有将参数键 `{}` 转为小写",
        "Lower-case every parameter key (after encoding) in the HttpParameters and q-url-param-list.",
        "请将 HttpParameters 与 q-url-param-list 中的参数键（编码后）全部小写。",
        g_q_key_case),
    entry!("query-order.unsorted", ALL, "SIG413", "oss-signing.md §2.5, §4.3; cos-signing.md §2.4",
        "kept the query parameters in the order sent instead of sorting them",
        "按发送顺序而不是排序后的顺序排列查询参数",
        "Sort the signed parameters bytewise by name (V4, COS: by the encoded name).",
        "请将参与签名的参数按名称字节序排序（V4、COS 按编码后的名称）。",
        g_q_unsorted),
    // ------------------------------------------------------------ headers
    entry!("header.left-out", ALL, "SIG414", "oss-signing.md §2.4, §4.3, §10.18; cos-signing.md §2.5",
        "did not sign the header `{}`, which the server signs: it was added after signing",
        "没有对头部 `{}` 签名，而服务端会签它：它是在签名后才加上的",
        "Add every header that will be sent and is signed (x-oss-*, content-*, listed headers) before signing.",
        "请在签名前加上所有要发送且参与签名的头部（x-oss-*、content-*、列出的头部）。",
        g_h_left_out),
    entry!("header.signed-extra", COS, "SIG414", "cos-signing.md §2.5",
        "signed the header `{}` without listing it in q-header-list",
        "对头部 `{}` 签了名，却没有把它列入 q-header-list",
        "List in q-header-list exactly the headers in the HttpHeaders.",
        "q-header-list 必须与 HttpHeaders 中的头部完全一致。",
        g_h_extra),
    entry!("header.name-case", ALL, "SIG414", "oss-signing.md §2.4, §4.3; cos-signing.md §2.5",
        "signed header names in their original case instead of lower case",
        "签名时头部名称保留了原始大小写，而不是小写",
        "Lower-case header names in the signed string.",
        "签名字符串中的头部名称请使用小写。",
        g_h_name_case),
    entry!("header.inner-spaces-collapsed", ALL, "SIG414", "oss-signing.md §2.4, §11 Q4; cos-signing.md §9 Q8",
        "collapsed the runs of spaces inside the value of `{}`",
        "把头部 `{}` 值中的连续空格合并了",
        "Sign header values as sent; do not collapse inner spaces.",
        "请按发送的值签名，不要合并值内部的空格。",
        g_h_collapse),
    entry!("header-order.unsorted", ALL, "SIG414", "oss-signing.md §2.4, §4.3; cos-signing.md §2.5",
        "kept the signed headers in the order sent instead of sorting them by name",
        "按发送顺序而不是名称排序排列参与签名的头部",
        "Sort the signed headers bytewise by lower-case name.",
        "请将参与签名的头部按小写名称字节序排序。",
        g_h_unsorted),
    entry!("header.host-port", V4 | COS, "SIG414", "cos-signing.md §2.7, §7.7",
        "signed the Host without its port (`{}`), while the wire Host has one",
        "签名的 Host 不带端口（`{}`），而实际发送的 Host 带端口",
        "Sign exactly the Host that goes on the wire, port included.",
        "请按实际发送的 Host 签名，包括端口。",
        g_h_host_port),
    entry!("header.host-unlisted", V4, "SIG414", "oss-signing.md §4.3, §10.18",
        "signed a host line without listing host in AdditionalHeaders",
        "签了 host 行，却没有在 AdditionalHeaders 中列出 host",
        "List host in AdditionalHeaders when it is signed, or do not sign it.",
        "若签名包含 host，请在 AdditionalHeaders 中列出它；否则不要签它。",
        g_h_host_unlisted),
    entry!("security-token.placement", V1, "SIG414", "oss-signing.md §2.7, §3, §10.16",
        "signed the security token in the other place (`{}`) than where it was sent",
        "安全令牌的签名位置（`{}`）与发送位置不同",
        "V1 header requests sign x-oss-security-token as a header; V1 URLs sign security-token as a sub-resource.",
        "V1 头部签名将 x-oss-security-token 作为头部签名；V1 URL 将 security-token 作为子资源签名。",
        g_token_placement),
    // ------------------------------------------------------------ V4 scope, payload, AdditionalHeaders
    entry!("scope.signed-with", V4, "SIG417", "oss-signing.md §4.4, §4.5, §10.15",
        "signed with {} in its StringToSign scope and signing key, but wrote the credential's value",
        "签名时 StringToSign 的 scope 与签名密钥使用了 {}，而凭证中写的是另一个值",
        "Use the same date, region id (without `oss-`) and product in the credential, the scope and the signing key.",
        "凭证、scope 与签名密钥请使用同一日期、区域 ID（不带 `oss-`）与产品。",
        g_scope_both),
    entry!("signing-key.derived-with", V4, "SIG417", "oss-signing.md §4.5",
        "derived the signing key with {} while its StringToSign scope has the credential's value",
        "派生签名密钥时使用了 {}，而 StringToSign 的 scope 使用凭证中的值",
        "Derive the signing key from exactly the scope written in the credential.",
        "请按凭证中的 scope 派生签名密钥。",
        g_scope_key),
    entry!("scope.written-with", V4, "SIG417", "oss-signing.md §4.4",
        "wrote {} into its StringToSign scope while the key and the credential use another value",
        "在 StringToSign 的 scope 中写入了 {}，而签名密钥与凭证使用另一个值",
        "Write the credential's scope into the StringToSign.",
        "StringToSign 中请写入凭证中的 scope。",
        g_scope_text),
    entry!("payload-hash.unsigned", V4, "SIG419", "oss-signing.md §4.2, §4.3",
        "signed the payload line UNSIGNED-PAYLOAD, but sent another x-oss-content-sha256",
        "载荷行签的是 UNSIGNED-PAYLOAD，但发送的 x-oss-content-sha256 是另一个值",
        "Send x-oss-content-sha256: UNSIGNED-PAYLOAD and sign that same value.",
        "请发送 x-oss-content-sha256: UNSIGNED-PAYLOAD 并按该值签名。",
        g_payload_unsigned),
    entry!("payload-hash.empty-body", V4, "SIG419", "oss-signing.md §4.3",
        "signed the SHA-256 of an empty body as the payload line (an S3-style signer)",
        "载荷行签的是空请求体的 SHA-256（S3 风格的签名实现）",
        "Sign the payload line as x-oss-content-sha256 says (UNSIGNED-PAYLOAD).",
        "载荷行请按 x-oss-content-sha256 的值签名（UNSIGNED-PAYLOAD）。",
        g_payload_empty),
    entry!("additional-headers.unsorted", V4, "SIG419", "oss-signing.md §4.3",
        "signed the AdditionalHeaders line in the order written instead of sorted",
        "AdditionalHeaders 行按书写顺序而不是排序后的顺序签名",
        "Lower-case, de-duplicate and sort the AdditionalHeaders names, in the header and in the canonical request.",
        "请将 AdditionalHeaders 的名称小写、去重并排序（头部与规范请求中一致）。",
        g_ah_unsorted),
    entry!("additional-headers.line-empty", V4, "SIG419", "oss-signing.md §4.3",
        "left the AdditionalHeaders line of the canonical request empty (the headers' lines are there)",
        "规范请求中的 AdditionalHeaders 行为空（但这些头部的行存在）",
        "Write the sorted AdditionalHeaders list into the canonical request.",
        "请将排序后的 AdditionalHeaders 列表写入规范请求。",
        g_ah_line_empty),
    entry!("additional-headers.lines-missing", V4, "SIG419", "oss-signing.md §4.3",
        "did not put the additional headers' lines into the canonical headers",
        "没有把 AdditionalHeaders 中的头部写入规范头部",
        "Every header listed in AdditionalHeaders is signed as a `name:value` line.",
        "AdditionalHeaders 中列出的每个头部都要以 `name:value` 行参与签名。",
        g_ah_lines_missing),
    entry!("additional-headers.not-signed", V4, "SIG419", "oss-signing.md §4.3",
        "signed no additional headers at all, but listed some in the request",
        "签名时完全没有附加头部，但请求中列出了 AdditionalHeaders",
        "Sign the headers you list, or do not list them.",
        "请对列出的头部签名，或者不要列出它们。",
        g_ah_not_signed),
    // ------------------------------------------------------------ COS key time / SignKey
    entry!("sign-key.raw-bytes", COS, "SIG417", "cos-signing.md §2.1, §7.8",
        "keyed the second HMAC with SignKey's 20 raw bytes instead of its 40 hex characters",
        "第二次 HMAC 使用了 SignKey 的 20 字节原始值，而不是 40 个十六进制字符",
        "Use the lower-case hex text of SignKey as the HMAC key.",
        "请使用 SignKey 的小写十六进制字符串作为 HMAC 密钥。",
        g_raw_sign_key),
    entry!("key-time.from-sign-time", COS, "SIG417", "cos-signing.md §2.2, §7.10",
        "derived SignKey from q-sign-time instead of q-key-time",
        "用 q-sign-time 而不是 q-key-time 派生 SignKey",
        "Derive SignKey from q-key-time and put q-sign-time in the StringToSign (best: keep both equal).",
        "请用 q-key-time 派生 SignKey，StringToSign 中写 q-sign-time（最好两者相同）。",
        g_key_from_sign),
    entry!("sign-time.from-key-time", COS, "SIG417", "cos-signing.md §2.2, §7.10",
        "put q-key-time into the StringToSign instead of q-sign-time (the Go SDK does)",
        "在 StringToSign 中写入了 q-key-time 而不是 q-sign-time（Go SDK 即如此）",
        "Write q-sign-time into the StringToSign, or send equal q-sign-time and q-key-time.",
        "StringToSign 中请写 q-sign-time，或让 q-sign-time 与 q-key-time 相同。",
        g_sts_from_key),
    entry!("key-time.start-backdated", COS, "SIG411", "cos-signing.md §2.2 (SDK windows)",
        "signed a key time whose start is {} earlier than the one sent",
        "签名用的 key time 起始时间比发送的早 {}",
        "Compute the time window once and send the very values you signed.",
        "请只计算一次时间窗口，并发送签名时用的同一组值。",
        g_backdated),
    // ------------------------------------------------------------ credentials
    entry!("secret.whitespace", ALL, "SIG415", "cos-signing.md §7.16; peers-and-pitfalls.md §B",
        "signed with the secret {}",
        "签名用的密钥{}",
        "Strip whitespace and line breaks from the secret when you load it.",
        "读取密钥时请去掉首尾空白与换行。",
        g_secret_ws),
    entry!("secret.other-credential", ALL, "SIG415", "peers-and-pitfalls.md §B",
        "signed with another of the given secrets ({})",
        "使用了所给的另一个密钥（{}）签名",
        "Pair the AccessKeyId in the request with its own secret.",
        "请让请求中的 AccessKeyId 与其对应的密钥配对使用。",
        g_secret_other),
    entry!("access-key-id.swapped", ALL, "SIG415", "peers-and-pitfalls.md §B",
        "used the AccessKeyId as the HMAC key (AccessKeyId and secret swapped)",
        "把 AccessKeyId 当作 HMAC 密钥使用（AccessKeyId 与密钥对调了）",
        "Sign with the secret and send the AccessKeyId; check the order of the two in your configuration.",
        "请用密钥签名、在请求中发送 AccessKeyId；检查配置中两者的顺序。",
        g_ak_swapped),
    // ------------------------------------------------------------ the signature in the URL
    entry!("signature.plus-read-as-space", V1U, "SIG418", "oss-signing.md §3, §10.2; peers-and-pitfalls.md §B item 12",
        "put the Base64 signature into the URL with a raw `+` (not encoded, or decoded again on the way), which the server reads as a space",
        "URL 中的 Base64 签名含有未编码的 `+`（未编码或在途中被再次解码），服务端将其读作空格",
        "Percent-encode the signature in the URL (+ as %2B, / as %2F, = as %3D), exactly once.",
        "URL 中的签名请做且只做一次百分号编码（+ 为 %2B，/ 为 %2F，= 为 %3D）。",
        g_sig_plus),
    entry!("signature.encoded-twice", V1U, "SIG418", "oss-signing.md §3; peers-and-pitfalls.md §B item 12",
        "percent-encoded the signature twice in the URL",
        "URL 中的签名被百分号编码了两次",
        "Percent-encode the signature exactly once.",
        "签名只需百分号编码一次。",
        g_sig_twice),
    // ------------------------------------------------------------ SDK behaviours (options)
    entry!("sdk:subresources", V1, "SIG416", "oss-signing.md §2.6, §11 Q1",
        "signed the sub-resources of the `{}` list (an official SDK's list, not the server's)",
        "按 `{}` 的子资源列表签名（官方 SDK 的列表，而非服务端的）",
        "Upgrade the SDK, or avoid the parameter: the server signs this sub-resource differently.",
        "请升级 SDK，或不要使用该参数：服务端对该子资源的签名方式不同。",
        g_sdk_subresources),
    entry!("sdk:header_values=raw", V1 | V4, "SIG416", "oss-signing.md §2.4, §4.3, §10.11",
        "signed header values untrimmed, as oss2, alibabacloud-oss-v2 (and V1: Java v2, Go v1) do",
        "按未去除首尾空白的头部值签名（oss2、alibabacloud-oss-v2，V1 下还有 Java v2、Go v1 如此）",
        "Do not send header values with leading or trailing whitespace.",
        "请不要发送首尾带空白的头部值。",
        g_sdk_header_raw),
    entry!("sdk:duplicates=first", V1 | V4, "SIG416", "oss-signing.md §2.4, §10.12",
        "signed only the first value of a repeated header, as the Go SDK v1 does",
        "对重复头部只签了第一个值（Go SDK v1 的做法）",
        "Send each signed header once.",
        "参与签名的头部请只发送一次。",
        g_sdk_dup_first),
    entry!("sdk:duplicates=last", V1 | V4, "SIG416", "oss-signing.md §2.4, §10.12",
        "signed only the last value of a repeated header, as ali-oss does",
        "对重复头部只签了最后一个值（ali-oss 的做法）",
        "Send each signed header once.",
        "参与签名的头部请只发送一次。",
        g_sdk_dup_last),
    entry!("sdk:empty_values=keep-equals", V1 | V4, "SIG416", "oss-signing.md §2.5, §4.3, §10.6",
        "signed empty parameters as `name=`, as the Java SDK v1 (V1) and ali-oss (V4) do",
        "将空值参数签为 `name=`（V1 下 Java SDK v1、V4 下 ali-oss 的做法）",
        "Send empty sub-resources bare (`?acl`), or pass null instead of an empty string to the SDK.",
        "空值子资源请以裸名发送（`?acl`），或向 SDK 传入 null 而不是空字符串。",
        g_sdk_keep_equals),
    entry!("sdk:date_source=date-only", V1H, "SIG416", "oss-signing.md §2.3, §10.13",
        "signed the Date header although x-oss-date is present, as the Go SDK v1 and Java SDK v1 do",
        "虽然存在 x-oss-date 仍签了 Date 头（Go SDK v1 与 Java SDK v1 的做法）",
        "Do not send an x-oss-date that differs from Date with these SDKs (or send the same value in both).",
        "使用这些 SDK 时请不要发送与 Date 不同的 x-oss-date（或让两者取值相同）。",
        g_sdk_date_only),
    entry!("sdk:plus_in_query=plus", ALL, "SIG416", "oss-signing.md §10.2; cos-signing.md §2.4",
        "read a literal `+` in the query as a plus sign (alibabacloud-oss-v2 `unquote`), while the server reads a space",
        "把查询串中的 `+` 当作加号（alibabacloud-oss-v2 的 `unquote`），而服务端将其读作空格",
        "Send a plus sign as %2B and a space as %20 in the query.",
        "查询串中加号请编码为 %2B，空格编码为 %20。",
        g_sdk_plus_query),
    entry!("sdk:query=raw-wire", V4, "SIG416", "oss-signing.md §4.3, §11 Q2",
        "copied the wire query text into the canonical query without re-encoding it, as the Go SDK v2 and alibabacloud-oss-v2 do",
        "把 URL 中的查询串原样复制进规范查询串而未重新编码（Go SDK v2 与 alibabacloud-oss-v2 的做法）",
        "Send the query in RFC 3986 form (upper-case escapes, `*` as %2A) so both readings agree.",
        "请以 RFC 3986 形式发送查询串（大写转义，`*` 为 %2A），使两种读法一致。",
        g_sdk_raw_wire),
    entry!("sdk:query=locale-compare", V4, "SIG416", "oss-signing.md §4.3, §10.20",
        "sorted the query names with `localeCompare` before encoding, as ali-oss does",
        "在编码前用 `localeCompare` 对查询参数名排序（ali-oss 的做法）",
        "Avoid parameter names whose order changes under encoding or case-insensitive comparison, or upgrade the SDK.",
        "请避免编码或忽略大小写比较会改变顺序的参数名，或升级 SDK。",
        g_sdk_locale),
    entry!("sdk:additional_headers_order=py1", V4, "SIG416", "oss-signing.md §4.3, §10.21",
        "signed the AdditionalHeaders line sorted by first character only (oss2's `sort(key=lambda x: x[0])` order, as oss2 writes the Authorization list) instead of fully sorted",
        "AdditionalHeaders 行只按首字符排序（即 oss2 `sort(key=lambda x: x[0])` 写入 Authorization 的顺序），而不是完全排序",
        "Sort the names fully (bytewise) in the canonical request, whatever order the Authorization lists them in.",
        "规范请求中请将名称完全按字节排序，不论 Authorization 中以何种顺序列出。",
        g_sdk_py1),
    entry!("sdk:v4_date=date-fallback", V4H, "SIG416", "oss-signing.md §4.2, §11 Q6",
        "used the Date header as the V4 timestamp (no x-oss-date), as the Go SDK v1 does",
        "以 Date 头作为 V4 时间戳（没有 x-oss-date），Go SDK v1 的做法",
        "Send x-oss-date (yyyymmddTHHMMSSZ) and sign it.",
        "请发送 x-oss-date（yyyymmddTHHMMSSZ）并对其签名。",
        g_sdk_date_fallback),
    entry!("sdk:sort=raw-key", COS, "SIG416", "cos-signing.md §2.4, §9 Q1",
        "sorted the pairs by the raw keys before encoding, as the JS/Node, C and iOS SDKs do",
        "在编码前按原始键排序（JS/Node、C、iOS SDK 的做法）",
        "Avoid keys whose order changes under encoding (e.g. `a.b` and `a/b`), or sort encoded keys.",
        "请避免编码会改变顺序的键（如 `a.b` 与 `a/b`），或按编码后的键排序。",
        g_sdk_raw_key),
    entry!("sdk:repeated=first", COS, "SIG416", "cos-signing.md §2.4, §2.5, §9 Q2",
        "signed only the first value of a repeated name, as the PHP SDK does for headers",
        "对重复名称只签了第一个值（PHP SDK 对头部的做法）",
        "Send each signed header or parameter once.",
        "参与签名的头部或参数请只发送一次。",
        g_sdk_rep_first),
    entry!("sdk:repeated=last", COS, "SIG416", "cos-signing.md §2.4, §9 Q2",
        "signed only the last value of a repeated name, as the Python, Java and JS SDKs (maps) do",
        "对重复名称只签了最后一个值（Python、Java、JS SDK 使用映射表的做法）",
        "Send each signed header or parameter once.",
        "参与签名的头部或参数请只发送一次。",
        g_sdk_rep_last),
    entry!("sdk:header_whitespace=raw", COS, "SIG416", "cos-signing.md §2.5, §9 Q8",
        "signed header values untrimmed, as the Go, Python and JS SDKs do",
        "按未去除首尾空白的头部值签名（Go、Python、JS SDK 的做法）",
        "Do not send header values with leading or trailing whitespace.",
        "请不要发送首尾带空白的头部值。",
        g_sdk_cos_ws),
    entry!("sdk:plus_in_path=plus", COS, "SIG416", "cos-signing.md §7.2",
        "signed a literal `+` in the path as a plus sign, while COS reads it as a space",
        "把路径中的 `+` 当作加号签名，而 COS 将其读作空格",
        "Send `+` in the path as %2B.",
        "路径中的 `+` 请编码为 %2B 发送。",
        g_sdk_plus_path),
];

// ============================================================ helpers

/// Per-item families (one hypothesis per header or parameter) look at this
/// many items at most ([`Ctx::item_limit`] lowers it for long texts), so a
/// request with thousands of parameters stays cheap.
pub const MAX_ITEMS: usize = 64;

/// Replace `old` by `new` in the server fields that hold it (found once per value).
fn set_header(r: &mut Request, name: &str, v: Option<&str>) {
    r.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    if let Some(v) = v {
        r.headers.push((name.to_string(), v.to_string()));
    }
}

fn ct_sent(c: &Ctx) -> Option<String> {
    c.req
        .header("content-type")
        .map(|v| v.trim_matches([' ', '\t']).to_string())
}

/// `text/plain; charset=utf-8` → `text/plain` (every charset parameter dropped).
fn strip_charset(ct: &str) -> String {
    ct.split(';')
        .filter(|p| !p.trim().to_ascii_lowercase().starts_with("charset="))
        .collect::<Vec<_>>()
        .join(";")
        .trim_end()
        .to_string()
}

fn push_ct(c: &Ctx, out: &mut Vec<Instance>, arg: &str, v: Option<&str>) {
    if v.map(str::to_string) == ct_sent(c) {
        return;
    }
    let text = c.with_req(|r| set_header(r, "Content-Type", v));
    out.push(
        Instance::text(arg, c.header_field("content-type"), text)
            .note(v.unwrap_or(""), v.unwrap_or("")),
    );
}

fn key_field(c: &Ctx) -> &'static str {
    match c.kind {
        Kind::V1 => "resource",
        Kind::V4 => "canonical-uri",
        Kind::Cos => "path",
    }
}

fn has_bucket(c: &Ctx) -> bool {
    c.p.address.bucket.is_some()
}

/// Query field names of this scheme's text for a pair key / decoded name.
fn qfield(key: &str) -> String {
    format!("query:{key}")
}

fn first_index<T>(items: &[T], f: impl FnMut(&T) -> bool) -> usize {
    items.iter().position(f).unwrap_or(usize::MAX)
}

fn collapse(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut prev = false;
    for ch in v.chars() {
        let ws = ch == ' ' || ch == '\t';
        if ws {
            if !prev {
                out.push(' ');
            }
        } else {
            out.push(ch);
        }
        prev = ws;
    }
    out
}

fn lower_escapes(v: &str) -> String {
    let b = v.as_bytes();
    let mut out = String::with_capacity(v.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 3 <= b.len()
            && b[i + 1].is_ascii_hexdigit()
            && b[i + 2].is_ascii_hexdigit()
        {
            out.push('%');
            out.push(b[i + 1].to_ascii_lowercase() as char);
            out.push(b[i + 2].to_ascii_lowercase() as char);
            i += 3;
            continue;
        }
        let ch = v[i..].chars().next().expect("char boundary");
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

fn decode_plus(s: &str) -> String {
    encode::decode(s, PlusMeans::Plus, "value")
        .map(|c| c.into_owned())
        .unwrap_or_else(|_| s.to_string())
}

fn offset_label(off: i64) -> String {
    let sign = if off < 0 { '-' } else { '+' };
    let a = off.abs();
    format!("{sign}{:02}:{:02}", a / 3600, a % 3600 / 60)
}

/// The client's view had it signed at the server's time + `off` seconds:
/// splices of the first-stage text and key changes (oss-signing.md §2.3, §3,
/// §4.2/§4.4; cos-signing.md §2.2).
/// A field's text cut around every occurrence of the time value, so that a
/// shifted time is spliced in without searching again (`str::replace` is
/// `split(old).join(new)`).
struct Cut<'c> {
    field: usize,
    name: &'c str,
    pieces: Vec<&'c str>,
}

impl Cut<'_> {
    fn splice(&self, new: &str) -> Splice {
        Splice {
            start: self.field as u16,
            end: self.field as u16 + 1,
            text: self.pieces.join(new),
            names: vec![self.name.to_string()],
        }
    }
}

/// The request's time, parsed once for a family of shifts (the per-second skew
/// family has 1,800 members: parsing and searching once keeps it cheap).
enum TimeBase<'c> {
    /// OSS V1 URL: `Expires` seconds (oss-signing.md §3).
    V1Url { n: i64, cut: Cut<'c> },
    /// OSS V1 header: the Date line, RFC 1123 or (undocumented) ISO 8601 (§2.3).
    V1Header {
        t: i64,
        iso: bool,
        cuts: Vec<Cut<'c>>,
    },
    /// OSS V4: `x-oss-date` in the canonical request, the StringToSign and the
    /// scope date (§4.4, §4.5).
    V4 {
        t: i64,
        iso: bool,
        cuts: Vec<Cut<'c>>,
        scope_date: &'c str,
    },
    /// COS: q-key-time and q-sign-time (cos-signing.md §2.1).
    Cos { kt: (i64, i64), st: (i64, i64) },
}

fn cuts<'c>(c: &'c Ctx, old: &str) -> Vec<Cut<'c>> {
    c.fields_with(old)
        .into_iter()
        .map(|i| {
            let (n, t) = &c.fields.items[i];
            Cut {
                field: i,
                name: n,
                pieces: t.split(old).collect(),
            }
        })
        .collect()
}

impl<'c> TimeBase<'c> {
    fn of(c: &'c Ctx) -> Option<Self> {
        match c.kind {
            Kind::V1 => {
                let m = c.v1.as_ref()?;
                let v = m.time_value.as_str();
                if c.url {
                    let n: i64 = v.trim().parse().ok()?;
                    let i = c.fields.items.iter().position(|(n, _)| n == "expires")?;
                    let (name, text) = &c.fields.items[i];
                    let cut = Cut {
                        field: i,
                        name,
                        pieces: text.split(v).collect(),
                    };
                    return Some(TimeBase::V1Url { n, cut });
                }
                let (t, iso) = match time::parse_http_date(v) {
                    Some(t) => (t, false),
                    None => (time::parse_iso_basic(v)?, true),
                };
                Some(TimeBase::V1Header {
                    t,
                    iso,
                    cuts: cuts(c, v),
                })
            }
            Kind::V4 => {
                let ctx = c.v4_ctx()?;
                let ts = ctx.timestamp.as_str();
                let (t, iso) = match time::parse_iso_basic(ts) {
                    Some(t) => (t, true),
                    None => (time::parse_http_date(ts)?, false),
                };
                Some(TimeBase::V4 {
                    t,
                    iso,
                    cuts: cuts(c, ts),
                    scope_date: &ctx.scope.date,
                })
            }
            Kind::Cos => {
                let (kt, st) = c.cos_times()?;
                let pair = |s: &str| -> Option<(i64, i64)> {
                    let (a, b) = s.split_once(';')?;
                    Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
                };
                Some(TimeBase::Cos {
                    kt: pair(kt)?,
                    st: pair(st)?,
                })
            }
        }
    }

    /// The splices and key change of a client whose clock is `off` seconds off.
    fn shift(&self, off: i64) -> Option<(Option<Vec<Splice>>, KeySpec)> {
        let stamp = |t: i64, iso: bool| {
            let nt = t.checked_add(off).filter(|x| *x >= 0)?;
            Some((
                nt,
                if iso {
                    time::iso_basic(nt)
                } else {
                    time::http_date(nt)
                },
            ))
        };
        let apply = |cuts: &[Cut], new: &str| -> Vec<Splice> {
            cuts.iter().map(|k| k.splice(new)).collect()
        };
        match self {
            TimeBase::V1Url { n, cut } => {
                let new = n.checked_add(off)?;
                if new < 0 {
                    return None;
                }
                let new = crate::encode::Decimal::of_i64(new);
                Some((Some(vec![cut.splice(new.as_str())]), KeySpec::default()))
            }
            TimeBase::V1Header { t, iso, cuts } => {
                let (_, new) = stamp(*t, *iso)?;
                let sp = apply(cuts, &new);
                (!sp.is_empty()).then_some((Some(sp), KeySpec::default()))
            }
            TimeBase::V4 {
                t,
                iso,
                cuts,
                scope_date,
            } => {
                let (nt, new) = stamp(*t, *iso)?;
                let sp = apply(cuts, &new);
                let day = time::ymd(nt);
                let k = KeySpec {
                    timestamp: Some(new),
                    date: (day != *scope_date).then_some(day),
                    ..Default::default()
                };
                Some(((!sp.is_empty()).then_some(sp), k))
            }
            TimeBase::Cos { kt, st } => {
                let shift = |(a, b): (i64, i64)| -> Option<String> {
                    Some(format!("{};{}", a.checked_add(off)?, b.checked_add(off)?))
                };
                Some((
                    None,
                    KeySpec {
                        key_time: Some(shift(*kt)?),
                        timestamp: Some(shift(*st)?),
                        ..Default::default()
                    },
                ))
            }
        }
    }
}

fn time_field(c: &Ctx) -> &'static str {
    match (c.kind, c.url) {
        (Kind::V1, true) => "expires",
        (Kind::Cos, _) => "key-time",
        _ => "date",
    }
}

fn time_instance(
    base: &TimeBase,
    field: &str,
    off: i64,
    arg: String,
    (en, zh): (String, String),
    tier: Tier,
) -> Option<Instance> {
    let (splices, key) = base.shift(off)?;
    Some(Instance {
        arg,
        field: field.to_string(),
        splices: Some(splices.unwrap_or_default()),
        key,
        tier,
        note_en: en,
        note_zh: zh,
        ..Default::default()
    })
}

// ============================================================ generators: content

fn g_ct_empty(c: &Ctx, out: &mut Vec<Instance>) {
    if ct_sent(c).is_some() {
        push_ct(c, out, "", None);
    }
}

fn g_ct_charset_added(c: &Ctx, out: &mut Vec<Instance>) {
    if let Some(ct) = ct_sent(c) {
        let base = strip_charset(&ct);
        if base != ct {
            push_ct(c, out, "", Some(&base));
        }
    }
}

fn g_ct_charset_variant(c: &Ctx, out: &mut Vec<Instance>) {
    let Some(ct) = ct_sent(c) else { return };
    let base = strip_charset(&ct);
    for (arg, v) in [
        ("space-utf-8", "; charset=utf-8"),
        ("utf-8-upper", ";charset=UTF-8"),
        ("space-utf-8-upper", "; charset=UTF-8"),
        ("utf-8", ";charset=utf-8"),
    ] {
        let cand = format!("{base}{v}");
        push_ct(c, out, arg, Some(&cand));
    }
}

fn g_ct_ext(c: &Ctx, out: &mut Vec<Instance>) {
    if let Some(m) = mime::guess(&c.p.address.key) {
        push_ct(c, out, "", Some(m));
    }
}

fn g_ct_form(c: &Ctx, out: &mut Vec<Instance>) {
    push_ct(c, out, "", Some("application/x-www-form-urlencoded"));
}

fn g_ct_octet(c: &Ctx, out: &mut Vec<Instance>) {
    push_ct(c, out, "", Some("application/octet-stream"));
}

fn g_md5_empty(c: &Ctx, out: &mut Vec<Instance>) {
    if c.req.header("content-md5").is_some() {
        let t = c.with_req(|r| set_header(r, "Content-MD5", None));
        out.push(Instance::text("", c.header_field("content-md5"), t));
    }
}

// ============================================================ generators: time

fn g_x_oss_date_added(c: &Ctx, out: &mut Vec<Instance>) {
    if c.req.header("x-oss-date").is_some() && c.req.header("date").is_some() {
        let t = c.with_req(|r| set_header(r, "x-oss-date", None));
        out.push(Instance::text("", "date", t));
    }
}

fn g_iso_format(c: &Ctx, out: &mut Vec<Instance>) {
    let Some(m) = &c.v1 else { return };
    let v = m.time_value.as_str();
    let new = match (time::parse_http_date(v), time::parse_iso_basic(v)) {
        (Some(t), _) => time::iso_basic(t),
        (_, Some(t)) => time::http_date(t),
        _ => return,
    };
    let Some(i) = c.fields.items.iter().position(|(n, _)| n == "date") else {
        return;
    };
    let sp = vec![Splice {
        start: i as u16,
        end: i as u16 + 1,
        text: c.fields.items[i].1.replace(v, &new),
        names: vec!["date".into()],
    }];
    let mut inst = Instance::text("", "date", None).note(&new, &new);
    inst.splices = Some(sp);
    out.push(inst);
}

/// Every whole- and half-hour offset from -12:00 to +14:00, and the :45 zones.
pub fn zone_offsets() -> Vec<i64> {
    let mut v: Vec<i64> = (-24..=28).filter(|h| *h != 0).map(|h| h * 1800).collect();
    v.extend([5 * 3600 + 2700, 8 * 3600 + 2700, 12 * 3600 + 2700]);
    v
}

fn g_local_as_gmt(c: &Ctx, out: &mut Vec<Instance>) {
    let Some(base) = TimeBase::of(c) else { return };
    let field = time_field(c);
    for off in zone_offsets() {
        let l = offset_label(off);
        let note = (format!("UTC{l}"), format!("UTC{l}"));
        if let Some(i) = time_instance(&base, field, off, l.clone(), note, Tier::Pairs) {
            out.push(i);
        }
    }
}

/// The per-second skew window (oss-signing.md §2.3: 15 minutes).
pub const SKEW_SECONDS: i64 = 900;

fn g_skew(c: &Ctx, out: &mut Vec<Instance>) {
    let Some(base) = TimeBase::of(c) else { return };
    let field = time_field(c);
    // One allocation for the whole family (its instances are large; growing the
    // vector by doubling touched twice the memory).
    out.reserve(2 * SKEW_SECONDS as usize);
    for off in (-SKEW_SECONDS..=SKEW_SECONDS).filter(|o| *o != 0) {
        let tier = if off.abs() <= SKEW_PAIR_SECONDS {
            Tier::Pairs
        } else {
            Tier::Single
        };
        // `{off:+}` without the formatting machinery (1,800 members).
        let mut signed = String::with_capacity(12);
        if off >= 0 {
            signed.push('+');
        }
        signed.push_str(crate::encode::Decimal::of_i64(off).as_str());
        let note = ([&signed, " s"].concat(), [&signed, " 秒"].concat());
        signed.push('s');
        if let Some(i) = time_instance(&base, field, off, signed, note, tier) {
            out.push(i);
        }
    }
}

fn g_ms(c: &Ctx, out: &mut Vec<Instance>) {
    match c.kind {
        Kind::V1 if c.url => {
            let Some(m) = &c.v1 else { return };
            let Ok(n) = m.time_value.trim().parse::<i64>() else {
                return;
            };
            let (new, en, zh) = if m.time_value.trim().len() >= 13 {
                (n / 1000, "seconds", "秒")
            } else {
                match n.checked_mul(1000) {
                    Some(x) => (x, "milliseconds", "毫秒"),
                    None => return,
                }
            };
            let Some(i) = c.fields.items.iter().position(|(n, _)| n == "expires") else {
                return;
            };
            let mut inst = Instance::text("", "expires", None).note(en, zh);
            inst.splices = Some(vec![Splice {
                start: i as u16,
                end: i as u16 + 1,
                text: c.fields.items[i]
                    .1
                    .replace(m.time_value.trim(), &new.to_string()),
                names: vec!["expires".into()],
            }]);
            out.push(inst);
        }
        Kind::Cos => {
            let Some((kt, st)) = c.cos_times() else {
                return;
            };
            let conv = |s: &str| -> Option<(String, bool)> {
                let (a, b) = s.split_once(';')?;
                let (a, b): (i64, i64) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
                if a >= 1_000_000_000_000 {
                    Some((format!("{};{}", a / 1000, b / 1000), false))
                } else {
                    Some((
                        format!("{};{}", a.checked_mul(1000)?, b.checked_mul(1000)?),
                        true,
                    ))
                }
            };
            let (Some((k, ms)), Some((s, _))) = (conv(kt), conv(st)) else {
                return;
            };
            out.push(Instance {
                field: "key-time".into(),
                key: KeySpec {
                    key_time: Some(k),
                    timestamp: Some(s),
                    ..Default::default()
                },
                note_en: if ms { "milliseconds" } else { "seconds" }.into(),
                note_zh: if ms { "毫秒" } else { "秒" }.into(),
                ..Default::default()
            });
        }
        _ => {}
    }
}

fn g_backdated(c: &Ctx, out: &mut Vec<Instance>) {
    let Some((kt, st)) = c.cos_times() else {
        return;
    };
    for back in [60i64, 1] {
        let shift = |s: &str| -> Option<String> {
            let (a, b) = s.split_once(';')?;
            Some(format!(
                "{};{}",
                a.trim().parse::<i64>().ok()? - back,
                b.trim()
            ))
        };
        let (Some(k), Some(s)) = (shift(kt), shift(st)) else {
            return;
        };
        out.push(Instance {
            arg: format!("{back}s"),
            field: "key-time".into(),
            key: KeySpec {
                key_time: Some(k),
                timestamp: Some(s),
                ..Default::default()
            },
            note_en: format!("{back} s"),
            note_zh: format!("{back} 秒"),
            ..Default::default()
        });
    }
}

// ============================================================ generators: key, bucket, path

fn push_key(c: &Ctx, out: &mut Vec<Instance>, text: Option<crate::canonical::Canonical>) {
    out.push(Instance::text("", key_field(c), text));
}

fn cos_path(c: &Ctx, out: &mut Vec<Instance>, f: impl FnOnce(&str) -> Option<String>) {
    let t = c.cosm(|m| match f(&m.path) {
        Some(p) if p != m.path => {
            m.path = p;
            true
        }
        _ => false,
    });
    if t.is_some() {
        push_key(c, out, t);
    }
}

fn oss_key(c: &Ctx, out: &mut Vec<Instance>, f: impl FnOnce(&str) -> Option<String>) {
    if !has_bucket(c) {
        return;
    }
    if let Some(k) = f(&c.p.address.key) {
        if k != c.p.address.key {
            push_key(c, out, c.with_addr(|a| a.key = k));
        }
    }
}

fn g_key_encoded(c: &Ctx, out: &mut Vec<Instance>) {
    match c.kind {
        Kind::Cos => cos_path(c, out, |p| Some(encode_path(p))),
        _ => oss_key(c, out, |k| Some(encode_path(k))),
    }
}

fn g_key_encoded_twice(c: &Ctx, out: &mut Vec<Instance>) {
    match c.kind {
        Kind::Cos => cos_path(c, out, |p| Some(encode_path(&encode_path(p)))),
        // V4 encodes the key itself: one more encoding is two in the canonical URI.
        Kind::V4 => oss_key(c, out, |k| Some(encode_path(k))),
        Kind::V1 => oss_key(c, out, |k| Some(encode_path(&encode_path(k)))),
    }
}

fn g_key_not_encoded(c: &Ctx, out: &mut Vec<Instance>) {
    let Some(b) = c.p.address.bucket.clone() else {
        return;
    };
    let k = c.p.address.key.clone();
    let t = c.v4m(|m| {
        let raw = format!("/{b}/{k}");
        if raw == m.uri {
            return false;
        }
        m.uri = raw;
        true
    });
    if t.is_some() {
        push_key(c, out, t);
    }
}

fn g_key_plus_as_space(c: &Ctx, out: &mut Vec<Instance>) {
    match c.kind {
        Kind::Cos => cos_path(c, out, |p| Some(p.replace('+', " "))),
        _ => oss_key(c, out, |k| Some(k.replace('+', " "))),
    }
}

fn g_key_space_as_plus(c: &Ctx, out: &mut Vec<Instance>) {
    match c.kind {
        Kind::Cos => cos_path(c, out, |p| Some(p.replace(' ', "+"))),
        _ => oss_key(c, out, |k| Some(k.replace(' ', "+"))),
    }
}

fn g_slash_kept(c: &Ctx, out: &mut Vec<Instance>) {
    match c.kind {
        Kind::Cos => cos_path(c, out, |p| (p.len() > 1).then(|| format!("/{p}"))),
        _ => oss_key(c, out, |k| (!k.is_empty()).then(|| format!("/{k}"))),
    }
}

fn g_slash_stripped(c: &Ctx, out: &mut Vec<Instance>) {
    match c.kind {
        Kind::Cos => cos_path(c, out, |p| {
            p.strip_prefix('/')
                .filter(|r| r.starts_with('/'))
                .map(str::to_string)
        }),
        _ => oss_key(c, out, |k| k.strip_prefix('/').map(str::to_string)),
    }
}

fn g_bucket_doubled(c: &Ctx, out: &mut Vec<Instance>) {
    let Some(b) = c.p.address.bucket.clone() else {
        return;
    };
    match c.kind {
        Kind::Cos => cos_path(c, out, |p| Some(format!("/{b}{p}"))),
        _ => oss_key(c, out, |k| Some(format!("{b}/{k}"))),
    }
}

fn g_bucket_missing(c: &Ctx, out: &mut Vec<Instance>) {
    let Some(b) = c.p.address.bucket.clone() else {
        return;
    };
    let key = c.p.address.key.clone();
    match c.kind {
        Kind::V1 => push_key(
            c,
            out,
            c.v1m(|m| {
                m.resource = format!("/{key}");
                true
            }),
        ),
        Kind::V4 => push_key(
            c,
            out,
            c.v4m(|m| {
                m.uri = format!("/{}", encode_path(&key));
                true
            }),
        ),
        Kind::Cos => {
            if c.p.address.style == HostStyle::PathStyle {
                let pre = format!("/{b}");
                cos_path(c, out, |p| {
                    p.strip_prefix(pre.as_str())
                        .filter(|r| r.is_empty() || r.starts_with('/'))
                        .map(|r| {
                            if r.is_empty() {
                                "/".to_string()
                            } else {
                                r.to_string()
                            }
                        })
                });
            }
        }
    }
}

// ============================================================ generators: query

/// V4 URL auth parameters a client cannot have left out of its own signature.
const V4_URL_FIXED: [&str; 4] = [
    "x-oss-credential",
    "x-oss-date",
    "x-oss-expires",
    "x-oss-signature-version",
];

fn g_q_left_out(c: &Ctx, out: &mut Vec<Instance>) {
    match c.kind {
        Kind::V1 => {
            let Some(m) = &c.v1 else { return };
            for i in 0..c.cap(m.subs.len()) {
                let name = m.subs[i].0.clone();
                let t = c.v1m(|m| {
                    m.subs.remove(i);
                    true
                });
                out.push(Instance::text(&name, qfield(&name), t).note(&name, &name));
            }
        }
        Kind::V4 => {
            let Some(m) = &c.v4 else { return };
            for i in 0..c.cap(m.query.len()) {
                let name = m.query[i].0.clone();
                if c.url && V4_URL_FIXED.contains(&name.as_str()) {
                    continue;
                }
                let t = c.v4m(|m| {
                    m.query.remove(i);
                    true
                });
                out.push(Instance::text(&name, qfield(&name), t).note(&name, &name));
            }
        }
        Kind::Cos => {
            let Some(m) = &c.cos else { return };
            for i in 0..c.cap(m.params.len()) {
                let name = m.params[i].0.clone();
                let t = c.cosm(|m| {
                    m.params.remove(i);
                    true
                });
                out.push(Instance::text(&name, qfield(&name), t).note(&name, &name));
            }
        }
    }
}

fn g_q_extra(c: &Ctx, out: &mut Vec<Instance>) {
    let mut seen: Vec<String> = Vec::new();
    match c.kind {
        Kind::V1 => {
            let Some(m) = &c.v1 else { return };
            for p in c.query.iter().take(c.item_limit) {
                if crate::oss::v1::URL_AUTH_PARAMS.contains(&p.name.as_str())
                    || m.subs.iter().any(|(n, _)| *n == p.name)
                    || seen.contains(&p.name)
                {
                    continue;
                }
                seen.push(p.name.clone());
                let v = p.value.clone().filter(|v| !v.is_empty());
                let t = c.v1m(|m| {
                    m.subs.push((p.name.clone(), v));
                    m.subs.sort_by(|a, b| a.0.cmp(&b.0));
                    true
                });
                out.push(Instance::text(&p.name, qfield(&p.name), t).note(&p.name, &p.name));
            }
        }
        Kind::Cos => {
            let Some(m) = &c.cos else { return };
            for p in c.query.iter().take(c.item_limit) {
                let k = canonical_key(&p.name);
                if (c.url && crate::cos::http_parameters::is_auth_param(&p.name, true))
                    || m.param_list.contains(&k)
                    || seen.contains(&k)
                {
                    continue;
                }
                seen.push(k.clone());
                let v = encode(p.value.as_deref().unwrap_or(""));
                let t = c.cosm(|m| {
                    m.params.push((k.clone(), Some(v)));
                    m.params.sort();
                    true
                });
                out.push(Instance::text(&k, qfield(&k), t).note(&p.name, &p.name));
            }
        }
        Kind::V4 => {}
    }
}

fn g_q_equals(c: &Ctx, out: &mut Vec<Instance>) {
    match c.kind {
        Kind::V1 => {
            let Some(m) = &c.v1 else { return };
            for i in 0..c.cap(m.subs.len()) {
                if m.subs[i].1.is_none() {
                    let n = m.subs[i].0.clone();
                    let t = c.v1m(|m| {
                        m.subs[i].1 = Some(String::new());
                        true
                    });
                    out.push(Instance::text(&n, qfield(&n), t).note(&n, &n));
                }
            }
        }
        Kind::V4 => {
            let Some(m) = &c.v4 else { return };
            for i in 0..c.cap(m.query.len()) {
                if m.query[i].1.is_none() {
                    let n = m.query[i].0.clone();
                    let t = c.v4m(|m| {
                        m.query[i].1 = Some(String::new());
                        true
                    });
                    out.push(Instance::text(&n, qfield(&n), t).note(&n, &n));
                }
            }
        }
        Kind::Cos => {
            let Some(m) = &c.cos else { return };
            for i in 0..c.cap(m.params.len()) {
                if m.params[i].1.as_deref() == Some("") {
                    let n = m.params[i].0.clone();
                    let t = c.cosm(|m| {
                        m.params[i].1 = None;
                        true
                    });
                    out.push(Instance::text(&n, qfield(&n), t).note(&n, &n));
                }
            }
        }
    }
}

fn g_q_value_form(c: &Ctx, out: &mut Vec<Instance>) {
    match c.kind {
        Kind::V1 => {
            let Some(m) = &c.v1 else { return };
            for i in 0..c.cap(m.subs.len()) {
                let (n, v) = &m.subs[i];
                let Some(v) = v else { continue };
                let Some(raw) = c
                    .query
                    .iter()
                    .find(|p| p.name == *n)
                    .and_then(|p| p.raw_value.clone())
                else {
                    continue;
                };
                if raw != *v {
                    let t = c.v1m(|m| {
                        m.subs[i].1 = Some(raw);
                        true
                    });
                    out.push(Instance::text(n, qfield(n), t).note(n, n));
                }
            }
        }
        Kind::V4 => {
            let Some(m) = &c.v4 else { return };
            for i in 0..c.cap(m.query.len()) {
                let (n, v) = &m.query[i];
                let Some(v) = v else { continue };
                let d = decode_plus(v);
                if d != *v {
                    let t = c.v4m(|m| {
                        m.query[i].1 = Some(d);
                        true
                    });
                    out.push(Instance::text(n, qfield(n), t).note(n, n));
                }
            }
        }
        Kind::Cos => {
            let Some(m) = &c.cos else { return };
            for i in 0..c.cap(m.params.len()) {
                let (n, v) = &m.params[i];
                let Some(v) = v else { continue };
                let d = decode_plus(v);
                if d != *v {
                    let t = c.cosm(|m| {
                        m.params[i].1 = Some(d);
                        true
                    });
                    out.push(Instance::text(n, qfield(n), t).note(n, n));
                }
            }
        }
    }
}

fn g_q_twice(c: &Ctx, out: &mut Vec<Instance>) {
    let pairs: Vec<(String, Option<String>)> = match c.kind {
        Kind::V4 => c.v4.as_ref().map(|m| m.query.clone()).unwrap_or_default(),
        Kind::Cos => c.cos.as_ref().map(|m| m.params.clone()).unwrap_or_default(),
        Kind::V1 => return,
    };
    for (i, (n, v)) in pairs.iter().enumerate().take(c.item_limit) {
        let Some(v) = v else { continue };
        if !v.contains('%') {
            continue;
        }
        let twice = encode(v);
        let t = match c.kind {
            Kind::V4 => c.v4m(|m| {
                m.query[i].1 = Some(twice);
                true
            }),
            _ => c.cosm(|m| {
                m.params[i].1 = Some(twice);
                true
            }),
        };
        out.push(Instance::text(n, qfield(n), t).note(n, n));
    }
}

fn g_q_sort_decoded(c: &Ctx, out: &mut Vec<Instance>) {
    let t = c.v4m(|m| {
        let before = m.query.clone();
        m.query
            .sort_by(|a, b| (decode_plus(&a.0), &a.1).cmp(&(decode_plus(&b.0), &b.1)));
        m.query != before
    });
    if t.is_some() {
        out.push(Instance::text("", "query-order", t));
    }
}

/// `(index in the COS model, decoded wire name)` of each signed parameter.
fn cos_param_names(c: &Ctx) -> Vec<(usize, String)> {
    let Some(m) = &c.cos else { return Vec::new() };
    m.params
        .iter()
        .enumerate()
        .take(c.item_limit)
        .filter_map(|(i, (k, _))| {
            c.query
                .iter()
                .find(|p| canonical_key(&p.name) == *k)
                .map(|p| (i, p.name.clone()))
        })
        .collect()
}

fn g_q_key_upper(c: &Ctx, out: &mut Vec<Instance>) {
    for (i, name) in cos_param_names(c) {
        let alt = encode(&name.to_ascii_lowercase());
        let key = c
            .cos
            .as_ref()
            .map(|m| m.params[i].0.clone())
            .unwrap_or_default();
        if alt != key {
            let t = c.cosm(|m| {
                m.params[i].0 = alt;
                true
            });
            out.push(Instance::text(&key, qfield(&key), t).note(&key, &key));
        }
    }
}

fn g_q_key_case(c: &Ctx, out: &mut Vec<Instance>) {
    for (i, name) in cos_param_names(c) {
        let mut alt = String::new();
        encode::encode_into(&mut alt, &name);
        let key = c
            .cos
            .as_ref()
            .map(|m| m.params[i].0.clone())
            .unwrap_or_default();
        if alt != key && alt.to_ascii_lowercase() == key {
            let t = c.cosm(|m| {
                m.params[i].0 = alt;
                true
            });
            out.push(Instance::text(&key, qfield(&key), t).note(&name, &name));
        }
    }
}

fn g_q_value_lower(c: &Ctx, out: &mut Vec<Instance>) {
    let Some(m) = &c.cos else { return };
    for (i, (k, v)) in m.params.iter().enumerate().take(c.item_limit) {
        let Some(v) = v else { continue };
        let low = lower_escapes(v);
        if low != *v {
            let t = c.cosm(|m| {
                m.params[i].1 = Some(low);
                true
            });
            out.push(Instance::text(k, qfield(k), t).note(k, k));
        }
    }
}

fn g_q_unsorted(c: &Ctx, out: &mut Vec<Instance>) {
    if c.query.len() > 4 * MAX_ITEMS {
        return;
    }
    let t = match c.kind {
        Kind::V1 => c.v1m(|m| {
            let before = m.subs.clone();
            m.subs
                .sort_by_key(|(n, _)| first_index(&c.query, |p| p.name == *n));
            m.subs != before
        }),
        Kind::V4 => c.v4m(|m| {
            let before = m.query.clone();
            m.query
                .sort_by_key(|(n, _)| first_index(&c.query, |p| encode(&p.name) == *n));
            m.query != before
        }),
        Kind::Cos => c.cosm(|m| {
            let before = m.params.clone();
            m.params
                .sort_by_key(|(k, _)| first_index(&c.query, |p| canonical_key(&p.name) == *k));
            m.params != before
        }),
    };
    if t.is_some() {
        out.push(Instance::text("", "query-order", t));
    }
}

// ============================================================ generators: headers

fn g_h_left_out(c: &Ctx, out: &mut Vec<Instance>) {
    match c.kind {
        Kind::V1 => {
            let Some(m) = &c.v1 else { return };
            for i in 0..c.cap(m.headers.len()) {
                let n = m.headers[i].0.clone();
                let t = c.v1m(|m| {
                    m.headers.remove(i);
                    true
                });
                out.push(Instance::text(&n, c.header_field(&n), t).note(&n, &n));
            }
        }
        Kind::V4 => {
            let Some(m) = &c.v4 else { return };
            for i in 0..c.cap(m.headers.len()) {
                let n = m.headers[i].0.clone();
                if n == "content-type" || n == "content-md5" {
                    continue;
                }
                let t = c.v4m(|m| {
                    m.headers.remove(i);
                    true
                });
                out.push(Instance::text(&n, c.header_field(&n), t).note(&n, &n));
            }
        }
        Kind::Cos => {
            let Some(m) = &c.cos else { return };
            for i in 0..c.cap(m.headers.len()) {
                let n = m.headers[i].0.clone();
                let t = c.cosm(|m| {
                    m.headers.remove(i);
                    true
                });
                out.push(Instance::text(&n, format!("header:{n}"), t).note(&n, &n));
            }
        }
    }
}

fn g_h_extra(c: &Ctx, out: &mut Vec<Instance>) {
    let Some(m) = &c.cos else { return };
    let mut seen: Vec<String> = Vec::new();
    for (n, v) in c.req.headers.iter().take(c.item_limit) {
        let k = canonical_key(n);
        if k == "authorization" || m.header_list.contains(&k) || seen.contains(&k) {
            continue;
        }
        seen.push(k.clone());
        let ev = encode(v.trim_matches([' ', '\t']));
        let t = c.cosm(|m| {
            m.headers.push((k.clone(), ev));
            m.headers.sort();
            true
        });
        out.push(Instance::text(&k, format!("header:{k}"), t).note(n, n));
    }
}

/// The name a header was sent with (first occurrence).
fn sent_name<'r>(req: &'r Request, lower: &str) -> Option<&'r str> {
    req.headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(lower))
        .map(|(n, _)| n.as_str())
}

fn g_h_name_case(c: &Ctx, out: &mut Vec<Instance>) {
    let mut first = None;
    let t = match c.kind {
        Kind::V1 | Kind::V4 => {
            let f = |hs: &mut Vec<(String, String)>, first: &mut Option<String>| {
                let mut changed = false;
                for (n, _) in hs.iter_mut() {
                    if let Some(s) = sent_name(c.req, n) {
                        if s != n {
                            first.get_or_insert_with(|| n.clone());
                            *n = s.to_string();
                            changed = true;
                        }
                    }
                }
                changed
            };
            if c.kind == Kind::V1 {
                c.v1m(|m| f(&mut m.headers, &mut first))
            } else {
                c.v4m(|m| f(&mut m.headers, &mut first))
            }
        }
        Kind::Cos => c.cosm(|m| {
            let mut changed = false;
            for (k, _) in m.headers.iter_mut() {
                if let Some(s) = c.req.headers.iter().find(|(n, _)| canonical_key(n) == *k) {
                    let mut alt = String::new();
                    encode::encode_into(&mut alt, &s.0);
                    if alt != *k {
                        first.get_or_insert_with(|| k.clone());
                        *k = alt;
                        changed = true;
                    }
                }
            }
            changed
        }),
    };
    if let (Some(t), Some(f)) = (t, first) {
        out.push(Instance::text("", c.header_field(&f), Some(t)));
    }
}

fn g_h_collapse(c: &Ctx, out: &mut Vec<Instance>) {
    let runs = |v: &str| v.contains("  ") || v.contains('\t');
    match c.kind {
        Kind::V1 | Kind::V4 => {
            let hs = match c.kind {
                Kind::V1 => c.v1.as_ref().map(|m| m.headers.clone()),
                _ => c.v4.as_ref().map(|m| m.headers.clone()),
            }
            .unwrap_or_default();
            for (i, (n, v)) in hs.iter().enumerate().take(c.item_limit) {
                if !runs(v) {
                    continue;
                }
                let cv = collapse(v);
                let t = if c.kind == Kind::V1 {
                    c.v1m(|m| {
                        m.headers[i].1 = cv;
                        true
                    })
                } else {
                    c.v4m(|m| {
                        m.headers[i].1 = cv;
                        true
                    })
                };
                out.push(Instance::text(n, c.header_field(n), t).note(n, n));
            }
            // V1 Content-Type has its own line.
            if c.kind == Kind::V1 {
                if let Some(ct) = ct_sent(c).filter(|v| runs(v)) {
                    push_ct(c, out, "content-type", Some(&collapse(&ct)));
                }
            }
        }
        Kind::Cos => {
            let Some(m) = &c.cos else { return };
            for (i, (k, _)) in m.headers.iter().enumerate().take(c.item_limit) {
                let Some((_, v)) = c.req.headers.iter().find(|(n, _)| canonical_key(n) == *k)
                else {
                    continue;
                };
                let v = v.trim_matches([' ', '\t']);
                if !runs(v) {
                    continue;
                }
                let ev = encode(&collapse(v));
                let t = c.cosm(|m| {
                    m.headers[i].1 = ev;
                    true
                });
                out.push(Instance::text(k, format!("header:{k}"), t).note(k, k));
            }
        }
    }
}

fn g_h_unsorted(c: &Ctx, out: &mut Vec<Instance>) {
    let pos = |lower: &str| first_index(&c.req.headers, |(n, _)| n.eq_ignore_ascii_case(lower));
    let t = match c.kind {
        Kind::V1 => c.v1m(|m| {
            let before = m.headers.clone();
            m.headers.sort_by_key(|(n, _)| pos(n));
            m.headers != before
        }),
        Kind::V4 => c.v4m(|m| {
            let before = m.headers.clone();
            m.headers.sort_by_key(|(n, _)| pos(n));
            m.headers != before
        }),
        Kind::Cos => c.cosm(|m| {
            let before = m.headers.clone();
            m.headers
                .sort_by_key(|(k, _)| first_index(&c.req.headers, |(n, _)| canonical_key(n) == *k));
            m.headers != before
        }),
    };
    if t.is_some() {
        out.push(Instance::text("", "header-order", t));
    }
}

fn g_h_host_port(c: &Ctx, out: &mut Vec<Instance>) {
    let Some(host) = c.req.host() else { return };
    let bare = crate::address::host_without_port(host);
    if bare == host {
        return;
    }
    let t = match c.kind {
        Kind::V4 => c.v4m(|m| match m.headers.iter_mut().find(|(n, _)| n == "host") {
            Some(h) => {
                h.1 = bare.to_string();
                true
            }
            None => false,
        }),
        Kind::Cos => c.cosm(|m| match m.headers.iter_mut().find(|(k, _)| k == "host") {
            Some(h) => {
                h.1 = encode(bare);
                true
            }
            None => false,
        }),
        Kind::V1 => None,
    };
    if t.is_some() {
        out.push(Instance::text("", c.header_field("host"), t).note(bare, bare));
    }
}

fn g_h_host_unlisted(c: &Ctx, out: &mut Vec<Instance>) {
    let Some(host) = c.req.host() else { return };
    let t = c.v4m(|m| {
        if m.headers.iter().any(|(n, _)| n == "host") {
            return false;
        }
        m.headers.push(("host".into(), host.to_string()));
        m.headers.sort();
        true
    });
    if t.is_some() {
        out.push(Instance::text("", "header:host", t));
    }
}

fn g_token_placement(c: &Ctx, out: &mut Vec<Instance>) {
    if c.url {
        let Some(tok) = c
            .query
            .iter()
            .find(|p| p.name == "security-token")
            .and_then(|p| p.value.clone())
        else {
            return;
        };
        let t = c.v1m(|m| {
            m.subs.retain(|(n, _)| n != "security-token");
            m.headers.push(("x-oss-security-token".into(), tok));
            m.headers.sort();
            true
        });
        out.push(
            Instance::text("", "query:security-token", t)
                .note("x-oss-security-token header", "x-oss-security-token 头部"),
        );
    } else {
        let Some(tok) = c.req.header("x-oss-security-token").map(str::trim) else {
            return;
        };
        let t = c.v1m(|m| {
            m.headers.retain(|(n, _)| n != "x-oss-security-token");
            m.subs
                .push(("security-token".into(), Some(tok.to_string())));
            m.subs.sort_by(|a, b| a.0.cmp(&b.0));
            true
        });
        out.push(
            Instance::text("", "header:x-oss-security-token", t)
                .note("?security-token= sub-resource", "?security-token= 子资源"),
        );
    }
}

// ============================================================ generators: V4 scope, payload, AdditionalHeaders

/// `(part, alternative value, label)` for the V4 scope (oss-signing.md §4.4, §10.15).
fn scope_alternatives(c: &Ctx) -> Vec<(&'static str, String)> {
    let Some(ctx) = c.v4_ctx() else {
        return Vec::new();
    };
    let s = &ctx.scope;
    let mut v: Vec<(&'static str, String)> = Vec::new();
    match s.region.strip_prefix("oss-") {
        Some(r) => v.push(("region", r.to_string())),
        None => v.push(("region", format!("oss-{}", s.region))),
    }
    if let Some(r) = &ctx.endpoint_region {
        v.push(("region", r.clone()));
    }
    let other = if s.product == crate::oss::v4::scope::PRODUCT_CLOUDBOX {
        crate::oss::v4::scope::PRODUCT_OSS
    } else {
        crate::oss::v4::scope::PRODUCT_CLOUDBOX
    };
    v.push(("product", other.to_string()));
    if let Some(d) = crate::oss::v4::timestamp_day(&ctx.timestamp) {
        v.push(("date", d));
    }
    if let Some(t) = time::parse_iso_basic(&format!("{}T000000Z", s.date)) {
        v.push(("date", time::ymd(t - 86_400)));
        v.push(("date", time::ymd(t + 86_400)));
    }
    let cur = |part: &str| match part {
        "region" => s.region.clone(),
        "product" => s.product.clone(),
        _ => s.date.clone(),
    };
    let mut out: Vec<(&'static str, String)> = Vec::new();
    for (p, alt) in v {
        if alt.is_empty() || alt == cur(p) || out.iter().any(|(q, a)| *q == p && *a == alt) {
            continue;
        }
        out.push((p, alt));
    }
    out
}

fn scope_instances(c: &Ctx, out: &mut Vec<Instance>, mode: u8) {
    let Some(ctx) = c.v4_ctx() else { return };
    for (part, alt) in scope_alternatives(c) {
        let cur = match part {
            "region" => ctx.scope.region.clone(),
            "product" => ctx.scope.product.clone(),
            _ => ctx.scope.date.clone(),
        };
        let mut k = KeySpec::default();
        let (sts, key) = match part {
            "region" => (&mut k.region, &mut k.key_region),
            "product" => (&mut k.product, &mut k.key_product),
            _ => (&mut k.date, &mut k.key_date),
        };
        match mode {
            0 => *sts = Some(alt.clone()),
            1 => *key = Some(alt.clone()),
            _ => {
                *sts = Some(alt.clone());
                *key = Some(cur);
            }
        }
        out.push(Instance {
            arg: format!("{part}={alt}"),
            field: "scope".into(),
            key: k,
            note_en: format!("{part} `{alt}`"),
            note_zh: format!("{part} `{alt}`"),
            ..Default::default()
        });
    }
}

fn g_scope_both(c: &Ctx, out: &mut Vec<Instance>) {
    scope_instances(c, out, 0)
}

fn g_scope_key(c: &Ctx, out: &mut Vec<Instance>) {
    scope_instances(c, out, 1)
}

fn g_scope_text(c: &Ctx, out: &mut Vec<Instance>) {
    scope_instances(c, out, 2)
}

fn g_payload_unsigned(c: &Ctx, out: &mut Vec<Instance>) {
    let t = c.v4m(|m| {
        if m.payload == "UNSIGNED-PAYLOAD" {
            return false;
        }
        m.payload = "UNSIGNED-PAYLOAD".into();
        true
    });
    if t.is_some() {
        out.push(Instance::text("", "payload-hash", t));
    }
}

/// SHA-256 of the empty string.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

fn g_payload_empty(c: &Ctx, out: &mut Vec<Instance>) {
    let t = c.v4m(|m| {
        if m.payload == EMPTY_SHA256 {
            return false;
        }
        m.payload = EMPTY_SHA256.into();
        true
    });
    if t.is_some() {
        out.push(Instance::text("", "payload-hash", t));
    }
}

/// The AdditionalHeaders text as the request carries it.
fn additional_raw(c: &Ctx) -> Option<String> {
    if c.url {
        c.query
            .iter()
            .find(|p| p.name == "x-oss-additional-headers")
            .and_then(|p| p.value.clone())
    } else {
        crate::oss::v4::authorization::parse_header(c.req.header("authorization")?)
            .ok()?
            .additional_headers
    }
}

fn push_ah(
    c: &Ctx,
    out: &mut Vec<Instance>,
    f: impl FnOnce(&mut crate::diagnose::model::V4Model) -> bool,
) {
    let t = c.v4m(f);
    if t.is_some() {
        out.push(Instance::text("", "additional-headers", t));
    }
}

fn g_ah_unsorted(c: &Ctx, out: &mut Vec<Instance>) {
    let Some(raw) = additional_raw(c) else { return };
    let line: Vec<String> = raw
        .split(';')
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .collect();
    let line = line.join(";");
    push_ah(c, out, |m| {
        if m.additional == line {
            return false;
        }
        m.additional = line;
        true
    });
}

fn g_ah_line_empty(c: &Ctx, out: &mut Vec<Instance>) {
    push_ah(c, out, |m| {
        if m.additional.is_empty() {
            return false;
        }
        m.additional.clear();
        true
    });
}

fn remove_additional_lines(m: &mut crate::diagnose::model::V4Model) -> bool {
    let names = m.additional_names.clone();
    let before = m.headers.len();
    m.headers.retain(|(n, _)| {
        !names.contains(n) || crate::oss::v4::canonical_headers::is_default_signed(n)
    });
    m.headers.len() != before
}

fn g_ah_lines_missing(c: &Ctx, out: &mut Vec<Instance>) {
    push_ah(c, out, remove_additional_lines);
}

fn g_ah_not_signed(c: &Ctx, out: &mut Vec<Instance>) {
    push_ah(c, out, |m| {
        let a = !m.additional.is_empty();
        m.additional.clear();
        let b = remove_additional_lines(m);
        a && b
    });
}

// ============================================================ generators: COS key

fn cos_key_instance(c: &Ctx, out: &mut Vec<Instance>, field: &str, k: KeySpec) {
    out.push(Instance {
        field: field.to_string(),
        key: k,
        ..Default::default()
    });
    let _ = c;
}

fn g_raw_sign_key(c: &Ctx, out: &mut Vec<Instance>) {
    cos_key_instance(
        c,
        out,
        "sign-key",
        KeySpec {
            raw_sign_key: true,
            ..Default::default()
        },
    );
}

fn g_key_from_sign(c: &Ctx, out: &mut Vec<Instance>) {
    if let Some((kt, st)) = c.cos_times() {
        if kt != st {
            let k = KeySpec {
                key_time: Some(st.to_string()),
                ..Default::default()
            };
            cos_key_instance(c, out, "key-time", k);
        }
    }
}

fn g_sts_from_key(c: &Ctx, out: &mut Vec<Instance>) {
    if let Some((kt, st)) = c.cos_times() {
        if kt != st {
            let k = KeySpec {
                timestamp: Some(kt.to_string()),
                ..Default::default()
            };
            cos_key_instance(c, out, "sign-time", k);
        }
    }
}

// ============================================================ generators: credentials, signature

fn g_secret_ws(c: &Ctx, out: &mut Vec<Instance>) {
    for (i, f) in c.secrets.iter().enumerate() {
        let (arg, en, zh) = match f {
            SecretForm::Suffix("\n") => (
                "trailing-newline",
                "with a trailing line break",
                "末尾多了换行符",
            ),
            SecretForm::Suffix("\r\n") => {
                ("trailing-crlf", "with a trailing CR LF", "末尾多了 CR LF")
            }
            SecretForm::Suffix(_) => ("trailing-space", "with a trailing space", "末尾多了空格"),
            SecretForm::Prefix(_) => ("leading-space", "with a leading space", "开头多了空格"),
            SecretForm::Trimmed => (
                "trimmed",
                "without the surrounding whitespace the given secret has",
                "不含所给密钥首尾的空白",
            ),
            _ => continue,
        };
        out.push(Instance {
            arg: arg.into(),
            field: "secret".into(),
            key: KeySpec {
                secret: Some(i as u16),
                ..Default::default()
            },
            note_en: en.into(),
            note_zh: zh.into(),
            ..Default::default()
        });
    }
}

fn g_secret_other(c: &Ctx, out: &mut Vec<Instance>) {
    for (i, f) in c.secrets.iter().enumerate() {
        if let SecretForm::Given(n) = f {
            if *n > 0 {
                out.push(Instance {
                    arg: format!("#{}", n + 1),
                    field: "secret".into(),
                    key: KeySpec {
                        secret: Some(i as u16),
                        ..Default::default()
                    },
                    note_en: format!("secret #{}", n + 1),
                    note_zh: format!("第 {} 个密钥", n + 1),
                    ..Default::default()
                });
            }
        }
    }
}

fn g_ak_swapped(c: &Ctx, out: &mut Vec<Instance>) {
    if let Some(i) = c.secrets.iter().position(|f| *f == SecretForm::AccessKeyId) {
        out.push(Instance {
            field: "access-key-id".into(),
            key: KeySpec {
                secret: Some(i as u16),
                ..Default::default()
            },
            ..Default::default()
        });
    }
}

fn sig_target(c: &Ctx, out: &mut Vec<Instance>, what: &str) {
    if let Some(i) = c.targets.iter().position(|(_, w)| *w == what) {
        out.push(Instance {
            field: "query:Signature".into(),
            key: KeySpec {
                target: Some(i as u16),
                ..Default::default()
            },
            ..Default::default()
        });
    }
}

fn g_sig_plus(c: &Ctx, out: &mut Vec<Instance>) {
    sig_target(c, out, "plus");
}

fn g_sig_twice(c: &Ctx, out: &mut Vec<Instance>) {
    sig_target(c, out, "decode");
}

// ============================================================ generators: SDK options

fn sdk(out: &mut Vec<Instance>, arg: &str, t: Option<crate::canonical::Canonical>) {
    // The field is the first one the option changes (filled in when compiled).
    out.push(Instance::text(arg, "", t));
}

fn g_sdk_subresources(c: &Ctx, out: &mut Vec<Instance>) {
    for l in SubresourceList::ALL {
        if l != c.opts.oss_v1.subresources {
            sdk(out, l.label(), c.with_v1(|o| o.subresources = l));
            if let Some(i) = out.last_mut() {
                i.note_en = l.label().into();
                i.note_zh = l.label().into();
            }
        }
    }
}

fn g_sdk_header_raw(c: &Ctx, out: &mut Vec<Instance>) {
    match c.kind {
        Kind::V1 => sdk(out, "", c.with_v1(|o| o.header_values = HeaderValues::Raw)),
        Kind::V4 => sdk(out, "", c.with_v4(|o| o.header_values = HeaderValues::Raw)),
        Kind::Cos => {}
    }
}

fn g_sdk_dup(c: &Ctx, out: &mut Vec<Instance>, d: Duplicates) {
    match c.kind {
        Kind::V1 => sdk(out, "", c.with_v1(|o| o.duplicates = d)),
        Kind::V4 => sdk(out, "", c.with_v4(|o| o.duplicates = d)),
        Kind::Cos => {}
    }
}

fn g_sdk_dup_first(c: &Ctx, out: &mut Vec<Instance>) {
    g_sdk_dup(c, out, Duplicates::First)
}

fn g_sdk_dup_last(c: &Ctx, out: &mut Vec<Instance>) {
    g_sdk_dup(c, out, Duplicates::Last)
}

fn g_sdk_keep_equals(c: &Ctx, out: &mut Vec<Instance>) {
    match c.kind {
        Kind::V1 => sdk(
            out,
            "",
            c.with_v1(|o| o.empty_values = EmptyValues::KeepEquals),
        ),
        Kind::V4 => sdk(
            out,
            "",
            c.with_v4(|o| o.empty_values = EmptyValues::KeepEquals),
        ),
        Kind::Cos => {}
    }
}

fn g_sdk_date_only(c: &Ctx, out: &mut Vec<Instance>) {
    sdk(out, "", c.with_v1(|o| o.date_source = DateSource::DateOnly));
}

fn g_sdk_plus_query(c: &Ctx, out: &mut Vec<Instance>) {
    if c.plus_in_query() == PlusMeans::Plus {
        return;
    }
    let t = match c.kind {
        Kind::V1 => c.with_v1(|o| o.plus_in_query = PlusMeans::Plus),
        Kind::V4 => c.with_v4(|o| o.plus_in_query = PlusMeans::Plus),
        Kind::Cos => c.with_cos(|o| o.plus_in_query = PlusMeans::Plus),
    };
    sdk(out, "", t);
}

fn g_sdk_raw_wire(c: &Ctx, out: &mut Vec<Instance>) {
    sdk(out, "", c.with_v4(|o| o.query = QueryMode::RawWire));
}

fn g_sdk_locale(c: &Ctx, out: &mut Vec<Instance>) {
    sdk(out, "", c.with_v4(|o| o.query = QueryMode::LocaleCompare));
}

fn g_sdk_py1(c: &Ctx, out: &mut Vec<Instance>) {
    let Some(raw) = additional_raw(c) else { return };
    let (order, _) = crate::oss::v4::additional_headers::select_py1(
        &raw.split(';').map(str::to_string).collect::<Vec<_>>(),
    );
    let line = order.join(";");
    let t = c.v4m(|m| {
        if m.additional == line {
            return false;
        }
        m.additional = line;
        true
    });
    if t.is_some() {
        out.push(Instance::text("", "additional-headers", t));
    }
}

fn g_sdk_date_fallback(c: &Ctx, out: &mut Vec<Instance>) {
    if c.req.header("x-oss-date").is_some() {
        return;
    }
    let Some(d) = c.req.header("date").map(str::trim) else {
        return;
    };
    let Some(t) = time::parse_http_date(d) else {
        return;
    };
    out.push(Instance {
        field: "date".into(),
        key: KeySpec {
            timestamp: Some(d.to_string()),
            date: Some(time::ymd(t)),
            ..Default::default()
        },
        ..Default::default()
    });
}

fn g_sdk_raw_key(c: &Ctx, out: &mut Vec<Instance>) {
    sdk(out, "", c.with_cos(|o| o.sort = crate::cos::Sort::RawKey));
}

fn g_sdk_rep_first(c: &Ctx, out: &mut Vec<Instance>) {
    sdk(
        out,
        "",
        c.with_cos(|o| o.repeated = crate::cos::Repeated::First),
    );
}

fn g_sdk_rep_last(c: &Ctx, out: &mut Vec<Instance>) {
    sdk(
        out,
        "",
        c.with_cos(|o| o.repeated = crate::cos::Repeated::Last),
    );
}

fn g_sdk_cos_ws(c: &Ctx, out: &mut Vec<Instance>) {
    sdk(
        out,
        "",
        c.with_cos(|o| o.header_whitespace = crate::cos::HeaderWhitespace::Raw),
    );
}

fn g_sdk_plus_path(c: &Ctx, out: &mut Vec<Instance>) {
    if c.opts.cos.plus_in_path == PlusMeans::Plus {
        return;
    }
    sdk(out, "", c.with_cos(|o| o.plus_in_path = PlusMeans::Plus));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for e in CATALOGUE {
            assert!(seen.insert(e.id), "duplicate {}", e.id);
            assert!(e.schemes != 0 && e.schemes & !ALL == 0, "{}", e.id);
            assert!(
                crate::finding::info(e.code).is_some() && e.code >= "SIG410" && e.code <= "SIG449",
                "{}",
                e.id
            );
            assert!(!e.fix_en.is_empty() && !e.fix_zh.is_empty() && !e.spec.is_empty());
            assert!(!e.id.contains(' ') && !e.id.contains(':') || e.id.starts_with("sdk:"));
        }
    }

    #[test]
    fn zones_cover_the_range() {
        let z = zone_offsets();
        assert!(z.contains(&(-12 * 3600)) && z.contains(&(14 * 3600)));
        assert!(z.contains(&(5 * 3600 + 1800)) && z.contains(&(5 * 3600 + 2700)));
        assert!(!z.contains(&0));
        assert_eq!(z.len(), 55);
    }

    #[test]
    fn helpers() {
        assert_eq!(strip_charset("text/plain; charset=utf-8"), "text/plain");
        assert_eq!(strip_charset("text/plain;charset=UTF-8"), "text/plain");
        assert_eq!(
            strip_charset("a/b; boundary=x; charset=utf-8"),
            "a/b; boundary=x"
        );
        assert_eq!(collapse("a  b\t\tc"), "a b c");
        assert_eq!(lower_escapes("a%2Fb%E4x"), "a%2fb%e4x");
        assert_eq!(lower_escapes("100%"), "100%");
        assert_eq!(offset_label(-9 * 3600 - 1800), "-09:30");
    }
}
