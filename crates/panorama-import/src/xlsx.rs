//! Spreadsheet rows via `calamine`: the first sheet of an XLSX streamed cell by cell on a reader
//! thread, or the first sheet of an XLS (at most 65,536 rows, so read whole). Other sheets are
//! named so the report can say they were ignored.

use crate::cell::{data_ref_text, data_text};
use crate::codes::{self, EMPTY_FILE, MALFORMED_FILE, NOT_A_TABLE_FILE, ROW_TOO_LONG, file_error};
use crate::options::{COLUMNS_MAX, ReadOptions};
use crate::row::RawRows;
use calamine::{Data, Range, Reader, Xls, Xlsx};
use panorama_core::{Error, Result};
use std::fs::File;
use std::io::BufReader;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

/// Columns in an Excel sheet (A to XFD); a cell beyond is a damaged file.
const SHEET_COLUMNS_MAX: u32 = 16_384;
/// Rows the XLSX reader thread sends at once.
const SHEET_BATCH_ROWS: usize = 1024;
/// Bytes of cell text the XLSX reader thread sends at once at most, so a batch of wide rows of
/// long cells stays small.
const SHEET_BATCH_BYTES: usize = 4 * 1024 * 1024;
/// Batches waiting between the reader thread and the import: memory stays at about
/// `SHEET_BATCH_ROWS * (SHEET_BATCHES_BUFFERED + 2)` rows whatever the sheet's length.
const SHEET_BATCHES_BUFFERED: usize = 4;

/// The rows of a workbook's first sheet and the names of the sheets left unread.
pub(crate) struct Workbook {
    pub rows: Box<dyn RawRows>,
    pub sheets_ignored: Vec<String>,
}

/// One sheet row: its number as Excel shows it and its cells from the first column, trailing
/// empty cells left out.
struct SheetRow {
    number: u64,
    cells: Vec<String>,
}

enum Message {
    Rows(Vec<SheetRow>),
    Failed(Error),
    Done,
}

fn not_a_workbook(format: &str, error: impl std::fmt::Display) -> Error {
    file_error(
        NOT_A_TABLE_FILE,
        format!(
            "the file looks like an {format} workbook but cannot be opened ({error}); if it is password-protected, save a copy without a password"
        ),
    )
}

fn malformed(error: impl std::fmt::Display) -> Error {
    file_error(
        MALFORMED_FILE,
        format!("the first sheet cannot be read: {error}"),
    )
}

fn split_sheets(names: Vec<String>) -> Result<(String, Vec<String>)> {
    let mut names = names.into_iter();
    let first = names
        .next()
        .ok_or_else(|| file_error(EMPTY_FILE, "the workbook has no sheet"))?;
    Ok((first, names.collect()))
}

/// Open an XLSX workbook (checked for bombs first) and start streaming its first sheet.
pub(crate) fn open_xlsx(mut file: File, options: &ReadOptions) -> Result<Workbook> {
    crate::xlsx_guard::check(&mut file, options)?;
    let row_bytes_max = usize::try_from(options.row_bytes_max).unwrap_or(usize::MAX);
    let workbook: Xlsx<_> =
        guarded(|| Xlsx::new(BufReader::new(file)).map_err(|e| not_a_workbook("XLSX", e)))?;
    let (first, sheets_ignored) = split_sheets(workbook.sheet_names())?;
    let (sender, receiver) = sync_channel(SHEET_BATCHES_BUFFERED);
    std::thread::Builder::new()
        .name("xlsx-reader".to_owned())
        .spawn(move || {
            let last = match guarded(|| send_rows(workbook, &first, &sender, row_bytes_max)) {
                Ok(()) => Message::Done,
                Err(e) => Message::Failed(e),
            };
            // The import may have stopped reading; then nobody waits for this.
            let _ = sender.send(last);
        })
        .map_err(|e| codes::io_error(&e))?;
    let rows = XlsxRows {
        receiver,
        batch: Vec::new().into_iter(),
        finished: false,
    };
    Ok(Workbook {
        rows: Box::new(rows),
        sheets_ignored,
    })
}

