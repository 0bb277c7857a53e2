//! `WechatStore` on PostgreSQL: official accounts, fans (one row per contact and account) and
//! follower labels, with WeChat's limits checked by core inside each write transaction.

use crate::convert::micros;
use crate::wechat::{AccountRow, account, account_labels, fans, follower_label};
use crate::{PostgresDb, contacts, db, events};
use async_trait::async_trait;
use panorama_core::contact::{ContactId, WriteContext, now_micros};
use panorama_core::label::{
    Fan, FollowerLabel, NewFan, WechatAccount, check_fan_label_count, check_new_follower_label,
    follower_label_event, not_a_fan, parse_account_name, parse_app_id, parse_follower_label_name,
    parse_openid,
};
use panorama_core::store::WechatStore;
use panorama_core::{Error, Result, codes};
use uuid::Uuid;

#[async_trait]
impl WechatStore for PostgresDb {
    async fn list_wechat_accounts(&self) -> Result<Vec<WechatAccount>> {
        let mut connection = self.read().await?;
        // Byte order of names, as on SQLite.
        let rows: Vec<AccountRow> = sqlx::query_as(
            "SELECT app_id, name, created_at FROM wechat_accounts ORDER BY name COLLATE \"C\", app_id",
        )
        .fetch_all(&mut *connection)
        .await
        .map_err(db)?;
        rows.into_iter().map(AccountRow::into_account).collect()
    }

