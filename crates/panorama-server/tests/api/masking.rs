//! Masking of mobiles and emails (PRODUCT.md §8): admins read values as stored on every route;
//! `POST /api/v1/contacts/{id}/reveal` answers one value whole to those allowed, and refuses
//! everyone else, unknown contacts and attributes that are never masked.

use crate::helpers::TestApp;
use serde_json::{Value as Json, json};

const MOBILE: &str = "+8613812345678";
const EMAIL: &str = "zhang@example.com";

/// A contact with a mobile and an email, whose email then changed (so its timeline holds an
/// `attribute_change` carrying an address); its id.
async fn contact(app: &TestApp) -> String {
    let created = app
        .upsert(json!({"mobile": "13812345678", "email": "old@example.com", "name": "张伟", "city": "上海"}))
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let changed = app
        .upsert(json!({"mobile": "13812345678", "email": EMAIL}))
        .await;
    assert_eq!(changed.body["result"], "updated", "{}", changed.body);
    created.text("/contact/contact_id")
}

async fn reveal(app: &TestApp, contact_id: &str, attribute: &str) -> crate::helpers::Reply {
    app.post_json(
        &format!("/api/v1/contacts/{contact_id}/reveal"),
        &json!({ "attribute": attribute }),
    )
    .await
}

/// Every mobile and email a contact's routes answer with, as `(route, value)`.
async fn outputs(app: &TestApp, id: &str) -> Vec<(&'static str, Json)> {
    let contact = app.get(&format!("/api/v1/contacts/{id}")).await.body;
    let list = app.get("/api/v1/contacts").await.body;
    let lookup = app.lookup("mobile", "138 1234 5678").await.body;
    let timeline = app.get(&format!("/api/v1/contacts/{id}/events")).await.body;
    let change = timeline["items"]
        .as_array()
        .and_then(|items| items.iter().find(|e| e["event"] == "attribute_change"))
        .map(|e| e["properties"]["old_value"].clone())
        .unwrap_or_default();
    vec![
        ("get mobile", contact["attributes"]["mobile"].clone()),
        ("get email", contact["attributes"]["email"].clone()),
        (
            "list mobile",
            list["items"][0]["attributes"]["mobile"].clone(),
        ),
        ("lookup email", lookup["attributes"]["email"].clone()),
        ("timeline old email", change),
    ]
}

#[tokio::test]
async fn an_admin_reads_every_value_as_stored() {
    let app = TestApp::spawn().await;
    let id = contact(&app).await;
    assert_eq!(
        outputs(&app, &id).await,
        [
            ("get mobile", json!(MOBILE)),
            ("get email", json!(EMAIL)),
            ("list mobile", json!(MOBILE)),
            ("lookup email", json!(EMAIL)),
            ("timeline old email", json!("old@example.com")),
        ]
    );
    let mut url = app.url("/api/v1/contacts/export");
    url.query_pairs_mut()
        .append_pair("columns", "name,mobile,email");
    let file = app.client.get(url).send().await.expect("an answer");
    let text = file.text().await.expect("a body");
    assert!(text.contains(MOBILE) && text.contains(EMAIL), "{text}");
    let page = app.get(&format!("/contacts/{id}")).await.body;
    let page = page.as_str().unwrap_or_default();
    assert!(page.contains(MOBILE) && page.contains(EMAIL));
    assert!(
        !page.contains("data-reveal"),
        "nothing is masked for an admin"
    );
}

#[tokio::test]
async fn a_reveal_answers_one_stored_value() {
    let app = TestApp::spawn().await;
    let id = contact(&app).await;
    let mobile = reveal(&app, &id, "mobile").await;
    assert_eq!(mobile.status, 200, "{}", mobile.body);
    assert_eq!(mobile.body, json!({"attribute": "mobile", "value": MOBILE}));
    let email = reveal(&app, &id, " email ").await;
    assert_eq!(email.body, json!({"attribute": "email", "value": EMAIL}));

    let empty = app
        .upsert(json!({"name": "无邮箱", "mobile": "13900001111"}))
        .await;
    let empty = reveal(&app, &empty.text("/contact/contact_id"), "email").await;
    assert_eq!(empty.body, json!({"attribute": "email", "value": null}));
}

#[tokio::test]
async fn a_reveal_refuses_what_is_never_masked_and_unknown_contacts() {
    let app = TestApp::spawn().await;
    let id = contact(&app).await;
    reveal(&app, &id, "nickname_of_cat").await.assert_problem(
        422,
        "unknown_attribute",
        "attribute",
        Some("nickname_of_cat"),
    );
    for attribute in ["city", "name", "created_at"] {
        reveal(&app, &id, attribute).await.assert_problem(
            422,
            "invalid_value",
            "attribute",
            Some(attribute),
        );
    }
    let unknown = uuid::Uuid::now_v7().to_string();
    reveal(&app, &unknown, "mobile")
        .await
        .assert_problem_status(404, "not_found");
    reveal(&app, "not-a-uuid", "mobile")
        .await
        .assert_problem_status(422, "invalid_value");
    let extra = app
        .post_json(
            &format!("/api/v1/contacts/{id}/reveal"),
            &json!({"attribute": "mobile", "why": "curious"}),
        )
        .await;
    assert_eq!(extra.status, 422, "{}", extra.body);
}

#[tokio::test]
async fn the_reveal_route_is_documented() {
    let app = TestApp::spawn().await;
    let document = app.get("/api/openapi.json").await.body;
    let route = &document["paths"]["/api/v1/contacts/{contact_id}/reveal"]["post"];
    assert_eq!(route["operationId"], "reveal_contact_value", "{route}");
    for status in ["200", "403", "404", "422"] {
        assert!(route["responses"][status].is_object(), "{status}");
    }
}

#[tokio::test]
async fn viewers_and_marketers_read_masked_values_everywhere() {
    use panorama_core::access::Role;
    let admin = TestApp::spawn().await;
    let id = contact(&admin).await;
    let masked = [
        ("get mobile", json!("+86138****5678")),
        ("get email", json!("z***@example.com")),
        ("list mobile", json!("+86138****5678")),
        // Found by the full stored value, answered masked.
        ("lookup email", json!("z***@example.com")),
        ("timeline old email", json!("o***@example.com")),
    ];
    for role in [Role::Viewer, Role::Marketer] {
        let app = admin.as_role(role).await;
        assert_eq!(outputs(&app, &id).await, masked, "{role:?}");
        // API keys are never granted the right to reveal.
        reveal(&app, &id, "mobile")
            .await
            .assert_problem_status(403, "forbidden");
        let search = app
            .get_query("/api/v1/contacts", &[("q", "13812345678")])
            .await;
        assert_eq!(search.body["total"], 1, "{role:?}: {}", search.body);
    }
    let marketer = admin.as_role(Role::Marketer).await;
    let mut url = marketer.url("/api/v1/contacts/export");
    url.query_pairs_mut()
        .append_pair("columns", "name,mobile,email");
    let file = marketer.client.get(url).send().await.expect("an answer");
    let text = file.text().await.expect("a body");
    assert!(!text.contains(MOBILE) && !text.contains(EMAIL), "{text}");
    assert!(text.contains("z***@example.com"), "{text}");
}
