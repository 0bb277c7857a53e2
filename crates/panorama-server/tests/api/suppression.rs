//! The suppression list through the API: a contact deleted while unsubscribed (one delete, a bulk
//! delete job, a delete import) comes back unsubscribed when it is created again (one upsert, a
//! batch, an event), and `?forget=true` (admins, audited) forgets it.

use crate::audit::entries;
use crate::events::{event, ingest};
use crate::helpers::TestApp;
use panorama_core::access::Role;
use reqwest::multipart::{Form, Part};
use serde_json::{Value as Json, json};

const SUPPRESSION_SOURCE: &str = panorama_core::contact::SUPPRESSION_SOURCE;

/// A contact made with email off; its id.
async fn unsubscribed(app: &TestApp, mut attributes: Json) -> String {
    attributes["email_subscribed"] = json!(false);
    let reply = app.upsert(attributes).await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(
        reply.body["contact"]["subscription"]["email"]["subscribed"],
        false
    );
    reply.text("/contact/contact_id")
}

/// `contact` (a contact DTO) has email off by the suppression list, and an event says so.
async fn suppressed(app: &TestApp, contact: &Json) {
    let email = &contact["subscription"]["email"];
    assert_eq!(email["subscribed"], false, "{contact}");
    assert_eq!(email["source"], SUPPRESSION_SOURCE, "{contact}");
    assert_eq!(contact["subscription"]["mobile"]["subscribed"], true);
    let events = app
        .events(contact["contact_id"].as_str().expect("an id"))
        .await;
    let change = events
        .iter()
        .find(|e| e["event"] == "subscription_change")
        .expect("a subscription_change event");
    assert_eq!(change["properties"]["source"], SUPPRESSION_SOURCE);
    assert_eq!(change["properties"]["channel"], "email");
}

#[tokio::test]
async fn deleted_then_created_again_stays_unsubscribed() {
    let app = TestApp::spawn().await;
    let id = unsubscribed(
        &app,
        json!({"email": "old@example.com", "mobile": "13800000011"}),
    )
    .await;
    let deleted = app.delete(&format!("/api/v1/contacts/{id}")).await;
    assert_eq!(deleted.status, 204, "{}", deleted.body);
    // The old list, spelt otherwise: by the mobile alone.
    let again = app
        .upsert(json!({"mobile": "138 0000 0011", "name": "Old"}))
        .await;
    assert_eq!(again.status, 201, "{}", again.body);
    suppressed(&app, &again.body["contact"]).await;
    // A batch bringing the address back, beside a stranger who stays subscribed.
    let other = unsubscribed(&app, json!({"email": "batch@example.com"})).await;
    app.delete(&format!("/api/v1/contacts/{other}")).await;
    let body = json!({"contacts": [
        {"attributes": {"email": "Batch@Example.com"}},
        {"attributes": {"email": "new@example.com"}},
    ]});
    let reply = app.post_json("/api/v1/contacts/batch", &body).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let back = app.lookup("email", "batch@example.com").await;
    suppressed(&app, &back.body).await;
    let new = app.lookup("email", "new@example.com").await;
    assert_eq!(new.body["subscription"]["email"]["subscribed"], true);
}

#[tokio::test]
async fn forget_is_for_admins_audited_and_starts_over() {
    let app = TestApp::spawn().await;
    let id = unsubscribed(&app, json!({"email": "erase@example.com"})).await;
    let marketer = app.as_role(Role::Marketer).await;
    let refused = marketer
        .delete(&format!("/api/v1/contacts/{id}?forget=true"))
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let odd = app
        .delete(&format!("/api/v1/contacts/{id}?forget=yes"))
        .await;
    assert_eq!(odd.status, 400, "{}", odd.body);
    let erased = app
        .delete(&format!("/api/v1/contacts/{id}?forget=true"))
        .await;
    assert_eq!(erased.status, 204, "{}", erased.body);
    let audit = entries(&app, "delete").await;
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert_eq!(audit[0]["target"], id.as_str());
    assert_eq!(audit[0]["detail"]["forget_consent"], true);
    let again = app.upsert(json!({"email": "erase@example.com"})).await;
    assert_eq!(
        again.body["contact"]["subscription"]["email"]["subscribed"],
        true
    );
}

