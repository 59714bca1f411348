//! # sigdiff
//!
//! Re-implements the request signatures of Alibaba Cloud OSS and Tencent Cloud COS,
//! recomputes a signature from the request a user really sent, and shows field by
//! field where it and the server part ways.
//!
//! The library is sans-IO and clock-free: every function takes the time and the
//! secrets as arguments. The flow (DESIGN "Data flow"):
//!
//! 1. [`input`] parses any input form (raw HTTP, curl, HAR, JSON spec) into a [`Request`];
//! 2. [`address`] finds the provider, bucket and decoded key;
//! 3. [`scheme::detect`] finds the scheme from the credentials the request carries;
//! 4. the scheme module (e.g. [`oss::v1`]) builds the signed string as named fields ([`Canonical`]);
//! 5. [`verify::verify`] compares and diffs (a report: field table, findings, diagnosis);
//!    [`verify::check`] only decides match or mismatch (the lean path for batches and
//!    mock servers); [`sign::sign_spec`] signs.
//!
//! ```
//! use sigdiff::{input::spec::RequestSpec, sign::{sign_spec, SignOptions}};
//! // oss-signing.md §9.1 T2.
//! let spec = RequestSpec::from_json(r#"{"scheme":"oss-v1","method":"PUT","bucket":"examplebucket","key":"nelson",
//!   "endpoint":"oss-cn-hangzhou.aliyuncs.com","headers":[["Content-MD5","eB5eJF1ptWaXm4bijSPyxw=="],
//!   ["Content-Type","text/html"],["x-oss-meta-author","alice"],["x-oss-meta-magic","abracadabra"],
//!   ["x-oss-date","Wed, 28 Dec 2022 10:27:41 GMT"]],
//!   "credentials":{"access_key_id":"ak","access_key_secret":"sk"}}"#).unwrap();
//! let r = sign_spec(&spec, &SignOptions::default()).unwrap();
//! assert_eq!(r.authorization.as_deref(), Some("OSS ak:kSHKmLxlyEAKtZPkJhG9bZb5k7M="));
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod address;
pub mod canonical;
pub mod cos;
pub mod diagnose;
pub mod diff;
pub mod encode;
pub mod error;
pub mod explain;
pub mod finding;
pub mod fuzz;
pub mod input;
pub mod json;
pub mod oss;
pub mod post;
pub mod request;
pub mod scheme;
mod scratch;
pub mod secret;
pub mod server_error;
pub mod sign;
pub mod strategy;
mod swar;
pub mod time;
pub mod vectors;
pub mod verify;

pub use canonical::{Canonical, Field, Stage};
pub use error::InputError;
pub use finding::{Finding, Severity};
pub use request::Request;
pub use scheme::SchemeId;
pub use secret::Secret;
