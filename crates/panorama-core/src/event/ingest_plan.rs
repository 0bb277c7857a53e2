//! Identity resolution for a batch of ingested events: whom each event belongs to, and which
//! contacts the batch creates, changes or merges on the way, decided in memory against what the
//! store loaded up front ([`IngestState`]). The store then writes the [`IngestPlan`] in the same
//! transaction, as it writes `plan_batch`'s plan for contact records.
//!
//! Events are resolved in order, each against the contacts the ones before it wrote, so a key
//! created by an earlier event of the batch is found by a later one, and an anonymous contact
//! made earlier in the batch merges into the real one when a later event links them.

use super::{Event, IncomingEvent, IngestOutcome, IngestStatus, ORDER_EVENTS, Resolution, resolve};
use crate::contact::{
    BatchPlan, Contact, ContactId, KeyValue, Suppressions, UpsertAction, WriteContext,
    consent_effect, keys_of, plan_upsert,
};
use crate::error::{Error, Result};
use crate::metadata::Schema;
use std::collections::{HashMap, HashSet};

/// What the store loads before planning a batch of events.
#[derive(Debug, Default, Clone)]
pub struct IngestState {
    /// The batch's event ids already stored: their events are duplicates.
    pub stored: HashSet<String>,
    /// The contact holding each key value the batch's identities carry.
    pub owners: HashMap<KeyValue, ContactId>,
    /// The contact holding each anonymous id the batch's identities carry.
    pub anonymous: HashMap<String, ContactId>,
    /// The contact ids the batch names (`identity.contact_id`) that exist.
    pub known: HashSet<ContactId>,
    /// The stored contacts the batch writes to, as [`IngestState::contacts_to_load`] names them.
    pub contacts: HashMap<ContactId, Contact>,
    /// The suppression list's entries for the batch's key values.
    pub suppressed: Suppressions,
}

impl IngestState {
    /// The stored contacts `events` will write to (a new key or anonymous id for a known
    /// contact, a merge), for the store to load into `contacts` in one read before planning.
    /// Only holders found by the events as the batch starts can be written: a contact an event
    /// writes later holds keys the batch gave it, and is in the plan's own picture by then.
    pub fn contacts_to_load<'e>(
        &self,
        events: impl IntoIterator<Item = &'e IncomingEvent>,
    ) -> Vec<ContactId> {
        let mut wanted: Vec<ContactId> = events
            .into_iter()
            .filter(|e| e.identity.contact_id.is_none() && !self.stored.contains(&e.event_id))
            .filter_map(|event| match self.resolution(event) {
                Resolution::Write { matched, .. } => Some(matched),
                Resolution::Attach(_) => None,
            })
            .flatten()
            .filter(|id| !self.contacts.contains_key(id))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        wanted
    }

    fn resolution(&self, event: &IncomingEvent) -> Resolution {
        let anonymous = event.identity.anonymous_id.as_ref();
        resolve(
            &event.identity,
            |key| self.owners.get(key).copied(),
            anonymous.and_then(|a| self.anonymous.get(a.as_str()).copied()),
        )
    }
}

/// What a batch of events writes, for the store to apply in one transaction.
#[derive(Debug, Default)]
pub struct IngestPlan {
    /// One outcome per event, in order. A created event's contact is the one holding it once
    /// the whole batch is written (after any merge a later event of the batch causes).
    pub outcomes: Vec<IngestOutcome>,
    /// The contact writes the events cause (new contacts, new links, merges, their events), for
    /// the same writer as contact records.
    pub contacts: BatchPlan,
    /// Anonymous ids seen for the first time, with the contact holding each.
    pub anonymous: Vec<(String, ContactId)>,
    /// The created events that change consent (unsubscribes, bounces), with their contacts.
    pub consent_events: Vec<Event>,
    /// Contacts that gained order events, each once and sorted: their order attributes are
    /// recomputed once the events are stored.
    pub with_orders: Vec<ContactId>,
}

/// Resolve `events` in order against `state`. Fails only when a contact the state says holds a
/// key or an anonymous id was not loaded (a stored key row whose contact is gone).
pub fn plan_ingest<'e>(
    schema: &Schema,
    events: impl IntoIterator<Item = &'e IncomingEvent>,
    state: IngestState,
    context: &WriteContext,
) -> Result<IngestPlan> {
    let mut resolver = Resolver {
        state,
        ..Resolver::default()
    };
    let events = events.into_iter();
    let mut seen: HashSet<&str> = HashSet::with_capacity(events.size_hint().0);
    let mut created: Vec<&IncomingEvent> = Vec::with_capacity(events.size_hint().0);
    let mut outcomes = Vec::with_capacity(events.size_hint().0);
    for event in events {
        let fresh = !resolver.state.stored.contains(&event.event_id)
            && seen.insert(event.event_id.as_str());
        let outcome = match event.identity.contact_id {
            _ if !fresh => IngestOutcome::duplicate(),
            Some(id) if resolver.state.known.contains(&id) => attached(resolver.holder(id)),
            Some(id) => IngestOutcome::rejected(Error {
                field: Some("identity.contact_id".into()),
                ..Error::not_found("contact", id)
            }),
            None => resolver.resolve_one(schema, event, context)?,
        };
        if outcome.contact_id.is_some() {
            created.push(event);
        }
        outcomes.push(outcome);
    }
    for outcome in &mut outcomes {
        outcome.contact_id = outcome.contact_id.map(|id| resolver.holder(id));
    }
    let mut plan = resolver.finish(schema);
    let mut stored = outcomes.iter().filter_map(|o| o.contact_id);
    for (event, contact_id) in created.into_iter().zip(stored.by_ref()) {
        if ORDER_EVENTS.contains(&event.event.as_str()) {
            plan.with_orders.push(contact_id);
        }
        if consent_effect(&event.event).is_some() {
            plan.consent_events.push(Event {
                event_id: event.event_id.clone(),
                contact_id,
                event: event.event.clone(),
                occurred_at: event.occurred_at,
                properties: event.properties.clone(),
            });
        }
    }
    plan.with_orders.sort_unstable();
    plan.with_orders.dedup();
    plan.outcomes = outcomes;
    Ok(plan)
}

