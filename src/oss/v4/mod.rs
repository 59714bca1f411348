//! OSS V4 (`OSS4-HMAC-SHA256`): header and presigned URL (oss-signing.md §4, §5).
//!
//! Not implemented yet: every entry point answers "unsupported".

use crate::address::Address;
use crate::canonical::{Canonical, Stage};
use crate::error::{InputError, Result};
use crate::input::spec::RequestSpec;
use crate::request::Request;
use crate::scheme::{Prepared, Signed};
use crate::secret::{Credentials, Secret};
use serde::{Deserialize, Serialize};

/// Whether this build signs and verifies OSS V4.
pub const SUPPORTED: bool = false;

/// Every V4 behaviour where SDKs and the server may differ. `Default` is the server's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct V4Options {}

/// Header or URL signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `Authorization` header.
    Header,
    /// Presigned URL.
    Url,
}

/// What a V4 signature is computed from besides the secret.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SigningContext {}

fn unsupported() -> InputError {
    InputError::new(
        "unsupported-scheme",
        "OSS V4 is not supported by this build yet",
    )
}

/// Canonicalise a signed request for verification.
pub fn prepare(
    _req: &Request,
    _addr: Address,
    _form: Form,
    _opts: &V4Options,
    _now: i64,
) -> Result<Prepared> {
    Err(unsupported())
}

/// Sign a request.
#[allow(clippy::too_many_arguments)]
pub fn sign(
    _req: Request,
    _addr: &Address,
    _form: Form,
    _creds: &Credentials,
    _time: i64,
    _expires: i64,
    _spec: &RequestSpec,
    _opts: &V4Options,
) -> Result<Signed> {
    Err(unsupported())
}

/// Signature over a stage text.
pub fn sign_text(_ctx: &SigningContext, _stage: Stage, _text: &str, _secret: &Secret) -> String {
    String::new()
}

/// Cut a stage text into named fields.
pub fn parse_stage(_stage: Stage, text: &str, _hint: Option<&Canonical>) -> Canonical {
    let mut c = Canonical::default();
    c.push("text", text.to_string());
    c
}
