//! Input errors: what went wrong and where. Every user-facing failure to read a
//! request, a URL, an error body or a spec is one of these; the CLI maps them to
//! exit code 2 with the message as is. Mismatches are *findings*, never errors.

use std::fmt;

/// An input that sigdiff could not read.
///
/// `what` says what is wrong; `location` says where (a file, a line, a byte
/// offset, a field name). Neither ever contains a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    what: String,
    location: Option<String>,
    code: &'static str,
}

impl InputError {
    /// A new error with a machine-readable `code` (stable, kebab-case) and a message.
    pub fn new(code: &'static str, what: impl Into<String>) -> Self {
        InputError {
            what: what.into(),
            location: None,
            code,
        }
    }

    /// Attach (or prefix) a location such as `request.http line 3` or `query parameter 2`.
    pub fn at(mut self, location: impl Into<String>) -> Self {
        let loc = location.into();
        self.location = Some(match self.location.take() {
            Some(inner) => format!("{loc}, {inner}"),
            None => loc,
        });
        self
    }

    /// Stable machine-readable code, e.g. `bad-url`, `truncated-http`.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The message without the location.
    pub fn what(&self) -> &str {
        &self.what
    }

    /// Where the problem is, when known.
    pub fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(loc) => write!(f, "{} (at {loc})", self.what),
            None => f.write_str(&self.what),
        }
    }
}

impl std::error::Error for InputError {}

/// Result alias used across the library.
pub type Result<T, E = InputError> = std::result::Result<T, E>;