#[tokio::test]
async fn bulk_and_import_deletes_suppress_too() {
    let app = TestApp::spawn().await;
    let bulk = unsubscribed(&app, json!({"email": "bulk@example.com"})).await;
    let started = app
        .post_json(
            "/api/v1/contacts/bulk",
            &json!({"action": "delete", "ids": [bulk]}),
        )
        .await;
    assert_eq!(started.status, 202, "{}", started.body);
    let job = app.get(&format!("{}?wait=30", started.text("/url"))).await;
    assert_eq!(job.body["state"], "done", "{}", job.body);
    unsubscribed(&app, json!({"mobile": "13900000012"})).await;
    let form = Form::new()
        .part(
            "file",
            Part::bytes(b"mobile\n13900000012\n".to_vec()).file_name("gone.csv"),
        )
        .text("purpose", "delete");
    let preview = app
        .send(app.client.post(app.url("/api/v1/imports")).multipart(form))
        .await;
    assert_eq!(preview.status, 201, "{}", preview.body);
    let job_id = preview.text("/job/job_id");
    app.post_json(&format!("/api/v1/imports/{job_id}/start"), &json!({}))
        .await;
    let done = app.get(&format!("/api/v1/imports/{job_id}?wait=30")).await;
    assert_eq!(done.body["state"], "done", "{}", done.body);
    assert_eq!(app.overview().await["all"], 0);
    // Events naming the old keys create the contacts again: unsubscribed.
    let events = vec![
        event(
            "s1",
            "form_open",
            "2026-01-01T10:00:00Z",
            json!({"email": "bulk@example.com"}),
            json!({}),
        ),
        event(
            "s2",
            "form_open",
            "2026-01-01T10:00:00Z",
            json!({"mobile": "13900000012"}),
            json!({}),
        ),
    ];
    ingest(&app, events).await;
    suppressed(&app, &app.lookup("email", "bulk@example.com").await.body).await;
    suppressed(&app, &app.lookup("mobile", "13900000012").await.body).await;
}

/// A page of the signed-in `token`'s browser, in `lang`; a form post when `form` is given.
async fn page(app: &TestApp, token: &str, path: &str, lang: &str, form: Option<&str>) -> String {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let request = match form {
        Some(body) => client
            .post(app.url(path))
            .header("origin", &app.address)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_owned()),
        None => client.get(app.url(path)),
    };
    let response = request
        .header(
            "cookie",
            format!("panorama_session={token}; panorama_lang={lang}"),
        )
        .send()
        .await
        .expect("the server answers");
    assert!(
        response.status().as_u16() < 400,
        "{path}: {}",
        response.status()
    );
    response.text().await.expect("a page")
}

#[tokio::test]
async fn the_contact_page_offers_admins_to_forget_consent() {
    let app = TestApp::spawn().await;
    let id = unsubscribed(&app, json!({"email": "page@example.com"})).await;
    let token = crate::helpers::session_in(app.store.as_ref(), "boss", Role::Admin).await;
    let confirm = format!("/contacts/{id}/delete");
    let english = page(&app, &token, &confirm, "en", None).await;
    assert!(english.contains("name=\"forget_consent\""), "{english}");
    assert!(english.contains("Also forget consent"));
    let chinese = page(&app, &token, &confirm, "zh", None).await;
    assert!(chinese.contains("同时清除退订记录"), "{chinese}");
    page(&app, &token, &confirm, "en", Some("forget_consent=on")).await;
    let audit = entries(&app, "delete").await;
    assert_eq!(audit[0]["detail"]["forget_consent"], true, "{audit:?}");
    let again = app.upsert(json!({"email": "page@example.com"})).await;
    assert_eq!(
        again.body["contact"]["subscription"]["email"]["subscribed"],
        true
    );
    // Without the box the page's delete keeps the entry.
    let id = unsubscribed(&app, json!({"email": "kept@example.com"})).await;
    page(
        &app,
        &token,
        &format!("/contacts/{id}/delete"),
        "en",
        Some(""),
    )
    .await;
    let back = app.upsert(json!({"email": "kept@example.com"})).await;
    suppressed(&app, &back.body["contact"]).await;
}
