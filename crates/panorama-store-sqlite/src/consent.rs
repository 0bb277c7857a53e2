//! What the consent area (written once in `panorama-store-sql`) takes from this store's contact
//! and event code: contacts read one by one on the writer, events through the event inserts.

use crate::{SqliteDb, contacts, events};
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::contact::{Contact, ContactId};
use panorama_core::event::Event;
use sqlx::SqliteConnection;

#[async_trait]
impl panorama_store_sql::ConsentSql for SqliteDb {
    async fn consent_contacts(
        conn: &mut SqliteConnection,
        ids: &[ContactId],
    ) -> Result<Vec<Contact>> {
        let mut found = Vec::with_capacity(ids.len());
        for id in ids {
            found.extend(contacts::get(conn, *id).await?);
        }
        Ok(found)
    }

    async fn record_events(conn: &mut SqliteConnection, events: &[Event]) -> Result<()> {
        events::insert_events(conn, events).await
    }
}
