//! `sigdiff sign --protocol`: sigdiff as a signer over the fuzz protocol
//! (DESIGN "Fuzz protocol"), so the harness can be run against the reference.

use super::protocol::{message_type, write_error, write_signed, PROTOCOL};
use crate::input::spec::RequestSpec;
use crate::scheme::SchemeId;
use crate::sign::{sign_spec, SignOptions};
use std::io::{BufRead, BufReader, Read, Write};

/// The schemes this build signs: what `sign --protocol` announces.
pub fn supported_schemes() -> Vec<SchemeId> {
    SchemeId::ALL
        .into_iter()
        .filter(|s| s.is_supported())
        .collect()
}

/// The `hello` answer line announcing every supported scheme.
pub fn hello_line() -> String {
    let names: Vec<&str> = supported_schemes().iter().map(|s| s.as_str()).collect();
    serde_json::json!({"type": "hello", "protocol": PROTOCOL, "schemes": names}).to_string()
}

/// Serve the protocol: read request lines from `input`, write one answer line per
/// request to `output`, until end of input. Output is flushed whenever no more
/// input is buffered, so a pipelining harness is never starved. Only I/O errors
/// end the loop; a bad line gets an `error` answer and the loop goes on.
pub fn serve<R: Read, W: Write>(input: R, output: W, opts: &SignOptions) -> std::io::Result<()> {
    let mut input = BufReader::with_capacity(1 << 16, input);
    let mut out = std::io::BufWriter::with_capacity(1 << 16, output);
    let mut line = Vec::with_capacity(1024);
    let mut buf = Vec::with_capacity(2048);
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        buf.clear();
        answer(&line, &mut buf, opts);
        if !buf.is_empty() {
            buf.push(b'\n');
            out.write_all(&buf)?;
        }
        if input.buffer().is_empty() || out.buffer().len() > (1 << 15) {
            out.flush()?;
        }
    }
    out.flush()
}

/// The answer to one request line (nothing for a blank line).
fn answer(line: &[u8], buf: &mut Vec<u8>, opts: &SignOptions) {
    let Ok(text) = std::str::from_utf8(line) else {
        write_error(buf, None, "the line is not UTF-8");
        return;
    };
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    // The harness writes `type` first: such a line is a `sign` request without
    // reading it twice (once for the type, once for the spec).
    let kind = if text.starts_with("{\"type\":\"sign\",") {
        Some("sign".into())
    } else {
        message_type(text)
    };
    match kind.as_deref() {
        Some("hello") => buf.extend_from_slice(hello_line().as_bytes()),
        Some("sign") => match RequestSpec::from_json(text) {
            Ok(spec) => {
                // A panic in signing must not take the signer down: answer `error`.
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    sign_spec(&spec, opts)
                }));
                match r {
                    Ok(Ok(res)) => write_signed(buf, &res),
                    Ok(Err(e)) => write_error(buf, spec.id.as_ref(), &e.to_string()),
                    Err(_) => write_error(buf, spec.id.as_ref(), "internal error while signing"),
                }
            }
            Err(e) => {
                let id = serde_json::from_str::<serde_json::Value>(text)
                    .ok()
                    .and_then(|v| v.get("id").cloned());
                write_error(buf, id.as_ref(), &e.to_string())
            }
        },
        Some(other) => write_error(
            buf,
            None,
            &format!(
                "unknown message type `{}`; expected hello or sign",
                crate::encode::truncate(other, 20)
            ),
        ),
        None => write_error(buf, None, "not a JSON object with a string `type`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuzz::protocol::{Hello, Reply};

    #[test]
    fn serves_hello_sign_and_errors() {
        let input = concat!(
            "{\"type\":\"hello\",\"protocol\":1}\n",
            "\n",
            "{\"type\":\"sign\",\"id\":1,\"scheme\":\"oss-v1\",\"method\":\"PUT\",\"bucket\":\"examplebucket\",\"key\":\"nelson\",",
            "\"endpoint\":\"oss-cn-hangzhou.aliyuncs.com\",\"headers\":[[\"Content-MD5\",\"eB5eJF1ptWaXm4bijSPyxw==\"],",
            "[\"Content-Type\",\"text/html\"],[\"x-oss-meta-author\",\"alice\"],[\"x-oss-meta-magic\",\"abracadabra\"],",
            "[\"x-oss-date\",\"Wed, 28 Dec 2022 10:27:41 GMT\"]],\"credentials\":{\"access_key_id\":\"ak\",\"access_key_secret\":\"sk\"}}\n",
            "{\"type\":\"sign\",\"id\":2,\"scheme\":\"oss-v9\"}\n",
            "{\"type\":\"what\"}\n",
            "not json\n",
        );
        let mut out = Vec::new();
        serve(input.as_bytes(), &mut out, &SignOptions::default()).unwrap();
        let lines: Vec<&str> = std::str::from_utf8(&out).unwrap().lines().collect();
        assert_eq!(lines.len(), 5, "{lines:?}");
        let h: Hello = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(h.protocol, 1);
        assert!(h.schemes.contains(&"oss-v1".to_string()));
        let r: Reply = serde_json::from_str(lines[1]).unwrap();
        assert_eq!(r.kind, "signed");
        assert_eq!(r.id, Some(serde_json::json!(1)));
        // oss-signing.md §9.1 T2.
        assert_eq!(
            r.authorization.as_deref(),
            Some("OSS ak:kSHKmLxlyEAKtZPkJhG9bZb5k7M=")
        );
        let e: Reply = serde_json::from_str(lines[2]).unwrap();
        assert!(e.is_error());
        assert_eq!(e.id, Some(serde_json::json!(2)));
        assert!(e.message.unwrap().contains("oss-v9"));
        for l in &lines[3..] {
            assert!(serde_json::from_str::<Reply>(l).unwrap().is_error());
        }
    }

    #[test]
    fn type_anywhere_in_the_line() {
        // `type` first (the harness's lines: read once) or later: the same answer.
        let spec = r#""scheme":"cos","method":"GET","bucket":"b-1250000000","key":"k","endpoint":"cos.ap-beijing.myqcloud.com","time":1700000000,"credentials":{"access_key_id":"a","access_key_secret":"s"}"#;
        let input = format!(
            "{{\"type\":\"sign\",\"id\":1,{spec}}}\n{{\"id\":1,{spec},\"type\":\"sign\"}}\n{{\"id\":1,{spec},\"type\":\"signd\"}}\n"
        );
        let mut out = Vec::new();
        serve(input.as_bytes(), &mut out, &SignOptions::default()).unwrap();
        let lines: Vec<&str> = std::str::from_utf8(&out).unwrap().lines().collect();
        assert_eq!(lines.len(), 3, "{lines:?}");
        let (a, b): (Reply, Reply) = (
            serde_json::from_str(lines[0]).unwrap(),
            serde_json::from_str(lines[1]).unwrap(),
        );
        assert_eq!(a.kind, "signed");
        assert_eq!(a, b);
        let c: Reply = serde_json::from_str(lines[2]).unwrap();
        assert!(c.message.unwrap().contains("unknown message type"));
    }
}
