//! Searching the contacts list as you type: any field and one field, a two-character Chinese
//! name, a digit run inside mobile numbers; the match count equals a plain scan; tabs keep the
//! search; the export link carries the filter and its CSV holds the matching rows.

use crate::harness::{App, chromium, click_and_wait, eval, screenshot, text, type_into};
use crate::list_support::{TOTAL, everything, scan_count, wait_until};
use panorama_core::contact::Category;

/// Choose `field` in the field selector as a person does (the change searches at once).
async fn choose_field(page: &chromiumoxide::Page, field: &str) {
    let _: bool = eval(
        page,
        &format!(
            "(() => {{ const s = document.querySelector('[data-search-field]'); s.value = '{field}';
               s.dispatchEvent(new Event('change', {{bubbles: true}})); return true; }})()"
        ),
    )
    .await;
}

/// Empty the keyword box and type `keyword`, then wait for the list to show `expected` matches.
async fn search(page: &chromiumoxide::Page, keyword: &str, expected: u64) {
    let _: bool = eval(
        page,
        "(() => { document.querySelector('[data-search-q]').value = ''; return true; })()",
    )
    .await;
    type_into(page, "[data-search-q]", keyword).await;
    let encoded = serde_json::to_string(keyword).expect("JSON");
    wait_until(
        page,
        &format!(
            "new URLSearchParams(location.search).get('q') === {encoded} && {TOTAL} === {expected}"
        ),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_as_you_type_counts_like_a_scan_and_keeps_the_tab() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(400).await;
    let (schema, contacts) = everything(app.store.as_ref()).await;
    let chinese = contacts
        .iter()
        .filter_map(|c| c.attributes.get("name")?.as_str())
        .find(|name| name.chars().count() == 2 && !name.is_ascii())
        .expect("the demo has two-character Chinese names")
        .to_owned();
    let mobile = contacts
        .iter()
        .filter_map(|c| c.attributes.get("mobile")?.as_str())
        .next()
        .expect("the demo has mobiles")
        .to_owned();
    // Seven digits from inside the number, past the country code.
    let digits: String = mobile.chars().skip(5).take(7).collect();

    let page = chromium.open(&format!("{}/contacts", app.base)).await;
    let any = scan_count(&schema, &contacts, Category::All, "any", &chinese);
    assert!(any > 0);
    search(&page, &chinese, any).await;
    let shown = text(&page, ".list-total").await;
    assert!(
        shown.contains(&chinese) && shown.contains("match"),
        "the total says what matched: {shown}"
    );
    let rows: u64 = eval(
        &page,
        "document.querySelectorAll('table.contacts-grid tbody tr').length",
    )
    .await;
    assert_eq!(rows, any.min(50));
    screenshot(&page, "contacts-search-chinese").await;

    choose_field(&page, "name").await;
    let by_name = scan_count(&schema, &contacts, Category::All, "name", &chinese);
    wait_until(
        &page,
        &format!(
            "new URLSearchParams(location.search).get('field') === 'name' && {TOTAL} === {by_name}"
        ),
    )
    .await;

    choose_field(&page, "mobile").await;
    let by_mobile = scan_count(&schema, &contacts, Category::All, "mobile", &digits);
    assert!(by_mobile > 0, "{digits} is inside {mobile}");
    search(&page, &digits, by_mobile).await;
    let first_mobile: String = eval(
        &page,
        "[...document.querySelectorAll('table.contacts-grid th[data-column]')].findIndex(th => th.dataset.column === 'mobile') >= 0 ? 'shown' : 'hidden'",
    )
    .await;
    assert_eq!(first_mobile, "shown", "mobile is a default column");

    // A tab keeps the search; the search keeps the tab.
    click_and_wait(&page, "[data-tab=real_name]").await;
    let real = scan_count(&schema, &contacts, Category::RealName, "mobile", &digits);
    assert_eq!(eval::<u64>(&page, TOTAL).await, real);
    assert_eq!(
        eval::<String>(&page, "document.querySelector('[data-search-q]').value").await,
        digits
    );
    assert_eq!(
        eval::<String>(&page, "document.querySelector('[data-search-field]').value").await,
        "mobile"
    );
    search(
        &page,
        &chinese,
        scan_count(&schema, &contacts, Category::RealName, "mobile", &chinese),
    )
    .await;
    let tab: String = eval(
        &page,
        "document.querySelector('.tabs a[aria-current=page]').dataset.tab",
    )
    .await;
    assert_eq!(tab, "real_name");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_size_chosen_in_place_is_kept_by_the_next_search() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(150).await;
    let (schema, contacts) = everything(app.store.as_ref()).await;
    let page = chromium.open(&format!("{}/contacts", app.base)).await;
    let _: bool = eval(
        &page,
        "(() => { const s = document.querySelector('#page-size'); s.value = '20';
           s.dispatchEvent(new Event('change', {bubbles: true})); return true; })()",
    )
    .await;
    wait_until(
        &page,
        "document.querySelectorAll('table.contacts-grid tbody tr').length === 20",
    )
    .await;
    let expected = scan_count(&schema, &contacts, Category::All, "any", "e");
    assert!(expected > 20);
    search(&page, "e", expected).await;
    let rows: u64 = eval(
        &page,
        "document.querySelectorAll('table.contacts-grid tbody tr').length",
    )
    .await;
    assert_eq!(rows, 20, "the search keeps the page size");
    assert!(
        eval::<String>(&page, "location.search")
            .await
            .contains("size=20")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_export_link_carries_the_filter_and_its_csv_holds_the_matches() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(300).await;
    let (schema, contacts) = everything(app.store.as_ref()).await;
    let page = chromium
        .open(&format!("{}/contacts?category=real_name", app.base))
        .await;
    let keyword = "an";
    let expected = scan_count(&schema, &contacts, Category::RealName, "any", keyword);
    assert!(expected > 0);
    search(&page, keyword, expected).await;
    let href: String = eval(&page, "document.querySelector('[data-export=csv]').href").await;
    assert!(href.contains("format=csv"), "{href}");
    assert!(
        href.contains("category=real_name") && href.contains("q=an"),
        "{href}"
    );
    assert!(
        href.contains("columns=name%2Cmobile"),
        "the chosen columns go along: {href}"
    );
    let csv: String = eval(
        &page,
        "fetch(document.querySelector('[data-export=csv]').href).then(r => r.text())",
    )
    .await;
    let lines: Vec<&str> = csv.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(
        lines.len() as u64,
        expected + 1,
        "a header and one line per match"
    );
    assert!(
        lines[0]
            .trim_start_matches('\u{feff}')
            .starts_with("Name,Mobile"),
        "{}",
        lines[0]
    );
    let xlsx: String = eval(&page, "document.querySelector('[data-export=xlsx]').href").await;
    assert!(
        xlsx.contains("format=xlsx") && xlsx.contains("q=an"),
        "{xlsx}"
    );
}
