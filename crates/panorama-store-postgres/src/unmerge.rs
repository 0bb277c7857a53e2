//! Merge records and undo: what a merge folded together, put back while nothing changed since.
#![allow(unused_variables, dead_code)]

use crate::not_yet;
use panorama_core::Result;
use sqlx::PgConnection;

use panorama_core::contact::BatchPlan;

/// Record every merge of `plan` before it applies.
pub(crate) async fn record(connection: &mut PgConnection, plan: &BatchPlan) -> Result<()> {
    Err(not_yet("unmerge::record"))
}
