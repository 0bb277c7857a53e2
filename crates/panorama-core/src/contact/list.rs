//! What the contacts list asks for (search, sort) and the reference meaning of both: the text a
//! search matches and the order a sort gives. Every store answers exactly as [`Search::matches`]
//! and [`Sort::compare`] say; the conformance suite checks it against a plain scan.

use super::Contact;
use super::SearchMode;
use crate::error::{Error, Result, codes};
use crate::mask::AttributeRule;
use crate::metadata::{AttributeDef, AttributeType, Schema};
use serde_json::Value as Json;
use std::cmp::Ordering;

/// Longest keyword a search accepts, in characters.
pub const SEARCH_KEYWORD_CHARS_MAX: usize = 100;

/// A search keyword: trimmed, lower-cased, 1 to [`SEARCH_KEYWORD_CHARS_MAX`] characters, no
/// control characters. Every other character (`%`, `_`, `\`, `'`...) is taken literally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyword(String);

impl Keyword {
    /// Parse a keyword as typed; `None` when it is empty after trimming.
    pub fn parse(raw: &str) -> Result<Option<Self>> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Ok(None);
        }
        // Counted after folding: some letters fold to two (`İ` to `i̇`), and a keyword must parse
        // again to itself.
        let folded = fold(trimmed);
        if folded.chars().count() > SEARCH_KEYWORD_CHARS_MAX {
            return Err(Error::invalid(
                codes::LIMIT_EXCEEDED,
                format!("a keyword holds at most {SEARCH_KEYWORD_CHARS_MAX} characters"),
                "q",
                trimmed,
            ));
        }
        if trimmed.chars().any(char::is_control) {
            return Err(Error::invalid(
                codes::INVALID_VALUE,
                "a keyword may not hold control characters",
                "q",
                trimmed.escape_debug(),
            ));
        }
        Ok(Some(Self(folded)))
    }

    /// The folded keyword.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Which values a search looks in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchField {
    /// Every searchable attribute.
    Any,
    /// One searchable attribute, by machine name.
    Attribute(String),
}

/// A keyword search on one field or on any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    /// Where to look.
    pub field: SearchField,
    /// What to look for.
    pub keyword: Keyword,
    /// How values are compared with it: by substring, or masked values only whole.
    pub mode: SearchMode,
}

impl Search {
    /// Parse `field` (an attribute name, or `any` / absent) and `q`; `None` when `q` is empty.
    /// The field must be a searchable attribute of `schema`.
    pub fn parse(schema: &Schema, field: Option<&str>, q: Option<&str>) -> Result<Option<Self>> {
        let field = match field.map(str::trim) {
            None | Some("") | Some("any") => SearchField::Any,
            Some(name) => {
                let def = schema.get(name).ok_or_else(|| {
                    Error::invalid(codes::UNKNOWN_ATTRIBUTE, "no such attribute", "field", name)
                })?;
                if !def.searchable {
                    return Err(Error::invalid(
                        codes::INVALID_VALUE,
                        format!("`{name}` is not searchable; mark it searchable or search `any`"),
                        "field",
                        name,
                    ));
                }
                SearchField::Attribute(name.to_owned())
            }
        };
        let Some(keyword) = Keyword::parse(q.unwrap_or(""))? else {
            return Ok(None);
        };
        Ok(Some(Self {
            field,
            keyword,
            mode: SearchMode::Substring,
        }))
    }

    /// [`Search::parse`] for a principal whose searches match as `mode` says.
    pub fn parse_for(
        schema: &Schema,
        field: Option<&str>,
        q: Option<&str>,
        mode: SearchMode,
    ) -> Result<Option<Self>> {
        Ok(Self::parse(schema, field, q)?.map(|search| Self { mode, ..search }))
    }

    /// Whether `contact` matches: some searched value's [`search_text`] matches the keyword as
    /// [`SearchMode::value_matches`] says (by substring, masked values whole for a masked mode).
    pub fn matches(&self, schema: &Schema, contact: &Contact) -> bool {
        searched(schema, &self.field).any(|def| {
            contact
                .attributes
                .get(def.name.as_str())
                .and_then(|value| search_text(def, value))
                .is_some_and(|text| {
                    self.mode
                        .value_matches(AttributeRule::of(def), &text, &self.keyword)
                })
        })
    }
}

/// The attributes a search on `field` looks in.
pub fn searched<'a>(
    schema: &'a Schema,
    field: &'a SearchField,
) -> impl Iterator<Item = &'a AttributeDef> + 'a {
    schema.attributes().iter().filter(move |def| {
        def.searchable
            && match field {
                SearchField::Any => true,
                SearchField::Attribute(name) => def.name.as_str() == name,
            }
    })
}

/// Case folding shared by keywords and values.
fn fold(text: &str) -> String {
    text.to_lowercase()
}

