//! The searchable text of a block of contacts, one contiguous buffer per field: what a keyword of
//! three or more characters is checked against once the gram postings name the candidates.

/// Contacts per chunk: a change rebuilds its chunk's buffers, so this bounds the cost of a write
/// (~0.5 MB copied) while keeping per-chunk overhead negligible.
pub(crate) const CHUNK_SLOTS: usize = 8192;

/// The values of one field for the slots of one chunk: entry `i` is `bytes[ends[i - 1]..ends[i]]`
/// (from 0 for the first).
#[derive(Debug, Default, Clone)]
pub(crate) struct FieldText {
    bytes: Vec<u8>,
    ends: Vec<u32>,
}

impl FieldText {
    /// Append the next slot's text (empty when the value is absent).
    pub(crate) fn push(&mut self, text: &[u8]) {
        self.bytes.extend_from_slice(text);
        // A chunk holds at most CHUNK_SLOTS values of bounded length, far below 4 GiB.
        self.ends
            .push(u32::try_from(self.bytes.len()).unwrap_or(u32::MAX));
    }

    /// The text of local slot `i`.
    pub(crate) fn entry(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.bytes[start..self.ends[i] as usize]
    }

    /// Number of slots.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Bytes held, for memory reports.
    pub(crate) fn bytes(&self) -> usize {
        self.bytes.capacity() + self.ends.capacity() * 4
    }

    /// A copy with some slots' texts replaced (`changes` sorted by slot) and new slots appended.
    pub(crate) fn rebuilt(&self, changes: &[(usize, &[u8])], appended: &[&[u8]]) -> Self {
        // Exact sizes: a million contacts hold hundreds of chunks times every searchable field,
        // so slack per buffer would add up to more than the text itself.
        let added: usize = changes.iter().map(|(_, t)| t.len()).sum::<usize>()
            + appended.iter().map(|t| t.len()).sum::<usize>();
        let mut next = Self {
            bytes: Vec::with_capacity(self.bytes.len() + added),
            ends: Vec::with_capacity(self.ends.len() + appended.len()),
        };
        let mut changes = changes.iter().peekable();
        for i in 0..self.len() {
            match changes.peek() {
                Some((slot, text)) if *slot == i => {
                    next.push(text);
                    changes.next();
                }
                _ => next.push(self.entry(i)),
            }
        }
        for text in appended {
            next.push(text);
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(texts: &[&str]) -> FieldText {
        let mut field = FieldText::default();
        for text in texts {
            field.push(text.as_bytes());
        }
        field
    }

    #[test]
    fn rebuilt_replaces_and_appends() {
        let first = field(&["one", "two", "three"]);
        let next = first.rebuilt(&[(1, b"deux")], &[b"four"]);
        let all: Vec<&[u8]> = (0..next.len()).map(|i| next.entry(i)).collect();
        assert_eq!(all, [&b"one"[..], b"deux", b"three", b"four"]);
        let other = field(&["ab", "", "王伟明"]);
        assert_eq!(other.entry(1), b"");
        assert_eq!(other.entry(2), "王伟明".as_bytes());
    }
}
