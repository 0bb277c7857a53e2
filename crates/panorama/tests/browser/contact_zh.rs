//! The contacts list and the contact page in Chinese: headers, values and event titles in
//! Chinese with no English interface word left, creating a contact from the list, an admin's
//! inline edit, a label created from the contact page, no bulk delete for marketers, and both
//! pages at 390 px wide.

use crate::harness::{App, Chromium, chromium, click_and_wait, eval, screenshot, text, type_into};
use chromiumoxide::Page;
use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
use panorama_core::access::{NewUser, Password, Role, UserName};
use panorama_core::contact::{ContactId, ContactRecord, WriteContext};
use panorama_core::event::{EventFilter, TimelineQuery};
use panorama_core::label::NewLabel;
use panorama_core::metadata::{Language, Schema};
use panorama_core::value::ParseOptions;
use serde_json::json;

async fn write(app: &App, attributes: serde_json::Value) -> String {
    let schema = Schema::new(app.store.list_attributes().await.expect("schema"));
    let map = attributes.as_object().expect("an object").clone();
    let record =
        ContactRecord::from_json(&schema, &map, ParseOptions::default()).expect("a valid record");
    let outcome = app
        .store
        .upsert_contacts(&[record], &WriteContext::now("test"))
        .await
        .expect("written");
    outcome[0].contact.contact_id.to_string()
}

/// Send one `email_open` event for the contact holding `mobile` through the API.
async fn email_open(app: &App, mobile: &str) {
    let body = json!({"events": [{
        "event_id": format!("open-{mobile}"), "event": "email_open",
        "occurred_at": "2026-03-01T09:00:00+08:00", "identity": {"mobile": mobile},
        "properties": {"subject": "春季新品"}
    }]});
    let status = reqwest::Client::new()
        .post(format!("{}/api/v1/events", app.base))
        .bearer_auth(&app.api_key)
        .json(&body)
        .send()
        .await
        .expect("the API answers")
        .status();
    assert_eq!(status, 200);
}

/// Open `path` in Chinese (the language switch sets the cookie and comes back).
async fn open_zh(chromium: &Chromium, app: &App, path: &str) -> Page {
    let page = chromium.open(&format!("{}/contacts", app.base)).await;
    go(&page, &format!("{}/lang/zh?next={path}", app.base)).await;
    page
}

async fn go(page: &Page, url: &str) {
    page.goto(url).await.expect("the page loads");
    page.wait_for_navigation().await.expect("loaded");
}

