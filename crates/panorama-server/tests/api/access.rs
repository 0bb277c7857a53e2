//! The rights table walked route by route: every API operation of the OpenAPI document and every
//! page, with no credentials, with a revoked or made-up key, and as each role, checked against
//! `panorama_server::auth::required` (whose rows `auth/rights.rs` checks against PRODUCT.md §8).

use crate::helpers::TestApp;
use panorama_core::access::Role;
use panorama_server::auth::{Access, required};
use reqwest::Method;
use serde_json::json;

/// Every page route and method the UI serves (the API's come from the OpenAPI document).
const PAGES: &[(&str, &str)] = &[
    ("GET", "/"),
    ("GET", "/contacts"),
    ("GET", "/contacts/new"),
    ("POST", "/contacts/new"),
    ("GET", "/contacts/{id}"),
    ("POST", "/contacts/{id}/values/{name}"),
    ("GET", "/contacts/{id}/timeline"),
    ("POST", "/contacts/{id}/merges/{merge_id}/undo"),
    ("GET", "/contacts/{id}/delete"),
    ("POST", "/contacts/{id}/delete"),
    ("GET", "/contacts/{id}/subscription/{channel}"),
    ("POST", "/contacts/{id}/subscription/{channel}"),
    ("POST", "/contacts/{id}/labels"),
    ("POST", "/contacts/{id}/labels/{label_id}/remove"),
    ("POST", "/contacts/{id}/follower-labels"),
    ("POST", "/contacts/{id}/follower-labels/{label_id}/remove"),
    ("GET", "/metadata/attributes"),
    ("POST", "/metadata/attributes"),
    ("GET", "/metadata/attributes/{name}"),
    ("POST", "/metadata/attributes/{name}"),
    ("GET", "/metadata/attributes/{name}/delete"),
    ("POST", "/metadata/attributes/{name}/delete"),
    ("GET", "/metadata/events"),
    ("POST", "/metadata/events"),
    ("GET", "/metadata/events/{key}"),
    ("POST", "/metadata/events/{key}"),
    ("POST", "/metadata/events/{key}/attributes"),
    ("GET", "/imports"),
    ("GET", "/imports/template/{file}"),
    ("GET", "/imports/{id}"),
    ("POST", "/imports/{id}/start"),
    ("GET", "/labels"),
    ("POST", "/labels"),
    ("POST", "/labels/groups"),
    ("POST", "/labels/groups/{id}"),
    ("POST", "/labels/groups/{id}/delete"),
    ("POST", "/labels/{id}"),
    ("GET", "/labels/{id}/delete"),
    ("POST", "/labels/{id}/delete"),
    ("GET", "/labels/wechat"),
    ("POST", "/labels/wechat"),
    ("POST", "/labels/wechat/{app_id}/labels"),
    ("POST", "/labels/wechat/{app_id}/labels/{label_id}"),
    ("POST", "/labels/wechat/{app_id}/labels/{label_id}/delete"),
    ("GET", "/users"),
    ("POST", "/users"),
    ("POST", "/users/{name}/edit"),
    ("POST", "/users/{name}/unlock"),
    ("POST", "/users/keys"),
    ("GET", "/users/keys/{key_id}/revoke"),
    ("POST", "/users/keys/{key_id}/revoke"),
    ("GET", "/audit"),
    ("POST", "/sign-out"),
];

