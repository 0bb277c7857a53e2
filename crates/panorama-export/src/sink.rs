//! The two file formats behind one row interface: what the export's writer thread drives.

use crate::cell::Cell;
use crate::csv_sink::CsvSink;
use crate::options::ExportFormat;
use crate::run::ExportPlan;
use crate::xlsx_sink::XlsxSink;
use panorama_core::Result;
use std::io::Write;

/// A CSV or XLSX file being written. One exists per export, so the variants' sizes do not matter.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Sink<W: Write> {
    Csv(CsvSink<W>),
    Xlsx(XlsxSink, W),
}

impl<W: Write + Send> Sink<W> {
    /// Start the file with its header row.
    pub(crate) fn new(plan: &ExportPlan, out: W) -> Result<Self> {
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

    /// Append one row.
    pub(crate) fn write_row<'a>(&mut self, cells: impl Iterator<Item = Cell<'a>>) -> Result<()> {
        match self {
            Self::Csv(csv) => csv.write_cells(cells),
            Self::Xlsx(xlsx, _) => xlsx.write_row(cells),
        }
    }

    /// Hand on what a batch produced (CSV); XLSX keeps writing its sheet.
    pub(crate) fn end_batch(&mut self) -> Result<()> {
        match self {
            Self::Csv(csv) => csv.flush_batch(),
            Self::Xlsx(..) => Ok(()),
        }
    }

    /// Finish the file: the writer, GBK's unmappable count and the XLSX sheet count.
    pub(crate) fn finish(self) -> Result<(W, u64, usize)> {
        match self {
            Self::Csv(csv) => csv.finish().map(|(out, unmappable)| (out, unmappable, 0)),
            Self::Xlsx(xlsx, out) => xlsx.finish(out).map(|(out, sheets)| (out, 0, sheets)),
        }
    }
}
