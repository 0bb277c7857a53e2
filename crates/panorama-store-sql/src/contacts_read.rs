//! Reading contacts: the columns of a contact and the row read back as one, a contact by id or by
//! key value, many by id in a given order, a contact's latest events.

use crate::arg::Arg;
use crate::backend::{Backend, DbRow};
use crate::query::sql;
use panorama_core::Result;
use panorama_core::contact::{
    Category, ChannelConsent, Contact, ContactId, HardBounce, KeyValue, Subscription,
};
use panorama_core::event::Event;
use std::collections::HashMap;

/// Columns selected for a contact, in the order [`contact_of`] reads them.
pub const CONTACT_COLUMNS: &str = "contact_id, attributes, global_subscribed, global_changed_at, \
     global_source, email_subscribed, email_changed_at, email_source, mobile_subscribed, \
     mobile_changed_at, mobile_source, created_at, updated_at, email_bounced_address, \
     email_bounced_at";

/// The SQL condition of a category tab on a `contacts` row (`TRUE` is 1 on SQLite, so the
/// category indexes serve both databases alike).
pub fn category_filter(category: Category) -> &'static str {
    match category {
        Category::All => "TRUE",
        Category::RealName => "is_real_name = TRUE",
        Category::Anonymous => "is_real_name = FALSE",
        Category::WechatFan => "is_wechat_fan = TRUE",
    }
}

/// The contact a row of [`CONTACT_COLUMNS`] holds.
pub fn contact_of<R: DbRow>(row: &R) -> Result<Contact> {
    let channel = |first: usize| -> Result<ChannelConsent> {
        Ok(ChannelConsent {
            subscribed: row.bool(first)?,
            changed_at: row.time(first + 1)?,
            source: row.text(first + 2)?,
        })
    };
    let email_bounce = match (row.opt_text(13)?, row.opt_i64(14)?) {
        (Some(address), Some(at)) => Some(HardBounce {
            address,
            at: crate::convert::timestamp(at)?,
        }),
        _ => None,
    };
    Ok(Contact {
        contact_id: row.contact_id(0)?,
        attributes: row.json(1)?,
        subscription: Subscription {
            global: channel(2)?,
            email: channel(5)?,
            mobile: channel(8)?,
            email_bounce,
        },
        created_at: row.time(11)?,
        updated_at: row.time(12)?,
    })
}

/// The contact `condition` on `contacts` selects (at most one: it names a unique column or
/// subquery), with `args` as its parameters `$1`, `$2`, ….
pub async fn contact_where<B: Backend>(
    connection: &mut B::Conn,
    condition: &str,
    args: Vec<Arg>,
) -> Result<Option<Contact>> {
    let mut statement = sql(format!(
        "SELECT {CONTACT_COLUMNS} FROM contacts WHERE {condition}"
    ));
    for arg in args {
        statement = statement.bind(arg);
    }
    statement
        .optional::<B>(connection)
        .await?
        .as_ref()
        .map(contact_of)
        .transpose()
}

/// The contact with this id, if any.
pub async fn contact_by_id<B: Backend>(
    connection: &mut B::Conn,
    contact_id: ContactId,
) -> Result<Option<Contact>> {
    contact_where::<B>(connection, "contact_id = $1", vec![contact_id.into()]).await
}

/// The contact holding `key`, if any.
pub(crate) async fn find<B: Backend>(
    connection: &mut B::Conn,
    key: &KeyValue,
) -> Result<Option<Contact>> {
    contact_where::<B>(
        connection,
        "contact_id = (SELECT contact_id FROM contact_keys WHERE attribute = $1 AND value = $2)",
        vec![key.attribute.as_str().into(), key.value.as_str().into()],
    )
    .await
}

/// The contacts of `ids` that exist, in the order given.
pub(crate) async fn in_order<B: Backend>(
    connection: &mut B::Conn,
    ids: &[ContactId],
) -> Result<Vec<Contact>> {
    let mut found: HashMap<ContactId, Contact> = B::contacts_by_ids(connection, ids)
        .await?
        .into_iter()
        .map(|contact| (contact.contact_id, contact))
        .collect();
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// A contact's latest `limit` events, newest first.
pub(crate) async fn latest_events<B: Backend>(
    connection: &mut B::Conn,
    contact_id: ContactId,
    limit: u64,
) -> Result<Vec<Event>> {
    let rows = sql(
        "SELECT event_id, contact_id, event, occurred_at, properties FROM events
         WHERE contact_id = $1 ORDER BY occurred_at DESC, event_id DESC LIMIT $2",
    )
    .bind(contact_id)
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .all::<B>(connection)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Event {
                event_id: row.text(0)?,
                contact_id: row.contact_id(1)?,
                event: row.text(2)?,
                occurred_at: row.time(3)?,
                properties: row.json(4)?,
            })
        })
        .collect()
}

/// One contact's values as an export batch reads them, its times as stored (microseconds).
pub fn exported_values(
    contact_id: ContactId,
    created_at: i64,
    updated_at: i64,
    values: Vec<Option<serde_json::Value>>,
) -> Result<panorama_core::store::ContactValues> {
    Ok(panorama_core::store::ContactValues {
        contact_id,
        created_at: crate::convert::timestamp(created_at)?,
        updated_at: crate::convert::timestamp(updated_at)?,
        values,
    })
}
