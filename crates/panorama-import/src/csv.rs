//! CSV rows: the `csv` crate over the file's bytes (UTF-8, checked strictly) or over a streaming
//! transcoder (UTF-16, GBK, GB18030, Big5), one reused record, memory bounded per row.

use crate::codes::{self, MALFORMED_FILE, ROW_TOO_LONG, WRONG_ENCODING};
use crate::encoding::{self, TextEncoding};
use crate::row::RawRows;
use csv::ByteRecord;
use encoding_rs_io::DecodeReaderBytesBuilder;
use panorama_core::{Error, Result};
use std::io::{self, Read};

/// Read buffer of the CSV parser, in bytes. It is also the slack of the row limit: a row is
/// refused once it has taken `row_bytes_max` plus this many bytes.
const CSV_BUFFER_BYTES: usize = 64 * 1024;

/// The rows of a delimited text file.
pub(crate) struct CsvRows {
    reader: csv::Reader<RowLimit>,
    record: ByteRecord,
    encoding: TextEncoding,
    row_bytes_max: u64,
    headers: Vec<String>,
    /// Number of the last row read; blank lines count, as they do for a person.
    number: u64,
    /// Line breaks inside quoted cells so far: they make lines, not rows.
    quoted_newlines: u64,
    /// Lines end in CR LF; the parser then counts a row's LF when it reads the next row.
    crlf: bool,
    /// The header is read: a cell that does not decode now rejects its row, not the file.
    header_read: bool,
    /// The first cell of the row just read that is not UTF-8.
    undecodable: Option<usize>,
}

impl CsvRows {
    /// Rows of `file`, positioned just past any byte-order mark.
    pub(crate) fn new(
        file: impl Read + Send + 'static,
        encoding: TextEncoding,
        delimiter: u8,
        crlf: bool,
        row_bytes_max: u64,
    ) -> Self {
        let inner: Box<dyn Read + Send> = if encoding.is_transcoded() {
            Box::new(
                DecodeReaderBytesBuilder::new()
                    .encoding(Some(encoding.decoder()))
                    .build(file),
            )
        } else {
            Box::new(file)
        };
        let limit = RowLimit {
            inner,
            taken_bytes: 0,
            bytes_max: row_bytes_max.saturating_add(CSV_BUFFER_BYTES as u64),
            total_bytes: 0,
            last_byte: None,
            at_end: false,
        };
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .buffer_capacity(CSV_BUFFER_BYTES)
            .from_reader(limit);
        Self {
            reader,
            record: ByteRecord::new(),
            encoding,
            row_bytes_max,
            headers: Vec::new(),
            number: 0,
            quoted_newlines: 0,
            crlf,
            header_read: false,
            undecodable: None,
        }
    }

    fn read_error(&self, error: csv::Error) -> Error {
        let row = self.number + 1;
        match error.into_kind() {
            csv::ErrorKind::Io(e) if e.get_ref().is_some_and(|inner| inner.is::<RowTooLong>()) => {
                codes::row_error(
                    ROW_TOO_LONG,
                    row,
                    format!(
                        "the row runs past {} bytes; a quote (\") that is never closed usually causes this",
                        self.row_bytes_max
                    ),
                )
            }
            csv::ErrorKind::Io(e) => codes::io_error(&e),
            other => codes::row_error(MALFORMED_FILE, row, format!("{other:?}")),
        }
    }

    fn encoding_error(&self, index: usize, field: &[u8]) -> Error {
        let column = self
            .headers
            .get(index)
            .cloned()
            .unwrap_or_else(|| format!("column {}", index + 1));
        let shown: Vec<String> = field.iter().take(12).map(|b| format!("{b:02X}")).collect();
        // People know GBK by that name; its decoder is GB18030's, so nothing is lost.
        let likely = match encoding::guess_chinese(field) {
            TextEncoding::Gb18030 => TextEncoding::Gbk,
            other => other,
        };
        codes::cell_error(
            WRONG_ENCODING,
            self.number,
            &column,
            &String::from_utf8_lossy(field),
            format!(
                "column `{column}` holds bytes that are not {} ({}); the file looks like {likely}: choose that encoding (--encoding {likely})",
                self.encoding,
                shown.join(" ")
            ),
        )
    }
}

