//! Addressing: from host and path to provider, bucket and the decoded object key.
//!
//! Virtual-hosted (`bucket.oss-cn-hangzhou.aliyuncs.com/key`), path style
//! (`oss-cn-hangzhou.aliyuncs.com/bucket/key`), IP endpoints (always path style),
//! `-internal` and accelerate endpoints, and custom domains (CNAME, bucket given by
//! the caller). The signed bucket/key are always the logical, decoded ones
//! (oss-signing.md §1.3; cos-signing.md §2.6).

use crate::encode::{decode, PlusMeans};
use crate::error::{InputError, Result};
use crate::request::Request;
use serde::Serialize;
use std::borrow::Cow;

/// Which cloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// Alibaba Cloud OSS.
    Oss,
    /// Tencent Cloud COS.
    Cos,
}

impl Provider {
    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Provider::Oss => "Alibaba Cloud OSS",
            Provider::Cos => "Tencent Cloud COS",
        }
    }
}

impl HostStyle {
    /// `virtual-hosted`, `path-style`, `cname`, `service`.
    pub fn label(self) -> &'static str {
        match self {
            HostStyle::VirtualHosted => "virtual-hosted",
            HostStyle::PathStyle => "path-style",
            HostStyle::Cname => "cname",
            HostStyle::Service => "service",
        }
    }
}

/// How the bucket is named in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HostStyle {
    /// `<bucket>.<endpoint>`.
    VirtualHosted,
    /// `<endpoint>/<bucket>/<key>` (also any IP host).
    PathStyle,
    /// Custom domain bound to a bucket.
    Cname,
    /// Service-level request to a bare endpoint with no bucket (`GET /`).
    Service,
}

/// What the host names, before the path is looked at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    /// The provider the host belongs to, if it is a known endpoint.
    pub provider: Option<Provider>,
    /// Bucket named in the host (virtual-hosted).
    pub bucket: Option<String>,
    /// The endpoint part (`oss-cn-hangzhou.aliyuncs.com`).
    pub endpoint: Option<String>,
    /// Region id (`cn-hangzhou`, `ap-beijing`) when the endpoint names one.
    pub region: Option<String>,
    /// `-internal` endpoint.
    pub internal: bool,
    /// Transfer acceleration endpoint.
    pub accelerate: bool,
    /// The host is an IP address.
    pub ip: bool,
}

/// The resolved address of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Address {
    /// Provider.
    pub provider: Provider,
    /// Host style.
    pub style: HostStyle,
    /// Host as sent (port included).
    pub host: String,
    /// What the host names.
    pub endpoint: Endpoint,
    /// Logical bucket; `None` for service-level requests.
    pub bucket: Option<String>,
    /// Decoded object key without the leading `/`; empty for bucket level.
    pub key: String,
}

/// Strip `:port` from a host (IPv6 literals kept in brackets).
pub fn host_without_port(host: &str) -> &str {
    // Byte scans: ':' and ']' are ASCII, so every cut is a char boundary.
    let b = host.as_bytes();
    if b.first() == Some(&b'[') {
        return match b.iter().position(|&c| c == b']') {
            Some(i) => &host[..=i],
            None => host,
        };
    }
    match b.iter().rposition(|&c| c == b':') {
        Some(i) if b[i + 1..].iter().all(u8::is_ascii_digit) => &host[..i],
        _ => host,
    }
}

fn is_ip(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.parse::<std::net::IpAddr>().is_ok()
}

/// What a host names, as byte ranges of the normalised host (no allocation).
#[derive(Debug, Clone, Default)]
struct Ranges {
    provider: Option<Provider>,
    bucket: Option<std::ops::Range<usize>>,
    endpoint: Option<std::ops::Range<usize>>,
    region: Option<std::ops::Range<usize>>,
    internal: bool,
    accelerate: bool,
    ip: bool,
}

impl Ranges {
    fn endpoint(&self, h: &str) -> Endpoint {
        let own = |r: &Option<std::ops::Range<usize>>| r.clone().map(|r| h[r].to_string());
        Endpoint {
            provider: self.provider,
            bucket: own(&self.bucket),
            endpoint: own(&self.endpoint),
            region: own(&self.region),
            internal: self.internal,
            accelerate: self.accelerate,
            ip: self.ip,
        }
    }
}

