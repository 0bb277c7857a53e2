//! Spreadsheet cells as the text a person sees in Excel: `13812345678`, not `13812345678.0`;
//! `2024-03-01`, not `45352`; `true`, not `TRUE()`.

use calamine::{Data, DataRef, ExcelDateTime};
use std::fmt::Write;

/// Significant digits Excel shows of a number; more digits are binary noise (`0.1 + 0.2`).
const EXCEL_SIGNIFICANT_DIGITS: usize = 15;
/// Seconds in a day, the unit of Excel's date serial numbers.
const SECONDS_PER_DAY: f64 = 86_400.0;

/// Write the text of an owned cell (XLS ranges) into `out`, which is cleared first.
pub(crate) fn data_text(cell: &Data, out: &mut String) {
    out.clear();
    match cell {
        Data::Int(value) => push(out, value),
        Data::Float(value) => float_text(*value, out),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => {
            out.push_str(text)
        }
        Data::Bool(value) => push(out, value),
        Data::DateTime(value) => datetime_text(value, out),
        Data::Error(error) => push(out, error),
        Data::Empty => {}
    }
}

/// Write the text of a streamed cell (XLSX) into `out`, which is cleared first.
pub(crate) fn data_ref_text(cell: &DataRef<'_>, out: &mut String) {
    out.clear();
    match cell {
        DataRef::Int(value) => push(out, value),
        DataRef::Float(value) => float_text(*value, out),
        DataRef::String(text) | DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => {
            out.push_str(text)
        }
        DataRef::SharedString(text) => out.push_str(text),
        DataRef::Bool(value) => push(out, value),
        DataRef::DateTime(value) => datetime_text(value, out),
        DataRef::Error(error) => push(out, error),
        DataRef::Empty => {}
    }
}

fn push(out: &mut String, value: impl std::fmt::Display) {
    // Writing to a String cannot fail.
    let _ = write!(out, "{value}");
}

/// The shortest text of `value` once rounded to what Excel shows; integers carry no `.0`.
fn float_text(value: f64, out: &mut String) {
    let digits = EXCEL_SIGNIFICANT_DIGITS - 1;
    let rounded = format!("{value:.digits$e}").parse().unwrap_or(value);
    // Rust prints the shortest text that reads back the same, and never an exponent.
    push(out, rounded);
}

/// `YYYY-MM-DD` for a date, `YYYY-MM-DDTHH:MM:SS` when it has a time of day, `HH:MM:SS` for a
/// time alone, `H:MM:SS` for a duration.
fn datetime_text(value: &ExcelDateTime, out: &mut String) {
    let serial = value.as_f64();
    if value.is_duration() || (0.0..1.0).contains(&serial) {
        let seconds = (serial * SECONDS_PER_DAY).round() as i64;
        let hours = seconds / 3600;
        let (minutes, seconds) = (seconds % 3600 / 60, seconds % 60);
        if value.is_duration() {
            push(out, format_args!("{hours}:{minutes:02}:{seconds:02}"));
        } else {
            push(out, format_args!("{hours:02}:{minutes:02}:{seconds:02}"));
        }
        return;
    }
    let (year, month, day, hour, minute, second, milli) = value.to_ymd_hms_milli();
    push(out, format_args!("{year:04}-{month:02}-{day:02}"));
    if (hour, minute, second, milli) != (0, 0, 0, 0) {
        push(out, format_args!("T{hour:02}:{minute:02}:{second:02}"));
    }
    if milli != 0 {
        push(out, format_args!(".{milli:03}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;

    fn text(cell: Data) -> String {
        let mut out = String::from("stale");
        data_text(&cell, &mut out);
        out
    }

    #[test]
    fn numbers_read_as_people_see_them() {
        assert_eq!(text(Data::Float(13_812_345_678.0)), "13812345678");
        assert_eq!(text(Data::Float(0.1 + 0.2)), "0.3");
        assert_eq!(text(Data::Float(-12.5)), "-12.5");
        assert_eq!(text(Data::Float(1e20)), "100000000000000000000");
        assert_eq!(text(Data::Int(42)), "42");
        assert_eq!(text(Data::Bool(true)), "true");
        assert_eq!(text(Data::Empty), "");
        assert_eq!(text(Data::String(" 张三 ".into())), " 张三 ");
    }

    #[test]
    fn dates_times_and_durations() {
        let at = |serial, kind| Data::DateTime(ExcelDateTime::new(serial, kind, false));
        assert_eq!(text(at(45352.0, ExcelDateTimeType::DateTime)), "2024-03-01");
        assert_eq!(
            text(at(45352.5, ExcelDateTimeType::DateTime)),
            "2024-03-01T12:00:00"
        );
        assert_eq!(text(at(0.4375, ExcelDateTimeType::DateTime)), "10:30:00");
        assert_eq!(text(at(1.5, ExcelDateTimeType::TimeDelta)), "36:00:00");
    }
}
