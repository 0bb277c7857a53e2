//! Reading a whole category in the list's default order, batch after batch, for exports: a keyset
//! walk down `contacts (created_at, contact_id)`, so memory holds one batch and no id list or
//! search index is needed. SQLite hands each batch over as one string of records (per-row
//! hand-over and decoding whole contacts were most of the time of a read: 42,000 and 107,000
//! rows/s), each holding the stored attributes' JSON as it is; Rust picks out the asked values
//! and skips the rest without building them (asking SQLite for them with `json_extract` made it
//! parse every object into its binary form first: 146,000 rows/s).

use crate::convert::micros;
use crate::{SqliteDb, db};
use panorama_core::contact::{Category, ContactId};
use panorama_core::store::ContactValues;
use panorama_core::{Error, Result};
use panorama_store_sql::{category_filter, exported_values};
use rustc_hash::FxHashMap;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::Value as Json;
use sqlx::AssertSqlSafe;

/// Separates records in a batch: ASCII's record separator, which valid JSON never holds raw.
pub(crate) const RECORD: char = '\x1e';

/// One batch of a walk: which contacts, after which key, how many.
#[derive(Debug, Clone, PartialEq)]
struct BatchRequest {
    category: Category,
    attributes: Vec<String>,
    /// `(created_at µs, contact_id)` of the last contact of the batch before.
    after: (i64, String),
    limit: i64,
}

/// The next batch of a walk, read while the caller works on the current one.
#[derive(Debug)]
pub(crate) struct ReadAhead {
    request: BatchRequest,
    /// The end of the contact change feed before the read began: when it has moved by the time
    /// the batch is asked for, a contact changed meanwhile and the batch is read again.
    feed: i64,
    batch: tokio::task::JoinHandle<Result<Option<String>>>,
}

/// The read-ahead slot of one store: one walk at a time benefits; another walk's request finds a
/// batch it did not ask for and reads its own.
pub(crate) type ReadAheadSlot = std::sync::Arc<std::sync::Mutex<Option<ReadAhead>>>;

impl SqliteDb {
    /// Up to `limit` contacts of `category`, newest first (ties by id, descending), after the
    /// keyset `after`, with the values of `attributes`.
    ///
    /// A full batch starts the read of the next one (from its last key) before this one is
    /// decoded, so SQLite's work and the decoding overlap on two cores; the next call takes it
    /// when it asks for exactly that batch and no contact changed since (the change feed's end
    /// has not moved), so the answer is always what a read at the call would give.
    pub(crate) async fn export_batch(
        &self,
        category: Category,
        attributes: &[String],
        after: Option<(jiff::Timestamp, ContactId)>,
        limit: u64,
    ) -> Result<Vec<ContactValues>> {
        let request = BatchRequest {
            category,
            attributes: attributes.to_vec(),
            // Without a keyset, start above every stored time: the newest contact comes first.
            after: match after {
                Some((created_at, contact_id)) => (micros(created_at), contact_id.to_string()),
                None => (i64::MAX, String::new()),
            },
            limit: i64::try_from(limit).unwrap_or(i64::MAX),
        };
        let feed = {
            let mut connection = self.export_reader.acquire().await.map_err(db)?;
            panorama_store_sql::feed_end::<SqliteDb>(&mut connection).await?
        };
        let ahead = self
            .read_ahead
            .lock()
            .ok()
            .and_then(|mut slot| slot.take())
            .filter(|ahead| ahead.request == request && ahead.feed == feed);
        let text = match ahead {
            Some(ahead) => ahead
                .batch
                .await
                .map_err(|e| Error::internal(format!("reading ahead: {e}")))??,
            None => batch_text(&self.export_reader, &request).await?,
        };
        let text = text.unwrap_or_default();
        let records: Vec<&str> = text.split(RECORD).filter(|r| !r.is_empty()).collect();
        if records.len() as i64 == request.limit
            && let Some(last) = records.iter().filter_map(|r| record_key(r)).min()
        {
            let next = BatchRequest {
                after: last,
                ..request
            };
            let reader = self.export_reader.clone();
            let batch = tokio::spawn({
                let next = next.clone();
                async move { batch_text(&reader, &next).await }
            });
            if let Ok(mut slot) = self.read_ahead.lock() {
                *slot = Some(ReadAhead {
                    request: next,
                    feed,
                    batch,
                });
            }
        }
        let positions: FxHashMap<&str, usize> = attributes
            .iter()
            .enumerate()
            .map(|(i, name)| (name.as_str(), i))
            .collect();
        let mut contacts = records
            .into_iter()
            .map(|record| contact_values(record, &positions, attributes.len()))
            .collect::<Result<Vec<_>>>()?;
        // The aggregate keeps the subquery's order in practice; the keyset must not rely on it.
        contacts.sort_by_key(|c| std::cmp::Reverse((c.created_at, c.contact_id)));
        Ok(contacts)
    }
}

