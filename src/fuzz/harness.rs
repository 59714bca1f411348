//! The harness (DESIGN "Fuzz protocol"; peers-and-pitfalls.md §C.3): start the
//! signer once, handshake, send requests pipelined with a bounded in-flight
//! window and a per-request timeout; detect crashes, hangs and protocol errors
//! (exit 3, with the tail of the signer's stderr) and non-determinism (a sample
//! of requests is sent again later: two answers is a finding).

use super::cases::{mix, Cases};
use super::compare::{agrees_fast, compare, Outcome};
use super::producer::Producer;
use super::protocol::{write_sign, write_sign_body, Hello, Reply, ReplyRef, HELLO, PROTOCOL};
use super::report::{
    FailureKind, FuzzReport, MismatchReport, NonDeterminism, Refusal, SchemeStats, SignerFailure,
};
use crate::error::{InputError, Result};
use crate::input::spec::RequestSpec;
use crate::scheme::SchemeId;
use crate::sign::{sign_spec, SignOptions, SignedAnswer};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Most bytes of one answer line.
const MAX_LINE: u64 = 8 << 20;
/// Bytes of the signer's stderr kept for a failure report.
const STDERR_TAIL: usize = 4096;

/// What `sigdiff fuzz` is asked to do.
#[derive(Debug, Clone)]
pub struct FuzzOptions {
    /// The signer's command line (split like a shell would, no shell involved).
    pub signer: String,
    /// Schemes to test (default: every scheme the signer announces that sigdiff checks).
    pub schemes: Option<Vec<SchemeId>>,
    /// Seed: the same seed gives the same cases.
    pub seed: u64,
    /// Cases in the whole run (all shards together).
    pub cases: u64,
    /// Stop starting new cases after this long.
    pub time_budget: Option<Duration>,
    /// `(i, n)`: this run takes the cases k with k mod n = i.
    pub shard: (u64, u64),
    /// Requests in flight at most.
    pub window: usize,
    /// How long the signer may take to answer one request.
    pub timeout: Duration,
    /// One case in this many is sent again later to check determinism (0 = never).
    pub recheck_every: u64,
    /// Candidates tried at most while shrinking one mismatch.
    pub max_shrink_steps: u32,
    /// Distinct kinds of mismatch shrunk and reported in full.
    pub max_reports: usize,
    /// Draw a progress line on stderr.
    pub progress: bool,
}

impl Default for FuzzOptions {
    fn default() -> Self {
        FuzzOptions {
            signer: String::new(),
            schemes: None,
            seed: 0,
            cases: 10_000,
            time_budget: None,
            shard: (0, 1),
            window: 256,
            timeout: Duration::from_secs(10),
            recheck_every: 64,
            max_shrink_steps: 1000,
            max_reports: 8,
            progress: false,
        }
    }
}

enum Event {
    /// Every complete line one read delivered (batched: one wake-up per read, not per line).
    Lines(Vec<String>),
    Eof,
    Failed(String),
}

/// A running signer: a writer thread feeds its stdin, a reader thread its
/// stdout lines, a third keeps the tail of its stderr.
pub struct SignerProcess {
    child: Child,
    to_signer: Option<Sender<Vec<u8>>>,
    from_signer: Receiver<Event>,
    ready: VecDeque<String>,
    stderr: Arc<Mutex<VecDeque<u8>>>,
    threads: Vec<std::thread::JoinHandle<()>>,
    next_id: u64,
}