/// Every word of Latin letters the main area shows, leaving out what is data: elements marked
/// `translate="no"` (machine names), and the `data` strings given.
async fn english_words(page: &Page, data: &[&str]) -> Vec<String> {
    let shown: String = eval(
        page,
        "(() => { const main = document.querySelector('main').cloneNode(true); \
         main.querySelectorAll('[translate=no], script, .zone-note').forEach(e => e.remove()); \
         document.body.appendChild(main); const t = main.innerText; main.remove(); return t; })()",
    )
    .await;
    let mut rest = shown;
    for value in data {
        rest = rest.replace(value, " ");
    }
    // Product names Chinese software writes in Latin letters too.
    let allowed = ["OpenID", "UnionID", "CSV", "JSON", "Excel", "ID"];
    rest.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() > 1 && !allowed.contains(w))
        .map(str::to_owned)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_and_a_contact_page_speak_chinese() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(0).await;
    let id = write(
        &app,
        json!({"name": "王芳", "mobile": "13900001111", "email": "wang@example.com",
               "gender": "female", "city": "上海", "member_level": "金卡"}),
    )
    .await;
    write(
        &app,
        json!({"name": "李雷", "mobile": "13900002222", "gender": "male"}),
    )
    .await;
    email_open(&app, "13900001111").await;

    let page = open_zh(&chromium, &app, "/contacts").await;
    let headers: Vec<String> = eval(
        &page,
        "[...document.querySelectorAll('.contacts-grid th[data-column]')].map(t => t.innerText.trim())",
    )
    .await;
    assert!(headers.contains(&"姓名".to_owned()), "{headers:?}");
    assert!(headers.contains(&"手机号".to_owned()), "{headers:?}");
    let fields: Vec<String> = eval(
        &page,
        "[...document.querySelectorAll('#search-field option')].map(o => o.textContent)",
    )
    .await;
    assert!(fields.contains(&"邮箱".to_owned()), "{fields:?}");
    // The company's own attribute names (the demo's) are its data, in the language it chose.
    let custom: Vec<String> = app
        .store
        .list_attributes()
        .await
        .expect("schema")
        .iter()
        .filter(|def| !def.preset)
        .map(|def| def.label(Language::Zh).to_owned())
        .collect();
    let mut data: Vec<&str> = custom.iter().map(String::as_str).collect();
    // The write source this test records and the contact's id are data too.
    data.extend([
        "wang@example.com",
        "+8613900001111",
        "UTC",
        "test",
        id.as_str(),
    ]);
    let words = english_words(&page, &data).await;
    assert!(words.is_empty(), "English on /contacts: {words:?}");

    go(&page, &format!("{}/contacts/{id}", app.base)).await;
    let gender = text(&page, ".facts [data-fact=gender] dd").await;
    assert_eq!(gender, "女");
    assert_eq!(text(&page, "[data-attribute=gender] dd").await, "女");
    assert!(
        text(&page, "[data-attribute=city] dt")
            .await
            .starts_with("城市")
    );
    let titles: Vec<String> = eval(
        &page,
        "[...document.querySelectorAll('.timeline .event summary strong')].map(e => e.textContent)",
    )
    .await;
    assert!(titles.contains(&"邮件打开".to_owned()), "{titles:?}");
    assert!(titles.contains(&"创建联系人".to_owned()), "{titles:?}");
    let words = english_words(&page, &data).await;
    assert!(words.is_empty(), "English on the contact page: {words:?}");
    screenshot(&page, "contact-zh").await;

    go(&page, &format!("{}/contacts/{id}?view=orders", app.base)).await;
    let words = english_words(&page, &data).await;
    assert!(
        words.is_empty(),
        "English in the consumption tab: {words:?}"
    );
    go(&page, &format!("{}/contacts/{id}?view=calendar", app.base)).await;
    let words = english_words(&page, &data).await;
    assert!(words.is_empty(), "English in the calendar: {words:?}");
}

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_pages_fit_390_pixels_in_both_languages() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(5).await;
    let id = write(
        &app,
        json!({"name": "欧阳娜娜", "mobile": "13500005555", "email": "a.very.long.address.for.testing@example.com",
               "address": "浙江省杭州市西湖区文三路一百二十八号华星科技大厦十二层", "gender": "female"}),
    )
    .await;
    email_open(&app, "13500005555").await;
    let page = chromium.open(&format!("{}/contacts", app.base)).await;
    page.execute(SetDeviceMetricsOverrideParams::new(390, 844, 1.0, false))
        .await
        .expect("a phone-sized viewport");
    for lang in ["zh", "en"] {
        for path in [
            "/contacts".to_owned(),
            "/contacts/new".to_owned(),
            format!("/contacts/{id}"),
            format!("/contacts/{id}?view=calendar"),
            format!("/contacts/{id}?view=orders"),
        ] {
            go(&page, &format!("{}/lang/{lang}?next={path}", app.base)).await;
            let (main, viewport): (f64, f64) = eval(
                &page,
                "[document.querySelector('main').scrollWidth, window.innerWidth]",
            )
            .await;
            assert!(
                main <= viewport,
                "{lang} {path}: main is {main} px in {viewport} px"
            );
        }
    }
    go(&page, &format!("{}/lang/zh?next=/contacts/{id}", app.base)).await;
    screenshot(&page, "contact-zh-390").await;
}
