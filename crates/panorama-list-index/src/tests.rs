//! The index against a naive answer at a size the conformance suite does not reach: many chunks,
//! results past the selection limit (so pages walk cached orders), replacements and deletions
//! spread over chunks (so cached orders are patched).

use super::index::{Entry, Index, Slot};
use super::matching::scan;
use super::query::{OrderCache, SELECT_RESULTS_MAX, Selection, in_category, page_of};
use panorama_core::contact::{
    Category, Keyword, Search, SearchField, SearchMode, Sort, SortValue, search_text,
};
use panorama_core::metadata::{AttributeDef, preset_attributes};
use serde_json::{Value as Json, json};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

const NAMES: [&str; 6] = ["王伟", "Anna", "王芳", "Zoe", "李娜", "Han"];
const CITIES: [&str; 4] = ["上海", "Shanghai", "Xi'an", "Nanjing"];

/// A substring search for `keyword` in `field`.
fn search(field: SearchField, keyword: &str) -> Search {
    Search {
        field,
        keyword: Keyword::parse(keyword)
            .expect("a valid keyword")
            .expect("not empty"),
        mode: SearchMode::Substring,
    }
}

fn defs() -> Vec<AttributeDef> {
    preset_attributes()
        .into_iter()
        .filter(|d| ["name", "city"].contains(&d.name.as_str()))
        .collect()
}

fn entry(n: u64, seed: u64) -> Entry {
    let pick = |len: usize, salt: u64| ((n * 2654435761 + seed * 97 + salt) % len as u64) as usize;
    let mut attributes = BTreeMap::new();
    if pick(5, 1) > 0 {
        attributes.insert("name".to_owned(), json!(NAMES[pick(NAMES.len(), 2)]));
    }
    attributes.insert("city".to_owned(), json!(CITIES[pick(CITIES.len(), 3)]));
    Entry {
        slot: Slot {
            id: Uuid::from_u128(u128::from(n) + 1),
            created_at: (pick(1000, 4) as i64) * 1_000,
            updated_at: 0,
            real_name: pick(3, 5) > 0,
            wechat_fan: false,
            live: true,
        },
        attributes,
    }
}

fn naive_page(
    truth: &HashMap<Uuid, Entry>,
    defs: &[AttributeDef],
    keyword: Option<&str>,
    category: Category,
    sort: &Sort,
) -> Vec<Uuid> {
    let key = |e: &Entry| match sort.attribute.as_str() {
        "created_at" => SortValue::Number(e.slot.created_at as f64),
        name => e.attributes.get(name).map_or(SortValue::Empty, |v| {
            SortValue::of(
                defs.iter().find(|d| d.name.as_str() == name).expect("def"),
                v,
            )
        }),
    };
    let kept: Vec<&Entry> = truth
        .values()
        .filter(|e| in_category(&e.slot, category))
        .filter(|e| {
            keyword.is_none_or(|k| {
                defs.iter().any(|d| {
                    e.attributes
                        .get(d.name.as_str())
                        .and_then(|v| search_text(d, v))
                        .is_some_and(|t| t.contains(k))
                })
            })
        })
        .collect();
    // Keys made once per entry: a text key is a collation sort key, too dear to make per comparison.
    let mut keyed: Vec<(SortValue, &Entry)> = kept.into_iter().map(|e| (key(e), e)).collect();
    keyed.sort_by(|a, b| sort.compare_keys(&a.0, a.1.slot.id, &b.0, b.1.slot.id));
    keyed.iter().map(|(_, e)| e.slot.id).collect()
}

fn check(index: &Index, cache: &OrderCache, truth: &HashMap<Uuid, Entry>, defs: &[AttributeDef]) {
    let sorts = [
        Sort::default(),
        Sort {
            attribute: "name".into(),
            descending: false,
        },
    ];
    for sort in &sorts {
        for (keyword, category) in [
            (None, Category::All),
            (None, Category::RealName),
            (Some("a"), Category::All),
            (Some("王"), Category::Anonymous),
            (Some("xi'an"), Category::All),
            (Some("zz"), Category::All),
        ] {
            let expected = naive_page(truth, defs, keyword, category, sort);
            let selection = match keyword {
                None => Selection::Category(category),
                Some(k) if category == Category::All => {
                    Selection::Matches(scan(index, &search(SearchField::Any, k)))
                }
                Some(k) => Selection::Slots(
                    scan(index, &search(SearchField::Any, k))
                        .iter()
                        .filter(|&s| in_category(&index.slots[s as usize], category))
                        .collect(),
                ),
            };
            let (total, all) = page_of(index, cache, selection, sort, 0, u64::MAX);
            assert_eq!(
                total as usize,
                expected.len(),
                "{keyword:?} {category:?} {sort:?}"
            );
            assert_eq!(all, expected, "{keyword:?} {category:?} {sort:?}");
        }
    }
}

