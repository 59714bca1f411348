//! Shared test helpers: running the official-SDK oracle drivers (oracles/README.md).
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The installed `.oracles` directory, from `SIGDIFF_ORACLES` (set by scripts/test.sh).
pub fn oracles_dir() -> Option<PathBuf> {
    let d = PathBuf::from(std::env::var_os("SIGDIFF_ORACLES")?);
    d.join("venv/bin/python").exists().then_some(d)
}

/// Run one driver over JSON lines; returns one JSON value per input line.
pub fn run_driver(driver: &str, lines: &[String]) -> Vec<serde_json::Value> {
    let dir = oracles_dir().expect("oracles installed");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let script = root.join("oracles").join(driver);
    let mut cmd = if driver.ends_with(".py") {
        let mut c = Command::new(dir.join("venv/bin/python"));
        c.arg(&script);
        c
    } else {
        let mut c = Command::new("node");
        c.arg(&script)
            .env("SIGDIFF_ORACLE_NODE_DIR", dir.join("node/node_modules"));
        c
    };
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start oracle driver");
    {
        let mut stdin = child.stdin.take().unwrap();
        for l in lines {
            writeln!(stdin, "{l}").unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{driver} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        v.len(),
        lines.len(),
        "{driver}: one output line per input line"
    );
    v
}

/// Skip note when oracles are not installed.
pub fn skip_note(test: &str) {
    eprintln!("{test}: SIGDIFF_ORACLES is not set (run scripts/setup-oracles.sh and export SIGDIFF_ORACLES=$PWD/.oracles): skipped");
}

/// `req` signed in the OSS V1 header form with AccessKeyId `ak` and secret `sk`
/// at 2022-12-28T10:27:41Z (when its address resolves and signing succeeds), for
/// the lean-vs-general property tests that want both signed and unsigned inputs.
pub fn v1_signed(
    req: &sigdiff::Request,
    bucket: Option<&str>,
    opts: &sigdiff::oss::v1::V1Options,
) -> Option<sigdiff::Request> {
    use sigdiff::address::{resolve, Provider};
    use sigdiff::oss::v1::{self, Form};
    use sigdiff::secret::Credentials;
    let addr = resolve(req, Provider::Oss, bucket).ok()?;
    let creds = Credentials {
        access_key_id: "ak".into(),
        secret: sigdiff::Secret::new("sk"),
        security_token: None,
    };
    v1::sign(
        req.clone(),
        &addr,
        Form::Header,
        &creds,
        1_672_223_261,
        60,
        opts,
    )
    .ok()
    .map(|s| s.request)
}

/// A raw query from drawn pairs: `k=v`, or the bare name for `None`, joined by `&`.
pub fn query_text(q: &[(&str, Option<&str>)]) -> String {
    q.iter()
        .map(|(k, v)| match v {
            Some(v) => format!("{k}={v}"),
            None => k.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A scheme's one-pass verdict (`fast`, from `name`, when it answered) and
/// `verify::check` against the general path (`prepare`, its signature with each
/// secret, `verify`'s verdict): the same verdict, key id, signatures and secret;
/// on refusal the same error code (and text, with `error_text`), and no one-pass
/// answer. Whether the one-pass path answered.
pub fn agree_with_general(
    req: &sigdiff::Request,
    o: &sigdiff::verify::VerifyOptions,
    fast: Option<sigdiff::verify::Check<'_>>,
    name: &str,
    error_text: bool,
) -> Result<bool, proptest::test_runner::TestCaseError> {
    use proptest::{prop_assert, prop_assert_eq};
    use sigdiff::secret::ct_eq;
    use sigdiff::verify::{check, prepare, verify};
    let lean = check(req, o);
    let general = prepare(req, o);
    match (&lean, &general) {
        (Ok(c), Ok(p)) => {
            let sigs: Vec<String> = o.secrets.iter().map(|s| p.signature(s)).collect();
            let hit = sigs.iter().position(|s| ct_eq(s, &p.provided_signature));
            prop_assert_eq!(c.secret_index, hit);
            prop_assert_eq!(
                c.computed_signature.as_deref(),
                Some(hit.map_or(sigs[0].as_str(), |i| sigs[i].as_str()))
            );
            prop_assert_eq!(&c.access_key_id, &p.access_key_id);
            prop_assert_eq!(&c.provided_signature, &p.provided_signature);
            prop_assert_eq!(c.scheme, p.scheme);
            prop_assert_eq!(c.verdict, verify(req, o).unwrap().verdict);
            if let Some(f) = &fast {
                prop_assert_eq!(f, c);
            }
        }
        (Err(a), Err(b)) => {
            prop_assert_eq!(a.code(), b.code());
            if error_text {
                prop_assert_eq!(a.to_string(), b.to_string());
            }
            prop_assert!(
                fast.is_none(),
                "{} answered what the general path refuses",
                name
            );
        }
        (a, b) => prop_assert!(
            false,
            "check {:?} vs prepare {:?}",
            a.as_ref().map(|c| c.verdict),
            b.as_ref().map(|p| p.scheme)
        ),
    }
    Ok(fast.is_some())
}