/// The host as classified: without the port and a trailing dot, lower-cased
/// (borrowed unless it had upper-case letters).
fn normalise_host(host: &str) -> Cow<'_, str> {
    // `host_without_port` for a name: a `:` right before the trailing digits is
    // the last `:` with only digits after it (one short backward scan).
    let b = host.as_bytes();
    let h = if b.first() == Some(&b'[') {
        host_without_port(host)
    } else {
        let digits = b.iter().rev().take_while(|c| c.is_ascii_digit()).count();
        let at = b.len() - digits;
        if at > 0 && b[at - 1] == b':' {
            &host[..at - 1]
        } else {
            host
        }
    };
    let keep = h.bytes().rposition(|c| c != b'.').map_or(0, |i| i + 1);
    let h = &h[..keep];
    if h.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(h.to_ascii_lowercase())
    } else {
        Cow::Borrowed(h)
    }
}

/// Classify a normalised host into ranges of it.
fn classify_ranges(h: &str) -> Ranges {
    let mut ep = Ranges {
        ip: h
            .as_bytes()
            .last()
            .is_some_and(|b| b.is_ascii_digit() || *b == b']')
            && is_ip(h),
        ..Default::default()
    };
    if ep.ip {
        return ep;
    }
    if !(h.ends_with(".aliyuncs.com")
        || h.ends_with(".myqcloud.com")
        || h.ends_with(".tencentcos.cn"))
    {
        return ep;
    }
    // The last four labels, found from the right without collecting them all:
    // `l[0]` is the last label, `l[3]` the fourth from the end; `at[i]` is where
    // label `l[i]` starts in `h`.
    let mut l: [&str; 4] = [""; 4];
    let mut at = [0usize; 4];
    let mut n = 0;
    let mut end = h.len();
    while n < 4 {
        let start = h.as_bytes()[..end]
            .iter()
            .rposition(|&c| c == b'.')
            .map_or(0, |i| i + 1);
        l[n] = &h[start..end];
        at[n] = start;
        n += 1;
        if start == 0 {
            break;
        }
        end = start - 1;
    }
    let bucket_before = |i: usize| (at[i] > 0).then(|| 0..at[i] - 1);
    if n >= 3 && l[1] == "aliyuncs" && l[0] == "com" && (l[2] == "oss" || l[2].starts_with("oss-"))
    {
        // OSS endpoints: oss-<region>[-internal].aliyuncs.com, oss-accelerate[-overseas].aliyuncs.com
        // (oss-signing.md §1.3, §10 item 15); anything before is the bucket.
        ep.provider = Some(Provider::Oss);
        ep.bucket = bucket_before(2);
        ep.endpoint = Some(at[2]..h.len());
        let label = at[2]..at[2] + l[2].len();
        let mut region = if l[2].starts_with("oss-") {
            label.start + 4..label.end
        } else {
            label.end..label.end
        };
        if h[region.clone()].ends_with("-internal") {
            ep.internal = true;
            region.end -= "-internal".len();
        }
        if h[region.clone()].starts_with("accelerate") {
            ep.accelerate = true;
        } else if !region.is_empty() {
            ep.region = Some(region);
        }
    } else if n >= 4
        && ((l[1] == "myqcloud" && l[0] == "com") || (l[1] == "tencentcos" && l[0] == "cn"))
        && (l[3] == "cos" || l[3].starts_with("cos-"))
    {
        // COS endpoints: [<bucket>-<appid>.]cos[-internal|-website].<region>.myqcloud.com,
        // cos.accelerate.myqcloud.com (cos-signing.md §2.6, §2.7).
        ep.provider = Some(Provider::Cos);
        ep.bucket = bucket_before(3);
        ep.endpoint = Some(at[3]..h.len());
        ep.internal = l[3].ends_with("-internal");
        if l[2] == "accelerate" {
            ep.accelerate = true;
        } else {
            ep.region = Some(at[2]..at[2] + l[2].len());
        }
    }
    ep
}

/// Whether a host names a bucket (virtual-hosted on a known endpoint) and whether
/// it is an IP address: [`classify_host`]'s `bucket.is_some()` and `ip`, without
/// building the description.
pub fn host_shape(host: &str) -> (bool, bool) {
    let r = classify_ranges(&normalise_host(host));
    (r.bucket.is_some(), r.ip)
}

