//! An audited act's entry says how it ended: a refused act (an undo of a merge that does not
//! exist or cannot be undone, a metadata change the stored values refuse) reads as refused with
//! its error code, never as a success; a made one reads as succeeded. The `/audit` page shows
//! refusals apart, in both languages.

use crate::audit::entries;
use crate::helpers::TestApp;
use serde_json::{Value as Json, json};

/// The outcome and reason of every entry of `action` with `target`, newest first.
async fn outcomes(app: &TestApp, action: &str, target: &str) -> Vec<(Json, Json)> {
    entries(app, action)
        .await
        .into_iter()
        .filter(|entry| entry["target"] == target)
        .map(|entry| (entry["outcome"].clone(), entry["reason"].clone()))
        .collect()
}

/// A merge of two contacts by a write, and its id (the `user_merged` event's id).
async fn merge(app: &TestApp) -> String {
    let a = app
        .upsert(json!({"mobile": "13812340004", "name": "甲"}))
        .await
        .text("/contact/contact_id");
    app.upsert(json!({"email": "undo@example.com", "name": "乙"}))
        .await;
    let merged = app
        .upsert(json!({"mobile": "13812340004", "email": "undo@example.com"}))
        .await;
    assert_eq!(merged.body["result"], "merged", "{}", merged.body);
    app.events(&a)
        .await
        .into_iter()
        .find(|e| e["event"] == "user_merged")
        .and_then(|e| e["event_id"].as_str().map(str::to_owned))
        .expect("a user_merged event")
}

#[tokio::test]
async fn refused_undos_and_metadata_changes_read_as_refused_made_ones_as_succeeded() {
    let app = TestApp::spawn().await;
    let nowhere = uuid::Uuid::now_v7().to_string();
    let missing = app
        .post_json(&format!("/api/v1/merges/{nowhere}/undo"), &json!({}))
        .await;
    assert_eq!(missing.status, 404, "{}", missing.body);
    assert_eq!(
        outcomes(&app, "merge", &nowhere).await,
        [(json!("refused"), json!("not_found"))],
        "a 404 undo is no success"
    );

    let merge_id = merge(&app).await;
    let path = format!("/api/v1/merges/{merge_id}/undo");
    assert_eq!(app.post_json(&path, &json!({})).await.status, 200);
    assert_eq!(app.post_json(&path, &json!({})).await.status, 409);
    assert_eq!(
        outcomes(&app, "merge", &merge_id).await,
        [
            (json!("refused"), json!("merge_not_undoable")),
            (json!("succeeded"), json!(null)),
        ]
    );

    let definition =
        json!({"name": "code", "display_name": "Code", "type": "string", "max_length": 20});
    app.create_attribute(definition).await;
    let written = app
        .upsert(json!({"mobile": "13812340005", "code": "abcdefghij"}))
        .await;
    assert!(written.status < 300, "{}", written.body);
    let shorter = app
        .patch_json("/api/v1/attributes/code", &json!({"max_length": 5}))
        .await;
    assert_eq!(
        shorter.status, 422,
        "the stored values refuse it: {}",
        shorter.body
    );
    let longer = app
        .patch_json("/api/v1/attributes/code", &json!({"max_length": 30}))
        .await;
    assert_eq!(longer.status, 200, "{}", longer.body);
    assert_eq!(
        outcomes(&app, "metadata_change", "attribute:code").await,
        [
            (json!("succeeded"), json!(null)),
            (json!("refused"), json!(shorter.body["code"])),
            (json!("succeeded"), json!(null)),
        ]
    );
}

#[tokio::test]
async fn the_audit_page_shows_refusals_apart_in_both_languages() {
    let app = TestApp::spawn().await;
    let nowhere = uuid::Uuid::now_v7().to_string();
    let missing = app
        .post_json(&format!("/api/v1/merges/{nowhere}/undo"), &json!({}))
        .await;
    assert_eq!(missing.status, 404);
    app.create_attribute(json!({"name": "code", "display_name": "Code", "type": "string"}))
        .await;
    for (lang, refused, done, reason) in [
        ("en", "Refused", "Done", "It does not exist any more"),
        ("zh", "已拒绝", "已完成", "对象已不存在"),
    ] {
        let page = app
            .client
            .get(app.url("/audit"))
            .header("cookie", format!("panorama_lang={lang}"))
            .send()
            .await
            .expect("answers");
        assert_eq!(page.status(), 200);
        let html = page.text().await.expect("a page");
        assert!(html.contains(r#"data-outcome="refused""#), "{lang}");
        assert!(html.contains(r#"data-outcome="succeeded""#), "{lang}");
        assert!(
            html.contains(refused) && html.contains(reason),
            "{lang}: {html}"
        );
        assert!(
            !html.contains("(not_found)"),
            "{lang}: the reason is in words"
        );
        assert!(html.contains(done), "{lang}");
    }
}
