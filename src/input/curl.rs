//! A saved `curl` command line (as copied from a browser's "Copy as cURL", a shell
//! history or a script), split with `shell-words`.

use crate::error::{InputError, Result};
use crate::request::Request;

/// Options that take a value and do not change what is signed.
const IGNORED_WITH_VALUE: &[&str] = &[
    "-o",
    "--output",
    "--connect-timeout",
    "-m",
    "--max-time",
    "--retry",
    "-w",
    "--write-out",
    "--cacert",
    "--capath",
    "--cert",
    "--key",
    "-E",
    "-x",
    "--proxy",
    "--resolve",
    "--limit-rate",
    "-u",
    "--user",
    "-c",
    "--cookie-jar",
    "--retry-delay",
    "--retry-max-time",
    "--interface",
    "--local-port",
    "-K",
    "--config",
    "--trace",
    "--trace-ascii",
    "--stderr",
    "-U",
    "--proxy-user",
    "--max-redirs",
    "--ciphers",
    "--tls-max",
    "--dns-servers",
    "--unix-socket",
    "--connect-to",
];

/// Flags that take no value and do not change what is signed.
const IGNORED_FLAGS: &[&str] = &[
    "-v",
    "--verbose",
    "-s",
    "--silent",
    "-S",
    "--show-error",
    "-i",
    "--include",
    "-k",
    "--insecure",
    "-L",
    "--location",
    "-f",
    "--fail",
    "--fail-with-body",
    "--compressed",
    "--http1.0",
    "--http1.1",
    "--http2",
    "--http2-prior-knowledge",
    "-g",
    "--globoff",
    "--path-as-is",
    "-N",
    "--no-buffer",
    "-#",
    "--progress-bar",
    "-O",
    "--remote-name",
    "-J",
    "--remote-header-name",
    "-q",
    "--disable",
    "--raw",
    "-Z",
    "--parallel",
    "--no-keepalive",
    "--tcp-nodelay",
    "-4",
    "-6",
    "--ipv4",
    "--ipv6",
    "--tlsv1.2",
    "--tlsv1.3",
    "--ssl",
    "-1",
    "-2",
    "-3",
];

