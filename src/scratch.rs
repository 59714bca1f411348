//! One reusable text buffer per thread for the lean verdict paths
//! (`verify::check` of OSS V1, OSS V4 and COS): the signed text is written,
//! hashed and dropped on every call, so the allocation is kept for the next one.

use std::cell::Cell;

thread_local! {
    static TEXT: Cell<String> = const { Cell::new(String::new()) };
}

/// A buffer that grew past this (a huge request) is not kept.
const KEEP: usize = 64 * 1024;

/// Run `f` with this thread's scratch buffer, cleared. A nested call gets a
/// fresh buffer of its own (the outer one is out of the cell while `f` runs).
pub(crate) fn with_text<R>(f: impl FnOnce(&mut String) -> R) -> R {
    let mut text = TEXT.take();
    text.clear();
    let r = f(&mut text);
    if text.capacity() <= KEEP {
        TEXT.set(text);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_buffer_is_cleared_kept_and_capped() {
        with_text(|t| t.push_str("left over"));
        let cap = with_text(|t| {
            assert!(t.is_empty(), "cleared before use");
            t.capacity()
        });
        assert!(cap >= "left over".len(), "the allocation is kept");
        with_text(|t| t.push_str(&"x".repeat(KEEP + 1)));
        assert_eq!(with_text(|t| t.capacity()), 0, "a huge buffer is dropped");
        // Nested use gets its own buffer and leaves the outer one intact.
        with_text(|outer| {
            outer.push_str("outer");
            with_text(|inner| inner.push_str("inner"));
            assert_eq!(outer, "outer");
        });
    }
}
