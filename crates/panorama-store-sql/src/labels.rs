//! The store's label groups, labels and labels on contacts (LabelStore), written once over
//! [`Backend`](crate::Backend): every change loads the catalogue, lets core's `LabelCatalog`
//! rule on it and writes the outcome, with its events, in the same write transaction.

use crate::contact_labels::{attach, detach};
use crate::convert::micros;
use crate::{Backend, DbRow, SqlStore, sql};
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::contact::{ContactId, WriteContext};
use panorama_core::label::{
    Label, LabelCatalog, LabelGroup, LabelGroupId, LabelId, LabelPatch, NewLabel, NewLabelGroup,
    label_event,
};
use panorama_core::store::LabelStore;

/// What labels need that differs between databases.
#[async_trait]
pub trait LabelsSql: Send + Sync {}

/// Columns selected for a label, in [`label`]'s order, on a `labels` row named `l`.
const LABEL_COLUMNS: &str = "l.label_id, l.name, l.group_id, l.hidden, l.contacts, l.created_at";

/// A label row as [`LABEL_COLUMNS`] selects it.
fn label(row: &impl DbRow) -> Result<Label> {
    Ok(Label {
        label_id: LabelId(row.i64(0)?),
        name: row.text(1)?,
        group_id: row.opt_i64(2)?.map(LabelGroupId),
        hidden: row.bool(3)?,
        contacts: row.count(4)?,
        created_at: row.time(5)?,
    })
}

/// Every group and label, each label with its contact count (kept by triggers).
async fn load_catalog<B: Backend>(connection: &mut B::Conn) -> Result<LabelCatalog> {
    let groups = sql("SELECT group_id, name, parent_id, depth FROM label_groups")
        .all::<B>(connection)
        .await?
        .iter()
        .map(|row| {
            Ok(LabelGroup {
                group_id: LabelGroupId(row.i64(0)?),
                name: row.text(1)?,
                parent_id: row.opt_i64(2)?.map(LabelGroupId),
                depth: u8::try_from(row.i64(3)?).unwrap_or(u8::MAX),
            })
        })
        .collect::<Result<_>>()?;
    let labels = sql(format!("SELECT {LABEL_COLUMNS} FROM labels l"))
        .all::<B>(connection)
        .await?
        .iter()
        .map(label)
        .collect::<Result<_>>()?;
    Ok(LabelCatalog { groups, labels })
}

/// Record a `key` event (`label_add`, `label_remove`) of `label` on each of `contacts`, unless
/// the write is in fast mode.
async fn record_events<B: Backend>(
    connection: &mut B::Conn,
    key: &str,
    (catalog, label): (&LabelCatalog, &Label),
    contacts: &[ContactId],
    context: &WriteContext,
) -> Result<()> {
    if context.fast || contacts.is_empty() {
        return Ok(());
    }
    let path = catalog.path(label);
    let events: Vec<_> = contacts
        .iter()
        .map(|id| label_event(*id, key, label, &path, context))
        .collect();
    B::insert_events(connection, &events).await
}

/// How many `contacts` there are, as a count.
fn how_many(contacts: &[ContactId]) -> u64 {
    u64::try_from(contacts.len()).unwrap_or(u64::MAX)
}

#[async_trait]
impl<B: Backend> LabelStore for SqlStore<B> {
    async fn label_catalog(&self) -> Result<LabelCatalog> {
        let mut connection = self.backend.read().await?;
        load_catalog::<B>(&mut connection).await
    }

    async fn create_label_group(&self, new: &NewLabelGroup) -> Result<LabelGroup> {
        let mut tx = self.backend.write().await?;
        let mut group = load_catalog::<B>(&mut tx).await?.check_new_group(new)?;
        let id = sql(
            "INSERT INTO label_groups (name, parent_id, depth, created_at) VALUES ($1, $2, $3, $4)
             RETURNING group_id",
        )
        .bind(&group.name)
        .bind(group.parent_id.map(|p| p.0))
        .bind(group.depth)
        .bind(micros(panorama_core::contact::now_micros()))
        .one::<B>(&mut tx)
        .await?
        .i64(0)?;
        B::commit(tx).await?;
        group.group_id = LabelGroupId(id);
        Ok(group)
    }

    async fn rename_label_group(&self, group_id: LabelGroupId, name: &str) -> Result<LabelGroup> {
        let mut tx = self.backend.write().await?;
        let catalog = load_catalog::<B>(&mut tx).await?;
        let group = catalog.check_group_rename(group_id, name)?;
        sql("UPDATE label_groups SET name = $2 WHERE group_id = $1")
            .bind(group_id.0)
            .bind(&group.name)
            .execute::<B>(&mut tx)
            .await?;
        B::commit(tx).await?;
        Ok(group)
    }

