//! `GET /api/v1/audit`: every audited act leaves exactly its entry (actor, action, target,
//! detail); paging and filters; no route changes or removes an entry.

use crate::helpers::TestApp;
use reqwest::multipart::{Form, Part};
use serde_json::{Value as Json, json};

/// Every entry of `action`, newest first.
pub async fn entries(app: &TestApp, action: &str) -> Vec<Json> {
    let reply = app
        .get_query("/api/v1/audit", &[("action", action), ("limit", "500")])
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body["entries"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

async fn me(app: &TestApp) -> Json {
    app.get("/api/v1/me").await.body["name"].clone()
}

async fn contact(app: &TestApp, attributes: Json) -> String {
    let reply = app.upsert(attributes).await;
    assert!(reply.status < 300, "{}", reply.body);
    reply.text("/contact/contact_id")
}

#[tokio::test]
async fn an_export_records_filter_format_rows_and_masking() {
    let app = TestApp::spawn().await;
    contact(&app, json!({"mobile": "13800000001", "name": "Ann"})).await;
    contact(&app, json!({"mobile": "13800000002", "name": "Bo"})).await;
    let mut url = app.url("/api/v1/contacts/export");
    url.query_pairs_mut().extend_pairs([
        ("q", "Ann"),
        ("format", "csv"),
        ("columns", "name,mobile"),
    ]);
    let reply = app.client.get(url).send().await.expect("answers");
    assert_eq!(reply.status(), 200);
    let _ = reply.bytes().await;
    let whole = app.get("/api/v1/contacts/export").await;
    assert_eq!(whole.status, 200);

    let audit = entries(&app, "export").await;
    assert_eq!(audit.len(), 2, "{audit:?}");
    assert_eq!(audit[0]["detail"]["rows"], 2, "a whole category is counted");
    let searched = &audit[1];
    assert_eq!(searched["actor"], me(&app).await);
    assert_eq!(searched["target"], json!(null));
    assert_eq!(searched["detail"]["filter"]["q"], "Ann");
    assert_eq!(searched["detail"]["format"], "csv");
    assert_eq!(searched["detail"]["columns"], json!(["name", "mobile"]));
    assert_eq!(searched["detail"]["rows"], 1);
    assert_eq!(
        searched["detail"]["masked"], false,
        "the admin sees values as stored"
    );
}

#[tokio::test]
async fn deletes_and_merges_are_recorded_with_their_contacts() {
    let app = TestApp::spawn().await;
    let gone = contact(&app, json!({"mobile": "13800000001"})).await;
    assert_eq!(
        app.delete(&format!("/api/v1/contacts/{gone}")).await.status,
        204
    );
    let missing = app.delete(&format!("/api/v1/contacts/{gone}")).await;
    assert_eq!(missing.status, 404, "{}", missing.body);
    let deletes = entries(&app, "delete").await;
    assert_eq!(
        deletes.len(),
        1,
        "a refused delete leaves no entry: {deletes:?}"
    );
    assert_eq!(deletes[0]["target"], json!(gone));
    assert_eq!(deletes[0]["detail"], json!({"contacts": 1}));

    let by_mobile = contact(&app, json!({"mobile": "13800000002"})).await;
    let by_email = contact(&app, json!({"email": "bo@example.com"})).await;
    let merged = app
        .upsert(json!({"mobile": "13800000002", "email": "bo@example.com"}))
        .await;
    assert_eq!(merged.status, 200, "{}", merged.body);
    let survivor = merged.text("/contact/contact_id");
    let merges = entries(&app, "merge").await;
    assert_eq!(merges.len(), 1, "{merges:?}");
    assert_eq!(merges[0]["target"], json!(survivor));
    let loser = if survivor == by_mobile {
        &by_email
    } else {
        &by_mobile
    };
    assert_eq!(merges[0]["detail"]["merged"], json!([loser]));
}

#[tokio::test]
async fn metadata_changes_are_recorded_and_refused_ones_are_not() {
    let app = TestApp::spawn().await;
    let definition = json!({"name": "shoe_size", "display_name": "Shoe size", "type": "string"});
    app.create_attribute(definition.clone()).await;
    let taken = app.post_json("/api/v1/attributes", &definition).await;
    assert_eq!(taken.status, 422, "{}", taken.body);
    let renamed = app
        .patch_json(
            "/api/v1/attributes/shoe_size",
            &json!({"display_name": "Size"}),
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    assert_eq!(app.delete("/api/v1/attributes/shoe_size").await.status, 204);
    assert_eq!(app.delete("/api/v1/attributes/mobile").await.status, 422);

    let audit = entries(&app, "metadata_change").await;
    let seen: Vec<(&str, &str)> = audit
        .iter()
        .map(|e| {
            (
                e["target"].as_str().unwrap_or(""),
                e["detail"]["change"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("attribute:shoe_size", "delete"),
            ("attribute:shoe_size", "update"),
            ("attribute:shoe_size", "create")
        ]
    );
    assert_eq!(audit[2]["detail"]["asked"]["display_name"], "Shoe size");
    assert_eq!(audit[2]["actor"], me(&app).await);
}

#[tokio::test]
async fn an_import_start_is_recorded_and_a_delete_import_as_a_deletion_too() {
    let app = TestApp::spawn().await;
    contact(&app, json!({"mobile": "13800000001"})).await;
    let form = Form::new()
        .part(
            "file",
            Part::bytes(b"mobile\n13800000001\n".to_vec()).file_name("gone.csv"),
        )
        .text("purpose", "delete");
    let preview = app
        .send(app.client.post(app.url("/api/v1/imports")).multipart(form))
        .await;
    assert_eq!(preview.status, 201, "{}", preview.body);
    let job_id = preview.text("/job/job_id");
    let start = format!("/api/v1/imports/{job_id}/start");
    assert_eq!(app.post_json(&start, &json!({})).await.status, 202);
    assert_eq!(app.post_json(&start, &json!({})).await.status, 409);

    let starts = entries(&app, "import_start").await;
    assert_eq!(starts.len(), 1, "{starts:?}");
    assert_eq!(starts[0]["target"], json!(job_id));
    assert_eq!(starts[0]["detail"]["file_name"], "gone.csv");
    assert_eq!(starts[0]["detail"]["purpose"], "delete");
    let deletes = entries(&app, "delete").await;
    assert_eq!(deletes.len(), 1, "{deletes:?}");
    assert_eq!(deletes[0]["target"], json!(job_id));
}

#[tokio::test]
async fn pages_run_newest_first_and_filter_by_action_and_actor() {
    let app = TestApp::spawn().await;
    for name in ["a", "b", "c"] {
        let body = json!({"name": name, "role": "viewer"});
        assert_eq!(app.post_json("/api/v1/api-keys", &body).await.status, 201);
    }
    let first = app.get_query("/api/v1/audit", &[("limit", "2")]).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let targets = |page: &Json| -> Vec<String> {
        page["entries"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["target"].as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(targets(&first.body), ["c", "b"]);
    let before = first.body["next_before"]
        .as_i64()
        .expect("a next page")
        .to_string();
    let second = app
        .get_query("/api/v1/audit", &[("limit", "2"), ("before", &before)])
        .await;
    assert_eq!(targets(&second.body), ["a"]);
    assert_eq!(second.body["next_before"], json!(null));

    let actor = me(&app).await;
    let mine = app
        .get_query("/api/v1/audit", &[("actor", actor.as_str().unwrap_or(""))])
        .await;
    assert_eq!(targets(&mine.body).len(), 3);
    let nobody = app
        .get_query("/api/v1/audit", &[("actor", "key:nobody")])
        .await;
    assert_eq!(targets(&nobody.body).len(), 0);
    app.get_query("/api/v1/audit", &[("action", "nap")])
        .await
        .assert_problem(422, "invalid_value", "action", Some("nap"));
}

#[tokio::test]
async fn no_route_changes_or_removes_an_entry() {
    let app = TestApp::spawn().await;
    let body = json!({"name": "a", "role": "viewer"});
    assert_eq!(app.post_json("/api/v1/api-keys", &body).await.status, 201);
    let id = entries(&app, "api_key_create").await[0]["entry_id"].to_string();
    for path in ["/api/v1/audit".to_owned(), format!("/api/v1/audit/{id}")] {
        for method in [
            reqwest::Method::PATCH,
            reqwest::Method::DELETE,
            reqwest::Method::PUT,
        ] {
            let request = app
                .client
                .request(method.clone(), app.url(&path))
                .json(&json!({}));
            let reply = app.send(request).await;
            assert!(
                [404, 405].contains(&reply.status),
                "{method} {path}: {}",
                reply.status
            );
            assert_eq!(
                reply.content_type, "application/problem+json",
                "{method} {path}"
            );
        }
    }
    assert_eq!(entries(&app, "api_key_create").await.len(), 1);
}

#[tokio::test]
async fn a_reveal_names_the_attribute_and_never_the_value() {
    let app = TestApp::spawn().await;
    let id = contact(&app, json!({"mobile": "13812345678"})).await;
    let path = format!("/api/v1/contacts/{id}/reveal");
    let revealed = app.post_json(&path, &json!({"attribute": "mobile"})).await;
    assert_eq!(revealed.status, 200, "{}", revealed.body);
    let refused = app.post_json(&path, &json!({"attribute": "city"})).await;
    assert_eq!(refused.status, 422, "{}", refused.body);

    let audit = entries(&app, "reveal").await;
    assert_eq!(
        audit.len(),
        1,
        "a refused reveal leaves no entry: {audit:?}"
    );
    assert_eq!(audit[0]["actor"], me(&app).await);
    assert_eq!(audit[0]["target"], json!(id));
    assert_eq!(audit[0]["detail"], json!({"attribute": "mobile"}));
    assert!(!audit[0].to_string().contains("12345678"), "{}", audit[0]);
}
