//! HAR files exported from a browser's developer tools (`log.entries[].request`).

use crate::address::classify_host;
use crate::error::{InputError, Result};
use crate::request::Request;
use serde::Deserialize;

#[derive(Deserialize)]
struct Har {
    log: Log,
}

#[derive(Deserialize)]
struct Log {
    entries: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    request: HarRequest,
}

#[derive(Deserialize)]
struct HarRequest {
    method: String,
    url: String,
    #[serde(default)]
    headers: Vec<NameValue>,
    #[serde(default, rename = "bodySize")]
    body_size: Option<i64>,
}

#[derive(Deserialize)]
struct NameValue {
    name: String,
    value: String,
}

/// Parse a HAR. With `entry` (1-based), that entry only; otherwise every request
/// to an OSS or COS host, or carrying a signature. Returns `(entry number, request)`.
pub fn parse(text: &str, entry: Option<usize>) -> Result<Vec<(usize, Request)>> {
    let har: Har = serde_json::from_str(text).map_err(|e| {
        InputError::new("bad-har", format!("not a valid HAR file: {e}")).at(format!(
            "line {}, column {}",
            e.line(),
            e.column()
        ))
    })?;
    let n = har.log.entries.len();
    let pick: Vec<usize> = match entry {
        Some(0) => return Err(InputError::new("bad-entry", "--entry counts from 1")),
        Some(i) if i > n => {
            return Err(InputError::new(
                "bad-entry",
                format!("--entry {i}: the HAR has {n} entries"),
            ))
        }
        Some(i) => vec![i - 1],
        None => (0..n).collect(),
    };
    let mut out = Vec::new();
    for i in pick {
        let e = &har.log.entries[i];
        // HTTP/2 pseudo-headers (":authority") are not headers on the wire of HTTP/1.
        let headers = e
            .request
            .headers
            .iter()
            .filter(|h| !h.name.starts_with(':'))
            .map(|h| (h.name.clone(), h.value.clone()))
            .collect();
        let mut r = Request::from_url(&e.request.method, &e.request.url, headers)
            .map_err(|err| err.at(format!("entry {}", i + 1)))?;
        r.body_len = e.request.body_size.filter(|n| *n >= 0).map(|n| n as u64);
        if entry.is_none() {
            let host = r.host().unwrap_or("");
            let known = classify_host(host).provider.is_some();
            let signed = r.header("authorization").is_some()
                || ["OSSAccessKeyId=", "x-oss-signature", "q-signature", "sign="]
                    .iter()
                    .any(|m| r.target.contains(m));
            if !known && !signed {
                continue;
            }
        }
        out.push((i + 1, r));
    }
    if out.is_empty() {
        return Err(InputError::new("bad-entry", format!("none of the {n} HAR entries goes to an OSS or COS host or carries a signature; pick one with --entry N")));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HAR: &str = r#"{"log":{"version":"1.2","entries":[
      {"request":{"method":"GET","url":"https://www.example.com/","headers":[]}},
      {"request":{"method":"PUT","url":"https://b.oss-cn-hangzhou.aliyuncs.com/k.txt","headers":[{"name":":authority","value":"b.oss-cn-hangzhou.aliyuncs.com"},{"name":"authorization","value":"OSS ak:sig"},{"name":"content-type","value":"text/plain"}],"bodySize":5}}
    ]}}"#;

    #[test]
    fn picks_oss_entries() {
        let v = parse(HAR, None).unwrap();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].0, 2);
        assert_eq!(v[0].1.method, "PUT");
        assert_eq!(v[0].1.headers.len(), 2);
        assert_eq!(v[0].1.body_len, Some(5));
        assert_eq!(parse(HAR, Some(1)).unwrap()[0].1.method, "GET");
        assert_eq!(parse(HAR, Some(3)).unwrap_err().code(), "bad-entry");
        assert_eq!(parse("{\"log\":{}}", None).unwrap_err().code(), "bad-har");
    }
}
