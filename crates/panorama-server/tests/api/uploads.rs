//! Uploaded files do not linger (issue 21, hole 5): created 0600 in a 0700 folder, deleted when
//! their job is done or failed, and swept once older than `uploads_kept_seconds` unless their
//! job still needs them; a previewed job whose file was swept fails saying to upload it again.

use crate::helpers::{Reply, TestApp};
use panorama_server::{AppState, Settings};
use reqwest::multipart::{Form, Part};
use serde_json::json;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, SystemTime};

const FILE: &str = "mobile,name\n13800000001,Ann\n13800000002,Bo\n";

async fn upload(app: &TestApp, fields: &[(&str, &str)]) -> Reply {
    let part = Part::bytes(FILE.as_bytes().to_vec()).file_name("people.csv");
    let mut form = Form::new().part("file", part);
    for (key, value) in fields {
        form = form.text((*key).to_owned(), (*value).to_owned());
    }
    app.send(app.client.post(app.url("/api/v1/imports")).multipart(form))
        .await
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .expect("it exists")
        .permissions()
        .mode()
        & 0o777
}

async fn run(app: &TestApp, id: &str) -> Reply {
    let started = app
        .post_json(&format!("/api/v1/imports/{id}/start"), &json!({}))
        .await;
    assert_eq!(started.status, 202, "{}", started.body);
    app.get(&format!("/api/v1/imports/{id}?wait=30")).await
}

/// Whether `path` is gone within 10 s. The worker removes an ended job's file right after it
/// records the end, so a reader of the job may see the end a moment before the removal: yield
/// to the server's tasks until the file is gone (no sleep), or give up at the deadline.
async fn removed(path: &Path) -> bool {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while path.exists() {
        if std::time::Instant::now() > deadline {
            return false;
        }
        tokio::task::yield_now().await;
    }
    true
}

fn age(path: &Path, days: u64) {
    let file = std::fs::File::options()
        .write(true)
        .open(path)
        .expect("opens");
    let then = SystemTime::now() - Duration::from_secs(days * 24 * 60 * 60);
    file.set_modified(then).expect("the time is set");
}

#[tokio::test]
async fn uploads_are_private_and_gone_when_their_job_ends_or_is_abandoned() {
    let dir = tempfile::tempdir().expect("a folder");
    let uploads = dir.path().join("uploads");
    let settings = Settings {
        uploads_dir: uploads.clone(),
        ..Settings::default()
    };
    let app = TestApp::spawn_with(settings.clone()).await;

    // Done: the file is private while it waits, and gone once the job is done.
    let preview = upload(&app, &[]).await;
    assert_eq!(preview.status, 201, "{}", preview.body);
    let id = preview.text("/job/job_id");
    let file = uploads.join(format!("{id}.csv"));
    assert_eq!((mode(&uploads), mode(&file)), (0o700, 0o600));
    let done = run(&app, &id).await;
    assert_eq!(done.body["state"], "done", "{}", done.body);
    assert!(removed(&file).await, "a done job's file is deleted");

    // Failed: its label was deleted between the preview and the start.
    let label = app
        .post_json("/api/v1/labels", &json!({"name": "Gone"}))
        .await;
    let label_id = label.body["label_id"].as_i64().expect("a label");
    let preview = upload(&app, &[("label", "Gone")]).await;
    assert_eq!(preview.status, 201, "{}", preview.body);
    let id = preview.text("/job/job_id");
    let deleted = app.delete(&format!("/api/v1/labels/{label_id}")).await;
    assert!(deleted.status < 300, "{}", deleted.body);
    let failed = run(&app, &id).await;
    assert_eq!(failed.body["state"], "failed", "{}", failed.body);
    assert!(
        removed(&uploads.join(format!("{id}.csv"))).await,
        "a failed job's file is deleted"
    );

    // Abandoned: a preview never started, a stray file and a fresh preview; only the old go.
    let abandoned = upload(&app, &[]).await.text("/job/job_id");
    let abandoned_file = uploads.join(format!("{abandoned}.csv"));
    age(&abandoned_file, 2);
    let stray = uploads.join("stray.csv");
    std::fs::write(&stray, FILE).expect("written");
    age(&stray, 2);
    let fresh = upload(&app, &[]).await.text("/job/job_id");
    let state = AppState::new(app.store.clone(), settings);
    let swept = panorama_server::uploads::sweep(&state)
        .await
        .expect("swept");
    assert_eq!(swept, 2);
    assert!(!abandoned_file.exists() && !stray.exists());
    assert!(
        uploads.join(format!("{fresh}.csv")).exists(),
        "a fresh preview is kept"
    );
    let late = run(&app, &abandoned).await;
    assert_eq!(late.body["state"], "failed", "{}", late.body);
    let error = late.body["error"].as_str().unwrap_or_default();
    assert!(error.contains("upload it again"), "{error}");
}
