//! Orders: a contact's order events and the computed order attributes kept exact.
#![allow(unused_variables, dead_code)]

use crate::not_yet;
use panorama_core::Result;
use sqlx::PgConnection;

use panorama_core::contact::ContactId;

/// Recompute order_count, order_amount, first_order_at, last_order_at of `contact_ids`.
pub(crate) async fn refresh(
    connection: &mut PgConnection,
    contact_ids: &[ContactId],
) -> Result<()> {
    Err(not_yet("orders::refresh"))
}
