//! The contacts table as the operator chose it: headers (sortable ones link to their order),
//! rows with one cell per chosen column, and the two lists of the column chooser.

use super::clock::Clock;
use super::contacts_query::ListState;
use super::format;
use super::i18n::Lang;
use panorama_core::contact::{Columns, Contact, SearchMode};
use panorama_core::mask::AttributeMask;
use panorama_core::metadata::Schema;

/// What an empty cell shows (the product's convention).
pub const EMPTY_CELL: &str = "/";

/// One column header.
pub struct Header {
    /// Attribute machine name.
    pub name: String,
    /// Display name.
    pub label: String,
    /// Where a click sorts to, for sortable attributes.
    pub href: Option<String>,
    /// `ascending`, `descending` or `none`, for `aria-sort`.
    pub aria_sort: &'static str,
}

/// One table row.
pub struct Row {
    /// The contact's id, for its link and its selection checkbox.
    pub contact_id: String,
    /// The cells, in column order.
    pub cells: Vec<String>,
    /// What names the row for a screen reader: its first non-empty cell, else its name.
    pub title: String,
    /// The text of the link to the contact in the first cell: that cell, or the contact's name
    /// (nickname or placeholder) when it is empty, so that no link reads `/`.
    pub link: String,
}

/// One attribute in the column chooser.
pub struct Choice {
    /// Attribute machine name.
    pub name: String,
    /// Display name.
    pub label: String,
}

/// The column chooser's two lists: attributes not shown (schema order) and shown (chosen order).
pub struct Chooser {
    /// Not shown.
    pub available: Vec<Choice>,
    /// Shown, in order.
    pub shown: Vec<Choice>,
}

/// The headers of `columns`: sortable ones link to their sort, except attributes masked for a
/// principal searching in `mode` (a sort by them would order hidden values).
pub fn headers(
    lang: Lang,
    schema: &Schema,
    columns: &Columns,
    state: &ListState,
    mode: SearchMode,
) -> Vec<Header> {
    columns
        .names()
        .iter()
        .filter_map(|name| schema.get(name))
        .map(|def| {
            let name = def.name.as_str().to_owned();
            let aria_sort = match (state.sort.attribute == name, state.sort.descending) {
                (false, _) => "none",
                (true, false) => "ascending",
                (true, true) => "descending",
            };
            Header {
                href: (def.sortable && mode.may_sort(def)).then(|| state.sort_href(&name)),
                label: def.label(lang.language()).to_owned(),
                name,
                aria_sort,
            }
        })
        .collect()
}

/// One row per contact, one cell per column, values masked by `mask`; empty values show as
/// [`EMPTY_CELL`].
pub fn rows(
    lang: Lang,
    clock: &Clock,
    schema: &Schema,
    mask: &AttributeMask,
    columns: &Columns,
    contacts: &[Contact],
) -> Vec<Row> {
    contacts
        .iter()
        .map(|contact| {
            let contact_id = contact.contact_id.to_string();
            let cells: Vec<String> = columns
                .names()
                .iter()
                .map(|name| cell(lang, clock, schema, mask, contact, name))
                .collect();
            let name = || super::contact_name::shown_name(lang, contact, mask);
            let link = match cells.first() {
                Some(first) if first != EMPTY_CELL => first.clone(),
                _ => name(),
            };
            let title = cells
                .iter()
                .find(|c| *c != EMPTY_CELL)
                .cloned()
                .unwrap_or_else(name);
            Row {
                contact_id,
                cells,
                title,
                link,
            }
        })
        .collect()
}

fn cell(
    lang: Lang,
    clock: &Clock,
    schema: &Schema,
    mask: &AttributeMask,
    contact: &Contact,
    name: &str,
) -> String {
    let text = match name {
        "contact_id" => contact.contact_id.to_string(),
        "created_at" => clock.time(contact.created_at),
        "updated_at" => clock.time(contact.updated_at),
        _ => {
            let stored = contact.attributes.get(name);
            let masked = stored.and_then(|value| mask.value(name, value));
            format::value(lang, clock, schema.get(name), masked.as_ref().or(stored))
        }
    };
    if text.is_empty() {
        EMPTY_CELL.to_owned()
    } else {
        text
    }
}

/// The chooser's lists for `columns`.
pub fn chooser(lang: Lang, schema: &Schema, columns: &Columns) -> Chooser {
    let choice = |name: &str| {
        schema.get(name).map(|def| Choice {
            name: name.to_owned(),
            label: def.label(lang.language()).to_owned(),
        })
    };
    Chooser {
        available: schema
            .attributes()
            .iter()
            .map(|def| def.name.as_str())
            .filter(|name| !columns.names().iter().any(|c| c == name))
            .filter_map(choice)
            .collect(),
        shown: columns.names().iter().filter_map(|n| choice(n)).collect(),
    }
}

/// The searchable attributes for the field selector, as `(name, display name)`.
pub fn search_fields(lang: Lang, schema: &Schema) -> Vec<(String, String)> {
    schema
        .attributes()
        .iter()
        .filter(|def| def.searchable)
        .map(|def| {
            let label = def.label(lang.language()).to_owned();
            (def.name.as_str().to_owned(), label)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::contacts_query::{ListParams, ListState};
    use panorama_core::metadata::preset_attributes;

    #[test]
    fn chooser_splits_the_schema_and_headers_show_the_sort() {
        let schema = Schema::new(preset_attributes());
        let columns = Columns::parse_list(&schema, "email,created_at").expect("valid");
        let chooser = chooser(Lang::Zh, &schema, &columns);
        assert_eq!(chooser.shown[0].label, "邮箱");
        assert_eq!(chooser.shown.len(), 2);
        assert_eq!(chooser.available.len() + 2, schema.attributes().len());
        let (state, _) = ListState::parse(&schema, &ListParams::default(), SearchMode::Substring)
            .expect("defaults");
        let headers = headers(Lang::Zh, &schema, &columns, &state, SearchMode::Substring);
        assert_eq!(headers[1].label, "创建时间");
        assert_eq!(headers[0].aria_sort, "none");
        assert_eq!(headers[1].aria_sort, "descending");
        assert_eq!(
            headers[1].href.as_deref(),
            Some("/contacts?category=all&sort=created_at&order=asc")
        );
    }

    #[test]
    fn rows_mask_mobiles_and_emails_for_non_admins() {
        use panorama_core::contact::{ContactId, Subscription};
        use panorama_core::mask::{AttributeMask, Masking};
        let schema = Schema::new(preset_attributes());
        let columns = Columns::parse_list(&schema, "mobile,email,name").expect("valid");
        let at = jiff::Timestamp::from_second(1_700_000_000).expect("time");
        let contact = Contact {
            contact_id: ContactId::new(),
            attributes: [("mobile", "+8613812345678"), ("email", "zhang@example.com")]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), serde_json::json!(v)))
                .collect(),
            subscription: Subscription::subscribed(at, "test"),
            created_at: at,
            updated_at: at,
        };
        let cells = |masking| {
            let mask = AttributeMask::new(masking, schema.attributes());
            let contacts = std::slice::from_ref(&contact);
            let clock = Clock::new(jiff::tz::TimeZone::UTC);
            rows(Lang::En, &clock, &schema, &mask, &columns, contacts)
                .remove(0)
                .cells
        };
        assert_eq!(
            cells(Masking::Masked),
            ["+86138****5678", "z***@example.com", EMPTY_CELL]
        );
        assert_eq!(
            cells(Masking::Unmasked),
            ["+8613812345678", "zhang@example.com", EMPTY_CELL]
        );
    }
}
