//! `WechatStore` on PostgreSQL.

#![allow(unused_variables)]

use crate::{PostgresStore, not_yet};
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::contact::{ContactId, WriteContext};
use panorama_core::label::{Fan, FollowerLabel, NewFan, WechatAccount};
use panorama_core::store::WechatStore;

#[async_trait]
impl WechatStore for PostgresStore {
    async fn list_wechat_accounts(&self) -> Result<Vec<WechatAccount>> {
        Err(not_yet("list_wechat_accounts"))
    }
    async fn save_wechat_account(&self, app_id: &str, name: &str) -> Result<(WechatAccount, bool)> {
        Err(not_yet("save_wechat_account"))
    }
    async fn delete_wechat_account(&self, app_id: &str) -> Result<()> {
        Err(not_yet("delete_wechat_account"))
    }
    async fn follower_labels(&self, app_id: &str) -> Result<Vec<FollowerLabel>> {
        Err(not_yet("follower_labels"))
    }
    async fn create_follower_label(&self, app_id: &str, name: &str) -> Result<FollowerLabel> {
        Err(not_yet("create_follower_label"))
    }
    async fn rename_follower_label(&self, label_id: i64, name: &str) -> Result<FollowerLabel> {
        Err(not_yet("rename_follower_label"))
    }
    async fn delete_follower_label(&self, label_id: i64) -> Result<()> {
        Err(not_yet("delete_follower_label"))
    }
    async fn contact_fans(&self, contact_id: ContactId) -> Result<Vec<Fan>> {
        Err(not_yet("contact_fans"))
    }
    async fn save_fan(&self, contact_id: ContactId, app_id: &str, fan: &NewFan) -> Result<Fan> {
        Err(not_yet("save_fan"))
    }
    async fn add_follower_label(
        &self,
        contact_id: ContactId,
        label_id: i64,
        context: &WriteContext,
    ) -> Result<bool> {
        Err(not_yet("add_follower_label"))
    }
    async fn remove_follower_label(
        &self,
        contact_id: ContactId,
        label_id: i64,
        context: &WriteContext,
    ) -> Result<bool> {
        Err(not_yet("remove_follower_label"))
    }
}
