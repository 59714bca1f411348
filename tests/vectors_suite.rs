//! The `vectors/` suite and the `sigdiff vectors` commands (issue 6): the curated
//! suite checks, is in sync with its case definitions, keeps its provenance rule;
//! `generate` is deterministic; `check` names the failing field; `export` round-trips;
//! bad input exits 2; every mutation file holds against the library.

use assert_cmd::Command;
use sigdiff::vectors::{self, check, export, mutations, Case};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn suite() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors")
}

fn sigdiff() -> Command {
    Command::cargo_bin("sigdiff").unwrap()
}

/// Every file under `root`: relative path → bytes.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(vectors::relative(root, &p), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    for (rel, bytes) in tree(from) {
        let p = to.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

#[test]
fn curated_suite_checks() {
    let rep = check::check_suite(&suite()).unwrap();
    let failing: Vec<_> = rep
        .cases
        .iter()
        .filter(|c| !c.failures.is_empty())
        .map(|c| c.case.clone())
        .collect();
    assert!(failing.is_empty(), "failing cases: {failing:?}");
    assert_eq!(rep.mutations.len(), 6, "one mutation file per scheme");
    for m in &rep.mutations {
        assert!(m.failures.is_empty(), "{}: {:?}", m.file, m.failures);
        assert!(m.tests >= 50, "{}: only {} tests", m.file, m.tests);
    }
    // And through the CLI, as CI and users run it.
    let out = sigdiff()
        .args(["vectors", "check"])
        .arg(suite())
        .assert()
        .code(0);
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("PASS: "));
}

#[test]
fn at_least_forty_cases_per_scheme_with_provenance() {
    let mut per: BTreeMap<String, usize> = BTreeMap::new();
    for dir in vectors::find_cases(&suite()).unwrap() {
        let c = Case::load(&dir).unwrap();
        let name = c.name(&suite());
        *per.entry(c.scheme.to_string()).or_default() += 1;
        let p = c
            .provenance
            .unwrap_or_else(|| panic!("{name}: no provenance"));
        assert!(!p.sources.is_empty(), "{name}: no source");
        // "A vector that no official SDK reproduces needs a cited source, or it goes."
        assert!(
            !p.agrees.is_empty() || p.known_answer.is_some(),
            "{name}: no SDK agrees and no cited known answer"
        );
        for d in &p.disagrees {
            assert!(
                !d.reason.is_empty() && !d.reason.starts_with("UNEXPLAINED"),
                "{name}: {d:?}"
            );
        }
        // Every stage file the scheme has is there.
        for f in vectors::stage_files(c.scheme) {
            assert!(dir.join(f).is_file(), "{name}: no {f}");
        }
    }
    for s in [
        "oss-v1",
        "oss-v1-url",
        "oss-v4",
        "oss-v4-url",
        "cos",
        "cos-url",
    ] {
        assert!(per.get(s).copied().unwrap_or(0) >= 40, "{s}: {per:?}");
    }
}

/// The suite on disk is exactly what its case definitions build (apart from the
/// SDK-run provenance, which the crosscheck writes).
#[test]
fn suite_is_in_sync_with_case_definitions() {
    let tmp = tempfile::tempdir().unwrap();
    vectors::build::build_suite(&suite().join("cases"), tmp.path()).unwrap();
    let built = tree(tmp.path());
    let on_disk: BTreeMap<String, Vec<u8>> = tree(&suite())
        .into_iter()
        .filter(|(k, _)| {
            !k.starts_with("cases/")
                && !matches!(k.as_str(), "README.md" | "CROSSCHECK.md" | ".gitattributes")
        })
        .collect();
    let strip = |b: &[u8]| {
        let mut v: serde_json::Value = serde_json::from_slice(b).unwrap();
        for k in ["agrees", "disagrees", "unsupported"] {
            v["provenance"].as_object_mut().unwrap().remove(k);
        }
        v
    };
    assert_eq!(
        built.keys().collect::<Vec<_>>(),
        on_disk.keys().collect::<Vec<_>>(),
        "run `sigdiff vectors build` (then scripts/crosscheck-vectors.py)"
    );
    for (k, b) in &built {
        if k.ends_with("context.json") {
            assert_eq!(strip(b), strip(&on_disk[k]), "{k}: rebuild the suite");
        } else {
            assert!(b == &on_disk[k], "{k} differs from its rebuild");
        }
    }
}