/// Classify a host name.
pub fn classify_host(host: &str) -> Endpoint {
    let h = normalise_host(host);
    classify_ranges(&h).endpoint(&h)
}

/// The bucket and decoded key of a request, borrowed where nothing needed
/// decoding or lower-casing: what signing needs of the address, without the
/// endpoint description [`resolve`] adds for reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<'a> {
    /// Provider.
    pub provider: Provider,
    /// Host style.
    pub style: HostStyle,
    /// Logical bucket; `None` for service-level requests.
    pub bucket: Option<Cow<'a, str>>,
    /// Decoded object key without the leading `/`.
    pub key: Cow<'a, str>,
}

/// The bucket named by a usual virtual-hosted endpoint host, recognised in one
/// look, without normalising or classifying it: the host as [`locate`] takes it
/// as is (only `a-z`, `0-9`, `.` and `-`: no upper case, port or trailing dot),
/// OSS `<bucket>.oss[-*].aliyuncs.com` (oss-signing.md §1.3) or COS
/// `<bucket>.cos[-*].<region>.myqcloud.com` / `.tencentcos.cn` (cos-signing.md
/// §2.6, §2.7). There [`locate`] finds that provider and that bucket in the host.
/// `None` for every other host (path style, IPs, CNAMEs, other endpoints), which
/// the lean verdict paths leave to [`locate`] and its errors.
pub fn usual_virtual_host(host: &str, provider: Provider) -> Option<&str> {
    // Every byte looked at (a fold, no early exit: the compiler vectorises it).
    let plain = host.bytes().fold(true, |ok, c| {
        ok & (c.is_ascii_lowercase() | c.is_ascii_digit() | (c == b'.') | (c == b'-'))
    });
    if !plain {
        return None;
    }
    let (front, label) = match provider {
        Provider::Oss => (host.strip_suffix(".aliyuncs.com")?, "oss"),
        Provider::Cos => {
            let rest = host
                .strip_suffix(".myqcloud.com")
                .or_else(|| host.strip_suffix(".tencentcos.cn"))?;
            // The region label follows the COS one.
            (&rest[..memchr::memrchr(b'.', rest.as_bytes())?], "cos")
        }
    };
    // The endpoint's label (`oss`, `oss-cn-hangzhou`, `cos`, `cos-website`…) and,
    // before its dot, the bucket.
    let dot = memchr::memrchr(b'.', front.as_bytes())?;
    let named = &front[dot + 1..];
    let ours = named
        .strip_prefix(label)
        .is_some_and(|t| t.is_empty() || t.starts_with('-'));
    ours.then_some(&front[..dot])
}

/// [`resolve`] without the owned endpoint description (the hot path of `verify::check`).
pub fn locate<'a>(
    req: &'a Request,
    provider: Provider,
    bucket_hint: Option<&'a str>,
) -> Result<Located<'a>> {
    locate_with(req, provider, bucket_hint).map(|(l, _, _)| l)
}

/// [`Located`] with the object key as it is in the path, still percent-encoded,
/// and how to decode it: for a caller that decodes the key straight into its
/// own buffer ([`crate::verify::check`]'s OSS V1 path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocatedRaw<'a> {
    /// Provider.
    pub provider: Provider,
    /// Host style.
    pub style: HostStyle,
    /// Logical bucket; `None` for service-level requests.
    pub bucket: Option<Cow<'a, str>>,
    /// The object key without the leading `/`, as sent (percent-encoded).
    pub key_raw: &'a str,
    /// What a literal `+` in the key means for this provider.
    pub plus: PlusMeans,
}

/// [`locate`] without decoding the key: the same checks and errors, except the
/// key's own (a key that does not decode to UTF-8 is [`locate`]'s error to give).
pub fn locate_raw<'a>(
    req: &'a Request,
    provider: Provider,
    bucket_hint: Option<&'a str>,
) -> Result<LocatedRaw<'a>> {
    locate_parts(req, provider, bucket_hint).map(|(l, _, _)| l)
}

/// The shared core of [`locate`] and [`resolve`]: the location, the normalised
/// host and what it names.
fn locate_with<'a>(
    req: &'a Request,
    provider: Provider,
    bucket_hint: Option<&'a str>,
) -> Result<(Located<'a>, Cow<'a, str>, Ranges)> {
    let (raw, norm, ep) = locate_parts(req, provider, bucket_hint)?;
    let key = decode(raw.key_raw, raw.plus, "object key (request path)")?;
    Ok((
        Located {
            provider,
            style: raw.style,
            bucket: raw.bucket,
            key,
        },
        norm,
        ep,
    ))
}

