//! Running an export: list the ids the filter selects, read their contacts in batches by id, and
//! write the rows on a blocking thread while the next batch is read, so reading and formatting use
//! both cores. Memory holds the ids (16 bytes each) and [`BATCHES_AHEAD`] batches, whatever the
//! number of rows.

use crate::cells::ExportColumns;
use crate::csv_sink::CsvSink;
use crate::options::{ExportEncoding, ExportFormat};
use crate::xlsx_sink::{XLSX_SHEET_ROWS_MAX, XlsxSink};
use panorama_core::contact::{Contact, ContactId};
use panorama_core::store::ContactListQuery;
use panorama_core::{Error, Result, Store};
use std::io::Write;
use std::sync::Arc;

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

/// An export whose contacts are chosen: listing happens before anything is written, so a bad
/// filter is still an error the caller can answer properly.
pub struct PreparedExport {
    store: Arc<dyn Store>,
    plan: ExportPlan,
    ids: Vec<ContactId>,
}

impl PreparedExport {
    /// List every contact `plan` selects, in its order.
    pub async fn prepare(store: Arc<dyn Store>, plan: ExportPlan) -> Result<Self> {
        let mut query = plan.query.clone();
        query.offset = 0;
        query.limit = u64::MAX;
        let ids = store.list_contact_ids(query).await?.ids;
        Ok(Self { store, plan, ids })
    }

    /// How many rows the export will hold.
    pub fn rows(&self) -> u64 {
        self.ids.len() as u64
    }

    /// Write the file into `out` and hand it back. A contact deleted since listing is skipped.
    pub async fn write_to<W: Write + Send + 'static>(self, out: W) -> Result<(ExportSummary, W)> {
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<Vec<Contact>>(BATCHES_AHEAD);
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
        for chunk in self.ids.chunks(EXPORT_BATCH_CONTACTS) {
            let contacts = self.store.get_contacts(chunk).await?;
            if sender.send(contacts).await.is_err() {
                // The writer stopped (its error is read below).
                break;
            }
        }
        drop(sender);
        writer
            .await
            .map_err(|e| Error::internal(format!("the export writer stopped: {e}")))?
    }
}

/// The two file formats behind one row interface.
enum Sink<W: Write> {
    Csv(CsvSink<W>),
    Xlsx(XlsxSink, W),
}

impl<W: Write + Send> Sink<W> {
    fn new(plan: &ExportPlan, out: W) -> Result<Self> {
        let headers = plan.columns.headers();
        Ok(match plan.format {
            ExportFormat::Csv => {
                let mut csv = CsvSink::new(out, plan.encoding)?;
                csv.write_row(&headers)?;
                Self::Csv(csv)
            }
            ExportFormat::Xlsx => Self::Xlsx(XlsxSink::new(headers, plan.sheet_rows_max)?, out),
        })
    }

    fn write_row<'a>(
        &mut self,
        cells: impl Iterator<Item = std::borrow::Cow<'a, str>>,
    ) -> Result<()> {
        match self {
            Self::Csv(csv) => csv.write_row(cells),
            Self::Xlsx(xlsx, _) => xlsx.write_row(cells),
        }
    }

    fn end_batch(&mut self) -> Result<()> {
        match self {
            Self::Csv(csv) => csv.flush_batch(),
            Self::Xlsx(..) => Ok(()),
        }
    }

    fn finish(self) -> Result<(W, u64, usize)> {
        match self {
            Self::Csv(csv) => csv.finish().map(|(out, unmappable)| (out, unmappable, 0)),
            Self::Xlsx(xlsx, out) => xlsx.finish(out).map(|(out, sheets)| (out, 0, sheets)),
        }
    }
}