#[test]
fn generate_is_deterministic() {
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    for scheme in ["oss-v1", "oss-v4-url", "cos"] {
        for (dir, seed) in [(&a, "42"), (&b, "42"), (&c, "43")] {
            sigdiff()
                .args([
                    "vectors", "generate", "--scheme", scheme, "--count", "25", "--seed", seed,
                    "--out",
                ])
                .arg(dir.path())
                .assert()
                .code(0);
        }
    }
    let (ta, tb, tc) = (tree(a.path()), tree(b.path()), tree(c.path()));
    assert_eq!(ta.len(), 25 * (5 + 6 + 6), "every stage file of 75 cases");
    assert_eq!(ta, tb, "same seed, different bytes");
    assert_ne!(ta, tc, "a different seed gave the same suite");
    // A generated suite is a suite: it checks, and its cases carry their features.
    let rep = check::check_suite(a.path()).unwrap();
    assert_eq!(rep.exit_code(), 0);
    assert_eq!(rep.cases.len(), 75);
    let featured = vectors::find_cases(a.path())
        .unwrap()
        .iter()
        .filter(|d| {
            !Case::load(d)
                .unwrap()
                .provenance
                .unwrap()
                .features
                .is_empty()
        })
        .count();
    assert!(
        featured >= 50,
        "only {featured} cases exercise a pitfall feature"
    );
    // A second run into the same directory is refused (it could not be byte-exact).
    sigdiff()
        .args([
            "vectors", "generate", "--scheme", "cos", "--count", "2", "--out",
        ])
        .arg(a.path())
        .assert()
        .code(2);
}

#[test]
fn check_names_the_corrupted_field() {
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("t2");
    copy_dir(&suite().join("oss-v1/t2-put-object"), &case);
    sigdiff()
        .args(["vectors", "check"])
        .arg(&case)
        .assert()
        .code(0);
    // One byte of the Content-Type line.
    let p = case.join("string-to-sign.txt");
    let s = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, s.replace("text/html", "text/htm1")).unwrap();
    let out = sigdiff()
        .args(["vectors", "check", "--color", "never"])
        .arg(&case)
        .assert()
        .code(1);
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("string-to-sign.txt differs"), "{text}");
    assert!(text.contains("field content-type"), "{text}");
    assert!(text.contains("first difference at byte 8"), "{text}");
    assert!(
        !text.contains("field date"),
        "only the corrupted field: {text}"
    );
    // The signature file: named as such; the JSON report carries the rows.
    std::fs::write(&p, s).unwrap();
    std::fs::write(case.join("signature.txt"), "kSHKmLxlyEAKtZPkJhG9bZb5k7N=").unwrap();
    let rep = check::check_suite(&case).unwrap();
    let f = &rep.cases[0].failures;
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].file, "signature.txt");
    assert_eq!(f[0].fields[0].first_diff, Some(26));
    // A V4 canonical request: the query field.
    let v4 = tmp.path().join("u1");
    copy_dir(&suite().join("oss-v4/u1-header"), &v4);
    let p = v4.join("canonical-request.txt");
    let s = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, s.replace("param1=value1", "param1=value2")).unwrap();
    let rep = check::check_suite(&v4).unwrap();
    let names: Vec<_> = rep.cases[0].failures[0]
        .fields
        .iter()
        .map(|r| r.name.clone())
        .collect();
    assert_eq!(names, ["query:param1"]);
    // A COS FormatString header.
    let cos = tmp.path().join("v1");
    copy_dir(&suite().join("cos/v1-doc-upload"), &cos);
    let p = cos.join("format-string.txt");
    let s = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, s.replace("x-cos-acl=private", "x-cos-acl=public")).unwrap();
    let rep = check::check_suite(&cos).unwrap();
    assert!(rep.cases[0].failures[0]
        .fields
        .iter()
        .any(|r| r.name == "header:x-cos-acl"));
}

#[test]
fn export_round_trips() {
    let lines = export::export(&suite()).unwrap();
    assert_eq!(lines.len(), vectors::find_cases(&suite()).unwrap().len());
    // Rebuild a directory tree from the JSON lines alone.
    let tmp = tempfile::tempdir().unwrap();
    for v in &lines {
        let dir = tmp.path().join(v["case"].as_str().unwrap());
        for (f, text) in v["files"].as_object().unwrap() {
            vectors::write_file(&dir.join(f), text.as_str().unwrap()).unwrap();
        }
        let mut ctx = v["spec"].clone();
        ctx["provenance"] = v["provenance"].clone();
        vectors::write_file(
            &dir.join("context.json"),
            &(serde_json::to_string_pretty(&ctx).unwrap() + "\n"),
        )
        .unwrap();
    }
    let back = tree(tmp.path());
    let orig: BTreeMap<_, _> = tree(&suite())
        .into_iter()
        .filter(|(k, _)| k.matches('/').count() == 2 && !k.starts_with("cases/"))
        .collect();
    assert_eq!(back, orig, "export → files is not the identity");
    // The CLI prints the same objects.
    let out = sigdiff()
        .args(["vectors", "export", "--jsonl"])
        .arg(suite().join("cos"))
        .assert()
        .code(0);
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["scheme"], "cos");
    assert!(first["files"]["format-string.txt"].is_string());
    assert!(first["provenance"]["sources"].is_array());
}

