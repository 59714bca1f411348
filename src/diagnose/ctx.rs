//! What a catalogue generator sees: the request, the server's view of it, and
//! helpers that render the client's text after a change of the request, the
//! address, the options or the model.

use super::mac::Kind;
use super::model::{CosModel, V1Model, V4Model};
use super::splice::{Fields, Splice};
use super::DiagnoseOptions;
use crate::address::Address;
use crate::canonical::Canonical;
use crate::cos::{self, CosOptions};
use crate::encode::{self, PlusMeans};
use crate::oss::v1::{self, V1Options};
use crate::oss::v4::{self, V4Options};
use crate::request::Request;
use crate::scheme::{Prepared, SchemeId, SigningInput};

/// A key change as generators write it (strings; interned when compiled).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeySpec {
    /// Index into [`Ctx::secrets`].
    pub secret: Option<u16>,
    /// Index into [`Ctx::targets`].
    pub target: Option<u16>,
    /// V4 StringToSign timestamp / COS sign time.
    pub timestamp: Option<String>,
    /// V4 scope date (StringToSign and key).
    pub date: Option<String>,
    /// V4 scope region (StringToSign and key).
    pub region: Option<String>,
    /// V4 scope product (StringToSign and key).
    pub product: Option<String>,
    /// V4 key date only.
    pub key_date: Option<String>,
    /// V4 key region only.
    pub key_region: Option<String>,
    /// V4 key product only.
    pub key_product: Option<String>,
    /// COS key time.
    pub key_time: Option<String>,
    /// COS SignKey as raw bytes.
    pub raw_sign_key: bool,
}

/// How far a hypothesis combines with others.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Tier {
    /// Alone, in pairs and in triples.
    #[default]
    Triples,
    /// Alone and in pairs (time zones, per-second skew within [`SKEW_PAIR_SECONDS`]).
    Pairs,
    /// Alone only (per-second skew beyond [`SKEW_PAIR_SECONDS`]).
    Single,
}

/// Per-second skew combines with another mistake within this many seconds
/// (a clock read twice, a date header rewritten after signing); the whole
/// ±15-minute window is searched alone.
pub const SKEW_PAIR_SECONDS: i64 = 120;

/// One concrete hypothesis produced by a catalogue entry.
#[derive(Debug, Clone, Default)]
pub struct Instance {
    /// Appended to the entry id after `:` (a header name, an offset); may be empty.
    pub arg: String,
    /// The field (naming convention of `canonical`).
    pub field: String,
    /// The client's first-stage text, when it differs.
    pub client: Option<Canonical>,
    /// Or the splices, given directly.
    pub splices: Option<Vec<Splice>>,
    /// Key changes.
    pub key: KeySpec,
    /// How far the instance combines (many-instance families combine less).
    pub tier: Tier,
    /// Words for this instance (English), e.g. `UTC+08:00`.
    pub note_en: String,
    /// The same in Chinese.
    pub note_zh: String,
}

impl Instance {
    /// A text hypothesis.
    pub fn text(arg: impl Into<String>, field: impl Into<String>, c: Option<Canonical>) -> Self {
        Instance {
            arg: arg.into(),
            field: field.into(),
            client: c,
            ..Default::default()
        }
    }

    /// With notes.
    pub fn note(mut self, en: impl Into<String>, zh: impl Into<String>) -> Self {
        self.note_en = en.into();
        self.note_zh = zh.into();
        self
    }
}

/// How a candidate secret was derived (for messages; never the value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretForm {
    /// The i-th secret given (0: the one verify checks).
    Given(usize),
    /// The first secret with text appended (a copied line break or space).
    Suffix(&'static str),
    /// The first secret with text prepended.
    Prefix(&'static str),
    /// The first secret without its surrounding whitespace.
    Trimmed,
    /// The AccessKeyId used as the secret.
    AccessKeyId,
}

/// One wire query parameter, owned.
#[derive(Debug, Clone)]
pub struct Param {
    /// Name as sent.
    pub raw_name: String,
    /// Value as sent.
    pub raw_value: Option<String>,
    /// Decoded name.
    pub name: String,
    /// Decoded value.
    pub value: Option<String>,
}

/// The generator context.
pub struct Ctx<'a> {
    /// The request as sent.
    pub req: &'a Request,
    /// The server's view.
    pub p: &'a Prepared,
    /// Server options.
    pub opts: &'a DiagnoseOptions,
    /// Signature family.
    pub kind: Kind,
    /// URL form.
    pub url: bool,
    /// The server's first-stage fields.
    pub fields: &'a Fields,
    /// Candidate secrets and how each was derived.
    pub secrets: &'a [SecretForm],
    /// Forms of the provided signature (index 0 as received) and what each assumes.
    pub targets: &'a [(String, &'static str)],
    /// The wire query, decoded the server's way.
    pub query: Vec<Param>,
    /// The unmodified models.
    pub v1: Option<V1Model>,
    /// OSS V4 model.
    pub v4: Option<V4Model>,
    /// COS model.
    pub cos: Option<CosModel>,
    /// COS: the URL uses the merged `sign=` form.
    pub cos_merged: bool,
    /// Items a per-item family looks at (fewer when the signed text is long:
    /// every instance renders the whole text once).
    pub item_limit: usize,
    /// The fields holding a given text (the time value), found once.
    found: std::cell::RefCell<Option<(String, Vec<usize>)>>,
}

