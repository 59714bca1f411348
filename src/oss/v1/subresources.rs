//! The V1 sub-resource lists, as data with provenance (oss-signing.md §2.6).
//!
//! Only query parameters whose name is in the chosen list enter the V1
//! CanonicalizedResource. The server's exact list is undocumented (§11 Q1); the
//! union of every official list is the default, each SDK's list is selectable.

use serde::{Deserialize, Serialize};

/// official docs, "Add a signature to the header" (39 names; the zh page ends with "etc.").
pub const DOCS: &[&str] = &[
    "acl",
    "append",
    "bucketInfo",
    "cname",
    "comp",
    "cors",
    "delete",
    "endTime",
    "img",
    "lifecycle",
    "live",
    "location",
    "logging",
    "objectMeta",
    "partNumber",
    "position",
    "qos",
    "referer",
    "replication",
    "replicationLocation",
    "replicationProgress",
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "response-content-language",
    "response-content-type",
    "response-expires",
    "security-token",
    "startTime",
    "status",
    "style",
    "styleName",
    "symlink",
    "tagging",
    "uploadId",
    "uploads",
    "vod",
    "website",
    "x-oss-process",
];

/// oss2 (aliyun-oss-python-sdk) `ProviderAuth._subresource_key_set`.
pub const PY1: &[&str] = &[
    "accessPoint",
    "accessPointPolicy",
    "acl",
    "append",
    "asyncFetch",
    "bucketArchiveDirectRead",
    "bucketInfo",
    "callback",
    "callback-var",
    "cname",
    "comp",
    "continuation-token",
    "cors",
    "delete",
    "encryption",
    "endTime",
    "group",
    "httpsConfig",
    "inventory",
    "inventoryId",
    "lifecycle",
    "link",
    "live",
    "location",
    "logging",
    "metaQuery",
    "objectInfo",
    "objectMeta",
    "partNumber",
    "policy",
    "position",
    "publicAccessBlock",
    "qos",
    "qosInfo",
    "qosRequester",
    "redundancyTransition",
    "referer",
    "regionList",
    "replication",
    "replicationLocation",
    "replicationProgress",
    "requestPayment",
    "requesterQosInfo",
    "resourceGroup",
    "resourcePool",
    "resourcePoolBuckets",
    "resourcePoolInfo",
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "response-content-language",
    "response-content-type",
    "response-expires",
    "restore",
    "security-token",
    "sequential",
    "startTime",
    "stat",
    "status",
    "style",
    "styleName",
    "symlink",
    "tagging",
    "transferAcceleration",
    "uploadId",
    "uploads",
    "versionId",
    "versioning",
    "versions",
    "vod",
    "website",
    "worm",
    "wormExtend",
    "wormId",
    "x-oss-ac-forward-allow",
    "x-oss-ac-source-ip",
    "x-oss-ac-subnet-mask",
    "x-oss-ac-vpc-id",
    "x-oss-access-point-name",
    "x-oss-async-process",
    "x-oss-process",
    "x-oss-redundancy-transition-taskid",
    "x-oss-request-payer",
    "x-oss-target-redundancy-type",
    "x-oss-traffic-limit",
    "x-oss-write-get-object-response",
];

