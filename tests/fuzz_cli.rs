//! `sigdiff fuzz` end to end (issue 7): against the reference (`sign --protocol`),
//! the example signers in examples/signers/ (one correct, two with classic bugs,
//! each bug found and named), and signers that crash, hang or break the protocol.

use assert_cmd::Command;
use std::path::Path;

fn sigdiff() -> Command {
    Command::cargo_bin("sigdiff").unwrap()
}

fn python() -> Option<&'static str> {
    let ok = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("python3 not found: the Python example signers are not exercised");
    }
    ok.then_some("python3")
}

fn example(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/signers")
        .join(name);
    format!("python3 {}", shell_words::quote(&p.display().to_string()))
}

fn misbehaving(mode: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_signers/misbehave.py");
    format!(
        "python3 {} {mode}",
        shell_words::quote(&p.display().to_string())
    )
}

/// Run `fuzz --json`; returns the exit code and the parsed lines.
fn fuzz_json(args: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let out = sigdiff()
        .arg("fuzz")
        .arg("--json")
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    (out.status.code().unwrap(), lines)
}

fn reference() -> String {
    format!(
        "{} sign --protocol",
        shell_words::quote(
            &assert_cmd::cargo::cargo_bin("sigdiff")
                .display()
                .to_string()
        )
    )
}

#[test]
fn the_reference_agrees_with_itself_on_every_scheme() {
    let (code, lines) = fuzz_json(&["--signer", &reference(), "--cases", "4500", "--seed", "11"]);
    let summary = lines.last().unwrap();
    assert_eq!(code, 0, "{lines:?}");
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["cases"], 4500);
    assert_eq!(summary["mismatched_cases"], 0);
    let schemes: Vec<&str> = summary["schemes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(
        schemes,
        [
            "oss-v1",
            "oss-v1-url",
            "oss-v4",
            "oss-v4-url",
            "oss-post",
            "oss-post-v4",
            "cos",
            "cos-url",
            "cos-post"
        ]
    );
    for s in summary["per_scheme"].as_array().unwrap() {
        assert!(s["cases"].as_u64().unwrap() > 300, "{s}");
        assert_eq!(s["cases"], s["agreed"]);
    }
    assert!(summary["rechecked"].as_u64().unwrap() > 10);
}

#[test]
fn shards_split_the_cases() {
    let mut total = 0;
    for shard in ["0/3", "1/3", "2/3"] {
        let (code, lines) =
            fuzz_json(&["--signer", &reference(), "--cases", "100", "--shard", shard]);
        assert_eq!(code, 0);
        total += lines.last().unwrap()["cases"].as_u64().unwrap();
    }
    assert_eq!(total, 100);
}

#[test]
fn the_correct_python_signer_passes() {
    if python().is_none() {
        return;
    }
    let (code, lines) = fuzz_json(&[
        "--signer",
        &example("correct.py"),
        "--cases",
        "1500",
        "--seed",
        "5",
    ]);
    let summary = lines.last().unwrap();
    assert_eq!(code, 0, "{lines:?}");
    assert_eq!(summary["cases"], 1500);
    assert_eq!(
        summary["announced"],
        serde_json::json!(["oss-v1", "oss-v1-url", "cos"])
    );
}

fn kinds(lines: &[serde_json::Value]) -> Vec<(String, String)> {
    lines
        .iter()
        .filter(|l| l["type"] == "mismatch")
        .flat_map(|l| {
            l["findings"].as_array().unwrap().iter().map(|f| {
                (
                    f["code"].as_str().unwrap().to_string(),
                    f["message"].as_str().unwrap().to_string(),
                )
            })
        })
        .collect()
}

