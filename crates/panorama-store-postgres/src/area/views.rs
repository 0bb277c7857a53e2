//! `ViewStore` on PostgreSQL.

#![allow(unused_variables)]

use crate::{PostgresStore, not_yet};
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::store::ViewStore;

#[async_trait]
impl ViewStore for PostgresStore {
    async fn get_view(&self, user: &str, view: &str) -> Result<Option<Vec<String>>> {
        Err(not_yet("get_view"))
    }
    async fn put_view(&self, user: &str, view: &str, columns: &[String]) -> Result<()> {
        Err(not_yet("put_view"))
    }
}
