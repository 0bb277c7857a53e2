//! `WechatStore`: official accounts, fans, follower labels and the labels on fans.

use crate::contact::{ContactId, WriteContext};
use crate::error::Result;
use crate::label::{Fan, FollowerLabel, NewFan, WechatAccount};
use async_trait::async_trait;

/// WeChat records: one store area of [`super::Store`].
#[async_trait]
pub trait WechatStore: Send + Sync {
    /// Every registered official account, by name.
    async fn list_wechat_accounts(&self) -> Result<Vec<WechatAccount>>;
    /// Register an account, or rename it when the app id is known; `true` when it is new.
    async fn save_wechat_account(&self, app_id: &str, name: &str) -> Result<(WechatAccount, bool)>;
    /// Delete an account with its follower labels and fan records.
    async fn delete_wechat_account(&self, app_id: &str) -> Result<()>;
    /// An account's follower labels, by name, with their fan counts.
    async fn follower_labels(&self, app_id: &str) -> Result<Vec<FollowerLabel>>;
    /// Add a follower label (at most `FOLLOWER_LABELS_PER_ACCOUNT_MAX` per account).
    async fn create_follower_label(&self, app_id: &str, name: &str) -> Result<FollowerLabel>;
    /// Rename a follower label.
    async fn rename_follower_label(&self, label_id: i64, name: &str) -> Result<FollowerLabel>;
    /// Delete a follower label, taking it off every fan.
    async fn delete_follower_label(&self, label_id: i64) -> Result<()>;
    /// A contact's fan records, one per account, with their labels.
    async fn contact_fans(&self, contact_id: ContactId) -> Result<Vec<Fan>>;
    /// Record that a contact is a fan of an account, with its openid and follow state.
    async fn save_fan(&self, contact_id: ContactId, app_id: &str, fan: &NewFan) -> Result<Fan>;
    /// Put a follower label on a fan of its account (at most `FOLLOWER_LABELS_PER_FAN_MAX`),
    /// with a `follower_label_add` event; `false` if the fan already had it.
    async fn add_follower_label(
        &self,
        contact_id: ContactId,
        label_id: i64,
        context: &WriteContext,
    ) -> Result<bool>;
    /// Take a follower label off a fan, with a `follower_label_remove` event; `false` if absent.
    async fn remove_follower_label(
        &self,
        contact_id: ContactId,
        label_id: i64,
        context: &WriteContext,
    ) -> Result<bool>;
}
