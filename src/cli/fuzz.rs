//! `sigdiff fuzz` and `sigdiff sign --protocol`: arguments to options, reports to files.

use super::args::FuzzArgs;
use sigdiff::error::{InputError, Result};
use sigdiff::finding::Lang;
use sigdiff::fuzz::{self, report, FuzzOptions};
use sigdiff::scheme::SchemeId;
use sigdiff::sign::SignOptions;
use std::io::{IsTerminal, Write};
use std::time::Duration;

/// `sign --protocol`: serve until stdin closes.
pub fn serve_protocol(opts: &SignOptions) -> Result<u8> {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    match fuzz::serve::serve(stdin.lock(), stdout.lock(), opts) {
        Ok(()) => Ok(0),
        // The harness closed the pipe: done.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => Err(InputError::new("io", format!("sign --protocol: {e}"))),
    }
}

fn seconds(flag: &str, v: f64) -> Result<Duration> {
    if v.is_finite() && v > 0.0 && v < 1e9 {
        Ok(Duration::from_secs_f64(v))
    } else {
        Err(InputError::new(
            "usage",
            format!("--{flag}: expected a positive number of seconds, got {v}"),
        ))
    }
}

/// `sigdiff fuzz`.
pub fn cmd_fuzz(a: FuzzArgs, lang: Lang) -> Result<u8> {
    let schemes = a
        .scheme
        .as_ref()
        .map(|v| {
            v.iter()
                .map(|s| s.trim().parse::<SchemeId>())
                .collect::<Result<Vec<_>>>()
        })
        .transpose()
        .map_err(|e| InputError::new("usage", format!("--scheme: {}", e.what())))?;
    if let Some(s) = schemes.iter().flatten().find(|s| !s.is_supported()) {
        return Err(InputError::new(
            "usage",
            format!("--scheme {s}: not supported by this build yet"),
        ));
    }
    if a.window == 0 {
        return Err(InputError::new("usage", "--window: at least 1"));
    }
    let opts = FuzzOptions {
        signer: a.signer.clone(),
        schemes,
        seed: a.seed,
        cases: a.cases,
        time_budget: a
            .time_budget
            .map(|t| seconds("time-budget", t))
            .transpose()?,
        shard: fuzz::cases::parse_shard(&a.shard)?,
        window: a.window,
        timeout: seconds("timeout", a.timeout)?,
        progress: !a.no_progress && std::io::stderr().is_terminal(),
        ..Default::default()
    };
    if let Some(dir) = &a.out {
        std::fs::create_dir_all(dir).map_err(|e| {
            InputError::new(
                "io",
                format!("--out: cannot create `{}`: {e}", dir.display()),
            )
        })?;
    }
    let mut r = fuzz::run(&opts)?;
    if let Some(dir) = &a.out {
        for m in r.mismatches.iter_mut().take(opts.max_reports) {
            let d = fuzz::vector::write_vector(dir, r.seed, m)?;
            m.vector_dir = Some(d.display().to_string());
        }
    }
    if let Some(path) = &a.junit {
        std::fs::write(path, report::junit(&r, lang)).map_err(|e| {
            InputError::new(
                "io",
                format!("--junit: cannot write `{}`: {e}", path.display()),
            )
        })?;
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let text = if a.json {
        report::json_lines(&r, lang).join("\n") + "\n"
    } else {
        report::human(&r, lang)
    };
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
    Ok(r.exit_code())
}
