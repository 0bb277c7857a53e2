//! `/api/v1/imports`: upload and preview, refusals that write nothing, start, wait, counts,
//! rejected rows and history.

use crate::helpers::{Reply, TestApp};
use reqwest::multipart::{Form, Part};

async fn upload(app: &TestApp, name: &str, bytes: Vec<u8>, fields: &[(&str, &str)]) -> Reply {
    let mut form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()));
    for (key, value) in fields {
        form = form.text((*key).to_owned(), (*value).to_owned());
    }
    app.send(app.client.post(app.url("/api/v1/imports")).multipart(form))
        .await
}

const FILE: &str = "Mobile,email,NAME,city\n13800000001,a@example.com,Ann,上海\n12345,b@example.com,Bad,北京\n13800000002,,Bo,\n";

#[tokio::test]
async fn upload_preview_start_and_finish() {
    let app = TestApp::spawn().await;
    let preview = upload(&app, "people.csv", FILE.as_bytes().to_vec(), &[]).await;
    assert_eq!(preview.status, 201, "{}", preview.body);
    assert_eq!(preview.body["job"]["state"], "previewed");
    assert_eq!(preview.body["preview"]["counts"]["total"], 3);
    assert_eq!(preview.body["preview"]["counts"]["invalid"], 1);
    assert_eq!(preview.body["preview"]["expected"], 2);
    assert_eq!(
        preview.body["preview"]["rows"][0]["mobile"],
        "+8613800000001"
    );
    assert_eq!(preview.body["preview"]["errors"][0]["row"], 3);
    assert_eq!(preview.body["preview"]["errors"][0]["column"], "Mobile");
    assert_eq!(app.overview().await["all"], 0, "a preview writes nothing");

    let id = preview.text("/job/job_id");
    let started = app
        .post_json(
            &format!("/api/v1/imports/{id}/start"),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(started.status, 202, "{}", started.body);
    let done = app.get(&format!("/api/v1/imports/{id}?wait=30")).await;
    assert_eq!(done.body["state"], "done", "{}", done.body);
    assert_eq!(
        (
            done.body["counts"]["created"].as_u64(),
            done.body["counts"]["invalid"].as_u64()
        ),
        (Some(2), Some(1))
    );
    assert_eq!(done.body["rows_done"], 3);
    assert_eq!(app.overview().await["all"], 2);
    let again = app
        .post_json(
            &format!("/api/v1/imports/{id}/start"),
            &serde_json::json!({}),
        )
        .await;
    again.assert_problem_status(409, "bad_request");

    let rejected = app
        .send(
            app.client
                .get(app.url(&format!("/api/v1/imports/{id}/rejected"))),
        )
        .await;
    assert_eq!(rejected.status, 200);
    assert!(rejected.content_type.starts_with("text/csv"));
    let text = rejected
        .body
        .as_str()
        .unwrap_or_default()
        .trim_start_matches('\u{feff}')
        .to_owned();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0], "row,column,value,code,reason,Mobile,email,NAME,city",
        "the file's own headers: {text}"
    );
    assert!(
        lines[1].starts_with("3,Mobile,12345,invalid_mobile,"),
        "{text}"
    );

    let history = app.get("/api/v1/imports").await;
    assert_eq!(history.body[0]["job_id"], id.as_str());
    assert_eq!(history.body[0]["file_name"], "people.csv");
    assert_eq!(history.body[0]["purpose"], "upsert");
}

#[tokio::test]
async fn bad_uploads_are_refused_and_write_nothing() {
    let app = TestApp::spawn().await;
    let unknown = upload(
        &app,
        "x.csv",
        b"mobile,shoe_size\n13800000001,42\n".to_vec(),
        &[],
    )
    .await;
    // Unknown columns are previewed, not refused: the start asks for a choice (imports_mapping.rs).
    assert_eq!(unknown.status, 201, "{}", unknown.body);
    assert_eq!(unknown.body["preview"]["unmapped"][0], "shoe_size");
    let mapped = upload(
        &app,
        "x.csv",
        b"mobile,shoe_size\n13800000001,42\n".to_vec(),
        &[("drop_unknown", "true")],
    )
    .await;
    assert_eq!(mapped.status, 201, "{}", mapped.body);
    let empty = upload(&app, "empty.csv", Vec::new(), &[]).await;
    empty.assert_problem_status(422, "empty_file");
    let purpose = upload(
        &app,
        "x.csv",
        FILE.as_bytes().to_vec(),
        &[("purpose", "explode")],
    )
    .await;
    purpose.assert_problem(422, "bad_request", "purpose", Some("explode"));
    assert_eq!(app.overview().await["all"], 0);
    let missing = app.get("/api/v1/imports/nope").await;
    missing.assert_problem_status(404, "not_found");
}

#[tokio::test]
async fn an_unsubscribe_file_never_creates_contacts() {
    let app = TestApp::spawn().await;
    app.upsert(serde_json::json!({"email": "a@example.com"}))
        .await;
    let preview = upload(
        &app,
        "unsub.csv",
        b"email\nA@example.com\nnobody@example.com\n".to_vec(),
        &[("purpose", "unsubscribe-email")],
    )
    .await;
    assert_eq!(preview.status, 201, "{}", preview.body);
    let id = preview.text("/job/job_id");
    app.post_json(
        &format!("/api/v1/imports/{id}/start"),
        &serde_json::json!({}),
    )
    .await;
    let done = app.get(&format!("/api/v1/imports/{id}?wait=30")).await;
    assert_eq!(
        (
            done.body["counts"]["unsubscribed"].as_u64(),
            done.body["counts"]["not_found"].as_u64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(app.overview().await["all"], 1);
    let contact = app.lookup("email", "a@example.com").await;
    assert_eq!(contact.body["subscription"]["email"]["subscribed"], false);
}

#[tokio::test]
async fn starts_racing_for_one_import_leave_one_success_in_the_audit_log() {
    let app = TestApp::spawn().await;
    let preview = upload(&app, "race.csv", FILE.as_bytes().to_vec(), &[]).await;
    assert_eq!(preview.status, 201, "{}", preview.body);
    let id = preview.text("/job/job_id");
    let path = format!("/api/v1/imports/{id}/start");
    let body = serde_json::json!({});
    let starts = futures::future::join_all((0..4).map(|_| app.post_json(&path, &body))).await;
    let statuses: Vec<u16> = starts.iter().map(|reply| reply.status).collect();
    assert_eq!(
        statuses.iter().filter(|&&status| status == 202).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|&s| s == 202 || s == 409),
        "{statuses:?}"
    );
    // Each start that wrote an entry before losing the race reads as refused, never succeeded.
    let entries = crate::audit::entries(&app, "import_start").await;
    let outcomes: Vec<&str> = entries
        .iter()
        .filter(|entry| entry["target"] == id.as_str())
        .filter_map(|entry| entry["outcome"].as_str())
        .collect();
    assert_eq!(
        outcomes.iter().filter(|&&o| o == "succeeded").count(),
        1,
        "{outcomes:?}"
    );
    assert!(outcomes.iter().all(|&o| o == "succeeded" || o == "refused"));
}
