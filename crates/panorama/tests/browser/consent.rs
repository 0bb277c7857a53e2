//! The subscription area of the contact page: statuses and effective values, a change through the
//! confirmation page (source, and a consent note to turn a channel on), and the consent history.

use crate::harness::{App, chromium, click_and_wait, eval, screenshot, text, type_into};
use panorama_core::contact::{Channel, ContactId, ContactRecord, WriteContext};
use panorama_core::event::{Event, properties};
use panorama_core::metadata::Schema;
use panorama_core::value::ParseOptions;

async fn write(app: &App, attributes: serde_json::Value) -> ContactId {
    let schema = Schema::new(app.store.list_attributes().await.expect("schema"));
    let map = attributes.as_object().expect("an object").clone();
    let record =
        ContactRecord::from_json(&schema, &map, ParseOptions::default()).expect("a valid record");
    let outcome = app
        .store
        .upsert_contacts(&[record], &WriteContext::now("import"))
        .await
        .expect("written");
    outcome[0].contact.contact_id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn turning_a_channel_back_on_needs_a_source_and_a_consent_note() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(0).await;
    let id = write(
        &app,
        serde_json::json!({"name": "周杰", "email": "zhou@example.com", "email_subscribed": false}),
    )
    .await;
    let page = chromium.open(&format!("{}/contacts/{id}", app.base)).await;
    assert_eq!(text(&page, "[data-channel=email] .status").await, "No");
    assert_eq!(
        text(&page, "[data-channel=email] .source").await,
        "File import"
    );
    click_and_wait(&page, "[data-channel=email] .consent-action").await;
    assert!(text(&page, ".consent-confirm p").await.contains("周杰"));
    type_into(&page, "input[name=source]", "Customer call, ticket 88").await;
    // The browser would insist on the note; take that away to prove the server refuses too.
    let _: bool = eval(
        &page,
        "(document.querySelector('textarea[name=consent]').removeAttribute('required'), true)",
    )
    .await;
    click_and_wait(&page, ".consent-confirm button[type=submit]").await;
    let refusal = text(&page, ".error-banner").await;
    assert!(refusal.contains("consent note"), "{refusal}");
    assert!(
        !app.store
            .get_contact(id)
            .await
            .expect("read")
            .expect("exists")
            .subscription
            .email
            .subscribed,
        "nothing changed"
    );
    type_into(
        &page,
        "textarea[name=consent]",
        "Asked on the phone to receive the monthly newsletter again",
    )
    .await;
    click_and_wait(&page, ".consent-confirm button[type=submit]").await;
    assert_eq!(
        text(&page, ".notice").await,
        "Subscription changed and recorded in the consent history."
    );
    assert_eq!(text(&page, "[data-channel=email] .status").await, "Yes");
    assert_eq!(
        text(&page, "[data-channel=email] .source").await,
        "Customer call, ticket 88"
    );
    let _: bool = eval(
        &page,
        "(document.querySelector('.consent-history').open = true)",
    )
    .await;
    let latest = text(&page, ".consent-history li").await;
    assert!(
        latest.contains("subscribed") && latest.contains("monthly newsletter"),
        "{latest}"
    );
    screenshot(&page, "consent-opt-in").await;
    let stored = app
        .store
        .get_contact(id)
        .await
        .expect("read")
        .expect("exists");
    assert!(stored.effective(Channel::Email));
    let history = app.store.consent_history(id, 10).await.expect("history");
    assert_eq!(
        history[0].actor.as_deref(),
        Some(crate::harness::ADMIN_NAME)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn global_off_and_a_hard_bounce_show_as_not_effective_in_both_languages() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(0).await;
    let id = write(
        &app,
        serde_json::json!({"name": "Ana Silva", "email": "ana@example.com", "mobile": "13700001111"}),
    )
    .await;
    let bounce = Event::system(
        id,
        "email_hard_bounce",
        panorama_core::contact::now_micros(),
        properties([("reason", serde_json::json!("550 no such user"))]),
    );
    app.store
        .apply_consent_events(&[bounce])
        .await
        .expect("applied");
    let page = chromium.open(&format!("{}/contacts/{id}", app.base)).await;
    assert_eq!(text(&page, "[data-channel=email] .status").await, "No");
    assert!(
        text(&page, "[data-channel=email] .own-value")
            .await
            .contains("Yes")
    );
    assert!(text(&page, ".bounce").await.contains("ana@example.com"));

    click_and_wait(&page, "[data-channel=global] .consent-action").await;
    let notes: u64 = eval(
        &page,
        "document.querySelectorAll('textarea[name=consent]').length",
    )
    .await;
    assert_eq!(notes, 0, "turning off asks for no consent note");
    type_into(&page, "input[name=source]", "Complaint by email").await;
    click_and_wait(&page, ".consent-confirm button[type=submit]").await;
    assert_eq!(text(&page, "[data-channel=global] .status").await, "No");
    assert_eq!(text(&page, "[data-channel=mobile] .status").await, "No");
    assert!(
        text(&page, "[data-channel=mobile] .own-value")
            .await
            .contains("Yes")
    );

    page.goto(format!("{}/lang/zh?next=/contacts/{id}", app.base))
        .await
        .expect("the page loads");
    assert_eq!(text(&page, "#subscription-title").await, "订阅状态");
    assert_eq!(text(&page, "[data-channel=global] .status").await, "否");
    assert!(text(&page, ".bounce").await.contains("硬退信"));
    screenshot(&page, "consent-global-off-zh").await;
}
