//! `sigdiff fuzz --signer CMD` (issue 7; DESIGN "Fuzz protocol"): drive any
//! signer, in any language, over JSON lines; find where it and sigdiff
//! disagree, shrink each disagreement to a minimal request, name the mistake,
//! and report it as text, JSON lines, JUnit XML and vector directories.
//!
//! * [`protocol`]: the message types; [`crate::json`]: its lines written by hand;
//! * [`serve`]: `sigdiff sign --protocol`, sigdiff itself as a signer;
//! * [`cases`]: reproducible cases from the strategies of [`crate::strategy`];
//! * [`harness`]: the signer process, pipelining, timeouts, failures, the run;
//! * [`producer`]: cases drawn and signed ahead, on worker threads;
//! * [`compare`]: one answer against sigdiff's, with the field diff;
//! * [`patterns`]: one-line readings of the common mistakes;
//! * [`shrink`]: minimal requests;
//! * [`report`], [`vector`]: the outputs.
//!
//! ```no_run
//! use sigdiff::fuzz::{run, FuzzOptions};
//! let report = run(&FuzzOptions {
//!     signer: "python3 examples/signers/correct.py".into(),
//!     cases: 2000,
//!     ..Default::default()
//! })
//! .unwrap();
//! assert_eq!(report.exit_code(), 0, "{}", sigdiff::fuzz::report::human(&report, Default::default()));
//! ```

pub mod cases;
pub mod compare;
pub mod harness;
pub mod patterns;
pub mod producer;
pub mod protocol;
pub mod report;
pub mod serve;
pub mod shrink;
pub mod vector;

pub use harness::{run, FuzzOptions};
pub use report::FuzzReport;
