//! `/api/v1/users` and `/api/v1/me`: creating, listing and changing users, the generated
//! password shown once, the last-admin rule and the reveal right, each change audited.

use crate::audit::entries;
use crate::helpers::TestApp;
use serde_json::json;

#[tokio::test]
async fn me_names_the_local_admin_and_its_rights() {
    let app = TestApp::spawn().await;
    let me = app.get("/api/v1/me").await;
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.body["role"], "admin");
    assert_eq!(me.body["sees_unmasked"], true);
    assert_eq!(me.body["can_reveal"], true);
    assert!(me.body["name"].is_string());
}

#[tokio::test]
async fn a_generated_password_is_answered_once_and_never_listed() {
    let app = TestApp::spawn().await;
    let created = app
        .post_json("/api/v1/users", &json!({"name": "Ana", "role": "marketer"}))
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["name"], "ana", "names are lower-cased");
    assert_eq!(created.body["role"], "marketer");
    assert_eq!(created.body["may_reveal"], false);
    let password = created.text("/password");
    assert_eq!(password.chars().count(), 20);

    let chosen = app
        .post_json(
            "/api/v1/users",
            &json!({"name": "bo", "role": "viewer", "password": "a long enough secret"}),
        )
        .await;
    assert_eq!(chosen.status, 201, "{}", chosen.body);
    assert!(chosen.body.get("password").is_none(), "{}", chosen.body);

    let list = app.get("/api/v1/users").await;
    assert_eq!(list.status, 200);
    let text = list.body.to_string();
    assert!(
        !text.contains(&password) && !text.contains("password"),
        "{text}"
    );
    let names: Vec<&str> = list
        .body
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|user| user["name"].as_str())
        .collect();
    assert!(names.contains(&"ana") && names.contains(&"bo"), "{names:?}");

    let audit = entries(&app, "user_create").await;
    assert_eq!(audit.len(), 2, "{audit:?}");
    assert_eq!(audit[0]["target"], "bo");
    assert_eq!(audit[1]["target"], "ana");
    assert_eq!(audit[1]["actor"], app.get("/api/v1/me").await.body["name"]);
    assert_eq!(
        audit[1]["detail"],
        json!({"role": "marketer", "may_reveal": false, "password_generated": true})
    );
    assert!(
        !serde_json::to_string(&audit)
            .expect("json")
            .contains(&password)
    );
}

#[tokio::test]
async fn bad_users_are_refused_and_leave_no_entry() {
    let app = TestApp::spawn().await;
    let body = json!({"name": "ana", "role": "marketer"});
    assert_eq!(app.post_json("/api/v1/users", &body).await.status, 201);
    app.post_json("/api/v1/users", &body).await.assert_problem(
        409,
        "duplicate_name",
        "name",
        Some("ana"),
    );
    app.post_json(
        "/api/v1/users",
        &json!({"name": "has space", "role": "viewer"}),
    )
    .await
    .assert_problem(422, "invalid_name", "name", None);
    app.post_json(
        "/api/v1/users",
        &json!({"name": "cy", "role": "viewer", "password": "short"}),
    )
    .await
    .assert_problem(422, "invalid_value", "password", None);
    app.post_json(
        "/api/v1/users",
        &json!({"name": "cy", "role": "viewer", "may_reveal": true}),
    )
    .await
    .assert_problem(422, "invalid_value", "may_reveal", None);
    let root = app
        .post_json("/api/v1/users", &json!({"name": "cy", "role": "root"}))
        .await;
    assert_eq!(root.status, 422, "{}", root.body);
    assert_eq!(entries(&app, "user_create").await.len(), 1);
}

