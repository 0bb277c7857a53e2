//! Consent on PostgreSQL: explicit changes, the consent effects of events, hard bounces, history.
#![allow(unused_variables, dead_code)]

use crate::not_yet;
use panorama_core::Result;
use sqlx::PgConnection;

use panorama_core::contact::HardBounce;
use panorama_core::event::Event;

/// The stored hard bounce of a contact row.
pub(crate) fn bounce_of(address: Option<String>, at: Option<i64>) -> Result<Option<HardBounce>> {
    Err(not_yet("consent::bounce_of"))
}

/// Record the consent history entries that `events` imply.
pub(crate) async fn record_history(connection: &mut PgConnection, events: &[Event]) -> Result<()> {
    Err(not_yet("consent::record_history"))
}