#[test]
fn unsorted_headers_are_found_shrunk_and_named() {
    if python().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("junit.xml");
    let out = dir.path().join("vectors");
    let (code, lines) = fuzz_json(&[
        "--signer",
        &example("unsorted_headers.py"),
        "--cases",
        "400",
        "--scheme",
        "oss-v1",
        "--junit",
        junit.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{lines:?}");
    let k = kinds(&lines);
    assert!(
        k.iter()
            .any(|(c, m)| c == "SIG610" && m.contains("does not sort the signed headers")),
        "{k:?}"
    );
    // Shrunk: the minimal request has exactly the two headers out of order.
    let m = lines.iter().find(|l| l["type"] == "mismatch").unwrap();
    let headers = m["request"]["headers"].as_array().unwrap();
    assert_eq!(headers.len(), 2, "{m}");
    assert!(m["fields"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["same"] == false));
    // The vector directory, ready for a regression suite.
    let vdir = Path::new(m["vector"].as_str().unwrap());
    for f in [
        "context.json",
        "request.http",
        "string-to-sign.txt",
        "signature.txt",
        "authorization.txt",
        "signer-answer.json",
    ] {
        assert!(vdir.join(f).is_file(), "{f} missing in {}", vdir.display());
    }
    let ctx: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(vdir.join("context.json")).unwrap()).unwrap();
    assert_eq!(ctx["provenance"]["source"], "sigdiff fuzz");
    // A suite `vectors check` reads: sigdiff's answer is the expected one.
    sigdiff()
        .args(["vectors", "check"])
        .arg(&out)
        .assert()
        .code(0);
    let sts = std::fs::read_to_string(vdir.join("string-to-sign.txt")).unwrap();
    let auth = std::fs::read_to_string(vdir.join("authorization.txt")).unwrap();
    assert!(auth.ends_with(&std::fs::read_to_string(vdir.join("signature.txt")).unwrap()));
    assert!(sts.contains("x-oss-"), "{sts}");
    // JUnit: one failing case for oss-v1.
    let x = std::fs::read_to_string(&junit).unwrap();
    assert!(x.starts_with("<?xml"), "{x}");
    assert!(x.contains("<failure type=\"SIG610\""), "{x}");
    assert!(x.contains("failures=\"1\""), "{x}");
}

#[test]
fn encoded_keys_and_empty_values_are_found_and_named() {
    if python().is_none() {
        return;
    }
    let (code, lines) = fuzz_json(&[
        "--signer",
        &example("encoded_resource.py"),
        "--cases",
        "600",
        "--scheme",
        "oss-v1,oss-v1-url",
        "--seed",
        "2",
    ]);
    assert_eq!(code, 1, "{lines:?}");
    let k = kinds(&lines);
    assert!(
        k.iter()
            .any(|(c, m)| c == "SIG612" && m.contains("percent-encodes the object key")),
        "{k:?}"
    );
    assert!(
        k.iter()
            .any(|(c, m)| c == "SIG615" && m.contains("=` for an empty value")),
        "{k:?}"
    );
    // The COS part of the same signer is correct.
    let (code, _) = fuzz_json(&[
        "--signer",
        &example("encoded_resource.py"),
        "--cases",
        "200",
        "--scheme",
        "cos",
    ]);
    assert_eq!(code, 0);
}

fn post_signer(mode: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_signers/post_signer.py");
    format!(
        "python3 {} {mode}",
        shell_words::quote(&p.display().to_string())
    )
}

#[test]
fn form_upload_policies_are_fuzzed_and_reserialising_is_found() {
    if python().is_none() {
        return;
    }
    // Compacting the policy object byte for byte: every case agrees.
    let (code, lines) = fuzz_json(&["--signer", &post_signer("compact"), "--cases", "800"]);
    assert_eq!(code, 0, "{lines:?}");
    let summary = lines.last().unwrap();
    assert_eq!(summary["schemes"], serde_json::json!(["oss-post"]));
    assert_eq!(summary["cases"], 800);
    // Parsing and writing it again drops its escapes: found, shrunk, shown.
    let dir = tempfile::tempdir().unwrap();
    let out = sigdiff()
        .args([
            "fuzz",
            "--json",
            "--cases",
            "800",
            "--signer",
            &post_signer("reserialize"),
            "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("\"type\":\"mismatch\""))
        .unwrap();
    let m: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(m["kind"], serde_json::json!(["SIG600", "SIG620"]), "{m}");
    assert_eq!(m["fields"][0]["name"], "policy-json");
    // The minimal request keeps its policy's exact text (the escape that matters)
    // and little else.
    let policy = &line[line.find("\"policy\":{").unwrap()..];
    assert!(policy.contains("\\/") || policy.contains("\\u"), "{line}");
    assert!(
        m["request"]["policy"]["conditions"]
            .as_array()
            .unwrap()
            .len()
            <= 2,
        "{m}"
    );
    assert!(
        m["request"]["form"].as_array().is_none_or(|f| f.len() <= 1),
        "{m}"
    );
    // Its vector checks.
    sigdiff()
        .args(["vectors", "check"])
        .arg(dir.path())
        .assert()
        .code(0);
}

#[test]
fn the_human_summary_names_the_bug() {
    if python().is_none() {
        return;
    }
    let out = sigdiff()
        .args([
            "fuzz",
            "--signer",
            &example("unsorted_headers.py"),
            "--cases",
            "200",
            "--scheme",
            "oss-v1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("MISMATCH oss-v1 [SIG600, SIG610]"), "{text}");
    assert!(text.contains("does not sort the signed headers"), "{text}");
    assert!(text.contains("minimal request:"), "{text}");
    // No progress bar when stderr is not a terminal.
    assert!(!String::from_utf8(out.stderr).unwrap().contains("cases,"));
}

fn failure(mode: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec![
        "--signer".to_string(),
        misbehaving(mode),
        "--cases".into(),
        "50".into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, lines) = fuzz_json(&args);
    let f = lines
        .iter()
        .find(|l| l["type"] == "failure")
        .cloned()
        .unwrap_or_default();
    (code, f)
}

#[test]
fn crashes_hangs_and_protocol_errors_exit_3() {
    if python().is_none() {
        return;
    }
    let (code, f) = failure("crash", &[]);
    assert_eq!(code, 3);
    assert_eq!(f["kind"], "crash");
    assert_eq!(f["code"], "SIG603");
    assert!(
        f["stderr_tail"]
            .as_str()
            .unwrap()
            .contains("KeyError: 'boom'"),
        "{f}"
    );
    assert!(f["message"].as_str().unwrap().contains("exited"), "{f}");

    let t0 = std::time::Instant::now();
    let (code, f) = failure("hang", &["--timeout", "0.5"]);
    assert_eq!(code, 3);
    assert_eq!(f["kind"], "hang");
    assert!(t0.elapsed() < std::time::Duration::from_secs(20));

    let (code, f) = failure("garbage", &[]);
    assert_eq!((code, f["kind"].as_str()), (3, Some("protocol")));
    assert!(
        f["message"].as_str().unwrap().contains("this is not json"),
        "{f}"
    );

    let (code, f) = failure("wrongid", &[]);
    assert_eq!((code, f["kind"].as_str()), (3, Some("protocol")));
    assert!(f["message"].as_str().unwrap().contains("in order"), "{f}");

    let (code, f) = failure("nohello", &[]);
    assert_eq!((code, f["kind"].as_str()), (3, Some("handshake")));
}

#[test]
fn two_answers_to_one_request_is_a_finding() {
    if python().is_none() {
        return;
    }
    let (code, lines) = fuzz_json(&["--signer", &misbehaving("flaky"), "--cases", "300"]);
    assert_eq!(code, 1);
    let n = lines
        .iter()
        .filter(|l| l["type"] == "nondeterminism")
        .count();
    assert!(n > 0, "{lines:?}");
    let summary = lines.last().unwrap();
    assert!(summary["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "SIG601"));
}

#[test]
fn refusals_are_counted_not_failures() {
    if python().is_none() {
        return;
    }
    let (code, lines) = fuzz_json(&["--signer", &misbehaving("refuse"), "--cases", "20"]);
    assert_eq!(code, 0, "{lines:?}");
    let summary = lines.last().unwrap();
    assert_eq!(summary["per_scheme"][0]["refused"], 20);
    assert!(summary["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "SIG602"));
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["--signer", ""],
        vec!["--signer", "/nonexistent/signer-binary"],
        vec!["--signer", "x", "--shard", "3/3"],
        vec!["--signer", "x", "--scheme", "oss-v9"],
        vec!["--signer", "x", "--timeout", "-1"],
        vec!["--signer", "'unterminated"],
    ] {
        let out = sigdiff().arg("fuzz").args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("error"), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // A scheme the signer does not announce.
    if python().is_some() {
        let out = sigdiff()
            .args([
                "fuzz",
                "--signer",
                &example("correct.py"),
                "--scheme",
                "oss-v4",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8(out.stderr)
            .unwrap()
            .contains("announces only oss-v1, oss-v1-url, cos"));
    }
}

#[test]
fn sign_protocol_serves_the_reference() {
    let out = sigdiff()
        .args(["sign", "--protocol"])
        .write_stdin("{\"type\":\"hello\",\"protocol\":1}\n{\"type\":\"sign\",\"id\":4,\"scheme\":\"cos\",\"method\":\"GET\",\"bucket\":\"b-1250000000\",\"key\":\"k\",\"endpoint\":\"cos.ap-beijing.myqcloud.com\",\"credentials\":{\"access_key_id\":\"id\",\"access_key_secret\":\"sk\"},\"time\":1700000000}\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["type"], "hello");
    assert_eq!(lines[1]["type"], "signed");
    assert_eq!(lines[1]["id"], 4);
    assert!(lines[1]["authorization"]
        .as_str()
        .unwrap()
        .starts_with("q-sign-algorithm=sha1&q-ak=id&"));
    assert!(lines[1]["format_string"]
        .as_str()
        .unwrap()
        .starts_with("get\n/k\n"));
    // The secret is never echoed.
    assert!(!text.contains("\"sk\""));
}
