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

#[tokio::test]
async fn the_document_is_true_about_parameters_nulls_and_statuses() {
    let app = TestApp::spawn().await;
    let document = app.get("/api/openapi.json").await.body;
    let audit = &document["paths"]["/api/v1/audit"]["get"]["parameters"];
    let places: Vec<&str> = audit
        .as_array()
        .expect("parameters")
        .iter()
        .filter_map(|parameter| parameter["in"].as_str())
        .collect();
    assert!(
        !places.is_empty() && places.iter().all(|place| *place == "query"),
        "{audit}"
    );
    let wait = &document["paths"]["/api/v1/contacts/bulk/{job_id}"]["get"]["parameters"];
    for parameter in wait.as_array().expect("parameters") {
        let expected = if parameter["name"] == "job_id" {
            "path"
        } else {
            "query"
        };
        assert_eq!(parameter["in"], expected, "{parameter}");
    }
    // A default value may be any JSON value, null included: no `type` narrows it.
    let default = &document["components"]["schemas"]["AttributeDto"]["properties"]["default_value"];
    assert!(default.get("type").is_none(), "{default}");
    let paths = document["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("a path item") {
            let responses = operation["responses"].as_object().expect("responses");
            for (status, response) in responses {
                assert!(
                    response["description"]
                        .as_str()
                        .is_some_and(|text| !text.is_empty()),
                    "{method} {path} {status} has no description"
                );
                if status.starts_with('4') {
                    assert!(
                        response["content"]["application/problem+json"].is_object(),
                        "{method} {path} {status} is not a problem document"
                    );
                }
            }
            if path.starts_with("/api/v1/") {
                for status in ["401", "429"] {
                    assert!(
                        responses.contains_key(status),
                        "{method} {path} lacks {status}"
                    );
                }
            }
            if operation.get("requestBody").is_some() {
                assert!(responses.contains_key("400"), "{method} {path} lacks 400");
            }
        }
    }
}

#[tokio::test]
async fn a_method_no_route_serves_is_a_405_naming_the_others() {
    let app = TestApp::spawn().await;
    let anonymous = app.acting_as(None);
    let cases = [
        (
            &app,
            reqwest::Method::PUT,
            "/api/v1/contacts/overview",
            "GET, HEAD",
        ),
        (&app, reqwest::Method::PUT, "/api/v1/me", "GET, HEAD"),
        (&app, reqwest::Method::DELETE, "/api/v1/events", "POST"),
        (
            &anonymous,
            reqwest::Method::PATCH,
            "/api/v1/contacts",
            "GET, POST, HEAD",
        ),
        (&anonymous, reqwest::Method::POST, "/healthz", "GET, HEAD"),
    ];
    for (who, method, path, allow) in cases {
        let response = who
            .client
            .request(method.clone(), who.url(path))
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status().as_u16(), 405, "{method} {path}");
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(header(reqwest::header::ALLOW), allow, "{method} {path}");
        assert_eq!(
            header(reqwest::header::CONTENT_TYPE),
            "application/problem+json"
        );
    }
}
