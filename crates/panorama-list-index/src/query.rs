//! Answering a list query from the index: the page of the matches (`matching.rs`) in sort order
//! (a selection for small results, a cached full order for large ones), and the overview counts.

use super::index::{Index, Slot};
use super::matching::SlotSet;
use panorama_core::contact::{Category, Sort, SortValue};
use roaring::RoaringBitmap;
use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// Results up to this size are paged by selection (O(n)); larger ones walk a cached full order.
pub(crate) const SELECT_RESULTS_MAX: usize = 50_000;

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

/// Compares slots in a sort's order. Where the keys come from is resolved once, not per
/// comparison (a lookup of the column by name in every comparison was most of a million-slot sort).
struct Comparer<'a> {
    index: &'a Index,
    sort: &'a Sort,
    source: Source<'a>,
}

/// Where a sort's keys come from.
enum Source<'a> {
    CreatedAt,
    UpdatedAt,
    Column(&'a [SortValue]),
    /// The column is not loaded: every key is empty.
    Missing,
}

impl<'a> Comparer<'a> {
    fn new(index: &'a Index, sort: &'a Sort) -> Self {
        let source = match sort.attribute.as_str() {
            "created_at" => Source::CreatedAt,
            "updated_at" => Source::UpdatedAt,
            name => index
                .sort_columns
                .get(name)
                .map_or(Source::Missing, |(_, column, _)| Source::Column(column)),
        };
        Self {
            index,
            sort,
            source,
        }
    }

    /// The sort key of a slot.
    fn key(&self, slot: u32) -> Cow<'a, SortValue> {
        let meta = &self.index.slots[slot as usize];
        match self.source {
            Source::CreatedAt => Cow::Owned(SortValue::Number(meta.created_at as f64)),
            Source::UpdatedAt => Cow::Owned(SortValue::Number(meta.updated_at as f64)),
            Source::Column(column) => Cow::Borrowed(&column[slot as usize]),
            Source::Missing => Cow::Owned(SortValue::Empty),
        }
    }

    fn compare(&self, a: u32, b: u32) -> Ordering {
        let (ka, kb) = (self.key(a), self.key(b));
        let slots = &self.index.slots;
        let (ia, ib) = (slots[a as usize].id, slots[b as usize].id);
        self.sort.compare_keys(&ka, ia, &kb, ib)
    }
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
    let comparer = Comparer::new(index, sort);
    order.sort_unstable_by(|&a, &b| comparer.compare(a, b));
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
    let comparer = Comparer::new(index, sort);
    moved.sort_unstable_by(|&a, &b| comparer.compare(a, b));
    let mut merged = Vec::with_capacity(order.len() + moved.len());
    let mut moved = moved.into_iter().peekable();
    for &s in order.iter().filter(|&&s| !changed[s as usize]) {
        while let Some(&m) = moved.peek() {
            if comparer.compare(m, s) == Ordering::Less {
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
    /// The matches of a search in every category (live slots, as `matching::scan` gives them).
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
            let page = walk(index, cache, sort, offset, limit, |s| matches.contains(s));
            (matches.len(), ids(&page))
        }
        Selection::Slots(mut slots) if slots.len() <= SELECT_RESULTS_MAX => {
            let total = slots.len();
            if offset >= total {
                return (total as u64, Vec::new());
            }
            let comparer = Comparer::new(index, sort);
            let cmp = |a: &u32, b: &u32| comparer.compare(*a, *b);
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
            // Search results are distinct live slots already narrowed to their category: the
            // total is their number.
            let mut set = SlotSet::new(index.slots.len());
            slots.iter().for_each(|&s| set.insert(s));
            let page = walk(index, cache, sort, offset, limit, |s| set.contains(s));
            (slots.len() as u64, ids(&page))
        }
    }
}

/// The slots `offset..offset + limit` among those `holds` keeps, in sort order: a walk of the
/// cached full order just far enough (about `(offset + limit) * all / kept` steps, a few thousand
/// for a large result).
fn walk(
    index: &Index,
    cache: &OrderCache,
    sort: &Sort,
    offset: usize,
    limit: usize,
    holds: impl Fn(u32) -> bool,
) -> Vec<u32> {
    cache
        .order(index, sort, Category::All)
        .iter()
        .copied()
        .filter(|&s| holds(s))
        .skip(offset)
        .take(limit)
        .collect()
}