fn attached(contact_id: ContactId) -> IngestOutcome {
    IngestOutcome {
        status: IngestStatus::Created,
        contact_id: Some(contact_id),
        contact_created: false,
        merged: Vec::new(),
    }
}

/// The batch's picture while it resolves: the loaded state kept current, which contacts were
/// folded into which, and what must be written.
#[derive(Default)]
struct Resolver {
    state: IngestState,
    folded_into: HashMap<ContactId, ContactId>,
    created: HashSet<ContactId>,
    changed: Vec<ContactId>,
    new_anonymous: Vec<(String, ContactId)>,
    plan: BatchPlan,
}

impl Resolver {
    /// The contact finally holding `id` (itself unless it was merged away).
    fn holder(&self, mut id: ContactId) -> ContactId {
        while let Some(next) = self.folded_into.get(&id) {
            id = *next;
        }
        id
    }

    /// Resolve an event identified by keys or an anonymous id, planning a contact write if needed.
    fn resolve_one(
        &mut self,
        schema: &Schema,
        event: &IncomingEvent,
        context: &WriteContext,
    ) -> Result<IngestOutcome> {
        let identity = &event.identity;
        let anonymous_holder = identity
            .anonymous_id
            .as_ref()
            .and_then(|a| self.state.anonymous.get(a.as_str()))
            .map(|id| self.holder(*id));
        let resolution = resolve(
            identity,
            |key| self.state.owners.get(key).map(|id| self.holder(*id)),
            anonymous_holder,
        );
        let (matched, record) = match resolution {
            Resolution::Attach(id) => return Ok(attached(id)),
            Resolution::Write { matched, record } => (matched, record),
        };
        let contacts = matched
            .into_iter()
            .map(|id| {
                self.state.contacts.get(&id).cloned().ok_or_else(|| {
                    Error::internal(format!("contact {id} holds a key but does not exist"))
                })
            })
            .collect::<Result<Vec<Contact>>>()?;
        let before: Vec<KeyValue> = contacts.iter().flat_map(|c| keys_of(schema, c)).collect();
        let mut step = plan_upsert(schema, contacts, &record, context);
        self.state.suppressed.apply(&mut step, &before, context);
        let survivor = step.contact.contact_id;
        for key in before {
            self.state.owners.remove(&key);
        }
        for key in &step.keys {
            self.state.owners.insert(key.clone(), survivor);
        }
        for loser in &step.merged {
            self.state.contacts.remove(loser);
            self.folded_into.insert(*loser, survivor);
        }
        if let Some(anonymous_id) = &identity.anonymous_id
            && anonymous_holder != Some(survivor)
        {
            let anonymous_id = anonymous_id.as_str().to_owned();
            if anonymous_holder.is_none() {
                self.new_anonymous.push((anonymous_id.clone(), survivor));
            }
            self.state.anonymous.insert(anonymous_id, survivor);
        }
        if step.is_new {
            self.created.insert(survivor);
        }
        if step.action != UpsertAction::Unchanged && !self.changed.contains(&survivor) {
            self.changed.push(survivor);
        }
        self.state.contacts.insert(survivor, step.contact);
        self.plan.events.extend(step.events);
        Ok(IngestOutcome {
            status: IngestStatus::Created,
            contact_id: Some(survivor),
            contact_created: step.is_new,
            merged: step.merged,
        })
    }

    /// The writes the picture calls for, as `plan_batch` would plan them.
    fn finish(mut self, schema: &Schema) -> IngestPlan {
        let mut events = std::mem::take(&mut self.plan.events);
        for event in &mut events {
            event.contact_id = self.holder(event.contact_id);
        }
        self.plan.events = events;
        // Only contacts that were stored need moving and deleting; ones made in this batch
        // never were.
        let merged: Vec<(ContactId, ContactId)> = self
            .folded_into
            .keys()
            .filter(|id| !self.created.contains(id))
            .map(|id| (*id, self.holder(*id)))
            .collect();
        self.plan.merged = merged;
        for id in std::mem::take(&mut self.changed) {
            if self.folded_into.contains_key(&id) {
                continue;
            }
            if let Some(contact) = self.state.contacts.remove(&id) {
                let keys = keys_of(schema, &contact).into_iter().map(|k| (k, id));
                self.plan.keys.extend(keys);
                self.plan.write.push(contact);
                self.plan.rekey.push(id);
            }
        }
        let anonymous = std::mem::take(&mut self.new_anonymous)
            .into_iter()
            .map(|(anonymous_id, id)| (anonymous_id, self.holder(id)))
            .collect();
        IngestPlan {
            contacts: self.plan,
            anonymous,
            ..IngestPlan::default()
        }
    }
}

#[cfg(test)]
#[path = "ingest_plan_tests.rs"]
mod tests;
