//! Contact writes and reads: upsert with identity resolution and merges, lookups, delete, counts.

use crate::convert::{CONTACT_COLUMNS, ContactRow, micros, to_json};
use crate::db;
use crate::events::insert_events;
use panorama_core::Result;
use panorama_core::contact::{
    Contact, ContactId, ContactRecord, KeyValue, UpsertAction, UpsertPlan, WriteContext,
    plan_upsert,
};
use panorama_core::metadata::Schema;
use panorama_core::store::UpsertOutcome;
use sqlx::{AssertSqlSafe, SqliteConnection};

/// Resolve and write one record inside the caller's transaction.
pub(crate) async fn upsert(
    connection: &mut SqliteConnection,
    schema: &Schema,
    record: &ContactRecord,
    context: &WriteContext,
) -> Result<UpsertOutcome> {
    let mut matched: Vec<Contact> = Vec::new();
    for key in &record.keys {
        if let Some(contact) = find(connection, key).await?
            && !matched.iter().any(|c| c.contact_id == contact.contact_id)
        {
            matched.push(contact);
        }
    }
    let plan = plan_upsert(schema, matched, record, context);
    apply(connection, &plan).await?;
    Ok(UpsertOutcome {
        action: plan.action,
        contact: plan.contact,
        merged: plan.merged,
    })
}

async fn apply(connection: &mut SqliteConnection, plan: &UpsertPlan) -> Result<()> {
    let survivor = plan.contact.contact_id.to_string();
    if plan.action != UpsertAction::Unchanged {
        write(connection, &plan.contact).await?;
    }
    for merged in &plan.merged {
        let merged = merged.to_string();
        sqlx::query("UPDATE events SET contact_id = $1 WHERE contact_id = $2")
            .bind(&survivor)
            .bind(&merged)
            .execute(&mut *connection)
            .await
            .map_err(db)?;
        sqlx::query("DELETE FROM contacts WHERE contact_id = $1")
            .bind(&merged)
            .execute(&mut *connection)
            .await
            .map_err(db)?;
    }
    if plan.action != UpsertAction::Unchanged {
        // Keys follow the final values: a changed or cleared key must stop pointing here.
        sqlx::query("DELETE FROM contact_keys WHERE contact_id = $1")
            .bind(&survivor)
            .execute(&mut *connection)
            .await
            .map_err(db)?;
        for key in &plan.keys {
            sqlx::query(
                "INSERT INTO contact_keys (attribute, value, contact_id) VALUES ($1, $2, $3)",
            )
            .bind(&key.attribute)
            .bind(&key.value)
            .bind(&survivor)
            .execute(&mut *connection)
            .await
            .map_err(db)?;
        }
    }
    insert_events(connection, &plan.events).await
}

async fn write(connection: &mut SqliteConnection, contact: &Contact) -> Result<()> {
    let categories = contact.categories();
    // An upsert rather than REPLACE: REPLACE deletes first, which would cascade to keys and events.
    let sql = "INSERT INTO contacts (contact_id, attributes, is_real_name, is_wechat_fan,
            global_subscribed, global_changed_at, global_source, email_subscribed, email_changed_at, email_source,
            mobile_subscribed, mobile_changed_at, mobile_source, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
         ON CONFLICT (contact_id) DO UPDATE SET attributes = excluded.attributes,
            is_real_name = excluded.is_real_name, is_wechat_fan = excluded.is_wechat_fan,
            global_subscribed = excluded.global_subscribed, global_changed_at = excluded.global_changed_at,
            global_source = excluded.global_source, email_subscribed = excluded.email_subscribed,
            email_changed_at = excluded.email_changed_at, email_source = excluded.email_source,
            mobile_subscribed = excluded.mobile_subscribed, mobile_changed_at = excluded.mobile_changed_at,
            mobile_source = excluded.mobile_source, updated_at = excluded.updated_at";
    let consent = &contact.subscription;
    sqlx::query(sql)
        .bind(contact.contact_id.to_string())
        .bind(to_json(&contact.attributes)?)
        .bind(categories.real_name)
        .bind(categories.wechat_fan)
        .bind(consent.global.subscribed)
        .bind(micros(consent.global.changed_at))
        .bind(&consent.global.source)
        .bind(consent.email.subscribed)
        .bind(micros(consent.email.changed_at))
        .bind(&consent.email.source)
        .bind(consent.mobile.subscribed)
        .bind(micros(consent.mobile.changed_at))
        .bind(&consent.mobile.source)
        .bind(micros(contact.created_at))
        .bind(micros(contact.updated_at))
        .execute(connection)
        .await
        .map_err(db)?;
    Ok(())
}

/// The contact holding `key`, if any.
pub(crate) async fn find(
    connection: &mut SqliteConnection,
    key: &KeyValue,
) -> Result<Option<Contact>> {
    let sql = format!(
        "SELECT {CONTACT_COLUMNS} FROM contacts WHERE contact_id =
            (SELECT contact_id FROM contact_keys WHERE attribute = $1 AND value = $2)"
    );
    let row: Option<ContactRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(&key.attribute)
        .bind(&key.value)
        .fetch_optional(connection)
        .await
        .map_err(db)?;
    row.map(ContactRow::into_contact).transpose()
}

/// The contact with this id, if any.
pub(crate) async fn get(
    connection: &mut SqliteConnection,
    contact_id: ContactId,
) -> Result<Option<Contact>> {
    let sql = format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE contact_id = $1");
    let row: Option<ContactRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(contact_id.to_string())
        .fetch_optional(connection)
        .await
        .map_err(db)?;
    row.map(ContactRow::into_contact).transpose()
}
