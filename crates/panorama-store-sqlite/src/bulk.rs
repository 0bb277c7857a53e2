//! Batched contact writes on SQLite: the key owners a batch needs in a few JSON-array look-ups,
//! and the plan core's `plan_batch` made written with multi-row statements. This is the path for
//! imports and batch API writes, where one statement per row would cost more than the work
//! itself; the script around it is `panorama-store-sql`'s `contacts_store.rs`.

use crate::convert::{micros, to_json};
use crate::{SqliteDb, db};
use panorama_core::Result;
use panorama_core::contact::{BatchPlan, Contact, ContactId, KeyValue};
use panorama_store_sql::consent;
use panorama_store_sql::{CONTACT_UPSERT, CONTACT_WRITE_COLUMNS};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use std::collections::{BTreeMap, HashMap};

/// Values bound in one `IN (...)` list.
pub const LOOKUP_VALUES_PER_QUERY: usize = 900;
/// Contact rows in one multi-row insert (15 columns each, well under SQLite's 32,766 variables).
pub const CONTACT_ROWS_PER_STATEMENT: usize = 500;
/// Key or event rows in one multi-row insert.
pub const SMALL_ROWS_PER_STATEMENT: usize = 2000;

/// The contact holding each of `keys` that is stored, by attribute with one look-up per chunk.
pub(crate) async fn key_owners<'k>(
    connection: &mut SqliteConnection,
    keys: impl Iterator<Item = &'k KeyValue>,
) -> Result<HashMap<KeyValue, ContactId>> {
    let mut by_attribute: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for key in keys {
        by_attribute
            .entry(&key.attribute)
            .or_default()
            .push(&key.value);
    }
    let mut owners = HashMap::new();
    for (attribute, mut values) in by_attribute {
        values.sort_unstable();
        values.dedup();
        // The attribute is a checked key attribute name, quoted as an SQL string literal.
        let select = format!(
            "SELECT json_group_array(json_array(value, contact_id)) FROM contact_keys WHERE attribute = '{}' AND",
            attribute.replace('\'', "''")
        );
        let rows: Vec<(String, String)> =
            crate::lookup::matching(connection, &select, "value", &values).await?;
        for (value, contact_id) in rows {
            let key = KeyValue {
                attribute: attribute.to_owned(),
                value,
            };
            owners.insert(
                key,
                ContactId::parse(&contact_id).map_err(panorama_core::Error::internal)?,
            );
        }
    }
    Ok(owners)
}

/// Apply a batch plan: contacts first (events and keys refer to them), then merges, keys, events.
pub(crate) async fn apply(connection: &mut SqliteConnection, plan: &BatchPlan) -> Result<()> {
    panorama_store_sql::events::record_merges::<crate::SqliteDb>(connection, plan).await?;
    for chunk in plan.write.chunks(CONTACT_ROWS_PER_STATEMENT) {
        write_contacts(connection, chunk).await?;
    }
    for (merged, holder) in &plan.merged {
        sqlx::query("UPDATE events SET contact_id = $1 WHERE contact_id = $2")
            .bind(holder.to_string())
            .bind(merged.to_string())
            .execute(&mut *connection)
            .await
            .map_err(db)?;
    }
    panorama_store_sql::events::after_merges::<crate::SqliteDb>(connection, &plan.merged).await?;
    let merged: Vec<String> = plan.merged.iter().map(|(id, _)| id.to_string()).collect();
    delete_where_in(
        connection,
        "DELETE FROM contacts WHERE contact_id IN (",
        &merged,
    )
    .await?;
    let rekey: Vec<String> = plan.rekey.iter().map(ToString::to_string).collect();
    delete_where_in(
        connection,
        "DELETE FROM contact_keys WHERE contact_id IN (",
        &rekey,
    )
    .await?;
    // In the primary key's order, so consecutive rows land on the same pages.
    let mut keys: Vec<&(KeyValue, ContactId)> = plan.keys.iter().collect();
    keys.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for chunk in keys.chunks(SMALL_ROWS_PER_STATEMENT) {
        let mut query =
            QueryBuilder::<Sqlite>::new("INSERT INTO contact_keys (attribute, value, contact_id) ");
        query.push_values(chunk, |mut row, (key, id)| {
            row.push_bind(key.attribute.as_str())
                .push_bind(key.value.as_str())
                .push_bind(id.to_string());
        });
        query.build().execute(&mut *connection).await.map_err(db)?;
    }
    crate::events::insert_events(connection, &plan.events).await?;
    consent::record_history::<SqliteDb>(connection, &plan.events).await
}

/// Write changed contacts and their events (consent changes that need no key or merge work).
pub(crate) async fn write_and_record(
    connection: &mut SqliteConnection,
    contacts: &[Contact],
    events: &[panorama_core::event::Event],
) -> Result<()> {
    for chunk in contacts.chunks(CONTACT_ROWS_PER_STATEMENT) {
        write_contacts(connection, chunk).await?;
    }
    crate::events::insert_events(connection, events).await?;
    consent::record_history::<SqliteDb>(connection, events).await
}

pub(crate) async fn delete_where_in(
    connection: &mut SqliteConnection,
    statement: &'static str,
    ids: &[String],
) -> Result<()> {
    for chunk in ids.chunks(LOOKUP_VALUES_PER_QUERY) {
        let mut query = QueryBuilder::<Sqlite>::new(statement);
        let mut list = query.separated(", ");
        for id in chunk {
            list.push_bind(id.as_str());
        }
        query.push(")");
        query.build().execute(&mut *connection).await.map_err(db)?;
    }
    Ok(())
}

async fn write_contacts(connection: &mut SqliteConnection, contacts: &[Contact]) -> Result<()> {
    let attributes = contacts
        .iter()
        .map(|c| to_json(&c.attributes))
        .collect::<Result<Vec<_>>>()?;
    let mut query =
        QueryBuilder::<Sqlite>::new(format!("INSERT INTO contacts ({CONTACT_WRITE_COLUMNS}) "));
    query.push_values(
        contacts.iter().zip(attributes),
        |mut row, (contact, attributes)| {
            let categories = contact.categories();
            let consent = &contact.subscription;
            row.push_bind(contact.contact_id.to_string())
                .push_bind(attributes)
                .push_bind(categories.real_name)
                .push_bind(categories.wechat_fan)
                .push_bind(consent.global.subscribed)
                .push_bind(micros(consent.global.changed_at))
                .push_bind(consent.global.source.clone())
                .push_bind(consent.email.subscribed)
                .push_bind(micros(consent.email.changed_at))
                .push_bind(consent.email.source.clone())
                .push_bind(consent.mobile.subscribed)
                .push_bind(micros(consent.mobile.changed_at))
                .push_bind(consent.mobile.source.clone())
                .push_bind(micros(contact.created_at))
                .push_bind(micros(contact.updated_at));
        },
    );
    query.push(" ").push(CONTACT_UPSERT);
    query.build().execute(connection).await.map_err(db)?;
    Ok(())
}
