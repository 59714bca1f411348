//! Command-line arguments (clap). Parsing only: no behaviour lives here.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Recompute OSS and COS request signatures and show, field by field, where they differ.
#[derive(Parser, Debug)]
#[command(name = "sigdiff", version, about, long_about = None, disable_help_subcommand = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Language of findings: en or zh (default from LC_ALL / LANG).
    #[arg(long, global = true, value_name = "en|zh")]
    pub lang: Option<String>,
    /// Colour: auto (when a terminal and NO_COLOR is unset), always, never.
    #[arg(long, global = true, default_value = "auto", value_name = "WHEN")]
    pub color: String,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Sign a request: print the Authorization header or signed URL, the headers to send and the string to sign.
    Sign(SignArgs),
    /// Verify a signed request: recompute, compare, and diff the signed string field by field.
    Verify(VerifyArgs),
    /// Compare two strings to sign, canonical requests or FormatStrings field by field (an error body counts as the server's side).
    Diff(DiffArgs),
    /// Explain an OSS/COS error (a body, a response, or just its code or message): cause, solution, and what the request shows.
    Explain(ExplainArgs),
    /// Test vectors: generate a suite from a seed, check a suite, export it as JSON lines, build the curated one.
    Vectors(VectorsArgs),
    /// Fuzz a signer (any language) over the JSON-lines protocol: find, shrink and report where it and sigdiff disagree.
    Fuzz(FuzzArgs),
}

#[derive(Args, Debug)]
pub struct VectorsArgs {
    #[command(subcommand)]
    pub command: VectorsCommand,
}

