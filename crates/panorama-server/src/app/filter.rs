//! The list filters the contacts list, its export and bulk actions share: category, search, sort,
//! label. One parser, so the three can never disagree about which contacts a filter selects.
//!
//! The filter is also the list API's query parameters and a bulk job's stored options, hence its
//! serde and OpenAPI derives: one type, so the three cannot drift apart.

use panorama_core::Error;
use panorama_core::contact::{Category, Search, SearchMode, Sort};
use panorama_core::label::LabelId;
use panorama_core::metadata::Schema;
use panorama_core::store::ContactListQuery;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Which contacts, in which order: the query parameters of the list, the export and the body of a
/// bulk action.
#[derive(Debug, Clone, Default, Deserialize, Serialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct ContactFilter {
    /// `all` (default), `real_name`, `anonymous` or `wechat_fan`.
    pub category: Option<String>,
    /// A searchable attribute to search in, or `any` (default).
    pub field: Option<String>,
    /// Keyword: contacts whose value contains it, case-insensitively, are kept (1 to 100
    /// characters). For a principal who sees values masked and may not reveal them, a masked
    /// value (mobile, email...) matches only the whole value, in any spelling.
    pub q: Option<String>,
    /// A sortable attribute (default `created_at`); not one masked for the principal.
    pub sort: Option<String>,
    /// `asc` or `desc` (default: `desc` for `created_at`/`updated_at`, `asc` otherwise).
    pub order: Option<String>,
    /// Only contacts carrying this contact label (its id, from `/api/v1/labels`).
    #[param(value_type = Option<i64>, minimum = 1)]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub label: Option<String>,
}

impl ContactFilter {
    /// Every contact the filter selects, in its order (offset 0, no limit); the caller pages.
    /// `mode` is the acting principal's ([`crate::principal::Principal::search_mode`]): for a
    /// masked one, masked values match only whole and cannot be sorted by.
    pub fn to_query(&self, schema: &Schema, mode: SearchMode) -> Result<ContactListQuery, Error> {
        let category = match self.category.as_deref().map(str::trim) {
            None | Some("") => Category::All,
            Some(name) => Category::parse(name)?,
        };
        let sort = Sort::parse(schema, self.sort.as_deref(), self.order.as_deref())?;
        mode.check_sort(schema, &sort)?;
        Ok(ContactListQuery {
            category,
            offset: 0,
            limit: u64::MAX,
            label: label_filter(self.label.as_deref())?,
            search: Search::parse_for(schema, self.field.as_deref(), self.q.as_deref(), mode)?,
            sort,
        })
    }
}

/// Parse the list filter `label=`: absent or empty for none, else a label id.
pub fn label_filter(raw: Option<&str>) -> Result<Option<LabelId>, Error> {
    raw.map(str::trim)
        .filter(|text| !text.is_empty())
        .map(|text| LabelId::parse(text, "label"))
        .transpose()
}
