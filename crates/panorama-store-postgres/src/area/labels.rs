//! `LabelStore` on PostgreSQL: groups and labels checked by core's `LabelCatalog` inside each
//! write transaction, labels on contacts with their events.

use crate::contact_labels::{attach, detach};
use crate::convert::micros;
use crate::labels::{LABEL_COLUMNS, LabelRow, load_catalog, record_events};
use crate::{PostgresDb, db};
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::contact::{ContactId, WriteContext};
use panorama_core::label::{
    Label, LabelCatalog, LabelGroup, LabelGroupId, LabelId, LabelPatch, NewLabel, NewLabelGroup,
};
use panorama_core::store::LabelStore;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

#[async_trait]
impl LabelStore for PostgresDb {
    async fn label_catalog(&self) -> Result<LabelCatalog> {
        let mut connection = self.read().await?;
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
        // ON DELETE CASCADE takes the label off every contact; the carriers are read first for
        // their events.
        let carriers: Vec<Uuid> =
            sqlx::query_scalar("SELECT contact_id FROM contact_labels WHERE label_id = $1")
                .bind(label_id.0)
                .fetch_all(&mut *tx)
                .await
                .map_err(db)?;
        let carriers: Vec<ContactId> = carriers.into_iter().map(ContactId::from_uuid).collect();
        let path = catalog.path(label);
        record_events(&mut tx, "label_remove", label, &path, &carriers, context).await?;
        sqlx::query("DELETE FROM labels WHERE label_id = $1")
            .bind(label_id.0)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(u64::try_from(carriers.len()).unwrap_or(u64::MAX))
    }

    async fn contact_labels(&self, contact_id: ContactId) -> Result<Vec<Label>> {
        let mut connection = self.read().await?;
        let sql = format!(
            "SELECT {LABEL_COLUMNS} FROM contact_labels cl JOIN labels l ON l.label_id = cl.label_id
             WHERE cl.contact_id = $1 ORDER BY l.name COLLATE \"C\", l.label_id"
        );
        let rows: Vec<LabelRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(contact_id.uuid())
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
        let path = catalog.path(label);
        record_events(&mut tx, "label_add", label, &path, &added, context).await?;
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
        let path = catalog.path(label);
        record_events(&mut tx, "label_remove", label, &path, &removed, context).await?;
        tx.commit().await.map_err(db)?;
        Ok(u64::try_from(removed.len()).unwrap_or(u64::MAX))
    }
}
