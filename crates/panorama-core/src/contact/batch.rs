//! Batch resolution: many records resolved in file order against state loaded once, so a store
//! can read with a few queries and write with a few multi-row statements.
//!
//! The per-record rules stay in [`plan_upsert`]; this module only keeps the in-memory picture
//! (who owns which key, each contact's latest state) up to date between records, and collects
//! what the store must write at the end.

use super::{
    Contact, ContactId, ContactRecord, KeyValue, UpsertAction, WriteContext, keys_of, plan_upsert,
};
use crate::event::Event;
use crate::metadata::Schema;
use crate::store::UpsertOutcome;
use std::collections::{HashMap, HashSet};

/// What the store loaded before planning: the owners of the batch's key values, and those
/// contacts.
#[derive(Debug, Default)]
pub struct BatchState {
    /// Contact holding each key value that any record of the batch carries.
    pub owners: HashMap<KeyValue, ContactId>,
    /// Those contacts, as stored.
    pub contacts: HashMap<ContactId, Contact>,
}

/// Everything a batch writes, for the store to apply in one transaction.
#[derive(Debug, Default)]
pub struct BatchPlan {
    /// One outcome per record, in order.
    pub outcomes: Vec<UpsertOutcome>,
    /// Final state of every new or changed contact (each once).
    pub write: Vec<Contact>,
    /// Stored contacts folded into another, with the contact that finally holds them: their
    /// events move there, then they are deleted.
    pub merged: Vec<(ContactId, ContactId)>,
    /// Contacts whose key rows must be replaced by `keys` (stored ones first lose all theirs).
    pub rekey: Vec<ContactId>,
    /// The final keys of the contacts in `rekey`.
    pub keys: Vec<(KeyValue, ContactId)>,
    /// Events to record, already pointing at the contacts that finally hold them.
    pub events: Vec<Event>,
}

/// Resolve `records` in order against `state`.
pub fn plan_batch(
    schema: &Schema,
    records: &[ContactRecord],
    mut state: BatchState,
    context: &WriteContext,
) -> BatchPlan {
    let stored: HashSet<ContactId> = state.contacts.keys().copied().collect();
    let mut changed: Vec<ContactId> = Vec::new();
    let mut changed_set: HashSet<ContactId> = HashSet::new();
    let mut folded_into: HashMap<ContactId, ContactId> = HashMap::new();
    let mut plan = BatchPlan::default();
    for record in records {
        let mut matched: Vec<Contact> = Vec::new();
        for key in &record.keys {
            if let Some(id) = state.owners.get(key)
                && !matched.iter().any(|c| c.contact_id == *id)
                && let Some(contact) = state.contacts.get(id)
            {
                matched.push(contact.clone());
            }
        }
        let before: Vec<KeyValue> = matched.iter().flat_map(|c| keys_of(schema, c)).collect();
        let step = plan_upsert(schema, matched, record, context);
        let survivor = step.contact.contact_id;
        for key in before {
            state.owners.remove(&key);
        }
        for key in &step.keys {
            state.owners.insert(key.clone(), survivor);
        }
        for loser in &step.merged {
            state.contacts.remove(loser);
            folded_into.insert(*loser, survivor);
        }
        if step.action != UpsertAction::Unchanged && changed_set.insert(survivor) {
            changed.push(survivor);
        }
        state.contacts.insert(survivor, step.contact.clone());
        plan.events.extend(step.events);
        plan.outcomes.push(UpsertOutcome {
            action: step.action,
            contact: step.contact,
            merged: step.merged,
        });
    }
    let holder = |mut id: ContactId| {
        while let Some(next) = folded_into.get(&id) {
            id = *next;
        }
        id
    };
    for event in &mut plan.events {
        event.contact_id = holder(event.contact_id);
    }
    plan.merged = folded_into
        .keys()
        .filter(|id| stored.contains(id))
        .map(|id| (*id, holder(*id)))
        .collect();
    for id in changed
        .into_iter()
        .filter(|id| !folded_into.contains_key(id))
    {
        if let Some(contact) = state.contacts.get(&id) {
            plan.keys
                .extend(keys_of(schema, contact).into_iter().map(|k| (k, id)));
            plan.write.push(contact.clone());
            plan.rekey.push(id);
        }
    }
    plan
}
