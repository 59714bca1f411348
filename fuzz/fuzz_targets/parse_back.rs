//! Parse-back of a canonical string (a server's StringToSign / CanonicalRequest /
//! FormatString, a client's log) cuts any text into named fields whose
//! concatenation reproduces its bytes exactly, for every scheme; and the
//! text-kind recogniser and diff never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sigdiff::Stage;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let cuts = [
        sigdiff::oss::v1::string_to_sign::parse_back(text, "date", None),
        sigdiff::oss::v1::string_to_sign::parse_back(text, "expires", None),
        sigdiff::oss::v4::parse_stage(Stage::CanonicalRequest, text, None),
        sigdiff::oss::v4::parse_stage(Stage::StringToSign, text, None),
        sigdiff::cos::parse_stage(Stage::FormatString, text, None),
        sigdiff::cos::parse_stage(Stage::StringToSign, text, None),
    ];
    for c in &cuts {
        assert_eq!(c.as_str(), text, "parse-back reproduces the bytes");
        let joined: String = c.fields().map(|f| f.text).collect();
        assert_eq!(joined, text, "the fields cover the text");
    }
    if let Some((a, b)) = text.split_once('\u{1}') {
        let _ = sigdiff::diff::diff_texts(a, b);
        let _ = sigdiff::diff::diff_pasted(a, b);
    }
});
