//! Every limit is a 4xx problem document naming the field, the limit and the value, and a refused
//! request writes nothing. Each tunable limit is tested on a server whose setting is small, so the
//! tests stay fast; core's fixed lengths are tested at their real values.

use crate::events::event;
use crate::helpers::{Reply, TestApp};
use panorama_server::Settings;
use reqwest::multipart::{Form, Part};
use serde_json::{Value as Json, json};

fn mobile(n: usize) -> String {
    format!("1390000{n:04}")
}

/// Create `names.len()` contacts with these names; their ids.
async fn people(app: &TestApp, names: &[&str]) -> Vec<String> {
    let mut ids = Vec::new();
    for (n, name) in names.iter().enumerate() {
        let reply = app.upsert(json!({"mobile": mobile(n), "name": name})).await;
        assert_eq!(reply.status, 201, "{}", reply.body);
        ids.push(reply.text("/contact/contact_id"));
    }
    ids
}

async fn contacts(app: &TestApp) -> u64 {
    app.overview().await["all"].as_u64().expect("a count")
}

/// The problem's detail names the limit's setting and its value.
#[track_caller]
fn assert_names_limit(reply: &Reply, setting: &str, limit: u64) {
    let detail = reply.body["detail"].as_str().unwrap_or_default();
    assert!(detail.contains(setting), "{detail}");
    assert!(detail.contains(&limit.to_string()), "{detail}");
}

#[tokio::test]
async fn request_body_bytes_max() {
    let app = TestApp::spawn_with(Settings {
        request_body_bytes_max: 1024,
        ..Settings::default()
    })
    .await;
    let body = json!({"attributes": {"mobile": mobile(1), "address": "x".repeat(2000)}});
    let sent = serde_json::to_vec(&body).expect("JSON").len().to_string();
    let reply = app.post_json("/api/v1/contacts", &body).await;
    reply.assert_problem(413, "limit_exceeded", "body", Some(&sent));
    assert_names_limit(&reply, "request_body_bytes_max", 1024);
    assert_eq!(contacts(&app).await, 0);
    let small = json!({"attributes": {"mobile": mobile(1), "address": "x".repeat(500)}});
    assert_eq!(app.upsert(small["attributes"].clone()).await.status, 201);
}

#[tokio::test]
async fn batch_contacts_max() {
    let app = TestApp::spawn_with(Settings {
        batch_contacts_max: 2,
        ..Settings::default()
    })
    .await;
    let items = |n: usize| -> Vec<Json> {
        (0..n)
            .map(|i| json!({"attributes": {"mobile": mobile(i)}}))
            .collect()
    };
    let reply = app
        .post_json("/api/v1/contacts/batch", &json!({"contacts": items(3)}))
        .await;
    reply.assert_problem(413, "limit_exceeded", "contacts", Some("3"));
    assert_names_limit(&reply, "batch_contacts_max", 2);
    assert_eq!(contacts(&app).await, 0);
    let fits = app
        .post_json("/api/v1/contacts/batch", &json!({"contacts": items(2)}))
        .await;
    assert_eq!(fits.status, 200, "{}", fits.body);
    assert_eq!(contacts(&app).await, 2);
}

#[tokio::test]
async fn batch_events_max() {
    let app = TestApp::spawn_with(Settings {
        batch_events_max: 2,
        ..Settings::default()
    })
    .await;
    let events: Vec<Json> = (0..3)
        .map(|n| {
            let who = json!({"mobile": mobile(n)});
            event(
                &format!("e{n}"),
                "email_open",
                "2026-03-01T09:00:00Z",
                who,
                json!({}),
            )
        })
        .collect();
    let reply = app
        .post_json("/api/v1/events", &json!({ "events": events }))
        .await;
    reply.assert_problem(413, "limit_exceeded", "events", Some("3"));
    assert_names_limit(&reply, "batch_events_max", 2);
    assert_eq!(contacts(&app).await, 0, "no event made its contact");
}