#[test]
fn bad_input_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    // Not a directory; no cases.
    sigdiff()
        .args(["vectors", "check"])
        .arg(tmp.path().join("nope"))
        .assert()
        .code(2);
    sigdiff()
        .args(["vectors", "check"])
        .arg(tmp.path())
        .assert()
        .code(2);
    // A context.json that is not JSON: what and where.
    let case = tmp.path().join("c");
    copy_dir(&suite().join("oss-v1/t2-put-object"), &case);
    std::fs::write(case.join("context.json"), "{\"scheme\": ").unwrap();
    let out = sigdiff()
        .args(["vectors", "check"])
        .arg(&case)
        .assert()
        .code(2);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains("context.json") && err.contains("line 1"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    // A spec without a time (the suite never reads the clock).
    std::fs::write(
        case.join("context.json"),
        r#"{"scheme":"oss-v1","bucket":"b","key":"k","endpoint":"oss-cn-hangzhou.aliyuncs.com","credentials":{"access_key_id":"a","access_key_secret":"s"}}"#,
    )
    .unwrap();
    let out = sigdiff()
        .args(["vectors", "check"])
        .arg(&case)
        .assert()
        .code(2);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("`time`"), "{err}");
    // An unknown scheme; a bad mutation file; a missing --out.
    sigdiff()
        .args(["vectors", "generate", "--scheme", "s3", "--out"])
        .arg(tmp.path())
        .assert()
        .code(2);
    let m = tmp.path().join("m");
    std::fs::create_dir_all(m.join("mutations")).unwrap();
    std::fs::write(m.join("mutations/oss-v1.json"), "[]").unwrap();
    sigdiff()
        .args(["vectors", "check"])
        .arg(&m)
        .assert()
        .code(2);
    sigdiff()
        .args(["vectors", "generate", "--scheme", "cos"])
        .assert()
        .code(2);
}

#[test]
fn mutation_files_hold_and_can_fail() {
    for s in [
        "oss-v1",
        "oss-v1-url",
        "oss-v4",
        "oss-v4-url",
        "cos",
        "cos-url",
    ] {
        let path = suite().join("mutations").join(format!("{s}.json"));
        let r = mutations::run_file(&path).unwrap();
        assert!(r.failures.is_empty(), "{s}: {:?}", r.failures);
        let f: mutations::MutationFile =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let flags: Vec<_> = f.notes.keys().cloned().collect();
        for want in [
            "HeaderOrder",
            "HeaderNameCase",
            "QueryOrder",
            "KeyByte",
            "Secret",
            "Method",
        ] {
            assert!(flags.iter().any(|x| x == want), "{s}: no {want} tests");
        }
        assert!(f
            .test_groups
            .iter()
            .flat_map(|g| &g.tests)
            .any(|t| t.result == "valid"));
        assert!(f
            .test_groups
            .iter()
            .flat_map(|g| &g.tests)
            .any(|t| t.result == "invalid"));
    }
    // Flip one result: the runner must report exactly that test.
    let path = suite().join("mutations/oss-v4.json");
    let mut f: mutations::MutationFile =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let t = &mut f.test_groups[0].tests[0];
    t.result = if t.result == "valid" {
        "invalid"
    } else {
        "valid"
    }
    .into();
    let id = t.tc_id;
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("oss-v4.json");
    std::fs::write(&p, serde_json::to_string(&f).unwrap()).unwrap();
    let r = mutations::run_file(&p).unwrap();
    assert_eq!(r.failures.len(), 1);
    assert_eq!(r.failures[0].tc_id, id);
}

/// The provenance of every curated case is what the official SDKs say today
/// (scripts/crosscheck-vectors.py --check). Needs SIGDIFF_ORACLES.
#[test]
fn provenance_matches_official_sdks() {
    let Some(dir) = std::env::var_os("SIGDIFF_ORACLES").map(PathBuf::from) else {
        eprintln!("note: SIGDIFF_ORACLES is not set: the vectors' SDK crosscheck is skipped (run scripts/setup-oracles.sh, then SIGDIFF_ORACLES=$PWD/.oracles cargo test)");
        return;
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(dir.join("venv/bin/python"))
        .arg(root.join("scripts/crosscheck-vectors.py"))
        .arg("--check")
        .env("SIGDIFF_ORACLES", &dir)
        .output()
        .expect("run the crosscheck");
    assert!(
        out.status.success(),
        "crosscheck --check failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
