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
    /// Which byte pairs occur in `bytes` (65,536 bits), when known: a keyword holding a pair that
    /// does not occur cannot match, so the scan skips the buffer. Misses, and `any` searches for
    /// text that only some fields hold (Chinese names are not in emails), skip most buffers.
    pairs: Option<Box<[u64; 1024]>>,
}

/// The byte pairs of `bytes`, as a bit set.
fn pairs_of(bytes: &[u8]) -> Box<[u64; 1024]> {
    let mut pairs = Box::new([0_u64; 1024]);
    for pair in bytes.windows(2) {
        let bit = usize::from(pair[0]) << 8 | usize::from(pair[1]);
        pairs[bit >> 6] |= 1 << (bit & 63);
    }
    pairs
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
        self.bytes.capacity() + self.ends.capacity() * 4 + self.pairs.as_ref().map_or(0, |_| 8192)
    }

    /// Set `hits[i]` for every local slot whose text contains the keyword.
    pub(crate) fn scan(&self, finder: &Finder<'_>, hits: &mut [bool]) {
        if !self.may_contain(finder.needle()) {
            return;
        }
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

    /// False when `keyword` certainly does not occur (one of its byte pairs never does).
    pub(crate) fn may_contain(&self, keyword: &[u8]) -> bool {
        let Some(pairs) = &self.pairs else {
            return true;
        };
        keyword.windows(2).all(|pair| {
            let bit = usize::from(pair[0]) << 8 | usize::from(pair[1]);
            pairs[bit >> 6] & (1 << (bit & 63)) != 0
        })
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
            pairs: None,
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
        next.pairs = Some(pairs_of(&next.bytes));
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
    fn buffers_without_the_keywords_pairs_are_skipped() {
        let field = FieldText::default().rebuilt(&[], &[b"zhang@example.cn", "王伟".as_bytes()]);
        assert!(field.may_contain(b"example"));
        assert!(!field.may_contain(b"qz"), "no `qz` pair");
        assert!(!field.may_contain("李".as_bytes()));
        assert!(field.may_contain(b"q"), "single bytes are never skipped");
        assert_eq!(hits(&field, "王伟"), [1]);
        assert_eq!(hits(&field, "@e"), [0]);
        assert_eq!(
            hits(&field, "n王"),
            Vec::<usize>::new(),
            "across entries, no match"
        );
    }

    #[test]
    fn rebuilt_replaces_and_appends() {
        let field = field(&["one", "two", "three"]);
        let next = field.rebuilt(&[(1, b"deux")], &[b"four"]);
        let all: Vec<&[u8]> = (0..next.len()).map(|i| next.entry(i)).collect();
        assert_eq!(all, [&b"one"[..], b"deux", b"three", b"four"]);
    }
}