impl<'a> Ctx<'a> {
    /// Build the context; `None` when the request cannot be modelled.
    pub fn new(
        req: &'a Request,
        p: &'a Prepared,
        opts: &'a DiagnoseOptions,
        fields: &'a Fields,
        secrets: &'a [SecretForm],
        targets: &'a [(String, &'static str)],
    ) -> Option<Ctx<'a>> {
        let (kind, url) = match p.scheme {
            SchemeId::OssV1 => (Kind::V1, false),
            SchemeId::OssV1Url => (Kind::V1, true),
            SchemeId::OssV4 => (Kind::V4, false),
            SchemeId::OssV4Url => (Kind::V4, true),
            SchemeId::Cos => (Kind::Cos, false),
            SchemeId::CosUrl => (Kind::Cos, true),
            _ => return None,
        };
        let plus = match kind {
            Kind::V1 => opts.oss_v1.plus_in_query,
            Kind::V4 => opts.oss_v4.plus_in_query,
            Kind::Cos => opts.cos.plus_in_query,
        };
        let query = match req.raw_query() {
            Some(q) => encode::parse_query(q, plus)
                .ok()?
                .into_iter()
                .map(|q| Param {
                    raw_name: q.raw_name.to_string(),
                    raw_value: q.raw_value.map(str::to_string),
                    name: q.name.into_owned(),
                    value: q.value.map(|v| v.into_owned()),
                })
                .collect(),
            None => Vec::new(),
        };
        let mut c = Ctx {
            req,
            p,
            opts,
            kind,
            url,
            fields,
            secrets,
            targets,
            query,
            v1: None,
            v4: None,
            cos: None,
            cos_merged: false,
            // About 16k field renderings per family at most (a cost bound).
            item_limit: (16_384 / fields.len().max(1)).clamp(4, super::catalogue::MAX_ITEMS),
            found: std::cell::RefCell::new(None),
        };
        match kind {
            Kind::V1 => {
                c.v1 = Some(V1Model::build(req, &p.address, c.v1_form(), &opts.oss_v1).ok()?)
            }
            Kind::V4 => {
                c.v4 = Some(V4Model::build(req, &p.address, c.v4_form(), &opts.oss_v4).ok()?)
            }
            Kind::Cos => {
                c.cos_merged = super::model::cos_auth(req, c.cos_form()).ok()?.1;
                c.cos = Some(CosModel::build(req, c.cos_form(), &opts.cos).ok()?);
            }
        }
        Some(c)
    }

    fn v1_form(&self) -> v1::Form {
        if self.url {
            v1::Form::Url
        } else {
            v1::Form::Header
        }
    }

    fn v4_form(&self) -> v4::Form {
        if self.url {
            v4::Form::Url
        } else {
            v4::Form::Header
        }
    }

    fn cos_form(&self) -> cos::Form {
        if self.url {
            cos::Form::Url
        } else {
            cos::Form::Header
        }
    }

    /// The client's text for a request, address and options, by the scheme's model.
    pub fn render(
        &self,
        req: &Request,
        addr: &Address,
        o1: &V1Options,
        o4: &V4Options,
        oc: &CosOptions,
    ) -> Option<Canonical> {
        match self.kind {
            Kind::V1 => V1Model::build(req, addr, self.v1_form(), o1)
                .ok()
                .map(|m| m.render()),
            Kind::V4 => V4Model::build(req, addr, self.v4_form(), o4)
                .ok()
                .map(|m| m.render()),
            // The lists come from the Authorization, which no generator changes:
            // read once (the base model's).
            Kind::Cos => {
                let base = self.cos.as_ref()?;
                CosModel::build_with(
                    req,
                    self.cos_form(),
                    self.cos_merged,
                    oc,
                    base.header_list.clone(),
                    base.param_list.clone(),
                )
                .ok()
                .map(|m| m.render())
            }
        }
    }

    /// The client's text had the request been `f(request)` when it was signed.
    pub fn with_req(&self, f: impl FnOnce(&mut Request)) -> Option<Canonical> {
        let mut r = self.req.clone();
        f(&mut r);
        let o = self.opts;
        self.render(&r, &self.p.address, &o.oss_v1, &o.oss_v4, &o.cos)
    }

    /// The client's text with another bucket or key.
    pub fn with_addr(&self, f: impl FnOnce(&mut Address)) -> Option<Canonical> {
        let mut a = self.p.address.clone();
        f(&mut a);
        let o = self.opts;
        self.render(self.req, &a, &o.oss_v1, &o.oss_v4, &o.cos)
    }

    /// The client's text under other V1 options.
    pub fn with_v1(&self, f: impl FnOnce(&mut V1Options)) -> Option<Canonical> {
        let mut o1 = self.opts.oss_v1;
        f(&mut o1);
        let o = self.opts;
        self.render(self.req, &self.p.address, &o1, &o.oss_v4, &o.cos)
    }

    /// The client's text under other V4 options.
    pub fn with_v4(&self, f: impl FnOnce(&mut V4Options)) -> Option<Canonical> {
        let mut o4 = self.opts.oss_v4;
        f(&mut o4);
        let o = self.opts;
        self.render(self.req, &self.p.address, &o.oss_v1, &o4, &o.cos)
    }

    /// The client's text under other COS options.
    pub fn with_cos(&self, f: impl FnOnce(&mut CosOptions)) -> Option<Canonical> {
        let mut oc = self.opts.cos;
        f(&mut oc);
        let o = self.opts;
        self.render(self.req, &self.p.address, &o.oss_v1, &o.oss_v4, &oc)
    }

    /// The client's text after changing the V1 model (`f` returns false: no change).
    pub fn v1m(&self, f: impl FnOnce(&mut V1Model) -> bool) -> Option<Canonical> {
        let mut m = self.v1.clone()?;
        f(&mut m).then(|| m.render())
    }

    /// The client's text after changing the V4 model.
    pub fn v4m(&self, f: impl FnOnce(&mut V4Model) -> bool) -> Option<Canonical> {
        let mut m = self.v4.clone()?;
        f(&mut m).then(|| m.render())
    }

    /// The client's text after changing the COS model.
    pub fn cosm(&self, f: impl FnOnce(&mut CosModel) -> bool) -> Option<Canonical> {
        let mut m = self.cos.clone()?;
        f(&mut m).then(|| m.render())
    }

    /// `n` capped at [`Ctx::item_limit`].
    pub fn cap(&self, n: usize) -> usize {
        n.min(self.item_limit)
    }

    /// Indices of the server fields whose text holds `needle` (cached for the last needle).
    pub fn fields_with(&self, needle: &str) -> Vec<usize> {
        if let Some((n, v)) = &*self.found.borrow() {
            if n == needle {
                return v.clone();
            }
        }
        let v: Vec<usize> = self
            .fields
            .items
            .iter()
            .enumerate()
            .filter(|(_, (_, t))| t.contains(needle))
            .map(|(i, _)| i)
            .collect();
        *self.found.borrow_mut() = Some((needle.to_string(), v.clone()));
        v
    }

    /// The field name a header has in this scheme's signed text.
    pub fn header_field(&self, lower: &str) -> String {
        if self.kind == Kind::V1 && (lower == "content-type" || lower == "content-md5") {
            return lower.to_string();
        }
        match self.kind {
            Kind::Cos => format!("header:{}", cos::pairs::canonical_key(lower)),
            _ => format!("header:{lower}"),
        }
    }

    /// The V4 signing context (timestamp, scope).
    pub fn v4_ctx(&self) -> Option<&v4::SigningContext> {
        match &self.p.input {
            SigningInput::OssV4(c) => Some(c),
            _ => None,
        }
    }

    /// The COS key time and sign time.
    pub fn cos_times(&self) -> Option<(&str, &str)> {
        match &self.p.input {
            SigningInput::Cos(c) => Some((&c.key_time, &c.sign_time)),
            _ => None,
        }
    }

    /// How a literal `+` in the query is read by the server.
    pub fn plus_in_query(&self) -> PlusMeans {
        match self.kind {
            Kind::V1 => self.opts.oss_v1.plus_in_query,
            Kind::V4 => self.opts.oss_v4.plus_in_query,
            Kind::Cos => self.opts.cos.plus_in_query,
        }
    }
}