/// [`locate_with`] up to the key's decoding.
fn locate_parts<'a>(
    req: &'a Request,
    provider: Provider,
    bucket_hint: Option<&'a str>,
) -> Result<(LocatedRaw<'a>, Cow<'a, str>, Ranges)> {
    let host = req.host().ok_or_else(|| {
        InputError::new(
            "no-host",
            "the request has no Host header and no absolute URL",
        )
    })?;
    let norm = normalise_host(host);
    let ep = classify_ranges(&norm);
    if let Some(p) = ep.provider {
        if p != provider && bucket_hint.is_none() {
            return Err(InputError::new(
                "wrong-provider",
                format!(
                    "host `{host}` is a {} endpoint but the signature is {}'s",
                    p.name(),
                    provider.name()
                ),
            ));
        }
    }
    let raw_path = req.raw_path();
    if !raw_path.starts_with('/') {
        return Err(InputError::new(
            "bad-path",
            format!(
                "the request path `{}` does not start with `/`",
                crate::encode::truncate(raw_path, 60)
            ),
        ));
    }
    // OSS keeps a literal '+' as '+'; the COS server reads it as a space (DESIGN "JSON request spec").
    let plus = match provider {
        Provider::Oss => PlusMeans::Plus,
        Provider::Cos => PlusMeans::Space,
    };
    let after_slash = &raw_path[1..];
    let host_bucket: Option<Cow<'a, str>> = ep.bucket.clone().map(|r| match &norm {
        Cow::Borrowed(h) => Cow::Borrowed(&h[r]),
        Cow::Owned(h) => Cow::Owned(h[r].to_string()),
    });
    let (style, bucket, key_raw) = if let Some(b) =
        bucket_hint.filter(|_| ep.bucket.is_none() && !ep.ip && ep.provider.is_none())
    {
        (HostStyle::Cname, Some(Cow::Borrowed(b)), after_slash)
    } else if let Some(b) = host_bucket {
        (
            HostStyle::VirtualHosted,
            Some(bucket_hint.map(Cow::Borrowed).unwrap_or(b)),
            after_slash,
        )
    } else if ep.provider.is_some() || ep.ip {
        // Path style: the first segment names the bucket (oss-signing.md §1.3).
        if after_slash.is_empty() {
            (HostStyle::Service, None, "")
        } else {
            let (b, rest) = after_slash.split_once('/').unwrap_or((after_slash, ""));
            let b = decode(b, PlusMeans::Plus, "bucket segment of the path")?;
            (HostStyle::PathStyle, Some(b), rest)
        }
    } else {
        return Err(InputError::new(
            "unknown-host",
            format!(
                "host `{host}` is not a known {} endpoint; for a custom domain (CNAME) give the bucket with --bucket",
                provider.name()
            ),
        ));
    };
    Ok((
        LocatedRaw {
            provider,
            style,
            bucket,
            key_raw,
            plus,
        },
        norm,
        ep,
    ))
}

