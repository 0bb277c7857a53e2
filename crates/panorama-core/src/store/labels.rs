//! `LabelStore`: label groups and contact labels, and labels on contacts.

use crate::contact::{ContactId, WriteContext};
use crate::error::Result;
use crate::label::{
    Label, LabelCatalog, LabelGroup, LabelGroupId, LabelId, LabelPatch, NewLabel, NewLabelGroup,
};
use async_trait::async_trait;

/// Labels: one store area of [`super::Store`].
#[async_trait]
pub trait LabelStore: Send + Sync {
    /// Every group and label, each with the exact number of contacts carrying it.
    async fn label_catalog(&self) -> Result<LabelCatalog>;
    /// Add a group after `LabelCatalog::check_new_group`.
    async fn create_label_group(&self, new: &NewLabelGroup) -> Result<LabelGroup>;
    /// Rename a group.
    async fn rename_label_group(&self, group_id: LabelGroupId, name: &str) -> Result<LabelGroup>;
    /// Delete an empty group.
    async fn delete_label_group(&self, group_id: LabelGroupId) -> Result<()>;
    /// Add a label.
    async fn create_label(&self, new: &NewLabel) -> Result<Label>;
    /// Rename, hide or show, or move a label.
    async fn update_label(&self, label_id: LabelId, patch: &LabelPatch) -> Result<Label>;
    /// Delete a label and take it off every contact, each with a `label_remove` event; returns
    /// how many contacts carried it.
    async fn delete_label(&self, label_id: LabelId, context: &WriteContext) -> Result<u64>;
    /// The labels a contact carries, by name.
    async fn contact_labels(&self, contact_id: ContactId) -> Result<Vec<Label>>;
    /// Put a label on contacts, each newly labelled one with a `label_add` event (none in fast
    /// mode); returns how many were newly labelled. Unknown contacts are skipped.
    async fn add_label(
        &self,
        label_id: LabelId,
        contacts: &[ContactId],
        context: &WriteContext,
    ) -> Result<u64>;
    /// Take a label off contacts, with `label_remove` events; returns how many carried it.
    async fn remove_label(
        &self,
        label_id: LabelId,
        contacts: &[ContactId],
        context: &WriteContext,
    ) -> Result<u64>;
}
