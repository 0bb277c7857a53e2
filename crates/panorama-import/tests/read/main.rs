//! Reading real-world files: every fixture is generated here in a temporary directory.

mod bad_files;
mod bombs;
mod csv;
mod encodings;
mod xlsx;

use panorama_core::Error;
use panorama_import::{ReadOptions, Row, TableReader};
use std::path::{Path, PathBuf};

/// What a test returns: any failure is reported with its message.
pub type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Write `bytes` to `name` in `dir`.
pub fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("the temporary directory is writable");
    path
}

/// Open with default options.
pub fn open(path: &Path) -> Result<TableReader, Error> {
    TableReader::open(path, &ReadOptions::default())
}

/// Every row, or the first fatal error.
pub fn read_all(reader: TableReader) -> Result<Vec<Row>, Error> {
    reader.collect()
}

/// The cells of a row as `&str`, for comparisons.
pub fn cells(row: &Row) -> Vec<&str> {
    row.cells.iter().map(String::as_str).collect()
}

/// The error of an open that must fail.
pub fn open_error(path: &Path, options: &ReadOptions) -> Error {
    match TableReader::open(path, options) {
        Ok(reader) => panic!("{} opened: {reader:?}", path.display()),
        Err(error) => error,
    }
}

/// A UTF-16 file with its byte-order mark.
pub fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut bytes = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        let pair = if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        };
        bytes.extend(pair);
    }
    bytes
}

#[test]
fn the_reader_can_move_to_a_worker_thread() {
    fn send<T: Send>() {}
    send::<TableReader>();
}
