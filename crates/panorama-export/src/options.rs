//! What an export is asked for: the file format and, for CSV, the text encoding, the zone times are
//! written in and the language of the headers, parsed from what a person typed (`?format=xlsx`,
//! `--encoding gbk`, `time_zone=Asia/Shanghai`, `--lang zh`, the extension of `-o contacts.xlsx`).

use jiff::tz::TimeZone;
use panorama_core::metadata::Language;
use panorama_core::{Error, Result, codes};
use std::path::Path;

/// The zone an export writes times in: an IANA name (`Asia/Shanghai`, `UTC`); absent or empty
/// gives `default` (the company's). `field` names the parameter in the error.
pub fn parse_time_zone(text: Option<&str>, default: &TimeZone, field: &str) -> Result<TimeZone> {
    match text.map(str::trim).filter(|name| !name.is_empty()) {
        None => Ok(default.clone()),
        Some(name) => TimeZone::get(name).map_err(|_| {
            Error::invalid(
                codes::INVALID_VALUE,
                "not a time zone name such as Asia/Shanghai or Europe/Berlin",
                field,
                name,
            )
        }),
    }
}

/// The language of an export's headers: `en` or `zh` (any case, `zh-CN` too); absent or empty
/// gives `default`. `field` names the parameter in the error.
pub fn parse_language(text: Option<&str>, default: Language, field: &str) -> Result<Language> {
    match text.map(str::trim).filter(|code| !code.is_empty()) {
        None => Ok(default),
        Some(code) => Language::parse(code).ok_or_else(|| {
            Error::invalid(
                codes::INVALID_VALUE,
                "the header language is `en` or `zh`",
                field,
                code,
            )
        }),
    }
}

/// The file format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExportFormat {
    /// RFC 4180 CSV, in the chosen [`ExportEncoding`].
    #[default]
    Csv,
    /// An Excel workbook, continued on further sheets past Excel's row limit.
    Xlsx,
}

impl ExportFormat {
    /// Parse `csv` or `xlsx` (any case); absent or empty means CSV. `field` names the parameter
    /// in the error (`format` for the API, `--format` for the CLI).
    pub fn parse(text: Option<&str>, field: &str) -> Result<Self> {
        match text.map(str::trim).map(str::to_ascii_lowercase).as_deref() {
            None | Some("") | Some("csv") => Ok(Self::Csv),
            Some("xlsx") => Ok(Self::Xlsx),
            Some(_) => Err(Error::invalid(
                codes::INVALID_VALUE,
                "the export format is `csv` or `xlsx`",
                field,
                text.unwrap_or_default(),
            )),
        }
    }

    /// The format a file name asks for by its extension (`.csv`, `.xlsx`), if any.
    pub fn from_path(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Some(Self::Csv),
            "xlsx" => Some(Self::Xlsx),
            _ => None,
        }
    }

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }

    /// The media type of the file.
    pub fn content_type(self, encoding: ExportEncoding) -> &'static str {
        match (self, encoding) {
            (Self::Xlsx, _) => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            (Self::Csv, ExportEncoding::Gbk) => "text/csv; charset=gbk",
            (Self::Csv, _) => "text/csv; charset=utf-8",
        }
    }
}

/// The text encoding of a CSV export (an XLSX file is always Unicode inside).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExportEncoding {
    /// UTF-8 without a byte-order mark: what programs expect.
    Utf8,
    /// UTF-8 with a byte-order mark, so Excel reads Chinese right (the default).
    #[default]
    Utf8Bom,
    /// GBK (code page 936), what Excel on a Chinese Windows assumes for a CSV without a BOM.
    /// Characters GBK cannot hold (emoji, rare characters) are written as `?`, as Windows itself
    /// does for code page 936; they are counted in [`crate::ExportSummary::unmappable`].
    Gbk,
}

impl ExportEncoding {
    /// Parse `utf-8`, `utf-8-bom` or `gbk` (any case; `utf8`, `utf8-bom` too); absent or empty
    /// means `utf-8-bom`. `field` names the parameter in the error.
    pub fn parse(text: Option<&str>, field: &str) -> Result<Self> {
        match text.map(str::trim).map(str::to_ascii_lowercase).as_deref() {
            None | Some("") | Some("utf-8-bom") | Some("utf8-bom") => Ok(Self::Utf8Bom),
            Some("utf-8") | Some("utf8") => Ok(Self::Utf8),
            Some("gbk") => Ok(Self::Gbk),
            Some(_) => Err(Error::invalid(
                codes::INVALID_VALUE,
                "the export encoding is `utf-8`, `utf-8-bom` or `gbk`",
                field,
                text.unwrap_or_default(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_encodings_parse_or_name_the_bad_value() {
        assert_eq!(ExportFormat::parse(None, "format"), Ok(ExportFormat::Csv));
        assert_eq!(
            ExportFormat::parse(Some(" XLSX "), "format"),
            Ok(ExportFormat::Xlsx)
        );
        let error = ExportFormat::parse(Some("pdf"), "format").expect_err("unknown");
        assert_eq!(error.field.as_deref(), Some("format"));
        assert_eq!(error.value.as_deref(), Some("pdf"));
        assert_eq!(
            ExportEncoding::parse(None, "encoding"),
            Ok(ExportEncoding::Utf8Bom)
        );
        assert_eq!(
            ExportEncoding::parse(Some("GBK"), "encoding"),
            Ok(ExportEncoding::Gbk)
        );
        let error = ExportEncoding::parse(Some("latin1"), "--encoding").expect_err("unknown");
        assert_eq!(error.field.as_deref(), Some("--encoding"));
        assert_eq!(
            ExportFormat::from_path(Path::new("a/b.XLSX")),
            Some(ExportFormat::Xlsx)
        );
        assert_eq!(ExportFormat::from_path(Path::new("b.txt")), None);
    }

    #[test]
    fn zones_and_languages_parse_or_name_the_bad_value() {
        let zone = parse_time_zone(Some(" Asia/Shanghai "), &TimeZone::UTC, "time_zone");
        assert_eq!(
            zone.ok()
                .and_then(|z| z.iana_name().map(str::to_owned))
                .as_deref(),
            Some("Asia/Shanghai")
        );
        assert_eq!(
            parse_time_zone(None, &TimeZone::UTC, "time_zone"),
            Ok(TimeZone::UTC)
        );
        let error =
            parse_time_zone(Some("Mars/Base"), &TimeZone::UTC, "--time-zone").expect_err("bad");
        assert_eq!(error.field.as_deref(), Some("--time-zone"));
        assert_eq!(error.value.as_deref(), Some("Mars/Base"));
        assert_eq!(
            parse_language(Some("ZH"), Language::En, "lang"),
            Ok(Language::Zh)
        );
        assert_eq!(
            parse_language(Some(""), Language::En, "lang"),
            Ok(Language::En)
        );
        let error = parse_language(Some("fr"), Language::En, "lang").expect_err("bad");
        assert_eq!(error.value.as_deref(), Some("fr"));
    }
}
