//! The columns of an export and the text of each cell. Headers are the attributes' display names,
//! which the importer matches, and values are written in their canonical stored form (RFC 3339
//! times, `true`/`false`), which it parses back: an export re-imports. A masked export (anyone but
//! an admin, PRODUCT.md §5) writes mobiles and emails masked by `panorama_core::mask`; such a file
//! no longer re-imports those columns, which is the point.

use panorama_core::contact::{Columns, Contact};
use panorama_core::mask::{AttributeRule, Masking};
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
    /// How each read attribute is masked, in the order of `attributes`.
    rules: Vec<AttributeRule>,
    masking: Masking,
}

impl ExportColumns {
    /// The export of `columns` (already checked against `schema`), headed by display names, with
    /// values as stored: what the local admin gets. The server calls [`ExportColumns::masked`].
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
        let rules = attributes
            .iter()
            .map(|name| {
                schema
                    .get(name)
                    .map_or(AttributeRule::Detect, AttributeRule::of)
            })
            .collect();
        Self {
            headers,
            sources,
            attributes,
            rules,
            masking: Masking::Unmasked,
        }
    }

    /// The same columns with mobiles and emails masked when `masking` says so.
    pub fn masked(self, masking: Masking) -> Self {
        Self { masking, ..self }
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
            Source::Attribute(index) => {
                let value = contact.values.get(*index).and_then(Option::as_ref);
                match value.and_then(|value| self.mask(*index, value)) {
                    Some(masked) => Cow::Owned(neutralised(&masked).into_owned()),
                    None => match value {
                        None | Some(Json::Null) => Cow::Borrowed(""),
                        Some(Json::String(text)) => neutralised(text),
                        Some(other) => Cow::Owned(neutralised(&other.to_string()).into_owned()),
                    },
                }
            }
        })
    }

    /// The masked text of the `index`-th read attribute's `value`, when it is masked.
    fn mask(&self, index: usize, value: &Json) -> Option<String> {
        if self.masking == Masking::Unmasked {
            return None;
        }
        let rule = self
            .rules
            .get(index)
            .copied()
            .unwrap_or(AttributeRule::Detect);
        rule.mask(value)
            .map(|masked| panorama_core::value::display(&masked))
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

    #[test]
    fn a_masked_export_masks_mobiles_and_emails_only() {
        let schema = Schema::new(preset_attributes());
        let columns = Columns::parse_list(&schema, "name,mobile,email,member_points").expect("ok");
        let at = jiff::Timestamp::from_second(1_700_000_000).expect("time");
        let values = ContactValues {
            contact_id: ContactId::new(),
            created_at: at,
            updated_at: at,
            values: vec![
                Some(json!("张伟")),
                Some(json!("+8613812345678")),
                Some(json!("zhang@example.com")),
                Some(json!(13812345678_i64)),
            ],
        };
        let cells = |masking| -> Vec<String> {
            ExportColumns::new(&schema, &columns)
                .masked(masking)
                .cells(&values)
                .map(Cow::into_owned)
                .collect()
        };
        assert_eq!(
            cells(Masking::Masked),
            ["张伟", "'+86138****5678", "z***@example.com", "13812345678"]
        );
        assert_eq!(
            cells(Masking::Unmasked),
            ["张伟", "+8613812345678", "zhang@example.com", "13812345678"]
        );
    }
}
