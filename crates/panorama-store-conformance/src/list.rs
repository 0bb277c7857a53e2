//! Conformance: the contacts list's search and sort give exactly what a plain scan of the stored
//! values gives ([`Search::matches`], [`Sort::compare`]), through random creates, updates, merges,
//! deletes and a schema change, for keywords of every kind (one character, Chinese, digits inside
//! mobiles, `%`, `_`, `\`, `'`, `+`, `@`).

use crate::upsert;
use panorama_core::Store;
use panorama_core::contact::{Category, ContactId, Keyword, Search, SearchField, SearchMode, Sort};
use panorama_core::metadata::{AttributePatch, NewAttribute, Schema};
use panorama_core::store::ContactListQuery;
use serde_json::{Value as Json, json};
use std::collections::BTreeSet;

/// A small deterministic generator (xorshift), so a failure replays.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const NAMES: [&str; 10] = [
    "王伟",
    "王伟明",
    "李娜",
    "Zhang Wei",
    "O'Neil",
    "50%_off",
    r"back\slash",
    "Ann",
    "ÉMILE",
    "张",
];
const CITIES: [&str; 6] = ["上海", "Beijing", "San José", "a+b", "x_y", "Shanghai"];
const KEYWORDS: [&str; 25] = [
    "王",
    "王伟",
    "伟明",
    "a",
    "AN",
    "zhang w",
    "'",
    "%",
    "_",
    r"\",
    "+",
    "@",
    "1381234",
    "+86138",
    "8613",
    "émile",
    "上",
    "jose",
    "nomatch",
    "x_y",
    "example.cn",
    "50%_",
    // Whole values in other spellings, which a masked search matches.
    "13812340003",
    "+86 138-1234-0004",
    "USER3@example.cn",
];

fn attributes(rng: &mut Rng, n: usize) -> Json {
    let mut map = serde_json::Map::new();
    map.insert("mobile".into(), json!(format!("+86138{:08}", 12340000 + n)));
    if rng.below(2) == 0 {
        map.insert("email".into(), json!(format!("user{n}@example.cn")));
    }
    if rng.below(4) > 0 {
        map.insert("name".into(), json!(rng.pick(&NAMES)));
    }
    if rng.below(2) == 0 {
        map.insert("city".into(), json!(rng.pick(&CITIES)));
    }
    if rng.below(2) == 0 {
        map.insert("shoe_size".into(), json!(rng.below(5) + 36));
    }
    if rng.below(3) == 0 {
        map.insert("motto".into(), json!(rng.pick(&NAMES)));
    }
    Json::Object(map)
}