/// A concrete path for a route: every `{parameter}` becomes a well-formed id that names nothing,
/// so allowed requests end in 404 or 422 and nothing stored changes.
fn concrete(route: &str) -> String {
    let unknown = uuid::Uuid::now_v7().to_string();
    route
        .split('/')
        .map(|part| match part {
            "{channel}" => "email".to_owned(),
            "{file}" => "template.csv".to_owned(),
            "{name}" | "{key}" | "{app_id}" => "no_such_thing".to_owned(),
            p if p.starts_with('{') => unknown.clone(),
            p => p.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn api_operations() -> Vec<(String, String)> {
    let document = serde_json::to_value(panorama_server::api::openapi()).expect("JSON");
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("an item").keys() {
            operations.push((method.to_uppercase(), path.clone()));
        }
    }
    operations
}

async fn send(app: &TestApp, method: &str, path: &str, cookie: Option<&str>) -> u16 {
    let method = Method::from_bytes(method.as_bytes()).expect("a method");
    let mut request = app
        .client
        .request(method.clone(), app.url(path))
        .header("origin", &app.address);
    if let Some(cookie) = cookie {
        request = request.header("cookie", format!("panorama_session={cookie}"));
    }
    if method != Method::GET {
        request = request.json(&json!({}));
    }
    let response = request.send().await.expect("the server answers");
    response.status().as_u16()
}

fn expected(method: &str, route: &str) -> Access {
    let method = Method::from_bytes(method.as_bytes()).expect("a method");
    required(&method, route)
        .unwrap_or_else(|| panic!("{method} {route} is not in the rights table"))
}

#[tokio::test]
async fn every_api_route_answers_each_role_as_the_table_says() {
    let app = TestApp::spawn().await;
    let operations = api_operations();
    assert!(operations.len() >= 60, "{operations:?}");
    let anonymous = app.acting_as(None);
    let made_up = app.acting_as(Some("pnk_not-a-key"));
    let revoked_key = app.key(Role::Admin).await;
    let keys = app.store.api_keys().await.expect("keys");
    let revoked = keys
        .iter()
        .find(|k| k.role == Role::Admin && k.shown == revoked_key[..10])
        .expect("the key");
    app.store
        .revoke_api_key(revoked.key_id, jiff::Timestamp::now())
        .await
        .expect("revoked");
    let revoked = app.acting_as(Some(&revoked_key));
    let roles = [
        (Role::Viewer, app.as_role(Role::Viewer).await),
        (Role::Marketer, app.as_role(Role::Marketer).await),
        (Role::Admin, app.as_role(Role::Admin).await),
    ];
    let mut checked = 0;
    for (method, route) in &operations {
        let path = concrete(route);
        let access = expected(method, route);
        for stranger in [&anonymous, &made_up, &revoked] {
            let status = send(stranger, method, &path, None).await;
            let want = if access == Access::Public {
                status
            } else {
                401
            };
            assert_eq!(status, want, "{method} {route} without valid credentials");
        }
        for (role, client) in &roles {
            let status = send(client, method, &path, None).await;
            match access {
                Access::Role(needed) if *role < needed => {
                    assert_eq!(status, 403, "{method} {route} as {role}")
                }
                _ => assert!(
                    ![401, 403].contains(&status) && status < 500,
                    "{method} {route} as {role}: {status}"
                ),
            }
            checked += 1;
        }
    }
    assert!(checked >= 180);
}

#[tokio::test]
async fn every_page_answers_each_role_as_the_table_says() {
    let app = TestApp::spawn().await;
    let mut anonymous = app.acting_as(None);
    anonymous.client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let mut sessions = Vec::new();
    for role in Role::ALL {
        let name = format!("page-{}", role.as_str());
        sessions.push((
            role,
            crate::helpers::session_in(app.store.as_ref(), &name, role).await,
        ));
    }
    for (method, route) in PAGES {
        let path = concrete(route);
        let access = expected(method, route);
        let status = send(&anonymous, method, &path, None).await;
        let want = if *method == "GET" { 303 } else { 401 };
        assert_eq!(status, want, "{method} {route} without a session");
        for (role, token) in &sessions {
            let status = send(&anonymous, method, &path, Some(token)).await;
            match access {
                Access::Role(needed) if *role < needed => {
                    assert_eq!(status, 403, "{method} {route} as {role}")
                }
                _ => assert!(
                    ![401, 403].contains(&status) && status < 500,
                    "{method} {route} as {role}: {status}"
                ),
            }
        }
    }
}

/// What a viewer must never read in clear: the contact's mobile (as stored and as typed) and its
/// emails, current and former.
const SECRETS: [&str; 4] = [
    "13812345678",
    "zhang@example.com",
    "old@example.com",
    "+8613812345678",
];

/// The body of `GET path` as text.
async fn body(app: &TestApp, path: &str, cookie: Option<&str>) -> (u16, String) {
    let mut request = app.client.get(app.url(path));
    if let Some(cookie) = cookie {
        request = request.header("cookie", format!("panorama_session={cookie}"));
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a body"))
}

#[tokio::test]
async fn a_viewer_never_reads_a_mobile_or_an_email_on_any_route_or_page() {
    let app = TestApp::spawn().await;
    let first = app
        .upsert(json!({"mobile": "13812345678", "email": "old@example.com", "name": "张伟"}))
        .await;
    let id = first.text("/contact/contact_id");
    app.upsert(json!({"mobile": "13812345678", "email": "zhang@example.com"}))
        .await;
    let admin_view = body(&app, &format!("/api/v1/contacts/{id}/events"), None)
        .await
        .1;
    assert!(
        admin_view.contains("old@example.com"),
        "the admin reads the history: {admin_view}"
    );

    let viewer = app.as_role(Role::Viewer).await;
    let token = crate::helpers::session_in(app.store.as_ref(), "vera", Role::Viewer).await;
    let mut reads: Vec<(String, Option<&str>)> = Vec::new();
    for (method, route) in api_operations() {
        if method == "GET" {
            reads.push((route.replace("{contact_id}", &id), None));
        }
    }
    reads.push((
        "/api/v1/contacts/lookup?attribute=mobile&value=13812345678".into(),
        None,
    ));
    reads.push((
        "/api/v1/contacts?q=13812345678&columns=name,mobile,email".into(),
        None,
    ));
    for (method, route) in PAGES {
        if *method == "GET" {
            reads.push((route.replace("{id}", &id), Some(token.as_str())));
        }
    }
    reads.push((
        "/contacts?q=zhang&columns=name,mobile,email".to_owned(),
        Some(token.as_str()),
    ));
    let mut answered = 0;
    for (route, cookie) in &reads {
        let path = concrete(route);
        let client = if cookie.is_some() {
            &viewer.acting_as(None)
        } else {
            &viewer
        };
        let (status, text) = body(client, &path, *cookie).await;
        for secret in SECRETS {
            assert!(
                !text.contains(secret),
                "{path} ({status}) shows {secret}: {text}"
            );
        }
        answered += usize::from(status == 200);
    }
    assert!(
        answered >= 20,
        "most reads answered: {answered} of {}",
        reads.len()
    );

    // Nor is a viewer offered what would only answer 403; an admin is.
    let contact_page = format!("/contacts/{id}");
    let offers = [
        ("/contacts", "href=\"/imports\""),
        ("/contacts", "/api/v1/contacts/export"),
        ("/contacts", "data-select-row"),
        (contact_page.as_str(), "/delete\""),
        (contact_page.as_str(), "class=\"label-add\""),
        ("/metadata/attributes", "action=\"/metadata/attributes\""),
        ("/metadata/events", "action=\"/metadata/events\""),
        ("/labels", "id=\"new-label\""),
        ("/labels/wechat", "id=\"register-account\""),
    ];
    for (path, offer) in offers {
        let (_, as_viewer) = body(&viewer.acting_as(None), path, Some(&token)).await;
        assert!(
            !as_viewer.contains(offer),
            "a viewer is offered {offer} on {path}"
        );
        let (_, as_admin) = body(&app, path, None).await;
        assert!(
            as_admin.contains(offer),
            "an admin is offered {offer} on {path}"
        );
    }
}
