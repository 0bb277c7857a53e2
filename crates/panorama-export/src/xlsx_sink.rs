//! XLSX rows in rust_xlsxwriter's constant-memory mode: each row goes to a temporary file as it
//! is written, and the workbook is zipped into the writer at the end. A sheet holds at most
//! [`XLSX_SHEET_ROWS_MAX`] rows, header included; the export continues on `Contacts 2`, `Contacts
//! 3`... each with its own header, so every sheet re-imports alone. Cells keep their type: text
//! is a string cell (never read as a number, so a mobile stays whole), numbers are number cells
//! showing their scale, dates and times date cells with `yyyy-mm-dd` or `yyyy-mm-dd hh:mm:ss`.

use crate::cell::Cell;
use panorama_core::{Error, Result};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use std::io::Write;

/// The number format of date cells.
pub const XLSX_DATE_FORMAT: &str = "yyyy-mm-dd";
/// The number format of date-and-time cells.
pub const XLSX_DATETIME_FORMAT: &str = "yyyy-mm-dd hh:mm:ss";
/// Most decimal places a number format shows; a decimal with more is shown with this many.
const DECIMALS_SHOWN_MAX: u8 = 10;

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
    formats: Formats,
}

/// The cell formats every sheet shares.
struct Formats {
    date: Format,
    datetime: Format,
    /// `0`, `0.0`, `0.00`... by decimal places.
    numbers: Vec<Format>,
}

impl Formats {
    fn new() -> Self {
        Self {
            date: Format::new().set_num_format(XLSX_DATE_FORMAT),
            datetime: Format::new().set_num_format(XLSX_DATETIME_FORMAT),
            numbers: (0..=DECIMALS_SHOWN_MAX)
                .map(|places| {
                    let fraction = "0".repeat(usize::from(places));
                    let pattern = if places == 0 {
                        "0".to_owned()
                    } else {
                        format!("0.{fraction}")
                    };
                    Format::new().set_num_format(pattern)
                })
                .collect(),
        }
    }

    fn number(&self, decimals: u8) -> &Format {
        let index = usize::from(decimals.min(DECIMALS_SHOWN_MAX));
        &self.numbers[index]
    }
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
            formats: Formats::new(),
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
    pub(crate) fn write_row<'a>(
        &mut self,
        cells: impl IntoIterator<Item = Cell<'a>>,
    ) -> Result<()> {
        if self.row >= self.sheet_rows_max {
            self.next_sheet()?;
        }
        let sheet = self
            .workbook
            .worksheet_from_index(self.sheets - 1)
            .map_err(failed)?;
        for (column, cell) in cells.into_iter().enumerate() {
            let column = u16::try_from(column)
                .map_err(|_| Error::internal("an export has more columns than a sheet holds"))?;
            write_cell(sheet, &self.formats, self.row, column, &cell)?;
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

/// Write one cell with its type; a date Excel cannot hold (before 1900) is written as text.
fn write_cell(
    sheet: &mut Worksheet,
    formats: &Formats,
    row: u32,
    column: u16,
    cell: &Cell<'_>,
) -> Result<()> {
    match cell {
        Cell::Empty => return Ok(()),
        Cell::Text(text) if text.is_empty() => return Ok(()),
        Cell::Text(text) => sheet.write_string(row, column, text.as_ref()),
        Cell::Number {
            value, decimals, ..
        } => sheet.write_number_with_format(row, column, *value, formats.number(*decimals)),
        Cell::Date(date) => match excel_date(*date) {
            Some(at) => sheet.write_datetime_with_format(row, column, at, &formats.date),
            None => sheet.write_string(row, column, cell.text()),
        },
        Cell::DateTime(at) => match excel_date(at.date()).and_then(|day| {
            day.and_hms(
                u16::try_from(at.hour()).ok()?,
                u8::try_from(at.minute()).ok()?,
                f64::from(at.second()),
            )
            .ok()
        }) {
            Some(at) => sheet.write_datetime_with_format(row, column, at, &formats.datetime),
            None => sheet.write_string(row, column, cell.text()),
        },
    }
    .map_err(failed)?;
    Ok(())
}

/// `date` as Excel holds it, when Excel can (years 1900 to 9999).
fn excel_date(date: jiff::civil::Date) -> Option<ExcelDateTime> {
    let year = u16::try_from(date.year()).ok()?;
    let month = u8::try_from(date.month()).ok()?;
    let day = u8::try_from(date.day()).ok()?;
    ExcelDateTime::from_ymd(year, month, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Reader, Xlsx};

    #[test]
    fn rows_continue_on_new_sheets_each_with_the_header() {
        let mut sink = XlsxSink::new(vec!["Name".into(), "City".into()], 3).expect("start");
        for n in 0..5 {
            sink.write_row([Cell::Text(format!("n{n}").into()), Cell::Empty])
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

    #[test]
    fn cells_keep_their_types() {
        let mut sink = XlsxSink::new(vec!["a".into()], 10).expect("start");
        let at: jiff::civil::DateTime = "2026-05-01T09:30:05".parse().expect("time");
        sink.write_row([
            Cell::Text("+86138****5678".into()),
            Cell::Text("13812345678".into()),
            Cell::decimal("128.50"),
            Cell::Date("1990-05-01".parse().expect("date")),
            Cell::DateTime(at),
            Cell::Date("1850-01-01".parse().expect("date")),
        ])
        .expect("row");
        let (bytes, _) = sink.finish(Vec::new()).expect("finish");
        let mut workbook = Xlsx::new(std::io::Cursor::new(bytes)).expect("readable");
        let range = workbook.worksheet_range(XLSX_SHEET_NAME).expect("sheet");
        let row: Vec<&calamine::Data> = range.rows().nth(1).expect("row").iter().collect();
        assert_eq!(row[0], &calamine::Data::String("+86138****5678".into()));
        assert_eq!(row[1], &calamine::Data::String("13812345678".into()));
        assert_eq!(row[2], &calamine::Data::Float(128.5));
        match (row[3], row[4]) {
            (calamine::Data::DateTime(day), calamine::Data::DateTime(time)) => {
                assert_eq!(day.to_ymd_hms_milli(), (1990, 5, 1, 0, 0, 0, 0));
                assert_eq!(time.to_ymd_hms_milli(), (2026, 5, 1, 9, 30, 5, 0));
            }
            other => panic!("dates are date cells: {other:?}"),
        }
        assert_eq!(row[5], &calamine::Data::String("1850-01-01".into()));
    }
}
