//! `LabelStore` on PostgreSQL.

#![allow(unused_variables)]

use crate::{PostgresStore, not_yet};
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::contact::{ContactId, WriteContext};
use panorama_core::label::{
    Label, LabelCatalog, LabelGroup, LabelGroupId, LabelId, LabelPatch, NewLabel, NewLabelGroup,
};
use panorama_core::store::LabelStore;

#[async_trait]
impl LabelStore for PostgresStore {
    async fn label_catalog(&self) -> Result<LabelCatalog> {
        Err(not_yet("label_catalog"))
    }
    async fn create_label_group(&self, new: &NewLabelGroup) -> Result<LabelGroup> {
        Err(not_yet("create_label_group"))
    }
    async fn rename_label_group(&self, group_id: LabelGroupId, name: &str) -> Result<LabelGroup> {
        Err(not_yet("rename_label_group"))
    }
    async fn delete_label_group(&self, group_id: LabelGroupId) -> Result<()> {
        Err(not_yet("delete_label_group"))
    }
    async fn create_label(&self, new: &NewLabel) -> Result<Label> {
        Err(not_yet("create_label"))
    }
    async fn update_label(&self, label_id: LabelId, patch: &LabelPatch) -> Result<Label> {
        Err(not_yet("update_label"))
    }
    async fn delete_label(&self, label_id: LabelId, context: &WriteContext) -> Result<u64> {
        Err(not_yet("delete_label"))
    }
    async fn contact_labels(&self, contact_id: ContactId) -> Result<Vec<Label>> {
        Err(not_yet("contact_labels"))
    }
    async fn add_label(
        &self,
        label_id: LabelId,
        contacts: &[ContactId],
        context: &WriteContext,
    ) -> Result<u64> {
        Err(not_yet("add_label"))
    }
    async fn remove_label(
        &self,
        label_id: LabelId,
        contacts: &[ContactId],
        context: &WriteContext,
    ) -> Result<u64> {
        Err(not_yet("remove_label"))
    }
}
