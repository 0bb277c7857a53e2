//! WeChat written once (`WechatStore`): official accounts, fans (one row per contact and account)
//! and follower labels, with WeChat's limits checked by core inside each write transaction.

mod read;

use crate::convert::micros;
use crate::{Backend, DbRow, SqlStore, sql};
use async_trait::async_trait;
use panorama_core::contact::{ContactId, WriteContext, now_micros};
use panorama_core::label::{
    Fan, FollowerLabel, NewFan, WechatAccount, check_fan_label_count, check_new_follower_label,
    follower_label_event, not_a_fan, parse_account_name, parse_app_id, parse_follower_label_name,
    parse_openid,
};
use panorama_core::store::WechatStore;
use panorama_core::{Error, Result, codes};
use read::{ACCOUNT_COLUMNS, account, account_labels, account_of, fans, follower_label};

/// What WeChat needs that differs between databases.
pub trait WechatSql: Send + Sync {
    /// The `COLLATE` clause that sorts names by their bytes, whatever collation the database was
    /// created with: accounts and labels list in the same order on every store.
    const BYTE_ORDER: &'static str;
}

#[async_trait]
impl<B: Backend> WechatStore for SqlStore<B> {
    async fn list_wechat_accounts(&self) -> Result<Vec<WechatAccount>> {
        let mut connection = self.backend.read().await?;
        sql(format!(
            "SELECT {ACCOUNT_COLUMNS} FROM wechat_accounts ORDER BY name {}, app_id",
            B::BYTE_ORDER
        ))
        .all::<B>(&mut connection)
        .await?
        .iter()
        .map(account_of)
        .collect()
    }

    async fn save_wechat_account(&self, app_id: &str, name: &str) -> Result<(WechatAccount, bool)> {
        let (app_id, name) = (parse_app_id(app_id)?, parse_account_name(name)?);
        let mut tx = self.backend.write().await?;
        let inserted = sql(
            "INSERT INTO wechat_accounts (app_id, name, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (app_id) DO NOTHING",
        )
        .bind(&app_id)
        .bind(&name)
        .bind(micros(now_micros()))
        .execute::<B>(&mut tx)
        .await?
            > 0;
        if !inserted {
            // A known app id keeps its creation time and takes the new name.
            sql("UPDATE wechat_accounts SET name = $2 WHERE app_id = $1")
                .bind(&app_id)
                .bind(&name)
                .execute::<B>(&mut tx)
                .await?;
        }
        let saved = account::<B>(&mut tx, &app_id).await?;
        B::commit(tx).await?;
        Ok((saved, inserted))
    }

    async fn delete_wechat_account(&self, app_id: &str) -> Result<()> {
        let mut tx = self.backend.write().await?;
        account::<B>(&mut tx, app_id).await?;
        sql("DELETE FROM wechat_accounts WHERE app_id = $1")
            .bind(app_id)
            .execute::<B>(&mut tx)
            .await?;
        B::commit(tx).await
    }

    async fn follower_labels(&self, app_id: &str) -> Result<Vec<FollowerLabel>> {
        let mut connection = self.backend.read().await?;
        account::<B>(&mut connection, app_id).await?;
        account_labels::<B>(&mut connection, app_id).await
    }

    async fn create_follower_label(&self, app_id: &str, name: &str) -> Result<FollowerLabel> {
        let mut tx = self.backend.write().await?;
        account::<B>(&mut tx, app_id).await?;
        let existing = account_labels::<B>(&mut tx, app_id).await?;
        let name = check_new_follower_label(app_id, &existing, name)?;
        let label_id = sql(
            "INSERT INTO follower_labels (app_id, name, created_at) VALUES ($1, $2, $3)
             RETURNING label_id",
        )
        .bind(app_id)
        .bind(&name)
        .bind(micros(now_micros()))
        .one::<B>(&mut tx)
        .await?
        .i64(0)?;
        B::commit(tx).await?;
        Ok(FollowerLabel {
            label_id,
            app_id: app_id.to_owned(),
            name,
            fans: 0,
        })
    }

    async fn rename_follower_label(&self, label_id: i64, name: &str) -> Result<FollowerLabel> {
        let name = parse_follower_label_name(name)?;
        let mut tx = self.backend.write().await?;
        let mut label = follower_label::<B>(&mut tx, label_id).await?;
        let siblings = account_labels::<B>(&mut tx, &label.app_id).await?;
        if siblings
            .iter()
            .any(|l| l.name == name && l.label_id != label_id)
        {
            return Err(Error::invalid(
                codes::DUPLICATE_NAME,
                format!(
                    "the account `{}` already has a follower label `{name}`",
                    label.app_id
                ),
                "name",
                &name,
            ));
        }
        sql("UPDATE follower_labels SET name = $2 WHERE label_id = $1")
            .bind(label_id)
            .bind(&name)
            .execute::<B>(&mut tx)
            .await?;
        B::commit(tx).await?;
        label.name = name;
        Ok(label)
    }

