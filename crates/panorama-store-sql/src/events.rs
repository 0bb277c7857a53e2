//! The store's events (`EventStore`), written once over [`Backend`](crate::Backend): reads
//! (`events/read.rs`), ingest with core's `plan_ingest` (`events/ingest.rs`), the order attributes
//! events add up to (`events/orders.rs`), merge records (`events/merges.rs`) and their undo
//! (`events/unmerge.rs`). What differs between the databases is [`EventsSql`]: how an ingest
//! reaches the writer (SQLite queues it to be written in a group), how event rows are inserted
//! (multi-row statements; id claims and COPY), JSON aggregates, and how a merge's rows are
//! snapshot and put back (each catalogue and JSON dialect).

mod ingest;
mod merges;
mod orders;
mod read;
mod store;
mod unmerge;

pub use ingest::{StoredIds, ingest_alone, ingest_batch};
pub use merges::{after_merges, record_merges};
pub use read::latest;
pub use unmerge::CHANGES_SHOWN;

use crate::Backend;
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::contact::{ContactId, WriteContext};
use panorama_core::event::{Event, IncomingEvent, IngestOutcome, MergeRecord};
use serde_json::{Map, Value as Json};

/// What a merge's record keeps of the rows it changes, as JSON: both contacts' `contacts` rows
/// and, for every other table a contact owns, both contacts' rows
/// (`{table: {"merged": [rows], "survivor": [rows]}}`).
#[derive(Debug, Clone, PartialEq)]
pub struct MergeRows {
    /// The merged contact's row (JSON `null` if it was missing).
    pub merged_row: Json,
    /// The survivor's row before the merge; `None` when the batch created the survivor.
    pub survivor_row: Option<Json>,
    /// The rows of every other contact-owned table, by table and side.
    pub owned: Json,
}

/// What events need that differs between databases. Methods taking a connection run inside the
/// caller's transaction.
#[async_trait]
pub trait EventsSql: Send + Sync {
    /// The table naming the contact of every stored event id: `events` itself on SQLite;
    /// `event_ids` on PostgreSQL, whose partitioned `events` cannot hold a unique `event_id`.
    const EVENT_IDS_TABLE: &'static str;

    /// An ingested event on its way to the writer, in the form its row is inserted from.
    type Pending: Send + Sync + 'static;
    /// Prepare `event` for the writer, on the requester's task.
    fn pending(event: IncomingEvent) -> Result<Self::Pending>;
    /// The event a pending one carries.
    fn incoming(pending: &Self::Pending) -> &IncomingEvent;

    /// An aggregate of `expr` over the rows as one JSON array (`[]` for no rows): a batch's
    /// look-up answers in one row, whatever the number of matches.
    fn json_agg(expr: &str) -> String;
    /// A JSON array of `exprs`, for one row.
    fn json_array(exprs: &[&str]) -> String;
    /// A JSON column as a value inside [`EventsSql::json_array`] (not as its text).
    fn json_column(column: &str) -> String;

    /// Ingest a batch: in a write transaction of its own ([`ingest_alone`]), or in a group with
    /// other waiting ingests ([`ingest_batch`] over them all).
    async fn ingest(
        &self,
        events: Vec<IncomingEvent>,
        context: &WriteContext,
    ) -> Result<Vec<IngestOutcome>>
    where
        Self: Backend;
    /// Insert ingested events with the contacts they belong to; an id stored already is
    /// skipped. How many rows were inserted.
    async fn insert_ingested(
        conn: &mut <Self as Backend>::Conn,
        rows: Vec<(ContactId, &Self::Pending)>,
    ) -> Result<u64>
    where
        Self: Backend;
    /// Insert events; an `event_id` stored already changes nothing.
    async fn insert_events(conn: &mut <Self as Backend>::Conn, events: &[Event]) -> Result<()>
    where
        Self: Backend;
    /// Record anonymous ids with their holders (each id once); an id recorded already is
    /// pointed at its new holder.
    async fn insert_anonymous(
        conn: &mut <Self as Backend>::Conn,
        rows: &[(String, ContactId)],
    ) -> Result<()>
    where
        Self: Backend;
    /// Replace the `attributes` of each contact, in one statement.
    async fn update_attributes(
        conn: &mut <Self as Backend>::Conn,
        changed: Vec<(ContactId, Map<String, Json>)>,
    ) -> Result<()>
    where
        Self: Backend;
    /// The rows a record keeps of each `(merged, survivor)` merge, in order, read before the
    /// merge changes anything.
    async fn merge_rows(
        conn: &mut <Self as Backend>::Conn,
        merges: &[(ContactId, ContactId)],
    ) -> Result<Vec<MergeRows>>
    where
        Self: Backend;
    /// Put a merge's rows back: the merged contact's row, the survivor's as it was, and both
    /// sides of every owned table (events, keys and anonymous ids are the caller's).
    async fn restore_rows(
        conn: &mut <Self as Backend>::Conn,
        record: &MergeRecord,
        rows: MergeRows,
    ) -> Result<()>
    where
        Self: Backend;

    // Other areas' code the event scripts call, kept in the backends until those areas are
    // written once (metadata, contacts and their bulk writer, consent, the suppression list).
}
