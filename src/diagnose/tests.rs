//! Unit tests: the models render exactly what `prepare` computes.

use super::model::{CosModel, V1Model, V4Model};
use crate::input::spec::RequestSpec;
use crate::request::Request;
use crate::scheme::SchemeId;
use crate::sign::{sign_spec, SignOptions};
use crate::verify::{prepare, VerifyOptions};

const SPECS: &[&str] = &[
    r#"{"scheme":"oss-v1","method":"PUT","bucket":"b","key":"a b/c+d.txt","endpoint":"oss-cn-hangzhou.aliyuncs.com","query":[["acl",null],["uploadId","x y"],["prefix","p"]],"headers":[["Content-Type","text/plain"],["X-Oss-Meta-B","  2 "],["x-oss-meta-a","1"],["x-oss-meta-a","3"]],"time":1701605532}"#,
    r#"{"scheme":"oss-v1-url","method":"GET","bucket":"b","key":"k","endpoint":"oss-cn-hangzhou.aliyuncs.com","query":[["response-content-type","text/html"],["versionId",""]],"time":1701605532,"credentials":{"access_key_id":"ak","access_key_secret":"sk","security_token":"t+o/k="}}"#,
    r#"{"scheme":"oss-v4","method":"PUT","bucket":"b","key":"1234+-/123/1.txt","endpoint":"oss-cn-hangzhou.aliyuncs.com","query":[["+param1","value3"],["|param2",null],["param1","v/1"]],"headers":[["Content-Type","text/plain"],["x-oss-head1","value"],["abc","x"],["ZAbc","y"]],"additional_headers":["ZAbc","abc","host"],"time":1702743657}"#,
    r#"{"scheme":"oss-v4-url","method":"GET","bucket":"b","key":"k","endpoint":"oss-cn-hangzhou.aliyuncs.com","query":[["a",""]],"additional_headers":["host"],"time":1702743657}"#,
    r#"{"scheme":"cos","method":"PUT","bucket":"b-125","key":"dir/a b.txt","endpoint":"cos.ap-beijing.myqcloud.com","query":[["A/b","1"],["acl",null]],"headers":[["Content-Type","text/plain"],["x-cos-meta-x","a  b"]],"time":1557989151}"#,
    r#"{"scheme":"cos-url","method":"GET","bucket":"b-125","key":"k","endpoint":"cos.ap-beijing.myqcloud.com","query":[["prefix","a/b"]],"time":1557989151}"#,
];

fn signed(json: &str) -> Request {
    let mut spec = RequestSpec::from_json(json).unwrap();
    let c = spec.credentials.get_or_insert_with(Default::default);
    c.access_key_id.get_or_insert("ak".into());
    c.access_key_secret.get_or_insert("sk".into());
    let r = sign_spec(&spec, &SignOptions::default()).unwrap();
    Request::from_url(spec.method.as_deref().unwrap_or("GET"), &r.url, r.headers).unwrap()
}

#[test]
fn models_render_the_prepared_stage() {
    for json in SPECS {
        let req = signed(json);
        let o = VerifyOptions::default();
        let p = prepare(&req, &o).unwrap();
        let got = match p.scheme {
            SchemeId::OssV1 | SchemeId::OssV1Url => {
                let f = if p.scheme.is_url() {
                    crate::oss::v1::Form::Url
                } else {
                    crate::oss::v1::Form::Header
                };
                V1Model::build(&req, &p.address, f, &o.oss_v1)
                    .unwrap()
                    .render()
            }
            SchemeId::OssV4 | SchemeId::OssV4Url => {
                let f = if p.scheme.is_url() {
                    crate::oss::v4::Form::Url
                } else {
                    crate::oss::v4::Form::Header
                };
                V4Model::build(&req, &p.address, f, &o.oss_v4)
                    .unwrap()
                    .render()
            }
            _ => {
                let f = if p.scheme.is_url() {
                    crate::cos::Form::Url
                } else {
                    crate::cos::Form::Header
                };
                CosModel::build(&req, f, &o.cos).unwrap().render()
            }
        };
        assert_eq!(got, p.stages[0].1, "{json}");
    }
}