#[tokio::test]
async fn list_page_contacts_max() {
    let app = TestApp::spawn_with(Settings {
        list_page_contacts_max: 2,
        ..Settings::default()
    })
    .await;
    people(&app, &["Ann", "Bo", "Cy"]).await;
    let reply = app
        .get_query("/api/v1/contacts", &[("page_size", "3")])
        .await;
    reply.assert_problem(422, "limit_exceeded", "page_size", Some("3"));
    assert_names_limit(&reply, "page_size", 2);
    // Without `page_size` the page is the default, cut to the limit.
    let first = app.get("/api/v1/contacts").await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.body["page_size"], 2);
    assert_eq!(first.body["items"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn bulk_ids_max() {
    let app = TestApp::spawn_with(Settings {
        bulk_ids_max: 2,
        ..Settings::default()
    })
    .await;
    let ids = people(&app, &["Ann", "Bo", "Cy"]).await;
    let reply = app
        .post_json(
            "/api/v1/contacts/bulk",
            &json!({"action": "delete", "ids": ids}),
        )
        .await;
    reply.assert_problem(422, "limit_exceeded", "ids", Some("3"));
    assert_names_limit(&reply, "bulk_ids_max", 2);
    assert_eq!(contacts(&app).await, 3, "nothing was deleted");
}

/// Upload `bytes` as `people.csv` with `fields`.
async fn upload(app: &TestApp, bytes: Vec<u8>, fields: &[(&str, String)]) -> Reply {
    let mut form = Form::new().part("file", Part::bytes(bytes).file_name("people.csv"));
    for (key, value) in fields {
        form = form.text((*key).to_owned(), value.clone());
    }
    app.send(app.client.post(app.url("/api/v1/imports")).multipart(form))
        .await
}

/// The import history and the files waiting in `uploads`: both empty after a refusal.
async fn assert_no_upload_kept(app: &TestApp, uploads: &std::path::Path) {
    let history = app.get("/api/v1/imports").await;
    assert_eq!(history.status, 200, "{}", history.body);
    assert_eq!(history.body, json!([]), "{}", history.body);
    let kept = std::fs::read_dir(uploads).map_or(0, Iterator::count);
    assert_eq!(kept, 0, "a refused upload leaves no file");
}

#[tokio::test]
async fn import_file_bytes_max() {
    let uploads = tempfile::tempdir().expect("a folder");
    let app = TestApp::spawn_with(Settings {
        import_file_bytes_max: 64,
        uploads_dir: uploads.path().to_owned(),
        ..Settings::default()
    })
    .await;
    let mut file = String::from("mobile,name\n");
    for n in 0..20 {
        file.push_str(&format!("{},Person {n}\n", mobile(n)));
    }
    let reply = upload(&app, file.into_bytes(), &[]).await;
    reply.assert_problem_status(413, "limit_exceeded");
    assert_eq!(reply.body["field"], "file");
    assert_names_limit(&reply, "import_file_bytes_max", 64);
    assert_no_upload_kept(&app, uploads.path()).await;
    assert_eq!(contacts(&app).await, 0);
}

#[tokio::test]
async fn upload_fields_bytes_max() {
    let uploads = tempfile::tempdir().expect("a folder");
    let app = TestApp::spawn_with(Settings {
        uploads_dir: uploads.path().to_owned(),
        ..Settings::default()
    })
    .await;
    let fields_max = panorama_server::UPLOAD_FIELDS_BYTES_MAX;
    let file = format!("mobile\n{}\n", mobile(1)).into_bytes();
    let map = "x".repeat(fields_max + 1);
    let reply = upload(&app, file, &[("map", map)]).await;
    reply.assert_problem_status(413, "limit_exceeded");
    assert_eq!(reply.body["field"], "map");
    assert_names_limit(&reply, "UPLOAD_FIELDS_BYTES_MAX", fields_max as u64);
    assert_no_upload_kept(&app, uploads.path()).await;
}

#[tokio::test]
async fn export_rows_max() {
    let app = TestApp::spawn_with(Settings {
        export_rows_max: 2,
        ..Settings::default()
    })
    .await;
    people(&app, &["Ann", "Anna", "Jan"]).await;
    // A whole category (read by keyset, counted by the index), a search and a sort (both listed
    // by id first).
    for query in [vec![], vec![("q", "an")], vec![("sort", "name")]] {
        let reply = app.get_query("/api/v1/contacts/export", &query).await;
        reply.assert_problem(422, "limit_exceeded", "rows", Some("3"));
        assert_names_limit(&reply, "export_rows_max", 2);
    }
    let fits = app
        .get_query(
            "/api/v1/contacts/export",
            &[("q", "ann"), ("columns", "name")],
        )
        .await;
    assert_eq!(fits.status, 200, "{}", fits.body);
    let text = fits.body.as_str().unwrap_or_default();
    assert_eq!(text.lines().count(), 3, "{text}");
}

#[tokio::test]
async fn search_keyword_chars_max() {
    let app = TestApp::spawn().await;
    let keyword = "王".repeat(panorama_core::contact::SEARCH_KEYWORD_CHARS_MAX + 1);
    let reply = app
        .get_query("/api/v1/contacts", &[("q", keyword.as_str())])
        .await;
    reply.assert_problem(422, "limit_exceeded", "q", Some(&keyword));
}

#[tokio::test]
async fn attribute_string_chars_max() {
    let app = TestApp::spawn().await;
    app.create_attribute(json!({"name": "short_code", "display_name": "Short code",
        "type": "string", "max_length": 5}))
        .await;
    let reply = app
        .upsert(json!({"mobile": mobile(1), "short_code": "abcdef"}))
        .await;
    reply.assert_problem(422, "value_too_long", "short_code", Some("abcdef"));
    assert_eq!(contacts(&app).await, 0);
    let ceiling = panorama_core::metadata::STRING_CHARS_MAX + 1;
    let reply = app
        .post_json(
            "/api/v1/attributes",
            &json!({"name": "essay", "display_name": "Essay", "type": "string",
                "max_length": ceiling}),
        )
        .await;
    reply.assert_problem_status(422, "invalid_definition");
    assert_eq!(reply.body["field"], "max_length", "{}", reply.body);
}

#[tokio::test]
async fn event_string_chars_max() {
    let app = TestApp::spawn().await;
    let long = "x".repeat(panorama_core::event::EVENT_STRING_CHARS_MAX + 1);
    let who = json!({"mobile": mobile(1)});
    let sent = event(
        "e1",
        "email_open",
        "2026-03-01T09:00:00Z",
        who,
        json!({"subject": long}),
    );
    let reply = app
        .post_json("/api/v1/events", &json!({"events": [sent]}))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let error = &reply.body["results"][0]["error"];
    assert_eq!(error["code"], "value_too_long", "{error}");
    assert_eq!(error["field"], "properties.subject", "{error}");
    assert_eq!(contacts(&app).await, 0);
}

#[tokio::test]
async fn label_name_chars_max() {
    let app = TestApp::spawn().await;
    let name = "标".repeat(panorama_core::label::LABEL_NAME_CHARS_MAX + 1);
    let reply = app
        .post_json("/api/v1/labels", &json!({"name": name}))
        .await;
    reply.assert_problem(422, "value_too_long", "name", None);
    assert_eq!(app.get("/api/v1/labels").await.body["labels"], json!([]));
}
