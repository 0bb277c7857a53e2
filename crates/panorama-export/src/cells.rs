//! The columns of an export and the text of each cell. Headers are the attributes' display names,
//! which the importer matches, and values are written in their canonical stored form (RFC 3339
//! times, `true`/`false`), which it parses back: an export re-imports.

use panorama_core::contact::{Columns, Contact};
use panorama_core::metadata::Schema;
use panorama_core::spreadsheet::neutralised;
use panorama_core::store::ContactValues;
use panorama_core::value::format_timestamp;
use serde_json::Value as Json;
use std::borrow::Cow;

/// Where a column's value comes from: the system fields, or the n-th read attribute.
#[derive(Debug, Clone)]
enum Source {
    ContactId,
    CreatedAt,
    UpdatedAt,
    Attribute(usize),
}

/// The checked columns of one export, with their headers.
#[derive(Debug, Clone)]
pub struct ExportColumns {
    headers: Vec<String>,
    sources: Vec<Source>,
    attributes: Vec<String>,
}

impl ExportColumns {
    /// The export of `columns` (already checked against `schema`), headed by display names.
    pub fn new(schema: &Schema, columns: &Columns) -> Self {
        let headers = columns
            .names()
            .iter()
            .map(|name| {
                schema
                    .get(name)
                    .map_or_else(|| name.clone(), |def| def.display_name.clone())
            })
            .collect();
        let mut attributes = Vec::new();
        let sources = columns
            .names()
            .iter()
            .map(|name| match name.as_str() {
                "contact_id" => Source::ContactId,
                "created_at" => Source::CreatedAt,
                "updated_at" => Source::UpdatedAt,
                other => {
                    attributes.push(other.to_owned());
                    Source::Attribute(attributes.len() - 1)
                }
            })
            .collect();
        Self {
            headers,
            sources,
            attributes,
        }
    }

    /// The attributes whose values the export reads (the columns other than the system ones).
    pub fn attributes(&self) -> &[String] {
        &self.attributes
    }

    /// What the export reads of a whole contact.
    pub fn values_of(&self, contact: &Contact) -> ContactValues {
        ContactValues {
            contact_id: contact.contact_id,
            created_at: contact.created_at,
            updated_at: contact.updated_at,
            values: self
                .attributes
                .iter()
                .map(|name| contact.attributes.get(name).cloned())
                .collect(),
        }
    }

    /// The header row: each column's display name, neutralised like any cell.
    pub fn headers(&self) -> Vec<String> {
        self.headers
            .iter()
            .map(|header| neutralised(header).into_owned())
            .collect()
    }

    /// How many columns.
    pub fn len(&self) -> usize {
        self.sources.len()
    }

    /// Whether there are no columns (never, for checked [`Columns`]).
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// The cells of `contact`, in column order, neutralised; an absent value is an empty cell.
    pub fn cells<'a>(
        &'a self,
        contact: &'a ContactValues,
    ) -> impl Iterator<Item = Cow<'a, str>> + 'a {
        self.sources.iter().map(move |source| match source {
            Source::ContactId => Cow::Owned(contact.contact_id.to_string()),
            Source::CreatedAt => Cow::Owned(format_timestamp(contact.created_at)),
            Source::UpdatedAt => Cow::Owned(format_timestamp(contact.updated_at)),
            Source::Attribute(index) => match contact.values.get(*index).and_then(Option::as_ref) {
                None | Some(Json::Null) => Cow::Borrowed(""),
                Some(Json::String(text)) => neutralised(text),
                Some(other) => Cow::Owned(neutralised(&other.to_string()).into_owned()),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use panorama_core::contact::{ContactId, Subscription};
    use panorama_core::metadata::preset_attributes;
    use serde_json::json;

    #[test]
    fn cells_follow_the_columns_with_display_names_and_stored_forms() {
        let schema = Schema::new(preset_attributes());
        let columns =
            Columns::parse_list(&schema, "name,mobile,member_points,created_at,city").expect("ok");
        let export = ExportColumns::new(&schema, &columns);
        let at = jiff::Timestamp::from_second(1_700_000_000).expect("time");
        let contact = Contact {
            contact_id: ContactId::new(),
            attributes: [
                ("name".to_owned(), json!("=HYPERLINK(\"x\")")),
                ("mobile".to_owned(), json!("+8613812345678")),
                ("member_points".to_owned(), json!(-12)),
            ]
            .into_iter()
            .collect(),
            subscription: Subscription::subscribed(at, "test"),
            created_at: at,
            updated_at: at,
        };
        let values = export.values_of(&contact);
        let cells: Vec<String> = export.cells(&values).map(Cow::into_owned).collect();
        assert_eq!(
            cells,
            [
                "'=HYPERLINK(\"x\")",
                "+8613812345678",
                "-12",
                "2023-11-14T22:13:20.000000Z",
                ""
            ]
        );
        assert_eq!(export.headers().len(), 5);
        let mut odd = contact.clone();
        for (start, name) in ["\t=1", "\r=1", "@x", "+x", "-x", "=x"]
            .iter()
            .zip(["name"; 6])
        {
            odd.attributes.insert(name.to_owned(), json!(start));
            let values = export.values_of(&odd);
            let first = export.cells(&values).next().map(Cow::into_owned);
            assert_eq!(first, Some(format!("'{start}")), "{start:?}");
        }
        assert_ne!(
            export.headers()[0],
            "name",
            "display names head the columns"
        );
    }
}
