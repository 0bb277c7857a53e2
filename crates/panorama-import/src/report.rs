//! What an import counted, what a preview shows, and how progress is reported while it runs.

use crate::convert::RejectedRow;
use panorama_core::contact::UpsertAction;
use serde_json::{Map, Value as Json};

/// The counts of one import, under the names the CLI's `--json` and the API use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImportCounts {
    /// Data rows in the file.
    pub total: u64,
    /// Rows rejected: empty, misaligned, no key value, or a value that breaks its attribute's rules.
    pub invalid: u64,
    /// Rejected rows counted in `invalid` but not listed (kept in the job, the rejected-rows file
    /// or the report): those past `import_rejections_kept_max`, and empty rows after an empty row.
    #[serde(default)]
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
        self.total - self.invalid - self.duplicate
    }
}

/// How far a running import is.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Progress {
    /// Data rows read and handled so far.
    pub rows_done: u64,
    /// Data rows in the file, when known before the end (CSV files are counted first).
    pub rows_total: Option<u64>,
    /// Counts so far.
    pub counts: ImportCounts,
}

/// What a running import tells whoever started it. Called from the writing task, in order.
pub trait ImportObserver: Send {
    /// A row was rejected; every one is reported, so a rejected-rows file can be complete.
    fn rejected(&mut self, row: &RejectedRow);
    /// A batch was committed.
    fn progress(&mut self, progress: &Progress);
}

/// An observer that keeps nothing.
pub struct Quiet;

impl ImportObserver for Quiet {
    fn rejected(&mut self, _row: &RejectedRow) {}
    fn progress(&mut self, _progress: &Progress) {}
}

/// The result of a finished import (or a dry run).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ImportReport {
    /// What happened to the rows.
    pub counts: ImportCounts,
    /// The first rejected rows, with their reasons.
    pub errors: Vec<RejectedRow>,
    /// Sheets of a workbook that were not read (only the first is).
    pub sheets_ignored: Vec<String>,
    /// Columns dropped by the mapping.
    pub dropped_columns: Vec<String>,
    /// Whether anything was written.
    pub dry_run: bool,
}

/// What the operator sees before anything is written.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Preview {
    /// The file's headers, and what each column becomes.
    pub columns: Vec<PreviewColumn>,
    /// The first rows as they will be stored (attribute name → value; `null` clears).
    pub rows: Vec<Map<String, Json>>,
    /// The counts a run would start from: total, invalid, duplicate (and `expected()`).
    pub counts: ImportCounts,
    /// Rows that will be applied.
    pub expected: u64,
    /// The first rejected rows, with their reasons.
    pub errors: Vec<RejectedRow>,
    /// Sheets of a workbook that will not be read.
    pub sheets_ignored: Vec<String>,
    /// Detected or chosen encoding of a text file.
    pub encoding: Option<String>,
    /// Headers that match no attribute and must be mapped or ignored before the import starts
    /// (empty when unknown columns are dropped).
    pub unmapped: Vec<String>,
}

/// One column of a preview.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PreviewColumn {
    /// The header as in the file.
    pub header: String,
    /// The attribute it fills, the subscription column (`email_subscribed`), or `-` when dropped.
    pub target: String,
    /// The attribute (or subscription column) it fills; `null` when the header matched nothing,
    /// `-` when the operator chose to ignore it.
    pub attribute: Option<String>,
    /// Attributes the header may mean, best first: set for headers that matched nothing.
    pub suggestions: Vec<String>,
}
