//! Writing from the Chinese contacts pages: a contact created from the list, an admin's inline
//! edit, a label created from the contact page, and no bulk delete for marketers.

use crate::contact_zh::{go, open_zh, write};
use crate::harness::{App, chromium, click_and_wait, eval, screenshot, text, type_into};
use panorama_core::access::{NewUser, Password, Role, UserName};
use panorama_core::contact::{ContactId, WriteContext};
use panorama_core::event::{EventFilter, TimelineQuery};
use panorama_core::label::NewLabel;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contact_is_created_from_the_list_and_opened() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(0).await;
    let page = open_zh(&chromium, &app, "/contacts").await;
    click_and_wait(&page, "[data-create-contact]").await;
    type_into(&page, "#new-name", "赵敏").await;
    type_into(&page, "#new-mobile", "12").await;
    type_into(&page, "#new-city", "杭州").await;
    click_and_wait(&page, ".contact-new-form button[type=submit]").await;
    let error = text(&page, ".error-banner").await;
    assert!(error.contains("手机号") && error.contains("12"), "{error}");
    assert!(!error.contains("mobile"), "{error}");
    let kept: String = eval(&page, "document.querySelector('#new-name').value").await;
    assert_eq!(kept, "赵敏", "typed values stay");
    eval::<bool>(
        &page,
        "(document.querySelector('#new-mobile').value = '', true)",
    )
    .await;
    type_into(&page, "#new-mobile", "13700003333").await;
    eval::<bool>(
        &page,
        "(document.querySelector('#new-gender').value = 'female', true)",
    )
    .await;
    click_and_wait(&page, ".contact-new-form button[type=submit]").await;
    let url = page.url().await.ok().flatten().unwrap_or_default();
    let id = url
        .split("/contacts/")
        .nth(1)
        .and_then(|rest| rest.split(['?', '#']).next())
        .expect("the new contact's page");
    let contact_id = ContactId::parse(id).expect("a contact id");
    let stored = app.store.get_contact(contact_id).await.expect("read");
    let stored = stored.expect("the contact is stored");
    assert_eq!(
        stored.attributes.get("mobile"),
        Some(&json!("+8613700003333"))
    );
    assert_eq!(stored.attributes.get("gender"), Some(&json!("female")));
    assert_eq!(stored.attributes.get("city"), Some(&json!("杭州")));
    assert_eq!(text(&page, "#identity-name").await, "赵敏");
    screenshot(&page, "contact-created-zh").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_edits_a_value_in_place_and_a_new_label_is_created_there() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(0).await;
    let id = write(
        &app,
        json!({"name": "周杰", "mobile": "13600004444", "city": "北京"}),
    )
    .await;
    let page = open_zh(&chromium, &app, &format!("/contacts/{id}")).await;
    assert!(
        eval::<bool>(&page, "!document.querySelector('[data-edit=order_count]')").await,
        "computed attributes stay read-only"
    );
    eval::<bool>(
        &page,
        "(document.querySelector('[data-edit=city]').open = true, true)",
    )
    .await;
    eval::<bool>(
        &page,
        "(document.querySelector('#edit-city').value = '', true)",
    )
    .await;
    type_into(&page, "#edit-city", "深圳").await;
    click_and_wait(&page, "[data-edit=city] button[type=submit]").await;
    let contact_id = ContactId::parse(&id).expect("an id");
    let stored = app.store.get_contact(contact_id).await.expect("read");
    let stored = stored.expect("stored");
    assert_eq!(stored.attributes.get("city"), Some(&json!("深圳")));
    assert_eq!(text(&page, "[data-attribute=city] dd").await, "深圳");
    let query = TimelineQuery {
        filter: EventFilter::default(),
        limit: 10,
        cursor: None,
    };
    let events = app
        .store
        .timeline(contact_id, &query)
        .await
        .expect("timeline");
    assert!(
        events.items.iter().any(|e| e.event == "attribute_change"
            && e.properties.get("attribute") == Some(&json!("city")))
    );
    let change = text(&page, "[data-event=attribute_change] summary strong").await;
    assert_eq!(change, "属性变更");
    let shown: String = eval(
        &page,
        "document.querySelector('[data-event=attribute_change] .properties').textContent",
    )
    .await;
    assert!(shown.contains("城市") && shown.contains("深圳"), "{shown}");

    type_into(&page, ".label-add input[name=label]", "高价值客户").await;
    click_and_wait(&page, ".label-add button[type=submit]").await;
    let offer = text(&page, "[data-label-create]").await;
    assert!(
        offer.contains("高价值客户") && offer.contains("不存在"),
        "{offer}"
    );
    click_and_wait(&page, "[data-label-create] button[type=submit]").await;
    let catalog = app.store.label_catalog().await.expect("catalog");
    let label = catalog
        .find("高价值客户")
        .expect("the label is in the catalog");
    let carried = app.store.contact_labels(contact_id).await.expect("labels");
    assert!(carried.iter().any(|l| l.label_id == label.label_id));
    let chips = text(&page, "[data-kind=contact] .label-chips").await;
    assert!(chips.contains("高价值客户"), "{chips}");
    let timeline = text(&page, "[data-event=label_add]").await;
    assert!(
        timeline.contains("高价值客户") && !timeline.contains("label_id"),
        "{timeline}"
    );
    screenshot(&page, "contact-edited-zh").await;

    // More labels than the row shows: "共 N 个标签 >" opens the rest.
    for index in 0..13 {
        let new = NewLabel {
            name: format!("兴趣{index}"),
            group_id: None,
            hidden: false,
        };
        let label = app.store.create_label(&new).await.expect("a label");
        let context = WriteContext::now("test");
        app.store
            .add_label(label.label_id, &[contact_id], &context)
            .await
            .expect("put on");
    }
    go(&page, &format!("{}/contacts/{id}", app.base)).await;
    assert_eq!(
        text(&page, "[data-more-labels] summary").await,
        "共 14 个标签 >"
    );
    let shown: u32 = eval(
        &page,
        "document.querySelectorAll('[data-kind=contact] > .label-chips > .chip').length",
    )
    .await;
    let more: u32 = eval(
        &page,
        "document.querySelectorAll('[data-more-labels] .chip').length",
    )
    .await;
    assert_eq!((shown, shown + more), (12, 14));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_marketer_is_not_offered_bulk_delete() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(3).await;
    let password = Password::parse("marketer-password", "password").expect("a password");
    app.store
        .create_user(NewUser {
            name: UserName::parse("mia", "name").expect("a name"),
            role: Role::Marketer,
            may_reveal: false,
            password_hash: password.hash().expect("a hash"),
            created_at: jiff::Timestamp::now(),
        })
        .await
        .expect("the marketer is created");
    let page = chromium
        .browser
        .new_page(format!("{}/sign-in?next=/contacts", app.base))
        .await
        .expect("a page");
    page.wait_for_navigation().await.expect("loaded");
    type_into(&page, "input[name=name]", "mia").await;
    type_into(&page, "input[name=password]", "marketer-password").await;
    click_and_wait(&page, ".sign-in button[type=submit]").await;
    assert!(
        eval::<bool>(
            &page,
            "!!document.querySelector('[data-bulk-action=add_label]')"
        )
        .await
    );
    assert!(eval::<bool>(&page, "!document.querySelector('[data-bulk-delete]')").await);
    assert!(eval::<bool>(&page, "!!document.querySelector('[data-create-contact]')").await);
}
