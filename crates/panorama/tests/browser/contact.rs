//! The contact page: identity, consent and attributes as stored; hostile names stay text.

use crate::harness::{App, chromium, click_and_wait, eval, screenshot, text};
use chromiumoxide::cdp::browser_protocol::page::EventJavascriptDialogOpening;
use futures::{FutureExt, StreamExt};
use panorama_core::contact::{ContactRecord, WriteContext};
use panorama_core::metadata::Schema;
use panorama_core::value::ParseOptions;

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contact_page_shows_identity_consent_and_attributes() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(3).await;
    let id = write(
        &app,
        serde_json::json!({
            "name": "林晓梅", "mobile": "139 1234 5678", "email": "Lin@Example.COM", "city": "杭州",
            "member_points": 1200, "email_subscribed": false
        }),
    )
    .await;
    let page = chromium.open(&format!("{}/contacts/{id}", app.base)).await;
    assert_eq!(text(&page, "#identity-name").await, "林晓梅");
    assert_eq!(text(&page, ".avatar").await, "林");
    assert_eq!(
        text(&page, "[data-attribute=mobile] dd").await,
        "+8613912345678"
    );
    assert_eq!(
        text(&page, "[data-attribute=email] dd").await,
        "Lin@example.com"
    );
    assert_eq!(
        text(&page, "[data-attribute=member_points] dd").await,
        "1200"
    );
    assert_eq!(
        text(&page, "[data-attribute=wechat_openid] dd").await,
        "no data"
    );
    assert_eq!(text(&page, "[data-channel=email] .status").await, "No");
    assert_eq!(text(&page, "[data-channel=global] .status").await, "Yes");
    let events: Vec<String> = eval(
        &page,
        "[...document.querySelectorAll('.timeline .event summary strong')].map(e => e.textContent)",
    )
    .await;
    assert!(
        events.contains(&"Contact created".to_owned())
            && events.contains(&"Subscription changed".to_owned()),
        "{events:?}"
    );
    screenshot(&page, "contact-detail").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_name_is_shown_as_text_and_runs_nothing() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(0).await;
    let hostile = "<script>alert(1)</script>";
    let id = write(
        &app,
        serde_json::json!({"name": hostile, "mobile": "13700000001"}),
    )
    .await;
    // Signed in through `open`; the hostile pages are then visited in the same tab.
    let page = chromium.open(&format!("{}/contacts", app.base)).await;
    let mut dialogs = page
        .event_listener::<EventJavascriptDialogOpening>()
        .await
        .expect("dialog events");
    for path in [format!("/contacts/{id}"), "/contacts".to_owned()] {
        page.goto(format!("{}{path}", app.base))
            .await
            .expect("the page loads");
        let scripts: u64 = eval(&page, "document.querySelectorAll('main script').length").await;
        assert_eq!(scripts, 0, "{path}: the name became markup");
        assert!(
            dialogs.next().now_or_never().is_none(),
            "{path}: a dialog opened"
        );
    }
    page.goto(format!("{}/contacts/{id}", app.base))
        .await
        .expect("the page loads");
    assert_eq!(text(&page, "#identity-name").await, hostile);
    screenshot(&page, "contact-hostile-name").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_contact_asks_first_then_removes_it() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(0).await;
    let id = write(
        &app,
        serde_json::json!({"name": "Zoe", "email": "zoe@example.com"}),
    )
    .await;
    let page = chromium.open(&format!("{}/contacts/{id}", app.base)).await;
    click_and_wait(&page, ".identity a.danger").await;
    assert!(text(&page, ".confirm p").await.contains("Zoe"));
    click_and_wait(&page, ".confirm button[type=submit]").await;
    assert_eq!(text(&page, ".notice").await, "Contact deleted.");
    assert_eq!(
        app.store
            .overview(jiff::Timestamp::now())
            .await
            .expect("counts")
            .all,
        0
    );
}
