//! The contacts list and the contact page in Chinese: headers, values and event titles in
//! Chinese with no English interface word left, and both pages at 390 px wide. What is written
//! from these pages is `contact_zh_write.rs`, which shares the helpers here.

use crate::harness::{App, Chromium, chromium, eval, screenshot, text};
use chromiumoxide::Page;
use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
use panorama_core::contact::{ContactRecord, WriteContext};
use panorama_core::metadata::{Language, Schema};
use panorama_core::value::ParseOptions;
use serde_json::json;

pub(crate) async fn write(app: &App, attributes: serde_json::Value) -> String {
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
pub(crate) async fn email_open(app: &App, mobile: &str) {
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
pub(crate) async fn open_zh(chromium: &Chromium, app: &App, path: &str) -> Page {
    let page = chromium.open(&format!("{}/contacts", app.base)).await;
    go(&page, &format!("{}/lang/zh?next={path}", app.base)).await;
    page
}

pub(crate) async fn go(page: &Page, url: &str) {
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
