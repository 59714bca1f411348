//! Findings: every diagnosis sigdiff makes, with a stable code.
//!
//! Codes are listed once in [`CODES`] (and documented in `FINDINGS.md`, which a
//! test keeps in step). A code is never reused for another meaning.

use serde::Serialize;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Background information.
    Info,
    /// Something that may break the request, or that a server or proxy may change.
    Warning,
    /// The request fails because of this.
    Error,
}

/// Output language for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Chinese (simplified).
    Zh,
}

impl Lang {
    /// From `--lang` or LC_ALL / LANG style values (`zh_CN.UTF-8` → Zh).
    pub fn from_tag(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

/// A documented finding code.
#[derive(Debug, Clone, Copy)]
pub struct CodeInfo {
    /// `SIG0xx`.
    pub code: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// One-line title, English.
    pub title_en: &'static str,
    /// One-line title, Chinese.
    pub title_zh: &'static str,
}

macro_rules! codes {
    ($( $code:literal, $sev:ident, $en:literal, $zh:literal; )*) => {
        /// Every finding code sigdiff emits.
        pub const CODES: &[CodeInfo] = &[
            $( CodeInfo { code: $code, severity: Severity::$sev, title_en: $en, title_zh: $zh }, )*
        ];
    };
}

codes! {
    "SIG001", Error, "The provided signature does not match the recomputed one", "提供的签名与重新计算的签名不一致";
    "SIG002", Error, "The signed strings agree but the signature differs: wrong secret or AccessKeyId", "签名字符串一致但签名不同：密钥或 AccessKeyId 错误";
    "SIG003", Error, "A field of the signed string differs between server and client", "服务端与客户端的待签名字符串中某字段不同";
    "SIG004", Info, "No secret given: the signed string is shown and compared, the signature is not checked", "未提供密钥：只展示并比较待签名字符串，不校验签名";
    "SIG005", Warning, "The server's reported string differs from what sigdiff computes for the request as given", "服务端返回的待签名字符串与 sigdiff 按所给请求计算的不同";
    "SIG006", Warning, "StringToSign and StringToSignBytes in the error body disagree", "错误响应中的 StringToSign 与 StringToSignBytes 不一致";
    "SIG007", Info, "The signature matches", "签名一致";
    "SIG010", Error, "The presigned URL has expired", "签名 URL 已过期";
    "SIG011", Error, "Expires looks like milliseconds; it must be unix seconds", "Expires 看起来是毫秒，应为秒级 Unix 时间戳";
    "SIG012", Error, "The Date header is not an RFC 1123 GMT date", "Date 头不是 RFC 1123 GMT 格式";
    "SIG013", Error, "The request time is more than 15 minutes away from now", "请求时间与当前时间相差超过 15 分钟";
    "SIG014", Error, "Neither Date nor x-oss-date is present", "请求中既没有 Date 也没有 x-oss-date";
    "SIG015", Info, "x-oss-date is present: its value, not Date, is signed", "存在 x-oss-date：参与签名的是它而不是 Date";
    "SIG016", Warning, "Expires is far in the future", "Expires 过于遥远";
    "SIG020", Warning, "A header value has leading or trailing whitespace, which HTTP strips", "头部值首尾有空白，HTTP 传输会去掉";
    "SIG021", Warning, "A header is sent more than once; the values are joined with commas", "同名头部出现多次，其值会以逗号合并";
    "SIG022", Warning, "A literal '+' in the path", "路径中有未编码的 '+'";
    "SIG023", Warning, "A literal '+' in a query value is read as a space", "查询参数值中的 '+' 会被当作空格";
    "SIG024", Info, "A query parameter is not a sub-resource and is not signed", "查询参数不是子资源，不参与签名";
    "SIG025", Warning, "A sub-resource is not in every SDK's list; signers disagree on it", "该子资源并非所有 SDK 都会签名";
    "SIG026", Info, "An empty query value is signed as the bare name", "空值查询参数以裸名称参与签名";
    "SIG027", Warning, "A header value contains runs of spaces or other characters a proxy may normalise", "头部值包含代理可能规范化的字符";
    "SIG028", Warning, "The path holds escapes that are not in canonical form", "路径中的百分号编码不是规范形式";
    "SIG030", Warning, "The AccessKeyId has characters OSS does not accept", "AccessKeyId 含有 OSS 不接受的字符";
    "SIG031", Error, "The signature is given both in the URL and in the Authorization header", "URL 和 Authorization 头中同时带有签名";
    "SIG032", Warning, "A URL signature parameter appears more than once; the first is used", "URL 签名参数重复出现，服务端使用第一个";
    "SIG033", Error, "The Signature in the URL has a literal '+' (not encoded as %2B)", "URL 中的 Signature 含有未编码的 '+'";
    "SIG034", Warning, "The secret has leading or trailing whitespace", "密钥首尾含有空白";
    "SIG035", Info, "Another of the given secrets produces the provided signature", "所给的另一个密钥可以得到提供的签名";
    "SIG040", Info, "The host is not a known endpoint; addressed as a custom domain (CNAME)", "主机名不是已知的 Endpoint，按自定义域名（CNAME）处理";
    "SIG041", Warning, "The host does not belong to the provider of the signature", "主机名不属于签名所属的云厂商";
    "SIG042", Warning, "Path-style request: the first path segment is taken as the bucket", "路径风格请求：第一段路径被视为 Bucket";
    "SIG100", Error, "q-sign-algorithm is not sha1", "q-sign-algorithm 不是 sha1";
    "SIG101", Warning, "q-key-time differs from q-sign-time", "q-key-time 与 q-sign-time 不同";
    "SIG102", Error, "The signature's start time is after the reference time", "签名的开始时间晚于参考时间";
    "SIG103", Error, "The signature's time window has ended (Request has expired)", "签名的有效期已结束（Request has expired）";
    "SIG104", Error, "The end of a q-sign time window is not after its start", "q-sign 时间窗口的结束时间不晚于开始时间";
    "SIG105", Error, "A q-sign time looks like milliseconds; COS wants unix seconds", "q-sign 时间看起来是毫秒，应为秒级 Unix 时间戳";
    "SIG106", Warning, "A header is sent but not covered by q-header-list", "发送的头部未包含在 q-header-list 中";
    "SIG107", Warning, "A query parameter is sent but not covered by q-url-param-list", "发送的查询参数未包含在 q-url-param-list 中";
    "SIG108", Warning, "q-header-list names a header the request does not carry", "q-header-list 列出的头部在请求中不存在";
    "SIG109", Warning, "q-url-param-list names a parameter the URL does not carry", "q-url-param-list 列出的参数在 URL 中不存在";
    "SIG110", Error, "q-header-list or q-url-param-list has upper-case letters", "q-header-list 或 q-url-param-list 含有大写字母";
    "SIG111", Warning, "A literal '+' in the path is read as a space by COS", "路径中未编码的 '+' 会被 COS 读作空格";
    "SIG112", Warning, "A literal '+' in a signed query value is read as a space", "参与签名的查询参数值中的 '+' 会被读作空格";
    "SIG113", Info, "x-cos-security-token is sent but not signed", "x-cos-security-token 已发送但未参与签名";
    "SIG114", Info, "The signed Host carries a port; some SDKs sign it without", "参与签名的 Host 带端口，部分 SDK 签名时不带端口";
    "SIG115", Warning, "The q-sign string has missing, repeated, unknown or reordered fields", "q-sign 授权串有缺失、重复、未知或顺序错误的字段";
    "SIG116", Warning, "The q-sign string contains whitespace", "q-sign 授权串含有空白字符";
    "SIG117", Error, "A q-sign signature is given both in the Authorization header and in the URL", "Authorization 头和 URL 中同时带有 q-sign 签名";
    "SIG118", Warning, "A signed header or parameter name appears more than once", "参与签名的头部或参数名重复出现";
    "SIG119", Error, "q-signature is not 40 lower-case hex digits", "q-signature 不是 40 位小写十六进制数";
    "SIG120", Info, "The sort rule (encoded vs raw keys) changes the signed string of this request", "排序规则（编码后键或原始键）会改变此请求的待签名字符串";
    "SIG121", Warning, "q-ak is empty or holds whitespace", "q-ak 为空或含有空白";
    "SIG200", Warning, "The V4 region has the `oss-` prefix; the scope wants the bare region id (cn-hangzhou)", "V4 区域带有 `oss-` 前缀；scope 需要不带前缀的区域 ID（cn-hangzhou）";
    "SIG201", Error, "The credential's scope date is not the UTC day of x-oss-date", "凭证中的 scope 日期与 x-oss-date 的 UTC 日期不同";
    "SIG202", Error, "x-oss-date is missing; V4 requires it", "缺少 x-oss-date；V4 必须提供";
    "SIG203", Error, "x-oss-date is not an ISO 8601 basic UTC time (yyyymmddTHHMMSSZ)", "x-oss-date 不是 ISO 8601 基本格式的 UTC 时间（yyyymmddTHHMMSSZ）";
    "SIG204", Error, "x-oss-date is more than 15 minutes away from the reference time", "x-oss-date 与参考时间相差超过 15 分钟";
    "SIG205", Error, "The presigned V4 URL has expired (x-oss-date + x-oss-expires is past)", "V4 签名 URL 已过期（x-oss-date + x-oss-expires 已过）";
    "SIG206", Error, "x-oss-expires is missing or not a number of seconds in 1..604800", "x-oss-expires 缺失或不是 1..604800 之间的秒数";
    "SIG207", Error, "x-oss-content-sha256 is missing or not UNSIGNED-PAYLOAD", "x-oss-content-sha256 缺失或不是 UNSIGNED-PAYLOAD";
    "SIG208", Error, "AdditionalHeaders is empty or has an empty element", "AdditionalHeaders 为空或含有空元素";
    "SIG209", Warning, "A name in AdditionalHeaders is not present in the request", "AdditionalHeaders 中的头部在请求中不存在";
    "SIG210", Warning, "AdditionalHeaders lists a header that is signed by default", "AdditionalHeaders 列出了默认即参与签名的头部";
    "SIG211", Warning, "AdditionalHeaders is not lower-case, sorted and free of duplicates", "AdditionalHeaders 不是小写、有序且无重复的列表";
    "SIG212", Warning, "The wire query is not in canonical form: signers that copy it and the server's re-encoding disagree", "URL 查询串不是规范形式：直接复制查询串的签名方与服务端重新编码的结果不同";
    "SIG213", Error, "The credential does not end with aliyun_v4_request", "凭证未以 aliyun_v4_request 结尾";
    "SIG214", Error, "Unknown signature algorithm; OSS V4 accepts only OSS4-HMAC-SHA256", "未知的签名算法；OSS V4 只接受 OSS4-HMAC-SHA256";
    "SIG215", Warning, "The signing region differs from the endpoint's region", "签名区域与 Endpoint 的区域不同";
    "SIG216", Info, "x-oss-date is missing; the Date header is the timestamp (Go SDK v1 behaviour)", "缺少 x-oss-date；以 Date 头作为时间戳（Go SDK v1 的做法）";
    "SIG217", Info, "An empty query value is signed as the bare name (ali-oss signs `name=`)", "空值查询参数以裸名称参与签名（ali-oss 会签 `name=`）";
    "SIG218", Warning, "The product in the credential is neither oss nor oss-cloudbox", "凭证中的产品既不是 oss 也不是 oss-cloudbox";
    "SIG219", Warning, "The V4 signature is not 64 lower-case hex digits", "V4 签名不是 64 位小写十六进制数";
    "SIG220", Warning, "The Authorization header has fields V4 does not define", "Authorization 头含有 V4 未定义的字段";
    "SIG240", Warning, "A field of the server's second-stage string (e.g. StringToSign) differs from sigdiff's", "服务端第二阶段字符串（如 StringToSign）中的某字段与 sigdiff 计算的不同";
    "SIG241", Error, "Another signing-key input or scope (date, region, product) reproduces the provided signature", "改用其他签名密钥输入或 scope（日期、区域、产品）可以得到提供的签名";
    "SIG242", Info, "No variation of the scope or signing-key inputs reproduces the signature: check the secret and AccessKeyId", "改变 scope 或签名密钥输入都无法得到提供的签名：请检查密钥与 AccessKeyId";
    "SIG300", Info, "The error is not in the catalogue: no cause is given, only the parsed fields", "错误不在目录中：不给出原因，只列出解析到的字段";
    "SIG301", Info, "The message is not a catalogued variant of its code: the code's general explanation is given", "消息不是该错误码已收录的变体：给出该错误码的通用解释";
    "SIG302", Info, "The provider is not known from the input: both OSS's and COS's explanations are given", "无法从输入判断云厂商：同时给出 OSS 与 COS 的解释";
    "SIG303", Error, "The request time and the server time are more than 15 minutes apart", "请求时间与服务端时间相差超过 15 分钟";
    "SIG304", Info, "The request time and the server time are within 15 minutes of each other", "请求时间与服务端时间相差在 15 分钟以内";
    "SIG305", Info, "The request time is not known: give the request to compute the clock skew", "请求时间未知：提供请求才能计算时间偏差";
    "SIG306", Error, "The signature's validity had ended when the server checked it", "服务端校验时签名有效期已结束";
    "SIG307", Warning, "The signature's validity starts after the server's time", "签名有效期的开始时间晚于服务端时间";
    "SIG308", Error, "Expires is not a unix time in seconds", "Expires 不是秒级 Unix 时间戳";
    "SIG309", Error, "The bucket must be addressed through the endpoint the server names", "必须通过服务端指明的 Endpoint 访问该 Bucket";
    "SIG310", Info, "The error names no endpoint: look the bucket's endpoint up in the console", "错误响应未给出 Endpoint：请在控制台查看该 Bucket 的 Endpoint";
    "SIG311", Error, "The AccessKeyId contains whitespace or a line break", "AccessKeyId 含有空白或换行";
    "SIG312", Error, "The AccessKeyId has characters OSS does not accept ([0-9a-zA-Z._=] only)", "AccessKeyId 含有 OSS 不接受的字符（只允许 [0-9a-zA-Z._=]）";
    "SIG313", Warning, "The server saw a different AccessKeyId than the request carries", "服务端收到的 AccessKeyId 与请求中的不同";
    "SIG314", Error, "The bucket name breaks the OSS naming rules", "Bucket 名称不符合 OSS 命名规范";
    "SIG315", Error, "The bucket name is not in COS's <name>-<appid> form", "存储桶名称不是 COS 的 <name>-<appid> 格式";
    "SIG316", Error, "The object name breaks the OSS naming rules", "Object 名称不符合 OSS 命名规范";
    "SIG317", Error, "The endpoint already contains a bucket", "Endpoint 中已包含 Bucket";
    "SIG318", Warning, "The bucket is in the host and again as the first path segment", "Bucket 既在主机名中又是路径的第一段";
    "SIG319", Warning, "The path starts with '//': the endpoint was given with a trailing '/'", "路径以 '//' 开头：Endpoint 末尾多了 '/'";
    "SIG320", Error, "The host is malformed: a space, a scheme or a '/' inside it", "主机名格式错误：含空格、协议头或 '/'";
    "SIG321", Warning, "Path-style or IP host: OSS wants the bucket as a third-level domain", "路径风格或 IP 主机名：OSS 要求以 Bucket 三级域名访问";
    "SIG322", Info, "The host is a custom domain, not a standard endpoint", "主机名是自定义域名而非标准 Endpoint";
    "SIG323", Info, "The request used a transfer-acceleration endpoint", "请求使用了传输加速域名";
    "SIG324", Warning, "The request carries no signature: it is anonymous", "请求未携带签名：为匿名请求";
    "SIG325", Error, "A signed URL lacks Signature, Expires or OSSAccessKeyId", "签名 URL 缺少 Signature、Expires 或 OSSAccessKeyId";
    "SIG326", Error, "The signature is both in the URL and in the Authorization header", "签名同时位于 URL 和 Authorization 头中";
    "SIG327", Info, "Where and how the request carries its signature", "请求签名的位置与方式";
    "SIG328", Info, "The error carries the server's signed string: diff it with verify --server-error", "错误响应带有服务端的待签名字符串：可用 verify --server-error 比较";
    "SIG329", Warning, "SignatureProvided has a space: a '+' in the signature was not URL-encoded", "SignatureProvided 含空格：签名中的 '+' 未做 URL 编码";
    "SIG330", Warning, "The error concerns a security token but the request carries none", "错误与 SecurityToken 有关但请求中没有";
    "SIG331", Info, "The request carries an STS security token", "请求携带 STS SecurityToken";
    "SIG332", Warning, "The request has no Referer header", "请求没有 Referer 头";
    "SIG333", Info, "The request's Referer, to check against the whitelist", "请求的 Referer，需与白名单比对";
    "SIG334", Info, "The request's CORS headers (Origin, method, requested headers)", "请求的 CORS 相关头（Origin、方法、请求头）";
    "SIG500", Error, "The form's signature does not match the one recomputed from the policy as sent", "表单签名与按所发 Policy 重新计算的签名不一致";
    "SIG501", Info, "No secret given: the policy and its conditions are checked, the form's signature is not", "未提供密钥：只检查 Policy 及其条件，不校验表单签名";
    "SIG502", Error, "The policy has expired (Policy expired)", "Policy 已过期（Policy expired）";
    "SIG503", Error, "A policy condition is not met by the form (Policy Condition failed)", "表单不满足 Policy 的某个条件（Policy Condition failed）";
    "SIG504", Error, "The file size is outside the policy's content-length-range", "文件大小超出 Policy 的 content-length-range";
    "SIG505", Error, "A signature field the policy must pin is missing from the policy or differs from the form", "Policy 必须约束的签名字段在 Policy 中缺失或与表单不一致";
    "SIG506", Error, "A form field the scheme requires is missing or empty", "缺少该签名方式必需的表单域或其值为空";
    "SIG507", Warning, "Form fields after the file field are ignored by the server", "file 表单域之后的表单域会被服务端忽略";
    "SIG508", Error, "The policy's expiration is not an ISO 8601 UTC time", "Policy 的 expiration 不是 ISO 8601 UTC 时间";
    "SIG509", Error, "The V4 form's x-oss-date is malformed, more than 15 minutes ahead, or older than 7 days", "V4 表单的 x-oss-date 格式错误、超前 15 分钟以上或早于 7 天";
    "SIG510", Error, "The V4 form's signature version or credential is malformed, or its date is not the day of x-oss-date", "V4 表单的签名版本或凭证格式错误，或凭证日期与 x-oss-date 不是同一天";
    "SIG511", Error, "A common mistake in computing the form signature reproduces the provided signature", "某种常见的表单签名计算错误可以得到提供的签名";
    "SIG512", Info, "The file's size is not in the capture: content-length-range is not checked", "抓包中没有文件大小：未检查 content-length-range";
    "SIG513", Warning, "A form field is sent more than once", "同一表单域出现多次";
    "SIG514", Warning, "The multipart body's line breaks are bare LF, not CRLF", "multipart 请求体的换行是 LF 而不是 CRLF";
    "SIG515", Error, "The COS form's q-sign-algorithm or q-key-time is malformed, or the key time does not cover the reference time", "COS 表单的 q-sign-algorithm 或 q-key-time 格式错误，或 key time 不包含参考时间";
    "SIG400", Info, "Diagnosis: no known mistake, alone or up to three combined, reproduces the provided signature", "诊断：已知错误（单个或最多三个组合）均无法复现提供的签名";
    "SIG401", Warning, "Diagnosis stopped at its evaluation budget before trying every combination", "诊断在尝试完所有组合前达到了计算上限";
    "SIG402", Error, "Reproduced: a combination of known mistakes gives exactly the provided signature", "已复现：多个已知错误的组合恰好得到提供的签名";
    "SIG410", Error, "Reproduced: Content-Type or Content-MD5 was signed with another value than the one sent", "已复现：Content-Type 或 Content-MD5 签名时的值与发送的不同";
    "SIG411", Error, "Reproduced: the client signed another time than the one it sent", "已复现：客户端签名用的时间与发送的时间不同";
    "SIG412", Error, "Reproduced: the object key, bucket or path was signed in another form", "已复现：对象键、Bucket 或路径以另一种形式参与了签名";
    "SIG413", Error, "Reproduced: query parameters were signed differently (set, form, encoding or order)", "已复现：查询参数的签名方式不同（集合、形式、编码或顺序）";
    "SIG414", Error, "Reproduced: headers were signed differently (set, name case, whitespace, duplicates or order)", "已复现：头部的签名方式不同（集合、名称大小写、空白、重复或顺序）";
    "SIG415", Error, "Reproduced: the client signed with another secret, or a malformed copy of it", "已复现：客户端使用了另一个密钥或格式有误的密钥";
    "SIG416", Error, "Reproduced: an official SDK's documented behaviour gives the provided signature", "已复现：官方 SDK 的已知行为得到了提供的签名";
    "SIG417", Error, "Reproduced: another signing-key input (region, product, scope date, key time, SignKey form)", "已复现：签名密钥的另一种输入（区域、产品、scope 日期、key time、SignKey 形式）";
    "SIG418", Error, "Reproduced: the signature was mangled in the URL (+ / = not encoded, or decoded twice)", "已复现：URL 中的签名被破坏（+ / = 未编码或被解码两次）";
    "SIG419", Error, "Reproduced: the payload hash or the AdditionalHeaders were signed differently", "已复现：载荷哈希或 AdditionalHeaders 的签名方式不同";
    "SIG600", Error, "The fuzzed signer's signature differs from sigdiff's", "被测签名方的签名与 sigdiff 的不同";
    "SIG601", Error, "The fuzzed signer gave two different answers to the same request", "被测签名方对同一请求给出两个不同的回答";
    "SIG602", Warning, "The fuzzed signer refused requests that sigdiff signs", "被测签名方拒绝了 sigdiff 可以签名的请求";
    "SIG603", Error, "The fuzzed signer crashed or closed its output", "被测签名方崩溃或关闭了输出";
    "SIG604", Error, "The fuzzed signer did not answer in time", "被测签名方未在时限内回答";
    "SIG605", Error, "The fuzzed signer broke the protocol", "被测签名方违反了协议";
    "SIG606", Error, "sigdiff cannot read the fuzzed signer's Authorization header or URL", "sigdiff 无法读取被测签名方的 Authorization 头或 URL";
    "SIG607", Info, "The fuzzed signer sent no intermediate string, so no field diff is possible", "被测签名方未返回中间字符串，无法逐字段比较";
    "SIG608", Error, "The fuzzed signer failed the hello handshake", "被测签名方握手失败";
    "SIG610", Error, "The signer does not sort the signed headers", "签名方未对参与签名的头部排序";
    "SIG611", Error, "The signer signs a header or parameter name in the wrong case", "签名方签名的头部或参数名称大小写错误";
    "SIG612", Error, "The signer encodes the object key differently", "签名方对对象名的编码不同";
    "SIG613", Error, "The signer does not sign a sub-resource or parameter", "签名方未签某个子资源或参数";
    "SIG614", Error, "The signer signs a parameter that is not signed", "签名方签了不参与签名的参数";
    "SIG615", Error, "The signer writes an empty value in the wrong form (k= vs k)", "签名方空值的写法错误（k= 与 k）";
    "SIG616", Error, "The signer does not trim (or wrongly trims) header values", "签名方未去掉（或错误去掉）头部值首尾空白";
    "SIG617", Error, "The signer encodes a value differently", "签名方对某个值的编码不同";
    "SIG618", Error, "The signer signs a different set of headers", "签名方参与签名的头部集合不同";
    "SIG619", Error, "The signer signs a different Date or Expires line", "签名方的 Date 或 Expires 行不同";
    "SIG620", Error, "A field of the signer's string differs from sigdiff's", "签名方字符串中的某字段与 sigdiff 的不同";
    "SIG621", Error, "The strings agree but the signature differs: signing key, HMAC or encoding", "字符串一致但签名不同：签名密钥、HMAC 或编码有误";
}

/// Look up a code.
pub fn info(code: &str) -> Option<&'static CodeInfo> {
    CODES.iter().find(|c| c.code == code)
}

/// One diagnosis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable code (`SIG0xx`).
    pub code: &'static str,
    /// The field it concerns, by the canonical field names (`content-type`, `header:x-oss-date`, `secret`).
    pub field: Option<String>,
    /// Severity.
    pub severity: Severity,
    /// True when applying this finding's hypotheses reproduces the provided signature exactly.
    pub reproduces: bool,
    /// English message.
    pub message: String,
    /// Chinese message.
    pub message_zh: String,
    /// Hypotheses combined to reproduce the signature (diagnosis search).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hypotheses: Vec<String>,
}

impl Finding {
    /// A finding with the code's default severity.
    pub fn new(
        code: &'static str,
        field: Option<&str>,
        en: impl Into<String>,
        zh: impl Into<String>,
    ) -> Self {
        let severity = info(code).map(|c| c.severity).unwrap_or(Severity::Info);
        Finding {
            code,
            field: field.map(str::to_string),
            severity,
            reproduces: false,
            message: en.into(),
            message_zh: zh.into(),
            hypotheses: Vec::new(),
        }
    }

    /// The message in a language.
    pub fn message_in(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.message,
            Lang::Zh => &self.message_zh,
        }
    }

    /// Override the severity.
    pub fn with_severity(mut self, s: Severity) -> Self {
        self.severity = s;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_unique_and_documented() {
        let mut seen = std::collections::HashSet::new();
        let doc = include_str!("../FINDINGS.md");
        for c in CODES {
            assert!(seen.insert(c.code), "duplicate code {}", c.code);
            let row = format!(
                "| {} | {} | {} | {} |",
                c.code,
                format!("{:?}", c.severity).to_lowercase(),
                c.title_en,
                c.title_zh
            );
            assert!(
                doc.contains(&row),
                "FINDINGS.md lacks or misstates the row:\n{row}"
            );
        }
    }
}
