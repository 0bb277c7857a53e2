//! The bulk-action job's kind: its options ([`BulkOptions`]: the label and the selection, ids or
//! a list filter) and its counts ([`BulkCounts`]).
//!
//! The list filter is the application's own type (the server's `ContactFilter`, with its query
//! parameters and their documentation), so the kind is generic over it: core keeps it as the
//! server wrote it.

use super::JobKind;
use crate::contact::SearchMode;
use crate::label::LabelId;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt::Debug;
use std::marker::PhantomData;

/// Bulk actions on many contacts ([`JobKind`]), selected by ids or by a list filter of type `F`.
#[derive(Debug, Clone, Copy)]
pub struct BulkKind<F>(PhantomData<fn() -> F>);

impl<F> JobKind for BulkKind<F>
where
    F: Serialize + DeserializeOwned + Debug + Clone + Default + Send + Sync + 'static,
{
    const KIND: &'static str = "bulk";
    type Options = BulkOptions<F>;
    type Counts = BulkCounts;
}

/// A bulk job's options as recorded: the label, and exactly one of the ids or the filter.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct BulkOptions<F> {
    /// The label added or removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_id: Option<LabelId>,
    /// The selected contact ids, without repeats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ids: Option<Vec<String>>,
    /// The list filter whose contacts were selected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<F>,
    /// Whether the filter was a masked principal's: a resumed job resolves it again the same
    /// way ([`SearchMode::WholeMasked`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub masked_search: bool,
}

impl<F> BulkOptions<F> {
    /// How the recorded filter matches when resolved again.
    pub fn search_mode(&self) -> SearchMode {
        if self.masked_search {
            SearchMode::WholeMasked
        } else {
            SearchMode::Substring
        }
    }
}

/// The counts of a bulk job.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct BulkCounts {
    /// Contacts selected when the job was created.
    pub selected: u64,
    /// Contacts changed: deleted, labelled or unlabelled.
    pub done: u64,
    /// Contacts left as they were: already gone, already labelled, or not labelled.
    pub skipped: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Job, JobState};
    use serde_json::json;

    type Bulk = BulkKind<serde_json::Value>;

    #[test]
    fn a_bulk_job_keeps_its_selection_and_counts() {
        let options = BulkOptions {
            label_id: Some(LabelId(4)),
            filter: Some(json!({"q": "ana"})),
            masked_search: true,
            ..BulkOptions::default()
        };
        let mut job = Job::<Bulk>::new("add_label", options, "ana", JobState::Queued);
        job.counts = Some(BulkCounts {
            selected: 3,
            ..BulkCounts::default()
        });
        let record = job.to_record().expect("a record");
        assert_eq!(
            record.options,
            json!({"label_id": 4, "filter": {"q": "ana"}, "masked_search": true})
        );
        assert_eq!(
            record.counts,
            json!({"selected": 3, "done": 0, "skipped": 0})
        );
        let read: Job<Bulk> = record.typed().expect("typed");
        assert_eq!(read.options.search_mode(), SearchMode::WholeMasked);
        assert_eq!(read.counts.map(|c| c.selected), Some(3));
    }
}