    async fn delete_label_group(&self, group_id: LabelGroupId) -> Result<()> {
        let mut tx = self.backend.write().await?;
        load_catalog::<B>(&mut tx)
            .await?
            .check_group_delete(group_id)?;
        sql("DELETE FROM label_groups WHERE group_id = $1")
            .bind(group_id.0)
            .execute::<B>(&mut tx)
            .await?;
        B::commit(tx).await
    }

    async fn create_label(&self, new: &NewLabel) -> Result<Label> {
        let mut tx = self.backend.write().await?;
        let mut label = load_catalog::<B>(&mut tx).await?.check_new_label(new)?;
        let id = sql(
            "INSERT INTO labels (name, group_id, hidden, created_at) VALUES ($1, $2, $3, $4)
             RETURNING label_id",
        )
        .bind(&label.name)
        .bind(label.group_id.map(|g| g.0))
        .bind(label.hidden)
        .bind(micros(label.created_at))
        .one::<B>(&mut tx)
        .await?
        .i64(0)?;
        B::commit(tx).await?;
        label.label_id = LabelId(id);
        Ok(label)
    }

    async fn update_label(&self, label_id: LabelId, patch: &LabelPatch) -> Result<Label> {
        let mut tx = self.backend.write().await?;
        let catalog = load_catalog::<B>(&mut tx).await?;
        let label = catalog.check_label_patch(label_id, patch)?;
        sql("UPDATE labels SET name = $2, group_id = $3, hidden = $4 WHERE label_id = $1")
            .bind(label_id.0)
            .bind(&label.name)
            .bind(label.group_id.map(|g| g.0))
            .bind(label.hidden)
            .execute::<B>(&mut tx)
            .await?;
        B::commit(tx).await?;
        Ok(label)
    }

    async fn delete_label(&self, label_id: LabelId, context: &WriteContext) -> Result<u64> {
        let mut tx = self.backend.write().await?;
        let catalog = load_catalog::<B>(&mut tx).await?;
        let label = catalog.label(label_id)?;
        // ON DELETE CASCADE takes the label off every contact; the carriers are read first for
        // their events.
        let carriers = sql("SELECT contact_id FROM contact_labels WHERE label_id = $1")
            .bind(label_id.0)
            .all::<B>(&mut tx)
            .await?
            .iter()
            .map(|row| row.contact_id(0))
            .collect::<Result<Vec<_>>>()?;
        let event = (&catalog, label);
        record_events::<B>(&mut tx, "label_remove", event, &carriers, context).await?;
        sql("DELETE FROM labels WHERE label_id = $1")
            .bind(label_id.0)
            .execute::<B>(&mut tx)
            .await?;
        B::commit(tx).await?;
        Ok(how_many(&carriers))
    }

    async fn contact_labels(&self, contact_id: ContactId) -> Result<Vec<Label>> {
        let mut connection = self.backend.read().await?;
        let mut labels = sql(format!(
            "SELECT {LABEL_COLUMNS} FROM contact_labels cl JOIN labels l ON l.label_id = cl.label_id
             WHERE cl.contact_id = $1"
        ))
        .bind(contact_id)
        .all::<B>(&mut connection)
        .await?
        .iter()
        .map(label)
        .collect::<Result<Vec<_>>>()?;
        // Names in byte order, whatever collation a database was created with.
        labels.sort_unstable_by(|a, b| (&a.name, a.label_id.0).cmp(&(&b.name, b.label_id.0)));
        Ok(labels)
    }

    async fn add_label(
        &self,
        label_id: LabelId,
        contacts: &[ContactId],
        context: &WriteContext,
    ) -> Result<u64> {
        let mut tx = self.backend.write().await?;
        let catalog = load_catalog::<B>(&mut tx).await?;
        let label = catalog.label(label_id)?;
        let added = attach::<B>(&mut tx, label_id, contacts, context.at).await?;
        record_events::<B>(&mut tx, "label_add", (&catalog, label), &added, context).await?;
        B::commit(tx).await?;
        Ok(how_many(&added))
    }

    async fn remove_label(
        &self,
        label_id: LabelId,
        contacts: &[ContactId],
        context: &WriteContext,
    ) -> Result<u64> {
        let mut tx = self.backend.write().await?;
        let catalog = load_catalog::<B>(&mut tx).await?;
        let label = catalog.label(label_id)?;
        let removed = detach::<B>(&mut tx, label_id, contacts).await?;
        record_events::<B>(
            &mut tx,
            "label_remove",
            (&catalog, label),
            &removed,
            context,
        )
        .await?;
        B::commit(tx).await?;
        Ok(how_many(&removed))
    }
}
