//! Panorama's contact export: the chosen columns of every contact a list filter selects, in list
//! order, as CSV (UTF-8, UTF-8 with a byte-order mark, or GBK) or XLSX, with memory that does not
//! grow with the rows.
//!
//! One crate so that `GET /api/v1/contacts/export` and `panorama export` write the same bytes:
//! both build an [`ExportPlan`], [`PreparedExport::prepare`] lists the contacts, and
//! [`PreparedExport::write_to`] writes them into any `Write` (a file, stdout, or the
//! [`ChannelWriter`] an HTTP body streams from). Cells that a spreadsheet would run as a formula
//! are neutralised by `panorama_core::spreadsheet`, the rule the import's rejected rows share.

mod cell;
mod cells;
mod csv_sink;
mod options;
mod run;
mod sink;
mod stream;
mod xlsx_sink;

pub use cell::Cell;
pub use cells::ExportColumns;
pub use options::{ExportEncoding, ExportFormat, parse_language, parse_time_zone};
pub use run::{BATCHES_AHEAD, EXPORT_BATCH_CONTACTS, ExportPlan, ExportSummary, PreparedExport};
pub use stream::{ChannelWriter, Chunk, STREAM_CHUNK_BYTES, STREAM_CHUNKS_AHEAD, channel_writer};
pub use xlsx_sink::{XLSX_DATE_FORMAT, XLSX_DATETIME_FORMAT, XLSX_SHEET_NAME, XLSX_SHEET_ROWS_MAX};

/// A file name for an export made at `at`: `contacts-20260501-093000.csv`.
pub fn file_name(format: ExportFormat, at: jiff::Timestamp) -> String {
    format!(
        "contacts-{}.{}",
        at.strftime("%Y%m%d-%H%M%S"),
        format.extension()
    )
}
