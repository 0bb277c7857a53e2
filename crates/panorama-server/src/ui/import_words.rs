//! Imports in people's words: counts named in the page's language in the order people read them
//! ("新建 6 · 更新 0 · 合并 1 · 重复 1 · 无效 2"), and refusals that say what to do on the page
//! rather than which flag or field to use.

use super::i18n::Lang;
use panorama_core::store::ImportCounts;
use panorama_core::{Error, codes as core_codes};
use panorama_import::codes;
use serde_json::Value as Json;

/// A count's figure in a job's counts.
type Figure = fn(&ImportCounts) -> u64;

/// Counts in reading order: `(key, text key, always shown, figure)`. The others show only when
/// not zero.
const COUNTS: &[(&str, &str, bool, Figure)] = &[
    ("total", "imports.count_total", false, |c| c.total),
    (
        "expected",
        "imports.count_expected",
        true,
        ImportCounts::expected,
    ),
    ("created", "imports.count_created", true, |c| c.created),
    ("updated", "imports.count_updated", true, |c| c.updated),
    ("unchanged", "imports.count_unchanged", false, |c| {
        c.unchanged
    }),
    ("merged", "imports.count_merged", true, |c| c.merged),
    ("deleted", "imports.count_deleted", false, |c| c.deleted),
    ("unsubscribed", "imports.count_unsubscribed", false, |c| {
        c.unsubscribed
    }),
    ("not_found", "imports.count_not_found", false, |c| {
        c.not_found
    }),
    ("consent_kept", "imports.count_consent_kept", false, |c| {
        c.consent_kept
    }),
    ("duplicate", "imports.count_duplicate", true, |c| {
        c.duplicate
    }),
    ("invalid", "imports.count_invalid", true, |c| c.invalid),
];

/// One count for the page: its key (for tests and styling), its name and its figure.
pub struct Count {
    /// The count's key in the API (`created`).
    pub key: &'static str,
    /// Its name in the page's language.
    pub name: &'static str,
    /// Its figure, grouped.
    pub figure: String,
}

/// The counts of `counts` worth showing, named and ordered (none before any were recorded). A
/// preview shows what will happen (rows, will be imported, duplicates, invalid); a run what
/// happened.
pub fn counts(lang: Lang, counts: Option<&ImportCounts>, previewed: bool) -> Vec<Count> {
    let Some(counts) = counts else {
        return Vec::new();
    };
    COUNTS
        .iter()
        .filter(|(key, _, _, _)| {
            if previewed {
                matches!(*key, "total" | "expected" | "duplicate" | "invalid")
            } else {
                *key != "expected"
            }
        })
        .filter_map(|&(key, name, always, figure)| {
            let figure = figure(counts);
            (always || figure > 0 || previewed).then(|| Count {
                key,
                name: lang.t(name),
                figure: lang.number(figure),
            })
        })
        .collect()
}

/// The counts a preview (as stored on its job) shows; `None` for a preview without them.
pub fn preview_counts(preview: &Json) -> Option<ImportCounts> {
    serde_json::from_value(preview.get("counts")?.clone()).ok()
}

/// The counts as one line: "新建 6 · 更新 0 · 合并 1 · 重复 1 · 无效 2".
pub fn summary(lang: Lang, counts: Option<&ImportCounts>, previewed: bool) -> String {
    self::counts(lang, counts, previewed)
        .iter()
        .filter(|c| c.key != "total")
        .map(|c| format!("{} {}", c.name, c.figure))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// An import refusal for people, in the page's language: what happened and what to do, naming
/// the columns or labels concerned; other errors as every page shows them.
pub fn error(lang: Lang, error: &Error) -> String {
    let key = match error.code {
        codes::UNKNOWN_COLUMNS => "imports.err_unknown_columns",
        core_codes::COMPUTED_ATTRIBUTE => "imports.err_computed",
        codes::DUPLICATE_MAPPING => "imports.err_duplicate_mapping",
        codes::UNKNOWN_MAPPING_COLUMN => "imports.err_unknown_mapping_column",
        core_codes::UNKNOWN_ATTRIBUTE if error.field.as_deref() == Some("map") => {
            "imports.err_unknown_attribute"
        }
        codes::WRONG_ENCODING => "imports.err_wrong_encoding",
        codes::UNKNOWN_ENCODING => "imports.err_unknown_encoding",
        codes::EMPTY_FILE => "imports.err_empty_file",
        codes::NOT_A_TABLE_FILE => "imports.err_not_a_table",
        codes::FILE_TOO_LARGE | core_codes::LIMIT_EXCEEDED
            if error.field.as_deref() == Some("file") =>
        {
            "imports.err_too_large"
        }
        codes::DUPLICATE_COLUMN => "imports.err_duplicate_column",
        codes::EMPTY_COLUMN_NAME => "imports.err_empty_column_name",
        codes::TOO_MANY_COLUMNS => "imports.err_too_many_columns",
        codes::MALFORMED_FILE
        | codes::ROW_TOO_LONG
        | codes::CELL_TOO_LONG
        | codes::WORKBOOK_TOO_LARGE => "imports.err_unreadable",
        core_codes::NOT_FOUND if error.field.as_deref() == Some("label") => "imports.err_no_label",
        _ => return super::page::error_message(lang, error),
    };
    lang.t(key)
        .replace("{value}", error.value.as_deref().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn counts_read_in_order_in_the_page_language() {
        let done = json!({"total": 10, "invalid": 2, "duplicate": 1, "created": 6, "updated": 0,
            "unchanged": 0, "merged": 1, "deleted": 0, "not_found": 0, "unsubscribed": 0,
            "consent_kept": 0, "unlisted": 0});
        let done: ImportCounts = serde_json::from_value(done).expect("counts");
        assert_eq!(
            summary(Lang::Zh, Some(&done), false),
            "新建 6 · 更新 0 · 合并 1 · 重复 1 · 无效 2"
        );
        let preview =
            preview_counts(&json!({"counts": {"total": 10, "invalid": 2, "duplicate": 1}}));
        assert_eq!(
            summary(Lang::En, preview.as_ref(), true),
            "Will be imported 7 · Duplicates 1 · Invalid 2"
        );
        assert_eq!(summary(Lang::En, None, false), "", "nothing counted yet");
    }

    #[test]
    fn unknown_columns_are_named_without_flags() {
        let error = Error::invalid(codes::UNKNOWN_COLUMNS, "x", "columns", "备注, shoe");
        let zh = super::error(Lang::Zh, &error);
        assert!(zh.contains("备注, shoe") && !zh.contains("--map"), "{zh}");
    }
}
