//! The JSON shapes of contact writes: one record, a batch, and what each write did.

use super::contact::ContactDto;
use panorama_core::contact::UpsertAction;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};
use utoipa::ToSchema;

/// One contact record to create or update, matched by any of its key values.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    /// Values by attribute machine name; `null` clears a value. May also carry
    /// `global_subscribed`, `email_subscribed`, `mobile_subscribed` (booleans; only `false` has
    /// an effect). JSON types are strict: strings for string, enum, date and datetime, numbers
    /// for integer, a number or a decimal string for decimal, booleans for boolean. Text holds
    /// no control characters (`control_character`; tab and line breaks only in free text).
    #[schema(value_type = Object)]
    pub attributes: Map<String, Json>,
}

/// What a write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UpsertResult {
    /// A new contact was made.
    Created,
    /// An existing contact changed.
    Updated,
    /// The record matched one contact and changed nothing.
    Unchanged,
    /// Several contacts matched and became one: the oldest.
    Merged,
}

impl From<UpsertAction> for UpsertResult {
    fn from(action: UpsertAction) -> Self {
        match action {
            UpsertAction::Created => Self::Created,
            UpsertAction::Updated => Self::Updated,
            UpsertAction::Unchanged => Self::Unchanged,
            UpsertAction::Merged => Self::Merged,
        }
    }
}

/// The answer to one upsert.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UpsertResponse {
    /// What the write did.
    pub result: UpsertResult,
    /// Contacts folded into this one by a merge (they no longer exist).
    pub merged_contact_ids: Vec<String>,
    /// The contact after the write.
    pub contact: ContactDto,
}

/// A batch of contact records, written in order, each resolved against those before it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchRequest {
    /// The records; each has the shape of a single upsert's body.
    #[schema(value_type = Vec<ContactInput>)]
    pub contacts: Vec<Json>,
}

/// What happened to one item of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BatchResult {
    /// A new contact was made.
    Created,
    /// An existing contact changed.
    Updated,
    /// Nothing changed.
    Unchanged,
    /// Several contacts became one.
    Merged,
    /// The item was invalid and not written; see `error`.
    Rejected,
}

impl From<UpsertAction> for BatchResult {
    fn from(action: UpsertAction) -> Self {
        match action {
            UpsertAction::Created => Self::Created,
            UpsertAction::Updated => Self::Updated,
            UpsertAction::Unchanged => Self::Unchanged,
            UpsertAction::Merged => Self::Merged,
        }
    }
}

/// Why a batch item was rejected: the fields of a problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemError {
    /// Stable code.
    pub code: String,
    /// What is wrong, for people.
    pub detail: String,
    /// The attribute at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The value at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// One item's outcome.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BatchItem {
    /// Position of the item in the request, from 0.
    pub index: usize,
    /// What happened.
    pub result: BatchResult,
    /// The contact written (absent when rejected).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_id: Option<String>,
    /// Contacts merged into it (absent unless merged).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub merged_contact_ids: Vec<String>,
    /// Why the item was rejected (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ItemError>,
}

/// How many items had each outcome.
#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema)]
pub struct BatchCounts {
    /// New contacts.
    pub created: u64,
    /// Changed contacts.
    pub updated: u64,
    /// Records that changed nothing.
    pub unchanged: u64,
    /// Records that merged contacts.
    pub merged: u64,
    /// Invalid items.
    pub rejected: u64,
}

impl BatchCounts {
    /// Count one outcome.
    pub fn add(&mut self, result: BatchResult) {
        let slot = match result {
            BatchResult::Created => &mut self.created,
            BatchResult::Updated => &mut self.updated,
            BatchResult::Unchanged => &mut self.unchanged,
            BatchResult::Merged => &mut self.merged,
            BatchResult::Rejected => &mut self.rejected,
        };
        *slot += 1;
    }
}

/// The answer to a batch.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BatchResponse {
    /// One outcome per item, in request order.
    pub results: Vec<BatchItem>,
    /// Outcome counts.
    pub counts: BatchCounts,
}
