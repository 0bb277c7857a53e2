//! Cells bound for a spreadsheet: the one rule that keeps a value from running as a formula when
//! someone opens an exported or rejected-rows file (CSV or XLSX) in Excel or LibreOffice.

use std::borrow::Cow;

/// First characters that make a spreadsheet read a cell as a formula (or start one on paste).
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether `cell` needs neutralising: it starts with one of [`FORMULA_STARTS`] and is not a plain
/// number or a masked one. `+8613812345678` and `-12.5` are numbers to every spreadsheet, never
/// formulas, and prefixing them would break re-importing mobile numbers and negative amounts; a
/// masked mobile (`+86138****5678`) holds only digits and stars, which can call nothing, and a
/// leading `'` would only show as noise in the reader's sheet.
pub fn needs_neutralising(cell: &str) -> bool {
    cell.starts_with(FORMULA_STARTS) && !is_plain_number(cell) && !is_masked_number(cell)
}

/// `cell` as it is safe to write: with a leading `'` when it would run as a formula, so the
/// spreadsheet shows it as text.
pub fn neutralised(cell: &str) -> Cow<'_, str> {
    if needs_neutralising(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// [`neutralised`] for an owned cell, without copying the safe ones.
pub fn neutralise(cell: String) -> String {
    if needs_neutralising(&cell) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// An optional sign, digits, and at most one decimal point followed by digits: nothing a
/// spreadsheet could evaluate.
fn is_plain_number(cell: &str) -> bool {
    let unsigned = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |text: &str| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && fraction.is_none_or(digits)
}

/// A `+` and then digits with one run of stars among them, as `panorama_core::mask` writes a
/// mobile (`+86138****5678`, `+44*******1234`).
fn is_masked_number(cell: &str) -> bool {
    let Some(rest) = cell.strip_prefix('+') else {
        return false;
    };
    let (head, tail) = rest.split_at(rest.find('*').unwrap_or(rest.len()));
    let tail = tail.trim_start_matches('*');
    rest.contains('*')
        && !head.is_empty()
        && head.bytes().all(|b| b.is_ascii_digit())
        && tail.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_formula_start_is_neutralised() {
        for cell in [
            "=1+1",
            "+1+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "=HYPERLINK(\"x\")",
            "-",
            "+",
        ] {
            assert_eq!(neutralised(cell), format!("'{cell}"), "{cell:?}");
            assert_eq!(neutralise(cell.to_owned()), format!("'{cell}"));
        }
    }

    #[test]
    fn plain_text_and_plain_numbers_are_kept() {
        for cell in [
            "王伟",
            "a=b",
            "",
            "+8613812345678",
            "-12.5",
            "42",
            "zoe@example.com",
            "+86138****5678",
            "+44*******1234",
        ] {
            assert_eq!(neutralised(cell), cell, "{cell:?}");
        }
        assert!(needs_neutralising("-1e5"));
        assert!(needs_neutralising("+1.2.3"));
        assert!(needs_neutralising("-.5"));
        assert!(needs_neutralising("+1*2*SUM(A1)"));
        assert!(needs_neutralising("+*1"));
        assert!(needs_neutralising("+1**2*3"));
    }
}
