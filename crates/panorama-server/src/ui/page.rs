//! What every page shares: the language, the header's state, rendering, and friendly errors.

use super::i18n::Lang;
use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use panorama_core::{Error, ErrorKind};
use std::convert::Infallible;

/// The page chrome: language, active navigation entry, and the one-line notice or error.
#[derive(Debug, Clone)]
pub struct Chrome {
    /// Interface language.
    pub lang: Lang,
    /// Active navigation entry (`contacts`, `metadata`).
    pub nav: &'static str,
    /// The current path and query, percent-encoded, for the language switch to return to.
    pub next: String,
    /// A confirmation after a redirect ("Attribute added").
    pub notice: Option<&'static str>,
    /// An error to show above the page.
    pub error: Option<String>,
    /// Who is signed in, for the header (name and sign-out) and the admin-only links.
    pub signed_in: Option<crate::principal::Principal>,
    /// The viewer's zone: every time on the page is shown through it, and the footer names it.
    pub clock: super::clock::Clock,
}

impl Chrome {
    /// The same chrome with `nav` active.
    pub fn at(mut self, nav: &'static str) -> Self {
        self.nav = nav;
        self
    }

    /// Whether the signed-in principal is an admin (the header shows the admin pages).
    pub fn is_admin(&self) -> bool {
        self.signed_in
            .as_ref()
            .is_some_and(|principal| principal.role == crate::principal::Role::Admin)
    }

    /// Whether the signed-in principal may change contacts (marketers and admins): viewers are not
    /// offered forms and links that would only answer 403.
    pub fn can_change(&self) -> bool {
        self.signed_in
            .as_ref()
            .is_some_and(|principal| principal.role >= crate::principal::Role::Marketer)
    }

    /// The text key of the signed-in principal's role (`role.admin`).
    pub fn role_key(&self) -> &'static str {
        match self.signed_in.as_ref().map(|principal| principal.role) {
            Some(crate::principal::Role::Admin) => "role.admin",
            Some(crate::principal::Role::Marketer) => "role.marketer",
            _ => "role.viewer",
        }
    }

    /// The footer's line naming the zone the page's times are shown in.
    pub fn clock_note(&self) -> String {
        self.clock.note(self.lang)
    }

    /// The same chrome showing `error`.
    pub fn with_error(mut self, error: &Error) -> Self {
        self.error = Some(error_message(self.lang, error));
        self
    }
}

impl FromRequestParts<crate::AppState> for Chrome {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &crate::AppState,
    ) -> Result<Self, Infallible> {
        let lang = Lang::negotiate(&parts.headers);
        let path_and_query = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        let notice = parts.uri.query().and_then(|query| {
            query
                .split('&')
                .find_map(|pair| pair.strip_prefix("notice="))
                .and_then(notice_key)
                .map(|key| lang.t(key))
        });
        Ok(Self {
            lang,
            nav: "contacts",
            next: encode(path_and_query),
            notice,
            error: None,
            signed_in: parts
                .extensions
                .get::<crate::principal::Principal>()
                .cloned(),
            clock: super::clock::Clock::of_viewer(&parts.headers, &state.settings.time_zone),
        })
    }
}

/// Confirmations a redirect may announce, by the `notice` query value.
fn notice_key(code: &str) -> Option<&'static str> {
    Some(match code {
        "attribute_added" => "notice.attribute_added",
        "attribute_saved" => "notice.attribute_saved",
        "attribute_deleted" => "notice.attribute_deleted",
        "event_added" => "notice.event_added",
        "event_saved" => "notice.event_saved",
        "event_attribute_added" => "notice.event_attribute_added",
        "contact_deleted" => "notice.contact_deleted",
        "contact_created" => "notice.contact_created",
        "contact_matched" => "notice.contact_matched",
        "value_saved" => "notice.value_saved",
        "merge_undone" => "notice.merge_undone",
        "import_previewed" => "notice.import_previewed",
        "import_started" => "notice.import_started",
        "subscription_changed" => "notice.subscription_changed",
        "label_added" => "notice.label_added",
        "label_created_added" => "notice.label_created_added",
        "label_removed" => "notice.label_removed",
        "label_created" => "notice.label_created",
        "label_saved" => "notice.label_saved",
        "label_deleted" => "notice.label_deleted",
        "group_created" => "notice.group_created",
        "group_saved" => "notice.group_saved",
        "group_deleted" => "notice.group_deleted",
        "account_saved" => "notice.account_saved",
        _ => return None,
    })
}

/// Percent-encode a path for use as a query value.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Redirect after a successful form (POST-redirect-GET), announcing `notice`.
pub fn see_other(path: &str, notice: &str) -> Response {
    let separator = if path.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{path}{separator}notice={notice}")).into_response()
}

/// Render a template, or the error page if rendering fails.
pub fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "a page failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html(
                    "<!doctype html><title>Error</title><p>This page could not be shown.</p>"
                        .to_owned(),
                ),
            )
                .into_response()
        }
    }
}

/// The friendly error page.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    /// Page chrome.
    pub chrome: Chrome,
    /// Title.
    pub heading: &'static str,
    /// What went wrong and what to do.
    pub message: String,
}

/// A page handler's failure: shown as the error page, never as a stack trace.
pub struct PageError {
    chrome: Chrome,
    error: Error,
}

impl PageError {
    /// Wrap `error` for a page rendered with `chrome`.
    pub fn new(chrome: &Chrome, error: Error) -> Self {
        Self {
            chrome: chrome.clone(),
            error,
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let lang = self.chrome.lang;
        let (status, heading) = match self.error.kind {
            ErrorKind::NotFound => (StatusCode::NOT_FOUND, lang.t("error.not_found")),
            ErrorKind::Internal => {
                tracing::error!(error = %self.error, "a page failed");
                (StatusCode::INTERNAL_SERVER_ERROR, lang.t("error.internal"))
            }
            ErrorKind::Forbidden => (StatusCode::FORBIDDEN, lang.t("error.forbidden")),
            _ => (StatusCode::UNPROCESSABLE_ENTITY, lang.t("error.invalid")),
        };
        let message = match self.error.kind {
            ErrorKind::Internal => lang.t("error.internal_help").to_owned(),
            _ => error_message(lang, &self.error),
        };
        render(
            status,
            &ErrorPage {
                chrome: self.chrome,
                heading,
                message,
            },
        )
    }
}

/// A core error in the interface language (see `messages.rs`).
pub fn error_message(lang: Lang, error: &Error) -> String {
    super::messages::error_message(lang, error)
}
