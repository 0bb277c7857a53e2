//! The rejected-rows file: every rejected row with its row number, column, value and reason,
//! followed by its original cells, as CSV (UTF-8 with a BOM so Excel shows Chinese right).

use panorama_core::spreadsheet::neutralise;
use panorama_core::store::JobRejection;
use panorama_core::{Error, Result};
use std::io::Write;

/// Writes rejected rows as CSV to any writer.
pub struct RejectedWriter<W: Write> {
    csv: csv::Writer<W>,
}

impl<W: Write> RejectedWriter<W> {
    /// Start the file: BOM and header (`row, column, value, code, reason`, then the file's headers).
    pub fn new(mut out: W, headers: &[String]) -> Result<Self> {
        out.write_all("\u{feff}".as_bytes())
            .map_err(Error::internal)?;
        let mut csv = csv::WriterBuilder::new().flexible(true).from_writer(out);
        let mut header = vec![
            "row".to_owned(),
            "column".into(),
            "value".into(),
            "code".into(),
            "reason".into(),
        ];
        header.extend(headers.iter().cloned());
        csv.write_record(&header).map_err(Error::internal)?;
        Ok(Self { csv })
    }

    /// Append one rejected row. Cells a spreadsheet would run as a formula are neutralised.
    pub fn write(&mut self, rejection: &JobRejection) -> Result<()> {
        let mut record = vec![
            rejection.row.to_string(),
            rejection.column.clone(),
            rejection.value.clone(),
            rejection.code.clone(),
            rejection.reason.clone(),
        ];
        record.extend(rejection.cells.iter().cloned());
        let record: Vec<String> = record.into_iter().map(neutralise).collect();
        self.csv.write_record(&record).map_err(Error::internal)
    }

    /// Flush and hand back the writer.
    pub fn finish(self) -> Result<W> {
        self.csv
            .into_inner()
            .map_err(|e| Error::internal(e.to_string()))
    }
}
