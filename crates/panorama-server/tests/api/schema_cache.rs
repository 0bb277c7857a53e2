//! The schema once per request (issue 23): the contacts page reads the attribute definitions once
//! per render (none while the server keeps them), and a metadata change made through the API is
//! on the very next render, however long the server would otherwise keep them.

use crate::helpers::{TestApp, session_in};
use panorama_core::access::Role;
use panorama_server::Settings;
use serde_json::json;

/// The contacts page as `session` sees it.
async fn contacts_page(app: &TestApp, session: &str, query: &str) -> String {
    let response = app
        .acting_as(None)
        .client
        .get(app.url(&format!("/contacts{query}")))
        .header("cookie", format!("panorama_session={session}"))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), 200, "/contacts{query}");
    response.text().await.expect("a page")
}

/// Renders of the contacts page with every kind of query the page sends (a search, a sort, a
/// page past the end, a label).
const QUERIES: [&str; 5] = [
    "",
    "?q=%E7%8E%8B",
    "?sort=name&order=asc",
    "?page=99",
    "?category=real_name&q=138",
];

async fn filled(settings: Settings) -> (TestApp, String) {
    let app = TestApp::spawn_with(settings).await;
    for (mobile, name) in [("13800000001", "王伟"), ("13800000002", "Ann")] {
        let reply = app.upsert(json!({"mobile": mobile, "name": name})).await;
        assert!(reply.status < 300, "{}", reply.body);
    }
    let session = session_in(app.store.as_ref(), "ada", Role::Admin).await;
    (app, session)
}

#[tokio::test]
async fn a_render_reads_the_schema_once_and_a_kept_one_not_at_all() {
    // Kept for no time: every render reads the definitions, exactly once (the list call is
    // handed them, as are the table and the chooser).
    let (app, session) = filled(Settings {
        schema_cache_seconds: 0,
        ..Settings::default()
    })
    .await;
    for query in QUERIES {
        let before = app.schema.loads();
        contacts_page(&app, &session, query).await;
        assert_eq!(app.schema.loads() - before, 1, "/contacts{query}");
    }
    // Kept for an hour: renders read nothing after the first read.
    let (app, session) = filled(Settings {
        schema_cache_seconds: 3600,
        ..Settings::default()
    })
    .await;
    contacts_page(&app, &session, "").await;
    let before = app.schema.loads();
    for query in QUERIES {
        contacts_page(&app, &session, query).await;
    }
    assert_eq!(
        app.schema.loads(),
        before,
        "renders while the schema is kept"
    );
}

#[tokio::test]
async fn a_metadata_change_through_the_api_shows_on_the_next_render() {
    let (app, session) = filled(Settings {
        schema_cache_seconds: 3600,
        ..Settings::default()
    })
    .await;
    let page = contacts_page(&app, &session, "").await;
    assert!(!page.contains("Shoe size"), "not an attribute yet");
    app.create_attribute(json!({"name": "shoe_size", "display_name": "Shoe size",
        "type": "string", "searchable": true, "sortable": true}))
        .await;
    let page = contacts_page(&app, &session, "").await;
    assert!(
        page.contains("Shoe size"),
        "the chooser offers the new attribute"
    );
    // Searchable at once: a search in it is accepted, and the API lists it.
    contacts_page(&app, &session, "?field=shoe_size&q=42").await;
    let listed = app.get("/api/v1/attributes").await;
    assert!(listed.body.to_string().contains("shoe_size"));

    let renamed = app
        .patch_json(
            "/api/v1/attributes/shoe_size",
            &json!({"display_name": "Shoe size (EU)"}),
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    let page = contacts_page(&app, &session, "").await;
    assert!(page.contains("Shoe size (EU)"), "the new name at once");

    assert_eq!(app.delete("/api/v1/attributes/shoe_size").await.status, 204);
    let page = contacts_page(&app, &session, "").await;
    assert!(
        !page.contains("Shoe size"),
        "a deleted attribute is gone at once"
    );
    let gone = app.get("/api/v1/attributes/shoe_size").await;
    gone.assert_problem_status(404, "not_found");
}
