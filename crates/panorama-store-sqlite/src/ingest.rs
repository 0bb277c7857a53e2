//! Event ingest: one transaction per batch. Duplicates, key owners, anonymous ids and contact ids
//! are looked up with a few `IN (...)` queries up front; each event is then resolved in memory
//! (core's `resolve` and `plan_upsert`), and everything is written with multi-row statements
//! through the same `bulk::apply` as contact writes. Consent effects (unsubscribes, hard bounces)
//! are the consent area's `apply_event_effects`, called in the same transaction.

use crate::bulk;
use crate::convert::micros;
use crate::events::{NewEventRow, RowText};
use crate::{anonymous, contacts, events, orders};
use panorama_core::Result;
use panorama_core::contact::{
    BatchPlan, Contact, ContactId, KeyValue, Suppressions, UpsertAction, WriteContext,
    consent_effect, keys_of, plan_upsert,
};
use panorama_core::event::{
    Event, IncomingEvent, IngestOutcome, IngestStatus, ORDER_EVENTS, Resolution, resolve,
};
use panorama_core::metadata::Schema;
use sqlx::SqliteConnection;
use std::collections::{HashMap, HashSet};

/// An event on its way to the writer: checked, with the texts of its row made by the requester
/// (properties serialized), so the one writer neither serializes nor copies them.
pub(crate) struct PendingEvent {
    event: IncomingEvent,
    text: RowText,
}

impl PendingEvent {
    /// Make `event`'s row texts.
    pub(crate) fn new(event: IncomingEvent) -> Result<Self> {
        let text = RowText::new(&event.event_id, &event.event, &event.properties)?;
        Ok(Self { event, text })
    }
}

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
}

/// How `ingest` learns which event ids are stored already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StoredIds {
    /// Look every id up before resolving anything.
    LookUp,
    /// Assume none is: the insert's unique index finds any that is, and `ingest` then answers
    /// `None` for the caller to roll back and ingest again with `LookUp`. Senders rarely resend,
    /// and the look-up of 20,000 ids is a tenth of a group's time on the one writer.
    AssumeNone,
}