/// A stored value as a search sees it: its text as a person reads it, folded to lower case;
/// `None` when empty. Datetimes read `YYYY-MM-DD HH:MM:SS` (UTC), booleans `true`/`false`.
pub fn search_text(def: &AttributeDef, value: &Json) -> Option<String> {
    let text = match (def.attribute_type, value) {
        (_, Json::Null) => return None,
        (AttributeType::Datetime, Json::String(text)) => text
            .parse::<jiff::Timestamp>()
            .map(|at| at.strftime("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_else(|_| text.clone()),
        (_, other) => crate::value::display(other),
    };
    // NUL separates values in in-memory indexes; no typed value holds one.
    let text = fold(&text).replace('\0', "");
    (!text.is_empty()).then_some(text)
}

/// Sort order of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sort {
    /// A sortable attribute (`created_at`, `updated_at` included).
    pub attribute: String,
    /// Largest first.
    pub descending: bool,
}

impl Default for Sort {
    /// Newest first.
    fn default() -> Self {
        Self {
            attribute: "created_at".to_owned(),
            descending: true,
        }
    }
}

impl Sort {
    /// Parse `sort` (a sortable attribute; default `created_at`) and `order` (`asc` or `desc`;
    /// default `desc` for `created_at`/`updated_at`, `asc` for the others).
    pub fn parse(schema: &Schema, sort: Option<&str>, order: Option<&str>) -> Result<Self> {
        let attribute = match sort.map(str::trim) {
            None | Some("") => "created_at".to_owned(),
            Some(name) => {
                let def = schema.get(name).ok_or_else(|| {
                    Error::invalid(codes::UNKNOWN_ATTRIBUTE, "no such attribute", "sort", name)
                })?;
                if !def.sortable {
                    return Err(Error::invalid(
                        codes::INVALID_VALUE,
                        format!("`{name}` is not sortable"),
                        "sort",
                        name,
                    ));
                }
                name.to_owned()
            }
        };
        let descending = match order.map(str::trim) {
            None | Some("") => matches!(attribute.as_str(), "created_at" | "updated_at"),
            Some("asc") => false,
            Some("desc") => true,
            Some(other) => {
                return Err(Error::invalid(
                    codes::BAD_REQUEST,
                    "order is asc or desc",
                    "order",
                    other,
                ));
            }
        };
        Ok(Self {
            attribute,
            descending,
        })
    }

    /// The sort key of `contact`.
    pub fn key(&self, schema: &Schema, contact: &Contact) -> SortValue {
        match self.attribute.as_str() {
            "created_at" => SortValue::Number(contact.created_at.as_microsecond() as f64),
            "updated_at" => SortValue::Number(contact.updated_at.as_microsecond() as f64),
            name => match (schema.get(name), contact.attributes.get(name)) {
                (Some(def), Some(value)) => SortValue::of(def, value),
                _ => SortValue::Empty,
            },
        }
    }

    /// The list order: by key in the chosen direction, empty values last either way, ties by
    /// contact id in the chosen direction.
    pub fn compare(&self, a: (&SortValue, &Contact), b: (&SortValue, &Contact)) -> Ordering {
        self.compare_keys(a.0, a.1.contact_id.uuid(), b.0, b.1.contact_id.uuid())
    }

    /// [`Sort::compare`] on keys and ids alone, for stores that keep keys apart from contacts.
    pub fn compare_keys(
        &self,
        a: &SortValue,
        a_id: uuid::Uuid,
        b: &SortValue,
        b_id: uuid::Uuid,
    ) -> Ordering {
        let directed = |ordering: Ordering| {
            if self.descending {
                ordering.reverse()
            } else {
                ordering
            }
        };
        match (a, b) {
            (SortValue::Empty, SortValue::Empty) => directed(a_id.cmp(&b_id)),
            (SortValue::Empty, _) => Ordering::Greater,
            (_, SortValue::Empty) => Ordering::Less,
            _ => directed(a.cmp_present(b).then_with(|| a_id.cmp(&b_id))),
        }
    }
}

/// A value as the list sorts it.
#[derive(Debug, Clone, PartialEq)]
pub enum SortValue {
    /// No value: last in either direction.
    Empty,
    /// Integers, decimals, booleans (0/1) and instants.
    Number(f64),
    /// Everything else, by its text: the collation sort key ([`crate::collation::sort_key`]),
    /// made once per value, so Chinese sorts by pinyin and comparing is a byte comparison.
    Text(Box<[u8]>),
}

impl SortValue {
    /// The sort key of a stored value of `def`.
    pub fn of(def: &AttributeDef, value: &Json) -> Self {
        match (def.attribute_type, value) {
            (_, Json::Null) => Self::Empty,
            (_, Json::Number(n)) => n.as_f64().map_or(Self::Empty, Self::Number),
            (_, Json::Bool(flag)) => Self::Number(f64::from(u8::from(*flag))),
            (AttributeType::Decimal, Json::String(text)) => text
                .parse::<f64>()
                .map_or_else(|_| Self::text(text), Self::Number),
            (_, Json::String(text)) => Self::text(text),
            (_, other) => Self::text(&crate::value::display(other)),
        }
    }

    /// The key of a text value.
    pub fn text(text: &str) -> Self {
        Self::Text(crate::collation::sort_key(text))
    }

    fn cmp_present(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Self::Number(a), Self::Number(b)) => a.total_cmp(b),
            (Self::Text(a), Self::Text(b)) => a.cmp(b),
            // Mixed kinds only arise from hand-edited data: numbers first.
            (Self::Number(_), _) => Ordering::Less,
            (_, Self::Number(_)) => Ordering::Greater,
            _ => Ordering::Equal,
        }
    }
}
