//! The `sigdiff` command: argument parsing and output only; the work is in the library.

mod cli;

// A fast allocator: the hot paths (sign --jsonl, verify) are allocation-heavy.
// mimalloc's v2 line (Cargo feature `v2`): for one `sigdiff verify` with the
// full diagnosis search it commits less fresh memory than v3, so the kernel
// zeroes fewer huge pages (4.7-4.8 ms against 5.1-5.2 ms per process,
// interleaved hyperfine runs; the system allocator took 5.5 ms).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use cli::args::{Cli, Command, DiffArgs, ExplainArgs, RequestArgs, SignArgs, V1Args, VerifyArgs};
use cli::render::{self, Style};
use sigdiff::address::Provider;
use sigdiff::error::{InputError, Result};
use sigdiff::finding::Lang;
use sigdiff::input::{self, spec::RequestSpec, Input};
use sigdiff::oss::v1::V1Options;
use sigdiff::scheme::SchemeId;
use sigdiff::sign::{sign_spec, SignOptions};
use sigdiff::verify::{verify, VerifyOptions};
use sigdiff::Request;
use std::io::{BufRead, IsTerminal, Read, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    // Never a backtrace: an internal error is reported as such, exit 2.
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!(
            "sigdiff: internal error: {msg} (please report this with the input that caused it)"
        );
    }));
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match std::panic::catch_unwind(|| run(cli)) {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(e)) => {
            eprintln!("sigdiff: error: {e}");
            ExitCode::from(2)
        }
        Err(_) => ExitCode::from(2),
    }
}

struct Ctx {
    lang: Lang,
    style: Style,
}

