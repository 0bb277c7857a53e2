//! `EventStore`: ingesting events with identity resolution, and reading a contact's timeline,
//! calendar and orders.

use crate::contact::{Contact, ContactId, WriteContext};
use crate::error::Result;
use crate::event::{
    AnonymousId, Event, EventFilter, IncomingEvent, IngestOutcome, MergeRecord, TimelinePage,
    TimelineQuery, UnmergeOutcome,
};
use async_trait::async_trait;

/// Events: one store area of [`super::Store`].
#[async_trait]
pub trait EventStore: Send + Sync {
    /// Ingest a batch in one transaction, in order: each event is checked for a duplicate
    /// `event_id`, its identity resolved against the contacts written before it (creating or
    /// merging contacts through `plan_upsert`), unsubscribe events turn their channel off, and
    /// the order attributes of every contact that gained orders are recomputed. One outcome per
    /// event, in the order given. The events are taken, not borrowed: a backend may move their
    /// text into its statements instead of copying it.
    async fn ingest_events(
        &self,
        events: Vec<IncomingEvent>,
        context: &WriteContext,
    ) -> Result<Vec<IngestOutcome>>;
    /// A page of a contact's events, newest first by `(occurred_at, event_id)`.
    async fn timeline(&self, contact_id: ContactId, query: &TimelineQuery) -> Result<TimelinePage>;
    /// How many of a contact's events pass `filter`.
    async fn count_events(&self, contact_id: ContactId, filter: &EventFilter) -> Result<u64>;
    /// The instants of a contact's events in `[from, to)`, for the calendar.
    async fn event_times(
        &self,
        contact_id: ContactId,
        from: jiff::Timestamp,
        to: jiff::Timestamp,
    ) -> Result<Vec<jiff::Timestamp>>;
    /// A contact's `order` and `order_detail` events, oldest first.
    async fn order_events(&self, contact_id: ContactId) -> Result<Vec<Event>>;
    /// The contact an anonymous id belongs to.
    async fn find_anonymous(&self, anonymous_id: &AnonymousId) -> Result<Option<Contact>>;
    /// What a merge recorded about itself (its id is its `user_merged` event's id).
    async fn merge_record(&self, merge_id: &str) -> Result<Option<MergeRecord>>;
    /// Undo a merge in one transaction: both contacts come back with their own values, consent,
    /// labels and events, and `user_unmerged` events record it. Refused (`merge_not_undoable`,
    /// naming what blocks it) when either side changed since.
    async fn undo_merge(&self, merge_id: &str, context: &WriteContext) -> Result<UnmergeOutcome>;
}
