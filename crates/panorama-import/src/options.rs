//! How a file is read: the limits, each with its unit, and the operator's overrides.

use crate::encoding::TextEncoding;

/// Largest import file, in bytes (2 GiB): PRODUCT.md's `import_file_bytes_max` default.
pub const IMPORT_FILE_BYTES_MAX: u64 = 2 * 1024 * 1024 * 1024;
/// Most bytes one CSV row may take once decoded (1 MiB). A longer row is almost always a quote
/// that is never closed, swallowing the rest of the file; the limit keeps memory flat.
pub const ROW_BYTES_MAX: u64 = 1024 * 1024;
/// Most bytes one workbook cell (or XML tag) may take (256 KiB): Excel holds at most 32,767
/// characters in a cell, which fit with their XML escapes; a larger one is built to exhaust memory.
pub const CELL_BYTES_MAX: u64 = 256 * 1024;
/// Most bytes a workbook part read whole (the shared-string table, styles, the workbook) may take
/// once unpacked (128 MiB): a million rows of unique text fit; sheets are streamed, not bounded.
pub const WORKBOOK_PART_BYTES_MAX: u64 = 128 * 1024 * 1024;
/// Most rejected rows one import lists (in a job, the rejected-rows file, the CLI's file); the
/// rest are counted (`invalid`, and `unlisted` for those past the limit) but not kept.
pub const REJECTIONS_KEPT_MAX: u64 = 100_000;
/// Bytes of a rejected value (and of each cell of a rejected row) kept: enough to find the row.
pub const REJECTED_VALUE_BYTES_MAX: usize = 1024;
/// Bytes of a rejected row's cells kept together.
pub const REJECTED_CELLS_BYTES_MAX: usize = 8 * 1024;
/// Most columns a header may have: every attribute a company can define fits with room to spare.
pub const COLUMNS_MAX: usize = 1024;
/// Bytes at the start of a file looked at to detect its format and encoding (64 KiB).
pub const SAMPLE_BYTES: usize = 64 * 1024;
/// Bytes at the start of a text file checked for binary content (1 KiB).
pub const BINARY_CHECK_BYTES: usize = 1024;

/// The operator's choices for reading one file. `Default` detects everything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Files larger than this many bytes are refused before reading.
    pub file_bytes_max: u64,
    /// Most bytes one CSV row may take once decoded.
    pub row_bytes_max: u64,
    /// Most bytes one workbook cell may take ([`CELL_BYTES_MAX`]).
    pub cell_bytes_max: u64,
    /// Most bytes a workbook part read whole may take ([`WORKBOOK_PART_BYTES_MAX`]).
    pub workbook_part_bytes_max: u64,
    /// Most rejected rows listed ([`REJECTIONS_KEPT_MAX`]).
    pub rejections_kept_max: u64,
    /// The text encoding of a CSV file; `None` detects it.
    pub encoding: Option<TextEncoding>,
    /// The CSV delimiter byte (`b','`, `b';'`, `b'\t'`); `None` detects it from the header.
    pub delimiter: Option<u8>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            file_bytes_max: IMPORT_FILE_BYTES_MAX,
            row_bytes_max: ROW_BYTES_MAX,
            cell_bytes_max: CELL_BYTES_MAX,
            workbook_part_bytes_max: WORKBOOK_PART_BYTES_MAX,
            rejections_kept_max: REJECTIONS_KEPT_MAX,
            encoding: None,
            delimiter: None,
        }
    }
}