/// aliyun-oss-go-sdk `signKeyList` (oss/conn.go).
pub const GO1: &[&str] = &[
    "acl",
    "append",
    "asyncFetch",
    "bucketInfo",
    "callback",
    "callback-var",
    "cloudboxes",
    "cname",
    "comp",
    "continuation-token",
    "cors",
    "delete",
    "encryption",
    "endTime",
    "img",
    "inventory",
    "inventoryId",
    "lifecycle",
    "live",
    "location",
    "logging",
    "metaQuery",
    "objectMeta",
    "partNumber",
    "policy",
    "position",
    "qos",
    "qosInfo",
    "referer",
    "regionList",
    "replication",
    "replicationLocation",
    "replicationProgress",
    "requestPayment",
    "resourceGroup",
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "response-content-language",
    "response-content-type",
    "response-expires",
    "responseHeader",
    "restore",
    "rtc",
    "security-token",
    "sequential",
    "startTime",
    "stat",
    "status",
    "style",
    "styleName",
    "symlink",
    "tagging",
    "transferAcceleration",
    "udf",
    "udfApplication",
    "udfApplicationLog",
    "udfId",
    "udfImage",
    "udfImageDesc",
    "udfName",
    "uploadId",
    "uploads",
    "versionId",
    "versioning",
    "versions",
    "vod",
    "website",
    "withHashContext",
    "worm",
    "wormExtend",
    "wormId",
    "x-oss-ac-forward-allow",
    "x-oss-ac-source-ip",
    "x-oss-ac-subnet-mask",
    "x-oss-ac-vpc-id",
    "x-oss-async-process",
    "x-oss-enable-md5",
    "x-oss-enable-sha1",
    "x-oss-enable-sha256",
    "x-oss-hash-ctx",
    "x-oss-md5-ctx",
    "x-oss-process",
    "x-oss-request-payer",
    "x-oss-traffic-limit",
];

/// aliyun-oss-java-sdk `SignParameters.SIGNED_PARAMTERS`.
pub const JV1: &[&str] = &[
    "accessPoint",
    "accessPointPolicy",
    "acl",
    "append",
    "asyncFetch",
    "bucketArchiveDirectRead",
    "bucketInfo",
    "callback",
    "callback-var",
    "cname",
    "comp",
    "continuation-token",
    "cors",
    "delete",
    "encryption",
    "endTime",
    "httpsConfig",
    "img",
    "inventory",
    "inventoryId",
    "lifecycle",
    "live",
    "location",
    "logging",
    "metaQuery",
    "objectMeta",
    "partNumber",
    "policy",
    "policyStatus",
    "position",
    "processConfiguration",
    "publicAccessBlock",
    "qos",
    "qosInfo",
    "redundancyTransition",
    "referer",
    "regionList",
    "replication",
    "replicationLocation",
    "replicationProgress",
    "requestPayment",
    "resourceGroup",
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "response-content-language",
    "response-content-type",
    "response-expires",
    "restore",
    "seal",
    "security-token",
    "sequential",
    "startTime",
    "stat",
    "status",
    "style",
    "styleName",
    "symlink",
    "tagging",
    "transferAcceleration",
    "udf",
    "udfApplication",
    "udfApplicationLog",
    "udfImage",
    "udfImageDesc",
    "udfName",
    "uploadId",
    "uploads",
    "versionId",
    "versioning",
    "versions",
    "vip",
    "vod",
    "vpcip",
    "website",
    "worm",
    "wormExtend",
    "wormId",
    "x-oss-ac-forward-allow",
    "x-oss-ac-source-ip",
    "x-oss-ac-subnet-mask",
    "x-oss-ac-vpc-id",
    "x-oss-async-process",
    "x-oss-delete",
    "x-oss-dir",
    "x-oss-process",
    "x-oss-redundancy-transition-taskid",
    "x-oss-rename",
    "x-oss-request-payer",
    "x-oss-target-redundancy-type",
    "x-oss-traffic-limit",
    "x-oss-write-get-object-response",
];

/// alibabacloud-oss-go-sdk-v2 `requiredSignedParametersMap` (plus any `x-oss-*` name).
pub const GO2: &[&str] = &[
    "acl",
    "append",
    "bucketInfo",
    "callback",
    "callback-var",
    "cloudboxes",
    "continuation-token",
    "delete",
    "location",
    "objectMeta",
    "partNumber",
    "position",
    "regionList",
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "response-content-language",
    "response-content-type",
    "response-expires",
    "restore",
    "security-token",
    "sequential",
    "stat",
    "symlink",
    "tagging",
    "uploadId",
    "uploads",
    "versionId",
    "versioning",
    "versions",
];

