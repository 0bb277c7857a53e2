//! What the contacts page was asked for (tab, search, sort, label, page and its size), and the
//! links that change one of them while keeping every other.

use super::page::encode;
use crate::app::filter::ContactFilter;
use panorama_core::Error;
use panorama_core::contact::{Category, Search, SearchField, SearchMode, Sort};
use panorama_core::metadata::Schema;
use panorama_core::store::ContactListQuery;
use serde::Deserialize;

/// Rows on one page of the contacts table unless the operator picks another size.
pub const CONTACTS_PAGE_ROWS: u64 = 50;
/// The page sizes offered.
pub const PAGE_SIZES: [u64; 3] = [20, 50, 100];

/// The query string of `/contacts`, as typed: every value a string, so a bad one becomes a page
/// message rather than a bare rejection.
#[derive(Debug, Default, Deserialize)]
pub struct ListParams {
    category: Option<String>,
    field: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    order: Option<String>,
    label: Option<String>,
    page: Option<String>,
    size: Option<String>,
}

/// The checked state of the page: the filter in its canonical form, the page and its size.
#[derive(Debug, Clone)]
pub struct ListState {
    /// Category tab.
    pub category: Category,
    /// Searched attribute, `any` for all searchable ones.
    pub field: String,
    /// The keyword as typed (trimmed); empty when none.
    pub q: String,
    /// Sort attribute and direction.
    pub sort: Sort,
    /// Label filter, as its id.
    pub label: Option<String>,
    /// Page number, from 1.
    pub page: u64,
    /// Rows per page, one of [`PAGE_SIZES`].
    pub size: u64,
}

impl ListState {
    /// Check `params` against the schema, returning the state and the store query for its page;
    /// `mode` is the principal's search mode (masked values match whole, and are not sortable).
    pub fn parse(
        schema: &Schema,
        params: &ListParams,
        mode: SearchMode,
    ) -> Result<(Self, ContactListQuery), Error> {
        let filter = ContactFilter {
            category: params.category.clone(),
            field: params.field.clone(),
            q: params.q.clone(),
            sort: params.sort.clone(),
            order: params.order.clone(),
            label: params.label.clone(),
        };
        let mut query = filter.to_query(schema, mode)?;
        let number =
            |raw: &Option<String>| raw.as_deref().and_then(|t| t.trim().parse::<u64>().ok());
        let page = number(&params.page)
            .unwrap_or(1)
            .clamp(1, u64::from(u32::MAX));
        let size = number(&params.size)
            .filter(|s| PAGE_SIZES.contains(s))
            .unwrap_or(CONTACTS_PAGE_ROWS);
        query.offset = (page - 1) * size;
        query.limit = size;
        let field = match &query.search {
            Some(Search {
                field: SearchField::Attribute(name),
                ..
            }) => name.clone(),
            _ => match params.field.as_deref().map(str::trim) {
                Some(name)
                    if !name.is_empty() && Search::parse(schema, Some(name), None).is_ok() =>
                {
                    name.to_owned()
                }
                _ => "any".to_owned(),
            },
        };
        let state = Self {
            category: query.category,
            field,
            q: params.q.as_deref().map(str::trim).unwrap_or("").to_owned(),
            sort: query.sort.clone(),
            label: query.label.map(|l| l.to_string()),
            page,
            size,
        };
        Ok((state, query))
    }

    /// The filter as the list API, the export and bulk actions take it.
    pub fn filter(&self) -> ContactFilter {
        let sorted = self.sort != Sort::default();
        ContactFilter {
            category: Some(category_key(self.category).to_owned()),
            field: Some(self.field.clone()),
            q: (!self.q.is_empty()).then(|| self.q.clone()),
            sort: sorted.then(|| self.sort.attribute.clone()),
            order: sorted.then(|| order_key(self.sort.descending).to_owned()),
            label: self.label.clone(),
        }
    }

