//! The canonical inputs of each scheme as plain data: what a client signs, before
//! it is assembled into text.
//!
//! A model is built from a request with the library's own component functions
//! (the same ones `prepare` uses), so an unmodified model renders exactly the
//! prepared stage (a unit test holds them together). A hypothesis changes the
//! request, the options or the model, and renders again: the rendered text is
//! what the client signed under that hypothesis.

use crate::address::Address;
use crate::canonical::Canonical;
use crate::cos::{self, CosOptions};
use crate::encode::{self, parse_query, QueryParam};
use crate::error::Result;
use crate::oss::v1::{self, canonical_headers, canonical_resource, string_to_sign, V1Options};
use crate::oss::v4::{
    self, additional_headers, canonical_headers as v4_headers, canonical_query, canonical_request,
    canonical_uri, V4Options,
};
use crate::request::Request;
use std::borrow::Cow;

/// The inputs of an OSS V1 StringToSign (oss-signing.md §2.2, §3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct V1Model {
    /// VERB.
    pub verb: String,
    /// Content-MD5 line.
    pub md5: String,
    /// Content-Type line.
    pub ctype: String,
    /// `date` or `expires`.
    pub time_field: &'static str,
    /// The Date / x-oss-date / Expires value.
    pub time_value: String,
    /// CanonicalizedOSSHeaders, in order.
    pub headers: Vec<(String, String)>,
    /// `/bucket/key`.
    pub resource: String,
    /// Sub-resources in order (`None`: bare name).
    pub subs: Vec<(String, Option<String>)>,
}

fn query_of<'a>(req: &'a Request, plus: encode::PlusMeans) -> Result<Vec<QueryParam<'a>>> {
    match req.raw_query() {
        Some(q) => parse_query(q, plus),
        None => Ok(Vec::new()),
    }
}

impl V1Model {
    /// The model of `req` as `oss::v1::string_to_sign` sees it (§2.2–§2.5).
    pub fn build(req: &Request, addr: &Address, form: v1::Form, o: &V1Options) -> Result<V1Model> {
        let query = query_of(req, o.plus_in_query)?;
        let hv = |name: &str| -> String {
            match req.header(name) {
                Some(v) if o.header_values == v1::HeaderValues::Trim => {
                    v.trim_matches([' ', '\t']).to_string()
                }
                Some(v) => v.to_string(),
                None => String::new(),
            }
        };
        let (time_field, time_value) = match form {
            v1::Form::Header => ("date", v1::date_line(req, o).1.to_string()),
            v1::Form::Url => (
                "expires",
                query
                    .iter()
                    .find(|p| p.name == "Expires")
                    .and_then(|p| p.value.as_deref())
                    .unwrap_or("")
                    .to_string(),
            ),
        };
        let headers =
            canonical_headers::canonical_oss_headers(&req.headers, o.header_values, o.duplicates)
                .into_iter()
                .map(|(n, v)| (n.into_owned(), v.into_owned()))
                .collect();
        let subs = canonical_resource::subresources(&query, o.subresources, o.empty_values)
            .into_iter()
            .map(|(n, v)| (n.to_string(), v.map(str::to_string)))
            .collect();
        Ok(V1Model {
            verb: req.method.clone(),
            md5: hv("content-md5"),
            ctype: hv("content-type"),
            time_field,
            time_value,
            headers,
            resource: canonical_resource::resource_path(addr.bucket.as_deref(), &addr.key),
            subs,
        })
    }

    /// The StringToSign, by the library's own assembly.
    pub fn render(&self) -> Canonical {
        let hs: Vec<(Cow<'_, str>, Cow<'_, str>)> = self
            .headers
            .iter()
            .map(|(n, v)| (Cow::Borrowed(n.as_str()), Cow::Borrowed(v.as_str())))
            .collect();
        let subs: Vec<(&str, Option<&str>)> = self
            .subs
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_deref()))
            .collect();
        string_to_sign::build(&string_to_sign::Parts {
            verb: &self.verb,
            content_md5: &self.md5,
            content_type: &self.ctype,
            time_field: self.time_field,
            time_value: &self.time_value,
            oss_headers: &hs,
            resource: &self.resource,
            subresources: &subs,
        })
    }
}

/// The inputs of an OSS V4 CanonicalRequest (oss-signing.md §4.3, §5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct V4Model {
    /// HTTP method.
    pub method: String,
    /// CanonicalURI.
    pub uri: String,
    /// Canonical query pairs (encoded; `None`: bare name), in order.
    pub query: Vec<canonical_query::Pair>,
    /// Canonical headers (lower-case names), in order.
    pub headers: Vec<(String, String)>,
    /// The AdditionalHeaders line.
    pub additional: String,
    /// The additional header names (lower-case) that contribute a line.
    pub additional_names: Vec<String>,
    /// The hashed payload line.
    pub payload: String,
}

