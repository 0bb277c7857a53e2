//! Event records: what happened to a contact, when, with which properties; and the rules around
//! them: parsing an ingested event against its definition (`ingest`), resolving whom it belongs
//! to (`identity`, and for a whole batch `ingest_plan`), the orders it adds up to (`orders`), the
//! timeline filter and cursor (`timeline`) and the calendar buckets (`calendar`).

pub mod calendar;
pub mod identity;
pub mod ingest;
pub mod ingest_plan;
pub mod orders;
mod properties;
pub mod timeline;
pub mod unmerge;

pub use calendar::*;
pub use identity::*;
pub use ingest::*;
pub use ingest_plan::*;
pub use orders::*;
pub use properties::EVENT_STRING_CHARS_MAX;
pub use timeline::*;
pub use unmerge::*;

use crate::contact::ContactId;
use serde_json::{Map, Value as Json};

/// One event as stored. `event_id` is unique; a second record with the same id is a duplicate.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Unique id: given by the sender, or a UUID v7 for events Panorama writes itself.
    pub event_id: String,
    /// The contact it belongs to.
    pub contact_id: ContactId,
    /// Event definition key.
    pub event: String,
    /// When it happened.
    pub occurred_at: jiff::Timestamp,
    /// Properties by event attribute name.
    pub properties: Map<String, Json>,
}

impl Event {
    /// An event Panorama writes itself (creation, change, merge), with a fresh id.
    pub fn system(
        contact_id: ContactId,
        event: &str,
        at: jiff::Timestamp,
        properties: Map<String, Json>,
    ) -> Self {
        Self {
            event_id: uuid::Uuid::now_v7().to_string(),
            contact_id,
            event: event.to_owned(),
            occurred_at: at,
            properties,
        }
    }
}

/// Build a property map from pairs.
pub fn properties<const N: usize>(pairs: [(&str, Json); N]) -> Map<String, Json> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}