impl CsvRows {
    /// Number the record just read. The csv crate skips blank lines, but a person (and Excel)
    /// sees them as rows, so the number comes from the parser's line count, less the line
    /// breaks inside quoted cells. Cells are only scanned for them when the count jumped.
    fn count_row(&mut self) {
        let position = self.reader.position();
        let lines = position.line();
        let source = self.reader.get_ref();
        // A last row without a line break has no LF of its own to count.
        let unterminated = source.at_end
            && position.byte() == source.total_bytes
            && source.last_byte != Some(b'\n');
        let own_terminator = u64::from(!self.crlf && !unterminated);
        let mut number = lines.saturating_sub(self.quoted_newlines + own_terminator);
        if number > self.number + 1 {
            let inside = self
                .record
                .as_slice()
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.quoted_newlines += inside;
            number = number.saturating_sub(inside);
        }
        // Files ending lines in a lone CR count no lines at all: rows are then consecutive.
        self.number = number.max(self.number + 1);
    }
}

impl RawRows for CsvRows {
    fn next_raw(&mut self, cells: &mut Vec<String>) -> Result<Option<u64>> {
        self.reader.get_mut().taken_bytes = 0;
        match self.reader.read_byte_record(&mut self.record) {
            Ok(true) => {}
            Ok(false) => return Ok(None),
            Err(e) => return Err(self.read_error(e)),
        }
        self.count_row();
        let fields = self.record.len();
        self.undecodable = None;
        for (index, field) in self.record.iter().enumerate() {
            let text = match std::str::from_utf8(field) {
                Ok(text) => std::borrow::Cow::Borrowed(text),
                Err(_) if self.header_read => {
                    self.undecodable.get_or_insert(index);
                    String::from_utf8_lossy(field)
                }
                Err(_) => return Err(self.encoding_error(index, field)),
            };
            match cells.get_mut(index) {
                Some(cell) => {
                    cell.clear();
                    cell.push_str(&text);
                }
                None => cells.push(text.into_owned()),
            }
        }
        cells.truncate(fields);
        Ok(Some(self.number))
    }

    fn set_headers(&mut self, headers: &[String]) {
        self.headers = headers.to_vec();
        self.header_read = true;
    }

    fn undecodable(&self) -> Option<usize> {
        self.undecodable
    }
}

/// Marks the I/O error [`RowLimit`] raises, so it can be told apart from a disk failure.
#[derive(Debug)]
struct RowTooLong;

impl std::fmt::Display for RowTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("row too long")
    }
}

impl std::error::Error for RowTooLong {}

/// Counts the bytes the parser pulls while reading one record and fails past the limit, so one
/// endless quoted field cannot hold the whole file in memory. Also notes how the text ends.
struct RowLimit {
    inner: Box<dyn Read + Send>,
    taken_bytes: u64,
    bytes_max: u64,
    total_bytes: u64,
    last_byte: Option<u8>,
    at_end: bool,
}

impl Read for RowLimit {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.at_end |= read == 0 && !buf.is_empty();
        if let Some(last) = read.checked_sub(1).and_then(|at| buf.get(at)) {
            self.last_byte = Some(*last);
        }
        self.total_bytes += read as u64;
        self.taken_bytes += read as u64;
        if self.taken_bytes > self.bytes_max {
            return Err(io::Error::other(RowTooLong));
        }
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(text: &'static str) -> Vec<(u64, String)> {
        let crlf = text.split('\n').next().is_some_and(|l| l.ends_with('\r'));
        let mut rows = CsvRows::new(text.as_bytes(), TextEncoding::Utf8, b',', crlf, 1 << 20);
        let mut cells = Vec::new();
        let mut seen = Vec::new();
        while let Ok(Some(number)) = rows.next_raw(&mut cells) {
            seen.push((number, cells.join("|")));
        }
        seen
    }

    fn expected(rows: &[(u64, &str)]) -> Vec<(u64, String)> {
        rows.iter().map(|(n, c)| (*n, (*c).to_owned())).collect()
    }

    #[test]
    fn rows_are_numbered_as_a_spreadsheet_shows_them() {
        let want = expected(&[(2, "h"), (3, "a\nb"), (5, "c"), (7, "d")]);
        assert_eq!(numbers("\nh\n\"a\nb\"\n\nc\n\nd\n"), want);
        assert_eq!(
            numbers("\nh\n\"a\nb\"\n\nc\n\nd"),
            expected(&[(2, "h"), (3, "a\nb"), (5, "c"), (7, "d")])
        );
        let crlf = expected(&[(2, "h"), (3, "a\r\nb"), (5, "c"), (7, "d")]);
        assert_eq!(numbers("\r\nh\r\n\"a\r\nb\"\r\n\r\nc\r\n\r\nd\r\n"), crlf);
        assert_eq!(numbers("\r\nh\r\n\"a\r\nb\"\r\n\r\nc\r\n\r\nd"), crlf);
        assert_eq!(
            numbers("h\ra\rb"),
            expected(&[(1, "h"), (2, "a"), (3, "b")])
        );
    }
}
