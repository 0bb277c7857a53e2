//! What the contacts-list tests share: waiting for a page condition, and the reference answers
//! (every contact scanned in memory with core's own search and sort rules) to compare pages with.

use chromiumoxide::Page;
use panorama_core::Store;
use panorama_core::contact::{Category, Contact, Search, Sort};
use panorama_core::metadata::Schema;
use panorama_core::store::ContactListQuery;
use std::time::Duration;

/// Longest wait for a page condition, in seconds.
pub const CONDITION_SECONDS_MAX: u64 = 20;

/// Wait until the JavaScript expression `condition` is true on `page`. The page itself watches
/// for it (a `MutationObserver` on the whole document re-checks it after every change, as the page
/// changes on its own after debounced typing and fetches), so nothing polls on a timer.
pub async fn wait_until(page: &Page, condition: &str) {
    let script = format!(
        "new Promise(done => {{
            const check = () => {{ try {{ return Boolean({condition}); }} catch (e) {{ return false; }} }};
            if (check()) {{ done(true); return; }}
            const observer = new MutationObserver(() => {{
                if (check()) {{ observer.disconnect(); done(true); }}
            }});
            observer.observe(document, {{subtree: true, childList: true, attributes: true, characterData: true}});
        }})"
    );
    let shown = tokio::time::timeout(
        Duration::from_secs(CONDITION_SECONDS_MAX),
        page.evaluate(script),
    )
    .await;
    assert!(
        matches!(shown, Ok(Ok(_))),
        "the page never showed `{condition}`"
    );
}

/// The number shown by the list's total (`data-total`).
pub const TOTAL: &str = "Number(document.querySelector('.list-total [data-total]').dataset.total)";

/// The schema and every stored contact.
pub async fn everything(store: &dyn Store) -> (Schema, Vec<Contact>) {
    let schema = Schema::new(store.list_attributes().await.expect("attributes"));
    let all = store
        .list_contacts(ContactListQuery {
            category: Category::All,
            offset: 0,
            limit: u64::MAX,
            label: None,
            search: None,
            sort: Sort::default(),
        })
        .await
        .expect("contacts");
    (schema, all.items)
}

/// How many contacts of `category` a search on `field` for `keyword` finds, by plain scan.
pub fn scan_count(
    schema: &Schema,
    contacts: &[Contact],
    category: Category,
    field: &str,
    keyword: &str,
) -> u64 {
    let search = Search::parse(schema, Some(field), Some(keyword))
        .expect("a valid search")
        .expect("a keyword");
    contacts
        .iter()
        .filter(|c| in_category(c, category) && search.matches(schema, c))
        .count() as u64
}

fn in_category(contact: &Contact, category: Category) -> bool {
    let categories = contact.categories();
    match category {
        Category::All => true,
        Category::RealName => categories.real_name,
        Category::Anonymous => categories.anonymous(),
        Category::WechatFan => categories.wechat_fan,
    }
}

/// The first `rows` values of `attribute` in the list order `sort` gives, as the table shows
/// them (`/` when empty).
pub fn sorted_values(
    schema: &Schema,
    contacts: &[Contact],
    sort: &Sort,
    attribute: &str,
    rows: usize,
) -> Vec<String> {
    let mut keyed: Vec<_> = contacts.iter().map(|c| (sort.key(schema, c), c)).collect();
    keyed.sort_by(|a, b| sort.compare((&a.0, a.1), (&b.0, b.1)));
    keyed
        .iter()
        .take(rows)
        .map(|(_, c)| {
            c.attributes
                .get(attribute)
                .map(panorama_core::value::display)
                .filter(|text| !text.is_empty())
                .unwrap_or_else(|| "/".to_owned())
        })
        .collect()
}

/// The texts of column `index` (0 = the selection checkbox) of every table row.
pub async fn column(page: &Page, index: usize) -> Vec<String> {
    let json: String = page
        .evaluate(format!(
            "JSON.stringify([...document.querySelectorAll('table.contacts-grid tbody tr')]
               .map(r => r.cells[{index}].innerText.trim()))"
        ))
        .await
        .expect("runs")
        .into_value()
        .expect("a string");
    serde_json::from_str(&json).expect("JSON")
}

/// The attribute names of the table's headers, in order.
pub async fn header_names(page: &Page) -> Vec<String> {
    let json: String = page
        .evaluate(
            "JSON.stringify([...document.querySelectorAll('table.contacts-grid th[data-column]')]
               .map(th => th.dataset.column))",
        )
        .await
        .expect("runs")
        .into_value()
        .expect("a string");
    serde_json::from_str(&json).expect("JSON")
}
