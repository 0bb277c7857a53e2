//! WeChat records on SQLite: official accounts, fans (one row per contact and account) and
//! follower labels, with WeChat's limits checked by core inside each write transaction.

use crate::convert::{micros, timestamp};
use crate::{SqliteDb, contacts, db};
use async_trait::async_trait;
use panorama_core::contact::{ContactId, WriteContext, now_micros};
use panorama_core::label::{
    Fan, FollowerLabel, NewFan, WechatAccount, check_fan_label_count, check_new_follower_label,
    follower_label_event, not_a_fan, parse_account_name, parse_app_id, parse_follower_label_name,
    parse_openid,
};
use panorama_core::store::WechatStore;
use panorama_core::{Error, Result, codes};
use sqlx::{FromRow, SqliteConnection};

#[derive(FromRow)]
struct AccountRow {
    app_id: String,
    name: String,
    created_at: i64,
}

#[derive(FromRow)]
struct FollowerLabelRow {
    label_id: i64,
    app_id: String,
    name: String,
    fans: i64,
}

impl FollowerLabelRow {
    fn into_label(self) -> FollowerLabel {
        FollowerLabel {
            label_id: self.label_id,
            app_id: self.app_id,
            name: self.name,
            fans: u64::try_from(self.fans).unwrap_or(0),
        }
    }
}

#[derive(FromRow)]
struct FanRow {
    app_id: String,
    account_name: String,
    openid: String,
    following: bool,
    changed_at: i64,
}

async fn account(connection: &mut SqliteConnection, app_id: &str) -> Result<WechatAccount> {
    let row: Option<AccountRow> =
        sqlx::query_as("SELECT app_id, name, created_at FROM wechat_accounts WHERE app_id = $1")
            .bind(app_id)
            .fetch_optional(connection)
            .await
            .map_err(db)?;
    let row = row.ok_or_else(|| Error::not_found("official account", app_id))?;
    Ok(WechatAccount {
        app_id: row.app_id,
        name: row.name,
        created_at: timestamp(row.created_at)?,
    })
}

async fn labels_where(
    connection: &mut SqliteConnection,
    column: &str,
    value: &str,
) -> Result<Vec<FollowerLabel>> {
    // `column` is one of two fixed names, never user input.
    let sql = format!(
        "SELECT fl.label_id, fl.app_id, fl.name,
            (SELECT COUNT(*) FROM fan_labels x WHERE x.label_id = fl.label_id) AS fans
         FROM follower_labels fl WHERE fl.{column} = $1 ORDER BY fl.name"
    );
    let rows: Vec<FollowerLabelRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(value)
        .fetch_all(connection)
        .await
        .map_err(db)?;
    Ok(rows.into_iter().map(FollowerLabelRow::into_label).collect())
}

async fn follower_label(connection: &mut SqliteConnection, label_id: i64) -> Result<FollowerLabel> {
    labels_where(connection, "label_id", &label_id.to_string())
        .await?
        .pop()
        .ok_or_else(|| Error::not_found("follower label", label_id))
}

async fn fans(connection: &mut SqliteConnection, contact_id: ContactId) -> Result<Vec<Fan>> {
    let rows: Vec<FanRow> = sqlx::query_as(
        "SELECT f.app_id, a.name AS account_name, f.openid, f.following, f.changed_at
         FROM wechat_fans f JOIN wechat_accounts a ON a.app_id = f.app_id
         WHERE f.contact_id = $1 ORDER BY a.name",
    )
    .bind(contact_id.to_string())
    .fetch_all(&mut *connection)
    .await
    .map_err(db)?;
    let labels: Vec<FollowerLabelRow> = sqlx::query_as(
        "SELECT fl.label_id, fl.app_id, fl.name, 0 AS fans
         FROM fan_labels x JOIN follower_labels fl ON fl.label_id = x.label_id
         WHERE x.contact_id = $1 ORDER BY fl.name",
    )
    .bind(contact_id.to_string())
    .fetch_all(&mut *connection)
    .await
    .map_err(db)?;
    let labels: Vec<FollowerLabel> = labels
        .into_iter()
        .map(FollowerLabelRow::into_label)
        .collect();
    rows.into_iter()
        .map(|row| {
            Ok(Fan {
                contact_id,
                labels: labels
                    .iter()
                    .filter(|l| l.app_id == row.app_id)
                    .cloned()
                    .collect(),
                app_id: row.app_id,
                account_name: row.account_name,
                openid: row.openid,
                following: row.following,
                changed_at: timestamp(row.changed_at)?,
            })
        })
        .collect()
}

async fn execute(
    connection: &mut SqliteConnection,
    sql: &'static str,
    binds: &[&str],
) -> Result<u64> {
    let mut query = sqlx::query(sql);
    for bind in binds {
        query = query.bind(*bind);
    }
    Ok(query.execute(connection).await.map_err(db)?.rows_affected())
}

