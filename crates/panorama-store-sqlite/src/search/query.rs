//! Answering a list query from the index: which slots match (scan), then the page in sort order
//! (a selection for small results, a cached full order for large ones), and the overview counts.

use super::grams::Lookup;
use super::index::{Index, Slot};
use super::text::CHUNK_SLOTS;
use memchr::memmem::Finder;
use panorama_core::contact::{Category, SearchField, Sort, SortValue};
use roaring::RoaringBitmap;
use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// Results up to this size are paged by selection (O(n)); larger ones walk a cached full order.
pub(crate) const SELECT_RESULTS_MAX: usize = 50_000;
/// Most threads one check of candidates uses.
const SCAN_THREADS_MAX: usize = 4;
/// Below this many candidates a check runs on one thread.
const PARALLEL_CANDIDATES_MIN: u64 = 50_000;

/// Whether a slot is in a category.
pub(crate) fn in_category(slot: &Slot, category: Category) -> bool {
    slot.live
        && match category {
            Category::All => true,
            Category::RealName => slot.real_name,
            Category::Anonymous => !slot.real_name,
            Category::WechatFan => slot.wechat_fan,
        }
}

/// The live slots whose text of `field` holds `keyword` (already folded): the gram postings
/// answer keywords of one or two characters; a longer keyword is looked for in the text of the
/// slots holding all of its two-character grams.
pub(crate) fn scan(index: &Index, field: &SearchField, keyword: &str) -> RoaringBitmap {
    let finder = Finder::new(keyword.as_bytes());
    let mut exact = RoaringBitmap::new();
    let mut checked = Vec::new();
    let fields = index
        .fields
        .iter()
        .enumerate()
        .filter(|(_, def)| match field {
            SearchField::Any => true,
            SearchField::Attribute(name) => def.name.as_str() == name,
        });
    for (f, _) in fields {
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

/// The candidates of field `f` whose text holds the finder's keyword, in slot order; large sets
/// are split between threads.
fn check(index: &Index, f: usize, finder: &Finder<'_>, candidates: &RoaringBitmap) -> Vec<u32> {
    let check = |slots: &mut dyn Iterator<Item = u32>| -> Vec<u32> {
        slots
            .filter(|&slot| {
                let s = slot as usize;
                let text = index.chunks[s / CHUNK_SLOTS][f].entry(s % CHUNK_SLOTS);
                finder.find(text).is_some()
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

/// The sort key of a slot.
fn key<'a>(index: &'a Index, sort: &Sort, slot: u32) -> Cow<'a, SortValue> {
    let meta = &index.slots[slot as usize];
    match sort.attribute.as_str() {
        "created_at" => Cow::Owned(SortValue::Number(meta.created_at as f64)),
        "updated_at" => Cow::Owned(SortValue::Number(meta.updated_at as f64)),
        name => match index.sort_columns.get(name) {
            Some((_, column, _)) => Cow::Borrowed(&column[slot as usize]),
            None => Cow::Owned(SortValue::Empty),
        },
    }
}

fn compare(index: &Index, sort: &Sort, a: u32, b: u32) -> Ordering {
    let (ka, kb) = (key(index, sort, a), key(index, sort, b));
    let (ia, ib) = (index.slots[a as usize].id, index.slots[b as usize].id);
    sort.compare_keys(&ka, ia, &kb, ib)
}

/// Orders kept at once (tabs and sorts an operator moves between).
const CACHED_ORDERS_MAX: usize = 4;

/// Every live slot of a category in sort order, cached until the index changes (then patched);
/// a category page is a slice of it.
#[derive(Debug, Default)]
pub(crate) struct OrderCache(Mutex<Vec<CachedOrder>>);

#[derive(Debug)]
struct CachedOrder {
    sort: Sort,
    category: Category,
    /// The index generation it was computed at.
    generation: u64,
    order: Arc<Vec<u32>>,
}

impl OrderCache {
    fn order(&self, index: &Index, sort: &Sort, category: Category) -> Arc<Vec<u32>> {
        let previous = self.0.lock().ok().and_then(|cached| {
            cached
                .iter()
                .find(|c| c.sort == *sort && c.category == category)
                .map(|c| (c.generation, c.order.clone()))
        });
        let order = match previous {
            Some((generation, order)) if generation == index.generation => return order,
            Some((generation, order)) => patched(index, sort, category, generation, &order)
                .unwrap_or_else(|| sorted(index, sort, category)),
            None => sorted(index, sort, category),
        };
        let order = Arc::new(order);
        if let Ok(mut cached) = self.0.lock() {
            cached.retain(|c| !(c.sort == *sort && c.category == category));
            if cached.len() >= CACHED_ORDERS_MAX {
                cached.remove(0);
            }
            cached.push(CachedOrder {
                sort: sort.clone(),
                category,
                generation: index.generation,
                order: order.clone(),
            });
        }
        order
    }
}

/// Every live slot of `category`, sorted.
fn sorted(index: &Index, sort: &Sort, category: Category) -> Vec<u32> {
    let mut order: Vec<u32> = (0..index.slots.len())
        .filter(|&s| in_category(&index.slots[s], category))
        .map(|s| u32::try_from(s).unwrap_or(u32::MAX))
        .collect();
    order.sort_unstable_by(|&a, &b| compare(index, sort, a, b));
    order
}

/// The order at `generation` brought up to date by merging in the slots touched since (O(n)
/// rather than a sort), or `None` when the index no longer remembers them all.
fn patched(
    index: &Index,
    sort: &Sort,
    category: Category,
    generation: u64,
    order: &[u32],
) -> Option<Vec<u32>> {
    if generation < index.touched_floor {
        return None;
    }
    let mut changed = vec![false; index.slots.len()];
    let mut moved: Vec<u32> = Vec::new();
    for (_, slots) in index.touched.iter().filter(|(g, _)| *g > generation) {
        for &s in slots {
            if !std::mem::replace(&mut changed[s as usize], true) {
                moved.push(s);
            }
        }
    }
    moved.retain(|&s| in_category(&index.slots[s as usize], category));
    moved.sort_unstable_by(|&a, &b| compare(index, sort, a, b));
    let mut merged = Vec::with_capacity(order.len() + moved.len());
    let mut moved = moved.into_iter().peekable();
    for &s in order.iter().filter(|&&s| !changed[s as usize]) {
        while let Some(&m) = moved.peek() {
            if compare(index, sort, m, s) == Ordering::Less {
                merged.push(m);
                moved.next();
            } else {
                break;
            }
        }
        merged.push(s);
    }
    merged.extend(moved);
    Some(merged)
}

/// Which slots a query keeps.
pub(crate) enum Selection {
    /// Every live slot of a category.
    Category(Category),
    /// The matches of a search in every category (live slots, as [`scan`] gives them).
    Matches(RoaringBitmap),
    /// These slots (matches of a search, already narrowed to the category).
    Slots(Vec<u32>),
}

/// The exact total and the ids of `offset..offset + limit` in sort order; `None` when the sort
/// column is not loaded (a build replaced the index meanwhile: the caller asks again).
pub(crate) fn page(
    index: &Index,
    cache: &OrderCache,
    selection: Selection,
    sort: &Sort,
    offset: u64,
    limit: u64,
) -> Option<(u64, Vec<Uuid>)> {
    let keyed = matches!(sort.attribute.as_str(), "created_at" | "updated_at")
        || index.sort_columns.contains_key(&sort.attribute);
    keyed.then(|| page_of(index, cache, selection, sort, offset, limit))
}

pub(crate) fn page_of(
    index: &Index,
    cache: &OrderCache,
    selection: Selection,
    sort: &Sort,
    offset: u64,
    limit: u64,
) -> (u64, Vec<Uuid>) {
    let offset = usize::try_from(offset).unwrap_or(usize::MAX);
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let ids = |slots: &[u32]| -> Vec<Uuid> {
        slots.iter().map(|&s| index.slots[s as usize].id).collect()
    };
    let selection = match selection {
        Selection::Matches(matches) if matches.len() <= SELECT_RESULTS_MAX as u64 => {
            Selection::Slots(matches.iter().collect())
        }
        other => other,
    };
    match selection {
        Selection::Matches(matches) => {
            // Dense: the total is the bitmap's, and the page is found walking the full order
            // (about `(offset + limit) * all / total` steps).
            let order = cache.order(index, sort, Category::All);
            let page: Vec<u32> = order
                .iter()
                .copied()
                .filter(|&s| matches.contains(s))
                .skip(offset)
                .take(limit)
                .collect();
            (matches.len(), ids(&page))
        }
        Selection::Slots(mut slots) if slots.len() <= SELECT_RESULTS_MAX => {
            let total = slots.len();
            if offset >= total {
                return (total as u64, Vec::new());
            }
            let cmp = |a: &u32, b: &u32| compare(index, sort, *a, *b);
            if offset > 0 {
                slots.select_nth_unstable_by(offset, cmp);
            }
            let rest = &mut slots[offset..];
            let take = limit.min(rest.len());
            if take < rest.len() && take > 0 {
                rest.select_nth_unstable_by(take - 1, cmp);
            }
            let page = &mut rest[..take];
            page.sort_unstable_by(cmp);
            (total as u64, ids(page))
        }
        Selection::Category(category) => {
            let order = cache.order(index, sort, category);
            let page = order
                .iter()
                .skip(offset)
                .take(limit)
                .copied()
                .collect::<Vec<_>>();
            (order.len() as u64, ids(&page))
        }
        Selection::Slots(slots) => {
            // Search results are distinct live slots already narrowed to their category: the total is
            // their number, and the page comes from walking the full order just far
            // enough (a few thousand steps for a dense result).
            let order = cache.order(index, sort, Category::All);
            let mut set = SlotSet::new(index.slots.len());
            let total = slots.len();
            slots.iter().for_each(|&s| set.insert(s));
            let page: Vec<u32> = order
                .iter()
                .copied()
                .filter(|&s| set.contains(s))
                .skip(offset)
                .take(limit)
                .collect();
            (total as u64, ids(&page))
        }
    }
}
