//! `EventStore` on PostgreSQL.

#![allow(unused_variables)]

use crate::{PostgresStore, not_yet};
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::contact::{Contact, ContactId, WriteContext};
use panorama_core::event::{
    AnonymousId, Event, EventFilter, IncomingEvent, IngestOutcome, MergeRecord, TimelinePage,
    TimelineQuery, UnmergeOutcome,
};
use panorama_core::store::EventStore;

#[async_trait]
impl EventStore for PostgresStore {
    async fn ingest_events(
        &self,
        events: &[IncomingEvent],
        context: &WriteContext,
    ) -> Result<Vec<IngestOutcome>> {
        Err(not_yet("ingest_events"))
    }
    async fn timeline(&self, contact_id: ContactId, query: &TimelineQuery) -> Result<TimelinePage> {
        Err(not_yet("timeline"))
    }
    async fn count_events(&self, contact_id: ContactId, filter: &EventFilter) -> Result<u64> {
        Err(not_yet("count_events"))
    }
    async fn event_times(
        &self,
        contact_id: ContactId,
        from: jiff::Timestamp,
        to: jiff::Timestamp,
    ) -> Result<Vec<jiff::Timestamp>> {
        Err(not_yet("event_times"))
    }
    async fn order_events(&self, contact_id: ContactId) -> Result<Vec<Event>> {
        Err(not_yet("order_events"))
    }
    async fn find_anonymous(&self, anonymous_id: &AnonymousId) -> Result<Option<Contact>> {
        Err(not_yet("find_anonymous"))
    }
    async fn merge_record(&self, merge_id: &str) -> Result<Option<MergeRecord>> {
        Err(not_yet("merge_record"))
    }
    async fn undo_merge(&self, merge_id: &str, context: &WriteContext) -> Result<UnmergeOutcome> {
        Err(not_yet("undo_merge"))
    }
}