/// Read the sheet on the reader thread and send its rows in batches. Returns early, without
/// error, once the receiving side is gone.
fn send_rows(
    mut workbook: Xlsx<BufReader<File>>,
    name: &str,
    sender: &SyncSender<Message>,
    row_bytes_max: usize,
) -> Result<()> {
    let mut cells = workbook.worksheet_cells_reader(name).map_err(malformed)?;
    let mut batch = Vec::with_capacity(SHEET_BATCH_ROWS);
    let (mut batch_bytes, mut row_bytes) = (0, 0);
    let mut row: Option<SheetRow> = None;
    let mut text = String::new();
    while let Some(cell) = cells.next_cell().map_err(malformed)? {
        data_ref_text(cell.get_value(), &mut text);
        if text.is_empty() {
            continue;
        }
        let (row_index, column) = cell.get_position();
        if column >= SHEET_COLUMNS_MAX {
            return Err(malformed(format!(
                "a cell lies beyond column {SHEET_COLUMNS_MAX}"
            )));
        }
        let number = u64::from(row_index) + 1;
        if row.as_ref().is_none_or(|r| r.number != number) {
            batch_bytes += row_bytes;
            row_bytes = 0;
            let cells = Vec::with_capacity(batch.last().map_or(0, |r: &SheetRow| r.cells.len()));
            if let Some(done) = row.replace(SheetRow { number, cells }) {
                batch.push(done);
            }
            if (batch.len() >= SHEET_BATCH_ROWS || batch_bytes >= SHEET_BATCH_BYTES)
                && sender
                    .send(Message::Rows(std::mem::take(&mut batch)))
                    .is_err()
            {
                return Ok(());
            }
            if batch.is_empty() {
                batch_bytes = 0;
            }
        }
        row_bytes += text.len();
        if row_bytes > row_bytes_max {
            return Err(codes::row_error(
                ROW_TOO_LONG,
                number,
                format!("the row holds more than {row_bytes_max} bytes (row_bytes_max)"),
            ));
        }
        if let Some(current) = row.as_mut() {
            // No header is wider than COLUMNS_MAX: a cell far right (`XFD1`) lands just past
            // it, enough to mark the row misaligned without making 16,384 cells.
            let column = (column as usize).min(COLUMNS_MAX);
            if current.cells.len() <= column {
                current.cells.resize(column + 1, String::new());
            }
            if let Some(slot) = current.cells.get_mut(column) {
                std::mem::swap(slot, &mut text);
            }
        }
    }
    batch.extend(row);
    if !batch.is_empty() {
        // A closed channel means nobody reads any more; nothing is lost.
        let _ = sender.send(Message::Rows(batch));
    }
    Ok(())
}

/// The receiving side of the XLSX reader thread.
struct XlsxRows {
    receiver: Receiver<Message>,
    batch: std::vec::IntoIter<SheetRow>,
    finished: bool,
}

impl RawRows for XlsxRows {
    fn next_raw(&mut self, cells: &mut Vec<String>) -> Result<Option<u64>> {
        loop {
            if let Some(row) = self.batch.next() {
                *cells = row.cells;
                return Ok(Some(row.number));
            }
            if self.finished {
                return Ok(None);
            }
            let message = self.receiver.recv().unwrap_or_else(|_| {
                Message::Failed(Error::internal(
                    "the XLSX reader thread stopped unexpectedly",
                ))
            });
            match message {
                Message::Rows(rows) => self.batch = rows.into_iter(),
                Message::Failed(error) => {
                    self.finished = true;
                    return Err(error);
                }
                Message::Done => self.finished = true,
            }
        }
    }
}

/// Run calamine on a damaged file: some damage makes it panic (in debug builds, an overflowing
/// cell reference such as `AAAAAAAAA1`), which is the file's fault, not an internal failure.
fn guarded<T>(read: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read))
        .unwrap_or_else(|_| Err(malformed("the workbook is damaged")))
}

/// Open an XLS workbook and load its first sheet. calamine reads an XLS whole, so one larger than
/// `workbook_part_bytes_max` is refused (65,536 rows of 256 columns fit far below it).
pub(crate) fn open_xls(file: File, options: &ReadOptions) -> Result<Workbook> {
    let bytes = file.metadata().map_err(|e| codes::io_error(&e))?.len();
    if bytes > options.workbook_part_bytes_max {
        return Err(file_error(
            codes::WORKBOOK_TOO_LARGE,
            format!(
                "the XLS workbook is {bytes} bytes; import_workbook_part_bytes_max is {}: save it as XLSX or CSV",
                options.workbook_part_bytes_max
            ),
        )
        .with_value(bytes));
    }
    guarded(|| read_xls(file))
}

fn read_xls(file: File) -> Result<Workbook> {
    let mut workbook: Xls<_> =
        Xls::new(BufReader::new(file)).map_err(|e| not_a_workbook("XLS", e))?;
    let (_, sheets_ignored) = split_sheets(workbook.sheet_names())?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| file_error(EMPTY_FILE, "the workbook has no sheet"))?
        .map_err(malformed)?;
    let rows = XlsRows { range, next: 0 };
    Ok(Workbook {
        rows: Box::new(rows),
        sheets_ignored,
    })
}

/// The rows of a loaded XLS sheet.
struct XlsRows {
    range: Range<Data>,
    next: usize,
}

impl RawRows for XlsRows {
    fn next_raw(&mut self, cells: &mut Vec<String>) -> Result<Option<u64>> {
        let (Some((first_row, _)), true) = (self.range.start(), self.next < self.range.height())
        else {
            return Ok(None);
        };
        let index = self.next;
        self.next += 1;
        cells.resize(self.range.width(), String::new());
        for (column, cell) in cells.iter_mut().enumerate() {
            match self.range.get((index, column)) {
                Some(data) => data_text(data, cell),
                None => cell.clear(),
            }
        }
        while cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        Ok(Some(u64::from(first_row) + index as u64 + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by `tests/fuzz_readers.rs`: one flipped byte gave calamine a cell reference whose
    /// column overflowed `u32`, the reader thread panicked, and the upload failed as internal.
    #[test]
    fn a_panicking_reader_is_a_damaged_file() {
        let error = guarded::<()>(|| panic!("attempt to multiply with overflow"))
            .expect_err("a panic is an error");
        assert_eq!(
            (error.code, error.kind),
            (MALFORMED_FILE, panorama_core::ErrorKind::Invalid)
        );
    }
}
