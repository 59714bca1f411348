//! Alibaba Cloud OSS signatures.
//!
//! * [`v1`]: `Authorization: OSS ak:sig` and the V1 presigned URL (oss-signing.md §2, §3).
//! * [`v4`]: `OSS4-HMAC-SHA256` header and presigned URL (oss-signing.md §4, §5).

pub mod v1;
pub mod v4;
