//! Bulk actions from the contacts list: deleting ticked rows after a confirmation, and labelling
//! every contact of a search at once; the list and its counts refresh when the job ends.

use crate::harness::{App, chromium, eval, screenshot, type_into};
use crate::list_support::{TOTAL, everything, scan_count, wait_until};
use chromiumoxide::Page;
use panorama_core::contact::Category;
use panorama_core::label::NewLabel;

async fn click(page: &Page, selector: &str) {
    page.find_element(selector)
        .await
        .unwrap_or_else(|e| panic!("no `{selector}`: {e}"))
        .click()
        .await
        .expect("a click");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ticked_rows_are_deleted_after_a_confirmation() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(80).await;
    let page = chromium.open(&format!("{}/contacts", app.base)).await;
    assert!(eval::<bool>(&page, "document.querySelector('[data-bulk]').hidden").await);
    let ids: Vec<String> = serde_json::from_str(
        &eval::<String>(
            &page,
            "JSON.stringify([...document.querySelectorAll('[data-select-row]')].slice(0, 2).map(b => b.value))",
        )
        .await,
    )
    .expect("JSON");
    for id in &ids {
        click(&page, &format!("[data-select-row][value='{id}']")).await;
    }
    wait_until(&page, "!document.querySelector('[data-bulk]').hidden").await;
    assert!(
        eval::<bool>(
            &page,
            "document.querySelector('[data-select-page]').indeterminate"
        )
        .await
    );
    assert!(
        eval::<String>(
            &page,
            "document.querySelector('[data-bulk-count]').textContent"
        )
        .await
        .starts_with("2 ")
    );
    click(&page, "[data-bulk-delete]").await;
    wait_until(&page, "document.querySelector('[data-bulk-confirm]').open").await;
    screenshot(&page, "contacts-bulk-confirm").await;
    click(&page, "[data-confirm-yes]").await;
    wait_until(&page, &format!("{TOTAL} === 78")).await;
    for id in &ids {
        let gone: bool = eval(
            &page,
            &format!("!document.querySelector(\"tr[data-id='{id}']\")"),
        )
        .await;
        assert!(gone, "{id} left the table");
    }
    wait_until(
        &page,
        "document.querySelector('[data-count=all]').textContent.trim() === '78'",
    )
    .await;
    screenshot(&page, "contacts-bulk-deleted").await;
    let overview = app
        .store
        .overview(jiff::Timestamp::now())
        .await
        .expect("counts");
    assert_eq!(overview.all, 78);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_contact_of_a_search_gets_a_label() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(200).await;
    let label = app
        .store
        .create_label(&NewLabel {
            name: "VIP".into(),
            ..NewLabel::default()
        })
        .await
        .expect("a label");
    let (schema, contacts) = everything(app.store.as_ref()).await;
    let keyword = "a";
    let expected = scan_count(&schema, &contacts, Category::All, "any", keyword);
    assert!(expected > 20, "more matches than one small page");
    let page = chromium
        .open(&format!("{}/contacts?size=20", app.base))
        .await;
    type_into(&page, "[data-search-q]", keyword).await;
    wait_until(&page, &format!("{TOTAL} === {expected}")).await;
    click(&page, "[data-select-page]").await;
    wait_until(
        &page,
        "!document.querySelector('[data-select-matching]').hidden",
    )
    .await;
    click(&page, "[data-select-matching]").await;
    let count: String = eval(
        &page,
        "document.querySelector('[data-bulk-count]').textContent",
    )
    .await;
    assert!(count.contains(&expected.to_string()), "{count}");
    let _: bool = eval(
        &page,
        &format!("(() => {{ document.querySelector('[data-bulk-label]').value = '{}'; return true; }})()", label.label_id),
    )
    .await;
    click(&page, "[data-bulk-action=add_label]").await;
    wait_until(
        &page,
        "document.querySelector('[data-bulk-status]').textContent.startsWith('Done')",
    )
    .await;
    screenshot(&page, "contacts-bulk-labelled").await;
    let catalog = app.store.label_catalog().await.expect("labels");
    let labelled = catalog.label(label.label_id).expect("the label").contacts;
    assert_eq!(labelled, expected);

    // The labels page links here with `label=`: the list names the filter and counts its contacts.
    let filtered = chromium
        .open(&format!("{}/contacts?label={}", app.base, label.label_id))
        .await;
    assert_eq!(eval::<u64>(&filtered, TOTAL).await, expected);
    assert!(
        eval::<String>(
            &filtered,
            "document.querySelector('[data-label-filter]').innerText"
        )
        .await
        .contains("VIP")
    );
}
