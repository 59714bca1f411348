//! Every error code and message variant of the seed documents (`../shared/seeds/`),
//! copied here verbatim (markdown escapes removed) so this list is independent of the
//! catalogue: each, wrapped in a realistic error body, must be recognised by `explain`
//! as the expected catalogue entry.

use sigdiff::address::Provider;
use sigdiff::explain::{explain, explain_with, input, ExplainOptions};

/// (seed, code, message as the seed quotes it, expected entry).
const OSS: &[(&str, &str, &str, &str)] = &[
    ("000", "AccessDenied", "AccessDenied", "oss.access-denied"),
    ("000", "InvalidAccessKeyId", "The OSS Access Key Id you provided is disabled.", "oss.invalid-access-key-id.disabled"),
    ("000", "InvalidAccessKeyId", "The OSS Access Key Id you provided does not exist in our records.", "oss.invalid-access-key-id.not-found"),
    ("000", "InvalidAccessKeyId", "The OSS Access Key Id contains non-acceptable characters, which accepts only alphanumeric characters[0-9a-zA-Z] and several special characters[._=]", "oss.invalid-access-key-id.characters"),
    ("001", "InvalidAccessKeyId", "The OSS Access Key Id contains non-acceptable characters, which accepts only alphanumeric characters[0-9a-zA-Z] and several special characters[. _=]", "oss.invalid-access-key-id.characters"),
    ("000", "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.", "oss.signature-does-not-match"),
    ("000", "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.", "oss.request-time-too-skewed"),
    ("000", "ImageDamage", "The image file may be damaged.", "oss.image-damage"),
    ("000", "UserDisable", "UserDisable", "oss.user-disable"),
    ("000", "AccessForbidden", "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Requet-Headers are not whitelisted by the resource's CORS spec.", "oss.access-forbidden.cors"),
    ("000", "InvalidObjectState", "The operation is not valid for the object's state.", "oss.invalid-object-state"),
    ("002", "AccessDenied", "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.", "oss.access-denied.endpoint"),
    ("002", "AccessDenied", "This request is forbidden by kms.", "oss.access-denied.kms"),
    ("002", "AccessDenied", "AccessDenied.", "oss.access-denied"),
    ("002", "AccessDenied", "You have no right to access this object.", "oss.access-denied.ram-object"),
    ("002", "AccessDenied", "Anonymous user has no right to access this bucket.", "oss.access-denied.anonymous-bucket"),
    ("002", "AccessDenied", "Anonymous user has no right to access this object.", "oss.access-denied.anonymous-object"),
    ("002", "AccessDenied", "You are denied by bucket referer policy.", "oss.access-denied.referer"),
    ("002", "AccessDenied", "Invalid according to Policy: Policy expired.", "oss.access-denied.post-policy-expired"),
    ("002", "AccessDenied", "Invalid according to Policy: Policy Condition failed: \" + RelatedUnit; //XXX", "oss.access-denied.post-policy-condition"),
    ("002", "AccessDenied", "Invalid according to Policy: Policy Condition failed: [\"starts-with\", \"$key\", \"user/eric/\"]", "oss.access-denied.post-policy-condition"),
    ("002", "AccessDenied", "Target object does not reside in the same data center as source object.", "oss.access-denied.copy-cross-region"),
    ("002", "AccessDenied", "Query string authentication requires the Signature, Expires and OSSAccessKeyId parameters.", "oss.access-denied.query-auth-params"),
    ("002", "AccessDenied", "Invalid date (should be seconds since epoch).", "oss.access-denied.invalid-date"),
    ("002", "AccessDenied", "Request has expired.", "oss.access-denied.expired"),
    ("002", "AccessDenied", "You do not have read permission on this object.", "oss.access-denied.object-read"),
    ("002", "AccessDenied", "You do not have write permission on this object.", "oss.access-denied.object-write"),
    ("002", "AccessDenied", "You do not have read acl permission on this object.", "oss.access-denied.object-read-acl"),
    ("002", "AccessDenied", "You do not have write acl permission on this object.", "oss.access-denied.object-write-acl"),
    ("002", "AccessDenied", "You have no right to access this object because of bucket acl.", "oss.access-denied.bucket-acl"),
    ("002", "AccessDenied", "Anonymous access is forbidden for this operation.", "oss.access-denied.anonymous-operation"),
    ("002", "AccessDenied", "Access denied by bucket policy.", "oss.access-denied.bucket-policy"),
    ("002", "AccessDenied", "Access denied by authorizer's policy.", "oss.access-denied.sts-policy"),
    ("002", "PermanentRedirect", "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.", "oss.permanent-redirect"),
    ("002", "SecondLevelDomainForbidden", "The bucket you are attempting to access must be addressed using OSS third level domain.", "oss.second-level-domain"),
    ("002", "SecondLevelDomainForbidden", "Please use virtual hosted style to access.", "oss.second-level-domain.virtual-hosted"),
    ("002", "NonStandardHostForbidden", "Your host is invalid. Please use Open Storage Service standard host.", "oss.non-standard-host"),
    ("002", "KmsUbsmsInvalidBid", "Your account partner does not have KMS Service.", "oss.kms-not-enabled"),
    ("002", "KmsInDebt", "Current user is indebted.", "oss.kms-in-debt"),
    ("002", "KmsInDebtOverdue", "Current user is indebted Overdue.", "oss.kms-in-debt-overdue"),
    ("002", "WORMConfigurationLocked", "The WORM Configuration is locked.", "oss.worm-locked"),
    ("002", "BucketNotBelongTo", "The bucket you access does not belong to you.", "oss.bucket-not-belong-to"),
    ("002", "TransferAccelerationDisabled", "Transfer acceleration is disabled.", "oss.transfer-acceleration-disabled"),
    ("002", "InvalidSecurityToken", "The security token you provided is invalid.", "oss.invalid-security-token"),
    ("002", "AccessKeyIdAndSecurityTokenNotMatch", "The OSS access key id and security token you provided does not match.", "oss.access-key-id-and-token-mismatch"),
    ("002", "SecurityTokenExpired", "The security token you provided has expired.", "oss.security-token-expired"),
    ("002", "AbnormalBucketOwnerStatus", "The status of the bucket owner is abnormal.", "oss.abnormal-bucket-owner"),
    ("002", "SecurityTokenNotSupported", "This interface does not support security token.", "oss.security-token-not-supported.interface"),
    ("002", "SecurityTokenNotSupported", "Security token is not supported in this region.", "oss.security-token-not-supported.region"),
    ("002", "BucketDisable", "BucketDisable.", "oss.bucket-disable"),
    ("002", "CnameDenied", "The cname belongs to another user.", "oss.cname-denied"),
    // seeds/003 bodies.
    ("003", "UserDisable", " userdisable ", "oss.user-disable"),
    ("003", "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.", "oss.signature-does-not-match"),
];

