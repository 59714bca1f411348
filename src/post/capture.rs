//! Captured form uploads from any input form: raw HTTP with its multipart body,
//! a HAR entry (`postData.params` or `postData.text`), or a JSON request spec with
//! `form` (and optionally `policy`).
//!
//! [`read`] answers `None` when the input is not a form upload, so the caller can
//! hand it to the ordinary request parsers.

use super::verify::Upload;
use super::{multipart, UploadForm};
use crate::error::{InputError, Result};
use crate::input::spec::RequestSpec;
use crate::request::Request;
use serde::Deserialize;

fn trim_start(bytes: &[u8]) -> &[u8] {
    let b = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

/// Read a captured upload. `None`: not a form upload (not a POST with a
/// multipart/form-data body, a HAR without one, a spec without `form`/POST scheme).
pub fn read(
    bytes: &[u8],
    name: &str,
    entry: Option<usize>,
) -> Option<Result<Vec<(String, Upload)>>> {
    let t = trim_start(bytes);
    if t.starts_with(b"{") {
        let text = std::str::from_utf8(bytes).ok()?;
        if text.contains("\"log\"") && text.contains("\"entries\"") {
            return har(text, name, entry);
        }
        let spec = RequestSpec::from_json(text).ok()?;
        let post_scheme = spec.scheme_id().ok().flatten().is_some_and(super::is_post);
        if !post_scheme && spec.form.is_empty() {
            return None;
        }
        return Some(
            from_spec(&spec)
                .map(|u| vec![(name.to_string(), u)])
                .map_err(|e| e.at(name.to_string())),
        );
    }
    if t.starts_with(b"POST ") {
        return raw_http(t).map(|r| {
            r.map(|u| vec![(name.to_string(), u)])
                .map_err(|e| e.at(name.to_string()))
        });
    }
    None
}

/// Where the head ends: the first blank line (CRLF or LF).
fn head_end(b: &[u8]) -> Option<(usize, usize)> {
    let crlf = memchr::memmem::find(b, b"\r\n\r\n").map(|i| (i + 2, i + 4));
    let lf = memchr::memmem::find(b, b"\n\n").map(|i| (i + 1, i + 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// A raw HTTP POST with a multipart/form-data body; `None` if not multipart.
fn raw_http(b: &[u8]) -> Option<Result<Upload>> {
    let (head_len, body_at) = head_end(b)?;
    let head = std::str::from_utf8(&b[..head_len]).ok()?;
    let head = format!("{head}\r\n");
    let req = match crate::input::raw_http::parse(&head) {
        Ok(r) => r,
        Err(e) => return Some(Err(e)),
    };
    let ct = req.header("content-type")?.to_string();
    if !ct
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("multipart/form-data")
    {
        return None;
    }
    Some((|| {
        if req
            .header("transfer-encoding")
            .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
        {
            return Err(InputError::new(
                "unsupported-body",
                "the body is sent with Transfer-Encoding: chunked; give the de-chunked body (as the server sees it)",
            )
            .at("header Transfer-Encoding"));
        }
        let body = &b[body_at..];
        let m = multipart::parse(&ct, body).map_err(|e| e.at("the body"))?;
        let mut r = req;
        r.body_len = Some(body.len() as u64);
        Ok(Upload {
            form: UploadForm::from_multipart(m)?,
            request: Some(r),
            bucket: None,
            secret: None,
        })
    })())
}

/// A JSON request spec carrying the form (and the policy, if not in the form).
pub fn from_spec(spec: &RequestSpec) -> Result<Upload> {
    let mut pairs = spec.form.clone();
    if !pairs.iter().any(|(n, _)| n.eq_ignore_ascii_case("policy")) {
        if let Some(p) = super::policy_of_spec(spec)? {
            pairs.insert(0, ("policy".into(), p.base64));
        }
    }
    let request = if spec.url.is_some() || spec.endpoint.is_some() {
        let mut s = spec.clone();
        s.method = Some("POST".into());
        s.key = None;
        s.query.clear();
        let p = spec
            .scheme_id()
            .ok()
            .flatten()
            .map(|x| x.provider())
            .unwrap_or(crate::address::Provider::Oss);
        Some(s.to_request(p)?.0)
    } else {
        None
    };
    Ok(Upload {
        form: UploadForm::from_pairs(&pairs),
        request,
        bucket: spec.bucket.clone(),
        secret: spec
            .credentials
            .as_ref()
            .and_then(|c| c.access_key_secret.clone())
            .map(crate::secret::Secret::new),
    })
}

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
    #[serde(default, rename = "postData")]
    post_data: Option<PostData>,
}
#[derive(Deserialize)]
struct NameValue {
    name: String,
    value: String,
}
#[derive(Deserialize)]
struct PostData {
    #[serde(default, rename = "mimeType")]
    mime_type: String,
    #[serde(default)]
    params: Vec<Param>,
    #[serde(default)]
    text: Option<String>,
}
#[derive(Deserialize)]
struct Param {
    name: String,
    #[serde(default)]
    value: Option<String>,
    #[serde(default, rename = "fileName")]
    file_name: Option<String>,
    #[serde(default, rename = "contentType")]
    content_type: Option<String>,
}

fn is_upload(pd: &PostData) -> bool {
    pd.params
        .iter()
        .any(|p| p.name.eq_ignore_ascii_case("policy"))
        || (pd
            .mime_type
            .to_ascii_lowercase()
            .starts_with("multipart/form-data")
            && pd
                .text
                .as_deref()
                .is_some_and(|t| t.contains("name=\"policy\"")))
}

/// HAR entries that are form uploads; `None` when there are none (and no entry was picked).
fn har(text: &str, name: &str, entry: Option<usize>) -> Option<Result<Vec<(String, Upload)>>> {
    let har: Har = serde_json::from_str(text).ok()?;
    let n = har.log.entries.len();
    let picked: Vec<usize> = match entry {
        Some(i) if i >= 1 && i <= n => {
            let pd = har.log.entries[i - 1].request.post_data.as_ref()?;
            if !is_upload(pd) {
                return None;
            }
            vec![i - 1]
        }
        Some(_) => return None,
        None => (0..n)
            .filter(|&i| {
                har.log.entries[i]
                    .request
                    .post_data
                    .as_ref()
                    .is_some_and(is_upload)
            })
            .collect(),
    };
    if picked.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for i in picked {
        let label = format!("{name} entry {}", i + 1);
        let r = &har.log.entries[i].request;
        let res: Result<Upload> = (|| {
            let headers = r
                .headers
                .iter()
                .filter(|h| !h.name.starts_with(':'))
                .map(|h| (h.name.clone(), h.value.clone()))
                .collect();
            let req = Request::from_url(&r.method, &r.url, headers)?;
            let pd = r.post_data.as_ref().expect("picked entries have postData");
            let form = if !pd.params.is_empty() {
                // HAR params: a file param has `fileName`; its content is rarely in the HAR.
                let mut f = UploadForm::default();
                for p in &pd.params {
                    let is_file = p.file_name.is_some() || p.name.eq_ignore_ascii_case("file");
                    if is_file && f.file.is_none() {
                        f.file = Some(super::FileInfo {
                            filename: p.file_name.clone(),
                            size: p
                                .value
                                .as_ref()
                                .filter(|v| !v.is_empty())
                                .map(|v| v.len() as u64),
                            content_type: p.content_type.clone(),
                        });
                    } else {
                        if f.file.is_some() {
                            f.after_file.push(p.name.clone());
                        }
                        f.fields
                            .push((p.name.clone(), p.value.clone().unwrap_or_default()));
                    }
                }
                f
            } else {
                let ct = req
                    .header("content-type")
                    .map(str::to_string)
                    .unwrap_or_else(|| pd.mime_type.clone());
                let body = pd.text.as_deref().unwrap_or("");
                UploadForm::from_multipart(
                    multipart::parse(&ct, body.as_bytes()).map_err(|e| e.at("postData.text"))?,
                )?
            };
            Ok(Upload {
                form,
                request: Some(req),
                bucket: None,
                secret: None,
            })
        })();
        match res {
            Ok(u) => out.push((label, u)),
            Err(e) => return Some(Err(e.at(label))),
        }
    }
    Some(Ok(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_uploads() {
        assert!(read(b"GET / HTTP/1.1\r\nHost: h\r\n\r\n", "x", None).is_none());
        assert!(read(
            b"POST / HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\n\r\nhi",
            "x",
            None
        )
        .is_none());
        assert!(read(br#"{"scheme":"oss-v1","url":"http://h/"}"#, "x", None).is_none());
        assert!(read(
            br#"{"log":{"entries":[{"request":{"method":"GET","url":"http://h/"}}]}}"#,
            "x",
            None
        )
        .is_none());
    }

    #[test]
    fn raw_upload() {
        let body = "--xx\r\nContent-Disposition: form-data; name=\"policy\"\r\n\r\neyJ9\r\n--xx\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nhello\r\n--xx--\r\n";
        let raw = format!("POST / HTTP/1.1\r\nHost: b.oss-cn-hangzhou.aliyuncs.com\r\nContent-Type: multipart/form-data; boundary=xx\r\n\r\n{body}");
        let v = read(raw.as_bytes(), "req", None).unwrap().unwrap();
        let u = &v[0].1;
        assert_eq!(u.form.get("POLICY"), Some("eyJ9"));
        assert_eq!(u.form.file.as_ref().unwrap().size, Some(5));
        assert_eq!(
            u.request.as_ref().unwrap().host(),
            Some("b.oss-cn-hangzhou.aliyuncs.com")
        );
        let chunked = raw.replace(
            "\r\n\r\n--xx\r\n",
            "\r\nTransfer-Encoding: chunked\r\n\r\n--xx\r\n",
        );
        assert_eq!(
            read(chunked.as_bytes(), "req", None)
                .unwrap()
                .unwrap_err()
                .code(),
            "unsupported-body"
        );
    }

    #[test]
    fn har_params() {
        let h = r#"{"log":{"entries":[
          {"request":{"method":"GET","url":"https://www.example.com/"}},
          {"request":{"method":"POST","url":"https://b.oss-cn-hangzhou.aliyuncs.com/","headers":[],
            "postData":{"mimeType":"multipart/form-data; boundary=x","params":[
              {"name":"key","value":"a.txt"},{"name":"policy","value":"eyJ9"},
              {"name":"file","fileName":"a.txt","contentType":"text/plain"}]}}}]}}"#;
        let v = read(h.as_bytes(), "c.har", None).unwrap().unwrap();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].0, "c.har entry 2");
        let f = v[0].1.form.file.as_ref().unwrap();
        assert_eq!(f.filename.as_deref(), Some("a.txt"));
        assert_eq!(f.size, None);
        assert!(read(h.as_bytes(), "c.har", Some(1)).is_none());
    }
}