/// alibabacloud-oss-python-sdk-v2 `SignerV1._subresource_key_set`.
pub const PY2: &[&str] = &[
    "acl",
    "append",
    "bucketInfo",
    "callback",
    "callback-var",
    "cloudboxes",
    "continuation-token",
    "delete",
    "location",
    "objectMeta",
    "partNumber",
    "position",
    "regionList",
    "resourceGroup",
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "response-content-language",
    "response-content-type",
    "response-expires",
    "restore",
    "security-token",
    "sequential",
    "stat",
    "symlink",
    "tagging",
    "uploadId",
    "uploads",
    "versionId",
    "versioning",
    "versions",
];

/// alibabacloud-oss-java-sdk-v2 `SUBRESOURCE_KEY_SET`.
pub const JV2: &[&str] = &[
    "acl",
    "append",
    "bucketInfo",
    "callback",
    "callback-var",
    "cleanRestoredObject",
    "cloudboxes",
    "continuation-token",
    "delete",
    "location",
    "objectMeta",
    "partNumber",
    "position",
    "regionList",
    "resourceGroup",
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "response-content-language",
    "response-content-type",
    "response-expires",
    "restore",
    "security-token",
    "sequential",
    "stat",
    "symlink",
    "tagging",
    "uploadId",
    "uploads",
    "versionId",
    "versioning",
    "versions",
];

/// Union of all official lists (112 names; the verifier default).
pub const UNION: &[&str] = &[
    "accessPoint",
    "accessPointPolicy",
    "acl",
    "append",
    "asyncFetch",
    "bucketArchiveDirectRead",
    "bucketInfo",
    "callback",
    "callback-var",
    "cleanRestoredObject",
    "cloudboxes",
    "cname",
    "comp",
    "continuation-token",
    "cors",
    "delete",
    "encryption",
    "endTime",
    "group",
    "httpsConfig",
    "img",
    "inventory",
    "inventoryId",
    "lifecycle",
    "link",
    "live",
    "location",
    "logging",
    "metaQuery",
    "objectInfo",
    "objectMeta",
    "partNumber",
    "policy",
    "policyStatus",
    "position",
    "processConfiguration",
    "publicAccessBlock",
    "qos",
    "qosInfo",
    "qosRequester",
    "redundancyTransition",
    "referer",
    "regionList",
    "replication",
    "replicationLocation",
    "replicationProgress",
    "requestPayment",
    "requesterQosInfo",
    "resourceGroup",
    "resourcePool",
    "resourcePoolBuckets",
    "resourcePoolInfo",
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "response-content-language",
    "response-content-type",
    "response-expires",
    "responseHeader",
    "restore",
    "rtc",
    "seal",
    "security-token",
    "sequential",
    "startTime",
    "stat",
    "status",
    "style",
    "styleName",
    "symlink",
    "tagging",
    "transferAcceleration",
    "udf",
    "udfApplication",
    "udfApplicationLog",
    "udfId",
    "udfImage",
    "udfImageDesc",
    "udfName",
    "uploadId",
    "uploads",
    "versionId",
    "versioning",
    "versions",
    "vip",
    "vod",
    "vpcip",
    "website",
    "withHashContext",
    "worm",
    "wormExtend",
    "wormId",
    "x-oss-ac-forward-allow",
    "x-oss-ac-source-ip",
    "x-oss-ac-subnet-mask",
    "x-oss-ac-vpc-id",
    "x-oss-access-point-name",
    "x-oss-async-process",
    "x-oss-delete",
    "x-oss-dir",
    "x-oss-enable-md5",
    "x-oss-enable-sha1",
    "x-oss-enable-sha256",
    "x-oss-hash-ctx",
    "x-oss-md5-ctx",
    "x-oss-process",
    "x-oss-redundancy-transition-taskid",
    "x-oss-rename",
    "x-oss-request-payer",
    "x-oss-target-redundancy-type",
    "x-oss-traffic-limit",
    "x-oss-write-get-object-response",
];