/// seeds/004: COS answers `<Code>AccessDenied</Code>` with these messages.
const COS: &[(&str, &str)] = &[
    ("Access Denied.", "cos.access-denied"),
    ("AccessForbidden", "cos.access-forbidden"),
    ("You are denied by bucket referer rule", "cos.referer"),
    ("InvalidAccessKeyId", "cos.invalid-access-key-id"),
    ("InvalidObjectState", "cos.invalid-object-state"),
    ("RequestTimeTooSkewed", "cos.request-time-too-skewed"),
    ("Request has expired", "cos.request-expired"),
    ("SignatureDoesNotMatch", "cos.signature-does-not-match"),
];

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[test]
fn every_oss_seed_variant_is_recognised() {
    for (seed, code, msg, id) in OSS {
        // An OSS body: HostId and a 24-hex RequestId (oss-signing.md §8).
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>{code}</Code>\n  <Message>{}</Message>\n  <RequestId>625A73995C8CDB36362D736C</RequestId>\n  <HostId>examplebucket.oss-cn-hangzhou.aliyuncs.com</HostId>\n</Error>\n",
            xml_escape(msg)
        );
        let e = input::read(&body, "body", false).unwrap();
        let x = explain(&e.error, None, 1_700_000_000);
        assert!(x.known, "seeds/{seed} {code} {msg}");
        assert_eq!(x.provider, Some(Provider::Oss));
        assert_eq!(x.entries, [*id], "seeds/{seed} {code} {msg}");
        assert!(
            x.cause_en.is_some()
                && x.cause_zh.is_some()
                && x.solution_en.is_some()
                && x.solution_zh.is_some()
        );
        assert!(
            !x.findings.iter().any(|f| f.code == "SIG301"),
            "{msg}: should be a catalogued variant"
        );
    }
}

#[test]
fn every_cos_seed_variant_is_recognised() {
    for (msg, id) in COS {
        // A COS body: TraceId (cos-signing.md §5).
        let body = format!(
            "<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n\t<Code>AccessDenied</Code>\n\t<Message>{msg}</Message>\n\t<Resource>examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com/a.txt</Resource>\n\t<RequestId>NjM0ZjhmZThfNDgzNjQwMGJfMTMwZWFfNDhmODEyZg==</RequestId>\n\t<TraceId>OGVmYzZiMmQz</TraceId>\n</Error>"
        );
        let e = input::read(&body, "body", false).unwrap();
        let x = explain(&e.error, None, 1_700_000_000);
        assert!(x.known, "seeds/004 {msg}");
        assert_eq!(x.provider, Some(Provider::Cos));
        assert_eq!(x.entries, [*id], "seeds/004 {msg}");
    }
}

#[test]
fn every_seed_code_alone_is_recognised() {
    // `sigdiff explain CODE`: a bare code finds its provider's general entry.
    for (_, code, _, _) in OSS {
        let e = input::literal(code).unwrap();
        let o = ExplainOptions {
            provider: Some(Provider::Oss),
            ..Default::default()
        };
        let x = explain_with(&e.error, None, 0, &o);
        assert!(x.known, "{code}");
        assert!(x.entries[0].starts_with("oss."), "{code}");
    }
    for (msg, id) in COS {
        // A COS message given alone, as typed from the seed's heading.
        let e = input::literal(msg).unwrap();
        let o = ExplainOptions {
            provider: Some(Provider::Cos),
            ..Default::default()
        };
        let x = explain_with(&e.error, None, 0, &o);
        assert_eq!(x.entries, [*id], "{msg}");
    }
}
