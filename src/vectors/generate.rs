//! `sigdiff vectors generate --scheme S --count N --seed X --out DIR`: a
//! deterministic suite drawn from the pitfall-biased strategies of
//! [`crate::strategy`] (the same seed gives byte-identical files on every machine).
//!
//! Generated cases are computed by sigdiff alone; their provenance says so. Run
//! `scripts/crosscheck-vectors.py DIR` to check them against the official SDKs.

use super::build::write_case;
use super::Provenance;
use crate::error::{InputError, Result};
use crate::scheme::SchemeId;
use std::path::{Path, PathBuf};

/// Drop `null` members of objects, recursively (array items stay: a `null` query
/// value is a bare name), and empty `query` / `headers` lists.
pub fn compact(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            m.retain(|k, x| {
                !(x.is_null()
                    || (matches!(k.as_str(), "query" | "headers")
                        && x.as_array().is_some_and(|a| a.is_empty())))
            });
            m.values_mut().for_each(compact);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(|x| {
            if x.is_object() {
                compact(x)
            }
        }),
        _ => {}
    }
}

/// Write `count` cases for `scheme` from `seed` into `out/<scheme>/<nnnn>-<features>/`.
/// Returns the case directories.
pub fn generate(scheme: SchemeId, count: usize, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
    if !scheme.is_supported() {
        return Err(InputError::new(
            "unsupported-scheme",
            format!("scheme `{scheme}` is not supported by this build yet"),
        ));
    }
    let specs = crate::strategy::sample(scheme, seed, count);
    let width = count.to_string().len().max(4);
    let mut dirs = Vec::with_capacity(specs.len());
    for (i, spec) in specs.iter().enumerate() {
        let mut v = serde_json::to_value(spec).expect("spec serialises");
        compact(&mut v);
        let feats = super::features(spec);
        let mut name = format!("{:0width$}", i + 1);
        for f in feats.iter().take(2) {
            name.push('-');
            name.push_str(f);
        }
        let dir = out.join(scheme.as_str()).join(&name);
        let p = Provenance {
            sources: vec![format!(
                "sigdiff vectors generate --scheme {scheme} --seed {seed} --count {count}: case {} (strategy::sample); computed by sigdiff, not checked against an official SDK",
                i + 1
            )],
            ..Default::default()
        };
        write_case(&dir, &v, p).map_err(|e| e.at(format!("generated case {}", i + 1)))?;
        dirs.push(dir);
    }
    Ok(dirs)
}
