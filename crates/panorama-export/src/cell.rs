//! One cell of an export, typed: XLSX writes numbers as number cells and dates as date cells,
//! CSV writes every cell as text a spreadsheet reads back the same way (`YYYY-MM-DD HH:MM:SS` for
//! times, plain digits for numbers). Strings are always text, so a mobile never becomes
//! `8.61E+12` in Excel.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use std::borrow::Cow;

/// Most significant digits a spreadsheet keeps in a number (IEEE doubles, Excel's 15): a longer
/// integer or decimal is written as text so that no digit is lost.
pub const NUMBER_DIGITS_MAX: usize = 15;

/// One export cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    /// Nothing: an absent value.
    Empty,
    /// Text, already neutralised when it would run as a formula.
    Text(Cow<'a, str>),
    /// A number: `value` for XLSX, `text` (the stored form, `12.50`) for CSV, and the digits after
    /// the decimal point the XLSX number format shows.
    Number {
        /// The value a number cell holds.
        value: f64,
        /// The text CSV writes.
        text: Cow<'a, str>,
        /// Decimal places shown (0 for integers).
        decimals: u8,
    },
    /// A calendar date.
    Date(Date),
    /// A wall-clock time in the export's zone.
    DateTime(DateTime),
}

impl Cell<'_> {
    /// The cell as CSV writes it.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Self::Empty => Cow::Borrowed(""),
            Self::Text(text) | Self::Number { text, .. } => Cow::Borrowed(text.as_ref()),
            Self::Date(date) => Cow::Owned(date.strftime("%Y-%m-%d").to_string()),
            Self::DateTime(at) => Cow::Owned(at.strftime("%Y-%m-%d %H:%M:%S").to_string()),
        }
    }

    /// An instant as the wall-clock time of `zone`, to the second (spreadsheets show seconds).
    pub fn instant(at: jiff::Timestamp, zone: &TimeZone) -> Cell<'static> {
        let local = zone.to_datetime(at);
        Cell::DateTime(local.with().subsec_nanosecond(0).build().unwrap_or(local))
    }

    /// A stored integer: a number cell unless it has more digits than a spreadsheet keeps.
    pub fn integer(value: i64) -> Cell<'static> {
        let text = value.to_string();
        if significant_digits(&text) > NUMBER_DIGITS_MAX {
            return Cell::Text(Cow::Owned(text));
        }
        Cell::Number {
            // At most 15 digits: exact in a double.
            value: value as f64,
            text: Cow::Owned(text),
            decimals: 0,
        }
    }

    /// A stored decimal (`12.50`): a number cell showing its scale, or text when it does not fit
    /// a double exactly enough or does not parse.
    pub fn decimal(text: &str) -> Cell<'_> {
        let decimals = text
            .split_once('.')
            .map_or(0, |(_, fraction)| fraction.len());
        match text.parse::<f64>() {
            Ok(value) if value.is_finite() && significant_digits(text) <= NUMBER_DIGITS_MAX => {
                Cell::Number {
                    value,
                    text: Cow::Borrowed(text),
                    decimals: u8::try_from(decimals).unwrap_or(u8::MAX),
                }
            }
            _ => Cell::Text(Cow::Borrowed(text)),
        }
    }
}

/// Digits of a number's text, leading zeros of its whole part aside.
fn significant_digits(text: &str) -> usize {
    text.trim_start_matches(['-', '+'])
        .trim_start_matches(['0', '.'])
        .bytes()
        .filter(u8::is_ascii_digit)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_that_fit_are_numbers_and_longer_ones_text() {
        assert_eq!(Cell::integer(-12).text(), "-12");
        assert!(matches!(Cell::integer(13_812_345_678), Cell::Number { .. }));
        assert!(matches!(
            Cell::integer(1_234_567_890_123_456),
            Cell::Text(_)
        ));
        assert_eq!(
            Cell::decimal("12.50"),
            Cell::Number {
                value: 12.5,
                text: Cow::Borrowed("12.50"),
                decimals: 2
            }
        );
        assert!(matches!(Cell::decimal("12345678901234.56"), Cell::Text(_)));
    }

    #[test]
    fn times_are_written_in_the_zone_to_the_second() {
        let at: jiff::Timestamp = "2026-05-01T01:30:00.123456Z".parse().expect("time");
        let zone = TimeZone::get("Asia/Shanghai").expect("zone");
        assert_eq!(Cell::instant(at, &zone).text(), "2026-05-01 09:30:00");
        assert_eq!(
            Cell::instant(at, &TimeZone::UTC).text(),
            "2026-05-01 01:30:00"
        );
        let date: Date = "2026-05-01".parse().expect("date");
        assert_eq!(Cell::Date(date).text(), "2026-05-01");
    }
}
