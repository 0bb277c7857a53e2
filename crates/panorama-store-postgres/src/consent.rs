//! What the consent area (written once in `panorama-store-sql`) takes from this store's contact
//! and event code: contacts in one array statement, events through the claiming inserts.

use crate::{PostgresDb, contacts, events};
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::contact::{Contact, ContactId};
use panorama_core::event::Event;
use sqlx::PgConnection;

#[async_trait]
impl panorama_store_sql::ConsentSql for PostgresDb {
    async fn consent_contacts(conn: &mut PgConnection, ids: &[ContactId]) -> Result<Vec<Contact>> {
        contacts::by_ids(conn, ids).await
    }

    async fn record_events(conn: &mut PgConnection, events: &[Event]) -> Result<()> {
        events::insert_events(conn, events).await
    }
}
