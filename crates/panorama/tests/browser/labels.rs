//! Labels in the browser: the labels page (groups, labels, hide, delete), the follower labels
//! page, and the labels area of the contact page (chips, add with suggestions, remove).

use crate::harness::{App, chromium, click_and_wait, eval, screenshot, text, type_into};
use panorama_core::contact::{ContactId, ContactRecord, WriteContext};
use panorama_core::label::{NewFan, NewLabel};
use panorama_core::metadata::Schema;
use panorama_core::value::ParseOptions;

async fn write(app: &App, attributes: serde_json::Value) -> ContactId {
    let schema = Schema::new(app.store.list_attributes().await.expect("schema"));
    let map = attributes.as_object().expect("an object").clone();
    let record =
        ContactRecord::from_json(&schema, &map, ParseOptions::default()).expect("a valid record");
    let outcome = app
        .store
        .upsert_contacts(&[record], &WriteContext::now("test"))
        .await
        .expect("written");
    outcome[0].contact.contact_id
}

async fn select(page: &chromiumoxide::Page, selector: &str, label: &str) {
    let script = format!(
        "(() => {{ const s = document.querySelector({sel}); const o = [...s.options].find(o => o.textContent.trim() === {label}); s.value = o.value; return s.value !== ''; }})()",
        sel = serde_json::to_string(selector).expect("json"),
        label = serde_json::to_string(label).expect("json"),
    );
    let chosen: bool = eval(page, &script).await;
    assert!(chosen, "no option {label} in {selector}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_labels_page_manages_groups_and_labels() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(0).await;
    let page = chromium.open(&format!("{}/labels", app.base)).await;
    assert!(text(&page, ".empty").await.contains("No labels yet"));
    type_into(&page, "#new-group input[name=name]", "地区").await;
    click_and_wait(&page, "#new-group button[type=submit]").await;
    assert_eq!(text(&page, ".notice").await, "Group created.");
    type_into(&page, "#new-group input[name=name]", "华东").await;
    select(&page, "#new-group select[name=group_id]", "地区").await;
    click_and_wait(&page, "#new-group button[type=submit]").await;
    type_into(&page, "#new-label input[name=name]", "上海").await;
    select(&page, "#new-label select[name=group_id]", "地区 / 华东").await;
    click_and_wait(&page, "#new-label button[type=submit]").await;
    assert_eq!(text(&page, ".notice").await, "Label created.");
    type_into(&page, "#new-label input[name=name]", "VIP").await;
    click_and_wait(&page, "#new-label button[type=submit]").await;
    // The same name in the same group is refused, and the page says why.
    type_into(&page, "#new-label input[name=name]", "vip").await;
    click_and_wait(&page, "#new-label button[type=submit]").await;
    assert!(
        text(&page, ".error-banner")
            .await
            .contains("is already taken")
    );

    let catalog = app.store.label_catalog().await.expect("catalog");
    let shanghai = catalog
        .labels
        .iter()
        .find(|l| l.name == "上海")
        .expect("created");
    assert_eq!(catalog.path(shanghai), "地区 / 华东 / 上海");
    let row = format!("tr[data-label='{}']", shanghai.label_id);
    let classes: String = eval(
        &page,
        &format!("document.querySelector(\"{row}\").className"),
    )
    .await;
    assert!(classes.contains("depth-2"), "{classes}");
    click_and_wait(&page, &format!("{row} td:nth-child(3) button")).await;
    assert_eq!(text(&page, ".notice").await, "Label saved.");
    assert!(
        text(&page, &format!("{row} td:nth-child(3)"))
            .await
            .contains("Hidden")
    );
    screenshot(&page, "labels-page").await;

    click_and_wait(&page, &format!("{row} a.danger")).await;
    assert!(
        text(&page, ".confirm p")
            .await
            .contains("地区 / 华东 / 上海")
    );
    click_and_wait(&page, ".confirm button[type=submit]").await;
    assert_eq!(text(&page, ".notice").await, "Label deleted.");
    let left = app.store.label_catalog().await.expect("catalog");
    assert_eq!(left.labels.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn follower_labels_are_managed_per_official_account() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(0).await;
    let page = chromium.open(&format!("{}/labels/wechat", app.base)).await;
    type_into(
        &page,
        "#register-account input[name=app_id]",
        "wx1234567890abcdef",
    )
    .await;
    type_into(&page, "#register-account input[name=name]", "品牌服务号").await;
    click_and_wait(&page, "#register-account button[type=submit]").await;
    assert_eq!(text(&page, ".notice").await, "Official account saved.");
    let form = "[data-account=wx1234567890abcdef] .new-follower-label";
    type_into(&page, &format!("{form} input"), "金卡会员").await;
    click_and_wait(&page, &format!("{form} button")).await;
    type_into(&page, &format!("{form} input"), "一二三四五六七八九十一").await;
    click_and_wait(&page, &format!("{form} button")).await;
    let refusal = text(&page, ".error-banner").await;
    assert!(refusal.contains("is too long"), "{refusal}");
    assert_eq!(
        text(&page, "[data-account=wx1234567890abcdef] .usage").await,
        "1 / 100"
    );
    screenshot(&page, "labels-wechat").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn labels_are_added_and_removed_on_the_contact_page() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(0).await;
    let id = write(
        &app,
        serde_json::json!({"name": "王芳", "mobile": "13600002222", "wechat_openid": "oWangFang"}),
    )
    .await;
    for name in ["VIP", "复购客户"] {
        let new = NewLabel {
            name: name.into(),
            ..NewLabel::default()
        };
        app.store.create_label(&new).await.expect("a label");
    }
    app.store
        .save_wechat_account("wx00000000000000c3", "官方商城")
        .await
        .expect("an account");
    let fan = NewFan {
        openid: "oWangFang".into(),
        following: true,
    };
    app.store
        .save_fan(id, "wx00000000000000c3", &fan)
        .await
        .expect("a fan");
    app.store
        .create_follower_label("wx00000000000000c3", "上海粉丝")
        .await
        .expect("a follower label");

    let page = chromium.open(&format!("{}/contacts/{id}", app.base)).await;
    let offered: Vec<String> = eval(
        &page,
        "[...document.querySelectorAll('#label-suggestions option')].map(o => o.value)",
    )
    .await;
    assert_eq!(offered, ["VIP", "复购客户"]);
    type_into(&page, "[data-kind=contact] input[name=label]", "复购客户").await;
    click_and_wait(&page, "[data-kind=contact] .label-add button").await;
    assert_eq!(text(&page, ".notice").await, "Label added.");
    assert_eq!(
        text(&page, "[data-kind=contact] .chip span").await,
        "复购客户"
    );
    type_into(
        &page,
        "[data-account=wx00000000000000c3] input[name=label]",
        "上海粉丝",
    )
    .await;
    click_and_wait(&page, "[data-account=wx00000000000000c3] .label-add button").await;
    assert_eq!(
        text(&page, "[data-account=wx00000000000000c3] .chip span").await,
        "上海粉丝"
    );
    screenshot(&page, "contact-labels").await;
    let events: Vec<String> = app
        .store
        .contact_events(id, 100)
        .await
        .expect("events")
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert!(events.contains(&"label_add".into()) && events.contains(&"follower_label_add".into()));

    click_and_wait(&page, "[data-kind=contact] .chip-remove").await;
    assert_eq!(text(&page, ".notice").await, "Label removed.");
    let chips: u64 = eval(
        &page,
        "document.querySelectorAll('[data-kind=contact] .chip').length",
    )
    .await;
    assert_eq!(chips, 0);
    click_and_wait(&page, "[data-account=wx00000000000000c3] .chip-remove").await;
    assert!(
        app.store
            .contact_labels(id)
            .await
            .expect("labels")
            .is_empty()
    );
    assert!(
        app.store.contact_fans(id).await.expect("fans")[0]
            .labels
            .is_empty()
    );
}