fn run(cli: Cli) -> Result<u8> {
    let lang = cli
        .lang
        .clone()
        .or_else(|| std::env::var("LC_ALL").ok().filter(|v| !v.is_empty()))
        .or_else(|| std::env::var("LANG").ok())
        .map(|t| Lang::from_tag(&t))
        .unwrap_or_default();
    let color = match cli.color.as_str() {
        "always" => true,
        "never" => false,
        "auto" => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        other => {
            return Err(InputError::new(
                "usage",
                format!("--color takes auto, always or never, not `{other}`"),
            ))
        }
    };
    let ctx = Ctx {
        lang,
        style: Style { color },
    };
    match cli.command {
        Command::Sign(a) => cmd_sign(a, &ctx),
        Command::Verify(a) => cmd_verify(a, &ctx),
        Command::Diff(a) => cmd_diff(a, &ctx),
        Command::Explain(a) => cmd_explain(a, &ctx),
        Command::Vectors(a) => cli::vectors::run(a, ctx.style),
        Command::Fuzz(a) => cli::fuzz::cmd_fuzz(a, ctx.lang),
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn read_source(path: &str) -> Result<Vec<u8>> {
    if path == "-" {
        let mut b = Vec::new();
        std::io::stdin()
            .read_to_end(&mut b)
            .map_err(|e| InputError::new("io", format!("cannot read stdin: {e}")))?;
        Ok(b)
    } else {
        std::fs::read(path).map_err(|e| InputError::new("io", format!("cannot read `{path}`: {e}")))
    }
}

fn read_text(path: &str) -> Result<String> {
    input::utf8(&read_source(path)?, path)
}

fn parse_enum<T: serde::de::DeserializeOwned>(flag: &str, v: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(v.to_string())).map_err(|_| {
        InputError::new(
            "usage",
            format!("--{flag}: `{v}` is not one of the accepted values (see --help)"),
        )
    })
}

/// Overlay `--opt KEY=VALUE` pairs on an options struct, taking only its own keys.
fn overlay_opts<T: serde::Serialize + serde::de::DeserializeOwned + Default + Clone>(
    pairs: &[(String, serde_json::Value)],
) -> Result<T> {
    let base = T::default();
    let known = serde_json::to_value(&base).expect("options serialise");
    let mut m = serde_json::Map::new();
    for (k, v) in pairs {
        if known.get(k).is_some() {
            m.insert(k.clone(), v.clone());
        }
    }
    sigdiff::sign::overlay(&base, Some(&serde_json::Value::Object(m)))
}

struct SchemeOptions {
    v1: V1Options,
    v4: sigdiff::oss::v4::V4Options,
    cos: sigdiff::cos::CosOptions,
}

fn scheme_options(a: &V1Args) -> Result<SchemeOptions> {
    let mut pairs = Vec::new();
    for o in &a.opts {
        let (k, v) = o
            .split_once('=')
            .ok_or_else(|| InputError::new("usage", format!("--opt `{o}`: expected KEY=VALUE")))?;
        let v = serde_json::from_str::<serde_json::Value>(v)
            .ok()
            .filter(|x| x.is_boolean() || x.is_number())
            .unwrap_or(serde_json::Value::String(v.to_string()));
        pairs.push((k.to_string(), v));
    }
    let known = [
        serde_json::to_value(V1Options::default()).expect("ser"),
        serde_json::to_value(sigdiff::oss::v4::V4Options::default()).expect("ser"),
        serde_json::to_value(sigdiff::cos::CosOptions::default()).expect("ser"),
    ];
    for (k, _) in &pairs {
        if !known.iter().any(|o| o.get(k).is_some()) {
            return Err(InputError::new(
                "usage",
                format!("--opt: unknown option `{k}`"),
            ));
        }
    }
    let mut v1: V1Options = overlay_opts(&pairs)?;
    apply_v1_flags(a, &mut v1)?;
    Ok(SchemeOptions {
        v1,
        v4: overlay_opts(&pairs)?,
        cos: overlay_opts(&pairs)?,
    })
}

fn apply_v1_flags(a: &V1Args, o: &mut V1Options) -> Result<()> {
    if let Some(v) = &a.subresources {
        o.subresources = parse_enum("subresources", v)?;
    }
    if let Some(v) = &a.header_values {
        o.header_values = parse_enum("header-values", v)?;
    }
    if let Some(v) = &a.duplicates {
        o.duplicates = parse_enum("duplicates", v)?;
    }
    if let Some(v) = &a.empty_values {
        o.empty_values = parse_enum("empty-values", v)?;
    }
    if let Some(v) = &a.date_source {
        o.date_source = parse_enum("date-source", v)?;
    }
    Ok(())
}

fn parse_headers(hs: &[String]) -> Result<Vec<(String, String)>> {
    hs.iter()
        .map(|h| {
            h.split_once(':')
                .map(|(k, v)| (k.trim().to_string(), v.trim_start().to_string()))
                .ok_or_else(|| {
                    InputError::new(
                        "usage",
                        format!(
                            "-H `{}`: a header is `Name: value`",
                            sigdiff::encode::truncate(h, 40)
                        ),
                    )
                })
        })
        .collect()
}

/// The inputs named on the command line, labelled. `pre_read`: the bytes of
/// `--request` when the caller already read them (stdin can be read only once).
fn inputs(a: &RequestArgs, pre_read: Option<Vec<u8>>) -> Result<Vec<(String, Input)>> {
    if let Some(path) = &a.request {
        let bytes = match pre_read {
            Some(b) => b,
            None => read_source(path)?,
        };
        return input::parse(&bytes, if path == "-" { "stdin" } else { path }, a.entry);
    }
    let url = a.url.as_deref().ok_or_else(|| {
        InputError::new(
            "usage",
            "give a URL (with -X/-H), --request FILE, or --jsonl FILE",
        )
    })?;
    let r = Request::from_url(
        a.method.as_deref().unwrap_or("GET"),
        url,
        parse_headers(&a.headers)?,
    )?;
    Ok(vec![("request".to_string(), Input::Request(r))])
}

fn out_line(out: &mut impl Write, s: &str) -> Result<()> {
    out_result(writeln!(out, "{s}"))
}

/// Write bytes as they are (a line that already ends in `\n`).
fn out_bytes(out: &mut impl Write, b: &[u8]) -> Result<()> {
    out_result(out.write_all(b))
}

fn out_result(r: std::io::Result<()>) -> Result<()> {
    match r {
        Ok(()) => Ok(()),
        // A closed pipe (`| head`) ends the output quietly.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(InputError::new("io", format!("cannot write output: {e}"))),
    }
}

fn error_json(id: Option<&serde_json::Value>, e: &InputError) -> String {
    let mut m = serde_json::Map::new();
    if let Some(id) = id {
        m.insert("id".into(), id.clone());
    }
    m.insert(
        "error".into(),
        serde_json::json!({"code": e.code(), "message": e.to_string()}),
    );
    serde_json::Value::Object(m).to_string()
}

fn scheme_arg(a: &RequestArgs) -> Result<Option<SchemeId>> {
    a.scheme.as_deref().map(str::parse).transpose()
}

// ---------------------------------------------------------------- sign

fn cmd_sign(a: SignArgs, ctx: &Ctx) -> Result<u8> {
    let scheme = scheme_arg(&a.request)?;
    let provider = scheme.map(|s| s.provider()).unwrap_or(Provider::Oss);
    let so = scheme_options(&a.v1)?;
    let opts = SignOptions {
        now: match &a.time {
            Some(t) => sigdiff::time::parse_time_arg(t)?,
            None => now(),
        },
        scheme,
        oss_v1: so.v1,
        oss_v4: so.v4,
        cos: so.cos,
        bucket: a.request.bucket.clone(),
    };
    // Credentials from flags / environment fill what a spec leaves out.
    let (_, id_env, tok_env) = cli::secrets::env_names(provider);
    let access_key_id = a
        .access_key_id
        .clone()
        .or_else(|| cli::secrets::first_env(id_env));
    let token = a
        .security_token
        .clone()
        .or_else(|| cli::secrets::first_env(tok_env));
    let secrets = cli::secrets::load(&a.secrets, provider, access_key_id.as_deref())?;
    let fill = |spec: &mut RequestSpec| {
        let c = spec.credentials.get_or_insert_with(Default::default);
        if c.access_key_id.is_none() {
            c.access_key_id = access_key_id
                .clone()
                .or_else(|| secrets.first().and_then(|(id, _)| id.clone()));
        }
        if c.access_key_secret.is_none() {
            c.access_key_secret = secrets.first().map(|(_, s)| s.expose().to_string());
        }
        if c.security_token.is_none() {
            c.security_token = token.clone();
        }
        if spec.expires.is_none() {
            spec.expires = a.expires;
        }
        if spec.region.is_none() {
            spec.region = a.region.clone();
        }
        if spec.product.is_none() {
            spec.product = a.product.clone();
        }
        if spec.additional_headers.is_none() {
            spec.additional_headers = a.additional_headers.clone();
        }
        if spec.key_time.is_none() {
            spec.key_time = a.key_time.clone();
        }
        if spec.sign_time.is_none() {
            spec.sign_time = a.sign_time.clone();
        }
        if spec.signed_headers.is_none() {
            spec.signed_headers = a.sign_headers.clone();
        }
    };
    if a.protocol {
        return cli::fuzz::serve_protocol(&opts);
    }
    if let Some(path) = &a.request.jsonl {
        return sign_jsonl(path, &opts, &fill);
    }
    let mut specs = Vec::new();
    for (label, inp) in inputs(&a.request, None)? {
        let spec = match inp {
            Input::Spec(s) => *s,
            Input::Request(r) => RequestSpec {
                method: Some(r.method.clone()),
                url: Some(r.url()),
                headers: r
                    .headers
                    .iter()
                    .filter(|(k, _)| !k.eq_ignore_ascii_case("authorization"))
                    .cloned()
                    .collect(),
                ..Default::default()
            },
        };
        specs.push((label, spec));
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for (_, mut spec) in specs {
        fill(&mut spec);
        let r = sign_spec(&spec, &opts)?;
        if a.json {
            out_line(&mut out, &serde_json::to_string(&r).expect("serialisable"))?;
        } else {
            out_line(&mut out, render::sign(&r, ctx.style).trim_end())?;
        }
    }
    Ok(0)
}

fn sign_jsonl(path: &str, opts: &SignOptions, fill: &dyn Fn(&mut RequestSpec)) -> Result<u8> {
    let reader: Box<dyn BufRead> = if path == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        Box::new(std::io::BufReader::new(std::fs::File::open(path).map_err(
            |e| InputError::new("io", format!("cannot read `{path}`: {e}")),
        )?))
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut failed = false;
    let mut buf = Vec::new();
    let mut line_out: Vec<u8> = Vec::with_capacity(4096);
    let mut reader = reader;
    let mut line_no = 0usize;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| InputError::new("io", format!("cannot read `{path}`: {e}")))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let line = match std::str::from_utf8(&buf) {
            Ok(s) => s.trim(),
            Err(_) => {
                failed = true;
                let e = InputError::new("invalid-utf8", "the line is not UTF-8")
                    .at(format!("line {line_no}"));
                out_line(&mut out, &error_json(None, &e))?;
                continue;
            }
        };
        if line.is_empty() {
            continue;
        }
        let res = RequestSpec::from_json(line).and_then(|mut s| {
            fill(&mut s);
            sign_spec(&s, opts)
        });
        match res {
            Ok(r) => {
                // Serialise into a reused line buffer, then one write.
                line_out.clear();
                r.write_json(&mut line_out);
                line_out.push(b'\n');
                out_bytes(&mut out, &line_out)?;
            }
            Err(e) => {
                failed = true;
                let id = serde_json::from_str::<serde_json::Value>(line)
                    .ok()
                    .and_then(|v| v.get("id").cloned());
                out_line(
                    &mut out,
                    &error_json(id.as_ref(), &e.at(format!("line {line_no}"))),
                )?;
            }
        }
    }
    out.flush()
        .map_err(|e| InputError::new("io", format!("cannot write output: {e}")))?;
    Ok(if failed { 2 } else { 0 })
}

