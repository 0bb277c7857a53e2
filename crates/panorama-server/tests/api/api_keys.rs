//! `/api/v1/api-keys`: a key is shown once and never listed, revoking keeps the first time, and
//! both acts are audited.

use crate::audit::entries;
use crate::helpers::TestApp;
use serde_json::json;

#[tokio::test]
async fn a_key_is_shown_once_and_listed_without_it() {
    let app = TestApp::spawn().await;
    let created = app
        .post_json(
            "/api/v1/api-keys",
            &json!({"name": "crm-sync", "role": "marketer"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let key = created.text("/key");
    assert!(key.starts_with("pnk_") && key.len() > 60, "{key}");
    let shown = created.text("/shown");
    assert!(key.starts_with(&shown) && shown.len() < key.len());
    assert_eq!(created.body["role"], "marketer");
    assert_eq!(created.body["revoked_at"], json!(null));
    let me = app.get("/api/v1/me").await.text("/name");
    assert_eq!(created.body["created_by"], json!(me));

    let list = app.get("/api/v1/api-keys").await;
    assert_eq!(list.status, 200);
    assert!(!list.body.to_string().contains(&key), "{}", list.body);
    assert_eq!(list.body[0]["name"], "crm-sync");
    assert_eq!(list.body[0]["shown"], json!(shown));
    assert!(list.body[0].get("key").is_none());

    app.post_json(
        "/api/v1/api-keys",
        &json!({"name": "CRM-sync", "role": "viewer"}),
    )
    .await
    .assert_problem(409, "duplicate_name", "name", Some("crm-sync"));
    let audit = entries(&app, "api_key_create").await;
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert_eq!(audit[0]["actor"], json!(me));
    assert_eq!(audit[0]["target"], "crm-sync");
    assert_eq!(
        audit[0]["detail"],
        json!({"role": "marketer", "shown": shown})
    );
    assert!(!serde_json::to_string(&audit).expect("json").contains(&key));
}

#[tokio::test]
async fn revoking_twice_keeps_the_first_time() {
    let app = TestApp::spawn().await;
    let created = app
        .post_json(
            "/api/v1/api-keys",
            &json!({"name": "etl", "role": "viewer"}),
        )
        .await;
    let key_id = created.text("/key_id");
    let first = app.delete(&format!("/api/v1/api-keys/{key_id}")).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let revoked_at = first.text("/revoked_at");
    let second = app.delete(&format!("/api/v1/api-keys/{key_id}")).await;
    assert_eq!(second.status, 200, "{}", second.body);
    assert_eq!(second.text("/revoked_at"), revoked_at);
    let list = app.get("/api/v1/api-keys").await;
    assert_eq!(list.body[0]["revoked_at"], json!(revoked_at));

    let audit = entries(&app, "api_key_revoke").await;
    assert_eq!(audit.len(), 1, "a second revoke changes nothing: {audit:?}");
    assert_eq!(audit[0]["target"], "etl");
    assert_eq!(audit[0]["detail"]["key_id"], json!(key_id));

    app.delete("/api/v1/api-keys/0190a0a0-0000-7000-8000-000000000000")
        .await
        .assert_problem_status(404, "not_found");
    app.delete("/api/v1/api-keys/not-a-uuid")
        .await
        .assert_problem_status(404, "not_found");
    app.post_json(
        "/api/v1/api-keys",
        &json!({"name": "x", "role": "viewer", "key": "mine"}),
    )
    .await
    .assert_problem(422, "bad_request", "key", None);
}
