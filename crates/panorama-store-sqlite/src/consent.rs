//! What the consent area (written once in `panorama-store-sql`) takes from this store's contact
//! and event code: contacts read one by one on the writer, events through the event inserts.

use crate::SqliteDb;
use async_trait::async_trait;

#[async_trait]
impl panorama_store_sql::ConsentSql for SqliteDb {}