    /// The filter's query string (no page): only what differs from the defaults.
    pub fn filter_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = vec![("category", category_key(self.category).into())];
        if !self.q.is_empty() {
            if self.field != "any" {
                pairs.push(("field", self.field.clone()));
            }
            pairs.push(("q", self.q.clone()));
        }
        if self.sort != Sort::default() {
            pairs.push(("sort", self.sort.attribute.clone()));
            pairs.push(("order", order_key(self.sort.descending).into()));
        }
        if let Some(label) = &self.label {
            pairs.push(("label", label.clone()));
        }
        join(&pairs)
    }

    /// Hidden inputs for a GET form that sets some parameters itself: every other non-default
    /// parameter, so submitting it keeps them. `search` forms set `field` and `q`; the page-size
    /// form sets `size`.
    pub fn hidden_fields(&self, search: bool) -> Vec<(&'static str, String)> {
        let filter = self.filter();
        let mut fields = vec![("category", category_key(self.category).to_owned())];
        if !search && !self.q.is_empty() {
            fields.push(("field", self.field.clone()));
            fields.push(("q", self.q.clone()));
        }
        fields.extend(filter.sort.map(|s| ("sort", s)));
        fields.extend(filter.order.map(|o| ("order", o)));
        fields.extend(self.label.clone().map(|l| ("label", l)));
        if search && self.size != CONTACTS_PAGE_ROWS {
            fields.push(("size", self.size.to_string()));
        }
        fields
    }

    /// Hidden inputs of the page-number form: every non-default parameter but the page.
    pub fn jump_fields(&self) -> Vec<(&'static str, String)> {
        let mut fields = self.hidden_fields(false);
        if self.size != CONTACTS_PAGE_ROWS {
            fields.push(("size", self.size.to_string()));
        }
        fields
    }

    /// `/contacts?...` for this state with `change` applied.
    pub fn href(&self, change: impl FnOnce(&mut Self)) -> String {
        let mut next = self.clone();
        change(&mut next);
        let mut query = next.filter_query();
        if next.size != CONTACTS_PAGE_ROWS {
            query.push_str(&format!("&size={}", next.size));
        }
        if next.page > 1 {
            query.push_str(&format!("&page={}", next.page));
        }
        format!("/contacts?{query}")
    }

    /// The link of a sortable header: the other direction when it is the current sort, else
    /// ascending; back to the first page.
    pub fn sort_href(&self, attribute: &str) -> String {
        self.href(|next| {
            let descending = next.sort.attribute == attribute && !next.sort.descending;
            next.sort = Sort {
                attribute: attribute.to_owned(),
                descending,
            };
            next.page = 1;
        })
    }
}

/// The category's name in URLs.
pub fn category_key(category: Category) -> &'static str {
    match category {
        Category::All => "all",
        Category::RealName => "real_name",
        Category::Anonymous => "anonymous",
        Category::WechatFan => "wechat_fan",
    }
}

fn order_key(descending: bool) -> &'static str {
    if descending { "desc" } else { "asc" }
}

/// `a=1&b=2`, each value percent-encoded.
pub fn join(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={}", encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use panorama_core::metadata::preset_attributes;

    fn state(query: &str) -> ListState {
        let schema = Schema::new(preset_attributes());
        let params: ListParams = serde_urlencoded_like(query);
        ListState::parse(&schema, &params, SearchMode::Substring)
            .expect("valid")
            .0
    }

    fn serde_urlencoded_like(query: &str) -> ListParams {
        let mut params = ListParams::default();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = Some(value.to_owned());
            match name {
                "category" => params.category = value,
                "field" => params.field = value,
                "q" => params.q = value,
                "sort" => params.sort = value,
                "order" => params.order = value,
                "page" => params.page = value,
                "size" => params.size = value,
                _ => {}
            }
        }
        params
    }

    #[test]
    fn links_keep_every_filter_and_encode_the_keyword() {
        let state = state("category=real_name&field=name&q=a&b&sort=name&order=asc&page=3");
        assert_eq!(state.field, "name");
        let tab = state.href(|n| {
            n.category = Category::All;
            n.page = 1;
        });
        assert_eq!(
            tab,
            "/contacts?category=all&field=name&q=a&sort=name&order=asc"
        );
        assert_eq!(
            state.sort_href("name"),
            "/contacts?category=real_name&field=name&q=a&sort=name&order=desc"
        );
        let mut typed = state.clone();
        typed.q = "王 伟&+".into();
        assert!(
            typed
                .filter_query()
                .contains("q=%E7%8E%8B%20%E4%BC%9F%26%2B")
        );
    }

    #[test]
    fn the_page_number_form_keeps_everything_but_the_page() {
        let fields =
            state("category=real_name&q=wang&sort=name&order=asc&size=20&page=3").jump_fields();
        let names: Vec<&str> = fields.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            names,
            ["category", "field", "q", "sort", "order", "size"],
            "{fields:?}"
        );
        assert!(fields.contains(&("size", "20".to_owned())));
        let default_size = state("page=2").jump_fields();
        assert!(!default_size.iter().any(|(name, _)| *name == "size"));
    }

    #[test]
    fn bad_page_and_size_fall_back() {
        let state = state("page=x&size=7");
        assert_eq!((state.page, state.size), (1, CONTACTS_PAGE_ROWS));
        assert_eq!(state.filter_query(), "category=all");
    }
}
