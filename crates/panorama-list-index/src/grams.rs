//! Postings of every one- and two-character gram of each field's text: which slots hold `王`,
//! which hold `王伟`, `.c` or `86`. A keyword of one or two characters is answered by one posting
//! list, exactly, however many contacts it matches; a longer one by the slots holding all of its
//! two-character grams, each then checked against its text.
//!
//! Why: a scan reads every byte of text and pays per match, so the dense matches of short
//! keywords (`e` in every email, `北京` in a fifth of the addresses) cost tens of milliseconds at a
//! million contacts, where a posting list answers in microseconds. Roaring bitmaps keep a dense
//! list at one bit per contact and a sparse one at two bytes per holder.

use roaring::RoaringBitmap;
use rustc_hash::FxHashMap;

/// A gram as one number: a character, or two in a row (marked by bit 42; characters fit 21 bits).
fn gram(first: char, second: Option<char>) -> u64 {
    match second {
        None => u64::from(first),
        Some(second) => (1 << 42) | (u64::from(first) << 21) | u64::from(second),
    }
}

/// The distinct grams of `text` (folded UTF-8; anything else holds none).
fn grams_of(text: &[u8]) -> Vec<u64> {
    let Ok(text) = std::str::from_utf8(text) else {
        return Vec::new();
    };
    let mut grams = Vec::with_capacity(text.len() * 2);
    let mut previous = None;
    for c in text.chars() {
        grams.push(gram(c, None));
        if let Some(p) = previous {
            grams.push(gram(p, Some(c)));
        }
        previous = Some(c);
    }
    grams.sort_unstable();
    grams.dedup();
    grams
}

/// The two-character grams of a keyword of three or more characters.
fn pairs_of(keyword: &str) -> Vec<u64> {
    let chars: Vec<char> = keyword.chars().collect();
    let mut grams: Vec<u64> = chars.windows(2).map(|w| gram(w[0], Some(w[1]))).collect();
    grams.sort_unstable();
    grams.dedup();
    grams
}

/// What the postings say about a keyword in one field.
pub(crate) enum Lookup<'a> {
    /// Exactly these slots hold it (keywords of one or two characters).
    Exact(&'a RoaringBitmap),
    /// No slot holds it.
    None,
    /// Only these slots can hold it (every two-character gram of the keyword is in their text):
    /// each must be checked.
    Candidates(RoaringBitmap),
}

/// The postings of every searchable field, in field order.
#[derive(Debug, Default)]
pub(crate) struct Grams {
    fields: Vec<FxHashMap<u64, RoaringBitmap>>,
}

impl Grams {
    /// Empty postings for `fields` fields.
    pub(crate) fn new(fields: usize) -> Self {
        Self {
            fields: (0..fields).map(|_| FxHashMap::default()).collect(),
        }
    }

    /// Record that `slot` holds `text` in `field`.
    pub(crate) fn add(&mut self, field: usize, slot: u32, text: &[u8]) {
        let postings = &mut self.fields[field];
        for gram in grams_of(text) {
            postings.entry(gram).or_default().insert(slot);
        }
    }

    /// Forget that `slot` held `text` in `field`.
    pub(crate) fn remove(&mut self, field: usize, slot: u32, text: &[u8]) {
        let postings = &mut self.fields[field];
        for gram in grams_of(text) {
            if let Some(slots) = postings.get_mut(&gram) {
                slots.remove(slot);
                if slots.is_empty() {
                    postings.remove(&gram);
                }
            }
        }
    }

    /// The slots of `field` that hold, or may hold, `keyword` (folded, not empty).
    pub(crate) fn lookup(&self, field: usize, keyword: &str) -> Lookup<'_> {
        let postings = &self.fields[field];
        let mut chars = keyword.chars();
        let (Some(first), second, third) = (chars.next(), chars.next(), chars.next()) else {
            return Lookup::None;
        };
        if third.is_none() {
            return postings
                .get(&gram(first, second))
                .map_or(Lookup::None, Lookup::Exact);
        }
        let mut lists: Vec<&RoaringBitmap> = Vec::new();
        for pair in pairs_of(keyword) {
            match postings.get(&pair) {
                Some(slots) => lists.push(slots),
                None => return Lookup::None,
            }
        }
        // Smallest first: the intersection never grows past it.
        lists.sort_by_key(|slots| slots.len());
        let mut lists = lists.into_iter();
        let Some(first) = lists.next() else {
            return Lookup::None;
        };
        let mut candidates = first.clone();
        for slots in lists {
            candidates &= slots;
            if candidates.is_empty() {
                return Lookup::None;
            }
        }
        Lookup::Candidates(candidates)
    }

    /// Bytes held (the bitmaps' serialized size, which tracks their memory, and the map entries).
    pub(crate) fn bytes(&self) -> usize {
        self.fields
            .iter()
            .flat_map(|postings| postings.values())
            .map(|slots| slots.serialized_size() + 48)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slots(lookup: Lookup<'_>) -> (&'static str, Vec<u32>) {
        match lookup {
            Lookup::Exact(slots) => ("exact", slots.iter().collect()),
            Lookup::None => ("none", Vec::new()),
            Lookup::Candidates(slots) => ("candidates", slots.iter().collect()),
        }
    }

    #[test]
    fn short_keywords_are_exact_and_long_ones_candidates() {
        let mut grams = Grams::new(1);
        grams.add(0, 0, "王伟明".as_bytes());
        grams.add(0, 1, b"abcab");
        grams.add(0, 2, b"cabx");
        assert_eq!(slots(grams.lookup(0, "王")), ("exact", vec![0]));
        assert_eq!(slots(grams.lookup(0, "伟明")), ("exact", vec![0]));
        assert_eq!(slots(grams.lookup(0, "明王")), ("none", vec![]));
        assert_eq!(slots(grams.lookup(0, "ab")), ("exact", vec![1, 2]));
        // `abca` holds ab, bc, ca: slot 2 has ab and ca but not bc.
        assert_eq!(slots(grams.lookup(0, "abca")), ("candidates", vec![1]));
        // `cab` holds ca and ab: both slots may hold it (and do).
        assert_eq!(slots(grams.lookup(0, "cab")), ("candidates", vec![1, 2]));
        assert_eq!(slots(grams.lookup(0, "xyz")), ("none", vec![]));
    }

    #[test]
    fn removing_a_text_forgets_only_its_slot() {
        let mut grams = Grams::new(2);
        grams.add(0, 0, b"aa");
        grams.add(0, 1, b"ab");
        grams.add(1, 0, b"a");
        grams.remove(0, 0, b"aa");
        assert_eq!(slots(grams.lookup(0, "a")), ("exact", vec![1]));
        assert_eq!(slots(grams.lookup(0, "aa")), ("none", vec![]));
        assert_eq!(slots(grams.lookup(1, "a")), ("exact", vec![0]));
        grams.remove(0, 1, b"ab");
        assert!(grams.fields[0].is_empty(), "empty postings are dropped");
    }
}