impl V4Model {
    /// The model of `req` as `oss::v4::prepare` canonicalises it (§4.3).
    pub fn build(req: &Request, addr: &Address, form: v4::Form, o: &V4Options) -> Result<V4Model> {
        let query = query_of(req, o.plus_in_query)?;
        let (raw, skip) = match form {
            v4::Form::Header => (
                v4::authorization::parse_header(req.header("authorization").unwrap_or(""))?
                    .additional_headers,
                "",
            ),
            v4::Form::Url => (
                v4::authorization::parse_url(&query)?.additional_headers,
                "x-oss-signature",
            ),
        };
        let (names, line) = match &raw {
            Some(raw) => {
                let r = additional_headers::receive(raw, req, o.additional_headers_order);
                // Absent names contribute no header line (Q8), as in prepare.
                let present = r
                    .lower
                    .iter()
                    .filter(|n| !r.absent.contains(n))
                    .cloned()
                    .collect();
                (present, r.line)
            }
            None => (Vec::new(), String::new()),
        };
        Ok(V4Model {
            method: req.method.clone(),
            uri: canonical_uri::canonical_uri(addr.bucket.as_deref(), &addr.key),
            query: canonical_query::pairs(&query, o.query, o.empty_values, skip),
            headers: v4_headers::canonical_headers(req, &names, o.header_values, o.duplicates),
            additional: line,
            additional_names: names,
            // §4.3 HashedPayload: x-oss-content-sha256, else UNSIGNED-PAYLOAD.
            payload: req
                .header("x-oss-content-sha256")
                .map(str::trim)
                .unwrap_or("UNSIGNED-PAYLOAD")
                .to_string(),
        })
    }

    /// The CanonicalRequest, by the library's own assembly.
    pub fn render(&self) -> Canonical {
        canonical_request::build(&canonical_request::Parts {
            method: &self.method,
            uri: &self.uri,
            query: &self.query,
            headers: &self.headers,
            additional: &self.additional,
            payload: &self.payload,
        })
    }
}

/// The inputs of a COS HttpString (cos-signing.md §2.1, §2.4–§2.6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CosModel {
    /// The method as sent (lower-cased at rendering).
    pub method: String,
    /// Decoded UriPathname.
    pub path: String,
    /// `(key, encoded value)` pairs in order; `None`: written without `=`.
    pub params: Vec<(String, Option<String>)>,
    /// `(key, encoded value)` header pairs in order.
    pub headers: Vec<(String, String)>,
    /// `q-header-list` as read.
    pub header_list: Vec<String>,
    /// `q-url-param-list` as read.
    pub param_list: Vec<String>,
}

/// The q-sign fields a COS request carries, and whether it uses the merged URL form.
pub fn cos_auth(req: &Request, form: cos::Form) -> Result<(cos::authorization::QAuth, bool)> {
    let mut scratch = Vec::new();
    match form {
        cos::Form::Header => Ok((
            cos::authorization::parse(
                req.header("authorization").unwrap_or(""),
                "the Authorization header",
                &mut scratch,
            )?,
            false,
        )),
        cos::Form::Url => {
            let query = query_of(req, encode::PlusMeans::Space)?;
            let u = cos::presign::read(&query, &mut scratch)?;
            Ok((u.auth, u.merged))
        }
    }
}

impl CosModel {
    /// The model of `req` as `cos::prepare` canonicalises it: exactly what the lists name.
    pub fn build(req: &Request, form: cos::Form, o: &CosOptions) -> Result<CosModel> {
        let (auth, merged) = cos_auth(req, form)?;
        let header_list = cos::pairs::parse_list(auth.header_list.as_deref().unwrap_or(""));
        let param_list = cos::pairs::parse_list(auth.url_param_list.as_deref().unwrap_or(""));
        Self::build_with(req, form, merged, o, header_list, param_list)
    }

    /// As [`CosModel::build`] with the lists given.
    pub fn build_with(
        req: &Request,
        form: cos::Form,
        merged: bool,
        o: &CosOptions,
        header_list: Vec<String>,
        param_list: Vec<String>,
    ) -> Result<CosModel> {
        let query = query_of(req, o.plus_in_query)?;
        let hc = cos::http_headers::candidates(req, o.header_whitespace);
        let pc = cos::http_parameters::candidates(&query, form == cos::Form::Url, merged);
        let hs = cos::pairs::select(&hc, &header_list, o.repeated, o.sort);
        let ps = cos::pairs::select(&pc, &param_list, o.repeated, o.sort);
        // §2.6: UriPathname is the percent-decoded path as sent.
        let path = encode::decode(req.raw_path(), o.plus_in_path, "request path")?.into_owned();
        Ok(CosModel {
            method: req.method.clone(),
            path,
            params: ps
                .pairs
                .iter()
                .map(|p| (p.key().to_string(), Some(p.value().to_string())))
                .collect(),
            headers: hs
                .pairs
                .iter()
                .map(|p| (p.key().to_string(), p.value().to_string()))
                .collect(),
            header_list,
            param_list,
        })
    }

    /// The HttpString with the field layout of `cos::http_string::build`.
    pub fn render(&self) -> Canonical {
        let mut c = Canonical::with_capacity(256, 4 + self.params.len() + self.headers.len());
        let mut m = self.method.to_ascii_lowercase();
        m.push('\n');
        c.push("method", m);
        c.push_with("path", |t| {
            t.push_str(&self.path);
            t.push('\n');
        });
        for (i, (k, v)) in self.params.iter().enumerate() {
            c.push_with(crate::canonical::field_name("query:", k), |t| {
                if i > 0 {
                    t.push('&');
                }
                t.push_str(k);
                if let Some(v) = v {
                    t.push('=');
                    t.push_str(v);
                }
            });
        }
        c.push("query-end", "\n");
        for (i, (k, v)) in self.headers.iter().enumerate() {
            c.push_with(crate::canonical::field_name("header:", k), |t| {
                if i > 0 {
                    t.push('&');
                }
                t.push_str(k);
                t.push('=');
                t.push_str(v);
            });
        }
        c.push("header-end", "\n");
        c
    }
}
