//! `TableReader`: any supported file as a checked header and a stream of numbered rows, with
//! empty and misaligned rows flagged rather than fatal, and memory that does not grow with the file.

use crate::codes::{self, EMPTY_FILE, FILE_TOO_LARGE, file_error};
use crate::encoding::{self, TextEncoding};
use crate::options::ReadOptions;
use crate::row::{RawRows, Row, RowIssue, is_blank, shape};
use crate::source::{self, FileFormat, Sample};
use crate::{csv::CsvRows, delimiter, header, xlsx};
use panorama_core::Result;
use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::ops::Range;
use std::path::Path;

/// A table file opened for reading: its header is read and checked, its rows stream.
pub struct TableReader {
    rows: Box<dyn RawRows>,
    format: FileFormat,
    encoding: Option<TextEncoding>,
    delimiter: Option<u8>,
    headers: Vec<String>,
    header_row: u64,
    offset: usize,
    sheets_ignored: Vec<String>,
    /// The row read ahead, yielded after the empty rows before it.
    ahead: Row,
    ahead_held: bool,
    empty_pending: Range<u64>,
    /// The last row yielded was empty: the next empty one is [`RowIssue::EmptyAgain`].
    in_empty_run: bool,
    last_number: u64,
    replaced_rows: u64,
    finished: bool,
}

impl TableReader {
    /// Open `path`: check its size, detect its format (and for text its encoding and delimiter),
    /// and read its header.
    pub fn open(path: &Path, options: &ReadOptions) -> Result<Self> {
        let mut file = File::open(path).map_err(|e| codes::io_error(&e))?;
        let bytes = file.metadata().map_err(|e| codes::io_error(&e))?.len();
        if bytes > options.file_bytes_max {
            return Err(file_error(
                FILE_TOO_LARGE,
                format!(
                    "the file is {bytes} bytes; an import takes at most {} bytes",
                    options.file_bytes_max
                ),
            )
            .with_value(bytes));
        }
        let sample = Sample::read(&mut file)?;
        if sample.bytes.is_empty() {
            return Err(file_error(EMPTY_FILE, "the file is empty"));
        }
        let format = FileFormat::detect(&sample.bytes);
        file.rewind().map_err(|e| codes::io_error(&e))?;
        let (rows, encoding, delimiter, sheets_ignored) = match format {
            FileFormat::Csv => {
                let (rows, encoding, delimiter) = open_csv(file, &sample, path, options)?;
                (rows, Some(encoding), Some(delimiter), Vec::new())
            }
            FileFormat::Xlsx => {
                let workbook = xlsx::open_xlsx(file, options)?;
                (workbook.rows, None, None, workbook.sheets_ignored)
            }
            FileFormat::Xls => {
                let workbook = xlsx::open_xls(file, options)?;
                (workbook.rows, None, None, workbook.sheets_ignored)
            }
        };
        let mut reader = Self {
            rows,
            format,
            encoding,
            delimiter,
            headers: Vec::new(),
            header_row: 0,
            offset: 0,
            sheets_ignored,
            ahead: Row::default(),
            ahead_held: false,
            empty_pending: 0..0,
            in_empty_run: false,
            last_number: 0,
            replaced_rows: 0,
            finished: false,
        };
        reader.read_header()?;
        Ok(reader)
    }

    fn read_header(&mut self) -> Result<()> {
        let mut cells = Vec::new();
        let number = loop {
            match self.rows.next_raw(&mut cells)? {
                None => {
                    return Err(file_error(
                        EMPTY_FILE,
                        "the file has no header row: it holds no text",
                    ));
                }
                Some(number) if !is_blank(&cells) => break number,
                Some(_) => {}
            }
        };
        let transcoded = self.encoding.filter(|e| e.is_transcoded());
        let sheet = self.format != FileFormat::Csv;
        let header = header::parse(&cells, number, sheet, transcoded)?;
        self.rows.set_headers(&header.names);
        self.headers = header.names;
        self.offset = header.offset;
        self.header_row = number;
        self.last_number = number;
        Ok(())
    }

