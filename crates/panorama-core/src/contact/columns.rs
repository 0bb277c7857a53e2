//! The columns an operator chose for the contacts list: which attributes, in which order. The page,
//! the API and exports all show these, so they are checked once here.

use crate::error::{Error, Result, codes};
use crate::metadata::Schema;

/// Most columns the list shows at once (UI.md: "at most 20").
pub const LIST_COLUMNS_MAX: usize = 20;

/// Columns shown until an operator chooses: who the person is and when they arrived.
pub const DEFAULT_COLUMNS: [&str; 5] = ["name", "mobile", "email", "wechat_nickname", "created_at"];

/// Checked list columns: attributes of the schema, each once, 1 to [`LIST_COLUMNS_MAX`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns(Vec<String>);

impl Columns {
    /// Check names as chosen: every one an attribute, none twice, at least one, at most 20.
    pub fn parse(schema: &Schema, names: &[String]) -> Result<Self> {
        let mut columns: Vec<String> = Vec::with_capacity(names.len());
        for name in names.iter().map(|n| n.trim()) {
            if schema.get(name).is_none() {
                return Err(Error::invalid(
                    codes::UNKNOWN_ATTRIBUTE,
                    "no such attribute",
                    "columns",
                    name,
                ));
            }
            if columns.iter().any(|c| c == name) {
                return Err(Error::invalid(
                    codes::INVALID_VALUE,
                    "a column is shown once",
                    "columns",
                    name,
                ));
            }
            columns.push(name.to_owned());
        }
        if columns.is_empty() {
            return Err(Error::invalid_field(
                codes::INVALID_VALUE,
                "show at least one column",
                "columns",
            ));
        }
        if columns.len() > LIST_COLUMNS_MAX {
            return Err(Error::invalid(
                codes::LIMIT_EXCEEDED,
                format!("the list shows at most {LIST_COLUMNS_MAX} columns"),
                "columns",
                columns.len(),
            ));
        }
        Ok(Self(columns))
    }

    /// Parse a comma-separated list, as in `?columns=name,mobile`.
    pub fn parse_list(schema: &Schema, text: &str) -> Result<Self> {
        let names: Vec<String> = text
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
            .collect();
        Self::parse(schema, &names)
    }

    /// Saved columns as they read today: attributes deleted since are dropped, and when none is
    /// left the defaults stand.
    pub fn from_saved(schema: &Schema, saved: Option<Vec<String>>) -> Self {
        let kept: Vec<String> = saved
            .unwrap_or_default()
            .into_iter()
            .filter(|name| schema.get(name).is_some())
            .take(LIST_COLUMNS_MAX)
            .collect();
        if kept.is_empty() {
            Self::defaults(schema)
        } else {
            Self(kept)
        }
    }

    /// The default columns that exist in `schema`.
    pub fn defaults(schema: &Schema) -> Self {
        Self(
            DEFAULT_COLUMNS
                .iter()
                .filter(|name| schema.get(name).is_some())
                .map(|name| (*name).to_owned())
                .collect(),
        )
    }

    /// The attribute names, in order.
    pub fn names(&self) -> &[String] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::preset_attributes;

    fn schema() -> Schema {
        Schema::new(preset_attributes())
    }

    #[test]
    fn columns_are_attributes_each_once_at_most_twenty() {
        let schema = schema();
        let ok = Columns::parse_list(&schema, "email, name").expect("valid");
        assert_eq!(ok.names(), ["email", "name"]);
        let unknown = Columns::parse_list(&schema, "name,shoe_size").expect_err("unknown");
        assert_eq!(unknown.value.as_deref(), Some("shoe_size"));
        assert!(Columns::parse_list(&schema, "name,name").is_err());
        assert!(Columns::parse_list(&schema, " , ").is_err());
        let many: Vec<String> = schema
            .attributes()
            .iter()
            .map(|d| d.name.as_str().to_owned())
            .collect();
        assert!(many.len() > LIST_COLUMNS_MAX);
        let error = Columns::parse(&schema, &many).expect_err("too many");
        assert_eq!(error.code, codes::LIMIT_EXCEEDED);
    }

    #[test]
    fn saved_columns_drop_deleted_attributes_and_fall_back_to_defaults() {
        let schema = schema();
        let saved = Columns::from_saved(&schema, Some(vec!["gone".into(), "city".into()]));
        assert_eq!(saved.names(), ["city"]);
        let none = Columns::from_saved(&schema, Some(vec!["gone".into()]));
        assert_eq!(none, Columns::defaults(&schema));
        assert_eq!(Columns::from_saved(&schema, None).names().len(), 5);
    }
}
