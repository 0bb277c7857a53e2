//! Batch resolution: many records resolved in file order against state loaded once, so a store
//! can read with a few queries and write with a few multi-row statements.
//!
//! The per-record rules stay in [`plan_upsert`]; this module only keeps the in-memory picture
//! (who owns which key, each contact's latest state) up to date between records, and collects
//! what the store must write at the end.

use super::{
    Contact, ContactId, ContactRecord, KeyValue, Suppressions, UpsertAction, WriteContext, keys_of,
    plan_upsert,
};
use crate::event::Event;
use crate::metadata::Schema;
use crate::store::UpsertOutcome;
use std::collections::{HashMap, HashSet};

/// What the store loaded before planning: the owners of the batch's key values, those
/// contacts, and the suppression entries of the key values.
#[derive(Debug, Default)]
pub struct BatchState {
    /// Contact holding each key value that any record of the batch carries.
    pub owners: HashMap<KeyValue, ContactId>,
    /// Those contacts, as stored.
    pub contacts: HashMap<ContactId, Contact>,
    /// The suppression list's entries for the batch's key values ([`Suppressions::apply`]).
    pub suppressed: Suppressions,
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
    /// Stored contacts whose key rows must be replaced: they lose all theirs before `keys` is
    /// written.
    pub rekey: Vec<ContactId>,
    /// Key rows to insert: the final keys of new contacts and of the contacts in `rekey`. A
    /// stored contact whose key values did not change keeps its rows and is in neither.
    pub keys: Vec<(KeyValue, ContactId)>,
    /// Events to record, already pointing at the contacts that finally hold them.
    pub events: Vec<Event>,
    /// The contacts of `write` that were not stored before the batch: a store may insert them
    /// without the conflict handling of an upsert.
    pub new: HashSet<ContactId>,
}

/// Resolve `records` in order against `state`.
pub fn plan_batch(
    schema: &Schema,
    records: &[ContactRecord],
    mut state: BatchState,
    context: &WriteContext,
) -> BatchPlan {
    let stored: HashSet<ContactId> = state.contacts.keys().copied().collect();
    // The key values a stored contact had before its first change, to tell whether its rows
    // must be replaced.
    let mut stored_keys: HashMap<ContactId, Vec<KeyValue>> = HashMap::new();
    let mut changed: Vec<ContactId> = Vec::new();
    let mut changed_set: HashSet<ContactId> = HashSet::new();
    let mut folded_into: HashMap<ContactId, ContactId> = HashMap::new();
    let mut plan = BatchPlan::default();
    for record in records {
        // Matched contacts are taken out of the picture (so a second key of the same contact
        // finds nothing more) and the survivor put back: no contact is copied to be planned.
        let mut matched: Vec<Contact> = Vec::new();
        for key in &record.keys {
            if let Some(id) = state.owners.get(key)
                && let Some(contact) = state.contacts.remove(id)
            {
                matched.push(contact);
            }
        }
        let before: Vec<(ContactId, Vec<KeyValue>)> = matched
            .iter()
            .map(|c| (c.contact_id, keys_of(schema, c)))
            .collect();
        let mut step = plan_upsert(schema, matched, record, context);
        if !state.suppressed.is_empty() {
            let keys_before: Vec<KeyValue> =
                before.iter().flat_map(|(_, keys)| keys.clone()).collect();
            state.suppressed.apply(&mut step, &keys_before, context);
        }
        let survivor = step.contact.contact_id;
        if step.action != UpsertAction::Unchanged {
            for (id, keys) in before {
                for key in &keys {
                    state.owners.remove(key);
                }
                if stored.contains(&id) {
                    stored_keys.entry(id).or_insert_with(|| sorted(keys));
                }
            }
            for key in &step.keys {
                state.owners.insert(key.clone(), survivor);
            }
            if changed_set.insert(survivor) {
                changed.push(survivor);
            }
        }
        for loser in &step.merged {
            folded_into.insert(*loser, survivor);
        }
        plan.events.extend(step.events);
        plan.outcomes.push(UpsertOutcome {
            action: step.action,
            contact: step.contact.clone(),
            merged: step.merged,
        });
        state.contacts.insert(survivor, step.contact);
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
        if let Some(contact) = state.contacts.remove(&id) {
            let keys = sorted(keys_of(schema, &contact));
            match stored_keys.get(&id) {
                Some(before) if *before == keys => {}
                Some(_) => {
                    plan.rekey.push(id);
                    plan.keys.extend(keys.into_iter().map(|k| (k, id)));
                }
                None => plan.keys.extend(keys.into_iter().map(|k| (k, id))),
            }
            if !stored.contains(&id) {
                plan.new.insert(id);
            }
            plan.write.push(contact);
        }
    }
    plan
}

fn sorted(mut keys: Vec<KeyValue>) -> Vec<KeyValue> {
    keys.sort_unstable();
    keys
}
