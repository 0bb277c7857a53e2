//! Event rows: insert, the latest of a contact, timeline pages, counts and times.
#![allow(unused_variables, dead_code)]

use crate::not_yet;
use panorama_core::Result;
use sqlx::PgConnection;

use panorama_core::contact::ContactId;
use panorama_core::event::Event;

/// Insert events (ids new to the store) and their \`event_ids\` rows.
pub(crate) async fn insert_events(connection: &mut PgConnection, events: &[Event]) -> Result<()> {
    Err(not_yet("events::insert_events"))
}

/// A contact's latest events, newest first.
pub(crate) async fn latest(
    connection: &mut PgConnection,
    contact_id: ContactId,
    limit: u64,
) -> Result<Vec<Event>> {
    Err(not_yet("events::latest"))
}
