//! Contact labels on SQLite: the catalogue of groups and labels, checked by core's
//! `LabelCatalog` inside each write transaction. Labels on contacts are in `contact_labels.rs`.

use crate::contact_labels::{attach, detach};
use crate::convert::{micros, timestamp};
use crate::{SqliteDb, db};
use async_trait::async_trait;
use panorama_core::contact::{ContactId, WriteContext};
use panorama_core::label::{
    Label, LabelCatalog, LabelGroup, LabelGroupId, LabelId, LabelPatch, NewLabel, NewLabelGroup,
    label_event,
};
use panorama_core::store::LabelStore;
use panorama_core::{Error, Result};
use sqlx::{FromRow, SqliteConnection};

#[derive(FromRow)]
struct GroupRow {
    group_id: i64,
    name: String,
    parent_id: Option<i64>,
    depth: i64,
}

#[derive(FromRow)]
pub(crate) struct LabelRow {
    label_id: i64,
    name: String,
    group_id: Option<i64>,
    hidden: bool,
    contacts: i64,
    created_at: i64,
}

impl LabelRow {
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
pub(crate) async fn load_catalog(connection: &mut SqliteConnection) -> Result<LabelCatalog> {
    let groups: Vec<GroupRow> =
        sqlx::query_as("SELECT group_id, name, parent_id, depth FROM label_groups")
            .fetch_all(&mut *connection)
            .await
            .map_err(db)?;
    let labels: Vec<LabelRow> =
        sqlx::query_as("SELECT label_id, name, group_id, hidden, contacts, created_at FROM labels")
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

async fn events_for(
    connection: &mut SqliteConnection,
    key: &str,
    label: &Label,
    path: &str,
    contacts: &[ContactId],
    context: &WriteContext,
) -> Result<()> {
    if context.fast {
        return Ok(());
    }
    let events: Vec<_> = contacts
        .iter()
        .map(|id| label_event(*id, key, label, path, context))
        .collect();
    crate::events::insert_events(connection, &events).await
}

#[async_trait]
impl LabelStore for SqliteDb {
    async fn label_catalog(&self) -> Result<LabelCatalog> {
        let mut connection = self.reader.acquire().await.map_err(db)?;
        load_catalog(&mut connection).await
    }

    async fn create_label_group(&self, new: &NewLabelGroup) -> Result<LabelGroup> {
        let mut tx = self.write().await?;
        let mut group = load_catalog(&mut tx).await?.check_new_group(new)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO label_groups (name, parent_id, depth, created_at) VALUES ($1, $2, $3, $4)
             RETURNING group_id",
        )
        .bind(&group.name)
        .bind(group.parent_id.map(|p| p.0))
        .bind(i64::from(group.depth))
        .bind(micros(panorama_core::contact::now_micros()))
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        group.group_id = LabelGroupId(id);
        Ok(group)
    }

    async fn rename_label_group(&self, group_id: LabelGroupId, name: &str) -> Result<LabelGroup> {
        let mut tx = self.write().await?;
        let group = load_catalog(&mut tx)
            .await?
            .check_group_rename(group_id, name)?;
        sqlx::query("UPDATE label_groups SET name = $2 WHERE group_id = $1")
            .bind(group_id.0)
            .bind(&group.name)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(group)
    }

    async fn delete_label_group(&self, group_id: LabelGroupId) -> Result<()> {
        let mut tx = self.write().await?;
        load_catalog(&mut tx).await?.check_group_delete(group_id)?;
        sqlx::query("DELETE FROM label_groups WHERE group_id = $1")
            .bind(group_id.0)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn create_label(&self, new: &NewLabel) -> Result<Label> {
        let mut tx = self.write().await?;
        let mut label = load_catalog(&mut tx).await?.check_new_label(new)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO labels (name, group_id, hidden, created_at) VALUES ($1, $2, $3, $4)
             RETURNING label_id",
        )
        .bind(&label.name)
        .bind(label.group_id.map(|g| g.0))
        .bind(label.hidden)
        .bind(micros(label.created_at))
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        label.label_id = LabelId(id);
        Ok(label)
    }

    async fn update_label(&self, label_id: LabelId, patch: &LabelPatch) -> Result<Label> {
        let mut tx = self.write().await?;
        let label = load_catalog(&mut tx)
            .await?
            .check_label_patch(label_id, patch)?;
        sqlx::query("UPDATE labels SET name = $2, group_id = $3, hidden = $4 WHERE label_id = $1")
            .bind(label_id.0)
            .bind(&label.name)
            .bind(label.group_id.map(|g| g.0))
            .bind(label.hidden)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(label)
    }

    async fn delete_label(&self, label_id: LabelId, context: &WriteContext) -> Result<u64> {
        let mut tx = self.write().await?;
        let catalog = load_catalog(&mut tx).await?;
        let label = catalog.label(label_id)?;
        let carriers: Vec<String> =
            sqlx::query_scalar("SELECT contact_id FROM contact_labels WHERE label_id = $1")
                .bind(label_id.0)
                .fetch_all(&mut *tx)
                .await
                .map_err(db)?;
        let carriers = carriers
            .iter()
            .map(|id| ContactId::parse(id).map_err(Error::internal))
            .collect::<Result<Vec<_>>>()?;
        events_for(
            &mut tx,
            "label_remove",
            label,
            &catalog.path(label),
            &carriers,
            context,
        )
        .await?;
        // ON DELETE CASCADE takes the label off every contact.
        sqlx::query("DELETE FROM labels WHERE label_id = $1")
            .bind(label_id.0)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(u64::try_from(carriers.len()).unwrap_or(u64::MAX))
    }

    async fn contact_labels(&self, contact_id: ContactId) -> Result<Vec<Label>> {
        let mut connection = self.reader.acquire().await.map_err(db)?;
        let rows: Vec<LabelRow> = sqlx::query_as(
            "SELECT l.label_id, l.name, l.group_id, l.hidden, l.contacts, l.created_at
             FROM contact_labels cl JOIN labels l ON l.label_id = cl.label_id
             WHERE cl.contact_id = $1 ORDER BY l.name, l.label_id",
        )
        .bind(contact_id.to_string())
        .fetch_all(&mut *connection)
        .await
        .map_err(db)?;
        rows.into_iter().map(LabelRow::into_label).collect()
    }

    async fn add_label(
        &self,
        label_id: LabelId,
        contacts: &[ContactId],
        context: &WriteContext,
    ) -> Result<u64> {
        let mut tx = self.write().await?;
        let catalog = load_catalog(&mut tx).await?;
        let label = catalog.label(label_id)?;
        let added = attach(&mut tx, label_id, contacts, context.at).await?;
        events_for(
            &mut tx,
            "label_add",
            label,
            &catalog.path(label),
            &added,
            context,
        )
        .await?;
        tx.commit().await.map_err(db)?;
        Ok(u64::try_from(added.len()).unwrap_or(u64::MAX))
    }

    async fn remove_label(
        &self,
        label_id: LabelId,
        contacts: &[ContactId],
        context: &WriteContext,
    ) -> Result<u64> {
        let mut tx = self.write().await?;
        let catalog = load_catalog(&mut tx).await?;
        let label = catalog.label(label_id)?;
        let removed = detach(&mut tx, label_id, contacts).await?;
        events_for(
            &mut tx,
            "label_remove",
            label,
            &catalog.path(label),
            &removed,
            context,
        )
        .await?;
        tx.commit().await.map_err(db)?;
        Ok(u64::try_from(removed.len()).unwrap_or(u64::MAX))
    }
}