/// Parse a curl command line into a request.
pub fn parse(text: &str) -> Result<Request> {
    // Line continuations: `\` + newline (sh) and `^` + newline (cmd.exe).
    let joined = text
        .replace("\\\r\n", " ")
        .replace("\\\n", " ")
        .replace("^\r\n", " ")
        .replace("^\n", " ");
    let line = joined.trim().trim_start_matches("$ ");
    let words = shell_words::split(line).map_err(|e| {
        InputError::new(
            "bad-curl",
            format!("cannot split the curl command: {e} (an unbalanced quote?)"),
        )
    })?;
    let mut it = words.into_iter().peekable();
    match it.next().as_deref() {
        Some("curl") => {}
        _ => {
            return Err(InputError::new(
                "bad-curl",
                "the command does not start with `curl`",
            ))
        }
    }
    let mut method: Option<String> = None;
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut url: Option<String> = None;
    let mut body_len: Option<u64> = None;
    let mut has_data = false;
    let mut head = false;
    let mut upload = false;
    let mut form = false;
    let mut n = 0usize;
    while let Some(w) = it.next() {
        n += 1;
        let mut value = |name: &str| -> Result<String> {
            it.next().ok_or_else(|| {
                InputError::new("bad-curl", format!("curl option `{name}` needs a value"))
                    .at(format!("word {}", n + 1))
            })
        };
        // Short options with the value glued on: -XPUT, -H'K: V'.
        let (opt, glued) = if w.len() > 2
            && w.is_char_boundary(2)
            && w.starts_with('-')
            && !w.starts_with("--")
            && matches!(
                &w[..2],
                "-X" | "-H" | "-d" | "-A" | "-e" | "-b" | "-T" | "-r" | "-F"
            ) {
            (w[..2].to_string(), Some(w[2..].to_string()))
        } else if let Some((o, v)) = w.split_once('=').filter(|_| w.starts_with("--")) {
            (o.to_string(), Some(v.to_string()))
        } else {
            (w.clone(), None)
        };
        let mut val = |name: &str| -> Result<String> {
            match &glued {
                Some(v) => Ok(v.clone()),
                None => value(name),
            }
        };
        match opt.as_str() {
            "-X" | "--request" => method = Some(val(&opt)?),
            "-H" | "--header" => {
                let h = val(&opt)?;
                if let Some(name) = h.strip_suffix(';') {
                    if !name.contains(':') {
                        headers.push((name.trim().to_string(), String::new()));
                        continue;
                    }
                }
                let (k, v) = h.split_once(':').ok_or_else(|| {
                    InputError::new(
                        "bad-curl",
                        format!("header `{}` has no `:`", crate::encode::truncate(&h, 40)),
                    )
                    .at(format!("word {n}"))
                })?;
                if v.trim().is_empty() && !h.ends_with(';') {
                    // `-H 'Name:'` removes a header curl would add.
                    headers.retain(|(x, _)| !x.eq_ignore_ascii_case(k.trim()));
                    continue;
                }
                headers.push((k.trim().to_string(), v.trim_start().to_string()));
            }
            "-A" | "--user-agent" => headers.push(("User-Agent".into(), val(&opt)?)),
            "-e" | "--referer" => headers.push(("Referer".into(), val(&opt)?)),
            "-b" | "--cookie" => headers.push(("Cookie".into(), val(&opt)?)),
            "-r" | "--range" => headers.push(("Range".into(), format!("bytes={}", val(&opt)?))),
            "-d" | "--data" | "--data-raw" | "--data-binary" | "--data-ascii"
            | "--data-urlencode" | "--json" => {
                let d = val(&opt)?;
                has_data = true;
                if !d.starts_with('@') {
                    body_len = Some(body_len.unwrap_or(0) + d.len() as u64);
                }
                if opt == "--json" {
                    headers.push(("Content-Type".into(), "application/json".into()));
                }
            }
            "-T" | "--upload-file" => {
                let _ = val(&opt)?;
                upload = true;
            }
            "-F" | "--form" => {
                let _ = val(&opt)?;
                form = true;
            }
            "-I" | "--head" => head = true,
            "-G" | "--get" => method = Some("GET".into()),
            "--url" => url = Some(val(&opt)?),
            o if IGNORED_FLAGS.contains(&o) => {}
            o if IGNORED_WITH_VALUE.contains(&o) => {
                let _ = val(o)?;
            }
            o if o.starts_with('-') && o.len() > 1 => {
                return Err(
                    InputError::new("bad-curl", format!("unsupported curl option `{o}`"))
                        .at(format!("word {n}")),
                );
            }
            _ => {
                if url.is_none() {
                    url = Some(w);
                }
            }
        }
    }
    let mut url = url.ok_or_else(|| InputError::new("bad-curl", "the curl command has no URL"))?;
    if !url.contains("://") {
        url = format!("http://{url}");
    }
    let method = method.unwrap_or_else(|| {
        if head {
            "HEAD".into()
        } else if upload {
            "PUT".into()
        } else if has_data || form {
            "POST".into()
        } else {
            "GET".into()
        }
    });
    // curl adds this Content-Type for -d unless one is given: a classic signature breaker.
    if has_data
        && !headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
    {
        headers.push((
            "Content-Type".into(),
            "application/x-www-form-urlencoded".into(),
        ));
    }
    let mut r = Request::from_url(&method, &url, headers)?;
    r.body_len = body_len;
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typical() {
        let r = parse("curl -X PUT -H 'Content-Type: text/plain' -H \"Authorization: OSS ak:sig\" \\\n  'https://b.oss-cn-hangzhou.aliyuncs.com/a%20b.txt?acl' -v").unwrap();
        assert_eq!(r.method, "PUT");
        assert_eq!(r.header("content-type"), Some("text/plain"));
        assert_eq!(r.target, "/a%20b.txt?acl");
    }

    #[test]
    fn glued_and_data() {
        let r = parse("curl -XPOST -H'x-oss-meta-a: 1' --data-raw 'abc' http://b.oss-cn-hangzhou.aliyuncs.com/k").unwrap();
        assert_eq!(r.method, "POST");
        assert_eq!(r.header("x-oss-meta-a"), Some("1"));
        assert_eq!(
            r.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(r.body_len, Some(3));
        let r = parse("curl -I https://h.example/k").unwrap();
        assert_eq!(r.method, "HEAD");
        let r = parse("curl -T f.txt --url=https://h.example/k").unwrap();
        assert_eq!(r.method, "PUT");
    }

    #[test]
    fn bad() {
        assert_eq!(parse("curl -X").unwrap_err().code(), "bad-curl");
        assert_eq!(parse("curl 'unterminated").unwrap_err().code(), "bad-curl");
        assert_eq!(
            parse("curl --frobnicate x http://h/").unwrap_err().code(),
            "bad-curl"
        );
        assert_eq!(parse("curl -v").unwrap_err().code(), "bad-curl");
        // Found by the property test: a multi-byte character right after `-`.
        assert_eq!(parse("curl '-¡'").unwrap_err().code(), "bad-curl");
        assert_eq!(
            parse("curl -H 'NoColon' http://h/").unwrap_err().code(),
            "bad-curl"
        );
    }
}
