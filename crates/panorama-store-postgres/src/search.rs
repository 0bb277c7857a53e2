//! The contacts list's search on PostgreSQL: the `search_text` column, its format, and the SQL
//! conditions that answer [`Search::matches`] from it (through its trigram index for keywords of
//! three characters and more).
//!
//! Format: one line per searchable attribute holding a value, each `\n TAG \u{1} VALUE`, where
//! VALUE is core's `search_text` of the value with every control character replaced by `\u{2}`,
//! and TAG is the attribute's name written in control characters (each byte as two characters
//! `\u{10}..=\u{1f}`, high nibble first). Keywords hold no control characters (`Keyword::parse`
//! refuses them), so:
//! - a match never spans two lines, nor a tag and a value, and replacing control characters in
//!   values changes no answer (a keyword could not match across one either);
//! - a search on `any` is a plain `LIKE '%keyword%'` on the whole text: tags hold
//!   nothing a keyword can match, and give the trigram index no trigrams;
//! - a search on one field adds a regular expression keeping the match on that attribute's line:
//!   `\n TAG \u{1} [^\n]* keyword`.

use crate::db;
use panorama_core::Result;
use panorama_core::contact::{Search, SearchField};
use panorama_core::metadata::Schema;
use serde_json::{Map, Value};
use sqlx::types::Json;
use sqlx::{PgConnection, Postgres, QueryBuilder};
use uuid::Uuid;

/// Starts a line.
const LINE: char = '\n';
/// Ends a line's tag.
const TAG_END: char = '\u{1}';
/// Stands for a control character of a value.
const CONTROL: char = '\u{2}';
/// The first of the sixteen characters that write a tag's nibbles.
const NIBBLE_BASE: u32 = 0x10;
/// Contacts recomputed per statement by [`rebuild`].
const REBUILD_BATCH: i64 = 5_000;

/// An attribute's name written in control characters, as it starts its line.
fn tag(name: &str) -> String {
    let nibble = |n: u8| char::from_u32(NIBBLE_BASE + u32::from(n)).unwrap_or(CONTROL);
    name.bytes()
        .flat_map(|byte| [nibble(byte >> 4), nibble(byte & 0x0f)])
        .collect()
}

/// The `search_text` of a contact with `attributes`: what every search of the list looks in.
pub(crate) fn search_text(schema: &Schema, attributes: &Map<String, Value>) -> String {
    let mut text = String::new();
    for def in schema.attributes().iter().filter(|def| def.searchable) {
        let Some(value) = attributes.get(def.name.as_str()) else {
            continue;
        };
        let Some(value) = panorama_core::contact::search_text(def, value) else {
            continue;
        };
        text.push(LINE);
        text.push_str(&tag(def.name.as_str()));
        text.push(TAG_END);
        text.extend(
            value
                .chars()
                .map(|c| if c.is_control() { CONTROL } else { c }),
        );
    }
    text
}

/// `keyword` as a `LIKE` pattern finding it anywhere (`\` is `LIKE`'s escape by default).
fn like_anywhere(keyword: &str) -> String {
    let mut pattern = String::with_capacity(keyword.len() + 2);
    pattern.push('%');
    for c in keyword.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The regular expression finding `keyword` on the line of attribute `name`.
fn on_line(name: &str, keyword: &str) -> String {
    let mut pattern = format!("{LINE}{}{TAG_END}[^{LINE}]*", tag(name));
    for c in keyword.chars() {
        // In PostgreSQL's regular expressions a backslash before a character that is neither a
        // letter nor a digit takes it literally.
        if c.is_ascii() && !c.is_ascii_alphanumeric() {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern
}

/// Append to `query` the condition (starting with ` AND `) that keeps the contacts `search`
/// matches, on a `contacts` row named `c`.
///
/// Every keyword is a `LIKE`: from three characters the trigram index answers it; one or two
/// characters give no trigram and scan every row of the category (a parallel sequential scan, a
/// few hundred milliseconds per million contacts). `LIKE` rather than `strpos` even then: the
/// planner estimates its selectivity from statistics (`strpos(..) > 0` is a blind third of the
/// rows) and runs it before a field's regular expression (measured 1,176 → 230 ms for a
/// two-character one-field count at 100,000 contacts). What would make short keywords fast:
/// an index of 1- and 2-grams, e.g. the `pg_bigm` extension (`gin (search_text gin_bigm_ops)`
/// answers `LIKE` of any length and was built for CJK text, where most names are two
/// characters), or a narrow side table of `(contact_id, created_at, categories, search_text)`
/// so a scan reads a third of the bytes.
pub(crate) fn push_condition(query: &mut QueryBuilder<Postgres>, search: &Search) {
    let keyword = search.keyword.as_str();
    query
        .push(" AND c.search_text LIKE ")
        .push_bind(like_anywhere(keyword));
    if let SearchField::Attribute(name) = &search.field {
        query
            .push(" AND c.search_text ~ ")
            .push_bind(on_line(name, keyword));
    }
}

/// A contact as [`rebuild`] reads it: id, attributes, stored `search_text`.
type StoredRow = (Uuid, Json<Map<String, Value>>, String);

/// Recompute the `search_text` of every contact holding a value of `attribute`, inside the
/// caller's transaction: whether that attribute is searchable changed (or it is being dropped),
/// so only those contacts' texts can differ. Reads and writes [`REBUILD_BATCH`] contacts a
/// statement, writing only the texts that changed.
pub(crate) async fn rebuild(
    connection: &mut PgConnection,
    schema: &Schema,
    attribute: &str,
) -> Result<()> {
    let mut after = Uuid::nil();
    loop {
        let rows: Vec<StoredRow> = sqlx::query_as(
            "SELECT contact_id, attributes, search_text FROM contacts
             WHERE contact_id > $1 AND attributes ? $3 ORDER BY contact_id LIMIT $2",
        )
        .bind(after)
        .bind(REBUILD_BATCH)
        .bind(attribute)
        .fetch_all(&mut *connection)
        .await
        .map_err(db)?;
        let Some((last, _, _)) = rows.last() else {
            return Ok(());
        };
        after = *last;
        let full = rows.len() as i64 == REBUILD_BATCH;
        let (ids, texts): (Vec<Uuid>, Vec<String>) = rows
            .into_iter()
            .filter_map(|(id, attributes, stored)| {
                let text = search_text(schema, &attributes.0);
                (text != stored).then_some((id, text))
            })
            .unzip();
        if !ids.is_empty() {
            sqlx::query(
                "UPDATE contacts SET search_text = changed.text
                 FROM unnest($1::uuid[], $2::text[]) AS changed (id, text)
                 WHERE contact_id = changed.id",
            )
            .bind(&ids)
            .bind(&texts)
            .execute(&mut *connection)
            .await
            .map_err(db)?;
        }
        if !full {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_hold_only_control_characters() {
        let tagged = tag("shoe_size2");
        assert_eq!(tagged.chars().count(), 20);
        assert!(
            tagged
                .chars()
                .all(|c| c.is_control() && c != LINE && c != TAG_END)
        );
    }

    #[test]
    fn patterns_take_keywords_literally() {
        assert_eq!(like_anywhere(r"50%_\"), r"%50\%\_\\%");
        assert!(on_line("name", "a+b").ends_with(r"*a\+b"));
        assert!(on_line("name", "王伟").ends_with("*王伟"));
    }
}
