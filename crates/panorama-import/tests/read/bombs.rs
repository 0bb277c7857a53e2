//! Spreadsheet bombs (issue 21, hole 3): a cell of hundreds of megabytes, inline or shared, is
//! refused at open naming `import_cell_bytes_max`; a sheet declaring a million rows in a few
//! hundred bytes is refused naming its `<dimension>`; a million empty rows read as one.

use crate::*;
use panorama_import::codes::{CELL_TOO_LONG, WORKBOOK_TOO_LARGE};
use panorama_import::testing::{Bomb, write_bomb};
use panorama_import::{RowIssue, TableReader};

/// 200 MB: the probe's cell.
const BOMB_CELL_BYTES: u64 = 200 * 1024 * 1024;

#[test]
fn a_200_mb_cell_inline_or_shared_is_refused_naming_the_limit() -> TestResult {
    let dir = tempfile::tempdir()?;
    // The shared-string table is read whole by calamine, so its size alone refuses it.
    for (name, bomb, code, limit) in [
        (
            "inline.xlsx",
            Bomb::InlineCell(BOMB_CELL_BYTES),
            CELL_TOO_LONG,
            "import_cell_bytes_max",
        ),
        (
            "shared.xlsx",
            Bomb::SharedCell(BOMB_CELL_BYTES),
            WORKBOOK_TOO_LARGE,
            "import_workbook_part_bytes_max",
        ),
    ] {
        let path = dir.path().join(name);
        write_bomb(&path, bomb)?;
        assert!(
            std::fs::metadata(&path)?.len() < 1024 * 1024,
            "a small file"
        );
        let error = open_error(&path, &ReadOptions::default());
        assert_eq!(error.code, code, "{name}: {error}");
        assert!(error.detail.contains(limit), "{error}");
    }
    Ok(())
}

#[test]
fn a_cell_under_the_limit_is_read() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("fine.xlsx");
    write_bomb(&path, Bomb::SharedCell(1000))?;
    let rows = read_all(open(&path)?)?;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].cells[1].len(), 1000);
    let small = ReadOptions {
        cell_bytes_max: 999,
        ..ReadOptions::default()
    };
    assert_eq!(open_error(&path, &small).code, CELL_TOO_LONG);
    Ok(())
}

#[test]
fn a_sheet_declaring_a_million_rows_in_a_few_bytes_is_refused() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("far.xlsx");
    write_bomb(&path, Bomb::FarCell)?;
    assert!(std::fs::metadata(&path)?.len() < 4096);
    let error = open_error(&path, &ReadOptions::default());
    assert_eq!(error.code, WORKBOOK_TOO_LARGE, "{error}");
    assert!(error.detail.contains("1048576 rows"), "{error}");
    Ok(())
}

#[test]
fn a_million_empty_rows_are_one_empty_row_then_unlisted_ones() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("gap.xlsx");
    write_bomb(&path, Bomb::FarRow)?;
    let mut reader = TableReader::open(&path, &ReadOptions::default())?;
    let (mut empty, mut again, mut last) = (0u64, 0u64, None);
    while let Some(row) = reader.next_row().transpose()? {
        match row.issue {
            Some(RowIssue::Empty) => empty += 1,
            Some(RowIssue::EmptyAgain) => again += 1,
            _ => last = Some((row.number, row.cells)),
        }
    }
    assert_eq!((empty, again), (1, 1_048_576 - 3 - 1));
    assert_eq!(
        last,
        Some((1_048_576, vec!["13800000002".to_owned(), String::new()]))
    );
    Ok(())
}