#[tokio::test]
async fn users_change_role_reveal_right_and_password() {
    let app = TestApp::spawn().await;
    let new = json!({"name": "ana", "role": "marketer"});
    assert_eq!(app.post_json("/api/v1/users", &new).await.status, 201);
    let granted = app
        .patch_json("/api/v1/users/ana", &json!({"may_reveal": true}))
        .await;
    assert_eq!(granted.status, 200, "{}", granted.body);
    assert_eq!(granted.body["may_reveal"], true);
    let password = app
        .patch_json(
            "/api/v1/users/ana",
            &json!({"password": "another long secret"}),
        )
        .await;
    assert_eq!(password.status, 200, "{}", password.body);
    let demoted = app
        .patch_json("/api/v1/users/ana", &json!({"role": "viewer"}))
        .await;
    assert_eq!(demoted.status, 200, "{}", demoted.body);
    assert_eq!(demoted.body["role"], "viewer");
    assert_eq!(
        demoted.body["may_reveal"], false,
        "viewers never keep the right"
    );
    app.patch_json("/api/v1/users/ana", &json!({"may_reveal": true}))
        .await
        .assert_problem(422, "invalid_value", "may_reveal", None);
    app.patch_json("/api/v1/users/nobody", &json!({"role": "admin"}))
        .await
        .assert_problem_status(404, "not_found");

    let audit = entries(&app, "user_change").await;
    let details: Vec<_> = audit.iter().map(|entry| entry["detail"].clone()).collect();
    assert_eq!(
        details,
        [
            json!({"password_changed": false, "role": {"from": "marketer", "to": "viewer"}, "may_reveal": false}),
            json!({"password_changed": true}),
            json!({"password_changed": false, "may_reveal": true}),
        ]
    );
    assert!(audit.iter().all(|entry| entry["target"] == "ana"));
}

#[tokio::test]
async fn the_last_admin_keeps_the_role() {
    let app = TestApp::spawn().await;
    let new = json!({"name": "root", "role": "admin"});
    assert_eq!(app.post_json("/api/v1/users", &new).await.status, 201);
    app.patch_json("/api/v1/users/root", &json!({"role": "marketer"}))
        .await
        .assert_problem(409, "last_admin", "role", Some("marketer"));
    let second = json!({"name": "deputy", "role": "admin"});
    assert_eq!(app.post_json("/api/v1/users", &second).await.status, 201);
    let demoted = app
        .patch_json("/api/v1/users/root", &json!({"role": "marketer"}))
        .await;
    assert_eq!(demoted.status, 200, "{}", demoted.body);
    app.patch_json("/api/v1/users/deputy", &json!({"role": "viewer"}))
        .await
        .assert_problem(409, "last_admin", "role", None);
    assert_eq!(entries(&app, "user_change").await.len(), 1);
}

/// The `/users` page's forms as a signed-in admin's browser sends them.
async fn post_form(app: &TestApp, token: &str, path: &str, body: &str) -> (u16, String) {
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
        .post(app.url(path))
        .header("cookie", format!("panorama_session={token}"))
        .header("origin", &app.address)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_owned())
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a page"))
}

/// The text of `<code class="secret" data-secret>…</code>` on a page.
fn shown_secret(page: &str) -> String {
    let start = page.find("data-secret>").expect("a secret shown once") + "data-secret>".len();
    let end = start + page[start..].find('<').expect("the end of the secret");
    page[start..end].to_owned()
}

#[tokio::test]
async fn the_users_page_adds_a_user_and_a_key_shown_once() {
    use panorama_core::access::{Role, UserName};
    let app = TestApp::spawn().await;
    let token = crate::helpers::session_in(app.store.as_ref(), "boss", Role::Admin).await;

    let (status, page) = post_form(&app, &token, "/users", "name=mia&role=marketer").await;
    assert_eq!(status, 200, "{page}");
    let password = shown_secret(&page);
    let mia = app
        .store
        .user_credentials(&UserName::parse("mia", "name").expect("a name"))
        .await
        .expect("read")
        .expect("mia exists");
    assert_eq!(mia.user.role, Role::Marketer);
    assert!(
        mia.password_hash.verify(&password),
        "the shown password is hers"
    );

    let (status, page) = post_form(&app, &token, "/users/keys", "name=crm&role=viewer").await;
    assert_eq!(status, 200, "{page}");
    let key = shown_secret(&page);
    let with_key = app.acting_as(Some(&key)).get("/api/v1/me").await;
    assert_eq!(with_key.body["role"], "viewer", "{}", with_key.body);
    let (_, listed) = body_of(&app, &token, "/users").await;
    assert!(
        listed.contains("crm") && !listed.contains(&key),
        "the key is never listed"
    );

    let (status, page) =
        post_form(&app, &token, "/users/mia/edit", "role=viewer&may_reveal=on").await;
    assert_eq!(status, 422, "a viewer never reveals: {page}");
}

async fn body_of(app: &TestApp, token: &str, path: &str) -> (u16, String) {
    let response = reqwest::Client::new()
        .get(app.url(path))
        .header("cookie", format!("panorama_session={token}"))
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a page"))
}
