//! XLSX workbooks written with `rust_xlsxwriter`: first sheet only, cells as people see them.

use crate::*;
use panorama_import::FileFormat;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

#[test]
fn only_the_first_sheet_is_read_and_the_others_are_named() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("two.xlsx");
    let mut workbook = Workbook::new();
    let first = workbook.add_worksheet().set_name("Contacts")?;
    first
        .write_string(0, 0, " Name ")?
        .write_string(0, 1, "Mobile")?;
    first
        .write_string(1, 0, "张三")?
        .write_string(1, 1, "13812345678")?;
    let second = workbook.add_worksheet().set_name("Second")?;
    second.write_string(0, 0, "other")?;
    workbook.save(&path)?;
    let reader = open(&path)?;
    assert_eq!(reader.format(), FileFormat::Xlsx);
    assert_eq!((reader.encoding(), reader.delimiter()), (None, None));
    assert_eq!(reader.sheets_ignored(), ["Second"]);
    assert_eq!(reader.headers(), ["Name", "Mobile"]);
    let rows = read_all(reader)?;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].number, cells(&rows[0])),
        (2, vec!["张三", "13812345678"])
    );
    Ok(())
}

#[test]
fn numbers_dates_and_booleans_read_as_people_see_them() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("types.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, name) in ["mobile", "points", "ratio", "birthday", "seen_at", "vip"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, column as u16, *name)?;
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    sheet.write_number(1, 0, 13_812_345_678.0)?;
    sheet.write_number(1, 1, 1200)?;
    sheet.write_number(1, 2, 0.1 + 0.2)?;
    sheet.write_datetime_with_format(1, 3, ExcelDateTime::from_ymd(1990, 5, 17)?, &date)?;
    let seen = ExcelDateTime::from_ymd(2024, 3, 1)?.and_hms(9, 30, 5)?;
    sheet.write_datetime_with_format(1, 4, seen, &datetime)?;
    sheet.write_boolean(1, 5, true)?;
    sheet.write_number(2, 0, 13_912_345_678.0)?;
    workbook.save(&path)?;
    let rows = read_all(open(&path)?)?;
    assert_eq!(
        cells(&rows[0]),
        [
            "13812345678",
            "1200",
            "0.3",
            "1990-05-17",
            "2024-03-01T09:30:05",
            "true"
        ]
    );
    assert_eq!(
        cells(&rows[1]),
        ["13912345678", "", "", "", "", ""],
        "absent cells are empty"
    );
    assert!(rows.iter().all(|r| r.issue.is_none()));
    Ok(())
}

#[test]
fn a_table_may_start_lower_and_further_right_and_keeps_excel_row_numbers() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("offset.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet
        .write_string(2, 1, "name")?
        .write_string(2, 2, "mobile")?;
    sheet.write_string(3, 1, "Ada")?.write_string(3, 2, "138")?;
    sheet.write_string(5, 1, "Bob")?;
    sheet
        .write_string(6, 0, "stray")?
        .write_string(6, 1, "Cy")?;
    sheet.write_string(9, 5, " ")?;
    workbook.save(&path)?;
    let reader = open(&path)?;
    assert_eq!(reader.header_row(), 3);
    let rows = read_all(reader)?;
    let numbers: Vec<u64> = rows.iter().map(|r| r.number).collect();
    assert_eq!(
        numbers,
        [4, 5, 6, 7],
        "row 5 is empty; rows after 7 are blank formatting"
    );
    assert_eq!(rows[1].issue, Some(panorama_import::RowIssue::Empty));
    assert_eq!(cells(&rows[2]), ["Bob", ""]);
    assert!(matches!(
        rows[3].issue,
        Some(panorama_import::RowIssue::Misaligned { .. })
    ));
    Ok(())
}

#[test]
fn an_empty_workbook_is_an_empty_file() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("empty.xlsx");
    let mut workbook = Workbook::new();
    workbook.add_worksheet();
    workbook.save(&path)?;
    let error = open_error(&path, &ReadOptions::default());
    assert_eq!(error.code, panorama_import::codes::EMPTY_FILE);
    Ok(())
}
