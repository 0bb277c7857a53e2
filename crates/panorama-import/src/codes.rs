//! Stable error codes of the import, and the constructors that give every error its context.
//!
//! The codes are part of the API like [`panorama_core::codes`]: never rename one.

use panorama_core::{Error, ErrorKind};

/// The file is larger than the configured limit.
pub const FILE_TOO_LARGE: &str = "file_too_large";
/// The file holds no header row.
pub const EMPTY_FILE: &str = "empty_file";
/// The file is not a CSV, XLSX or XLS table (binary data, a web page, another archive).
pub const NOT_A_TABLE_FILE: &str = "not_a_table_file";
/// The bytes do not decode in the chosen or detected encoding.
pub const WRONG_ENCODING: &str = "wrong_encoding";
/// An encoding name Panorama does not read.
pub const UNKNOWN_ENCODING: &str = "unknown_encoding";
/// Two header cells carry the same name.
pub const DUPLICATE_COLUMN: &str = "duplicate_column";
/// A header cell between named columns is empty.
pub const EMPTY_COLUMN_NAME: &str = "empty_column_name";
/// The header has more columns than an import may carry.
pub const TOO_MANY_COLUMNS: &str = "too_many_columns";
/// One row takes more bytes than a row may (usually a quote that is never closed).
pub const ROW_TOO_LONG: &str = "row_too_long";
/// A workbook cell (or tag) holds more bytes than `import_cell_bytes_max`.
pub const CELL_TOO_LONG: &str = "cell_too_long";
/// A workbook's declared size or shared-string table is out of proportion with its bytes, or one
/// of its parts is over `import_workbook_part_bytes_max`.
pub const WORKBOOK_TOO_LARGE: &str = "workbook_too_large";
/// The file is damaged: its structure cannot be read.
pub const MALFORMED_FILE: &str = "malformed_file";
/// A data row whose cells are all empty.
pub const EMPTY_ROW: &str = "empty_row";
/// A data row whose cell count differs from the header's.
pub const MISALIGNED_ROW: &str = "misaligned_row";
/// Header cells that match no attribute and were neither mapped nor dropped.
pub const UNKNOWN_COLUMNS: &str = "unknown_columns";
/// Two columns map to the same attribute.
pub const DUPLICATE_MAPPING: &str = "duplicate_mapping";
/// An explicit mapping names a column the file does not have.
pub const UNKNOWN_MAPPING_COLUMN: &str = "unknown_mapping_column";

/// Not an error: a valid row sharing a key value with an earlier row, listed among the rejected
/// rows so the file says which row it repeats (it is applied after that row, in file order).
pub const DUPLICATE_ROW: &str = "duplicate_row";

/// An error about the file as a whole.
pub(crate) fn file_error(code: &'static str, detail: impl Into<String>) -> Error {
    Error::invalid_field(code, detail, "file")
}

/// An error about one cell: the detail names the row, `column` and `value` are kept as context.
pub(crate) fn cell_error(
    code: &'static str,
    row: u64,
    column: &str,
    value: &str,
    detail: impl std::fmt::Display,
) -> Error {
    Error::invalid(code, format!("row {row}: {detail}"), column, value)
}

/// An error about one row as a whole.
pub(crate) fn row_error(code: &'static str, row: u64, detail: impl std::fmt::Display) -> Error {
    Error {
        kind: ErrorKind::Invalid,
        code,
        detail: format!("row {row}: {detail}"),
        field: Some("row".to_owned()),
        value: Some(row.to_string()),
    }
}

/// A failure to read the file from disk; the detail is for logs.
pub(crate) fn io_error(error: &std::io::Error) -> Error {
    Error::internal(format!("reading the import file failed: {error}"))
}
