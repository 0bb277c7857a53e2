//! Files that must be refused with a clear code before any row is read.

use crate::*;
use panorama_import::codes::{DUPLICATE_COLUMN, EMPTY_FILE, FILE_TOO_LARGE, NOT_A_TABLE_FILE};

#[test]
fn an_empty_file_is_refused() -> TestResult {
    let dir = tempfile::tempdir()?;
    for (name, bytes) in [
        ("empty.csv", &b""[..]),
        ("bom.csv", &b"\xEF\xBB\xBF"[..]),
        ("blank.csv", &b"\r\n\r\n  \n,,\n"[..]),
    ] {
        let error = open_error(
            &write_file(dir.path(), name, bytes),
            &ReadOptions::default(),
        );
        assert_eq!(error.code, EMPTY_FILE, "{name}");
    }
    Ok(())
}

#[test]
fn binary_garbage_is_not_a_table() -> TestResult {
    let dir = tempfile::tempdir()?;
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let png = [&b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..], &garbage].concat();
    for (name, bytes) in [("data.csv", &garbage[..]), ("image.xlsx", &png[..])] {
        let error = open_error(
            &write_file(dir.path(), name, bytes),
            &ReadOptions::default(),
        );
        assert_eq!(error.code, NOT_A_TABLE_FILE, "{name}");
    }
    let zip = [&b"PK\x03\x04"[..], &garbage].concat();
    let error = open_error(
        &write_file(dir.path(), "a.zip", &zip),
        &ReadOptions::default(),
    );
    assert_eq!(error.code, NOT_A_TABLE_FILE);
    let html = b"<!DOCTYPE html><html><table><tr><td>name</td></tr></table></html>";
    let error = open_error(
        &write_file(dir.path(), "export.xls", html),
        &ReadOptions::default(),
    );
    assert_eq!(error.code, NOT_A_TABLE_FILE);
    Ok(())
}

#[test]
fn a_file_over_the_limit_is_refused_before_reading() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = write_file(dir.path(), "big.csv", b"name,mobile\nAda,13812345678\n");
    let options = ReadOptions {
        file_bytes_max: 16,
        ..ReadOptions::default()
    };
    let error = open_error(&path, &options);
    assert_eq!(error.code, FILE_TOO_LARGE);
    assert_eq!(
        error.detail,
        "the file is 28 bytes; an import takes at most 16 bytes"
    );
    Ok(())
}

#[test]
fn duplicate_header_names_are_refused_by_name() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = write_file(dir.path(), "d.csv", b"name,Mobile, mobile \n");
    let error = open_error(&path, &ReadOptions::default());
    assert_eq!(error.code, DUPLICATE_COLUMN);
    assert_eq!(error.value.as_deref(), Some("mobile"));
    Ok(())
}
