//! XLSX rows in rust_xlsxwriter's constant-memory mode: each row goes to a temporary file as it
//! is written, and the workbook is zipped into the writer at the end. A sheet holds at most
//! [`XLSX_SHEET_ROWS_MAX`] rows, header included; the export continues on `Contacts 2`, `Contacts
//! 3`... each with its own header, so every sheet re-imports alone.

use panorama_core::{Error, Result};
use rust_xlsxwriter::{Workbook, XlsxError};
use std::io::Write;

/// Most rows an Excel sheet holds, header included (Excel's own limit).
pub const XLSX_SHEET_ROWS_MAX: u32 = 1_048_576;
/// The name of the first sheet; later ones get ` 2`, ` 3`...
pub const XLSX_SHEET_NAME: &str = "Contacts";

fn failed(error: XlsxError) -> Error {
    Error::internal(format!("writing the XLSX export: {error}"))
}

/// Writes rows into a workbook, sheet after sheet.
pub(crate) struct XlsxSink {
    workbook: Workbook,
    headers: Vec<String>,
    sheet_rows_max: u32,
    sheets: usize,
    /// The next row to write on the current sheet.
    row: u32,
}

impl XlsxSink {
    /// A workbook whose sheets hold at most `sheet_rows_max` rows (at least 2: header and one
    /// row; at most [`XLSX_SHEET_ROWS_MAX`]), each starting with `headers`.
    pub(crate) fn new(headers: Vec<String>, sheet_rows_max: u32) -> Result<Self> {
        let mut sink = Self {
            workbook: Workbook::new(),
            headers,
            sheet_rows_max: sheet_rows_max.clamp(2, XLSX_SHEET_ROWS_MAX),
            sheets: 0,
            row: 0,
        };
        sink.next_sheet()?;
        Ok(sink)
    }

    fn next_sheet(&mut self) -> Result<()> {
        let name = match self.sheets {
            0 => XLSX_SHEET_NAME.to_owned(),
            n => format!("{XLSX_SHEET_NAME} {}", n + 1),
        };
        let sheet = self
            .workbook
            .add_worksheet_with_constant_memory()
            .map_err(failed)?;
        sheet.set_name(name).map_err(failed)?;
        sheet.write_row(0, 0, &self.headers).map_err(failed)?;
        self.sheets += 1;
        self.row = 1;
        Ok(())
    }

    /// Append one row, starting a new sheet when this one is full.
    pub(crate) fn write_row<I, S>(&mut self, cells: I) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        if self.row >= self.sheet_rows_max {
            self.next_sheet()?;
        }
        let sheet = self
            .workbook
            .worksheet_from_index(self.sheets - 1)
            .map_err(failed)?;
        for (column, cell) in cells.into_iter().enumerate() {
            let cell = cell.as_ref();
            if cell.is_empty() {
                continue;
            }
            let column = u16::try_from(column)
                .map_err(|_| Error::internal("an export has more columns than a sheet holds"))?;
            sheet.write_string(self.row, column, cell).map_err(failed)?;
        }
        self.row += 1;
        Ok(())
    }

    /// Zip the workbook into `out` and hand it back, with the number of sheets.
    pub(crate) fn finish<W: Write + Send>(mut self, mut out: W) -> Result<(W, usize)> {
        self.workbook.save_to_writer(&mut out).map_err(failed)?;
        out.flush()
            .map_err(|e| Error::internal(format!("writing the export: {e}")))?;
        Ok((out, self.sheets))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Reader, Xlsx};

    #[test]
    fn rows_continue_on_new_sheets_each_with_the_header() {
        let mut sink = XlsxSink::new(vec!["Name".into(), "City".into()], 3).expect("start");
        for n in 0..5 {
            sink.write_row([format!("n{n}"), String::new()])
                .expect("row");
        }
        let (bytes, sheets) = sink.finish(Vec::new()).expect("finish");
        assert_eq!(sheets, 3);
        let mut workbook = Xlsx::new(std::io::Cursor::new(bytes)).expect("readable");
        assert_eq!(
            workbook.sheet_names(),
            ["Contacts", "Contacts 2", "Contacts 3"]
        );
        let mut seen = Vec::new();
        for name in workbook.sheet_names() {
            let range = workbook.worksheet_range(&name).expect("sheet");
            let rows: Vec<Vec<String>> = range
                .rows()
                .map(|row| row.iter().map(ToString::to_string).collect())
                .collect();
            assert_eq!(rows[0][0], "Name");
            seen.extend(rows.into_iter().skip(1).map(|row| row[0].clone()));
        }
        assert_eq!(seen, ["n0", "n1", "n2", "n3", "n4"]);
    }
}
