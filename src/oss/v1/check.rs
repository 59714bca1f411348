//! OSS V1's part of [`crate::verify::check`]: the bucket and raw key of the
//! common virtual-hosted address read straight off the host, and the verdict
//! computed from a StringToSign written into a per-thread buffer (the text is
//! only hashed, never returned).
//!
//! Both are shortcuts of what `verify::check` did before, with the same answers
//! and the same errors; `tests/oss_v1_check.rs` holds them to
//! [`crate::address::locate_raw`] and to [`super::canonicalise_text`].

use super::{lean, lean_credentials, sign_string, Form};
use crate::address::Provider;
use crate::error::Result;
use crate::request::Request;
use crate::scheme::SchemeId;
use crate::verify::{Check, VerifyOptions};

/// The bucket and the raw (still percent-encoded) object key of a request to
/// `<bucket>.oss[-<region>…].aliyuncs.com` (oss-signing.md §1.3), with `hint`
/// (`--bucket`) taking the bucket's place as [`crate::address::locate_raw`]
/// does; `None` for any other shape (port, upper case, trailing dot, path
/// style, custom domain, a path without `/`): `locate_raw` answers those.
///
/// Where it answers, the answer is `locate_raw`'s for [`crate::address::Provider::Oss`]
/// (virtual-hosted, key borrowed from the path, `+` a plus).
pub fn virtual_hosted<'a>(req: &'a Request, hint: Option<&'a str>) -> Option<(&'a str, &'a str)> {
    let bucket = crate::address::usual_virtual_host(req.host()?, Provider::Oss)?;
    let key_raw = req.raw_path().strip_prefix('/')?;
    Some((hint.unwrap_or(bucket), key_raw))
}

/// The verdict of [`crate::verify::check`] for a header-form V1 request, the
/// key given as sent in the path (decoded as it is written): the StringToSign
/// of [`super::canonicalise_text`] into the per-thread buffer, the credentials,
/// each secret's signature. `None` for a request the lean path leaves to the
/// general one (the URL form, many `x-oss-*` headers or sub-resources, a query
/// or key that does not decode).
pub(crate) fn check_raw_key<'r>(
    req: &'r Request,
    scheme: SchemeId,
    bucket: Option<&str>,
    key_raw: &str,
    form: Form,
    opts: &VerifyOptions,
) -> Option<Result<Check<'r>>> {
    if form == Form::Url {
        return None;
    }
    let hs = lean::Headers::scan(&req.headers)?;
    let key = lean::Key::Raw(key_raw);
    crate::scratch::with_text(|text| {
        let done = lean::assemble(req, &hs, bucket, key, form, &opts.oss_v1, text);
        done.map(|()| {
            lean_credentials(req, &hs).map(|(ak, sig)| {
                crate::verify::decide(scheme, ak, sig, &opts.secrets, |s| sign_string(s, text))
            })
        })
    })
}
