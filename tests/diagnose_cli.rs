//! `sigdiff verify --json` with the diagnosis: the JSON shape of a winning
//! hypothesis (`findings[].reproduces`, `hypotheses`, `field`, `client_source`),
//! `--no-diagnose`, and no secret in the output.

use assert_cmd::Command;
use sigdiff::input::spec::RequestSpec;
use sigdiff::sign::{sign_spec, SignOptions};

const SECRET: &str = "cli-diag-secret-42";

fn bin() -> Command {
    let mut c = Command::cargo_bin("sigdiff").unwrap();
    c.env_remove("OSS_ACCESS_KEY_SECRET")
        .env_remove("ALIBABA_CLOUD_ACCESS_KEY_SECRET")
        .env_remove("OSS_ACCESS_KEY_ID")
        .env_remove("ALIBABA_CLOUD_ACCESS_KEY_ID")
        .env("LANG", "C")
        .env("NO_COLOR", "1")
        .env("DIAG_SECRET", SECRET);
    c
}

/// A V1 PUT signed with `text/plain`, sent with the charset an HTTP library adds.
fn charset_request() -> (String, Vec<String>) {
    let spec = RequestSpec::from_json(&format!(
        r#"{{"scheme":"oss-v1","method":"PUT","bucket":"b","key":"notes.txt","endpoint":"oss-cn-hangzhou.aliyuncs.com",
        "headers":[["Content-Type","text/plain"],["x-oss-meta-a","1"]],"time":1701605532,
        "credentials":{{"access_key_id":"ak","access_key_secret":"{SECRET}"}}}}"#
    ))
    .unwrap();
    let r = sign_spec(&spec, &SignOptions::default()).unwrap();
    let headers = r
        .headers
        .iter()
        .map(|(k, v)| {
            if k.eq_ignore_ascii_case("content-type") {
                format!("{k}: text/plain; charset=utf-8")
            } else {
                format!("{k}: {v}")
            }
        })
        .collect();
    (r.url, headers)
}

fn verify_json(extra: &[&str]) -> (i32, serde_json::Value, String) {
    let (url, headers) = charset_request();
    let mut c = bin();
    c.args([
        "verify",
        "--json",
        "--now",
        "1701605532",
        "--secret-env",
        "DIAG_SECRET",
        "-X",
        "PUT",
        &url,
    ]);
    for h in &headers {
        c.args(["-H", h]);
    }
    c.args(extra);
    let o = c.output().unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    let v: serde_json::Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("{e}: {stdout} {}", String::from_utf8_lossy(&o.stderr)));
    (o.status.code().unwrap_or(-1), v, stdout)
}

#[test]
fn json_carries_the_winning_hypothesis() {
    let (code, v, out) = verify_json(&[]);
    assert_eq!(code, 1);
    assert_eq!(v["verdict"], "mismatch");
    let f = &v["findings"][0];
    assert_eq!(f["reproduces"], true);
    assert_eq!(
        f["hypotheses"],
        serde_json::json!(["content-type.charset-added"])
    );
    assert_eq!(f["field"], "content-type");
    assert_eq!(f["code"], "SIG410");
    assert!(f["message"].as_str().unwrap().contains("Fix:"));
    assert_eq!(v["client_source"], "diagnosis");
    assert_eq!(
        v["diagnosis"]["winners"],
        serde_json::json!([["content-type.charset-added"]])
    );
    assert!(v["diagnosis"]["hypotheses"].as_u64().unwrap() > 100);
    // Every finding has the fields of the schema; only the winner reproduces.
    for f in v["findings"].as_array().unwrap() {
        assert!(f["code"].is_string() && f["severity"].is_string() && f["reproduces"].is_boolean());
    }
    assert_eq!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["reproduces"] == true)
            .count(),
        1
    );
    let row = v["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "content-type")
        .unwrap();
    assert_eq!(row["client"], "text/plain\n");
    assert!(!out.contains(SECRET));
}

#[test]
fn chinese_message_and_no_diagnose() {
    let (_, v, _) = verify_json(&["--lang", "zh"]);
    assert!(v["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("修复"));
    let (code, v, _) = verify_json(&["--no-diagnose"]);
    assert_eq!(code, 1);
    assert!(v.get("diagnosis").is_none());
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f.get("hypotheses").is_none() && f["reproduces"] == false));
    assert_ne!(v["client_source"], "diagnosis");
}

#[test]
fn human_output_names_the_mistake() {
    let (url, headers) = charset_request();
    let mut c = bin();
    c.args([
        "verify",
        "--now",
        "1701605532",
        "--secret-env",
        "DIAG_SECRET",
        "-X",
        "PUT",
        &url,
    ]);
    for h in &headers {
        c.args(["-H", h]);
    }
    let o = c.output().unwrap();
    let s = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1));
    assert!(s.contains("content-type.charset-added"), "{s}");
    assert!(s.contains("client: the diagnosis"), "{s}");
    assert!(s.contains("(reproduces the provided signature)"), "{s}");
    assert!(!s.contains(SECRET));
}