#[test]
fn scans_and_pages_agree_with_a_naive_answer_across_chunks() {
    let defs = defs();
    let mut index = Index::new(defs.clone(), 0);
    let cache = OrderCache::default();
    let mut truth: HashMap<Uuid, Entry> = HashMap::new();
    let contacts = SELECT_RESULTS_MAX as u64 + 12_000;
    for batch in (0..contacts).collect::<Vec<_>>().chunks(7_000) {
        let entries: Vec<Entry> = batch.iter().map(|&n| entry(n, 0)).collect();
        let ids: Vec<Uuid> = entries.iter().map(|e| e.slot.id).collect();
        for &n in batch {
            truth.insert(Uuid::from_u128(u128::from(n) + 1), entry(n, 0));
        }
        index.apply(&ids, entries);
    }
    let name = defs
        .iter()
        .find(|d| d.name.as_str() == "name")
        .expect("name");
    let values: HashMap<Uuid, Json> = truth
        .values()
        .filter_map(|e| e.attributes.get("name").map(|v| (e.slot.id, v.clone())))
        .collect();
    index.set_sort_column(name.clone(), values, 4);
    check(&index, &cache, &truth, &defs);
    // Replace and delete contacts spread over every chunk, twice, and check the patched orders.
    for round in 1..=2_u64 {
        let changed: Vec<u64> = (0..contacts).filter(|n| n % 37 == round).collect();
        let mut ids = Vec::new();
        let mut loaded = Vec::new();
        for &n in &changed {
            let id = Uuid::from_u128(u128::from(n) + 1);
            ids.push(id);
            if n % 3 == 0 {
                truth.remove(&id);
            } else {
                truth.insert(id, entry(n, round));
                loaded.push(entry(n, round));
            }
        }
        index.apply(&ids, loaded);
        check(&index, &cache, &truth, &defs);
    }
}

#[test]
fn long_keywords_are_checked_exactly_when_candidates_are_many() {
    // 60,000 candidates: past the threshold where the check is split between threads. Every text
    // holds `ab` and `bc`, so all are candidates for `abc`; only the even slots hold it.
    let mut index = Index::new(defs(), 0);
    let count = 60_000_u64;
    let entries: Vec<Entry> = (0..count)
        .map(|n| {
            let mut e = entry(n, 0);
            let name = if n % 2 == 0 { "abcx" } else { "abxbc" };
            e.attributes.insert("name".to_owned(), json!(name));
            e
        })
        .collect();
    let ids: Vec<Uuid> = entries.iter().map(|e| e.slot.id).collect();
    index.apply(&ids, entries);
    let found: Vec<u32> = scan(
        &index,
        &search(SearchField::Attribute("name".into()), "abc"),
    )
    .iter()
    .collect();
    let expected: Vec<u32> = (0..count as u32).filter(|s| s % 2 == 0).collect();
    assert_eq!(found, expected);
}

#[test]
fn masked_searches_match_whole_values_exactly_when_candidates_are_many() {
    // Every text holds an `8`, so all 60,000 are candidates of a phone-like keyword ending in 8
    // (the threaded check); only the even slots hold the whole mobile, which `name` masks.
    let mut index = Index::new(defs(), 0);
    let count = 60_000_u64;
    let entries: Vec<Entry> = (0..count)
        .map(|n| {
            let mut e = entry(n, 0);
            // Every tenth number splits its last digits with a dash: only the separator
            // candidates find it, the run of its last four digits does not.
            let name = match (n % 2, n % 10) {
                (0, 0) => "1381234567-8",
                (0, _) => "138 1234 5678",
                _ => "Anna 8",
            };
            e.attributes.insert("name".to_owned(), json!(name));
            e
        })
        .collect();
    let ids: Vec<Uuid> = entries.iter().map(|e| e.slot.id).collect();
    index.apply(&ids, entries);
    let masked = |keyword: &str| -> Vec<u32> {
        let search = Search {
            mode: SearchMode::WholeMasked,
            ..search(SearchField::Attribute("name".into()), keyword)
        };
        scan(&index, &search).iter().collect()
    };
    let even: Vec<u32> = (0..count as u32).filter(|s| s % 2 == 0).collect();
    assert_eq!(masked("+86 138-1234-5678"), even);
    assert_eq!(masked("008613812345678"), even);
    assert!(masked("1381").is_empty() && masked("138 1234").is_empty());
    assert_eq!(
        masked("anna").len(),
        30_000,
        "unmasked values match by substring"
    );
}

#[test]
fn chinese_names_sort_by_pinyin_in_the_index() {
    // By code point 张 (U+5F20) < 李 (U+674E) < 王 (U+738B) and 伟 (U+4F1F) < 芳 (U+82B3); by
    // pinyin li < wang fang < wang wei < zhang.
    let names = ["王伟", "张伟", "李娜", "王芳"];
    let defs = defs();
    let mut index = Index::new(defs.clone(), 0);
    let entries: Vec<Entry> = names
        .iter()
        .enumerate()
        .map(|(n, name)| {
            let mut e = entry(n as u64, 0);
            e.attributes.insert("name".to_owned(), json!(name));
            e
        })
        .collect();
    let ids: Vec<Uuid> = entries.iter().map(|e| e.slot.id).collect();
    let values: HashMap<Uuid, Json> = entries
        .iter()
        .map(|e| (e.slot.id, e.attributes["name"].clone()))
        .collect();
    index.apply(&ids, entries);
    let name = defs
        .iter()
        .find(|d| d.name.as_str() == "name")
        .expect("name");
    index.set_sort_column(name.clone(), values, 4);
    let named = |descending: bool| {
        let sort = Sort {
            attribute: "name".into(),
            descending,
        };
        let cache = OrderCache::default();
        let (_, order) = page_of(
            &index,
            &cache,
            Selection::Category(Category::All),
            &sort,
            0,
            u64::MAX,
        );
        order
            .iter()
            .map(|id| names[(id.as_u128() - 1) as usize])
            .collect::<Vec<_>>()
    };
    assert_eq!(named(false), ["李娜", "王芳", "王伟", "张伟"]);
    assert_eq!(named(true), ["张伟", "王伟", "王芳", "李娜"]);
}
