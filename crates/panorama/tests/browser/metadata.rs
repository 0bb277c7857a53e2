//! The metadata pages: adding, renaming and deleting a custom attribute through forms.

use crate::harness::{App, chromium, click_and_wait, eval, screenshot, text, type_into};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_custom_attribute_added_on_the_page_is_in_the_api() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(5).await;
    let page = chromium
        .open(&format!("{}/metadata/attributes", app.base))
        .await;
    let form = "form[action='/metadata/attributes']";
    type_into(&page, &format!("{form} input[name=name]"), "shoe_size").await;
    type_into(&page, &format!("{form} input[name=display_name]"), "鞋码").await;
    let _: bool = eval(
        &page,
        "(document.querySelector(\"select[name=attribute_type]\").value = 'integer') === 'integer'",
    )
    .await;
    click_and_wait(&page, &format!("{form} button[type=submit]")).await;

    assert_eq!(text(&page, ".notice").await, "Attribute added.");
    let row = text(&page, "tr[data-attribute=shoe_size]").await;
    assert!(row.contains("Integer") && row.contains("Custom"), "{row}");
    screenshot(&page, "metadata-attributes").await;

    let listed = app.api_json("/api/v1/attributes").await;
    let items = listed
        .as_array()
        .or_else(|| listed["items"].as_array())
        .expect("a list of attributes");
    let shoe = items
        .iter()
        .find(|a| a["name"] == "shoe_size")
        .expect("the API lists the new attribute");
    assert_eq!(
        (shoe["display_name"].as_str(), shoe["type"].as_str()),
        (Some("鞋码"), Some("integer"))
    );

    // Delete it, after the confirmation page.
    click_and_wait(&page, "tr[data-attribute=shoe_size] a.danger").await;
    assert!(text(&page, ".confirm p").await.contains("shoe_size"));
    click_and_wait(&page, ".confirm button[type=submit]").await;
    assert_eq!(
        text(&page, ".notice").await,
        "Attribute deleted, with its values."
    );
    let left: u64 = eval(
        &page,
        "document.querySelectorAll('tr[data-attribute=shoe_size]').length",
    )
    .await;
    assert_eq!(left, 0);
    assert!(
        app.store
            .list_attributes()
            .await
            .expect("attributes")
            .iter()
            .all(|a| a.name.as_str() != "shoe_size")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_attribute_says_why_and_keeps_the_form() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(1).await;
    let page = chromium
        .open(&format!("{}/metadata/attributes", app.base))
        .await;
    let form = "form[action='/metadata/attributes']";
    type_into(&page, &format!("{form} input[name=name]"), "city").await;
    type_into(&page, &format!("{form} input[name=display_name]"), "Town").await;
    click_and_wait(&page, &format!("{form} button[type=submit]")).await;
    screenshot(&page, "metadata-attribute-refused").await;
    let error = text(&page, ".error-banner").await;
    assert!(
        error.contains("an attribute with this name exists") && error.contains("city"),
        "{error}"
    );
    assert_eq!(eval::<String>(&page, "document.querySelector(\"form[action='/metadata/attributes'] input[name=display_name]\").value").await, "Town");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn event_definitions_are_grouped_and_a_custom_event_can_be_added() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(1).await;
    let page = chromium
        .open(&format!("{}/metadata/events", app.base))
        .await;
    let groups: Vec<String> = eval(
        &page,
        "[...document.querySelectorAll('.event-group h2 small')].map(e => e.textContent)",
    )
    .await;
    assert_eq!(
        groups,
        [
            "email", "sms", "mms", "wechat", "form", "label", "profile", "order"
        ]
    );
    let form = "form[action='/metadata/events']";
    type_into(&page, &format!("{form} input[name=key]"), "coupon_redeemed").await;
    type_into(
        &page,
        &format!("{form} input[name=display_name]"),
        "领券核销",
    )
    .await;
    type_into(
        &page,
        &format!("{form} input[name=attribute_name]"),
        "coupon_code",
    )
    .await;
    click_and_wait(&page, &format!("{form} button[type=submit]")).await;
    assert_eq!(text(&page, ".notice").await, "Event added.");
    assert!(
        text(&page, "li[data-event=coupon_redeemed]")
            .await
            .contains("coupon_code")
    );
    screenshot(&page, "metadata-events").await;
    let stored = app
        .store
        .list_event_definitions()
        .await
        .expect("definitions");
    let coupon = stored
        .iter()
        .find(|d| d.key.as_str() == "coupon_redeemed")
        .expect("stored");
    assert_eq!(
        (coupon.group.as_str(), coupon.attributes.len()),
        ("custom", 1)
    );
}
