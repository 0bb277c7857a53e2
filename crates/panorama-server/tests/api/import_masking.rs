//! Issue 21, hole 4: an import's preview (API and page) and its rejected-rows download show
//! mobiles and emails masked to a marketer without the reveal right, as the contacts list does,
//! whoever uploaded the file; an admin reads them whole.

use crate::helpers::{TestApp, session_in};
use panorama_core::access::Role;
use reqwest::multipart::{Form, Part};

/// A previewable row, and a row rejected for its email that holds a mobile too.
const FILE: &str =
    "mobile,email,name\n13800000001,ann.lee@example.com,Ann\n13912345678,bad@@example.com,Bo\n";
const RAW: [&str; 4] = [
    "13800000001",
    "ann.lee@example.com",
    "13912345678",
    "bad@@example.com",
];

/// Upload [`FILE`] as `app`'s principal; the reply's JSON.
async fn upload(app: &TestApp) -> serde_json::Value {
    let form = Form::new().part(
        "file",
        Part::bytes(FILE.as_bytes().to_vec()).file_name("people.csv"),
    );
    let reply = app
        .send(app.client.post(app.url("/api/v1/imports")).multipart(form))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(
        reply.body["preview"]["counts"]["invalid"], 1,
        "{}",
        reply.body
    );
    reply.body
}

async fn text(app: &TestApp, path: &str, session: Option<&str>) -> String {
    let mut request = app.client.get(app.url(path));
    if let Some(token) = session {
        request = request.header("cookie", format!("panorama_session={token}"));
    }
    let response = request.send().await.expect("an answer");
    assert_eq!(response.status().as_u16(), 200, "{path}");
    response.text().await.expect("a body")
}

fn assert_masked(what: &str, body: &str) {
    for raw in RAW {
        assert!(!body.contains(raw), "{what} shows {raw}: {body}");
    }
}

#[tokio::test]
async fn a_marketer_reads_an_admins_import_masked_and_the_admin_whole() {
    let admin = TestApp::spawn().await;
    let marketer = admin.as_role(Role::Marketer).await;
    let preview = upload(&admin).await;
    assert_eq!(preview["preview"]["rows"][0]["mobile"], "+8613800000001");
    let id = preview["job"]["job_id"]
        .as_str()
        .expect("a job id")
        .to_owned();

    // The preview page, while the job waits to be started.
    let page = format!("/imports/{id}");
    let root = session_in(admin.store.as_ref(), "ada", Role::Admin).await;
    let whole = text(&admin.acting_as(None), &page, Some(&root)).await;
    assert!(whole.contains("+8613800000001") && whole.contains("bad@@example.com"));
    let mark = session_in(admin.store.as_ref(), "mark", Role::Marketer).await;
    let html = text(&marketer.acting_as(None), &page, Some(&mark)).await;
    assert_masked("the import page", &html);
    assert!(
        html.contains("+86138****0001") && html.contains("a***@example.com"),
        "{html}"
    );

    // The rejected rows, once it ran.
    let started = admin
        .post_json(
            &format!("/api/v1/imports/{id}/start"),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(started.status, 202, "{}", started.body);
    let done = admin.get(&format!("/api/v1/imports/{id}?wait=30")).await;
    assert_eq!(done.body["state"], "done", "{}", done.body);
    let rejected = format!("/api/v1/imports/{id}/rejected");
    let whole = text(&admin, &rejected, None).await;
    assert!(
        whole.contains("13912345678") && whole.contains("bad@@example.com"),
        "{whole}"
    );
    let file = text(&marketer, &rejected, None).await;
    assert_masked("the rejected rows", &file);
    assert!(
        file.contains("139****5678") && file.contains("b***@"),
        "{file}"
    );
    assert!(
        file.lines().any(|line| line.starts_with("3,")),
        "the row number stays: {file}"
    );
}

#[tokio::test]
async fn a_marketers_own_upload_is_masked_too() {
    let admin = TestApp::spawn().await;
    let marketer = admin.as_role(Role::Marketer).await;
    let preview = upload(&marketer).await;
    assert_masked("the upload's preview", &preview.to_string());
    let id = preview["job"]["job_id"]
        .as_str()
        .expect("a job id")
        .to_owned();
    let mark = session_in(admin.store.as_ref(), "mark", Role::Marketer).await;
    let html = text(
        &marketer.acting_as(None),
        &format!("/imports/{id}"),
        Some(&mark),
    )
    .await;
    assert_masked("the preview page", &html);
}
