//! One contact by id or by key value.
#![allow(unused_variables, dead_code)]

use crate::not_yet;
use panorama_core::Result;
use sqlx::PgConnection;

use panorama_core::contact::{Contact, ContactId, KeyValue};

/// The contact holding `key`.
pub(crate) async fn find(connection: &mut PgConnection, key: &KeyValue) -> Result<Option<Contact>> {
    Err(not_yet("contacts::find"))
}

/// The contact `contact_id`.
pub(crate) async fn get(
    connection: &mut PgConnection,
    contact_id: ContactId,
) -> Result<Option<Contact>> {
    Err(not_yet("contacts::get"))
}
