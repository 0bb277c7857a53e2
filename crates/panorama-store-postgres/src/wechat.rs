//! WeChat records on PostgreSQL: the reads `area/wechat.rs` shares (an account, follower labels
//! with their fan counts, a contact's fans with their labels). Names sort `COLLATE "C"`: byte
//! order, as on SQLite, whatever collation the database was created with.

use crate::convert::timestamp;
use crate::db;
use panorama_core::contact::ContactId;
use panorama_core::label::{Fan, FollowerLabel, WechatAccount};
use panorama_core::{Error, Result};
use sqlx::{FromRow, PgConnection};

/// One `wechat_accounts` row.
#[derive(FromRow)]
pub(crate) struct AccountRow {
    app_id: String,
    name: String,
    created_at: i64,
}

impl AccountRow {
    /// The account this row stores.
    pub(crate) fn into_account(self) -> Result<WechatAccount> {
        Ok(WechatAccount {
            app_id: self.app_id,
            name: self.name,
            created_at: timestamp(self.created_at)?,
        })
    }
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

/// Follower labels with the number of fans carrying each, by name.
const LABELS: &str = "SELECT fl.label_id, fl.app_id, fl.name,
        (SELECT count(*) FROM fan_labels x WHERE x.label_id = fl.label_id) AS fans
     FROM follower_labels fl";

/// The official account `app_id`, which must exist.
pub(crate) async fn account(connection: &mut PgConnection, app_id: &str) -> Result<WechatAccount> {
    let row: Option<AccountRow> =
        sqlx::query_as("SELECT app_id, name, created_at FROM wechat_accounts WHERE app_id = $1")
            .bind(app_id)
            .fetch_optional(connection)
            .await
            .map_err(db)?;
    row.ok_or_else(|| Error::not_found("official account", app_id))?
        .into_account()
}

/// The follower labels of an account, by name.
pub(crate) async fn account_labels(
    connection: &mut PgConnection,
    app_id: &str,
) -> Result<Vec<FollowerLabel>> {
    let sql = format!("{LABELS} WHERE fl.app_id = $1 ORDER BY fl.name COLLATE \"C\"");
    let rows: Vec<FollowerLabelRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(app_id)
        .fetch_all(connection)
        .await
        .map_err(db)?;
    Ok(rows.into_iter().map(FollowerLabelRow::into_label).collect())
}

/// The follower label `label_id`, which must exist.
pub(crate) async fn follower_label(
    connection: &mut PgConnection,
    label_id: i64,
) -> Result<FollowerLabel> {
    let sql = format!("{LABELS} WHERE fl.label_id = $1");
    let row: Option<FollowerLabelRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(label_id)
        .fetch_optional(connection)
        .await
        .map_err(db)?;
    row.map(FollowerLabelRow::into_label)
        .ok_or_else(|| Error::not_found("follower label", label_id))
}

/// A contact's fan records, by account name, each with its follower labels.
pub(crate) async fn fans(connection: &mut PgConnection, contact_id: ContactId) -> Result<Vec<Fan>> {
    let rows: Vec<FanRow> = sqlx::query_as(
        "SELECT f.app_id, a.name AS account_name, f.openid, f.following, f.changed_at
         FROM wechat_fans f JOIN wechat_accounts a ON a.app_id = f.app_id
         WHERE f.contact_id = $1 ORDER BY a.name COLLATE \"C\"",
    )
    .bind(contact_id.uuid())
    .fetch_all(&mut *connection)
    .await
    .map_err(db)?;
    // The fan count of a label plays no part here: 0 spares counting each.
    let labels: Vec<FollowerLabelRow> = sqlx::query_as(
        "SELECT fl.label_id, fl.app_id, fl.name, 0::bigint AS fans
         FROM fan_labels x JOIN follower_labels fl ON fl.label_id = x.label_id
         WHERE x.contact_id = $1 ORDER BY fl.name COLLATE \"C\"",
    )
    .bind(contact_id.uuid())
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