#[derive(Subcommand, Debug)]
pub enum VectorsCommand {
    /// Write N pitfall-biased cases for a scheme, deterministically from a seed (same seed, same bytes).
    Generate {
        /// Scheme: oss-v1, oss-v1-url, oss-v4, oss-v4-url, cos, cos-url.
        #[arg(long, value_name = "SCHEME")]
        scheme: String,
        /// Number of cases.
        #[arg(long, default_value_t = 50, value_name = "N")]
        count: usize,
        /// Seed (unsigned 64-bit integer).
        #[arg(long, default_value_t = 0, value_name = "X")]
        seed: u64,
        /// Output directory (cases go to DIR/<scheme>/; that directory must not hold cases yet).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Recompute every stage of a suite (ours or yours) and diff each stage file that differs; exit 1 on any difference.
    Check {
        /// The suite, a scheme directory or one case directory.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Bundle a suite as one JSON object per case (spec, every stage file, provenance).
    Export {
        /// JSON lines on stdout (the only format).
        #[arg(long, required = true)]
        jsonl: bool,
        /// The suite (default: vectors).
        #[arg(value_name = "DIR", default_value = "vectors")]
        dir: PathBuf,
    },
    /// Rebuild the curated suite from its case definitions (vectors/cases/<scheme>.jsonl).
    Build {
        /// Directory of <scheme>.jsonl case definitions.
        #[arg(long, default_value = "vectors/cases", value_name = "DIR")]
        cases: PathBuf,
        /// The suite directory to write.
        #[arg(long, default_value = "vectors", value_name = "DIR")]
        out: PathBuf,
    },
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// First text (the server's side): a file, or `-` for stdin; an error body is read for its StringToSign, CanonicalRequest or FormatString.
    pub a: String,
    /// Second text (the client's side): a file, or `-`.
    pub b: String,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Where the request comes from.
#[derive(Args, Debug, Clone)]
pub struct RequestArgs {
    /// URL of the request (curl style, with -X and -H).
    #[arg(value_name = "URL")]
    pub url: Option<String>,
    /// HTTP method (curl's -X).
    #[arg(short = 'X', long = "method", value_name = "METHOD")]
    pub method: Option<String>,
    /// A header `Name: value` (curl's -H); repeatable.
    #[arg(short = 'H', long = "header", value_name = "HEADER")]
    pub headers: Vec<String>,
    /// Read the request from a file (raw HTTP, a curl command, a HAR or a JSON request spec); `-` is stdin.
    #[arg(long = "request", value_name = "FILE", conflicts_with = "url")]
    pub request: Option<String>,
    /// With a HAR file: the entry to use (from 1); default every OSS/COS request.
    #[arg(long, value_name = "N")]
    pub entry: Option<usize>,
    /// Batch: one JSON request spec per line in, one JSON result per line out; `-` is stdin.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["url", "request"])]
    pub jsonl: Option<String>,
    /// Bucket of a custom domain (CNAME), or to override the one in the host.
    #[arg(long, value_name = "BUCKET")]
    pub bucket: Option<String>,
    /// Scheme: oss-v1, oss-v1-url, oss-v4, oss-v4-url, cos, cos-url, oss-post, oss-post-v4, cos-post (verify detects it).
    #[arg(long, value_name = "SCHEME")]
    pub scheme: Option<String>,
}

/// Where secrets come from. Never echoed.
#[derive(Args, Debug, Clone)]
pub struct SecretArgs {
    /// Read the secret from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub secret_env: Option<String>,
    /// Read secrets from a file: one per line, `AccessKeyId:secret` or bare.
    #[arg(long, value_name = "FILE")]
    pub secret_file: Option<PathBuf>,
    /// The secret itself (visible in the process list and shell history: prefer --secret-env).
    #[arg(long, value_name = "SECRET")]
    pub secret: Option<String>,
}

/// OSS V1 behaviours where SDKs differ (defaults: the server's).
#[derive(Args, Debug, Clone)]
pub struct V1Args {
    /// Sub-resource list: union, docs, oss2, go-v1, java-v1, go-v2, python-v2, java-v2.
    #[arg(long, value_name = "LIST")]
    pub subresources: Option<String>,
    /// Header values: trim or raw.
    #[arg(long, value_name = "MODE")]
    pub header_values: Option<String>,
    /// Repeated headers: join, first or last.
    #[arg(long, value_name = "MODE")]
    pub duplicates: Option<String>,
    /// Empty sub-resource values: bare or keep-equals.
    #[arg(long, value_name = "MODE")]
    pub empty_values: Option<String>,
    /// Date line source: x-oss-date-first or date-only.
    #[arg(long, value_name = "MODE")]
    pub date_source: Option<String>,
    /// Any scheme option as KEY=VALUE (repeatable), e.g. `--opt sort=raw-key` for COS.
    #[arg(long = "opt", value_name = "KEY=VALUE")]
    pub opts: Vec<String>,
}

#[derive(Args, Debug)]
pub struct SignArgs {
    #[command(flatten)]
    pub request: RequestArgs,
    #[command(flatten)]
    pub secrets: SecretArgs,
    #[command(flatten)]
    pub v1: V1Args,
    /// AccessKeyId (default: OSS_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_ID, COS_SECRET_ID / TENCENTCLOUD_SECRET_ID).
    #[arg(long, value_name = "ID")]
    pub access_key_id: Option<String>,
    /// STS security token.
    #[arg(long, value_name = "TOKEN")]
    pub security_token: Option<String>,
    /// Signing instant: unix seconds, RFC 3339 or RFC 1123 (default: the clock).
    #[arg(long, value_name = "T")]
    pub time: Option<String>,
    /// Seconds of validity for URL signatures (default 3600).
    #[arg(long, value_name = "N")]
    pub expires: Option<i64>,
    /// OSS V4 region (default: derived from the endpoint).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// OSS V4 product (default `oss`; CloudBox: `oss-cloudbox`).
    #[arg(long, value_name = "PRODUCT")]
    pub product: Option<String>,
    /// OSS V4 additional headers, comma-separated.
    #[arg(long, value_name = "H1,H2", value_delimiter = ',')]
    pub additional_headers: Option<Vec<String>>,
    /// COS key time `start;end` (default `time;time+expires`).
    #[arg(long, value_name = "START;END")]
    pub key_time: Option<String>,
    /// COS sign time (default: the key time).
    #[arg(long, value_name = "START;END")]
    pub sign_time: Option<String>,
    /// COS headers to sign, comma-separated (default: host, content-type, content-length, content-md5, x-cos-*, x-ci-*).
    #[arg(long, value_name = "H1,H2", value_delimiter = ',')]
    pub sign_headers: Option<Vec<String>>,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Serve as a signer over the fuzz protocol on stdin/stdout (DESIGN "Fuzz protocol").
    #[arg(long, conflicts_with_all = ["url", "request", "jsonl"])]
    pub protocol: bool,
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub request: RequestArgs,
    #[command(flatten)]
    pub secrets: SecretArgs,
    #[command(flatten)]
    pub v1: V1Args,
    /// The server's error body (XML or JSON), to diff against its own StringToSign.
    #[arg(long, value_name = "FILE")]
    pub server_error: Option<String>,
    /// The client's string to sign, as copied from its debug log.
    #[arg(long, value_name = "FILE")]
    pub string_to_sign: Option<String>,
    /// Reference time for expiry and skew checks (default: the clock).
    #[arg(long, value_name = "T")]
    pub now: Option<String>,
    /// Do not search the catalogue of known mistakes for the one that reproduces the signature.
    #[arg(long)]
    pub no_diagnose: bool,
    /// Print one JSON object per request.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// The error: a file (XML or JSON body, or an HTTP response with its body), `-` for stdin, or a code or message (`SignatureDoesNotMatch`, "Request has expired").
    #[arg(value_name = "ERROR")]
    pub error: String,
    /// The request that got the error: a file (raw HTTP, curl command, HAR, JSON spec; `-` is stdin) or a URL.
    #[arg(value_name = "REQUEST")]
    pub request: Option<String>,
    /// With a HAR file: the entry to use (from 1).
    #[arg(long, value_name = "N")]
    pub entry: Option<usize>,
    /// The provider when the input does not show it: oss or cos.
    #[arg(long, value_name = "oss|cos")]
    pub provider: Option<String>,
    /// Reference time for skew and expiry when the error gives no server time (default: the clock).
    #[arg(long, value_name = "T")]
    pub now: Option<String>,
    /// Print one JSON object: {provider, code, message, known, cause, solution, findings, ...}.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct FuzzArgs {
    /// The signer's command line (split like a shell would; no shell runs it), e.g. `python3 signer.py`.
    #[arg(long, value_name = "CMD")]
    pub signer: String,
    /// Schemes to test, comma-separated (default: every scheme the signer announces).
    #[arg(long, value_name = "S1,S2", value_delimiter = ',')]
    pub scheme: Option<Vec<String>>,
    /// Seed: the same seed gives the same cases (default 0).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed: u64,
    /// Cases in the whole run, all shards together.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub cases: u64,
    /// Start no new case after this many seconds.
    #[arg(long, value_name = "SECS")]
    pub time_budget: Option<f64>,
    /// Run shard i of n: case k goes to shard k mod n (for a CI matrix).
    #[arg(long, value_name = "i/n", default_value = "0/1")]
    pub shard: String,
    /// Requests in flight at most.
    #[arg(long, value_name = "N", default_value_t = 256)]
    pub window: usize,
    /// Seconds the signer may take to answer one request.
    #[arg(long, value_name = "SECS", default_value_t = 10.0)]
    pub timeout: f64,
    /// Write each minimal mismatch as a vector directory under DIR.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write a JUnit XML report to FILE.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Print JSON lines (each mismatch, then a summary) instead of the human summary.
    #[arg(long)]
    pub json: bool,
    /// No progress line, even on a terminal.
    #[arg(long)]
    pub no_progress: bool,
}