/// Ingest `incoming` in order inside the caller's transaction. `None` when an event taken as new
/// was stored already (only expected with `StoredIds::AssumeNone`): the transaction holds a
/// partial write and must be rolled back.
pub(crate) async fn ingest(
    connection: &mut SqliteConnection,
    schema: &Schema,
    incoming: &[PendingEvent],
    context: &WriteContext,
    stored_ids: StoredIds,
) -> Result<Option<Vec<IngestOutcome>>> {
    let stored = match stored_ids {
        StoredIds::LookUp => {
            events::existing_ids(
                connection,
                incoming.iter().map(|p| p.event.event_id.as_str()),
            )
            .await?
        }
        StoredIds::AssumeNone => HashSet::new(),
    };
    let mut state = Resolver {
        owners: crate::bulk::key_owners(
            connection,
            incoming.iter().flat_map(|p| &p.event.identity.keys),
        )
        .await?,
        anonymous: anonymous::owners(
            connection,
            incoming
                .iter()
                .filter_map(|p| p.event.identity.anonymous_id.as_ref()),
        )
        .await?,
        known_ids: existing_contacts(
            connection,
            incoming.iter().filter_map(|p| p.event.identity.contact_id),
        )
        .await?,
        suppressed: panorama_store_sql::suppression::load::<crate::SqliteDb>(
            connection,
            incoming.iter().flat_map(|p| &p.event.identity.keys),
        )
        .await?,
        ..Resolver::default()
    };
    let mut seen: HashSet<&str> = HashSet::with_capacity(incoming.len());
    let mut rows: Vec<NewEventRow> = Vec::with_capacity(incoming.len());
    // Events that change consent (unsubscribes, bounces) are rare; only they need the whole event.
    let mut with_effects: Vec<Event> = Vec::new();
    let mut outcomes = Vec::with_capacity(incoming.len());
    for PendingEvent { event, text } in incoming {
        if stored.contains(&event.event_id) || !seen.insert(event.event_id.as_str()) {
            outcomes.push(IngestOutcome::duplicate());
            continue;
        }
        let outcome = match event.identity.contact_id {
            Some(id) if state.known_ids.contains(&id) => attached(state.holder(id)),
            Some(id) => IngestOutcome::rejected(panorama_core::Error {
                field: Some("identity.contact_id".into()),
                ..panorama_core::Error::not_found("contact", id)
            }),
            None => resolve_one(connection, schema, &mut state, event, context).await?,
        };
        if let Some(contact_id) = outcome.contact_id {
            rows.push(NewEventRow {
                contact_id,
                occurred_at: micros(event.occurred_at),
                text: text.clone(),
            });
            if consent_effect(&event.event).is_some() {
                with_effects.push(Event {
                    event_id: event.event_id.clone(),
                    contact_id,
                    event: event.event.clone(),
                    occurred_at: event.occurred_at,
                    properties: event.properties.clone(),
                });
            }
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
        if ORDER_EVENTS.contains(&&*row.text.event) {
            with_orders.push(row.contact_id);
        }
    }
    for event in &mut with_effects {
        event.contact_id = state.holder(event.contact_id);
    }
    let expected = u64::try_from(rows.len()).unwrap_or(u64::MAX);
    if events::insert_rows(connection, rows).await? != expected {
        return Ok(None);
    }
    // Unsubscribes and hard bounces: the consent area's rules, in this same transaction.
    panorama_store_sql::consent::apply_event_effects::<crate::SqliteDb>(connection, &with_effects)
        .await?;
    with_orders.sort_unstable();
    with_orders.dedup();
    orders::refresh(connection, &with_orders).await?;
    for outcome in &mut outcomes {
        outcome.contact_id = outcome.contact_id.map(|id| state.holder(id));
    }
    Ok(Some(outcomes))
}

fn attached(contact_id: ContactId) -> IngestOutcome {
    IngestOutcome {
        status: IngestStatus::Created,
        contact_id: Some(contact_id),
        contact_created: false,
        merged: Vec::new(),
    }
}

/// Resolve an event identified by keys or an anonymous id, planning a contact write if needed.
async fn resolve_one(
    connection: &mut SqliteConnection,
    schema: &Schema,
    state: &mut Resolver,
    event: &IncomingEvent,
    context: &WriteContext,
) -> Result<IngestOutcome> {
    let identity = &event.identity;
    let anonymous_holder = identity
        .anonymous_id
        .as_ref()
        .and_then(|a| state.anonymous.get(a.as_str()))
        .map(|id| state.holder(*id));
    let resolution = resolve(
        identity,
        |key| state.owners.get(key).map(|id| state.holder(*id)),
        anonymous_holder,
    );
    let (matched, record) = match resolution {
        Resolution::Attach(id) => return Ok(attached(id)),
        Resolution::Write { matched, record } => (matched, record),
    };
    let mut contacts = Vec::with_capacity(matched.len());
    for id in matched {
        let contact = match state.contacts.get(&id) {
            Some(contact) => contact.clone(),
            None => contacts::get(connection, id).await?.ok_or_else(|| {
                panorama_core::Error::internal(format!(
                    "contact {id} holds a key but does not exist"
                ))
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
    connection: &mut SqliteConnection,
    ids: impl Iterator<Item = ContactId>,
) -> Result<HashSet<ContactId>> {
    let mut ids: Vec<String> = ids.map(|id| id.to_string()).collect();
    ids.sort_unstable();
    ids.dedup();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let found: Vec<String> = crate::lookup::matching(
        connection,
        "SELECT json_group_array(contact_id) FROM contacts WHERE",
        "contact_id",
        &refs,
    )
    .await?;
    found
        .iter()
        .map(|id| ContactId::parse(id).map_err(panorama_core::Error::internal))
        .collect()
}
