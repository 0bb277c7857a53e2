//! The searchable text of a block of contacts, one contiguous buffer per field, scanned with
//! `memchr::memmem` (SIMD). Contiguous buffers are what makes a scan of every value fast: a
//! million contacts' searchable text is ~100 MB, read at memory speed, for keywords of any length.

use memchr::memmem::Finder;

/// Contacts per chunk: a change rebuilds its chunk's buffers, so this bounds the cost of a write
/// (~0.5 MB copied) while keeping per-chunk overhead negligible in a scan.
pub(crate) const CHUNK_SLOTS: usize = 8192;

/// The values of one field for the slots of one chunk: entry `i` is `bytes[start_i..ends[i]]`,
/// followed by a NUL byte, which no keyword holds, so no match spans two entries.
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
        self.bytes.push(0);
    }

    /// The text of local slot `i`.
    pub(crate) fn entry(&self, i: usize) -> &[u8] {
        let start = if i == 0 {
            0
        } else {
            self.ends[i - 1] as usize + 1
        };
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

    /// Set `hits[i]` for every local slot whose text contains the keyword.
    pub(crate) fn scan(&self, finder: &Finder<'_>, hits: &mut [bool]) {
        let mut position = 0;
        let mut slot = 0;
        while let Some(found) = finder.find(&self.bytes[position..]) {
            let at = position + found;
            // Matches come in order: step forward a few entries (dense matches, one-character
            // keywords), else binary-search the rest.
            let mut steps = 0;
            while slot < self.ends.len() && self.ends[slot] as usize <= at && steps < 8 {
                slot += 1;
                steps += 1;
            }
            if slot < self.ends.len() && self.ends[slot] as usize <= at {
                slot += self.ends[slot..].partition_point(|&end| end as usize <= at);
            }
            if slot >= self.ends.len() {
                break;
            }
            hits[slot] = true;
            // The rest of this entry cannot add anything: skip to the next one.
            position = self.ends[slot] as usize + 1;
            if position >= self.bytes.len() {
                break;
            }
        }
    }

    /// A copy with some slots' texts replaced (`changes` sorted by slot) and new slots appended.
    pub(crate) fn rebuilt(&self, changes: &[(usize, &[u8])], appended: &[&[u8]]) -> Self {
        // Exact sizes: a million contacts hold hundreds of chunks times every searchable field,
        // so slack per buffer would add up to more than the text itself.
        let added: usize = changes.iter().map(|(_, t)| t.len()).sum::<usize>()
            + appended.iter().map(|t| t.len() + 1).sum::<usize>();
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

    fn hits(field: &FieldText, keyword: &str) -> Vec<usize> {
        let mut hits = vec![false; field.len()];
        field.scan(&Finder::new(keyword.as_bytes()), &mut hits);
        (0..hits.len()).filter(|&i| hits[i]).collect()
    }

    #[test]
    fn matches_stay_inside_one_entry() {
        let field = field(&["ab", "", "cab", "a", "王伟明", "bc"]);
        assert_eq!(hits(&field, "a"), [0, 2, 3]);
        assert_eq!(hits(&field, "ab"), [0, 2]);
        assert_eq!(hits(&field, "bc"), [5], "ab + bc of two entries is not bc");
        assert_eq!(hits(&field, "王伟"), [4]);
        assert_eq!(hits(&field, "x"), Vec::<usize>::new());
        assert_eq!(field.entry(4), "王伟明".as_bytes());
        assert_eq!(field.entry(1), b"");
    }

    #[test]
    fn rebuilt_replaces_and_appends() {
        let field = field(&["one", "two", "three"]);
        let next = field.rebuilt(&[(1, b"deux")], &[b"four"]);
        let all: Vec<&[u8]> = (0..next.len()).map(|i| next.entry(i)).collect();
        assert_eq!(all, [&b"one"[..], b"deux", b"three", b"four"]);
    }
}
