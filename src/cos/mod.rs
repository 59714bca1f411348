//! Tencent Cloud COS q-sign (sha1): header and presigned URL (cos-signing.md §1–§3).
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

/// Whether this build signs and verifies COS.
pub const SUPPORTED: bool = false;

/// Every COS behaviour where SDKs and the server may differ. `Default` is the server's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CosOptions {}

/// Header or URL signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `Authorization` header.
    Header,
    /// Query parameters (per-field or merged `sign=`).
    Url,
}

/// What a COS signature is computed from besides the secret.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SigningContext {}

fn unsupported() -> InputError {
    InputError::new(
        "unsupported-scheme",
        "COS is not supported by this build yet",
    )
}

/// Canonicalise a signed request for verification.
pub fn prepare(
    _req: &Request,
    _addr: Address,
    _form: Form,
    _opts: &CosOptions,
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
    _opts: &CosOptions,
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
    c.push("text", text);
    c
}
