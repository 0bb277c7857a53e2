//! The header row: trimmed names without a byte-order mark, and the checks that make a header
//! trustworthy (no empty name between columns, no duplicate, not too many, decoded cleanly).

use crate::codes::{self, DUPLICATE_COLUMN, EMPTY_COLUMN_NAME, TOO_MANY_COLUMNS, WRONG_ENCODING};
use crate::encoding::TextEncoding;
use crate::options::COLUMNS_MAX;
use panorama_core::Result;
use panorama_core::text::{TextKind, find_control, shown};
use std::collections::HashSet;

/// A checked header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    /// Column names, trimmed.
    pub names: Vec<String>,
    /// Empty cells left of the first name (a sheet whose table starts in column B or later).
    pub offset: usize,
}

/// Check the cells of header row `row`. Sheets may leave columns empty on the left; a CSV may
/// not. `transcoded` names an encoding whose decoding errors show as U+FFFD.
pub(crate) fn parse(
    cells: &[String],
    row: u64,
    sheet: bool,
    transcoded: Option<TextEncoding>,
) -> Result<Header> {
    let mut names: Vec<String> = cells.iter().map(|c| c.trim().to_owned()).collect();
    if let Some(first) = names.first_mut() {
        // A BOM the decoder did not strip (or one typed into a cell) must not rename the column.
        *first = first.trim_start_matches('\u{FEFF}').trim().to_owned();
    }
    while names.last().is_some_and(String::is_empty) {
        names.pop();
    }
    let offset = if sheet {
        names.iter().take_while(|n| n.is_empty()).count()
    } else {
        0
    };
    names.drain(..offset);
    if let Some(position) = names.iter().position(String::is_empty) {
        return Err(codes::row_error(
            EMPTY_COLUMN_NAME,
            row,
            format!(
                "column {} of the header has no name; name it or delete the column",
                offset + position + 1
            ),
        ));
    }
    if names.len() > COLUMNS_MAX {
        return Err(codes::row_error(
            TOO_MANY_COLUMNS,
            row,
            format!(
                "the header has {} columns; an import takes at most {COLUMNS_MAX}",
                names.len()
            ),
        ));
    }
    if let Some(encoding) = transcoded
        && let Some(name) = names.iter().find(|n| n.contains('\u{FFFD}'))
    {
        return Err(codes::cell_error(
            WRONG_ENCODING,
            row,
            name,
            name,
            format!("the header does not decode as {encoding}; choose the file's real encoding"),
        ));
    }
    // Headers name columns in previews, reports and the stored job; none may hold a control
    // character (PostgreSQL cannot store U+0000, and the others are invisible).
    for (index, name) in names.iter().enumerate() {
        if let Some((position, c)) = find_control(name, TextKind::SingleLine) {
            let shown = shown(name);
            return Err(codes::cell_error(
                panorama_core::codes::CONTROL_CHARACTER,
                row,
                &shown,
                &shown,
                format!(
                    "the header of column {} holds a control character: U+{:04X} at position {position}; rename the column",
                    offset + index + 1,
                    u32::from(c)
                ),
            ));
        }
    }
    let mut seen = HashSet::with_capacity(names.len());
    if let Some(name) = names.iter().find(|n| !seen.insert(n.to_lowercase())) {
        return Err(codes::cell_error(
            DUPLICATE_COLUMN,
            row,
            name,
            name,
            format!("the header names column `{name}` twice; rename or delete one"),
        ));
    }
    Ok(Header { names, offset })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn names_are_trimmed_and_lose_a_bom_and_trailing_blanks() {
        let header = parse(
            &cells(&["\u{FEFF} name ", "Mobile", "", " "]),
            1,
            false,
            None,
        );
        assert_eq!(
            header.ok(),
            Some(Header {
                names: cells(&["name", "Mobile"]),
                offset: 0
            })
        );
    }

    #[test]
    fn sheets_may_start_right_of_column_a_but_csv_may_not() {
        let row = cells(&["", "name", "mobile"]);
        assert_eq!(parse(&row, 3, true, None).map(|h| h.offset).ok(), Some(1));
        let error = parse(&row, 1, false, None).err();
        assert_eq!(error.map(|e| e.code), Some(EMPTY_COLUMN_NAME));
    }

    #[test]
    fn bad_headers_are_refused_with_their_name() {
        let code = |row: &[&str], encoding| parse(&cells(row), 1, false, encoding).err();
        let duplicate = code(&["Email", "name", "email"], None);
        assert_eq!(duplicate.as_ref().map(|e| e.code), Some(DUPLICATE_COLUMN));
        assert_eq!(duplicate.and_then(|e| e.value), Some("email".to_owned()));
        let gap = code(&["name", "", "email"], None);
        assert!(gap.is_some_and(|e| e.detail.contains("column 2")));
        let nul = code(&["name", "e\u{0}mail"], None).expect("a control character");
        assert_eq!(nul.code, panorama_core::codes::CONTROL_CHARACTER);
        assert!(nul.detail.contains("column 2"), "{}", nul.detail);
        assert!(
            nul.detail.contains("U+0000 at position 2"),
            "{}",
            nul.detail
        );
        assert_eq!(nul.value.as_deref(), Some("e\\u{0000}mail"));
        let garbled = code(&["\u{FFFD}\u{FFFD}", "email"], Some(TextEncoding::Big5));
        assert_eq!(garbled.map(|e| e.code), Some(WRONG_ENCODING));
    }
}
