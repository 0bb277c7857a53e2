//! The import job's kind: its options ([`ImportRequest`], the operator's choices as text, checked
//! by `panorama-import` into its `ImportOptions`) and its counts ([`ImportCounts`]).

use super::{Job, JobKind};
use crate::contact::UpsertAction;

/// Imports of a file ([`JobKind`]).
#[derive(Debug, Clone, Copy)]
pub struct ImportKind;

impl JobKind for ImportKind {
    const KIND: &'static str = "import";
    type Options = ImportRequest;
    type Counts = ImportCounts;
}

/// An import job.
pub type ImportJob = Job<ImportKind>;

/// The options of an import as text, the way a form, a query or a job record holds them.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ImportRequest {
    /// `upsert` (default), `delete`, `unsubscribe-email`, `unsubscribe-mobile`, `unsubscribe-global`.
    pub purpose: Option<String>,
    /// Text encoding of a CSV file; detected when absent.
    pub encoding: Option<String>,
    /// `COLUMN=attribute` choices.
    pub map: Vec<String>,
    /// Drop unknown columns.
    pub drop_unknown: bool,
    /// `keep` (default), `clear` or `default`.
    pub empty: Option<String>,
    /// ISO country for mobiles without a country code (default CN).
    pub default_country: Option<String>,
    /// Skip `user_created` and `attribute_change` events.
    pub fast: bool,
    /// Labels for every imported contact.
    pub labels: Vec<String>,
}

/// The counts of one import, under the names the CLI's `--json` and the API use. A count missing
/// from a stored record (one written before it existed) reads as 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ImportCounts {
    /// Data rows in the file.
    pub total: u64,
    /// Rows rejected: empty, misaligned, no key value, or a value that breaks its attribute's rules.
    pub invalid: u64,
    /// Rejected rows counted in `invalid` but not listed (kept in the job, the rejected-rows file
    /// or the report): those past `import_rejections_kept_max`, and empty rows after an empty row.
    pub unlisted: u64,
    /// Valid rows sharing a key value with an earlier row of the file (applied in file order).
    pub duplicate: u64,
    /// Upsert rows that made a new contact.
    pub created: u64,
    /// Upsert rows that changed a contact.
    pub updated: u64,
    /// Upsert rows that changed nothing.
    pub unchanged: u64,
    /// Upsert rows that merged several contacts.
    pub merged: u64,
    /// Delete rows that deleted a contact.
    pub deleted: u64,
    /// Delete or unsubscribe rows whose keys found no contact.
    pub not_found: u64,
    /// Unsubscribe rows that turned a channel off (or found it off already).
    pub unsubscribed: u64,
    /// Upsert rows whose `*_subscribed: yes` was not applied because the channel is off.
    pub consent_kept: u64,
}

impl ImportCounts {
    /// Count one upsert outcome.
    pub fn add_action(&mut self, action: UpsertAction) {
        match action {
            UpsertAction::Created => self.created += 1,
            UpsertAction::Updated => self.updated += 1,
            UpsertAction::Unchanged => self.unchanged += 1,
            UpsertAction::Merged => self.merged += 1,
        }
    }

    /// Rows that will be (or were) applied: neither invalid nor duplicate.
    pub fn expected(&self) -> u64 {
        self.total
            .saturating_sub(self.invalid)
            .saturating_sub(self.duplicate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{JobRecord, JobState};
    use serde_json::json;

    fn stored(job: &ImportJob) -> JobRecord {
        job.to_record().expect("a record")
    }

    #[test]
    fn an_import_job_reads_back_from_its_record_with_counts_only_once_recorded() {
        let request = ImportRequest {
            purpose: Some("delete".into()),
            labels: vec!["vip".into()],
            ..ImportRequest::default()
        };
        let mut job = ImportJob::new("delete", request.clone(), "ana", JobState::Queued);
        let record = stored(&job);
        assert_eq!(
            (record.kind.as_str(), &record.counts),
            ("import", &json!({}))
        );
        let read: ImportJob = record.typed().expect("typed");
        assert_eq!((read.options, read.counts), (request, None));

        job.counts = Some(ImportCounts {
            total: 3,
            invalid: 1,
            created: 2,
            ..ImportCounts::default()
        });
        let record = stored(&job);
        assert_eq!(record.counts["created"], 2);
        let read: ImportJob = record.typed().expect("typed");
        assert_eq!(read.counts.map(|c| c.expected()), Some(2));
    }

    #[test]
    fn a_record_of_another_kind_or_shape_is_refused() {
        let mut record = stored(&ImportJob::new(
            "upsert",
            ImportRequest::default(),
            "ana",
            JobState::Queued,
        ));
        record.counts = json!({"created": "many"});
        assert!(record.clone().typed::<ImportKind>().is_err());
        record.kind = "bulk".into();
        record.counts = json!({});
        assert!(record.typed::<ImportKind>().is_err());
    }
}
