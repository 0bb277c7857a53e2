//! The column chooser (filter, move, reorder by button and by dragging, save) surviving a reload,
//! and sorting by a header in both directions.

use crate::harness::{App, chromium, click_and_wait, eval, screenshot, type_into};
use crate::list_support::{column, everything, header_names, sorted_values, wait_until};
use chromiumoxide::Page;
use panorama_core::contact::Sort;

/// The attribute names of one chooser list, in order.
async fn list(page: &Page, which: &str) -> Vec<String> {
    let json: String = eval(
        page,
        &format!(
            "JSON.stringify([...document.querySelectorAll('[data-list={which}] [data-items] > li')]
               .map(li => li.dataset.name))"
        ),
    )
    .await;
    serde_json::from_str(&json).expect("JSON")
}

/// Click the first element matching `selector` (no page load follows).
async fn click(page: &Page, selector: &str) {
    page.find_element(selector)
        .await
        .unwrap_or_else(|e| panic!("no `{selector}`: {e}"))
        .click()
        .await
        .expect("a click");
}

/// Drag the shown column `from` onto the upper half of `onto`, as HTML5 drag and drop does.
async fn drag(page: &Page, from: &str, onto: &str) {
    let _: bool = eval(
        page,
        &format!(
            "(() => {{
              const list = document.querySelector('[data-list=shown] [data-items]');
              const a = list.querySelector('[data-name={from}]'), b = list.querySelector('[data-name={onto}]');
              const data = new DataTransfer(), box = b.getBoundingClientRect();
              a.dispatchEvent(new DragEvent('dragstart', {{bubbles: true, dataTransfer: data}}));
              b.dispatchEvent(new DragEvent('dragover', {{bubbles: true, cancelable: true, dataTransfer: data,
                clientX: box.left + 4, clientY: box.top + 2}}));
              b.dispatchEvent(new DragEvent('drop', {{bubbles: true, cancelable: true, dataTransfer: data}}));
              a.dispatchEvent(new DragEvent('dragend', {{bubbles: true, dataTransfer: data}}));
              return true; }})()"
        ),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chosen_columns_are_moved_reordered_saved_and_survive_a_reload() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(60).await;
    let page = chromium.open(&format!("{}/contacts", app.base)).await;
    let defaults = vec!["name", "mobile", "email", "wechat_nickname", "created_at"];
    assert_eq!(header_names(&page).await, defaults);
    assert_eq!(list(&page, "shown").await, defaults);

    click(&page, "details[data-columns] > summary").await;
    type_into(&page, "[data-list=available] [data-filter]", "cit").await;
    wait_until(&page, "[...document.querySelectorAll('[data-list=available] li:not([hidden])')].map(li => li.dataset.name).join() === 'city'").await;
    click(&page, "[data-list=available] li[data-name=city] input").await;
    wait_until(
        &page,
        "document.querySelector('[data-list=available] [data-checked]').textContent === '1'",
    )
    .await;
    screenshot(&page, "contacts-columns-open").await;
    click(&page, "[data-move=right]").await;
    assert_eq!(
        list(&page, "shown").await.last().map(String::as_str),
        Some("city")
    );

    // Hide two, put city before created_at with its button, and drag email to the top.
    click(&page, "[data-list=shown] li[data-name=mobile] input").await;
    click(
        &page,
        "[data-list=shown] li[data-name=wechat_nickname] input",
    )
    .await;
    click(&page, "[data-move=left]").await;
    click(&page, "[data-list=shown] li[data-name=city] [data-up]").await;
    assert_eq!(
        list(&page, "shown").await,
        ["name", "email", "city", "created_at"]
    );
    drag(&page, "email", "name").await;
    let chosen = ["email", "name", "city", "created_at"];
    assert_eq!(list(&page, "shown").await, chosen);
    let available = list(&page, "available").await;
    assert!(
        available.iter().position(|n| n == "mobile")
            < available.iter().position(|n| n == "wechat_nickname")
    );

    click(&page, "[data-chooser-save]").await;
    wait_until(
        &page,
        "[...document.querySelectorAll('table.contacts-grid th[data-column]')].map(th => th.dataset.column).join() === 'email,name,city,created_at'",
    )
    .await;
    assert!(
        !eval::<bool>(
            &page,
            "document.querySelector('details[data-columns]').open"
        )
        .await
    );
    screenshot(&page, "contacts-columns-saved").await;

    let again = chromium.open(&format!("{}/contacts", app.base)).await;
    assert_eq!(
        header_names(&again).await,
        chosen,
        "the choice survives a reload"
    );
    assert_eq!(list(&again, "shown").await, chosen);
    let cities = column(&again, 3).await;
    assert!(
        cities.iter().all(|c| !c.is_empty()),
        "empty values show as /"
    );

    // The keyboard opens the chooser and Escape closes it, back on its button.
    again
        .find_element("details[data-columns] > summary")
        .await
        .expect("the chooser button")
        .focus()
        .await
        .expect("focus")
        .press_key("Enter")
        .await
        .expect("Enter");
    wait_until(
        &again,
        "document.querySelector('details[data-columns]').open",
    )
    .await;
    again
        .find_element("[data-list=shown] [data-filter]")
        .await
        .expect("the filter box")
        .focus()
        .await
        .expect("focus")
        .press_key("Escape")
        .await
        .expect("Escape");
    wait_until(
        &again,
        "!document.querySelector('details[data-columns]').open && document.activeElement.matches('details[data-columns] > summary')",
    )
    .await;

    // Everything out: saving nothing is refused before it is sent.
    click(&again, "details[data-columns] > summary").await;
    click(&again, "[data-move=all-left]").await;
    assert!(
        eval::<bool>(
            &again,
            "document.querySelector('[data-chooser-save]').disabled"
        )
        .await
    );
    click(&again, "[data-chooser-cancel]").await;
    assert_eq!(
        list(&again, "shown").await,
        chosen,
        "cancel puts the lists back"
    );

    // The same chooser in Chinese.
    click_and_wait(&again, ".lang-switch a[lang=zh-CN]").await;
    click(&again, "details[data-columns] > summary").await;
    let heading: String = eval(&again, "document.querySelector('#chooser-shown').innerText").await;
    assert!(heading.starts_with("已选属性"), "{heading}");
    screenshot(&again, "contacts-columns-zh").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_header_sorts_the_rows_both_ways_and_keeps_the_tab() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(120).await;
    let (schema, contacts) = everything(app.store.as_ref()).await;
    let page = chromium
        .open(&format!("{}/contacts?category=all", app.base))
        .await;
    click_and_wait(&page, "th[data-column=name] a.sort").await;
    assert_eq!(
        eval::<String>(
            &page,
            "document.querySelector('th[data-column=name]').getAttribute('aria-sort')"
        )
        .await,
        "ascending"
    );
    let ascending = Sort {
        attribute: "name".into(),
        descending: false,
    };
    assert_eq!(
        column(&page, 1).await,
        sorted_values(&schema, &contacts, &ascending, "name", 50)
    );
    screenshot(&page, "contacts-sorted-name").await;

    click_and_wait(&page, "th[data-column=name] a.sort").await;
    assert_eq!(
        eval::<String>(
            &page,
            "document.querySelector('th[data-column=name]').getAttribute('aria-sort')"
        )
        .await,
        "descending"
    );
    let descending = Sort {
        attribute: "name".into(),
        descending: true,
    };
    assert_eq!(
        column(&page, 1).await,
        sorted_values(&schema, &contacts, &descending, "name", 50)
    );
    let next: String = eval(
        &page,
        "document.querySelector('.pager a[rel=next]').getAttribute('href')",
    )
    .await;
    assert!(
        next.contains("sort=name") && next.contains("order=desc") && next.contains("page=2"),
        "{next}"
    );
    let tab: String = eval(
        &page,
        "document.querySelector('[data-tab=real_name]').getAttribute('href')",
    )
    .await;
    assert!(
        tab.contains("sort=name") && tab.contains("order=desc"),
        "tabs keep the sort: {tab}"
    );
}
