//! Reading a whole category in the list's default order, batch after batch, for exports: a keyset
//! walk down `contacts (created_at, contact_id)` (or its category twin), so memory holds one
//! batch and no id list is needed. PostgreSQL picks out the asked attributes itself, as one
//! jsonb array per row, so whole contacts are never decoded.

use crate::convert::micros;
use crate::{PostgresDb, db};
use panorama_core::contact::{Category, ContactId};
use panorama_core::store::ContactValues;
use panorama_core::{Error, Result};
use panorama_store_sql::{category_filter, exported_values};
use serde_json::Value;
use sqlx::AssertSqlSafe;
use sqlx::types::Json;
use uuid::Uuid;

/// One row: `created_at, contact_id, updated_at` and the asked values in order (a JSON null
/// where a contact has none).
type Row = (i64, Uuid, i64, Json<Vec<Value>>);

impl PostgresDb {
    /// Up to `limit` contacts of `category`, newest first (ties by id, descending), after the
    /// keyset `after`, with the values of `attributes`.
    pub(crate) async fn export_batch(
        &self,
        category: Category,
        attributes: &[String],
        after: Option<(jiff::Timestamp, ContactId)>,
        limit: u64,
    ) -> Result<Vec<ContactValues>> {
        let mut connection = self.read().await?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        // Without a keyset, start above every stored time and id: the newest contact comes first.
        let (created_at, contact_id) = match after {
            Some((created_at, contact_id)) => (micros(created_at), contact_id.uuid()),
            None => (i64::MAX, Uuid::max()),
        };
        // One range of `contacts (created_at, contact_id)` or its category twins; the values in
        // the order of `$4`, names bound, never spliced.
        let sql = format!(
            "SELECT c.created_at, c.contact_id, c.updated_at,
                 COALESCE((SELECT jsonb_agg(c.attributes -> asked.name ORDER BY asked.position)
                           FROM unnest($4::text[]) WITH ORDINALITY AS asked (name, position)),
                          '[]')
             FROM contacts c WHERE {} AND (c.created_at, c.contact_id) < ($1, $2)
             ORDER BY c.created_at DESC, c.contact_id DESC LIMIT $3",
            category_filter(category),
        );
        let rows: Vec<Row> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(created_at)
            .bind(contact_id)
            .bind(limit)
            .bind(attributes)
            .fetch_all(&mut *connection)
            .await
            .map_err(db)?;
        rows.into_iter()
            .map(|row| contact_values(row, attributes.len()))
            .collect()
    }
}

/// A row into its values; an absent or null value reads as `None`.
fn contact_values(
    (created_at, contact_id, updated_at, values): Row,
    count: usize,
) -> Result<ContactValues> {
    let values: Vec<Option<Value>> = values
        .0
        .into_iter()
        .map(|value| Some(value).filter(|value| !value.is_null()))
        .collect();
    if values.len() != count {
        return Err(Error::internal("contacts batch: a row lacks values"));
    }
    exported_values(
        ContactId::from_uuid(contact_id),
        created_at,
        updated_at,
        values,
    )
}
