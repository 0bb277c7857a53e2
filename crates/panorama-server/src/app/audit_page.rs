//! One page of the audit log, newest first, as the API (`GET /api/v1/audit`) and the `/audit`
//! page read it: the filters checked, the page size bounded, and where the next, older page starts.

use panorama_core::access::{AUDIT_PAGE_ENTRIES_MAX, AuditAction, AuditEntry, AuditQuery};
use panorama_core::text::{TextKind, check_text};
use panorama_core::{Result, Store};

/// Entries on a page when the request does not say.
pub const AUDIT_PAGE_ENTRIES_DEFAULT: usize = 100;

/// Which entries to read, as asked (text as typed; empty filters are none).
#[derive(Debug, Default, Clone)]
pub struct AuditPageQuery {
    /// Only this action (`export`, `delete`, `merge`, ...).
    pub action: Option<String>,
    /// Only this actor (`ana`, `key:crm-sync`, `local-admin`).
    pub actor: Option<String>,
    /// Only entries older than this `entry_id` (the previous page's `next_before`).
    pub before: Option<i64>,
    /// Entries per page: [`AUDIT_PAGE_ENTRIES_DEFAULT`] unless given, at most
    /// [`AUDIT_PAGE_ENTRIES_MAX`].
    pub limit: Option<usize>,
}

/// One page of entries for `asked`, and the `before` of the next page if there is one.
pub async fn page(
    store: &dyn Store,
    asked: &AuditPageQuery,
) -> Result<(Vec<AuditEntry>, Option<i64>)> {
    let limit = asked
        .limit
        .unwrap_or(AUDIT_PAGE_ENTRIES_DEFAULT)
        .clamp(1, AUDIT_PAGE_ENTRIES_MAX);
    let query = AuditQuery {
        action: match asked.action.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(AuditAction::parse(text, "action")?),
        },
        actor: asked
            .actor
            .as_deref()
            .map(str::trim)
            .filter(|actor| !actor.is_empty())
            .map(|actor| {
                // PostgreSQL refuses U+0000 even in a comparison.
                check_text(actor, "actor", TextKind::SingleLine).map(|()| actor.to_owned())
            })
            .transpose()?,
        before: asked.before,
        // One more than asked tells whether an older page exists (the store caps at its maximum,
        // where a full page is taken to have a next one).
        limit: limit + 1,
    };
    let mut entries = store.audit_entries(&query).await?;
    let more = entries.len() > limit || entries.len() == AUDIT_PAGE_ENTRIES_MAX;
    entries.truncate(limit);
    let next_before = entries.last().filter(|_| more).map(|entry| entry.entry_id);
    Ok((entries, next_before))
}
