//! Event ingest, one transaction per batch: duplicates, key owners, anonymous ids, named contact
//! ids and the suppression list are looked up with one statement each up front, then the stored
//! contacts the batch writes to with one more; core's `plan_ingest` resolves every event in
//! memory; the plan is written with the contact writer's multi-row statements, then the event
//! rows, consent effects (unsubscribes, hard bounces) and order attributes, in the same
//! transaction. Empty look-ups and writes run no statement, so an ingest of events for known keys
//! is a handful of statements however large.

use super::orders;
use crate::{Arg, Backend, DbRow, sql};
use panorama_core::contact::{ContactId, KeyValue, WriteContext};
use panorama_core::event::{IncomingEvent, IngestOutcome, IngestState, IngestStatus, plan_ingest};
use panorama_core::metadata::Schema;
use panorama_core::{Error, Result};
use std::collections::HashSet;

/// How [`ingest_batch`] learns which event ids are stored already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoredIds {
    /// Look every id up before resolving anything.
    LookUp,
    /// Assume none is: the insert skips any that is, and `ingest_batch` then answers `None` for
    /// the caller to roll back and ingest again with `LookUp`. Senders rarely resend, and on
    /// SQLite the look-up of 20,000 ids is a tenth of a group's time on the one writer.
    AssumeNone,
}

/// Ingest `events` in a write transaction of their own, every id looked up first.
pub async fn ingest_alone<B: Backend>(
    backend: &B,
    events: Vec<IncomingEvent>,
    context: &WriteContext,
) -> Result<Vec<IngestOutcome>> {
    let events = events
        .into_iter()
        .map(B::pending)
        .collect::<Result<Vec<_>>>()?;
    let mut tx = backend.write().await?;
    let schema = crate::load_schema::<B>(&mut tx).await?;
    let outcomes = ingest_batch::<B>(&mut tx, &schema, &events, context, StoredIds::LookUp)
        .await?
        .ok_or_else(|| Error::internal("an ingest with every id looked up found a stored one"))?;
    B::commit(tx).await?;
    Ok(outcomes)
}

/// Ingest `events` in order inside the caller's write transaction. `None` when an event taken as
/// new was stored already (only with [`StoredIds::AssumeNone`]): the transaction holds a partial
/// write and must be rolled back.
pub async fn ingest_batch<B: Backend>(
    conn: &mut B::Conn,
    schema: &Schema,
    events: &[B::Pending],
    context: &WriteContext,
    stored_ids: StoredIds,
) -> Result<Option<Vec<IngestOutcome>>> {
    let incoming = || events.iter().map(B::incoming);
    let state = load_state::<B, _>(conn, incoming, stored_ids).await?;
    let plan = plan_ingest(schema, incoming(), state, context)?;
    B::apply_batch(conn, &plan.contacts).await?;
    if !plan.anonymous.is_empty() {
        B::insert_anonymous(conn, &plan.anonymous).await?;
    }
    let rows: Vec<(ContactId, &B::Pending)> = plan
        .outcomes
        .iter()
        .zip(events)
        .filter(|(outcome, _)| outcome.status == IngestStatus::Created)
        .filter_map(|(outcome, event)| outcome.contact_id.map(|id| (id, event)))
        .collect();
    let expected = u64::try_from(rows.len()).unwrap_or(u64::MAX);
    let inserted = if rows.is_empty() {
        0
    } else {
        B::insert_ingested(conn, rows).await?
    };
    if stored_ids == StoredIds::AssumeNone && inserted != expected {
        return Ok(None);
    }
    if !plan.consent_events.is_empty() {
        crate::consent::apply_event_effects::<B>(conn, &plan.consent_events).await?;
    }
    orders::refresh::<B>(conn, &plan.with_orders).await?;
    Ok(Some(plan.outcomes))
}

/// What `plan_ingest` needs, read with one statement per kind (none for an empty kind).
async fn load_state<'e, B: Backend, I: Iterator<Item = &'e IncomingEvent>>(
    conn: &mut B::Conn,
    incoming: impl Fn() -> I,
    stored_ids: StoredIds,
) -> Result<IngestState> {
    let keys: Vec<&KeyValue> = incoming().flat_map(|e| &e.identity.keys).collect();
    let mut state = IngestState {
        stored: match stored_ids {
            StoredIds::LookUp => stored_event_ids::<B>(conn, incoming()).await?,
            StoredIds::AssumeNone => HashSet::new(),
        },
        owners: B::key_owners(conn, &keys).await?,
        anonymous: anonymous_owners::<B>(conn, incoming()).await?,
        known: existing_contacts::<B>(conn, incoming().filter_map(|e| e.identity.contact_id))
            .await?,
        suppressed: crate::suppression::load::<B>(conn, keys.iter().copied()).await?,
        ..IngestState::default()
    };
    let wanted = state.contacts_to_load(incoming());
    if !wanted.is_empty() {
        for contact in B::contacts_by_ids(conn, &wanted).await? {
            state.contacts.insert(contact.contact_id, contact);
        }
    }
    Ok(state)
}

/// Which of the events' ids are stored already.
async fn stored_event_ids<'e, B: Backend>(
    conn: &mut B::Conn,
    events: impl Iterator<Item = &'e IncomingEvent>,
) -> Result<HashSet<String>> {
    let ids: Vec<String> = events.map(|e| e.event_id.clone()).collect();
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    let found: Vec<String> = sql(format!(
        "SELECT {} FROM {} WHERE {}",
        B::json_agg("event_id"),
        B::EVENT_IDS_TABLE,
        B::in_list("event_id", 1)
    ))
    .bind(Arg::Texts(ids))
    .one::<B>(conn)
    .await?
    .json(0)?;
    Ok(found.into_iter().collect())
}

/// The contacts holding the events' anonymous ids.
async fn anonymous_owners<'e, B: Backend>(
    conn: &mut B::Conn,
    events: impl Iterator<Item = &'e IncomingEvent>,
) -> Result<std::collections::HashMap<String, ContactId>> {
    let mut ids: Vec<String> = events
        .filter_map(|e| e.identity.anonymous_id.as_ref())
        .map(|a| a.as_str().to_owned())
        .collect();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    ids.sort_unstable();
    ids.dedup();
    let found: Vec<(String, uuid::Uuid)> = sql(format!(
        "SELECT {} FROM contact_anonymous_ids WHERE {}",
        B::json_agg(&B::json_array(&["anonymous_id", "contact_id"])),
        B::in_list("anonymous_id", 1)
    ))
    .bind(Arg::Texts(ids))
    .one::<B>(conn)
    .await?
    .json(0)?;
    Ok(found
        .into_iter()
        .map(|(anonymous_id, id)| (anonymous_id, ContactId::from_uuid(id)))
        .collect())
}

/// Which of these contact ids exist.
async fn existing_contacts<B: Backend>(
    conn: &mut B::Conn,
    ids: impl Iterator<Item = ContactId>,
) -> Result<HashSet<ContactId>> {
    let mut ids: Vec<ContactId> = ids.collect();
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    ids.sort_unstable();
    ids.dedup();
    let found: Vec<uuid::Uuid> = sql(format!(
        "SELECT {} FROM contacts WHERE {}",
        B::json_agg("contact_id"),
        B::in_list("contact_id", 1)
    ))
    .bind(Arg::contact_ids(&ids))
    .one::<B>(conn)
    .await?
    .json(0)?;
    Ok(found.into_iter().map(ContactId::from_uuid).collect())
}
