//! Signing in and out in a real browser, and a marketer granted the right revealing one masked
//! mobile on the contact page (an audited act).

use crate::harness::{App, chromium, click_and_wait, eval, screenshot, text, type_into};
use crate::list_support::wait_until;
use panorama_core::access::{AuditAction, AuditQuery, NewUser, Password, Role, UserName};
use panorama_core::contact::{ContactRecord, WriteContext};
use panorama_core::metadata::Schema;
use panorama_core::value::ParseOptions;

async fn add_user(app: &App, name: &str, role: Role, may_reveal: bool) {
    let password = Password::parse("a long password", "password").expect("a password");
    app.store
        .create_user(NewUser {
            name: UserName::parse(name, "name").expect("a name"),
            role,
            may_reveal,
            password_hash: password.hash().expect("a hash"),
            created_at: jiff::Timestamp::now(),
        })
        .await
        .expect("the user is created");
}

async fn sign_in(page: &chromiumoxide::Page, name: &str, password: &str) {
    // A refused sign-in keeps the typed name; start from empty fields.
    let _: bool = eval(
        page,
        "(document.querySelector('input[name=name]').value = '', true)",
    )
    .await;
    type_into(page, "input[name=name]", name).await;
    type_into(page, "input[name=password]", password).await;
    click_and_wait(page, ".sign-in button[type=submit]").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_is_refused_then_signing_in_and_out_works() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(0).await;
    add_user(&app, "vera", Role::Viewer, false).await;
    let page = chromium
        .browser
        .new_page(format!("{}/contacts", app.base))
        .await
        .expect("a tab");
    page.wait_for_navigation().await.expect("the page loads");
    let landed: String = eval(&page, "location.pathname + location.search").await;
    assert_eq!(landed, "/sign-in?next=/contacts");
    sign_in(&page, "vera", "not the password").await;
    assert!(
        text(&page, "[role=alert]")
            .await
            .contains("Wrong user name or password")
    );
    sign_in(&page, "vera", "a long password").await;
    let path: String = eval(&page, "location.pathname").await;
    assert_eq!(path, "/contacts");
    let who = text(&page, "form.who span").await;
    assert!(who.contains("vera") && who.contains("Viewer"), "{who}");
    let cookie_visible: bool = eval(&page, "document.cookie.includes('panorama_session')").await;
    assert!(!cookie_visible, "scripts cannot read the session cookie");
    let imports_link: bool =
        eval(&page, "!!document.querySelector('nav a[href=\"/users\"]')").await;
    assert!(!imports_link, "a viewer is not offered the admin pages");
    screenshot(&page, "signed-in-viewer").await;
    click_and_wait(&page, "form.who button").await;
    let path: String = eval(&page, "location.pathname").await;
    assert_eq!(path, "/sign-in");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_granted_marketer_reveals_one_masked_mobile_and_it_is_audited() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(0).await;
    add_user(&app, "mara", Role::Marketer, true).await;
    let schema = Schema::new(app.store.list_attributes().await.expect("schema"));
    let attributes =
        serde_json::json!({"name": "张伟", "mobile": "13812345678", "email": "zhang@example.com"});
    let record = ContactRecord::from_json(
        &schema,
        attributes.as_object().expect("a map"),
        ParseOptions::default(),
    )
    .expect("a record");
    let written = app
        .store
        .upsert_contacts(&[record], &WriteContext::now("test"))
        .await
        .expect("written");
    let id = written[0].contact.contact_id.to_string();

    let page = chromium
        .browser
        .new_page(format!("{}/contacts/{id}", app.base))
        .await
        .expect("a tab");
    page.wait_for_navigation().await.expect("the page loads");
    sign_in(&page, "mara", "a long password").await;
    let html: String = eval(&page, "document.querySelector('main').innerHTML").await;
    assert!(
        !html.contains("13812345678") && !html.contains("zhang@example.com"),
        "masked until revealed"
    );
    assert!(html.contains("138****5678"), "the masked mobile is shown");
    page.find_element("button.reveal[data-reveal=mobile]")
        .await
        .expect("a reveal button")
        .click()
        .await
        .expect("a click");
    wait_until(
        &page,
        "document.querySelector('.value.revealed')?.textContent === '+8613812345678'",
    )
    .await;
    let email_masked: bool = eval(
        &page,
        "document.querySelector('main').innerHTML.includes('z***@example.com')",
    )
    .await;
    assert!(email_masked, "only the one value asked for is revealed");
    screenshot(&page, "contact-revealed").await;
    let query = AuditQuery {
        action: Some(AuditAction::Reveal),
        limit: 10,
        ..AuditQuery::default()
    };
    let entries = app
        .store
        .audit_entries(&query)
        .await
        .expect("the audit log");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].entry.actor, "mara");
    assert_eq!(entries[0].entry.target.as_deref(), Some(id.as_str()));
    assert!(
        !entries[0].entry.detail.to_string().contains("5678"),
        "the value is not logged"
    );
}
