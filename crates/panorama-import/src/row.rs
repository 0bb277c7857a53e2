//! Rows as the import sees them: numbered, fitted to the header, flagged when empty or
//! misaligned; and the trait every file format's row source implements.

use crate::codes::{self, EMPTY_ROW, MISALIGNED_ROW, WRONG_ENCODING};
use crate::encoding::TextEncoding;
use crate::source::FileFormat;
use panorama_core::{Error, Result};

/// A source of raw rows: cells as read, numbered as a person counts rows in the file. Rows the
/// source skips (blank lines, absent sheet rows) leave gaps in the numbers.
pub(crate) trait RawRows: Send {
    /// Read the next row into `cells`, returning its number, or `None` at the end.
    fn next_raw(&mut self, cells: &mut Vec<String>) -> Result<Option<u64>>;

    /// Learn the header names, to name columns in later errors.
    fn set_headers(&mut self, _headers: &[String]) {}

    /// The first cell of the row just read whose bytes did not decode (its text then holds
    /// U+FFFD in their place): the row is rejected rather than read wrong.
    fn undecodable(&self) -> Option<usize> {
        None
    }
}

/// One data row of the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    /// The row's number as a person counts rows in the file: the header is usually row 1, so
    /// the first data row is row 2.
    pub number: u64,
    /// The cells, one per header column unless `issue` says otherwise; not trimmed.
    pub cells: Vec<String>,
    /// Why the row cannot be imported as it is, if it cannot.
    pub issue: Option<RowIssue>,
}

/// A row the import must count as invalid rather than read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowIssue {
    /// Every cell is empty or blank (empty rows after the last data row are not reported).
    Empty,
    /// An empty row right after another: counted as invalid but not listed again, so a sheet
    /// whose only data is at row 1,048,576 does not leave a million rejections.
    EmptyAgain,
    /// A cell's bytes do not decode in the file's encoding (a GBK row in a UTF-8 file): the row
    /// is rejected, the rest of the file read as it is.
    Undecodable {
        /// The first such cell, counted from 0 in the file's columns.
        column: usize,
        /// The encoding the file is read in.
        encoding: TextEncoding,
    },
    /// The row has a different number of cells than the header; its cells are kept as found.
    Misaligned {
        /// Cells in the header.
        expected: usize,
        /// Cells in this row.
        found: usize,
    },
}

impl RowIssue {
    /// The error to report for row `row`.
    pub fn error(self, row: u64) -> Error {
        match self {
            Self::Empty | Self::EmptyAgain => codes::row_error(EMPTY_ROW, row, "the row is empty"),
            Self::Undecodable { column, encoding } => codes::row_error(
                WRONG_ENCODING,
                row,
                format!(
                    "cell {} holds bytes that are not {encoding}, the encoding of the rest of the \
                     file: the row is not imported; fix it, or if many rows are like this, choose \
                     the file's encoding",
                    column + 1
                ),
            ),
            Self::Misaligned { expected, found } => codes::row_error(
                MISALIGNED_ROW,
                row,
                format!("the row has {found} cells but the header has {expected}"),
            ),
        }
    }
}

/// Whether every cell is empty or blank.
pub(crate) fn is_blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

/// Fit a data row to the header: drop the empty cells left of a sheet's table and empty cells
/// past the last column, fill missing trailing cells of sheet rows (sheets omit empty cells).
/// A CSV row with another cell count, or content outside the table, is misaligned.
pub(crate) fn shape(
    cells: &mut Vec<String>,
    width: usize,
    offset: usize,
    format: FileFormat,
) -> Option<RowIssue> {
    let misaligned = |found| {
        Some(RowIssue::Misaligned {
            expected: width,
            found,
        })
    };
    if offset > 0 {
        if !is_blank(cells.get(..offset.min(cells.len())).unwrap_or_default()) {
            return misaligned(cells.len());
        }
        cells.drain(..offset.min(cells.len()));
    }
    if cells.get(width..).is_some_and(is_blank) {
        cells.truncate(width);
    }
    if cells.len() < width && format != FileFormat::Csv {
        cells.resize(width, String::new());
    }
    (cells.len() != width)
        .then(|| misaligned(cells.len()))
        .flatten()
}
