//! CSV structure: delimiters, RFC 4180 quoting, row numbers, empty and misaligned rows, and
//! random bytes that must never panic the reader.

use crate::*;
use panorama_import::RowIssue;
use panorama_import::codes::{EMPTY_ROW, MISALIGNED_ROW, ROW_TOO_LONG};

#[test]
fn semicolon_and_tab_are_detected() -> TestResult {
    let dir = tempfile::tempdir()?;
    for (text, delimiter) in [
        ("name;mobile;city\nAda;138;Paris, France\n", b';'),
        ("name\tmobile\tcity\nAda\t138\tParis, France\n", b'\t'),
        ("name,mobile,city\nAda,138,\"Paris, France\"\n", b','),
    ] {
        let reader = open(&write_file(dir.path(), "file.csv", text.as_bytes()))?;
        assert_eq!(reader.delimiter(), Some(delimiter));
        let rows = read_all(reader)?;
        assert_eq!(cells(&rows[0]), ["Ada", "138", "Paris, France"]);
    }
    Ok(())
}

#[test]
fn quoted_newlines_quotes_and_crlf() -> TestResult {
    let dir = tempfile::tempdir()?;
    let text = "name,address,note\r\n\"Ada\",\"1 Main St\r\nFlat 2\",\"she said \"\"hi\"\"\"\r\nBob,,x\r\n";
    let rows = read_all(open(&write_file(dir.path(), "q.csv", text.as_bytes()))?)?;
    assert_eq!(
        cells(&rows[0]),
        ["Ada", "1 Main St\r\nFlat 2", "she said \"hi\""]
    );
    assert_eq!(
        (rows[0].number, rows[1].number),
        (2, 3),
        "records, not lines, are rows"
    );
    assert_eq!(cells(&rows[1]), ["Bob", "", "x"]);
    assert!(rows.iter().all(|r| r.issue.is_none()));
    Ok(())
}

#[test]
fn misaligned_rows_are_flagged_with_their_number_and_reading_goes_on() -> TestResult {
    let dir = tempfile::tempdir()?;
    let text = "name,mobile,city\nAda,138,Paris\nBob,139\nCy,137,Rome,extra\nDee,136,Oslo,,\n";
    let rows = read_all(open(&write_file(dir.path(), "m.csv", text.as_bytes()))?)?;
    let issues: Vec<(u64, Option<RowIssue>)> = rows.iter().map(|r| (r.number, r.issue)).collect();
    let misaligned = |found| Some(RowIssue::Misaligned { expected: 3, found });
    assert_eq!(
        issues,
        [(2, None), (3, misaligned(2)), (4, misaligned(4)), (5, None)],
        "trailing empty cells are not content"
    );
    assert_eq!(cells(&rows[2]), ["Cy", "137", "Rome", "extra"]);
    let error = misaligned(2).map(|i| i.error(3)).expect("an issue");
    assert_eq!(error.code, MISALIGNED_ROW);
    assert_eq!(
        error.detail,
        "row 3: the row has 2 cells but the header has 3"
    );
    Ok(())
}

#[test]
fn empty_rows_inside_the_data_are_flagged_and_trailing_ones_ignored() -> TestResult {
    let dir = tempfile::tempdir()?;
    let text = "\nname,mobile\nAda,138\n\n , \nBob,139\n,\n\n";
    let reader = open(&write_file(dir.path(), "e.csv", text.as_bytes()))?;
    assert_eq!(reader.header_row(), 2);
    let rows = read_all(reader)?;
    let numbers: Vec<(u64, bool)> = rows.iter().map(|r| (r.number, r.issue.is_some())).collect();
    assert_eq!(numbers, [(3, false), (4, true), (5, true), (6, false)]);
    assert_eq!(rows[1].issue, Some(RowIssue::Empty));
    assert_eq!(RowIssue::Empty.error(4).code, EMPTY_ROW);
    Ok(())
}

#[test]
fn header_only_reads_zero_rows() -> TestResult {
    let dir = tempfile::tempdir()?;
    let reader = open(&write_file(dir.path(), "h.csv", b"name,mobile\r\n"))?;
    assert_eq!(reader.headers(), ["name", "mobile"]);
    assert_eq!(read_all(reader)?.len(), 0);
    Ok(())
}

#[test]
fn read_row_reuses_its_buffers() -> TestResult {
    let dir = tempfile::tempdir()?;
    let text = "a,b\n1,2\n3,4\n";
    let mut reader = open(&write_file(dir.path(), "r.csv", text.as_bytes()))?;
    let mut row = Row::default();
    let mut seen = Vec::new();
    while reader.read_row(&mut row)? {
        seen.push(format!("{}:{}", row.number, row.cells.join("|")));
    }
    assert_eq!(seen, ["2:1|2", "3:3|4"]);
    Ok(())
}

#[test]
fn an_unclosed_quote_stops_at_the_row_limit() -> TestResult {
    let dir = tempfile::tempdir()?;
    let mut text = String::from("name,note\nAda,\"never closed\n");
    text.push_str(&"x,y\n".repeat(100_000));
    let options = ReadOptions {
        row_bytes_max: 1024,
        ..ReadOptions::default()
    };
    let reader = TableReader::open(&write_file(dir.path(), "u.csv", text.as_bytes()), &options)?;
    let error = read_all(reader).expect_err("the quote swallows the file");
    assert_eq!(error.code, ROW_TOO_LONG);
    assert!(error.detail.starts_with("row 2:"), "{}", error.detail);
    Ok(())
}

/// A small deterministic generator (xorshift), so failures reproduce.
fn next_random(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn random_bytes_never_panic_the_reader() -> TestResult {
    let dir = tempfile::tempdir()?;
    let alphabet = b",;\t\"\r\n ab\xE4\xB8\xAD\xFF\x00\xD5\xC5";
    let mut state = 0x9E37_79B9_7F4A_7C15;
    for case in 0..300 {
        let length = (next_random(&mut state) % 400) as usize;
        let bytes: Vec<u8> = (0..length)
            .map(|_| {
                let pick = next_random(&mut state);
                if case % 3 == 0 {
                    pick as u8
                } else {
                    alphabet[(pick % alphabet.len() as u64) as usize]
                }
            })
            .collect();
        let path = write_file(dir.path(), "fuzz.csv", &bytes);
        if let Ok(reader) = open(&path) {
            let width = reader.headers().len();
            for row in reader {
                let Ok(row) = row else { break };
                assert!(row.issue.is_some() || row.cells.len() == width);
            }
        }
    }
    Ok(())
}
