//! Header mapping: which attribute (or subscription channel) each column of a file fills, from
//! machine names, display names in either language and common synonyms (`synonyms.rs`), compared
//! folded (`fold.rs`: case, width, spaces and separators ignored), the operator's explicit
//! `COLUMN=attribute` choices, and whether unknown columns are dropped.
//!
//! Every problem is found before anything is written, and all are reported at once.

use crate::codes::{DUPLICATE_MAPPING, UNKNOWN_COLUMNS, UNKNOWN_MAPPING_COLUMN};
use panorama_core::contact::Channel;
use panorama_core::metadata::Schema;
use panorama_core::{Error, codes};
use std::collections::HashMap;
use std::fmt;

mod fold;
pub mod synonyms;

pub use fold::{SUGGESTIONS_MAX, fold, suggest};

/// The attribute name that, in an explicit mapping, drops a column (`--map COLUMN=-`).
pub const DROP_TARGET: &str = "-";

/// What one column of the file becomes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Column {
    /// The value of the attribute with this machine name.
    Attribute(String),
    /// The subscription status of this channel (`global_subscribed`, ...).
    Subscription(Channel),
    /// Ignored.
    Dropped,
}

/// The meaning of every column of a file, by column index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMap {
    headers: Vec<String>,
    columns: Vec<Column>,
    /// Per column: it matched nothing and is dropped only because unknown columns are.
    unmatched: Vec<bool>,
}

impl ColumnMap {
    /// What each column becomes, in file order.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// What column `index` becomes.
    pub fn get(&self, index: usize) -> Option<&Column> {
        self.columns.get(index)
    }

    /// The index of the column that fills `attribute`.
    pub fn attribute_index(&self, attribute: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| matches!(c, Column::Attribute(name) if name == attribute))
    }

    /// The index of the column that carries `channel`'s subscription status.
    pub fn subscription_index(&self, channel: Channel) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| *c == Column::Subscription(channel))
    }

    /// The headers that matched nothing (dropped because unknown columns are), in file order.
    pub fn unmatched(&self) -> Vec<&str> {
        self.headers
            .iter()
            .zip(&self.unmatched)
            .filter(|(_, u)| **u)
            .map(|(h, _)| h.as_str())
            .collect()
    }

    /// The header names of the dropped columns, for the report.
    pub fn dropped(&self) -> Vec<&str> {
        self.headers
            .iter()
            .zip(&self.columns)
            .filter(|(_, c)| **c == Column::Dropped)
            .map(|(h, _)| h.as_str())
            .collect()
    }
}

/// Why a file's columns cannot be mapped: columns that match nothing, and any other problems.
#[derive(Debug, Clone, PartialEq)]
pub struct MappingError {
    /// Header names that match no attribute and were neither mapped nor dropped.
    pub unknown_columns: Vec<String>,
    /// Every other problem: computed attributes, two columns for one attribute, bad mappings.
    pub problems: Vec<Error>,
}

impl MappingError {
    /// One error for an API answer or a CLI message: `unknown_columns` when there are any
    /// (listing them), else the first problem's code with every problem's sentence.
    pub fn to_error(&self) -> Error {
        let mut sentences: Vec<String> = self.problems.iter().map(|e| e.detail.clone()).collect();
        let code = if self.unknown_columns.is_empty() {
            self.problems.first().map_or(UNKNOWN_COLUMNS, |e| e.code)
        } else {
            let names: Vec<String> = self
                .unknown_columns
                .iter()
                .map(|n| format!("`{n}`"))
                .collect();
            sentences.insert(
                0,
                format!(
                    "these columns match no attribute: {}; map each to an attribute or ignore it",
                    names.join(", ")
                ),
            );
            UNKNOWN_COLUMNS
        };
        Error::invalid(
            code,
            sentences.join("; "),
            "columns",
            self.unknown_columns.join(", "),
        )
    }
}

impl fmt::Display for MappingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_error().fmt(f)
    }
}

impl std::error::Error for MappingError {}

