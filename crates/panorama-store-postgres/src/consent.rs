//! What the consent area (written once in `panorama-store-sql`) takes from this store's contact
//! and event code: contacts in one array statement, events through the claiming inserts.

use crate::PostgresDb;
use async_trait::async_trait;

#[async_trait]
impl panorama_store_sql::ConsentSql for PostgresDb {}
