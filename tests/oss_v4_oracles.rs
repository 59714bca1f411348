//! Cross-check against the official SDKs (oracles/README.md): ~20 varied oss-v4 /
//! oss-v4-url specs go through `oss2`, `alibabacloud-oss-v2` and `ali-oss`; where a
//! driver signs a spec, sigdiff's signature must equal the SDK's. Known, documented
//! SDK deviations are asserted as disagreements (and, where sigdiff has an option
//! for the SDK's behaviour, the option must reproduce the SDK's signature).
//!
//! Needs `SIGDIFF_ORACLES` = the `.oracles` directory of `scripts/setup-oracles.sh`;
//! skipped with a note otherwise.

use serde_json::{json, Value};
use sigdiff::input::spec::RequestSpec;
use sigdiff::oss::v4::V4Options;
use sigdiff::sign::{sign_spec, SignOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const AK: &str = "LTAI5tExampleAK";
const SK: &str = "ExampleSecret/+=key0123456789abcdefghij";

fn base(id: &str, scheme: &str, time: i64) -> Value {
    json!({
        "id": id, "scheme": scheme, "method": "GET", "bucket": "examplebucket", "key": "dir/file.txt",
        "endpoint": "oss-cn-hangzhou.aliyuncs.com", "region": "cn-hangzhou", "time": time, "expires": 900,
        "headers": [], "query": [],
        "credentials": {"access_key_id": AK, "access_key_secret": SK, "security_token": null}
    })
}

fn set(mut v: Value, kv: Value) -> Value {
    for (k, x) in kv.as_object().unwrap() {
        v[k] = x.clone();
    }
    v
}

fn u(id: &str, url: bool, time: i64) -> Value {
    json!({
        "id": id, "scheme": if url { "oss-v4-url" } else { "oss-v4" },
        "method": "PUT", "bucket": "bucket", "key": "1234+-/123/1.txt",
        "endpoint": "oss-cn-hangzhou.aliyuncs.com", "region": "cn-hangzhou", "product": "oss",
        "headers": if url {
            json!([["x-oss-head1","value"],["abc","value"],["ZAbc","value"],["XYZ","value"],["content-type","application/octet-stream"]])
        } else {
            json!([["x-oss-head1","value"],["abc","value"],["ZAbc","value"],["XYZ","value"],["content-type","text/plain"],["x-oss-content-sha256","UNSIGNED-PAYLOAD"]])
        },
        "query": [["param1","value1"],["+param1","value3"],["|param1","value4"],["+param2",null],["|param2",null],["param2",null]],
        "credentials": {"access_key_id": "ak", "access_key_secret": "sk", "security_token": null},
        "time": time, "expires": 599
    })
}

fn specs() -> Vec<Value> {
    let t = 1701605532; // 2023-12-03T12:12:12Z
    vec![
        u("U1", false, 1702743657),
        set(
            u("U2", false, 1702743657),
            json!({"region": "cb-123", "product": "oss-cloudbox"}),
        ),
        set(
            u("U3", false, 1702784856),
            json!({"credentials": {"access_key_id": "ak", "access_key_secret": "sk", "security_token": "token"}}),
        ),
        set(
            u("U4", false, 1702747512),
            json!({"additional_headers": ["ZAbc", "abc"]}),
        ),
        u("U5", true, 1702781677),
        set(
            u("U7", true, 1702783809),
            json!({"additional_headers": ["x-oss-no-exist", "abc", "x-oss-head1", "ZAbc"]}),
        ),
        set(
            u("U8", true, 1702781677),
            json!({"region": "cb-123", "product": "oss-cloudbox", "additional_headers": ["abc", "zabc"]}),
        ),
        set(
            base("unicode-key-sts-header", "oss-v4", t),
            json!({"key": "a/中文 b+c~d.txt",
            "credentials": {"access_key_id": AK, "access_key_secret": SK, "security_token": "CAIS+token/with=chars"},
            "query": [["versionId", "CAEQNhiBgM0BYiIDc4MGZj"], ["response-content-disposition", "attachment; filename=\"a b.txt\""]]}),
        ),
        set(
            base("bucket-listing-empty-value", "oss-v4", t),
            json!({"key": "",
            "query": [["list-type","2"],["prefix","a/b/"],["delimiter","/"],["max-keys","100"],["continuation-token",""]]}),
        ),
        set(
            base("service", "oss-v4", t),
            json!({"key": "", "bucket": null}),
        ),
        set(
            base("url-put-host-header", "oss-v4-url", t),
            json!({"method": "PUT", "expires": 3600,
            "headers": [["Content-Type","text/plain"],["Host","examplebucket.oss-cn-hangzhou.aliyuncs.com"]],
            "additional_headers": ["host"]}),
        ),
        set(
            base("header-reserved-chars", "oss-v4", t),
            json!({"method": "PUT", "key": "x/!'()*~ @$&=;,.txt",
            "headers": [["Content-Type","image/png"],["Content-MD5","eB5eJF1ptWaXm4bijSPyxw=="],["x-oss-meta-author","a  b"],["X-OSS-Meta-Tag","Mixed Case"]],
            "query": [["x-oss-process","image/resize,w_100"],["tag","a+b c/d?e&f=g"]]}),
        ),
        set(
            base("url-sts-unicode", "oss-v4-url", t),
            json!({"key": "目录/файл.bin", "expires": 86400,
            "credentials": {"access_key_id": AK, "access_key_secret": SK, "security_token": "CAIS/+tok=="},
            "query": [["versionId", "v1"]]}),
        ),
        set(
            base("header-mixed-case-names", "oss-v4", t),
            json!({"query": [["B","1"],["a","2"]]}),
        ),
        set(
            base("header-dot-slash-names", "oss-v4", t),
            json!({"query": [["a.","1"],["a/","2"]]}),
        ),
        set(
            base("bucket-subresources", "oss-v4", t),
            json!({"key": "", "method": "PUT", "query": [["acl",null],["uploads",null]]}),
        ),
        set(
            base("path-style-url", "oss-v4", t),
            json!({"url": "https://oss-cn-hangzhou.aliyuncs.com/examplebucket/p/q.txt",
            "bucket": null, "key": null, "endpoint": null}),
        ),
        set(
            base("header-additional-range", "oss-v4", t),
            json!({"headers": [["Range","bytes=0-9"],["x-oss-meta-x","1"]],
            "additional_headers": ["Range"]}),
        ),
        set(
            base("url-meta-content-type", "oss-v4-url", t),
            json!({"method": "PUT",
            "headers": [["Content-Type","application/json"],["x-oss-meta-owner","me"]],
            "query": [["x-oss-traffic-limit","819200"]]}),
        ),
        set(
            base("header-null-and-empty", "oss-v4", t),
            json!({"query": [["a",null],["b",""],["c","3"]]}),
        ),
        set(
            base("header-given-x-oss-date", "oss-v4", t),
            json!({"headers": [["x-oss-date","20231203T121000Z"]]}),
        ),
        set(
            base("url-cloudbox-sts", "oss-v4-url", t),
            json!({"region": "cb-0001", "product": "oss-cloudbox",
            "credentials": {"access_key_id": AK, "access_key_secret": SK, "security_token": "tok"}}),
        ),
        set(
            base("header-edge-whitespace", "oss-v4", t),
            json!({"headers": [["x-oss-meta-pad"," v "]]}),
        ),
        set(
            base("header-region-derived", "oss-v4", t),
            json!({"region": null, "endpoint": "oss-ap-southeast-1.aliyuncs.com"}),
        ),
        set(
            base("delete-dir-key", "oss-v4", t),
            json!({"method": "DELETE", "key": "dir/sub/"}),
        ),
        set(
            base("query-value-specials", "oss-v4-url", t),
            json!({"query": [["response-content-type","text/plain; charset=utf-8"],["k","x=y&z"]]}),
        ),
    ]
}

/// A documented deviation: (driver, spec id, why, sigdiff options reproducing the SDK).
type Deviation = (&'static str, &'static str, &'static str, Option<Value>);

/// ali-oss's V4 query handling: `localeCompare` sort of the decoded names, `''` as `name=`.
fn js() -> Option<Value> {
    Some(json!({"query": "locale-compare", "empty_values": "keep-equals"}))
}

fn deviations() -> Vec<Deviation> {
    let raw = || Some(json!({"header_values": "raw"}));
    vec![
        // oss-signing.md §4.3 / §10 item 11: PY1 and PY2 do not trim header values.
        (
            "oss2",
            "header-edge-whitespace",
            "oss2 signs header values untrimmed",
            raw(),
        ),
        (
            "oss-v2",
            "header-edge-whitespace",
            "alibabacloud-oss-v2 signs header values untrimmed",
            raw(),
        ),
        // §4.3, §10 item 6 (oracles/README.md "oss/E2 × ali-oss"): `''` is written `name=`.
        (
            "ali-oss",
            "bucket-listing-empty-value",
            "ali-oss signs an empty value as `name=`",
            js(),
        ),
        (
            "ali-oss",
            "header-null-and-empty",
            "ali-oss signs an empty value as `name=` (null stays bare)",
            js(),
        ),
        // §10 item 20: localeCompare on the decoded names, not bytewise on the encoded ones.
        (
            "ali-oss",
            "header-mixed-case-names",
            "ali-oss sorts `a` before `B` (localeCompare)",
            js(),
        ),
        (
            "ali-oss",
            "header-dot-slash-names",
            "ali-oss sorts `a.` before `a/` before encoding",
            js(),
        ),
    ]
}

/// Options under which sigdiff must reproduce *every* signature the driver gives.
fn sdk_options(driver: &str) -> Option<Value> {
    match driver {
        "oss2" => Some(json!({"header_values": "raw"})),
        "oss-v2" => Some(json!({"header_values": "raw", "query": "raw-wire"})),
        "ali-oss" => js(),
        _ => None,
    }
}

fn oracle_dir() -> Option<PathBuf> {
    let d = std::env::var_os("SIGDIFF_ORACLES")?;
    let p = PathBuf::from(d);
    p.is_dir().then_some(p)
}

fn run_driver(cmd: &Path, args: &[PathBuf], env: &[(&str, PathBuf)], input: &str) -> Vec<Value> {
    let mut c = Command::new(cmd);
    c.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        c.env(k, v);
    }
    let mut child = c.spawn().expect("start oracle driver");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "driver {cmd:?} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("driver output is JSON"))
        .collect()
}

fn ours(spec: &Value, opts: Option<&Value>) -> String {
    let mut s = spec.clone();
    if let Some(o) = opts {
        s["options"] = o.clone();
    }
    let spec = RequestSpec::from_json(&s.to_string()).unwrap();
    let so = SignOptions {
        oss_v4: V4Options::default(),
        ..Default::default()
    };
    sign_spec(&spec, &so)
        .unwrap_or_else(|e| panic!("{}: {e}", spec.id.clone().unwrap_or_default()))
        .signature
}

#[test]
fn official_sdks_agree() {
    let Some(dir) = oracle_dir() else {
        eprintln!("note: SIGDIFF_ORACLES is not set (or not a directory): the official-SDK cross-check is skipped; run scripts/setup-oracles.sh and set SIGDIFF_ORACLES=$PWD/.oracles");
        return;
    };
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("oracles");
    let python = dir.join("venv/bin/python");
    let node_dir = dir.join("node/node_modules");
    let specs = specs();
    let input: String = specs.iter().map(|s| s.to_string() + "\n").collect();
    let drivers: [(&str, PathBuf, Vec<PathBuf>); 3] = [
        ("oss2", python.clone(), vec![repo.join("oss2_oracle.py")]),
        ("oss-v2", python, vec![repo.join("oss_v2_oracle.py")]),
        (
            "ali-oss",
            PathBuf::from("node"),
            vec![repo.join("ali_oss_oracle.js")],
        ),
    ];
    let devs = deviations();
    let mut problems = Vec::new();
    let mut table = Vec::new();
    for (name, cmd, args) in &drivers {
        let outs = run_driver(
            cmd,
            args,
            &[("SIGDIFF_ORACLE_NODE_DIR", node_dir.clone())],
            &input,
        );
        assert_eq!(outs.len(), specs.len(), "{name}: one line per spec");
        let (mut agree, mut unsupported, mut disagree) = (0, 0, 0);
        for (spec, o) in specs.iter().zip(&outs) {
            let id = spec["id"].as_str().unwrap();
            assert_eq!(o["id"].as_str(), Some(id), "{name}: output order");
            if let Some(why) = o.get("unsupported") {
                unsupported += 1;
                eprintln!("{name} {id}: unsupported ({why})");
                continue;
            }
            if let Some(err) = o.get("error") {
                problems.push(format!("{name} {id}: the SDK threw: {err}"));
                continue;
            }
            let theirs = o["signature"].as_str().unwrap_or("").to_string();
            let mine = ours(spec, None);
            if let Some(so) = sdk_options(name) {
                let with = ours(spec, Some(&so));
                if with != theirs {
                    problems.push(format!("{name} {id}: sigdiff with the SDK's options {so} gives {with}, the SDK {theirs}"));
                }
            }
            let dev = devs.iter().find(|(d, i, _, _)| d == name && *i == id);
            match dev {
                None if mine == theirs => agree += 1,
                None => problems.push(format!(
                    "{name} {id}: sigdiff {mine} vs SDK {theirs}\n  SDK canonical request: {:?}\n  ours: see `sigdiff sign`",
                    o["canonical_request"]
                )),
                Some((_, _, why, opts)) => {
                    disagree += 1;
                    if mine == theirs {
                        problems.push(format!("{name} {id}: documented deviation ({why}) no longer observed"));
                    }
                    if let Some(opts) = opts {
                        let with = ours(spec, Some(opts));
                        if with != theirs {
                            problems.push(format!("{name} {id}: options {opts} do not reproduce the SDK ({with} vs {theirs})"));
                        }
                    }
                }
            }
        }
        table.push(format!(
            "{name}: {agree} agree, {disagree} documented disagreements, {unsupported} unsupported"
        ));
    }
    eprintln!("{}", table.join("\n"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
