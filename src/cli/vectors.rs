//! `sigdiff vectors generate|check|export|build`: thin shell over `sigdiff::vectors`.

use super::args::{VectorsArgs, VectorsCommand};
use super::render::Style;
use sigdiff::canonical::escape_visible;
use sigdiff::error::{InputError, Result};
use sigdiff::scheme::SchemeId;
use sigdiff::vectors;
use std::io::Write;

fn out(s: &str) -> Result<()> {
    let stdout = std::io::stdout();
    let mut o = stdout.lock();
    match writeln!(o, "{s}") {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(InputError::new("io", format!("cannot write output: {e}"))),
    }
}

fn paint(st: Style, code: &str, s: &str) -> String {
    if st.color {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

/// Run a `vectors` subcommand; the exit code (0 pass, 1 a difference).
pub fn run(a: VectorsArgs, st: Style) -> Result<u8> {
    match a.command {
        VectorsCommand::Generate {
            scheme,
            count,
            seed,
            out: dir,
        } => {
            let scheme: SchemeId = scheme.parse().map_err(|e: InputError| e.at("--scheme"))?;
            let target = dir.join(scheme.as_str());
            if !vectors::find_cases(&target).unwrap_or_default().is_empty() {
                return Err(InputError::new(
                    "usage",
                    format!(
                        "`{}` already holds cases: give an empty --out so the output is exactly this seed's",
                        target.display()
                    ),
                ));
            }
            let dirs = vectors::generate::generate(scheme, count, seed, &dir)?;
            out(&format!(
                "wrote {} {scheme} cases to {}",
                dirs.len(),
                target.display()
            ))?;
            Ok(0)
        }
        VectorsCommand::Check { dir, json } => {
            let rep = vectors::check::check_suite(&dir)?;
            if json {
                out(&serde_json::to_string(&rep).expect("serialisable"))?;
                return Ok(rep.exit_code());
            }
            for c in rep.cases.iter().filter(|c| !c.failures.is_empty()) {
                out(&format!("{} {}", paint(st, "31", "FAIL"), c.case))?;
                for f in &c.failures {
                    out(&format!("  {} differs from what sigdiff computes:", f.file))?;
                    for r in &f.fields {
                        let show = |s: &Option<String>| match s {
                            Some(s) => format!("\"{}\"", escape_visible(s)),
                            None => "(absent)".to_string(),
                        };
                        out(&format!(
                            "    field {}: file {} | sigdiff {}",
                            paint(st, "1", &r.name),
                            show(&r.server),
                            show(&r.client)
                        ))?;
                        if let Some(d) = r.describe_difference() {
                            out(&format!(
                                "      {}",
                                d.replace("server", "file").replace("client", "sigdiff")
                            ))?;
                        }
                    }
                }
            }
            for m in &rep.mutations {
                for f in &m.failures {
                    out(&format!(
                        "{} {} tcId {}: {}: {}",
                        paint(st, "31", "FAIL"),
                        m.file,
                        f.tc_id,
                        f.comment,
                        f.problem
                    ))?;
                }
            }
            let failed_cases = rep.cases.iter().filter(|c| !c.failures.is_empty()).count();
            let files: usize = rep.cases.iter().map(|c| c.files_checked).sum();
            let mtests: usize = rep.mutations.iter().map(|m| m.tests).sum();
            let mfail: usize = rep.mutations.iter().map(|m| m.failures.len()).sum();
            let verdict = if rep.exit_code() == 0 {
                paint(st, "32", "PASS")
            } else {
                paint(st, "31", "FAIL")
            };
            out(&format!(
                "{verdict}: {} cases ({files} stage files), {failed_cases} failing; {} mutation files ({mtests} tests), {mfail} failing",
                rep.cases.len(),
                rep.mutations.len()
            ))?;
            Ok(rep.exit_code())
        }
        VectorsCommand::Export { jsonl: _, dir } => {
            for v in vectors::export::export(&dir)? {
                out(&v.to_string())?;
            }
            Ok(0)
        }
        VectorsCommand::Build { cases, out: dir } => {
            let rep = vectors::build::build_suite(&cases, &dir)?;
            for (s, n) in &rep.cases {
                let m = rep.mutation_tests.get(s).copied().unwrap_or(0);
                out(&format!("{s}: {n} cases, {m} mutation tests"))?;
            }
            for r in &rep.removed {
                out(&format!("removed stale case {r}"))?;
            }
            Ok(0)
        }
    }
}
