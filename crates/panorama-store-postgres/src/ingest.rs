//! Event ingest: one write transaction per batch. Duplicates, key owners, anonymous ids and
//! contact ids are looked up with one array statement each up front; each event is then resolved
//! in memory (core's `resolve` and `plan_upsert`), and everything is written with multi-row
//! statements through the same `bulk::apply` as contact writes. Consent effects (unsubscribes,
//! hard bounces) are the consent area's `apply_event_effects`, called in the same transaction.

use crate::{anonymous, bulk, contacts, db, events, orders};
use panorama_core::contact::{
    BatchPlan, Contact, ContactId, KeyValue, Suppressions, UpsertAction, WriteContext, keys_of,
    plan_upsert,
};
use panorama_core::event::{
    Event, IncomingEvent, IngestOutcome, IngestStatus, ORDER_EVENTS, Resolution, resolve,
};
use panorama_core::metadata::Schema;
use panorama_core::{Error, Result};
use sqlx::PgConnection;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// What a batch knows while it resolves: owners of keys and anonymous ids, contacts read or
/// written so far, and which contacts were folded into which.
#[derive(Default)]
struct Resolver {
    owners: HashMap<KeyValue, ContactId>,
    anonymous: HashMap<String, ContactId>,
    known_ids: HashSet<ContactId>,
    contacts: HashMap<ContactId, Contact>,
    folded_into: HashMap<ContactId, ContactId>,
    created: HashSet<ContactId>,
    changed: Vec<ContactId>,
    new_anonymous: Vec<(String, ContactId)>,
    suppressed: Suppressions,
    plan: BatchPlan,
}

impl Resolver {
    fn holder(&self, mut id: ContactId) -> ContactId {
        while let Some(next) = self.folded_into.get(&id) {
            id = *next;
        }
        id
    }

    /// The holder of an event's anonymous id, if it has one that is held.
    fn anonymous_holder(&self, event: &IncomingEvent) -> Option<ContactId> {
        event
            .identity
            .anonymous_id
            .as_ref()
            .and_then(|a| self.anonymous.get(a.as_str()))
            .map(|id| self.holder(*id))
    }

    /// What `event` does with what the batch knows so far.
    fn resolution(&self, event: &IncomingEvent) -> Resolution {
        resolve(
            &event.identity,
            |key| self.owners.get(key).map(|id| self.holder(*id)),
            self.anonymous_holder(event),
        )
    }
}

/// Ingest `incoming` in order inside the caller's transaction.
pub(crate) async fn ingest(
    connection: &mut PgConnection,
    schema: &Schema,
    incoming: &[IncomingEvent],
    context: &WriteContext,
) -> Result<Vec<IngestOutcome>> {
    let stored =
        events::existing_ids(connection, incoming.iter().map(|e| e.event_id.as_str())).await?;
    let mut state = Resolver {
        owners: bulk::key_owners(connection, incoming.iter().flat_map(|e| &e.identity.keys))
            .await?,
        anonymous: anonymous::owners(
            connection,
            incoming
                .iter()
                .filter_map(|e| e.identity.anonymous_id.as_ref()),
        )
        .await?,
        known_ids: existing_contacts(
            connection,
            incoming.iter().filter_map(|e| e.identity.contact_id),
        )
        .await?,
        suppressed: panorama_store_sql::suppression::load::<crate::PostgresDb>(
            connection,
            incoming.iter().flat_map(|e| &e.identity.keys),
        )
        .await?,
        ..Resolver::default()
    };
    preload_matched(connection, &mut state, incoming).await?;
    let mut seen: HashSet<&str> = HashSet::with_capacity(incoming.len());
    let mut rows: Vec<Event> = Vec::with_capacity(incoming.len());
    let mut outcomes = Vec::with_capacity(incoming.len());
    for event in incoming {
        if stored.contains(&event.event_id) || !seen.insert(event.event_id.as_str()) {
            outcomes.push(IngestOutcome::duplicate());
            continue;
        }
        let outcome = match event.identity.contact_id {
            Some(id) if state.known_ids.contains(&id) => attached(state.holder(id)),
            Some(id) => IngestOutcome::rejected(Error {
                field: Some("identity.contact_id".into()),
                ..Error::not_found("contact", id)
            }),
            None => resolve_one(connection, schema, &mut state, event, context).await?,
        };
        if let Some(contact_id) = outcome.contact_id {
            rows.push(Event {
                event_id: event.event_id.clone(),
                contact_id,
                event: event.event.clone(),
                occurred_at: event.occurred_at,
                properties: event.properties.clone(),
            });
        }
        outcomes.push(outcome);
    }
    finish_plan(schema, &mut state);
    bulk::apply(connection, &state.plan).await?;
    let new_anonymous: Vec<(String, ContactId)> = state
        .new_anonymous
        .iter()
        .map(|(a, id)| (a.clone(), state.holder(*id)))
        .collect();
    anonymous::insert(connection, &new_anonymous).await?;
    let mut with_orders: Vec<ContactId> = Vec::new();
    for row in &mut rows {
        row.contact_id = state.holder(row.contact_id);
        if ORDER_EVENTS.contains(&row.event.as_str()) {
            with_orders.push(row.contact_id);
        }
    }
    events::insert_events(connection, &rows).await?;
    // Unsubscribes and hard bounces: the consent area's rules, in this same transaction.
    panorama_store_sql::consent::apply_event_effects::<crate::PostgresDb>(connection, &rows)
        .await?;
    with_orders.sort_unstable();
    with_orders.dedup();
    orders::refresh(connection, &with_orders).await?;
    for outcome in &mut outcomes {
        outcome.contact_id = outcome.contact_id.map(|id| state.holder(id));
    }
    Ok(outcomes)
}

