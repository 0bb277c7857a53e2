//! What kind of file an upload is: its format from its first bytes (the name is only a hint), and
//! the checks that turn binary garbage or a web page into a clear refusal instead of odd rows.

use crate::codes::{self, NOT_A_TABLE_FILE, file_error};
use crate::options::{BINARY_CHECK_BYTES, SAMPLE_BYTES};
use panorama_core::Result;
use std::fmt;
use std::io::Read;
use std::path::Path;

/// The container format of a table file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileFormat {
    /// Delimited text: comma, semicolon or tab separated.
    Csv,
    /// Excel 2007+ workbook (a ZIP archive).
    Xlsx,
    /// Excel 97-2003 workbook (an OLE2 compound file).
    Xls,
}

impl FileFormat {
    /// The lower-case name (`csv`, `xlsx`, `xls`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
            Self::Xls => "xls",
        }
    }

    /// The format the first bytes of a file announce. Magic bytes decide, because files are often
    /// misnamed (text exports called `.xls`); anything without a workbook signature is text.
    pub fn detect(head: &[u8]) -> Self {
        match head {
            [b'P', b'K', 0x03, 0x04, ..] => Self::Xlsx,
            [0xD0, 0xCF, 0x11, 0xE0, ..] => Self::Xls,
            _ => Self::Csv,
        }
    }
}

impl fmt::Display for FileFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// The first bytes of a file, read once for every detection.
pub(crate) struct Sample {
    /// Up to [`SAMPLE_BYTES`] bytes from the start of the file.
    pub bytes: Vec<u8>,
    /// Whether `bytes` is the whole file.
    pub whole: bool,
}

impl Sample {
    pub(crate) fn read(file: &mut impl Read) -> Result<Self> {
        let mut bytes = Vec::with_capacity(SAMPLE_BYTES);
        file.by_ref()
            .take(SAMPLE_BYTES as u64)
            .read_to_end(&mut bytes)
            .map_err(|e| codes::io_error(&e))?;
        let whole = bytes.len() < SAMPLE_BYTES;
        Ok(Self { bytes, whole })
    }
}

/// The file's extension, lower-cased, for messages.
pub(crate) fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Refuse text that is not a table: binary data (NUL bytes or many control bytes in the first
/// KiB) and web pages saved under a spreadsheet name. `text` starts after any byte-order mark.
pub(crate) fn check_text(text: &[u8], extension: &str) -> Result<()> {
    let head = &text[..text.len().min(BINARY_CHECK_BYTES)];
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    // A NUL never appears in a UTF-8 or legacy Chinese text file; a few stray controls may.
    if head.contains(&0) || controls * 10 > head.len() {
        let named = match extension {
            "xlsx" | "xls" => format!(" although it is named .{extension}"),
            _ => String::new(),
        };
        return Err(file_error(
            NOT_A_TABLE_FILE,
            format!(
                "the file is not a table{named}: it holds binary data; upload a CSV, XLSX or XLS file"
            ),
        ));
    }
    let start: Vec<u8> = head
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take(14)
        .map(u8::to_ascii_lowercase)
        .collect();
    let markup = ["<!doctype html", "<html", "<?xml", "<table"];
    if markup.iter().any(|m| start.starts_with(m.as_bytes())) {
        return Err(file_error(
            NOT_A_TABLE_FILE,
            "the file is a web page (HTML or XML), not a table, even if a system exported it as a spreadsheet; open it in Excel and save it as XLSX or CSV",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes_decide_the_format() {
        assert_eq!(FileFormat::detect(b"PK\x03\x04rest"), FileFormat::Xlsx);
        assert_eq!(
            FileFormat::detect(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1]),
            FileFormat::Xls
        );
        assert_eq!(FileFormat::detect(b"name,mobile\n"), FileFormat::Csv);
        assert_eq!(FileFormat::detect(b"PK"), FileFormat::Csv);
    }

    #[test]
    fn binary_and_markup_are_refused_and_text_passes() {
        let refused = |bytes: &[u8]| check_text(bytes, "csv").map_err(|e| e.code);
        assert_eq!(refused(b"name\0mobile"), Err(NOT_A_TABLE_FILE));
        assert_eq!(refused(&[1, 2, 3, 4, 5, b'a']), Err(NOT_A_TABLE_FILE));
        assert_eq!(refused(b"  <HTML><body>"), Err(NOT_A_TABLE_FILE));
        assert_eq!(
            refused("姓名,手机\r\n张三,13812345678\r\n".as_bytes()),
            Ok(())
        );
        let named = check_text(b"\0\0", "xlsx").err().map(|e| e.detail);
        assert!(named.is_some_and(|d| d.contains("named .xlsx")));
    }
}