impl SignerProcess {
    /// Start `command` (split with shell-words; no shell runs it).
    pub fn spawn(command: &str) -> Result<SignerProcess> {
        let argv = shell_words::split(command).map_err(|e| {
            InputError::new(
                "usage",
                format!("--signer: cannot split the command line: {e}"),
            )
        })?;
        let Some((prog, args)) = argv.split_first() else {
            return Err(InputError::new(
                "usage",
                "--signer: the command line is empty",
            ));
        };
        let mut child = Command::new(prog)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                InputError::new("usage", format!("--signer: cannot start `{prog}`: {e}"))
            })?;
        let stdin = child.stdin.take().expect("piped");
        let stdout = child.stdout.take().expect("piped");
        let mut stderr = child.stderr.take().expect("piped");
        let (to_signer, inbox) = mpsc::channel::<Vec<u8>>();
        let (outbox, from_signer) = mpsc::channel::<Event>();
        let tail = Arc::new(Mutex::new(VecDeque::with_capacity(STDERR_TAIL)));
        let mut threads = Vec::new();
        threads.push(std::thread::spawn(move || {
            let mut w = std::io::BufWriter::with_capacity(1 << 16, stdin);
            while let Ok(batch) = inbox.recv() {
                if w.write_all(&batch).is_err() {
                    return;
                }
                while let Ok(more) = inbox.try_recv() {
                    if w.write_all(&more).is_err() {
                        return;
                    }
                }
                if w.flush().is_err() {
                    return;
                }
            }
        }));
        threads.push(std::thread::spawn(move || {
            let mut r = BufReader::with_capacity(1 << 16, stdout);
            let mut partial: Vec<u8> = Vec::new();
            loop {
                let chunk = match r.fill_buf() {
                    Ok(c) => c,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        let _ = outbox.send(Event::Failed(format!("cannot read its stdout: {e}")));
                        return;
                    }
                };
                if chunk.is_empty() {
                    let _ = outbox.send(Event::Eof);
                    return;
                }
                let n = chunk.len();
                let mut lines = Vec::new();
                let mut rest = chunk;
                while let Some(i) = rest.iter().position(|b| *b == b'\n') {
                    partial.extend_from_slice(&rest[..=i]);
                    rest = &rest[i + 1..];
                    match String::from_utf8(std::mem::take(&mut partial)) {
                        Ok(s) => lines.push(s),
                        Err(_) => {
                            let _ = outbox.send(Event::Lines(lines));
                            let _ = outbox
                                .send(Event::Failed("an answer line that is not UTF-8".into()));
                            return;
                        }
                    }
                }
                partial.extend_from_slice(rest);
                r.consume(n);
                if partial.len() as u64 > MAX_LINE {
                    let _ = outbox.send(Event::Lines(lines));
                    let _ = outbox.send(Event::Failed(format!(
                        "an answer line longer than {MAX_LINE} bytes"
                    )));
                    return;
                }
                if !lines.is_empty() && outbox.send(Event::Lines(lines)).is_err() {
                    return;
                }
            }
        }));
        let t2 = Arc::clone(&tail);
        threads.push(std::thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut chunk) {
                if n == 0 {
                    return;
                }
                let mut t = t2.lock().unwrap_or_else(|p| p.into_inner());
                t.extend(&chunk[..n]);
                let excess = t.len().saturating_sub(STDERR_TAIL);
                t.drain(..excess);
            }
        }));
        Ok(SignerProcess {
            child,
            to_signer: Some(to_signer),
            from_signer,
            ready: VecDeque::new(),
            stderr: tail,
            threads,
            next_id: 1,
        })
    }

    /// A fresh request id.
    pub fn next_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// Queue bytes (whole lines) for the signer's stdin.
    pub fn send(&mut self, bytes: Vec<u8>) -> std::result::Result<(), SignerFailure> {
        let ok = self
            .to_signer
            .as_ref()
            .is_some_and(|t| t.send(bytes).is_ok());
        if ok {
            Ok(())
        } else {
            Err(self.dead("stopped reading its stdin", None))
        }
    }

    /// The next answer line, waiting until `deadline`.
    pub fn recv(
        &mut self,
        deadline: Instant,
        case: Option<u64>,
    ) -> std::result::Result<String, SignerFailure> {
        loop {
            if let Some(l) = self.ready.pop_front() {
                return Ok(l);
            }
            let wait = deadline.saturating_duration_since(Instant::now());
            match self.from_signer.recv_timeout(wait) {
                Ok(Event::Lines(ls)) => self.ready.extend(ls),
                other => return self.recv_end(other, case),
            }
        }
    }

    fn recv_end(
        &mut self,
        ev: std::result::Result<Event, RecvTimeoutError>,
        case: Option<u64>,
    ) -> std::result::Result<String, SignerFailure> {
        match ev {
            // `recv` consumes batches; kept total without a panic path.
            Ok(Event::Lines(_)) => Err(self.failure(
                FailureKind::Protocol,
                "sent an unexpected batch".into(),
                case,
            )),
            Ok(Event::Failed(what)) => Err(self.failure(FailureKind::Protocol, what, case)),
            Ok(Event::Eof) | Err(RecvTimeoutError::Disconnected) => {
                Err(self.dead("closed its stdout", case))
            }
            Err(RecvTimeoutError::Timeout) => {
                let _ = self.child.kill();
                Err(self.failure(
                    FailureKind::Hang,
                    "did not answer in time; it was stopped".to_string(),
                    case,
                ))
            }
        }
    }

    /// Sign one spec in lockstep (handshake done): its answer, parsed.
    pub fn exchange(
        &mut self,
        spec: &RequestSpec,
        timeout: Duration,
    ) -> std::result::Result<Reply, SignerFailure> {
        let id = self.next_id();
        let mut buf = Vec::with_capacity(1024);
        write_sign(&mut buf, id, spec);
        buf.push(b'\n');
        self.send(buf)?;
        let line = self.recv(Instant::now() + timeout, None)?;
        self.parse_reply(&line, id, None)
    }

    /// Parse an answer line and check that it answers request `id`.
    pub fn parse_reply(
        &mut self,
        line: &str,
        id: u64,
        case: Option<u64>,
    ) -> std::result::Result<Reply, SignerFailure> {
        let reply: Reply = serde_json::from_str(line).map_err(|e| {
            self.failure(
                FailureKind::Protocol,
                format!(
                    "answered with a line that is not a reply ({e}): `{}`",
                    crate::encode::truncate(line.trim_end(), 120)
                ),
                case,
            )
        })?;
        let want = serde_json::Value::from(id);
        if reply.id.as_ref() != Some(&want) {
            let got = reply
                .id
                .as_ref()
                .map(|v| v.to_string())
                .unwrap_or_else(|| "no id".into());
            return Err(self.failure(
                FailureKind::Protocol,
                format!(
                    "answered id {got} where id {id} was next (one answer per request, in order)"
                ),
                case,
            ));
        }
        Ok(reply)
    }

    /// The greeting: `hello` in, `hello` with the schemes out.
    pub fn handshake(&mut self, timeout: Duration) -> std::result::Result<Hello, SignerFailure> {
        self.send(format!("{HELLO}\n").into_bytes())?;
        let line = self.recv(Instant::now() + timeout, None).map_err(|mut f| {
            f.kind = FailureKind::Handshake;
            f
        })?;
        match serde_json::from_str::<Hello>(&line) {
            Ok(h) if h.kind == "hello" && h.protocol == PROTOCOL => Ok(h),
            Ok(h) if h.kind == "hello" => Err(self.failure(
                FailureKind::Handshake,
                format!("speaks protocol {}; sigdiff speaks {PROTOCOL}", h.protocol),
                None,
            )),
            _ => Err(self.failure(
                FailureKind::Handshake,
                format!(
                    "answered the hello with `{}`; expected {{\"type\":\"hello\",\"protocol\":1,\"schemes\":[...]}}",
                    crate::encode::truncate(line.trim_end(), 120)
                ),
                None,
            )),
        }
    }

    /// The tail of what the signer wrote on stderr.
    pub fn stderr_tail(&self) -> String {
        let t = self.stderr.lock().unwrap_or_else(|p| p.into_inner());
        let bytes: Vec<u8> = t.iter().copied().collect();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// A failure with the stderr tail.
    pub fn failure(&mut self, kind: FailureKind, what: String, case: Option<u64>) -> SignerFailure {
        // Give the stderr thread a moment to collect the last words.
        std::thread::sleep(Duration::from_millis(20));
        SignerFailure {
            kind,
            message: format!("the signer {what}"),
            stderr_tail: self.stderr_tail(),
            case,
        }
    }

    /// The signer went away: say how it exited.
    fn dead(&mut self, what: &str, case: Option<u64>) -> SignerFailure {
        let mut status = None;
        for _ in 0..50 {
            if let Ok(Some(s)) = self.child.try_wait() {
                status = Some(s);
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let how = match status {
            Some(s) => format!("{what} and exited ({s})"),
            None => format!("{what} but is still running"),
        };
        self.failure(FailureKind::Crash, how, case)
    }

    /// Close stdin, let the signer exit (stop it after a grace period).
    pub fn finish(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.to_signer = None;
        let t0 = Instant::now();
        while t0.elapsed() < Duration::from_secs(2) {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        if !matches!(self.child.try_wait(), Ok(Some(_))) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Drop for SignerProcess {
    fn drop(&mut self) {
        if !self.threads.is_empty() {
            self.shutdown();
        }
    }
}

/// One request in flight.
struct Pending {
    id: u64,
    sent: Instant,
    k: u64,
    scheme: SchemeId,
    spec: RequestSpec,
    /// `None` for a determinism re-check (then `first` is the earlier answer).
    ours: Option<SignedAnswer>,
    first: Option<Reply>,
}

/// The schemes to test: those asked for (each must be announced), else every
/// announced scheme sigdiff can check.
pub fn select_schemes(hello: &Hello, asked: Option<&[SchemeId]>) -> Result<Vec<SchemeId>> {
    let announced: Vec<SchemeId> = hello
        .schemes
        .iter()
        .filter_map(|s| s.parse::<SchemeId>().ok())
        .filter(|s| s.is_supported())
        .collect();
    match asked {
        None => Ok(announced),
        Some(want) => {
            for s in want {
                if !announced.contains(s) {
                    return Err(InputError::new(
                        "usage",
                        format!(
                            "--scheme {s}: the signer announces only {}",
                            if hello.schemes.is_empty() {
                                "no scheme".to_string()
                            } else {
                                hello.schemes.join(", ")
                            }
                        ),
                    ));
                }
            }
            Ok(want.to_vec())
        }
    }
}

/// Run a fuzz session. `Err` is a usage problem (exit 2); what the signer did,
/// failures included, is in the report.
pub fn run(opts: &FuzzOptions) -> Result<FuzzReport> {
    let t0 = Instant::now();
    let mut report = FuzzReport {
        signer: opts.signer.clone(),
        seed: opts.seed,
        shard: opts.shard,
        ..Default::default()
    };
    let mut signer = SignerProcess::spawn(&opts.signer)?;
    let hello = match signer.handshake(opts.timeout.max(Duration::from_secs(10))) {
        Ok(h) => h,
        Err(f) => {
            report.failure = Some(f);
            report.elapsed_secs = t0.elapsed().as_secs_f64();
            return Ok(report);
        }
    };
    report.announced = hello.schemes.clone();
    let schemes = select_schemes(&hello, opts.schemes.as_deref())?;
    if schemes.is_empty() {
        report.failure = Some(signer.failure(
            FailureKind::Handshake,
            format!(
                "announces no scheme sigdiff can check (it announced: {})",
                if hello.schemes.is_empty() {
                    "none".to_string()
                } else {
                    hello.schemes.join(", ")
                }
            ),
            None,
        ));
        report.elapsed_secs = t0.elapsed().as_secs_f64();
        return Ok(report);
    }
    report.schemes = schemes.clone();
    report.per_scheme = schemes.iter().map(|s| SchemeStats::new(*s)).collect();
    let cases = Cases::new(opts.seed, &schemes);
    let (shard, shards) = opts.shard;
    let total = if opts.cases > shard {
        (opts.cases - shard).div_ceil(shards)
    } else {
        0
    };
    let window = opts.window.max(1);

    // Drawing and signing cases is most of the work: worker threads do it ahead.
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 8);
    let mut producer = Producer::start(opts.seed, &schemes, opts.shard, opts.cases, workers);
    let mut stopped_by_budget = false;
    let mut inflight: VecDeque<Pending> = VecDeque::with_capacity(window);
    let mut recheck: VecDeque<(u64, SchemeId, RequestSpec, Reply)> = VecDeque::new();
    let mut batch = Vec::with_capacity(window * 1024);
    let mut done = 0u64;
    let mut last_draw = Instant::now();
    loop {
        // Fill the window: re-checks first, then new cases.
        let budget_left = opts.time_budget.is_none_or(|b| t0.elapsed() < b);
        // Refill in batches once half the window is answered: one write (and one
        // wake-up of the signer) per batch, not per case.
        let refill = inflight.len() <= window / 2;
        while refill && inflight.len() < window {
            let id;
            let p = if let Some((k, scheme, spec, first)) = recheck.pop_front() {
                id = signer.next_id();
                write_sign(&mut batch, id, &spec);
                Pending {
                    id,
                    sent: Instant::now(),
                    k,
                    scheme,
                    spec,
                    ours: None,
                    first: Some(first),
                }
            } else if !budget_left {
                stopped_by_budget = !producer.is_done();
                break;
            } else if let Some(c) = producer.next_case() {
                let Some(ours) = c.ours else {
                    report.skipped += 1;
                    continue;
                };
                id = signer.next_id();
                write_sign_body(&mut batch, id, &c.body);
                Pending {
                    id,
                    sent: Instant::now(),
                    k: c.k,
                    scheme: c.scheme,
                    spec: c.spec,
                    ours: Some(ours),
                    first: None,
                }
            } else {
                break;
            };
            batch.push(b'\n');
            inflight.push_back(p);
        }
        if !batch.is_empty() {
            let out = std::mem::replace(&mut batch, Vec::with_capacity(window * 1024));
            if let Err(f) = signer.send(out) {
                report.failure = Some(f);
                break;
            }
        }
        let Some(front) = inflight.front() else {
            break;
        };
        let (deadline, k) = (front.sent + opts.timeout, front.k);
        let line = match signer.recv(deadline, Some(k)) {
            Ok(l) => l,
            Err(f) => {
                report.failure = Some(f);
                break;
            }
        };
        let p = inflight.pop_front().expect("front exists");
        let recheck_this =
            opts.recheck_every > 0 && mix(opts.seed ^ 0x5EED ^ p.k) % opts.recheck_every == 0;
        // Fast path: the very bytes sigdiff signed, read from the line without
        // building the full reply (nor sigdiff's full result).
        if let (Some(ours), false) = (&p.ours, recheck_this) {
            if ReplyRef::parse(&line).is_some_and(|r| r.id == Some(p.id) && agrees_fast(ours, &r)) {
                let stats = report
                    .per_scheme
                    .iter_mut()
                    .find(|s| s.scheme == p.scheme)
                    .expect("a selected scheme");
                done += 1;
                stats.cases += 1;
                stats.agreed += 1;
                if opts.progress
                    && done % 1024 == 0
                    && last_draw.elapsed() > Duration::from_millis(100)
                {
                    last_draw = Instant::now();
                    super::report::draw_progress(
                        done,
                        total,
                        report.mismatch_count(),
                        t0.elapsed(),
                    );
                }
                continue;
            }
        }
        let reply = match signer.parse_reply(&line, p.id, Some(p.k)) {
            Ok(r) => r,
            Err(f) => {
                report.failure = Some(f);
                break;
            }
        };
        let stats = report
            .per_scheme
            .iter_mut()
            .find(|s| s.scheme == p.scheme)
            .expect("a selected scheme");
        if let Some(first) = p.first {
            report.rechecked += 1;
            if !first.same_answer(&reply) {
                report.nondeterministic.push(NonDeterminism {
                    case: p.k,
                    scheme: p.scheme,
                    request: p.spec,
                    first,
                    second: reply,
                });
            }
            continue;
        }
        // The full result, for the comparison beyond the very bytes (made as the
        // answer was: sign_answer signed this spec, so sign_spec does too).
        let Ok(ours) = sign_spec(&p.spec, &SignOptions::default()) else {
            report.skipped += 1;
            continue;
        };
        done += 1;
        stats.cases += 1;
        match compare(p.scheme, &p.spec, &ours, &reply) {
            Err(what) => {
                report.failure =
                    Some(signer.failure(FailureKind::Protocol, format!("sent {what}"), Some(p.k)));
                break;
            }
            Ok(Outcome::Agree) => stats.agreed += 1,
            Ok(Outcome::Refused(message)) => {
                stats.refused += 1;
                if report.refusals.len() < 5 {
                    report.refusals.push(Refusal {
                        case: p.k,
                        scheme: p.scheme,
                        message,
                        request: p.spec.clone(),
                    });
                }
            }
            Ok(Outcome::Mismatch(m)) => {
                stats.mismatched += 1;
                let kind = m.kind();
                match report
                    .mismatches
                    .iter_mut()
                    .find(|r| r.kind == kind && r.scheme == p.scheme)
                {
                    Some(r) => r.count += 1,
                    None => {
                        report.mismatches.push(MismatchReport {
                            case: p.k,
                            scheme: p.scheme,
                            kind,
                            count: 1,
                            headline: m.headline(),
                            original: p.spec.clone(),
                            request: p.spec.clone(),
                            shrink_steps: 0,
                            mismatch: *m,
                            vector_dir: None,
                        });
                    }
                }
            }
        }
        if recheck_this {
            recheck.push_back((p.k, p.scheme, p.spec, reply));
        }
        if opts.progress && done % 1024 == 0 && last_draw.elapsed() > Duration::from_millis(100) {
            last_draw = Instant::now();
            super::report::draw_progress(done, total, report.mismatch_count(), t0.elapsed());
        }
    }
    if opts.progress {
        super::report::clear_progress();
    }
    report.cases = done;
    report.budget_exhausted = stopped_by_budget && report.failure.is_none();
    // Shrink the first case of each kind, while the signer is alive.
    if report.failure.is_none() {
        for r in report.mismatches.iter_mut().take(opts.max_reports) {
            match super::shrink::shrink(&mut signer, &cases, r.case, &r.kind, opts) {
                Ok(Some(s)) => {
                    r.request = s.spec;
                    r.shrink_steps = s.steps;
                    r.headline = s.mismatch.headline();
                    r.mismatch = s.mismatch;
                }
                Ok(None) => {}
                Err(f) => {
                    report.failure = Some(f);
                    break;
                }
            }
        }
    }
    signer.finish();
    report.elapsed_secs = t0.elapsed().as_secs_f64();
    Ok(report)
}
