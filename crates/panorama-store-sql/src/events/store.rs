//! `EventStore` for every backend: ingest goes the backend's way to the writer
//! ([`EventsSql::ingest`]), undoing a merge is one write transaction, reads use a pooled
//! connection.

use super::{read, unmerge};
use crate::{Backend, SqlStore};
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::contact::{Contact, ContactId, WriteContext};
use panorama_core::event::{
    AnonymousId, Event, EventFilter, IncomingEvent, IngestOutcome, MergeRecord, TimelinePage,
    TimelineQuery, UnmergeOutcome,
};
use panorama_core::store::EventStore;

#[async_trait]
impl<B: Backend> EventStore for SqlStore<B> {
    async fn ingest_events(
        &self,
        events: Vec<IncomingEvent>,
        context: &WriteContext,
    ) -> Result<Vec<IngestOutcome>> {
        self.backend.ingest(events, context).await
    }

    async fn timeline(&self, contact_id: ContactId, query: &TimelineQuery) -> Result<TimelinePage> {
        let mut conn = self.backend.read().await?;
        read::timeline::<B>(&mut conn, contact_id, query).await
    }

    async fn count_events(&self, contact_id: ContactId, filter: &EventFilter) -> Result<u64> {
        let mut conn = self.backend.read().await?;
        read::count::<B>(&mut conn, contact_id, filter).await
    }

    async fn event_times(
        &self,
        contact_id: ContactId,
        from: jiff::Timestamp,
        to: jiff::Timestamp,
    ) -> Result<Vec<jiff::Timestamp>> {
        let mut conn = self.backend.read().await?;
        read::times::<B>(&mut conn, contact_id, from, to).await
    }

    async fn order_events(&self, contact_id: ContactId) -> Result<Vec<Event>> {
        let mut conn = self.backend.read().await?;
        read::order_events::<B>(&mut conn, contact_id).await
    }

    async fn find_anonymous(&self, anonymous_id: &AnonymousId) -> Result<Option<Contact>> {
        let mut conn = self.backend.read().await?;
        read::anonymous_holder::<B>(&mut conn, anonymous_id).await
    }

    async fn merge_record(&self, merge_id: &str) -> Result<Option<MergeRecord>> {
        let mut conn = self.backend.read().await?;
        unmerge::load::<B>(&mut conn, merge_id).await
    }

    async fn undo_merge(&self, merge_id: &str, context: &WriteContext) -> Result<UnmergeOutcome> {
        let mut tx = self.backend.write().await?;
        let schema = crate::load_schema::<B>(&mut tx).await?;
        let outcome = unmerge::undo::<B>(&mut tx, &schema, merge_id, context).await?;
        B::commit(tx).await?;
        Ok(outcome)
    }
}