/// Decide what each of `headers` becomes. `explicit` pairs (`COLUMN`, `attribute`) override the
/// name matching; an attribute of `-` or nothing drops the column. Unknown columns are dropped
/// when `drop_unknown`, else listed in the error. Computed attributes are always refused.
pub fn map_headers(
    schema: &Schema,
    headers: &[String],
    explicit: &[(String, String)],
    drop_unknown: bool,
) -> Result<ColumnMap, MappingError> {
    let mut problems = Vec::new();
    let mut unknown_columns = Vec::new();
    let chosen = explicit_targets(headers, explicit, &mut problems);
    let mut columns = Vec::with_capacity(headers.len());
    let mut unmatched = vec![false; headers.len()];
    let mut taken: HashMap<Column, &str> = HashMap::new();
    for (index, (header, target)) in headers.iter().zip(chosen).enumerate() {
        let column = match target {
            Some(target) => resolve(schema, header, target, true, &mut problems),
            None => match resolve(schema, header, header, false, &mut problems) {
                Some(column) => Some(column),
                None if drop_unknown => {
                    unmatched[index] = true;
                    Some(Column::Dropped)
                }
                None => {
                    unknown_columns.push(header.clone());
                    None
                }
            },
        };
        let column = column.unwrap_or(Column::Dropped);
        if column != Column::Dropped
            && let Some(first) = taken.insert(column.clone(), header)
        {
            problems.push(Error::invalid(
                DUPLICATE_MAPPING,
                format!(
                    "columns `{first}` and `{header}` both map to {}; ignore one",
                    describe(&column)
                ),
                header.as_str(),
                header,
            ));
        }
        columns.push(column);
    }
    if problems.is_empty() && unknown_columns.is_empty() {
        Ok(ColumnMap {
            headers: headers.to_vec(),
            columns,
            unmatched,
        })
    } else {
        Err(MappingError {
            unknown_columns,
            problems,
        })
    }
}

/// The explicit target of each header, by position; mappings naming no header are problems.
fn explicit_targets<'a>(
    headers: &[String],
    explicit: &'a [(String, String)],
    problems: &mut Vec<Error>,
) -> Vec<Option<&'a str>> {
    let mut chosen = vec![None; headers.len()];
    for (column, attribute) in explicit {
        let wanted = column.trim();
        let position = headers.iter().position(|h| h == wanted).or_else(|| {
            headers
                .iter()
                .position(|h| h.to_lowercase() == wanted.to_lowercase())
        });
        let position = position.or_else(|| headers.iter().position(|h| fold(h) == fold(wanted)));
        match position.and_then(|p| chosen.get_mut(p)) {
            Some(slot @ None) => *slot = Some(attribute.as_str()),
            Some(Some(_)) => problems.push(Error::invalid(
                DUPLICATE_MAPPING,
                format!("column `{wanted}` is mapped twice"),
                "map",
                column,
            )),
            None => problems.push(Error::invalid(
                UNKNOWN_MAPPING_COLUMN,
                format!("the mapping names column `{wanted}`, which the file does not have"),
                "map",
                column,
            )),
        }
    }
    chosen
}

/// What `name` designates: a subscription column, an attribute by machine name, by the company's
/// display name, by a display name in either language, then by a synonym, all compared folded.
/// `None` when nothing matches and the name came from the header; a name the operator gave that
/// matches nothing, or a computed attribute, is a problem.
fn resolve(
    schema: &Schema,
    header: &str,
    name: &str,
    explicit: bool,
    problems: &mut Vec<Error>,
) -> Option<Column> {
    let lower = name.trim().to_lowercase();
    if explicit && (lower.is_empty() || lower == DROP_TARGET) {
        return Some(Column::Dropped);
    }
    let folded = fold(name);
    if let Some(channel) = Channel::ALL
        .into_iter()
        .find(|c| c.column() == lower || fold(c.column()) == folded)
    {
        return Some(Column::Subscription(channel));
    }
    let attributes = schema.attributes();
    let found = attributes
        .iter()
        .find(|d| d.name.as_str() == lower)
        .or_else(|| attributes.iter().find(|d| fold(&d.display_name) == folded))
        .or_else(|| {
            attributes
                .iter()
                .find(|d| d.labels().any(|label| fold(label) == folded))
        })
        .or_else(|| attributes.iter().find(|d| fold(d.name.as_str()) == folded))
        .or_else(|| {
            // Synonyms fill only what a company's own names leave: never a computed attribute.
            let target = synonyms::attribute_for(&folded)?;
            attributes
                .iter()
                .find(|d| d.name.as_str() == target && !d.computed)
        });
    match found {
        Some(def) if def.computed => {
            problems.push(Error::invalid(
                codes::COMPUTED_ATTRIBUTE,
                format!(
                    "column `{header}` is `{}`, which Panorama computes and an import cannot write; ignore the column",
                    def.name
                ),
                header,
                header,
            ));
            Some(Column::Dropped)
        }
        Some(def) => Some(Column::Attribute(def.name.as_str().to_owned())),
        None if explicit => {
            problems.push(Error::invalid(
                codes::UNKNOWN_ATTRIBUTE,
                format!("column `{header}` is mapped to `{name}`, which is no attribute"),
                "map",
                name,
            ));
            Some(Column::Dropped)
        }
        None => None,
    }
}

fn describe(column: &Column) -> String {
    match column {
        Column::Attribute(name) => format!("attribute `{name}`"),
        Column::Subscription(channel) => format!("`{}`", channel.column()),
        Column::Dropped => "nothing".to_owned(),
    }
}

#[cfg(test)]
mod tests;
