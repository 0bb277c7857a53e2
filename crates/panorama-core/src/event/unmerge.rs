//! Undoing a merge (PRODUCT.md §1: "a merge can be undone from the contact page while neither
//! contact changed since"): the record a merge leaves, the rule deciding whether it may still be
//! undone, and the events that record the undo.

use super::{Event, properties};
use crate::contact::{Contact, ContactId, WriteContext};
use crate::error::{Error, ErrorKind, Result, codes};
use crate::value::format_timestamp;
use serde_json::json;

/// Events that mean the survivor changed after a merge: values, consent, labels, other merges.
pub const CHANGE_EVENTS: [&str; 8] = [
    "attribute_change",
    "subscription_change",
    "label_add",
    "label_remove",
    "follower_label_add",
    "follower_label_remove",
    "user_merged",
    "user_unmerged",
];

/// What a merge recorded about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeRecord {
    /// The event id of the merge's `user_merged` event.
    pub merge_id: String,
    /// The contact that holds both.
    pub survivor_id: ContactId,
    /// The contact folded into it.
    pub merged_id: ContactId,
    /// When the merge was written.
    pub merged_at: jiff::Timestamp,
    /// The survivor's `updated_at` right after the merge; `None` when the survivor was new.
    pub survivor_updated_at: Option<jiff::Timestamp>,
    /// When it was undone, if it was.
    pub undone_at: Option<jiff::Timestamp>,
}

/// Both contacts after an undo.
#[derive(Debug, Clone, PartialEq)]
pub struct UnmergeOutcome {
    /// The survivor, as it was before the merge.
    pub survivor: Contact,
    /// The merged contact, back with its own values.
    pub restored: Contact,
}

fn blocked(merge_id: &str, reasons: &[String]) -> Error {
    Error {
        kind: ErrorKind::Conflict,
        code: codes::MERGE_NOT_UNDOABLE,
        detail: format!("this merge can no longer be undone: {}", reasons.join("; ")),
        field: Some("merge_id".to_owned()),
        value: Some(merge_id.to_owned()),
    }
}

impl MergeRecord {
    /// Check that the merge may be undone, given the survivor as it is now, whether a contact
    /// with the merged id exists again, and the survivor's change events since the merge. The
    /// error names everything that blocks it.
    pub fn check_undo(
        &self,
        survivor: Option<&Contact>,
        merged_exists: bool,
        changes: &[Event],
    ) -> Result<()> {
        let mut reasons = Vec::new();
        if let Some(at) = self.undone_at {
            reasons.push(format!("it was undone at {}", format_timestamp(at)));
        }
        match (survivor, self.survivor_updated_at) {
            (None, _) => reasons.push(format!(
                "the surviving contact {} was deleted",
                self.survivor_id
            )),
            (Some(_), None) => {
                reasons.push("the surviving contact did not exist before the merge".to_owned())
            }
            (Some(now), Some(after)) if now.updated_at != after => reasons.push(format!(
                "the surviving contact changed at {}",
                format_timestamp(now.updated_at)
            )),
            _ => {}
        }
        if merged_exists {
            reasons.push(format!(
                "a contact with the id {} exists again",
                self.merged_id
            ));
        }
        for change in changes
            .iter()
            .filter(|e| CHANGE_EVENTS.contains(&e.event.as_str()) && e.occurred_at > self.merged_at)
        {
            reasons.push(format!(
                "{} at {}",
                change.event,
                format_timestamp(change.occurred_at)
            ));
        }
        if reasons.is_empty() {
            Ok(())
        } else {
            Err(blocked(&self.merge_id, &reasons))
        }
    }

    /// The `user_unmerged` events recording the undo on both contacts.
    pub fn undo_events(&self, context: &WriteContext) -> [Event; 2] {
        let record = |contact_id| {
            Event::system(
                contact_id,
                "user_unmerged",
                context.at,
                properties([
                    ("merge_id", json!(self.merge_id)),
                    ("merged_contact_id", json!(self.merged_id.to_string())),
                    ("surviving_contact_id", json!(self.survivor_id.to_string())),
                    ("source", json!(context.source)),
                ]),
            )
        };
        [record(self.survivor_id), record(self.merged_id)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contact::Subscription;

    fn contact(id: ContactId, updated_at: jiff::Timestamp) -> Contact {
        Contact {
            contact_id: id,
            attributes: Default::default(),
            subscription: Subscription::subscribed(updated_at, "test"),
            created_at: updated_at,
            updated_at,
        }
    }

    #[test]
    fn what_blocks_an_undo_is_named() {
        let at = jiff::Timestamp::from_second(1_800_000_000).expect("in range");
        let record = MergeRecord {
            merge_id: "m1".into(),
            survivor_id: ContactId::new(),
            merged_id: ContactId::new(),
            merged_at: at,
            survivor_updated_at: Some(at),
            undone_at: None,
        };
        let survivor = contact(record.survivor_id, at);
        assert_eq!(record.check_undo(Some(&survivor), false, &[]), Ok(()));
        let later = at + jiff::SignedDuration::from_secs(60);
        let label = Event::system(record.survivor_id, "label_add", later, Default::default());
        let error = record
            .check_undo(Some(&contact(record.survivor_id, later)), false, &[label])
            .expect_err("blocked");
        assert_eq!(error.code, codes::MERGE_NOT_UNDOABLE);
        assert!(
            error.detail.contains("changed at") && error.detail.contains("label_add"),
            "{}",
            error.detail
        );
        assert!(
            record
                .check_undo(None, false, &[])
                .expect_err("deleted")
                .detail
                .contains("deleted")
        );
    }
}
