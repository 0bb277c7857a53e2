//! Anonymous ids: which contact each device or cookie id belongs to, carried over by merges.
#![allow(unused_variables, dead_code)]

use crate::not_yet;
use panorama_core::Result;
use sqlx::PgConnection;

use panorama_core::contact::ContactId;

/// Move the anonymous ids of `merged` to `holder`.
pub(crate) async fn carry_over(
    connection: &mut PgConnection,
    merged: ContactId,
    holder: ContactId,
) -> Result<()> {
    Err(not_yet("anonymous::carry_over"))
}