    async fn delete_follower_label(&self, label_id: i64) -> Result<()> {
        let mut tx = self.backend.write().await?;
        follower_label::<B>(&mut tx, label_id).await?;
        sql("DELETE FROM follower_labels WHERE label_id = $1")
            .bind(label_id)
            .execute::<B>(&mut tx)
            .await?;
        B::commit(tx).await
    }

    async fn contact_fans(&self, contact_id: ContactId) -> Result<Vec<Fan>> {
        let mut connection = self.backend.read().await?;
        fans::<B>(&mut connection, contact_id).await
    }

    async fn save_fan(&self, contact_id: ContactId, app_id: &str, fan: &NewFan) -> Result<Fan> {
        let openid = parse_openid(&fan.openid)?;
        let mut tx = self.backend.write().await?;
        sql("SELECT 1 FROM contacts WHERE contact_id = $1")
            .bind(contact_id)
            .optional::<B>(&mut tx)
            .await?
            .ok_or_else(|| Error::not_found("contact", contact_id))?;
        account::<B>(&mut tx, app_id).await?;
        let holder = sql("SELECT contact_id FROM wechat_fans WHERE app_id = $1 AND openid = $2")
            .bind(app_id)
            .bind(&openid)
            .optional::<B>(&mut tx)
            .await?
            .map(|row| row.contact_id(0))
            .transpose()?;
        if let Some(holder) = holder.filter(|h| *h != contact_id) {
            return Err(Error::conflict(
                codes::DUPLICATE_VALUES,
                format!("the openid `{openid}` of `{app_id}` already belongs to contact {holder}"),
                "openid",
            )
            .with_value(&openid));
        }
        // `wechat_fans.following` on the right of a SET reads the row before the update, so
        // `changed_at` moves only when following changes.
        sql(
            "INSERT INTO wechat_fans (contact_id, app_id, openid, following, changed_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (contact_id, app_id) DO UPDATE SET openid = excluded.openid,
                changed_at = CASE WHEN wechat_fans.following = excluded.following
                                  THEN wechat_fans.changed_at ELSE excluded.changed_at END,
                following = excluded.following",
        )
        .bind(contact_id)
        .bind(app_id)
        .bind(&openid)
        .bind(fan.following)
        .bind(micros(now_micros()))
        .execute::<B>(&mut tx)
        .await?;
        let saved = fans::<B>(&mut tx, contact_id)
            .await?
            .into_iter()
            .find(|f| f.app_id == app_id)
            .ok_or_else(|| Error::internal("a saved fan record is missing"))?;
        B::commit(tx).await?;
        Ok(saved)
    }

    async fn add_follower_label(
        &self,
        contact_id: ContactId,
        label_id: i64,
        context: &WriteContext,
    ) -> Result<bool> {
        let mut tx = self.backend.write().await?;
        let label = follower_label::<B>(&mut tx, label_id).await?;
        let fan = fans::<B>(&mut tx, contact_id)
            .await?
            .into_iter()
            .find(|f| f.app_id == label.app_id)
            .ok_or_else(|| not_a_fan(contact_id, &label.app_id))?;
        if fan.labels.iter().any(|l| l.label_id == label_id) {
            return Ok(false);
        }
        check_fan_label_count(&label.app_id, fan.labels.len())?;
        sql("INSERT INTO fan_labels (contact_id, app_id, label_id, added_at) VALUES ($1, $2, $3, $4)")
            .bind(contact_id)
            .bind(&label.app_id)
            .bind(label_id)
            .bind(micros(context.at))
            .execute::<B>(&mut tx)
            .await?;
        let event = follower_label_event(contact_id, "follower_label_add", &label, context);
        B::insert_events(&mut tx, &[event]).await?;
        B::commit(tx).await?;
        Ok(true)
    }

    async fn remove_follower_label(
        &self,
        contact_id: ContactId,
        label_id: i64,
        context: &WriteContext,
    ) -> Result<bool> {
        let mut tx = self.backend.write().await?;
        let label = follower_label::<B>(&mut tx, label_id).await?;
        let removed = sql("DELETE FROM fan_labels WHERE contact_id = $1 AND label_id = $2")
            .bind(contact_id)
            .bind(label_id)
            .execute::<B>(&mut tx)
            .await?;
        if removed > 0 {
            let event = follower_label_event(contact_id, "follower_label_remove", &label, context);
            B::insert_events(&mut tx, &[event]).await?;
        }
        B::commit(tx).await?;
        Ok(removed > 0)
    }
}
