//! Audited acts on contacts that the API, the pages and the CLI share: deleting one contact and
//! exporting many, each written to the audit log the same way whichever door it came through, so
//! that one act always reads the same in the log.

use crate::audit;
use crate::principal::Principal;
use panorama_core::Store;
use panorama_core::access::AuditAction;
use panorama_core::contact::ContactId;
use panorama_core::{Error, Result};
use serde_json::json;

/// Delete one contact as `principal`, audited: the entry is written before the delete and
/// settled with its result (a contact gone meanwhile is a refusal, `not_found`). With
/// `forget_consent` the delete also drops the suppression list's entries of its key values (an
/// erasure request), and the entry says so. The API and the contact page both delete this way.
pub async fn delete_contact(
    store: &dyn Store,
    principal: &Principal,
    contact_id: ContactId,
    forget_consent: bool,
) -> Result<()> {
    let detail = if forget_consent {
        json!({ "contacts": 1, "forget_consent": true })
    } else {
        json!({ "contacts": 1 })
    };
    let pending = audit::begin(
        store,
        principal,
        AuditAction::Delete,
        Some(contact_id.to_string()),
        detail,
    )
    .await?;
    let deleted = if forget_consent {
        store.erase_contact(contact_id).await
    } else {
        store.delete_contact(contact_id).await
    };
    let deleted = match deleted {
        Ok(false) => Err(Error::not_found("contact", contact_id)),
        other => other.map(drop),
    };
    pending.settle(store, &deleted).await;
    deleted
}

/// A contact export, recorded once its rows are chosen and before any is written: the filter
/// and file as asked, the row count (counted for a whole category, which is read without a
/// list) and whether mobiles and emails were masked.
pub async fn export(
    store: &dyn Store,
    principal: &Principal,
    asked: serde_json::Value,
    listed_rows: Option<u64>,
    category: panorama_core::contact::Category,
) -> Result<()> {
    let rows = match listed_rows {
        Some(rows) => rows,
        None => {
            let query = panorama_core::store::ContactListQuery::category(category, 1);
            store.list_contact_ids(query).await?.total
        }
    };
    let mut detail = asked;
    detail["rows"] = json!(rows);
    detail["masked"] = json!(!principal.sees_unmasked());
    audit::record(store, principal, AuditAction::Export, None, detail).await
}