fn attached(contact_id: ContactId) -> IngestOutcome {
    IngestOutcome {
        status: IngestStatus::Created,
        contact_id: Some(contact_id),
        contact_created: false,
        merged: Vec::new(),
    }
}

/// Load, with one statement, the stored contacts that events will write to as the batch starts
/// (a new key or anonymous id for a known contact), so resolving rarely reads one by one.
async fn preload_matched(
    connection: &mut PgConnection,
    state: &mut Resolver,
    incoming: &[IncomingEvent],
) -> Result<()> {
    let mut wanted: Vec<ContactId> = incoming
        .iter()
        .filter(|e| e.identity.contact_id.is_none())
        .filter_map(|e| match state.resolution(e) {
            Resolution::Write { matched, .. } => Some(matched),
            Resolution::Attach(_) => None,
        })
        .flatten()
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    for contact in contacts::by_ids(connection, &wanted).await? {
        state.contacts.insert(contact.contact_id, contact);
    }
    Ok(())
}

/// Resolve an event identified by keys or an anonymous id, planning a contact write if needed.
async fn resolve_one(
    connection: &mut PgConnection,
    schema: &Schema,
    state: &mut Resolver,
    event: &IncomingEvent,
    context: &WriteContext,
) -> Result<IngestOutcome> {
    let identity = &event.identity;
    let anonymous_holder = state.anonymous_holder(event);
    let (matched, record) = match state.resolution(event) {
        Resolution::Attach(id) => return Ok(attached(id)),
        Resolution::Write { matched, record } => (matched, record),
    };
    let mut contacts = Vec::with_capacity(matched.len());
    for id in matched {
        let contact = match state.contacts.get(&id) {
            Some(contact) => contact.clone(),
            None => contacts::get(connection, id).await?.ok_or_else(|| {
                Error::internal(format!("contact {id} holds a key but does not exist"))
            })?,
        };
        contacts.push(contact);
    }
    let before: Vec<KeyValue> = contacts.iter().flat_map(|c| keys_of(schema, c)).collect();
    let mut step = plan_upsert(schema, contacts, &record, context);
    state.suppressed.apply(&mut step, &before, context);
    let survivor = step.contact.contact_id;
    for key in before {
        state.owners.remove(&key);
    }
    for key in &step.keys {
        state.owners.insert(key.clone(), survivor);
    }
    for loser in &step.merged {
        state.contacts.remove(loser);
        state.folded_into.insert(*loser, survivor);
    }
    if let Some(anonymous_id) = &identity.anonymous_id
        && anonymous_holder != Some(survivor)
    {
        state
            .anonymous
            .insert(anonymous_id.as_str().to_owned(), survivor);
        if anonymous_holder.is_none() {
            state
                .new_anonymous
                .push((anonymous_id.as_str().to_owned(), survivor));
        }
    }
    if step.is_new {
        state.created.insert(survivor);
    }
    if step.action != UpsertAction::Unchanged && !state.changed.contains(&survivor) {
        state.changed.push(survivor);
    }
    state.contacts.insert(survivor, step.contact);
    state.plan.events.extend(step.events);
    Ok(IngestOutcome {
        status: IngestStatus::Created,
        contact_id: Some(survivor),
        contact_created: step.is_new,
        merged: step.merged,
    })
}

/// Turn the resolver's picture into the batch plan `bulk::apply` writes, as `plan_batch` does.
fn finish_plan(schema: &Schema, state: &mut Resolver) {
    let folded: Vec<ContactId> = state.folded_into.keys().copied().collect();
    for event in &mut state.plan.events {
        let mut id = event.contact_id;
        while let Some(next) = state.folded_into.get(&id) {
            id = *next;
        }
        event.contact_id = id;
    }
    // Only contacts that were stored need moving and deleting; ones made in this batch never were.
    state.plan.merged = folded
        .into_iter()
        .filter(|id| !state.created.contains(id))
        .map(|id| (id, state.holder(id)))
        .collect();
    let changed = std::mem::take(&mut state.changed);
    for id in changed
        .into_iter()
        .filter(|id| !state.folded_into.contains_key(id))
    {
        if let Some(contact) = state.contacts.get(&id) {
            state
                .plan
                .keys
                .extend(keys_of(schema, contact).into_iter().map(|k| (k, id)));
            state.plan.write.push(contact.clone());
            state.plan.rekey.push(id);
        }
    }
}

/// Which of these contact ids exist.
async fn existing_contacts(
    connection: &mut PgConnection,
    ids: impl Iterator<Item = ContactId>,
) -> Result<HashSet<ContactId>> {
    let mut ids: Vec<Uuid> = ids.map(|id| id.uuid()).collect();
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    ids.sort_unstable();
    ids.dedup();
    let found: Vec<Uuid> =
        sqlx::query_scalar("SELECT contact_id FROM contacts WHERE contact_id = ANY($1::uuid[])")
            .bind(ids)
            .fetch_all(connection)
            .await
            .map_err(db)?;
    Ok(found.into_iter().map(ContactId::from_uuid).collect())
}
