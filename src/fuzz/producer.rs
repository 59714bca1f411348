//! Cases drawn and signed by sigdiff ahead of the harness, on worker threads
//! handing them over in batches:
//! drawing from the proptest strategies and signing are most of the harness's
//! work per case, and they are independent per case. Cases come out in order
//! (case k of the shard before case k + n), so a run is the same whatever the
//! number of workers.

use super::cases::Cases;
use crate::input::spec::RequestSpec;
use crate::scheme::SchemeId;
use crate::sign::{sign_answer, SignOptions, SignedAnswer};
use std::sync::mpsc::{sync_channel, Receiver};

/// One case ready to send.
pub struct Prepared {
    /// Case number.
    pub k: u64,
    /// Scheme.
    pub scheme: SchemeId,
    /// The request.
    pub spec: RequestSpec,
    /// sigdiff's answer, what the signer's is compared with first (`None`:
    /// sigdiff cannot sign it; the case is skipped). The full result is made
    /// only for an answer that differs.
    pub ours: Option<SignedAnswer>,
    /// The spec as JSON (`{...}`), for the request line.
    pub body: Vec<u8>,
}

/// Cases a worker sends at once: one channel hand-over (and at most one wake-up
/// of a worker waiting for room) per batch, not per case.
const BATCH: usize = 32;
/// Batches a worker may have waiting (so about 256 cases ahead per worker).
const AHEAD: usize = 8;

/// In-order cases from `workers` threads.
pub struct Producer {
    rx: Vec<Receiver<Vec<Prepared>>>,
    /// Each worker's batch being handed out.
    current: Vec<std::vec::IntoIter<Prepared>>,
    next: usize,
    done: bool,
}

impl Producer {
    /// Cases k = shard, shard + n, ... below `cases`, for `schemes` from `seed`.
    pub fn start(
        seed: u64,
        schemes: &[SchemeId],
        (shard, shards): (u64, u64),
        cases: u64,
        workers: usize,
    ) -> Producer {
        let workers = workers.max(1);
        let rx = (0..workers)
            .map(|w| {
                let (tx, rx) = sync_channel::<Vec<Prepared>>(AHEAD);
                let schemes = schemes.to_vec();
                std::thread::spawn(move || {
                    let gen = Cases::new(seed, &schemes);
                    let opts = SignOptions::default();
                    let mut i = w as u64;
                    let mut batch = Vec::with_capacity(BATCH);
                    loop {
                        let k = i
                            .checked_mul(shards)
                            .and_then(|x| x.checked_add(shard))
                            .filter(|k| *k < cases);
                        let Some(k) = k else {
                            if !batch.is_empty() {
                                let _ = tx.send(batch);
                            }
                            return;
                        };
                        let (scheme, spec) = gen.case(k);
                        let ours = sign_answer(&spec, &opts).ok();
                        let mut body = Vec::with_capacity(1024);
                        crate::json::write_spec(&mut body, &spec);
                        batch.push(Prepared {
                            k,
                            scheme,
                            spec,
                            ours,
                            body,
                        });
                        if batch.len() == BATCH
                            && tx
                                .send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                                .is_err()
                        {
                            return;
                        }
                        i += workers as u64;
                    }
                });
                rx
            })
            .collect();
        Producer {
            current: (0..workers).map(|_| Vec::new().into_iter()).collect(),
            rx,
            next: 0,
            done: false,
        }
    }

    /// The next case in order, or `None` when all are out.
    pub fn next_case(&mut self) -> Option<Prepared> {
        if self.done {
            return None;
        }
        let w = self.next;
        let p = match self.current[w].next() {
            Some(p) => p,
            None => match self.rx[w].recv() {
                Ok(batch) => {
                    self.current[w] = batch.into_iter();
                    match self.current[w].next() {
                        Some(p) => p,
                        None => {
                            self.done = true;
                            return None;
                        }
                    }
                }
                // This worker has no more cases: neither has any later one.
                Err(_) => {
                    self.done = true;
                    return None;
                }
            },
        };
        self.next = (w + 1) % self.rx.len();
        Some(p)
    }

    /// True when every case has been handed out.
    pub fn is_done(&self) -> bool {
        self.done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_order_whatever_the_workers() {
        let schemes = [SchemeId::OssV1, SchemeId::CosUrl];
        let run = |w| {
            let mut p = Producer::start(3, &schemes, (1, 3), 40, w);
            let mut out = Vec::new();
            while let Some(c) = p.next_case() {
                out.push((c.k, String::from_utf8(c.body).unwrap()));
            }
            assert!(p.is_done());
            out
        };
        let one = run(1);
        assert_eq!(
            one.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            (1..40).step_by(3).collect::<Vec<_>>()
        );
        assert_eq!(run(3), one);
        assert_eq!(run(8), one);
        // Several batches per worker, the last ones partial.
        let many = |w| {
            let mut p = Producer::start(5, &schemes, (0, 1), 3 * 32 * 2 + 7, w);
            let mut ks = Vec::new();
            while let Some(c) = p.next_case() {
                ks.push(c.k);
            }
            assert!(p.is_done() && p.next_case().is_none());
            ks
        };
        for w in [1, 2, 3] {
            assert_eq!(
                many(w),
                (0..3 * 32 * 2 + 7).collect::<Vec<u64>>(),
                "{w} workers"
            );
        }
        assert_eq!(
            one[2].1,
            serde_json::to_string(&Cases::new(3, &schemes).case(7).1).unwrap()
        );
    }
}
