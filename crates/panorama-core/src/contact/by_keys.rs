//! Purposes that act on existing contacts found by key values, never creating one: delete and
//! unsubscribe (the import's non-upsert purposes).

use super::{BatchState, Channel, Contact, ContactId, KeyValue, WriteContext, subscription_event};
use crate::event::Event;
use std::collections::HashMap;

/// The distinct contacts owning any of `keys`, in key order.
pub fn owners_of(state: &BatchState, keys: &[KeyValue]) -> Vec<ContactId> {
    let mut owners: Vec<ContactId> = Vec::new();
    for id in keys.iter().filter_map(|key| state.owners.get(key)) {
        if !owners.contains(id) {
            owners.push(*id);
        }
    }
    owners
}

/// What an unsubscribe batch does.
#[derive(Debug, Default)]
pub struct UnsubscribePlan {
    /// Per row: `None` when no contact holds its keys, else whether any channel changed.
    pub results: Vec<Option<bool>>,
    /// Contacts whose consent changed, in their final state.
    pub write: Vec<Contact>,
    /// The `subscription_change` events.
    pub events: Vec<Event>,
}

/// Turn `channel` off for the contacts each row's keys find.
pub fn plan_unsubscribe(
    mut state: BatchState,
    rows: &[Vec<KeyValue>],
    channel: Channel,
    context: &WriteContext,
) -> UnsubscribePlan {
    let mut plan = UnsubscribePlan::default();
    let mut changed: HashMap<ContactId, ()> = HashMap::new();
    for keys in rows {
        let owners = owners_of(&state, keys);
        if owners.is_empty() {
            plan.results.push(None);
            continue;
        }
        let mut any = false;
        for id in owners {
            if let Some(contact) = state.contacts.get_mut(&id)
                && contact.subscription.turn_off(channel, context)
            {
                contact.updated_at = context.at;
                plan.events.push(subscription_event(
                    id,
                    channel,
                    &contact.subscription,
                    context,
                ));
                changed.insert(id, ());
                any = true;
            }
        }
        plan.results.push(Some(any));
    }
    plan.write = changed
        .keys()
        .filter_map(|id| state.contacts.remove(id))
        .collect();
    plan
}

/// Per row, the contacts its keys find (to delete); a contact found by several rows is deleted once.
pub fn plan_delete(state: &BatchState, rows: &[Vec<KeyValue>]) -> (Vec<bool>, Vec<ContactId>) {
    let mut doomed: Vec<ContactId> = Vec::new();
    let found = rows
        .iter()
        .map(|keys| {
            let owners = owners_of(state, keys);
            let fresh: Vec<ContactId> = owners
                .into_iter()
                .filter(|id| !doomed.contains(id))
                .collect();
            let any = !fresh.is_empty();
            doomed.extend(fresh);
            any
        })
        .collect();
    (found, doomed)
}