/// The records of one batch as SQLite joins them (`None` when there are none).
async fn batch_text(reader: &sqlx::SqlitePool, request: &BatchRequest) -> Result<Option<String>> {
    let mut connection = reader.acquire().await.map_err(db)?;
    // One range of `contacts (created_at, contact_id)` or its category twins (migration 0008).
    let sql = format!(
        "SELECT group_concat(created_at || '|' || contact_id || '|' || updated_at || '|' || \
         attributes, char(30)) FROM (SELECT * FROM contacts WHERE {} AND (created_at, \
         contact_id) < ($1, $2) ORDER BY created_at DESC, contact_id DESC LIMIT $3)",
        category_filter(request.category),
    );
    let (text,): (Option<String>,) = sqlx::query_as(AssertSqlSafe(sql))
        .bind(request.after.0)
        .bind(&request.after.1)
        .bind(request.limit)
        .fetch_one(&mut *connection)
        .await
        .map_err(db)?;
    // Hand the connection back now rather than from a task spawned on drop: the read ahead then
    // finds it idle at once.
    connection.return_to_pool().await;
    Ok(text)
}

/// The keyset of a record: `(created_at, contact_id)` as stored.
fn record_key(record: &str) -> Option<(i64, String)> {
    let mut parts = record.splitn(3, '|');
    let created_at = parts.next()?.parse().ok()?;
    Some((created_at, parts.next()?.to_owned()))
}

/// One record, `created_at|contact_id|updated_at|{attributes}`, into its values (an absent or
/// null value reads as `None`).
fn contact_values(
    record: &str,
    positions: &FxHashMap<&str, usize>,
    count: usize,
) -> Result<ContactValues> {
    let bad = || Error::internal("contacts batch: a malformed record");
    let mut parts = record.splitn(4, '|');
    let mut next = || parts.next().ok_or_else(bad);
    let created_at: i64 = next()?.parse().map_err(|_| bad())?;
    let contact_id = ContactId::parse(next()?).map_err(Error::internal)?;
    let updated_at: i64 = next()?.parse().map_err(|_| bad())?;
    let values = picked(next()?, positions, count)
        .map_err(|e| Error::internal(format!("contacts batch: {e}")))?;
    exported_values(contact_id, created_at, updated_at, values)
}

/// The values of the names in `positions` in an attributes object's JSON text, at their positions
/// (`None` when absent or null), the other values skipped without being built.
pub(crate) fn picked(
    json: &str,
    positions: &FxHashMap<&str, usize>,
    count: usize,
) -> serde_json::Result<Vec<Option<Json>>> {
    let mut values = vec![None; count];
    let mut reader = serde_json::Deserializer::from_str(json);
    Picked {
        positions,
        values: &mut values,
    }
    .deserialize(&mut reader)?;
    Ok(values)
}

/// Reads an attributes object, keeping the values of the asked names at their positions and
/// skipping the others unbuilt.
struct Picked<'a, 'b> {
    positions: &'a FxHashMap<&'b str, usize>,
    values: &'a mut Vec<Option<Json>>,
}

impl<'de> DeserializeSeed<'de> for Picked<'_, '_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Picked<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an attributes object")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        while let Some(position) = map.next_key_seed(Position(self.positions))? {
            match position {
                Some(i) => {
                    let value: Json = map.next_value()?;
                    self.values[i] = Some(value).filter(|v| !v.is_null());
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// Reads a key as the position of its value among the asked ones, without allocating it.
struct Position<'a, 'b>(&'a FxHashMap<&'b str, usize>);

impl<'de> DeserializeSeed<'de> for Position<'_, '_> {
    type Value = Option<usize>;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Position<'_, '_> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an attribute name")
    }

    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Self::Value, E> {
        Ok(self.0.get(name).copied())
    }
}
