//! `sigdiff vectors export --jsonl [DIR]`: one JSON object per case, for consumers
//! in other languages (vectors/README.md "JSON lines export"):
//!
//! ```json
//! {"case": "oss-v1/t2-put-object", "scheme": "oss-v1", "spec": {...},
//!  "provenance": {...}, "files": {"request.http": "...", "signature.txt": "...", ...}}
//! ```
//! `files` holds every stage file present, byte for byte as on disk (the export
//! does not recompute anything); `provenance` is `null` when the case has none.

use super::{find_cases, read_text, Case, STAGE_FILES};
use crate::error::Result;
use std::path::Path;

/// One JSON object per case under `root`, in path order.
pub fn export(root: &Path) -> Result<Vec<serde_json::Value>> {
    let mut out = Vec::new();
    for dir in find_cases(root)? {
        let case = Case::load(&dir)?;
        let mut files = serde_json::Map::new();
        for f in STAGE_FILES {
            let p = dir.join(f);
            if p.is_file() {
                files.insert(f.to_string(), read_text(&p)?.into());
            }
        }
        out.push(serde_json::json!({
            "case": case.name(root),
            "scheme": case.scheme.as_str(),
            "spec": case.spec_json,
            "provenance": case.provenance,
            "files": files,
        }));
    }
    Ok(out)
}