/// Compare the store's answers with a plain scan of `known`.
async fn check(store: &dyn Store, known: &BTreeSet<ContactId>, rng: &mut Rng) {
    let schema = Schema::new(store.list_attributes().await.unwrap());
    let ids: Vec<ContactId> = known.iter().copied().collect();
    let contacts = store.get_contacts(&ids).await.unwrap();
    assert_eq!(
        contacts.len(),
        known.len(),
        "every known contact reads back"
    );
    let sorts = [
        Sort::default(),
        Sort::parse(&schema, Some("name"), Some("asc")).unwrap(),
        Sort::parse(&schema, Some("shoe_size"), Some("desc")).unwrap(),
        Sort::parse(&schema, Some("city"), Some("asc")).unwrap(),
    ];
    let mut searches: Vec<Option<Search>> = vec![None];
    for round in 0..6 {
        let keyword = Keyword::parse(rng.pick(&KEYWORDS)).unwrap().unwrap();
        let field = match rng.below(4) {
            0 => SearchField::Attribute("name".into()),
            1 => SearchField::Attribute("mobile".into()),
            2 if schema.get("motto").is_some_and(|d| d.searchable) => {
                SearchField::Attribute("motto".into())
            }
            _ => SearchField::Any,
        };
        // Every other search as a masked principal's: the index answers that rule exactly too.
        let mode = if round % 2 == 0 {
            SearchMode::Substring
        } else {
            SearchMode::WholeMasked
        };
        searches.push(Some(Search {
            field,
            keyword,
            mode,
        }));
    }
    for search in &searches {
        for category in [
            Category::All,
            Category::RealName,
            Category::Anonymous,
            Category::WechatFan,
        ] {
            let sort = sorts[rng.below(sorts.len())].clone();
            let mut expected: Vec<_> = contacts
                .iter()
                .filter(|c| match category {
                    Category::All => true,
                    Category::RealName => c.categories().real_name,
                    Category::Anonymous => !c.categories().real_name,
                    Category::WechatFan => c.categories().wechat_fan,
                })
                .filter(|c| search.as_ref().is_none_or(|s| s.matches(&schema, c)))
                .map(|c| (sort.key(&schema, c), c))
                .collect();
            expected.sort_by(|a, b| sort.compare((&a.0, a.1), (&b.0, b.1)));
            let expected: Vec<ContactId> = expected.iter().map(|(_, c)| c.contact_id).collect();
            let query = ContactListQuery {
                search: search.clone(),
                sort: sort.clone(),
                ..ContactListQuery::category(category, u64::MAX)
            };
            let got = store.list_contact_ids(query.clone()).await.unwrap();
            assert_eq!(got.total as usize, expected.len(), "total of {query:?}");
            assert_eq!(got.ids, expected, "order of {query:?}");
            let page = store
                .list_contact_ids(ContactListQuery {
                    offset: 2,
                    limit: 3,
                    ..query.clone()
                })
                .await
                .unwrap();
            let window: Vec<_> = expected.iter().skip(2).take(3).copied().collect();
            assert_eq!(page.ids, window, "page of {query:?}");
        }
    }
    let overview = store.overview(jiff::Timestamp::now()).await.unwrap();
    assert_eq!(overview.all as usize, known.len());
}

pub async fn search_and_sort_match_a_plain_scan_through_random_writes(store: &dyn Store) {
    for (name, kind) in [("shoe_size", "integer"), ("motto", "string")] {
        store
            .create_attribute(&NewAttribute {
                name: name.into(),
                display_name: name.into(),
                attribute_type: kind.into(),
                ..Default::default()
            })
            .await
            .unwrap();
    }
    let mut rng = Rng(0x5eed_cafe);
    let mut known = BTreeSet::new();
    for n in 0..160 {
        match rng.below(10) {
            0..=4 => {
                let attributes = attributes(&mut rng, n);
                known.insert(upsert(store, attributes).await.contact.contact_id);
            }
            5 | 6 if !known.is_empty() => {
                // Update: same mobile as an earlier contact, new values.
                let earlier = rng.below(n.max(1));
                let mut attributes = attributes(&mut rng, earlier);
                attributes["name"] = json!(rng.pick(&NAMES));
                let outcome = upsert(store, attributes).await;
                known.insert(outcome.contact.contact_id);
                for merged in outcome.merged {
                    known.remove(&merged);
                }
            }
            7 => {
                // A record holding two contacts' keys merges them.
                let (a, b) = (rng.below(n.max(1)), rng.below(n.max(1)));
                let record = json!({
                    "mobile": format!("+86138{:08}", 12340000 + a),
                    "email": format!("user{b}@example.cn"),
                    "name": rng.pick(&NAMES),
                });
                let outcome = upsert(store, record).await;
                known.insert(outcome.contact.contact_id);
                for merged in outcome.merged {
                    known.remove(&merged);
                }
            }
            8 if !known.is_empty() => {
                let victim = *known.iter().nth(rng.below(known.len())).unwrap();
                assert!(store.delete_contact(victim).await.unwrap());
                known.remove(&victim);
            }
            _ => {
                // An anonymous WeChat fan: no mobile, no email.
                let outcome = upsert(
                    store,
                    json!({"wechat_openid": format!("oFan{n}"), "name": rng.pick(&NAMES)}),
                )
                .await;
                known.insert(outcome.contact.contact_id);
            }
        }
        if n % 20 == 19 {
            check(store, &known, &mut rng).await;
        }
        if n == 100 {
            // Turning search off for an attribute changes what `any` finds.
            store
                .update_attribute(
                    "motto",
                    &AttributePatch {
                        searchable: Some(false),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            check(store, &known, &mut rng).await;
        }
    }
}
