//! Rows to records: each cell parsed against its attribute, empty cells treated as the operator
//! chose, and every failure turned into a rejected row naming row, column, value and reason.

use crate::mapping::{Column, ColumnMap};
use crate::options::{REJECTED_CELLS_BYTES_MAX, REJECTED_VALUE_BYTES_MAX};
use crate::purpose::{EmptyCells, ImportOptions, Purpose};
use crate::row::{Row, RowIssue};
use panorama_core::Error;
use panorama_core::contact::{Channel, ContactRecord};
use panorama_core::metadata::{AttributeDef, Schema};
use panorama_core::text::shown;
use panorama_core::value::{ParseOptions, parse_text};

/// A row that was not imported, and why.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RejectedRow {
    /// Row number as a person counts rows in the file.
    pub row: u64,
    /// The column at fault (its header), empty when the whole row is at fault.
    pub column: String,
    /// The offending value.
    pub value: String,
    /// Stable error code.
    pub code: String,
    /// What is wrong, for people.
    pub reason: String,
    /// The row's cells as read.
    #[serde(skip)]
    pub cells: Vec<String>,
}

/// `text` cut to at most `bytes` bytes on a character boundary.
fn clip(text: &str, bytes: usize) -> String {
    let mut end = text.len().min(bytes);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default().to_owned()
}

/// A rejected row's cells as kept: control characters escaped, each cut to [`REJECTED_VALUE_BYTES_MAX`], all together to
/// [`REJECTED_CELLS_BYTES_MAX`] (the row number finds the rest in the file).
fn clip_cells(cells: &[String]) -> Vec<String> {
    let mut left = REJECTED_CELLS_BYTES_MAX;
    let mut kept = Vec::with_capacity(cells.len().min(64));
    for cell in cells {
        if left == 0 {
            break;
        }
        let cell = clip(&shown(cell), REJECTED_VALUE_BYTES_MAX.min(left));
        left -= cell.len().min(left);
        kept.push(cell);
    }
    kept
}

impl RejectedRow {
    /// Reject `row` for `error`, naming the column by its header. Control characters in the
    /// value and the cells are written as `\u{XXXX}` (the rejection is stored, and PostgreSQL
    /// holds no U+0000), then each is cut to [`REJECTED_VALUE_BYTES_MAX`] bytes, so a huge cell
    /// is never stored or echoed; the row number finds the original.
    pub fn new(row: &Row, column: Option<&str>, error: &Error) -> Self {
        Self {
            row: row.number,
            column: column
                .map(str::to_owned)
                .or_else(|| error.field.clone().filter(|f| f != "row"))
                .unwrap_or_default(),
            value: error
                .value
                .as_deref()
                .filter(|_| error.field.as_deref() != Some("row"))
                .map(|value| clip(&shown(value), REJECTED_VALUE_BYTES_MAX))
                .unwrap_or_default(),
            code: error.code.to_owned(),
            reason: clip(&shown(&error.detail), REJECTED_VALUE_BYTES_MAX),
            cells: clip_cells(&row.cells),
        }
    }
}

impl RejectedRow {
    /// The row as a job records it.
    pub fn to_job_rejection(&self) -> panorama_core::store::JobRejection {
        panorama_core::store::JobRejection {
            row: self.row,
            column: self.column.clone(),
            value: self.value.clone(),
            code: self.code.clone(),
            reason: self.reason.clone(),
            cells: self.cells.clone(),
        }
    }
}

enum Plan {
    Attribute(AttributeDef),
    Subscription(Channel),
    Dropped,
}

/// Turns rows of one file into records, following its column map.
pub struct RowConverter {
    headers: Vec<String>,
    columns: Vec<Plan>,
    parse: ParseOptions,
    empty: EmptyCells,
    schema: Schema,
}

impl RowConverter {
    /// A converter for a file with `headers` mapped by `map`. Purposes other than upsert read
    /// only the key columns: the rest of a delete or unsubscribe file is context, not data.
    pub fn new(
        schema: &Schema,
        headers: &[String],
        map: &ColumnMap,
        options: &ImportOptions,
    ) -> Self {
        let keys_only = options.purpose() != Purpose::Upsert;
        let columns = map
            .columns()
            .iter()
            .map(|column| match column {
                Column::Attribute(name) => match schema.get(name) {
                    Some(def) if !keys_only || def.is_identity() => Plan::Attribute(def.clone()),
                    _ => Plan::Dropped,
                },
                Column::Subscription(channel) if !keys_only => Plan::Subscription(*channel),
                _ => Plan::Dropped,
            })
            .collect();
        Self {
            headers: headers.to_vec(),
            columns,
            parse: ParseOptions {
                default_country: options.default_country,
            },
            empty: options.empty,
            schema: schema.clone(),
        }
    }

    /// Convert one row, or say why it is rejected.
    pub fn convert(&self, row: &Row) -> Result<ContactRecord, Box<RejectedRow>> {
        if let Some(issue) = row.issue {
            let column = match issue {
                RowIssue::Undecodable { column, .. } => self.headers.get(column),
                _ => None,
            };
            return Err(Box::new(RejectedRow::new(
                row,
                column.map(String::as_str),
                &issue.error(row.number),
            )));
        }
        let mut record = ContactRecord::default();
        for (index, (plan, cell)) in self.columns.iter().zip(&row.cells).enumerate() {
            let header = self.headers.get(index).map(String::as_str);
            let reject = |error: Error| {
                let error = Error {
                    detail: format!("row {}: {}", row.number, error.detail),
                    ..error
                };
                Box::new(RejectedRow::new(row, header, &error))
            };
            match plan {
                Plan::Dropped => {}
                Plan::Subscription(channel) => record
                    .add_subscription_text(*channel, cell)
                    .map_err(reject)?,
                Plan::Attribute(def) => {
                    let value = parse_text(def, cell, self.parse).map_err(reject)?;
                    let value = match (value, self.empty) {
                        (Some(value), _) => Some(value),
                        (None, EmptyCells::Keep) => continue,
                        (None, EmptyCells::Clear) if def.nullable => None,
                        (None, _) => def.default_value.clone(),
                    };
                    if value.is_none() && !def.nullable {
                        continue;
                    }
                    record.add_value(def, value).map_err(reject)?;
                }
            }
        }
        record.finish(&self.schema).map_err(|error| {
            let error = Error {
                detail: format!("row {}: {}", row.number, error.detail),
                ..error
            };
            Box::new(RejectedRow::new(row, Some(""), &error))
        })?;
        Ok(record)
    }
}
