//! Running an export: list the ids the filter selects, read their contacts in batches by id, and
//! write the rows on a blocking thread while the next batch is read, so reading and formatting use
//! both cores. Memory holds the ids (16 bytes each) and [`BATCHES_AHEAD`] batches, whatever the
//! number of rows.

use crate::cells::ExportColumns;
use crate::options::{ExportEncoding, ExportFormat};
use crate::sink::Sink;
use crate::xlsx_sink::XLSX_SHEET_ROWS_MAX;
use panorama_core::contact::{Category, ContactId, Sort};
use panorama_core::store::ContactListQuery;
use panorama_core::store::ContactValues;
use panorama_core::{Error, Result, Store, codes};
use std::io::Write;
use std::sync::Arc;
use tokio::sync::mpsc::Sender;

/// Contacts read from the store per call.
pub const EXPORT_BATCH_CONTACTS: usize = 1_000;
/// Batches read ahead of the writer: enough to keep both busy, few enough to keep memory flat.
pub const BATCHES_AHEAD: usize = 2;

/// What to export and how.
#[derive(Debug, Clone)]
pub struct ExportPlan {
    /// Which contacts, in which order (its offset and limit are ignored: every one is exported).
    pub query: ContactListQuery,
    /// The columns and their headers.
    pub columns: ExportColumns,
    /// CSV or XLSX.
    pub format: ExportFormat,
    /// The text encoding of CSV.
    pub encoding: ExportEncoding,
    /// Rows per XLSX sheet, header included: [`XLSX_SHEET_ROWS_MAX`] except in tests.
    pub sheet_rows_max: u32,
    /// Most rows the export may hold; [`PreparedExport::prepare`] refuses a larger selection
    /// before anything is written. `u64::MAX` (the default) is no limit and costs no count.
    pub rows_max: u64,
}

impl ExportPlan {
    /// A plan with Excel's own sheet size.
    pub fn new(
        query: ContactListQuery,
        columns: ExportColumns,
        format: ExportFormat,
        encoding: ExportEncoding,
    ) -> Self {
        Self {
            query,
            columns,
            format,
            encoding,
            sheet_rows_max: XLSX_SHEET_ROWS_MAX,
            rows_max: u64::MAX,
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExportSummary {
    /// Contact rows written (headers not counted).
    pub rows: u64,
    /// Characters GBK could not hold, written as `?`.
    pub unmappable: u64,
    /// XLSX sheets written (0 for CSV).
    pub sheets: usize,
}

/// Where the rows come from.
enum Rows {
    /// A search, another sort or a label: every id listed first, then read in batches by id.
    Listed(Vec<ContactId>),
    /// A whole category newest first: read in keyset batches, with nothing listed or indexed.
    Category(Category),
}

/// An export whose contacts are chosen: listing happens before anything is written, so a bad
/// filter is still an error the caller can answer properly.
pub struct PreparedExport {
    store: Arc<dyn Store>,
    plan: ExportPlan,
    rows: Rows,
}

impl PreparedExport {
    /// List every contact `plan` selects, in its order; a whole category in the default order
    /// needs no list. A selection of more than `plan.rows_max` rows is refused
    /// (`limit_exceeded`, field `rows`, the count as its value).
    pub async fn prepare(store: Arc<dyn Store>, plan: ExportPlan) -> Result<Self> {
        let mut query = plan.query.clone();
        let rows =
            if query.search.is_none() && query.label.is_none() && query.sort == Sort::default() {
                if plan.rows_max < u64::MAX {
                    // The list's index counts a category without reading it; with no limit the
                    // count (and building the index for it) is skipped.
                    let count = store
                        .list_contact_ids(ContactListQuery::category(query.category, 1))
                        .await?
                        .total;
                    check_rows(count, plan.rows_max)?;
                }
                Rows::Category(query.category)
            } else {
                query.offset = 0;
                query.limit = u64::MAX;
                let ids = store.list_contact_ids(query).await?.ids;
                check_rows(ids.len() as u64, plan.rows_max)?;
                Rows::Listed(ids)
            };
        Ok(Self { store, plan, rows })
    }

    /// How many rows the export will hold, when they were listed.
    pub fn rows(&self) -> Option<u64> {
        match &self.rows {
            Rows::Listed(ids) => Some(ids.len() as u64),
            Rows::Category(_) => None,
        }
    }

    /// Write the file into `out` and hand it back. A contact deleted since listing is skipped.
    pub async fn write_to<W: Write + Send + 'static>(self, out: W) -> Result<(ExportSummary, W)> {
        let (sender, mut receiver) =
            tokio::sync::mpsc::channel::<Vec<ContactValues>>(BATCHES_AHEAD);
        let columns = self.plan.columns.clone();
        let plan = self.plan;
        let writer = tokio::task::spawn_blocking(move || {
            let mut sink = Sink::new(&plan, out)?;
            let mut rows = 0;
            while let Some(batch) = receiver.blocking_recv() {
                for contact in &batch {
                    sink.write_row(plan.columns.cells(contact))?;
                }
                rows += batch.len() as u64;
                sink.end_batch()?;
            }
            let (out, unmappable, sheets) = sink.finish()?;
            Ok::<_, Error>((
                ExportSummary {
                    rows,
                    unmappable,
                    sheets,
                },
                out,
            ))
        });
        let read = read(self.store.as_ref(), &columns, self.rows, &sender).await;
        drop(sender);
        let written = writer
            .await
            .map_err(|e| Error::internal(format!("the export writer stopped: {e}")))?;
        read.and(written)
    }
}

/// Refuse an export of `rows` rows when that is more than `rows_max`. A whole category read by
/// keyset may still gain the contacts written after the count; the limit bounds the selection, not
/// the file to the row.
fn check_rows(rows: u64, rows_max: u64) -> Result<()> {
    if rows <= rows_max {
        return Ok(());
    }
    Err(Error::invalid(
        codes::LIMIT_EXCEEDED,
        format!(
            "this export selects {rows} contacts, more than its limit of {rows_max} rows; narrow \
             the filter, or raise the limit (the server's `export_rows_max`, \
             `panorama export --rows-max`)"
        ),
        "rows",
        rows,
    ))
}

/// Send every batch of `rows` to the writer; stops early when the writer has stopped (its error
/// is the one reported).
async fn read(
    store: &dyn Store,
    columns: &ExportColumns,
    rows: Rows,
    sender: &Sender<Vec<ContactValues>>,
) -> Result<()> {
    match rows {
        Rows::Listed(ids) => {
            for chunk in ids.chunks(EXPORT_BATCH_CONTACTS) {
                let contacts = store.get_contacts(chunk).await?;
                let values = contacts.iter().map(|c| columns.values_of(c)).collect();
                if sender.send(values).await.is_err() {
                    break;
                }
            }
        }
        Rows::Category(category) => {
            let mut after = None;
            loop {
                let batch = store
                    .contact_values_newest_first(
                        category,
                        columns.attributes(),
                        after,
                        EXPORT_BATCH_CONTACTS as u64,
                    )
                    .await?;
                after = batch.last().map(|c| (c.created_at, c.contact_id));
                let last = batch.len() < EXPORT_BATCH_CONTACTS;
                if sender.send(batch).await.is_err() || last {
                    break;
                }
            }
        }
    }
    Ok(())
}