/// Names in every list above (no signer disagrees on them); checked by a test.
pub const COMMON: &[&str] = &[
    "acl",
    "append",
    "bucketInfo",
    "delete",
    "location",
    "objectMeta",
    "partNumber",
    "position",
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "response-content-language",
    "response-content-type",
    "response-expires",
    "security-token",
    "symlink",
    "tagging",
    "uploadId",
    "uploads",
];

/// Which sub-resource list decides what enters the CanonicalizedResource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SubresourceList {
    /// Union of every official list (default; the server's list is undocumented, §11 Q1).
    #[default]
    Union,
    /// The 39 names the docs list.
    Docs,
    /// oss2 (Python SDK v1).
    Oss2,
    /// aliyun-oss-go-sdk (Go SDK v1).
    GoV1,
    /// aliyun-oss-java-sdk (Java SDK v1).
    JavaV1,
    /// alibabacloud-oss-go-sdk-v2: its 30 names plus every `x-oss-*` name.
    GoV2,
    /// alibabacloud-oss-python-sdk-v2.
    PythonV2,
    /// alibabacloud-oss-java-sdk-v2.
    JavaV2,
}

impl SubresourceList {
    /// Every selectable list, for `--help` and tests.
    pub const ALL: [SubresourceList; 8] = [
        SubresourceList::Union,
        SubresourceList::Docs,
        SubresourceList::Oss2,
        SubresourceList::GoV1,
        SubresourceList::JavaV1,
        SubresourceList::GoV2,
        SubresourceList::PythonV2,
        SubresourceList::JavaV2,
    ];

    /// The names (sorted, so lookups are binary searches).
    pub fn names(self) -> &'static [&'static str] {
        match self {
            SubresourceList::Union => UNION,
            SubresourceList::Docs => DOCS,
            SubresourceList::Oss2 => PY1,
            SubresourceList::GoV1 => GO1,
            SubresourceList::JavaV1 => JV1,
            SubresourceList::GoV2 => GO2,
            SubresourceList::PythonV2 => PY2,
            SubresourceList::JavaV2 => JV2,
        }
    }

    /// Is `name` (decoded, case-sensitive) a sub-resource under this list?
    pub fn contains(self, name: &str) -> bool {
        if self == SubresourceList::GoV2 && name.starts_with("x-oss-") {
            return true;
        }
        let m = membership(name);
        match self {
            SubresourceList::Union => m != 0,
            l => m & l.bit() != 0,
        }
    }

    fn bit(self) -> u8 {
        match self {
            SubresourceList::Union => 0,
            SubresourceList::Docs => 1,
            SubresourceList::Oss2 => 2,
            SubresourceList::GoV1 => 4,
            SubresourceList::JavaV1 => 8,
            SubresourceList::GoV2 => 16,
            SubresourceList::PythonV2 => 32,
            SubresourceList::JavaV2 => 64,
        }
    }

    /// Short name as used on the command line.
    pub fn label(self) -> &'static str {
        match self {
            SubresourceList::Union => "union",
            SubresourceList::Docs => "docs",
            SubresourceList::Oss2 => "oss2",
            SubresourceList::GoV1 => "go-v1",
            SubresourceList::JavaV1 => "java-v1",
            SubresourceList::GoV2 => "go-v2",
            SubresourceList::PythonV2 => "python-v2",
            SubresourceList::JavaV2 => "java-v2",
        }
    }
}

/// One lookup for every list: bit i set when list i (see `bit`) has `name`; 0 when none does.
fn membership(name: &str) -> u8 {
    // Hot path (every query parameter of every V1 request): one FxHash lookup
    // over the union, each name with its membership bits.
    static TABLE: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, u8>> =
        std::sync::OnceLock::new();
    let t = TABLE.get_or_init(|| {
        UNION
            .iter()
            .map(|n| {
                let mask = SubresourceList::ALL[1..]
                    .iter()
                    .filter(|l| l.names().binary_search(n).is_ok())
                    .fold(0u8, |m, l| m | l.bit());
                (*n, mask)
            })
            .collect()
    });
    t.get(name).copied().unwrap_or(0)
}

