//! The WeChat reads the writes share: an account, follower labels with their fan counts, a
//! contact's fans with their labels. Names sort in byte order on both databases
//! ([`WechatSql::BYTE_ORDER`](super::WechatSql::BYTE_ORDER)).

use crate::{Arg, Backend, DbRow, sql};
use panorama_core::contact::ContactId;
use panorama_core::label::{Fan, FollowerLabel, WechatAccount};
use panorama_core::{Error, Result};

/// The columns [`account_of`] reads.
pub(super) const ACCOUNT_COLUMNS: &str = "app_id, name, created_at";

/// Follower labels with the number of fans carrying each.
const LABELS: &str = "SELECT fl.label_id, fl.app_id, fl.name,
        (SELECT count(*) FROM fan_labels x WHERE x.label_id = fl.label_id) AS fans
     FROM follower_labels fl";

/// The account a row of [`ACCOUNT_COLUMNS`] stores.
pub(super) fn account_of(row: &impl DbRow) -> Result<WechatAccount> {
    Ok(WechatAccount {
        app_id: row.text(0)?,
        name: row.text(1)?,
        created_at: row.time(2)?,
    })
}

/// A follower label from `label_id, app_id, name[, fans]`; without the count, 0 fans.
fn label_of(row: &impl DbRow, counted: bool) -> Result<FollowerLabel> {
    Ok(FollowerLabel {
        label_id: row.i64(0)?,
        app_id: row.text(1)?,
        name: row.text(2)?,
        fans: if counted { row.count(3)? } else { 0 },
    })
}

/// The official account `app_id`, which must exist.
pub(super) async fn account<B: Backend>(conn: &mut B::Conn, app_id: &str) -> Result<WechatAccount> {
    let row = sql(format!(
        "SELECT {ACCOUNT_COLUMNS} FROM wechat_accounts WHERE app_id = $1"
    ))
    .bind(app_id)
    .optional::<B>(conn)
    .await?
    .ok_or_else(|| Error::not_found("official account", app_id))?;
    account_of(&row)
}

/// The follower labels of an account, by name.
pub(super) async fn account_labels<B: Backend>(
    conn: &mut B::Conn,
    app_id: &str,
) -> Result<Vec<FollowerLabel>> {
    sql(format!(
        "{LABELS} WHERE fl.app_id = $1 ORDER BY fl.name {}",
        B::BYTE_ORDER
    ))
    .bind(app_id)
    .all::<B>(conn)
    .await?
    .iter()
    .map(|row| label_of(row, true))
    .collect()
}

/// The follower label `label_id`, which must exist.
pub(super) async fn follower_label<B: Backend>(
    conn: &mut B::Conn,
    label_id: i64,
) -> Result<FollowerLabel> {
    let row = sql(format!("{LABELS} WHERE fl.label_id = $1"))
        .bind(label_id)
        .optional::<B>(conn)
        .await?
        .ok_or_else(|| Error::not_found("follower label", label_id))?;
    label_of(&row, true)
}

/// A contact's fan records, by account name, each with its follower labels.
pub(super) async fn fans<B: Backend>(
    conn: &mut B::Conn,
    contact_id: ContactId,
) -> Result<Vec<Fan>> {
    let rows = sql(format!(
        "SELECT f.app_id, a.name, f.openid, f.following, f.changed_at
         FROM wechat_fans f JOIN wechat_accounts a ON a.app_id = f.app_id
         WHERE f.contact_id = $1 ORDER BY a.name {}",
        B::BYTE_ORDER
    ))
    .bind(contact_id)
    .all::<B>(conn)
    .await?;
    // The fan count of a label plays no part here: leaving it out spares counting each.
    let labels = sql(format!(
        "SELECT fl.label_id, fl.app_id, fl.name
         FROM fan_labels x JOIN follower_labels fl ON fl.label_id = x.label_id
         WHERE x.contact_id = $1 ORDER BY fl.name {}",
        B::BYTE_ORDER
    ))
    .bind(Arg::from(contact_id))
    .all::<B>(conn)
    .await?
    .iter()
    .map(|row| label_of(row, false))
    .collect::<Result<Vec<_>>>()?;
    rows.iter()
        .map(|row| {
            let app_id = row.text(0)?;
            Ok(Fan {
                contact_id,
                labels: labels
                    .iter()
                    .filter(|l| l.app_id == app_id)
                    .cloned()
                    .collect(),
                app_id,
                account_name: row.text(1)?,
                openid: row.text(2)?,
                following: row.bool(3)?,
                changed_at: row.time(4)?,
            })
        })
        .collect()
}
