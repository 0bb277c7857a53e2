//! `/audit` (admins): the audit log newest first, filtered by action and actor, with an "older
//! entries" link; times in the viewer's zone. The page only reads: nothing changes an entry.

use super::audit_words::{self, Actor, Target};
use super::i18n::Lang;
use super::page::{Chrome, PageError, encode, render};
use crate::AppState;
use crate::app::audit_page::{self, AuditPageQuery};
use crate::principal::{Principal, Role};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use panorama_core::access::{AuditAction, AuditOutcome};
use serde::Deserialize;

/// Entries on one page of the log.
const PAGE_ENTRIES: usize = 100;

/// The page's query: the filters and where the page starts.
#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    action: Option<String>,
    #[serde(default)]
    actor: Option<String>,
    #[serde(default)]
    before: Option<i64>,
}

/// One row of the table.
pub struct EntryRow {
    at: String,
    at_iso: String,
    actor: Actor,
    action: &'static str,
    target: Target,
    /// The detail in words.
    detail: String,
    /// The detail as stored (JSON), for admins who need every field.
    raw: String,
    /// `succeeded`, `refused` or `unknown`, for the row's class.
    outcome: &'static str,
    /// The outcome in the page's language.
    outcome_label: &'static str,
    /// Why it was refused, in words.
    reason: Option<String>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    entries: Vec<EntryRow>,
    /// `(value, label)` of every action.
    actions: Vec<(&'static str, &'static str)>,
    action: String,
    actor: String,
    older_href: Option<String>,
}

/// `GET /audit`.
pub async fn show(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Query(query): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("audit");
    principal
        .check(Role::Admin)
        .map_err(|e| PageError::new(&chrome, e))?;
    let lang = chrome.lang;
    let clock = chrome.clock.clone();
    let action = query.action.clone().unwrap_or_default();
    let actor = query.actor.clone().unwrap_or_default();
    let asked = AuditPageQuery {
        action: query.action,
        actor: query.actor,
        before: query.before,
        limit: Some(PAGE_ENTRIES),
    };
    let (entries, next_before) = audit_page::page(state.store.as_ref(), &asked)
        .await
        .map_err(|e| PageError::new(&chrome, e))?;
    let fail = |e| PageError::new(&chrome, e);
    let schema = state.schema().await.map_err(fail)?;
    let events = state.store.list_event_definitions().await.map_err(fail)?;
    let entries = entries
        .into_iter()
        .map(|entry| {
            let at = entry.entry.at;
            let action = entry.entry.action;
            let detail = &entry.entry.detail;
            EntryRow {
                at: clock.time(at),
                at_iso: clock.iso(at),
                actor: audit_words::actor(lang, &entry.entry.actor),
                action: action_label(lang, action),
                target: audit_words::target(
                    lang,
                    action,
                    entry.entry.target.as_deref(),
                    detail,
                    &schema,
                    &events,
                ),
                detail: audit_words::detail(lang, action, detail, &schema),
                raw: detail.to_string(),
                outcome: entry
                    .outcome
                    .as_ref()
                    .map_or("unknown", AuditOutcome::as_str),
                outcome_label: outcome_label(lang, entry.outcome.as_ref()),
                reason: entry
                    .outcome
                    .as_ref()
                    .and_then(AuditOutcome::reason)
                    .map(|code| super::messages::reason(lang, code)),
            }
        })
        .collect();
    let older_href = next_before.map(|before| {
        format!(
            "/audit?action={}&actor={}&before={before}",
            encode(&action),
            encode(&actor)
        )
    });
    let actions = AuditAction::ALL
        .into_iter()
        .map(|action| (action.as_str(), action_label(lang, action)))
        .collect();
    let view = AuditPage {
        chrome,
        entries,
        actions,
        action,
        actor,
        older_href,
    };
    Ok(render(StatusCode::OK, &view))
}

/// How the act ended, in the page's language (a refusal's reason is shown beside it).
fn outcome_label(lang: Lang, outcome: Option<&AuditOutcome>) -> &'static str {
    match outcome {
        Some(AuditOutcome::Succeeded) => lang.t("audit.outcome_succeeded"),
        Some(AuditOutcome::Refused { .. }) => lang.t("audit.outcome_refused"),
        None => lang.t("audit.outcome_unknown"),
    }
}

/// An action's name in the page's language.
fn action_label(lang: Lang, action: AuditAction) -> &'static str {
    lang.t(match action {
        AuditAction::SignIn => "audit.action_sign_in",
        AuditAction::SignInFailed => "audit.action_sign_in_failed",
        AuditAction::SignOut => "audit.action_sign_out",
        AuditAction::Export => "audit.action_export",
        AuditAction::Delete => "audit.action_delete",
        AuditAction::Merge => "audit.action_merge",
        AuditAction::MetadataChange => "audit.action_metadata_change",
        AuditAction::ImportStart => "audit.action_import_start",
        AuditAction::ApiKeyCreate => "audit.action_api_key_create",
        AuditAction::ApiKeyRevoke => "audit.action_api_key_revoke",
        AuditAction::Reveal => "audit.action_reveal",
        AuditAction::UserCreate => "audit.action_user_create",
        AuditAction::UserChange => "audit.action_user_change",
    })
}
