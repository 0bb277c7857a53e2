//! The columns of an export and each cell. Headers are the attributes' display names in the
//! exporter's language, which the importer matches; values are typed [`Cell`]s: numbers, dates and
//! times (in the exporter's zone) as a spreadsheet reads them, text as stored (`true`/`false`,
//! enum values). A masked export (anyone but an admin, PRODUCT.md §5) writes mobiles and emails
//! masked by `panorama_core::mask`; such a file no longer re-imports those columns, which is the
//! point.

use crate::cell::Cell;
use jiff::tz::TimeZone;
use panorama_core::contact::{Columns, Contact};
use panorama_core::mask::{AttributeRule, Masking};
use panorama_core::metadata::{AttributeType, Language, Schema};
use panorama_core::spreadsheet::neutralised;
use panorama_core::store::ContactValues;
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
    /// Each read attribute's type (`None` for one the schema no longer holds).
    types: Vec<Option<AttributeType>>,
    masking: Masking,
    /// The zone times are written in.
    zone: TimeZone,
}

impl ExportColumns {
    /// The export of `columns` (already checked against `schema`), headed by their display names
    /// in `language`, with values unmasked and times in UTC: what the local admin gets unless
    /// [`ExportColumns::in_zone`] says otherwise. The server calls [`ExportColumns::masked`].
    pub fn new(schema: &Schema, columns: &Columns, language: Language) -> Self {
        let headers = columns
            .names()
            .iter()
            .map(|name| {
                schema
                    .get(name)
                    .map_or_else(|| name.clone(), |def| def.label(language).to_owned())
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
        let types = attributes
            .iter()
            .map(|name| schema.get(name).map(|def| def.attribute_type))
            .collect();
        Self {
            headers,
            sources,
            attributes,
            rules,
            types,
            masking: Masking::Unmasked,
            zone: TimeZone::UTC,
        }
    }

    /// The same columns with mobiles and emails masked when `masking` says so.
    pub fn masked(self, masking: Masking) -> Self {
        Self { masking, ..self }
    }

    /// The same columns with times written as the wall-clock time of `zone`.
    pub fn in_zone(self, zone: TimeZone) -> Self {
        Self { zone, ..self }
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

    /// The cells of `contact`, in column order, text neutralised; an absent value is empty.
    pub fn cells<'a>(&'a self, contact: &'a ContactValues) -> impl Iterator<Item = Cell<'a>> + 'a {
        self.sources.iter().map(move |source| match source {
            Source::ContactId => Cell::Text(Cow::Owned(contact.contact_id.to_string())),
            Source::CreatedAt => Cell::instant(contact.created_at, &self.zone),
            Source::UpdatedAt => Cell::instant(contact.updated_at, &self.zone),
            Source::Attribute(index) => {
                let value = contact.values.get(*index).and_then(Option::as_ref);
                match value.and_then(|value| self.mask(*index, value)) {
                    Some(masked) => Cell::Text(Cow::Owned(neutralised(&masked).into_owned())),
                    None => match value {
                        None | Some(Json::Null) => Cell::Empty,
                        Some(value) => self.typed(*index, value),
                    },
                }
            }
        })
    }

    /// The cell of the `index`-th read attribute's unmasked `value`, by the attribute's type; a
    /// value that does not read as its type is written as neutralised text.
    fn typed<'a>(&self, index: usize, value: &'a Json) -> Cell<'a> {
        let kind = self.types.get(index).copied().flatten();
        let typed = match (kind, value) {
            (Some(AttributeType::Integer), Json::Number(number)) => {
                number.as_i64().map(Cell::integer)
            }
            (Some(AttributeType::Decimal), Json::String(text)) => Some(Cell::decimal(text)),
            (Some(AttributeType::Date), Json::String(text)) => text.parse().ok().map(Cell::Date),
            (Some(AttributeType::Datetime), Json::String(text)) => text
                .parse::<jiff::Timestamp>()
                .ok()
                .map(|at| Cell::instant(at, &self.zone)),
            _ => None,
        };
        typed.unwrap_or_else(|| match value {
            Json::String(text) => Cell::Text(neutralised(text)),
            other => Cell::Text(Cow::Owned(neutralised(&other.to_string()).into_owned())),
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

    fn texts(export: &ExportColumns, values: &ContactValues) -> Vec<String> {
        export
            .cells(values)
            .map(|cell| cell.text().into_owned())
            .collect()
    }

    #[test]
    fn cells_follow_the_columns_with_display_names_and_typed_values() {
        let schema = Schema::new(preset_attributes());
        let columns = Columns::parse_list(
            &schema,
            "name,mobile,member_points,created_at,city,birthday,order_amount",
        )
        .expect("ok");
        let zone = TimeZone::get("Asia/Shanghai").expect("zone");
        let export = ExportColumns::new(&schema, &columns, Language::En).in_zone(zone);
        let at = jiff::Timestamp::from_second(1_700_000_000).expect("time");
        let contact = Contact {
            contact_id: ContactId::new(),
            attributes: [
                ("name".to_owned(), json!("=HYPERLINK(\"x\")")),
                ("mobile".to_owned(), json!("+8613812345678")),
                ("member_points".to_owned(), json!(-12)),
                ("birthday".to_owned(), json!("1990-05-01")),
                ("order_amount".to_owned(), json!("128.50")),
            ]
            .into_iter()
            .collect(),
            subscription: Subscription::subscribed(at, "test"),
            created_at: at,
            updated_at: at,
        };
        let values = export.values_of(&contact);
        assert_eq!(
            texts(&export, &values),
            [
                "'=HYPERLINK(\"x\")",
                "+8613812345678",
                "-12",
                "2023-11-15 06:13:20",
                "",
                "1990-05-01",
                "128.50"
            ]
        );
        let cells: Vec<Cell> = export.cells(&values).collect();
        assert!(matches!(cells[1], Cell::Text(_)), "a mobile is text");
        assert!(matches!(cells[2], Cell::Number { value, .. } if value == -12.0));
        assert!(matches!(cells[3], Cell::DateTime(_)));
        assert!(matches!(cells[5], Cell::Date(_)));
        assert!(matches!(cells[6], Cell::Number { decimals: 2, .. }));
        assert_eq!(export.headers().len(), 7);
        let mut odd = contact.clone();
        for (start, name) in ["\t=1", "\r=1", "@x", "+x", "-x", "=x"]
            .iter()
            .zip(["name"; 6])
        {
            odd.attributes.insert(name.to_owned(), json!(start));
            let values = export.values_of(&odd);
            let first = texts(&export, &values).into_iter().next();
            assert_eq!(first, Some(format!("'{start}")), "{start:?}");
        }
        assert_eq!(
            export.headers()[0],
            "Name",
            "display names head the columns"
        );
        let chinese = ExportColumns::new(&schema, &columns, Language::Zh);
        assert_eq!(chinese.headers()[..2], ["姓名", "手机号"]);
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
            let export = ExportColumns::new(&schema, &columns, Language::En).masked(masking);
            texts(&export, &values)
        };
        assert_eq!(
            cells(Masking::Masked),
            ["张伟", "+86138****5678", "z***@example.com", "13812345678"],
            "a masked mobile is no formula: no apostrophe"
        );
        assert_eq!(
            cells(Masking::Unmasked),
            ["张伟", "+8613812345678", "zhang@example.com", "13812345678"]
        );
    }
}
