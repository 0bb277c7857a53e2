//! Contact labels on PostgreSQL: the catalogue of groups and labels, checked by core's
//! `LabelCatalog` inside each write transaction, and the events labels on contacts record. The
//! `LabelStore` methods are in `area/labels.rs`; labels on contacts in `contact_labels.rs`.

use crate::convert::timestamp;
use crate::db;
use panorama_core::Result;
use panorama_core::contact::{ContactId, WriteContext};
use panorama_core::label::{Label, LabelCatalog, LabelGroup, LabelGroupId, LabelId, label_event};
use sqlx::{AssertSqlSafe, FromRow, PgConnection};

#[derive(FromRow)]
struct GroupRow {
    group_id: i64,
    name: String,
    parent_id: Option<i64>,
    depth: i64,
}

/// One `labels` row as [`LABEL_COLUMNS`] selects it.
#[derive(FromRow)]
pub(crate) struct LabelRow {
    label_id: i64,
    name: String,
    group_id: Option<i64>,
    hidden: bool,
    contacts: i64,
    created_at: i64,
}

/// Columns selected for a label, in [`LabelRow`]'s order, on a `labels` row named `l`.
pub(crate) const LABEL_COLUMNS: &str =
    "l.label_id, l.name, l.group_id, l.hidden, l.contacts, l.created_at";

impl LabelRow {
    /// The label this row stores.
    pub(crate) fn into_label(self) -> Result<Label> {
        Ok(Label {
            label_id: LabelId(self.label_id),
            name: self.name,
            group_id: self.group_id.map(LabelGroupId),
            hidden: self.hidden,
            contacts: u64::try_from(self.contacts).unwrap_or(0),
            created_at: timestamp(self.created_at)?,
        })
    }
}

/// Every group and label, each label with its contact count (kept by triggers).
pub(crate) async fn load_catalog(connection: &mut PgConnection) -> Result<LabelCatalog> {
    let groups: Vec<GroupRow> =
        sqlx::query_as("SELECT group_id, name, parent_id, depth FROM label_groups")
            .fetch_all(&mut *connection)
            .await
            .map_err(db)?;
    let sql = format!("SELECT {LABEL_COLUMNS} FROM labels l");
    let labels: Vec<LabelRow> = sqlx::query_as(AssertSqlSafe(sql))
        .fetch_all(&mut *connection)
        .await
        .map_err(db)?;
    let labels = labels
        .into_iter()
        .map(LabelRow::into_label)
        .collect::<Result<_>>()?;
    let groups = groups
        .into_iter()
        .map(|row| LabelGroup {
            group_id: LabelGroupId(row.group_id),
            name: row.name,
            parent_id: row.parent_id.map(LabelGroupId),
            depth: u8::try_from(row.depth).unwrap_or(u8::MAX),
        })
        .collect();
    Ok(LabelCatalog { groups, labels })
}

/// Record a `key` event (`label_add`, `label_remove`) of `label` on each of `contacts`, unless
/// the write is in fast mode.
pub(crate) async fn record_events(
    connection: &mut PgConnection,
    key: &str,
    label: &Label,
    path: &str,
    contacts: &[ContactId],
    context: &WriteContext,
) -> Result<()> {
    if context.fast || contacts.is_empty() {
        return Ok(());
    }
    let events: Vec<_> = contacts
        .iter()
        .map(|id| label_event(*id, key, label, path, context))
        .collect();
    crate::events::insert_events(connection, &events).await
}