    /// Read the next row into `row`, reusing its buffers; `false` at the end of the file. An
    /// error is fatal (wrong encoding, a damaged file): the reader yields nothing after it.
    pub fn read_row(&mut self, row: &mut Row) -> Result<bool> {
        loop {
            if let Some(number) = self.empty_pending.next() {
                row.number = number;
                row.cells.clear();
                row.issue = Some(if self.in_empty_run {
                    RowIssue::EmptyAgain
                } else {
                    RowIssue::Empty
                });
                self.in_empty_run = true;
                return Ok(true);
            }
            self.in_empty_run = false;
            if self.ahead_held {
                self.ahead_held = false;
                std::mem::swap(&mut row.cells, &mut self.ahead.cells);
                row.number = self.ahead.number;
                row.issue = self.ahead.issue;
                return Ok(true);
            }
            if self.finished {
                return Ok(false);
            }
            let number = match self.rows.next_raw(&mut self.ahead.cells) {
                Ok(Some(number)) => number,
                Ok(None) => {
                    // Empty rows after the last data row are formatting, not data: not reported.
                    self.finished = true;
                    return Ok(false);
                }
                Err(error) => {
                    self.finished = true;
                    return Err(error);
                }
            };
            if is_blank(&self.ahead.cells) {
                continue;
            }
            self.empty_pending = self.last_number + 1..number;
            self.last_number = number;
            self.ahead.number = number;
            self.ahead.issue = shape(
                &mut self.ahead.cells,
                self.headers.len(),
                self.offset,
                self.format,
            );
            self.ahead_held = true;
            let transcoded = self.encoding.filter(|e| e.is_transcoded());
            let replaced = match transcoded {
                Some(_) => self.ahead.cells.iter().position(|c| c.contains('\u{FFFD}')),
                None => self.rows.undecodable(),
            };
            if let (Some(column), Some(encoding)) = (replaced, self.encoding) {
                self.replaced_rows += 1;
                self.ahead.issue = Some(RowIssue::Undecodable { column, encoding });
            }
        }
    }

    /// The next row, or `None` at the end of the file. See [`TableReader::read_row`], which
    /// reuses buffers and is faster.
    pub fn next_row(&mut self) -> Option<Result<Row>> {
        let mut row = Row::default();
        match self.read_row(&mut row) {
            Ok(true) => Some(Ok(row)),
            Ok(false) => None,
            Err(error) => Some(Err(error)),
        }
    }

    /// The header's column names, trimmed.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The number of the header row (1 unless blank rows come first).
    pub fn header_row(&self) -> u64 {
        self.header_row
    }

    /// The file's format.
    pub fn format(&self) -> FileFormat {
        self.format
    }

    /// The text encoding of a CSV file; `None` for workbooks.
    pub fn encoding(&self) -> Option<TextEncoding> {
        self.encoding
    }

    /// The delimiter byte of a CSV file; `None` for workbooks.
    pub fn delimiter(&self) -> Option<u8> {
        self.delimiter
    }

    /// The sheets after the first, which are not read.
    pub fn sheets_ignored(&self) -> &[String] {
        &self.sheets_ignored
    }

    /// Rows read so far whose bytes did not decode (each rejected as
    /// [`RowIssue::Undecodable`]): many are a sign of a wrong encoding choice.
    pub fn replaced_rows(&self) -> u64 {
        self.replaced_rows
    }
}

impl std::fmt::Debug for TableReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableReader")
            .field("format", &self.format)
            .field("encoding", &self.encoding)
            .field("delimiter", &self.delimiter.map(char::from))
            .field("headers", &self.headers)
            .field("sheets_ignored", &self.sheets_ignored)
            .finish_non_exhaustive()
    }
}

impl Iterator for TableReader {
    type Item = Result<Row>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_row()
    }
}

/// Detect a CSV file's encoding and delimiter from its sample and open its rows.
fn open_csv(
    mut file: File,
    sample: &Sample,
    path: &Path,
    options: &ReadOptions,
) -> Result<(Box<dyn RawRows>, TextEncoding, u8)> {
    let detected = encoding::detect(&sample.bytes, sample.whole, options.encoding)?;
    let text = sample.bytes.get(detected.bom_bytes..).unwrap_or_default();
    if !detected.encoding.is_utf16() {
        source::check_text(text, &source::extension(path))?;
    }
    let (decoded, _) = detected
        .encoding
        .decoder()
        .decode_without_bom_handling(text);
    let delimiter = options
        .delimiter
        .unwrap_or_else(|| delimiter::detect(&decoded, detected.encoding.is_utf16()));
    file.seek(SeekFrom::Start(detected.bom_bytes as u64))
        .map_err(|e| codes::io_error(&e))?;
    let crlf = decoded
        .split('\n')
        .next()
        .is_some_and(|line| line.ends_with('\r'));
    let rows = CsvRows::new(
        file,
        detected.encoding,
        delimiter,
        crlf,
        options.row_bytes_max,
    );
    Ok((Box::new(rows), detected.encoding, delimiter))
}
