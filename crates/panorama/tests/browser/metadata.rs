//! The metadata pages: adding, renaming and deleting a custom attribute through forms, and
//! renaming presets in either language.

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
    assert!(text(&page, ".confirm p").await.contains("鞋码"));
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
        error.contains("“city” is already taken") && !error.contains('`'),
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
        "[...document.querySelectorAll('.event-group h2 code')].map(e => e.textContent)",
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_renames_a_preset_and_its_choices_in_chinese() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(1).await;
    let page = chromium
        .open(&format!("{}/metadata/attributes", app.base))
        .await;
    click_and_wait(&page, "tr[data-attribute=gender] a.names-link").await;
    let set = "(() => { const f = document.querySelector('#names-form'); \
        f.querySelector('[name=name_zh]').value = '客户性别'; \
        f.querySelector('[name=\"value_zh:female\"]').value = '女士'; return true; })()";
    let _: bool = eval(&page, set).await;
    click_and_wait(&page, "#names-form button[type=submit]").await;
    assert_eq!(text(&page, ".notice").await, "Attribute saved.");
    let schema = panorama_core::metadata::Schema::new(
        app.store.list_attributes().await.expect("attributes"),
    );
    let gender = schema.get("gender").expect("gender");
    use panorama_core::metadata::Language;
    assert_eq!(gender.label(Language::Zh), "客户性别");
    assert_eq!(gender.label(Language::En), "Gender");
    assert_eq!(gender.value_label("female", Language::Zh), "女士");

    let zh = chromium
        .open(&format!("{}/lang/zh?next=/metadata/events", app.base))
        .await;
    assert!(
        text(&zh, "li[data-event=email_sent] strong")
            .await
            .chars()
            .all(|c| !c.is_ascii_alphabetic())
    );
    click_and_wait(&zh, "li[data-event=email_sent] a.names-link").await;
    let _: bool = eval(
        &zh,
        "(document.querySelector('#names-form [name=name_zh]').value = '营销邮件发送') !== ''",
    )
    .await;
    click_and_wait(&zh, "#names-form button[type=submit]").await;
    assert_eq!(text(&zh, ".notice").await, "事件已保存。");
    assert_eq!(
        text(&zh, "li[data-event=email_sent] strong").await,
        "营销邮件发送"
    );
    screenshot(&zh, "metadata-events-zh").await;
    let attributes = chromium
        .open(&format!("{}/metadata/attributes", app.base))
        .await;
    assert_eq!(
        text(&attributes, "tr[data-attribute=gender] .shown-name").await,
        "客户性别"
    );
}
