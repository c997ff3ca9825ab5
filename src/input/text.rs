//! A document's decoded text, wherever it lives: a string in memory, or the
//! pages of a large UTF-8 file mapped read-only, which are neither copied
//! nor made afresh. Everything downstream sees a `str`.

/// Decoded text (see the module's doc). Dereferences to `str`.
pub struct Text(Repr);

enum Repr {
    Owned(String),
    /// A mapped file whose bytes from `start` (past a byte-order mark) were
    /// checked as UTF-8 when it was mapped.
    Mapped {
        map: memmap2::Mmap,
        start: usize,
    },
}

impl Text {
    /// The mapped file `map`, read from `start`.
    ///
    /// # Safety
    /// `map[start..]` must be valid UTF-8, and the file must not change
    /// while the map lives (see [`crate::input::Document::read_with`]).
    pub(crate) unsafe fn mapped(map: memmap2::Mmap, start: usize) -> Text {
        Text(Repr::Mapped { map, start })
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Owned(text) => text,
            // SAFETY: checked as UTF-8 when mapped (`Text::mapped`).
            Repr::Mapped { map, start } => unsafe { std::str::from_utf8_unchecked(&map[*start..]) },
        }
    }

    /// Whether the text is a mapped file's rather than a string in memory.
    pub fn is_mapped(&self) -> bool {
        matches!(self.0, Repr::Mapped { .. })
    }
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text(Repr::Owned(text))
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text(Repr::Owned(text.to_string()))
    }
}

impl Clone for Text {
    /// A copy in memory (a mapped file is copied out).
    fn clone(&self) -> Text {
        Text::from(self.as_str())
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}
