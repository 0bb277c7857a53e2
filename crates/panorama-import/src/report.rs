//! What an import counted, what a preview shows, and how progress is reported while it runs.

use crate::convert::RejectedRow;
use serde_json::{Map, Value as Json};

/// The counts of one import (kept in core: they are also the import job's counts).
pub use panorama_core::store::ImportCounts;

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
