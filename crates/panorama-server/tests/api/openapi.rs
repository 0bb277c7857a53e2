//! The OpenAPI document, Swagger UI and the health check.

use crate::helpers::TestApp;

const PATHS: [&str; 10] = [
    "/api/v1/attributes",
    "/api/v1/attributes/{name}",
    "/api/v1/event-definitions",
    "/api/v1/event-definitions/{key}",
    "/api/v1/contacts",
    "/api/v1/contacts/batch",
    "/api/v1/contacts/{contact_id}",
    "/api/v1/contacts/lookup",
    "/api/v1/contacts/overview",
    "/api/v1/contacts/{contact_id}/events",
];

#[tokio::test]
async fn the_document_lists_every_route() {
    let app = TestApp::spawn().await;
    let reply = app.get("/api/openapi.json").await;
    assert_eq!(reply.status, 200);
    assert!(
        reply.content_type.starts_with("application/json"),
        "{}",
        reply.content_type
    );
    let paths = reply.body["paths"].as_object().expect("a paths object");
    for path in PATHS {
        assert!(
            paths.contains_key(path),
            "{path} is missing from {:?}",
            paths.keys()
        );
    }
    let methods = |path: &str| {
        let mut names: Vec<String> = paths[path]
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        names.sort();
        names
    };
    assert_eq!(
        methods("/api/v1/attributes/{name}"),
        ["delete", "get", "patch"]
    );
    assert_eq!(methods("/api/v1/contacts"), ["get", "post"]);
    assert_eq!(methods("/api/v1/contacts/{contact_id}"), ["delete", "get"]);
    let mut operation_ids: Vec<&str> = paths
        .values()
        .filter_map(|item| item.as_object())
        .flat_map(|item| item.values())
        .filter_map(|operation| operation["operationId"].as_str())
        .collect();
    let operations = operation_ids.len();
    operation_ids.sort_unstable();
    operation_ids.dedup();
    assert_eq!(operation_ids.len(), operations, "operation ids are unique");
    assert!(operations >= 64, "{operations} operations");
    let schemas = reply.body["components"]["schemas"]
        .as_object()
        .expect("schemas");
    for schema in ["Problem", "ContactDto", "AttributeDto", "BatchResponse"] {
        assert!(schemas.contains_key(schema), "{schema} is missing");
    }
}

#[tokio::test]
async fn swagger_ui_and_health_answer() {
    let app = TestApp::spawn().await;
    let docs = app.get("/api/docs/").await;
    assert_eq!(docs.status, 200);
    assert!(
        docs.content_type.starts_with("text/html"),
        "{}",
        docs.content_type
    );
    assert!(
        docs.body
            .as_str()
            .is_some_and(|html| html.contains("swagger"))
    );
    let redirect = app.send(app.client.get(app.url("/api/docs"))).await;
    assert_eq!(redirect.status, 200, "the bare path redirects to the UI");
    let health = app.get("/healthz").await;
    assert_eq!((health.status, health.body.as_str()), (200, Some("ok")));
}
