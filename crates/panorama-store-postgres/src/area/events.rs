//! `EventStore` on PostgreSQL: ingest and undoing a merge are one write transaction each; reads
//! use the pool.

use crate::{PostgresDb, anonymous, db, events, ingest, metadata, orders, unmerge};
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::contact::{Contact, ContactId, WriteContext};
use panorama_core::event::{
    AnonymousId, Event, EventFilter, IncomingEvent, IngestOutcome, MergeRecord, TimelinePage,
    TimelineQuery, UnmergeOutcome,
};
use panorama_core::store::EventStore;

#[async_trait]
impl EventStore for PostgresDb {
    async fn ingest_events(
        &self,
        incoming: Vec<IncomingEvent>,
        context: &WriteContext,
    ) -> Result<Vec<IngestOutcome>> {
        let mut tx = self.write().await?;
        let schema = metadata::load_schema(&mut tx).await?;
        let outcomes = ingest::ingest(&mut tx, &schema, &incoming, context).await?;
        tx.commit().await.map_err(db)?;
        Ok(outcomes)
    }

    async fn timeline(&self, contact_id: ContactId, query: &TimelineQuery) -> Result<TimelinePage> {
        let mut connection = self.read().await?;
        events::timeline(&mut connection, contact_id, query).await
    }

    async fn count_events(&self, contact_id: ContactId, filter: &EventFilter) -> Result<u64> {
        let mut connection = self.read().await?;
        events::count(&mut connection, contact_id, filter).await
    }

    async fn event_times(
        &self,
        contact_id: ContactId,
        from: jiff::Timestamp,
        to: jiff::Timestamp,
    ) -> Result<Vec<jiff::Timestamp>> {
        let mut connection = self.read().await?;
        events::times(&mut connection, contact_id, from, to).await
    }

    async fn order_events(&self, contact_id: ContactId) -> Result<Vec<Event>> {
        let mut connection = self.read().await?;
        orders::order_events(&mut connection, contact_id).await
    }

    async fn find_anonymous(&self, anonymous_id: &AnonymousId) -> Result<Option<Contact>> {
        let mut connection = self.read().await?;
        anonymous::find(&mut connection, anonymous_id).await
    }

    async fn merge_record(&self, merge_id: &str) -> Result<Option<MergeRecord>> {
        let mut connection = self.read().await?;
        unmerge::load(&mut connection, merge_id).await
    }

    async fn undo_merge(&self, merge_id: &str, context: &WriteContext) -> Result<UnmergeOutcome> {
        let mut tx = self.write().await?;
        let schema = metadata::load_schema(&mut tx).await?;
        let outcome = unmerge::undo(&mut tx, &schema, merge_id, context).await?;
        tx.commit().await.map_err(db)?;
        Ok(outcome)
    }
}