/// The lists (by label) among `m`'s membership bits that leave `name` out.
fn lists_without_mask(name: &str, m: u8) -> Vec<&'static str> {
    let all = SubresourceList::ALL[1..]
        .iter()
        .fold(0u8, |acc, l| acc | l.bit());
    let go2_prefix = name.starts_with("x-oss-");
    if m == all || (go2_prefix && m | SubresourceList::GoV2.bit() == all) {
        return Vec::new();
    }
    SubresourceList::ALL[1..]
        .iter()
        .filter(|l| {
            let has = m & l.bit() != 0 || (**l == SubresourceList::GoV2 && go2_prefix);
            !has
        })
        .map(|l| l.label())
        .collect()
}

/// Is `name` a sub-resource under `list`, and which SDK lists leave it out
/// (one table lookup for both; the lint pass calls this per query parameter).
pub fn classify(name: &str, list: SubresourceList) -> (bool, Vec<&'static str>) {
    let m = membership(name);
    let signed = match list {
        SubresourceList::GoV2 if name.starts_with("x-oss-") => true,
        SubresourceList::Union => m != 0,
        l => m & l.bit() != 0,
    };
    (
        signed,
        if signed {
            lists_without_mask(name, m)
        } else {
            Vec::new()
        },
    )
}

/// The lists (by label) that do *not* contain `name`, for the "signers disagree" warning.
pub fn lists_without(name: &str) -> Vec<&'static str> {
    lists_without_mask(name, membership(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_sized() {
        // Sizes from oss-signing.md §2.6.
        for (l, n) in [
            (DOCS, 39),
            (PY1, 86),
            (GO1, 85),
            (JV1, 92),
            (GO2, 30),
            (PY2, 31),
            (JV2, 32),
            (UNION, 112),
        ] {
            assert_eq!(l.len(), n);
            assert!(l.windows(2).all(|w| w[0] < w[1]), "list not sorted");
        }
    }

    #[test]
    fn union_is_union() {
        for l in SubresourceList::ALL {
            for n in l.names() {
                assert!(UNION.contains(n), "{n} missing from union");
            }
        }
    }

    #[test]
    fn common_is_the_intersection() {
        let every: Vec<&str> = UNION
            .iter()
            .copied()
            .filter(|n| SubresourceList::ALL.iter().all(|l| l.contains(n)))
            .collect();
        assert_eq!(every, COMMON);
    }

    #[test]
    fn table_lookup_agrees_with_the_lists() {
        // The length-bucketed table must answer exactly what each list says.
        let mut probes: Vec<String> = UNION.iter().map(|n| n.to_string()).collect();
        probes.extend(
            [
                "",
                "ACL",
                "acl ",
                "prefix",
                "x-oss-process",
                "uploadid",
                "a",
            ]
            .map(String::from),
        );
        probes.push("x".repeat(70));
        // Near misses of every name (the hashed table must not confuse them).
        for n in UNION {
            let mut up = n.to_string();
            up[..1].make_ascii_uppercase();
            probes.push(up);
            probes.push(n[..n.len() - 1].to_string());
            probes.push(format!("{n}x"));
            probes.push(format!("x{}", &n[1..]));
        }
        for n in &probes {
            for l in &SubresourceList::ALL[1..] {
                let listed = l.names().binary_search(&n.as_str()).is_ok()
                    || (*l == SubresourceList::GoV2 && n.starts_with("x-oss-"));
                assert_eq!(l.contains(n), listed, "{n} in {l:?}");
                assert_eq!(classify(n, *l).0, listed, "{n} in {l:?}");
            }
        }
    }

    #[test]
    fn membership() {
        assert!(SubresourceList::Union.contains("acl"));
        assert!(!SubresourceList::Union.contains("prefix"));
        assert!(!SubresourceList::Union.contains("ACL"));
        assert!(SubresourceList::GoV2.contains("x-oss-anything"));
        assert!(!SubresourceList::PythonV2.contains("x-oss-process"));
        assert!(lists_without("acl").is_empty());
        assert!(lists_without("x-oss-process").contains(&"python-v2"));
    }
}