    async fn save_wechat_account(&self, app_id: &str, name: &str) -> Result<(WechatAccount, bool)> {
        let (app_id, name) = (parse_app_id(app_id)?, parse_account_name(name)?);
        let mut tx = self.write().await?;
        let inserted = sqlx::query(
            "INSERT INTO wechat_accounts (app_id, name, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (app_id) DO NOTHING",
        )
        .bind(&app_id)
        .bind(&name)
        .bind(micros(now_micros()))
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected()
            > 0;
        if !inserted {
            // A known app id keeps its creation time and takes the new name.
            sqlx::query("UPDATE wechat_accounts SET name = $2 WHERE app_id = $1")
                .bind(&app_id)
                .bind(&name)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        let saved = account(&mut tx, &app_id).await?;
        tx.commit().await.map_err(db)?;
        Ok((saved, inserted))
    }

    async fn delete_wechat_account(&self, app_id: &str) -> Result<()> {
        let mut tx = self.write().await?;
        account(&mut tx, app_id).await?;
        sqlx::query("DELETE FROM wechat_accounts WHERE app_id = $1")
            .bind(app_id)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn follower_labels(&self, app_id: &str) -> Result<Vec<FollowerLabel>> {
        let mut connection = self.read().await?;
        account(&mut connection, app_id).await?;
        account_labels(&mut connection, app_id).await
    }

    async fn create_follower_label(&self, app_id: &str, name: &str) -> Result<FollowerLabel> {
        let mut tx = self.write().await?;
        account(&mut tx, app_id).await?;
        let existing = account_labels(&mut tx, app_id).await?;
        let name = check_new_follower_label(app_id, &existing, name)?;
        let label_id: i64 = sqlx::query_scalar(
            "INSERT INTO follower_labels (app_id, name, created_at) VALUES ($1, $2, $3) RETURNING label_id",
        )
        .bind(app_id)
        .bind(&name)
        .bind(micros(now_micros()))
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(FollowerLabel {
            label_id,
            app_id: app_id.to_owned(),
            name,
            fans: 0,
        })
    }

    async fn rename_follower_label(&self, label_id: i64, name: &str) -> Result<FollowerLabel> {
        let name = parse_follower_label_name(name)?;
        let mut tx = self.write().await?;
        let mut label = follower_label(&mut tx, label_id).await?;
        let siblings = account_labels(&mut tx, &label.app_id).await?;
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
        sqlx::query("UPDATE follower_labels SET name = $2 WHERE label_id = $1")
            .bind(label_id)
            .bind(&name)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        label.name = name;
        Ok(label)
    }

    async fn delete_follower_label(&self, label_id: i64) -> Result<()> {
        let mut tx = self.write().await?;
        follower_label(&mut tx, label_id).await?;
        sqlx::query("DELETE FROM follower_labels WHERE label_id = $1")
            .bind(label_id)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn contact_fans(&self, contact_id: ContactId) -> Result<Vec<Fan>> {
        let mut connection = self.read().await?;
        fans(&mut connection, contact_id).await
    }

    async fn save_fan(&self, contact_id: ContactId, app_id: &str, fan: &NewFan) -> Result<Fan> {
        let openid = parse_openid(&fan.openid)?;
        let mut tx = self.write().await?;
        contacts::get(&mut tx, contact_id)
            .await?
            .ok_or_else(|| Error::not_found("contact", contact_id))?;
        account(&mut tx, app_id).await?;
        let holder: Option<Uuid> = sqlx::query_scalar(
            "SELECT contact_id FROM wechat_fans WHERE app_id = $1 AND openid = $2",
        )
        .bind(app_id)
        .bind(&openid)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        if let Some(holder) = holder.filter(|h| *h != contact_id.uuid()) {
            return Err(Error::conflict(
                codes::DUPLICATE_VALUES,
                format!(
                    "the openid `{openid}` of `{app_id}` already belongs to contact {}",
                    ContactId::from_uuid(holder)
                ),
                "openid",
            )
            .with_value(&openid));
        }
        // `following` on the right of a SET reads the row before the update, so `changed_at`
        // moves only when following changes.
        sqlx::query(
            "INSERT INTO wechat_fans (contact_id, app_id, openid, following, changed_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (contact_id, app_id) DO UPDATE SET openid = excluded.openid,
                changed_at = CASE WHEN wechat_fans.following = excluded.following
                                  THEN wechat_fans.changed_at ELSE excluded.changed_at END,
                following = excluded.following",
        )
        .bind(contact_id.uuid())
        .bind(app_id)
        .bind(&openid)
        .bind(fan.following)
        .bind(micros(now_micros()))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        let saved = fans(&mut tx, contact_id)
            .await?
            .into_iter()
            .find(|f| f.app_id == app_id)
            .ok_or_else(|| Error::internal("a saved fan record is missing"))?;
        tx.commit().await.map_err(db)?;
        Ok(saved)
    }

    async fn add_follower_label(
        &self,
        contact_id: ContactId,
        label_id: i64,
        context: &WriteContext,
    ) -> Result<bool> {
        let mut tx = self.write().await?;
        let label = follower_label(&mut tx, label_id).await?;
        let fan = fans(&mut tx, contact_id)
            .await?
            .into_iter()
            .find(|f| f.app_id == label.app_id)
            .ok_or_else(|| not_a_fan(contact_id, &label.app_id))?;
        if fan.labels.iter().any(|l| l.label_id == label_id) {
            return Ok(false);
        }
        check_fan_label_count(&label.app_id, fan.labels.len())?;
        sqlx::query(
            "INSERT INTO fan_labels (contact_id, app_id, label_id, added_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(contact_id.uuid())
        .bind(&label.app_id)
        .bind(label_id)
        .bind(micros(context.at))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        let event = follower_label_event(contact_id, "follower_label_add", &label, context);
        events::insert_events(&mut tx, &[event]).await?;
        tx.commit().await.map_err(db)?;
        Ok(true)
    }

    async fn remove_follower_label(
        &self,
        contact_id: ContactId,
        label_id: i64,
        context: &WriteContext,
    ) -> Result<bool> {
        let mut tx = self.write().await?;
        let label = follower_label(&mut tx, label_id).await?;
        let removed = sqlx::query("DELETE FROM fan_labels WHERE contact_id = $1 AND label_id = $2")
            .bind(contact_id.uuid())
            .bind(label_id)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        if removed > 0 {
            let event = follower_label_event(contact_id, "follower_label_remove", &label, context);
            events::insert_events(&mut tx, &[event]).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(removed > 0)
    }
}