/// Resolve a request's address for `provider`. `bucket_hint` is the bucket of a
/// custom domain (CNAME), or overrides the one in the host.
pub fn resolve(req: &Request, provider: Provider, bucket_hint: Option<&str>) -> Result<Address> {
    let (loc, norm, ep) = locate_with(req, provider, bucket_hint)?;
    Ok(Address {
        provider,
        style: loc.style,
        host: req.host().unwrap_or_default().to_string(),
        endpoint: ep.endpoint(&norm),
        bucket: loc.bucket.map(Cow::into_owned),
        key: loc.key.into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usual_virtual_host_is_what_locate_finds() {
        let hosts = [
            "b.oss-cn-hangzhou.aliyuncs.com",
            "b.oss.aliyuncs.com",
            "a.b.oss-accelerate.aliyuncs.com",
            "b.oss-cn-hangzhou-internal.aliyuncs.com",
            ".oss-cn-hangzhou.aliyuncs.com",
            "oss-cn-hangzhou.aliyuncs.com",
            "b.ossx.aliyuncs.com",
            "B.oss-cn-hangzhou.aliyuncs.com",
            "b.oss-cn-hangzhou.aliyuncs.com:8080",
            "b.oss-cn-hangzhou.aliyuncs.com.",
            "b_1.oss-cn-hangzhou.aliyuncs.com",
            "b-1250000000.cos.ap-beijing.myqcloud.com",
            "b-1250000000.cos-website.ap-beijing.myqcloud.com",
            "b-1250000000.cos.ap-beijing.tencentcos.cn",
            "cos.ap-beijing.myqcloud.com",
            "b.cosx.ap-beijing.myqcloud.com",
            "b.cos.myqcloud.com",
            "service.cos.myqcloud.com",
            "10.0.0.1",
            "example.com",
        ];
        let mut seen = 0;
        for host in hosts {
            for provider in [Provider::Oss, Provider::Cos] {
                let Some(bucket) = usual_virtual_host(host, provider) else {
                    continue;
                };
                seen += 1;
                let req = Request::from_url("GET", &format!("https://{host}/k"), vec![]).unwrap();
                let l = locate(&req, provider, None).expect(host);
                assert_eq!(l.style, HostStyle::VirtualHosted, "{host}");
                assert_eq!(l.bucket.as_deref(), Some(bucket), "{host}");
            }
        }
        // The usual shapes of both providers are taken (and nothing else above).
        assert_eq!(usual_virtual_host(hosts[0], Provider::Oss), Some("b"));
        assert_eq!(usual_virtual_host(hosts[0], Provider::Cos), None);
        assert_eq!(
            usual_virtual_host(hosts[11], Provider::Cos),
            Some("b-1250000000")
        );
        assert_eq!(seen, 8, "OSS: 5 (incl. the empty bucket), COS: 3");
    }

    fn addr(url: &str, p: Provider, hint: Option<&str>) -> Result<Address> {
        resolve(&Request::from_url("GET", url, vec![]).unwrap(), p, hint)
    }

    #[test]
    fn oss_styles() {
        let a = addr(
            "https://bkt.oss-cn-hangzhou.aliyuncs.com/a%20b+c.txt",
            Provider::Oss,
            None,
        )
        .unwrap();
        assert_eq!(
            (a.style, a.bucket.as_deref(), a.key.as_str()),
            (HostStyle::VirtualHosted, Some("bkt"), "a b+c.txt")
        );
        assert_eq!(a.endpoint.region.as_deref(), Some("cn-hangzhou"));
        let a = addr(
            "https://oss-cn-hangzhou-internal.aliyuncs.com/bkt/dir/x",
            Provider::Oss,
            None,
        )
        .unwrap();
        assert_eq!(
            (a.style, a.bucket.as_deref(), a.key.as_str()),
            (HostStyle::PathStyle, Some("bkt"), "dir/x")
        );
        assert!(a.endpoint.internal);
        assert_eq!(a.endpoint.region.as_deref(), Some("cn-hangzhou"));
        let a = addr(
            "https://bkt.oss-accelerate.aliyuncs.com/k",
            Provider::Oss,
            None,
        )
        .unwrap();
        assert!(a.endpoint.accelerate);
        let a = addr("http://10.0.0.1:8080/bkt/k%2Fz", Provider::Oss, None).unwrap();
        assert_eq!(
            (a.style, a.bucket.as_deref(), a.key.as_str()),
            (HostStyle::PathStyle, Some("bkt"), "k/z")
        );
        let a = addr("https://oss-cn-hangzhou.aliyuncs.com/", Provider::Oss, None).unwrap();
        assert_eq!((a.style, a.bucket), (HostStyle::Service, None));
        let a = addr("https://img.example.com/x.png", Provider::Oss, Some("bkt")).unwrap();
        assert_eq!(
            (a.style, a.bucket.as_deref(), a.key.as_str()),
            (HostStyle::Cname, Some("bkt"), "x.png")
        );
        assert_eq!(
            addr("https://img.example.com/x.png", Provider::Oss, None)
                .unwrap_err()
                .code(),
            "unknown-host"
        );
        assert_eq!(
            addr("https://sts.aliyuncs.com/x", Provider::Oss, None)
                .unwrap_err()
                .code(),
            "unknown-host"
        );
    }

    #[test]
    fn cos_styles() {
        let a = addr(
            "https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/a+b",
            Provider::Cos,
            None,
        )
        .unwrap();
        assert_eq!(
            (a.style, a.bucket.as_deref(), a.key.as_str()),
            (
                HostStyle::VirtualHosted,
                Some("examplebucket-1250000000"),
                "a b"
            )
        );
        assert_eq!(a.endpoint.region.as_deref(), Some("ap-beijing"));
        let a = addr(
            "https://cos.ap-beijing.myqcloud.com/b-125/k",
            Provider::Cos,
            None,
        )
        .unwrap();
        assert_eq!(
            (a.style, a.bucket.as_deref()),
            (HostStyle::PathStyle, Some("b-125"))
        );
        assert_eq!(
            addr(
                "https://b.cos.ap-beijing.myqcloud.com/k",
                Provider::Oss,
                None
            )
            .unwrap_err()
            .code(),
            "wrong-provider"
        );
    }

    proptest::proptest! {
        // The byte scans agree with the str-method formulation they replaced.
        #[test]
        fn host_normalisation_matches_str_methods(h in "\\[?[a-zA-Z0-9.:é-]{0,20}\\]?(:[0-9]{0,5})?\\.{0,2}") {
            let reference = |host: &str| -> String {
                let no_port = if host.starts_with('[') {
                    match host.find(']') { Some(i) => &host[..=i], None => host }
                } else {
                    match host.rsplit_once(':') {
                        Some((a, p)) if p.bytes().all(|b| b.is_ascii_digit()) => a,
                        _ => host,
                    }
                };
                no_port.trim_end_matches('.').to_ascii_lowercase()
            };
            proptest::prop_assert_eq!(normalise_host(&h).into_owned(), reference(&h));
        }
    }

    #[test]
    fn host_shape_agrees_with_classify_host() {
        for h in [
            "bkt.oss-cn-hangzhou.aliyuncs.com",
            "BKT.OSS-cn-hangzhou.aliyuncs.com.",
            "oss-cn-hangzhou.aliyuncs.com",
            "a.b.oss-cn-hangzhou-internal.aliyuncs.com:443",
            "10.0.0.1:8080",
            "[::1]:80",
            "img.example.com",
            "b-125.cos.ap-beijing.myqcloud.com",
            "cos.ap-beijing.myqcloud.com",
            "b-125.cos.accelerate.myqcloud.com",
            "",
        ] {
            let e = classify_host(h);
            assert_eq!(host_shape(h), (e.bucket.is_some(), e.ip), "{h}");
        }
    }

    #[test]
    fn locate_agrees_with_resolve() {
        for (url, p, hint) in [
            (
                "https://bkt.oss-cn-hangzhou.aliyuncs.com/a%20b+c.txt",
                Provider::Oss,
                None,
            ),
            (
                "https://BKT.OSS-cn-hangzhou.aliyuncs.com/K",
                Provider::Oss,
                None,
            ),
            (
                "https://oss-cn-hangzhou.aliyuncs.com/bkt/x/y",
                Provider::Oss,
                None,
            ),
            ("https://oss-cn-hangzhou.aliyuncs.com/", Provider::Oss, None),
            ("http://10.0.0.1:8080/b%2Fx/k", Provider::Oss, None),
            ("https://img.example.com/k", Provider::Oss, Some("mine")),
            (
                "https://bkt.oss-accelerate.aliyuncs.com/k",
                Provider::Oss,
                Some("other"),
            ),
            (
                "https://b-125.cos.ap-beijing.myqcloud.com/a+b",
                Provider::Cos,
                None,
            ),
            (
                "https://cos.accelerate.myqcloud.com/b-125/k",
                Provider::Cos,
                None,
            ),
        ] {
            let req = Request::from_url("GET", url, vec![]).unwrap();
            let a = resolve(&req, p, hint).unwrap();
            let l = locate(&req, p, hint).unwrap();
            assert_eq!(l.bucket.as_deref(), a.bucket.as_deref(), "{url}");
            assert_eq!(l.key, a.key, "{url}");
            assert_eq!(l.style, a.style, "{url}");
        }
        let bad = Request::from_url("GET", "https://example.com/k", vec![]).unwrap();
        assert!(locate(&bad, Provider::Oss, None).is_err());
        assert!(resolve(&bad, Provider::Oss, None).is_err());
    }

    #[test]
    fn ports() {
        assert_eq!(host_without_port("h:8080"), "h");
        assert_eq!(host_without_port("[::1]:80"), "[::1]");
        assert_eq!(host_without_port("h"), "h");
    }
}