#[async_trait]
impl WechatStore for SqliteDb {
    async fn list_wechat_accounts(&self) -> Result<Vec<WechatAccount>> {
        let mut connection = self.reader.acquire().await.map_err(db)?;
        let rows: Vec<AccountRow> = sqlx::query_as(
            "SELECT app_id, name, created_at FROM wechat_accounts ORDER BY name, app_id",
        )
        .fetch_all(&mut *connection)
        .await
        .map_err(db)?;
        rows.into_iter()
            .map(|row| {
                Ok(WechatAccount {
                    app_id: row.app_id,
                    name: row.name,
                    created_at: timestamp(row.created_at)?,
                })
            })
            .collect()
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
        .rows_affected();
        if inserted == 0 {
            execute(
                &mut tx,
                "UPDATE wechat_accounts SET name = $2 WHERE app_id = $1",
                &[&app_id, &name],
            )
            .await?;
        }
        let saved = account(&mut tx, &app_id).await?;
        tx.commit().await.map_err(db)?;
        Ok((saved, inserted > 0))
    }

    async fn delete_wechat_account(&self, app_id: &str) -> Result<()> {
        let mut tx = self.write().await?;
        account(&mut tx, app_id).await?;
        execute(
            &mut tx,
            "DELETE FROM wechat_accounts WHERE app_id = $1",
            &[app_id],
        )
        .await?;
        tx.commit().await.map_err(db)
    }

    async fn follower_labels(&self, app_id: &str) -> Result<Vec<FollowerLabel>> {
        let mut connection = self.reader.acquire().await.map_err(db)?;
        account(&mut connection, app_id).await?;
        labels_where(&mut connection, "app_id", app_id).await
    }

    async fn create_follower_label(&self, app_id: &str, name: &str) -> Result<FollowerLabel> {
        let mut tx = self.write().await?;
        account(&mut tx, app_id).await?;
        let existing = labels_where(&mut tx, "app_id", app_id).await?;
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
        let siblings = labels_where(&mut tx, "app_id", &label.app_id).await?;
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
        execute(
            &mut tx,
            "UPDATE follower_labels SET name = $2 WHERE label_id = $1",
            &[&label_id.to_string(), &name],
        )
        .await?;
        tx.commit().await.map_err(db)?;
        label.name = name;
        Ok(label)
    }

    async fn delete_follower_label(&self, label_id: i64) -> Result<()> {
        let mut tx = self.write().await?;
        follower_label(&mut tx, label_id).await?;
        execute(
            &mut tx,
            "DELETE FROM follower_labels WHERE label_id = $1",
            &[&label_id.to_string()],
        )
        .await?;
        tx.commit().await.map_err(db)
    }

    async fn contact_fans(&self, contact_id: ContactId) -> Result<Vec<Fan>> {
        let mut connection = self.reader.acquire().await.map_err(db)?;
        fans(&mut connection, contact_id).await
    }

    async fn save_fan(&self, contact_id: ContactId, app_id: &str, fan: &NewFan) -> Result<Fan> {
        let openid = parse_openid(&fan.openid)?;
        let mut tx = self.write().await?;
        contacts::get(&mut tx, contact_id)
            .await?
            .ok_or_else(|| Error::not_found("contact", contact_id))?;
        account(&mut tx, app_id).await?;
        let holder: Option<String> = sqlx::query_scalar(
            "SELECT contact_id FROM wechat_fans WHERE app_id = $1 AND openid = $2",
        )
        .bind(app_id)
        .bind(&openid)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        if let Some(holder) = holder.filter(|h| *h != contact_id.to_string()) {
            return Err(Error::conflict(
                codes::DUPLICATE_VALUES,
                format!("the openid `{openid}` of `{app_id}` already belongs to contact {holder}"),
                "openid",
            )
            .with_value(&openid));
        }
        sqlx::query(
            "INSERT INTO wechat_fans (contact_id, app_id, openid, following, changed_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (contact_id, app_id) DO UPDATE SET openid = excluded.openid,
                changed_at = CASE WHEN following = excluded.following THEN changed_at
                                  ELSE excluded.changed_at END,
                following = excluded.following",
        )
        .bind(contact_id.to_string())
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
        .bind(contact_id.to_string())
        .bind(&label.app_id)
        .bind(label_id)
        .bind(micros(context.at))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        let event = follower_label_event(contact_id, "follower_label_add", &label, context);
        crate::events::insert_events(&mut tx, &[event]).await?;
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
        let removed = execute(
            &mut tx,
            "DELETE FROM fan_labels WHERE contact_id = $1 AND label_id = $2",
            &[&contact_id.to_string(), &label_id.to_string()],
        )
        .await?;
        if removed > 0 {
            let event = follower_label_event(contact_id, "follower_label_remove", &label, context);
            crate::events::insert_events(&mut tx, &[event]).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(removed > 0)
    }
}
