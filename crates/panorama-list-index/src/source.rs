//! What a store gives the index: read transactions over its contacts and change feed, and the
//! pruning of feed rows every index has read. Each store implements these on its own types; the
//! index never sees SQL.
//!
//! The feed's contract, which both stores keep with triggers on `contacts`: every insert, update
//! and delete of a contact appends `(seq, contact_id)` in the writing transaction; sequence
//! numbers are given in commit order, without gaps, and never reused after pruning. So a reader
//! that finds the first row after its cursor is not `cursor + 1` knows rows it never read were
//! pruned.

use crate::index::Entry;
use panorama_core::Result;
use serde_json::Value as Json;
use std::collections::HashMap;
use std::future::Future;
use uuid::Uuid;

/// One read-only transaction: every read through it sees the same committed state, so the feed
/// position and the contacts read agree.
pub trait Snapshot: Send {
    /// The last sequence number the feed has given (0 when it never gave one), even when the rows
    /// up to it were pruned.
    fn feed_end(&mut self) -> impl Future<Output = Result<i64>> + Send;

    /// Up to `limit` feed rows after `cursor`, in order: `(seq, contact id)`.
    fn changes(
        &mut self,
        cursor: i64,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<(i64, Uuid)>>> + Send;

    /// The contacts of `ids` that exist.
    fn by_ids(&mut self, ids: &[Uuid]) -> impl Future<Output = Result<Vec<Entry>>> + Send;

    /// Every contact, handed to `apply` one by one as rows arrive (the index applies them in
    /// batches, so memory never holds a million decoded attribute maps).
    fn all(
        &mut self,
        apply: &mut (dyn FnMut(Entry) + Send),
    ) -> impl Future<Output = Result<()>> + Send;

    /// The value of attribute `name` of every contact that has one.
    fn attribute(&mut self, name: &str)
    -> impl Future<Output = Result<HashMap<Uuid, Json>>> + Send;

    /// End the transaction.
    fn finish(self) -> impl Future<Output = Result<()>> + Send;
}

/// A store the index reads from.
pub trait Source: Send + Sync {
    /// Its read transaction.
    type Snapshot: Snapshot;

    /// Begin a read transaction.
    fn snapshot(&self) -> impl Future<Output = Result<Self::Snapshot>> + Send;

    /// Delete the feed rows with `low < seq <= high`. The future owns what it needs, so the index
    /// can run it in the background, off the query's path.
    fn delete_changes(
        &self,
        low: i64,
        high: i64,
    ) -> impl Future<Output = Result<()>> + Send + 'static;
}
