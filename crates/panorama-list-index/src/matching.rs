//! Which slots a search matches: the gram postings answer keywords of one or two characters
//! exactly; a longer keyword is checked in the texts of the slots holding all of its
//! two-character grams, on several threads when they are many.

use super::grams::Lookup;
use super::index::Index;
use super::text::CHUNK_SLOTS;
use memchr::memmem::Finder;
use panorama_core::contact::{PhoneProbe, Search, SearchField, SearchMode};
use panorama_core::mask::AttributeRule;
use roaring::RoaringBitmap;

/// Most threads one check of candidates uses.
const SCAN_THREADS_MAX: usize = 4;
/// Below this many candidates a check runs on one thread.
const PARALLEL_CANDIDATES_MIN: u64 = 50_000;

/// The live slots whose text of the searched field holds the keyword (already folded): the gram
/// postings answer keywords of one or two characters; a longer keyword is looked for in the text
/// of the slots holding all of its two-character grams. Under [`SearchMode::WholeMasked`] the
/// fields the mask may hide are answered by [`masked_field`] instead.
pub(crate) fn scan(index: &Index, search: &Search) -> RoaringBitmap {
    let keyword = search.keyword.as_str();
    let finder = Finder::new(keyword.as_bytes());
    let mut exact = RoaringBitmap::new();
    let mut checked = Vec::new();
    let fields = index
        .fields
        .iter()
        .enumerate()
        .filter(|(_, def)| match &search.field {
            SearchField::Any => true,
            SearchField::Attribute(name) => def.name.as_str() == name,
        });
    for (f, def) in fields {
        let rule = AttributeRule::of(def);
        if search.mode == SearchMode::WholeMasked && rule != AttributeRule::Keep {
            checked.push(masked_field(index, f, rule, search));
            continue;
        }
        match index.grams.lookup(f, keyword) {
            Lookup::None => {}
            // Bitmaps unite a container at a time: cheap however dense.
            Lookup::Exact(slots) => exact |= slots,
            Lookup::Candidates(candidates) => checked.push(check(index, f, &finder, &candidates)),
        }
    }
    if checked.iter().all(Vec::is_empty) {
        return exact;
    }
    // Inserting slot by slot into a bitmap is slow when dense: gather bits, then convert.
    let mut found = SlotSet::new(index.slots.len());
    exact.iter().for_each(|s| found.insert(s));
    checked.iter().flatten().for_each(|&s| found.insert(s));
    found.to_bitmap()
}

/// The slots of field `f` (whose mask rule is `rule`) matching a search in a masked mode, in
/// slot order: a match either contains the keyword or, for a phone-like keyword, holds its
/// number's last digits in one run, or holds a separator and its last digit ([`PhoneProbe`]);
/// those candidates are each checked by the core rule, so the answer is exactly
/// [`SearchMode::value_matches`]'s. A field of numbers stored without separators (the preset
/// mobile, in E.164) so checks a handful of values, not every number.
fn masked_field(index: &Index, f: usize, rule: AttributeRule, search: &Search) -> Vec<u32> {
    let mut candidates = match index.grams.lookup(f, search.keyword.as_str()) {
        Lookup::None => RoaringBitmap::new(),
        Lookup::Exact(slots) => slots.clone(),
        Lookup::Candidates(slots) => slots,
    };
    if let Some(probe) = SearchMode::phone_probe(&search.keyword) {
        match index.grams.lookup(f, &probe.tail) {
            Lookup::None => {}
            Lookup::Exact(slots) => candidates |= slots,
            Lookup::Candidates(slots) => candidates |= slots,
        }
        let mut separated = RoaringBitmap::new();
        for separator in PhoneProbe::SEPARATORS {
            if let Lookup::Exact(slots) = index.grams.lookup(f, separator.encode_utf8(&mut [0; 4]))
            {
                separated |= slots;
            }
        }
        if !separated.is_empty()
            && let Lookup::Exact(last) = index.grams.lookup(f, probe.last.encode_utf8(&mut [0; 4]))
        {
            candidates |= separated & last;
        }
    }
    filter(index, f, &candidates, &|text| {
        std::str::from_utf8(text)
            .is_ok_and(|text| search.mode.value_matches(rule, text, &search.keyword))
    })
}

/// The candidates of field `f` whose text holds the finder's keyword, in slot order; large sets
/// are split between threads.
fn check(index: &Index, f: usize, finder: &Finder<'_>, candidates: &RoaringBitmap) -> Vec<u32> {
    filter(index, f, candidates, &|text| finder.find(text).is_some())
}

/// The candidates of field `f` whose text `keep` accepts, in slot order; large sets are split
/// between threads.
fn filter(
    index: &Index,
    f: usize,
    candidates: &RoaringBitmap,
    keep: &(dyn Fn(&[u8]) -> bool + Sync),
) -> Vec<u32> {
    let check = |slots: &mut dyn Iterator<Item = u32>| -> Vec<u32> {
        slots
            .filter(|&slot| {
                let s = slot as usize;
                keep(index.chunks[s / CHUNK_SLOTS][f].entry(s % CHUNK_SLOTS))
            })
            .collect()
    };
    let threads = scan_threads();
    let count = candidates.len();
    if threads < 2 || count < PARALLEL_CANDIDATES_MIN {
        return check(&mut candidates.iter());
    }
    // Split at the candidates' ranks so every thread checks as many.
    let mut bounds: Vec<u32> = (1..threads as u64)
        .filter_map(|t| candidates.select(u32::try_from(count * t / threads as u64).ok()?))
        .collect();
    bounds.push(u32::MAX);
    let parts: Vec<RoaringBitmap> = bounds
        .iter()
        .scan(0, |low, &high| {
            let mut part = candidates.clone();
            part.remove_range(..*low);
            part.remove_range(high..);
            *low = high;
            Some(part)
        })
        .collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .iter()
            .map(|part| scope.spawn(|| check(&mut part.iter())))
            .collect();
        handles
            .into_iter()
            // A check thread only panics on a bug; carry the panic on rather than lose matches.
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// A set of slots as one bit each: inserting and listing in order are O(1) per slot.
pub(crate) struct SlotSet(Vec<u64>);

impl SlotSet {
    /// An empty set for slots below `slots`.
    pub(crate) fn new(slots: usize) -> Self {
        Self(vec![0; slots.div_ceil(64)])
    }

    /// Add a slot (below the bound given to `new`).
    pub(crate) fn insert(&mut self, slot: u32) {
        let s = slot as usize;
        if let Some(word) = self.0.get_mut(s / 64) {
            *word |= 1 << (s % 64);
        }
    }

    /// Whether the set holds `slot`.
    pub(crate) fn contains(&self, slot: u32) -> bool {
        let s = slot as usize;
        self.0
            .get(s / 64)
            .is_some_and(|word| word & (1 << (s % 64)) != 0)
    }

    /// The same set as a compressed bitmap.
    pub(crate) fn to_bitmap(&self) -> RoaringBitmap {
        let bytes: Vec<u8> = self.0.iter().flat_map(|word| word.to_le_bytes()).collect();
        RoaringBitmap::from_lsb0_bytes(0, &bytes)
    }
}

/// Threads a check uses: the cores, at most [`SCAN_THREADS_MAX`]; read once, as on Linux it
/// reads cgroup files, which costs more than a small check.
fn scan_threads() -> usize {
    static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *THREADS.get_or_init(|| {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(SCAN_THREADS_MAX))
    })
}