// ---------------------------------------------------------------- verify

/// A request to verify and, when it came from a spec, the spec.
type Item = (Request, Option<RequestSpec>);

fn cmd_verify(a: VerifyArgs, ctx: &Ctx) -> Result<u8> {
    let scheme = scheme_arg(&a.request)?;
    let server_error = match &a.server_error {
        Some(p) => Some(sigdiff::server_error::parse(&read_text(p)?).map_err(|e| e.at(p.clone()))?),
        None => None,
    };
    let client_string = match &a.string_to_sign {
        Some(p) => Some(read_text(p)?),
        None => None,
    };
    let so = scheme_options(&a.v1)?;
    let base = VerifyOptions {
        now: match &a.now {
            Some(t) => sigdiff::time::parse_time_arg(t)?,
            None => now(),
        },
        bucket: a.request.bucket.clone(),
        scheme,
        oss_v1: so.v1,
        oss_v4: so.v4,
        cos: so.cos,
        server_error,
        client_string,
        secrets: Vec::new(),
        diagnose: !a.no_diagnose,
    };
    // A form upload (multipart body, HAR entry with a policy, spec with `form`) has
    // its own verify (the signature is in the body, not the request head).
    let mut pre_read = None;
    if let (Some(path), None) = (&a.request.request, &a.request.jsonl) {
        let bytes = read_source(path)?;
        let name = if path == "-" { "stdin" } else { path.as_str() };
        if let Some(ups) = sigdiff::post::capture::read(&bytes, name, a.request.entry) {
            return verify_uploads(ups?, &a, &base, ctx);
        }
        pre_read = Some(bytes);
    }
    let items: Vec<(String, Result<Item>)> = if let Some(path) = &a.request.jsonl {
        let text = read_text(path)?;
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                let label = format!("line {}", i + 1);
                let r = RequestSpec::from_json(l).and_then(|s| {
                    let p = s
                        .scheme_id()?
                        .or(scheme)
                        .map(|x| x.provider())
                        .unwrap_or(Provider::Oss);
                    let (req, _) = s.to_request(p)?;
                    Ok((req, Some(s)))
                });
                (label, r.map_err(|e| e.at(format!("line {}", i + 1))))
            })
            .collect()
    } else {
        inputs(&a.request, pre_read)?
            .into_iter()
            .map(|(label, inp)| {
                let r = match inp {
                    Input::Request(r) => Ok((r, None)),
                    Input::Spec(s) => {
                        let p = s
                            .scheme_id()
                            .ok()
                            .flatten()
                            .or(scheme)
                            .map(|x| x.provider())
                            .unwrap_or(Provider::Oss);
                        s.to_request(p).map(|(r, _)| (r, Some(*s)))
                    }
                };
                (label, r)
            })
            .collect()
    };
    let many = items.len() > 1 || a.request.jsonl.is_some();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut worst = 0u8;
    for (label, item) in items {
        let res = item.and_then(|(req, spec)| {
            let mut o = base.clone();
            let det = o
                .scheme
                .map(Ok)
                .unwrap_or_else(|| sigdiff::scheme::detect(&req))?;
            let ak = sigdiff::verify::prepare(&req, &o)
                .ok()
                .map(|p| p.access_key_id);
            o.secrets = match spec
                .as_ref()
                .and_then(|s| s.credentials.as_ref())
                .and_then(|c| c.access_key_secret.clone())
            {
                Some(s) => vec![sigdiff::Secret::new(s)],
                None => cli::secrets::load(&a.secrets, det.provider(), ak.as_deref())?
                    .into_iter()
                    .map(|(_, s)| s)
                    .collect(),
            };
            if let Some(b) = spec.as_ref().and_then(|s| s.bucket.clone()) {
                o.bucket.get_or_insert(b);
            }
            verify(&req, &o)
        });
        match res {
            Ok(rep) => {
                worst = worst.max(rep.exit_code() as u8);
                if a.json {
                    let mut v = serde_json::to_value(&rep).expect("serialisable");
                    if many {
                        v["input"] = serde_json::Value::String(label.clone());
                    }
                    localise(&mut v, ctx.lang);
                    out_line(&mut out, &v.to_string())?;
                } else {
                    out_line(
                        &mut out,
                        render::verify(many.then_some(label.as_str()), &rep, ctx.lang, ctx.style)
                            .trim_end(),
                    )?;
                    if many {
                        out_line(&mut out, "")?;
                    }
                }
            }
            Err(e) if many => {
                worst = 2;
                batch_error(&mut out, a.json, e.at(label))?;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(worst)
}

/// Verify captured form uploads (oss-post, oss-post-v4, cos-post).
fn verify_uploads(
    ups: Vec<(String, sigdiff::post::Upload)>,
    a: &VerifyArgs,
    base: &VerifyOptions,
    ctx: &Ctx,
) -> Result<u8> {
    let many = ups.len() > 1;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut worst = 0u8;
    for (label, up) in ups {
        let res = (|| {
            let scheme = match base.scheme {
                Some(s) if sigdiff::post::is_post(s) => s,
                _ => sigdiff::post::detect(&up.form)?,
            };
            let ak = sigdiff::post::access_key_id(&up.form, scheme);
            let mut o = base.clone();
            o.secrets = match &up.secret {
                Some(s) => vec![s.clone()],
                None => cli::secrets::load(&a.secrets, scheme.provider(), ak.as_deref())?
                    .into_iter()
                    .map(|(_, s)| s)
                    .collect(),
            };
            sigdiff::post::verify_upload(&up, &o)
        })();
        match res {
            Ok(rep) => {
                worst = worst.max(rep.exit_code() as u8);
                if a.json {
                    let mut v = serde_json::to_value(&rep).expect("serialisable");
                    if many {
                        v["input"] = serde_json::Value::String(label.clone());
                    }
                    localise(&mut v, ctx.lang);
                    out_line(&mut out, &v.to_string())?;
                } else {
                    out_line(
                        &mut out,
                        cli::post::report(
                            many.then_some(label.as_str()),
                            &rep,
                            ctx.lang,
                            ctx.style,
                        )
                        .trim_end(),
                    )?;
                    if many {
                        out_line(&mut out, "")?;
                    }
                }
            }
            Err(e) if many => {
                worst = 2;
                batch_error(&mut out, a.json, e.at(label))?;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(worst)
}

/// One input of a batch failed: an error object on its line (`--json`) or a
/// message on stderr; the batch goes on.
fn batch_error(out: &mut impl Write, json: bool, e: InputError) -> Result<()> {
    if json {
        out_line(out, &error_json(None, &e))
    } else {
        eprintln!("sigdiff: error: {e}");
        Ok(())
    }
}

/// JSON findings carry `message` in the chosen language only.
fn localise(v: &mut serde_json::Value, lang: Lang) {
    if let Some(fs) = v.get_mut("findings").and_then(|f| f.as_array_mut()) {
        for f in fs {
            if let Some(o) = f.as_object_mut() {
                let zh = o.remove("message_zh");
                if lang == Lang::Zh {
                    if let Some(zh) = zh {
                        o.insert("message".into(), zh);
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------- diff

fn cmd_diff(a: DiffArgs, ctx: &Ctx) -> Result<u8> {
    if a.a == "-" && a.b == "-" {
        return Err(InputError::new(
            "usage",
            "only one of the two texts can be stdin (`-`)",
        ));
    }
    let (ta, tb) = (read_text(&a.a)?, read_text(&a.b)?);
    let d = sigdiff::diff::diff_pasted(&ta, &tb).map_err(|e| e.at(format!("{} / {}", a.a, a.b)))?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if a.json {
        out_line(&mut out, &serde_json::to_string(&d).expect("serialisable"))?;
    } else {
        out_line(&mut out, render::text_diff(&d, ctx.style).trim_end())?;
    }
    Ok(if d.same { 0 } else { 1 })
}

// ---------------------------------------------------------------- explain

fn cmd_explain(a: ExplainArgs, ctx: &Ctx) -> Result<u8> {
    use sigdiff::explain::{self, input::read as read_error};
    let provider: Option<Provider> = a
        .provider
        .as_deref()
        .map(|p| parse_enum("provider", p))
        .transpose()?;
    let err = if a.error == "-" {
        read_error(&read_text("-")?, "stdin", true)?
    } else if std::path::Path::new(&a.error).is_file() || explain::input::is_path_like(&a.error) {
        read_error(&read_text(&a.error)?, &a.error, false)?
    } else {
        read_error(&a.error, "the ERROR argument", true)?
    };
    let mut opts = explain::ExplainOptions::from_input(&err);
    opts.provider = provider;
    let req = match a.request.as_deref() {
        None => None,
        Some(u) if u.starts_with("http://") || u.starts_with("https://") => {
            Some(Request::from_url("GET", u, Vec::new()).map_err(|e| e.at("REQUEST"))?)
        }
        Some(path) => {
            let name = if path == "-" { "stdin" } else { path };
            let p = explain::detect_provider(&err.error, None, &opts).unwrap_or(Provider::Oss);
            let inputs = input::parse(&read_source(path)?, name, a.entry)?;
            Some(explain::input::one_request(inputs, name, p)?)
        }
    };
    let now = match &a.now {
        Some(t) => sigdiff::time::parse_time_arg(t)?,
        None => now(),
    };
    let x = explain::explain_with(&err.error, req.as_ref(), now, &opts);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if a.json {
        out_line(&mut out, &x.to_json(ctx.lang))?;
    } else {
        out_line(&mut out, x.to_text(ctx.lang).trim_end())?;
    }
    Ok(x.exit_code())
}
