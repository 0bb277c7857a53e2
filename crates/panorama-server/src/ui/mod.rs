//! The operators' web pages: askama templates rendered beside the API, calling the same store.
//!
//! Pages never call the API over HTTP; both are thin layers over `Store` and core rules. Every page
//! is in English and Simplified Chinese (`i18n.rs`, `texts.rs`), scripts and styles are our own
//! files (`static/`), and `security.rs` adds the headers and the same-origin check for forms.

mod attributes;
mod audit;
mod audit_words;
mod behaviour;
mod behaviour_calendar;
mod behaviour_names;
mod behaviour_orders;
mod clock;
mod contact;
mod contact_name;
mod contact_new;
mod contact_write;
mod contacts;
mod contacts_query;
mod contacts_table;
mod events;
mod format;
pub mod i18n;
mod import_job;
mod import_words;
mod imports;
mod label_admin;
mod labels;
mod messages;
mod names;
mod page;
pub mod security;
mod sign_in;
mod subscription;
mod texts;
mod users;
mod wechat_admin;

pub(crate) use page::encode;

use crate::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use page::Chrome;

/// A confirmation page for a destructive act.
#[derive(Template)]
#[template(path = "confirm.html")]
pub(crate) struct ConfirmPage {
    chrome: Chrome,
    heading: &'static str,
    message: String,
    action: String,
    cancel: String,
    confirm_label: &'static str,
}

/// Show page-path errors that no page rendered (unknown paths, form rejections, refused
/// cross-site posts) as the friendly error page; the API keeps its problem documents.
pub async fn friendly_errors(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = request.uri().path();
    let is_page = !(path.starts_with("/api") || path.starts_with("/static") || path == "/healthz");
    let lang = i18n::Lang::negotiate(request.headers());
    // No state here: an error page shows no times, and names the default company zone.
    let clock = is_page
        .then(|| clock::Clock::of_viewer(request.headers(), &crate::settings::time_zone_default()));
    let response = next.run(request).await;
    let status = response.status();
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_page || is_html || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (heading, message) = match status {
        StatusCode::NOT_FOUND => ("error.not_found", "error.not_found_help"),
        StatusCode::FORBIDDEN => ("error.forbidden", "error.forbidden_help"),
        status if status.is_server_error() => ("error.internal", "error.internal_help"),
        _ => ("error.invalid", "error.invalid_help"),
    };
    let chrome = Chrome {
        lang,
        nav: "contacts",
        next: "/contacts".to_owned(),
        notice: None,
        error: None,
        signed_in: None,
        clock: clock.unwrap_or_else(|| clock::Clock::new(crate::settings::time_zone_default())),
    };
    page::render(
        status,
        &page::ErrorPage {
            heading: lang.t(heading),
            message: lang.t(message).to_owned(),
            chrome,
        },
    )
}

/// Every page route.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(subscription::routes())
        .merge(labels::routes())
        .merge(label_admin::routes())
        .merge(wechat_admin::routes())
        .merge(sign_in::routes())
        .merge(contacts_scripts())
        .route("/", get(|| async { Redirect::to("/contacts") }))
        .route("/contacts", get(contacts::list))
        .route(
            "/contacts/new",
            get(contact_new::form).post(contact_new::create),
        )
        .route("/contacts/{id}", get(contact::show))
        .route("/contacts/{id}/values/{name}", post(contact_write::edit))
        .route("/contacts/{id}/timeline", get(behaviour::fragment))
        .route(
            "/contacts/{id}/merges/{merge_id}/undo",
            post(behaviour::undo_merge),
        )
        .route(
            "/contacts/{id}/delete",
            get(contact::confirm_delete).post(contact::delete),
        )
        .route(
            "/metadata",
            get(|| async { Redirect::to("/metadata/attributes") }),
        )
        .route(
            "/metadata/attributes",
            get(attributes::list).post(attributes::create),
        )
        .route(
            "/metadata/attributes/{name}",
            get(names::attribute).post(names::save_attribute),
        )
        .route(
            "/metadata/attributes/{name}/delete",
            get(attributes::confirm_delete).post(attributes::delete),
        )
        .route("/metadata/events", get(events::list).post(events::create))
        .route(
            "/metadata/events/{key}",
            get(names::event).post(names::save_event),
        )
        .route(
            "/metadata/events/{key}/attributes",
            post(events::add_attribute),
        )
        .route(
            "/imports",
            get(imports::list)
                .post(imports::upload)
                // As the API's upload: `receive` holds the file and the fields to their limits.
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/imports/template/{file}", get(imports::template))
        .route("/imports/{id}", get(import_job::show))
        .route("/imports/{id}/start", post(import_job::start))
        .route("/imports/{id}/mapping", post(import_job::remap))
        .route("/users", get(users::show).post(users::create))
        .route("/users/{name}/edit", post(users::update))
        .route("/users/{name}/unlock", post(users::unlock))
        .route("/users/keys", post(users::create_key))
        .route(
            "/users/keys/{key_id}/revoke",
            get(users::confirm_revoke).post(users::revoke),
        )
        .route("/audit", get(audit::show))
        .route("/lang/{code}", get(switch_language))
        .route(
            "/static/app.css",
            get(|| async {
                // One response, the shared sheet first, so the cascade is the one file it was.
                asset(
                    "text/css; charset=utf-8",
                    concat!(
                        include_str!("../../static/app.css"),
                        include_str!("../../static/pages.css")
                    ),
                )
            }),
        )
        .route(
            "/static/app.js",
            get(|| async {
                asset(
                    "text/javascript; charset=utf-8",
                    include_str!("../../static/app.js"),
                )
            }),
        )
}

/// The contacts list's scripts (search as you type, the column chooser, bulk actions), loaded by
/// that page only.
fn contacts_scripts() -> Router<AppState> {
    let script = |body: &'static str| get(move || async move { asset(JS, body) });
    Router::new()
        .route(
            "/static/contacts.js",
            script(include_str!("../../static/contacts.js")),
        )
        .route(
            "/static/contacts-columns.js",
            script(include_str!("../../static/contacts-columns.js")),
        )
        .route(
            "/static/contacts-bulk.js",
            script(include_str!("../../static/contacts-bulk.js")),
        )
}

const JS: &str = "text/javascript; charset=utf-8";

fn asset(content_type: &'static str, body: &'static str) -> Response {
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=300"),
        ),
    ];
    (headers, body).into_response()
}

/// Where to go after switching language.
#[derive(serde::Deserialize)]
struct Next {
    next: Option<String>,
}

/// `GET /lang/{code}`: remember the language in a cookie and go back. Only local paths are
/// followed, so the switch cannot be used to send someone to another site.
async fn switch_language(Path(code): Path<String>, Query(next): Query<Next>) -> Response {
    let Some(lang) = i18n::Lang::from_code(&code) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let target = next
        .next
        .filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .unwrap_or_else(|| "/contacts".to_owned());
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
        i18n::LANG_COOKIE,
        lang.code()
    );
    match HeaderValue::from_str(&cookie) {
        Ok(cookie) => ([(header::SET_COOKIE, cookie)], Redirect::to(&target)).into_response(),
        Err(_) => Redirect::to(&target).into_response(),
    }
}
