//! Bulk writes through `COPY ... FROM STDIN` in PostgreSQL's text format: rows are encoded into
//! one buffer ([`CopyRows`]) and streamed with [`copy_in`]. Above [`COPY_MIN_ROWS`] this beats a
//! statement of arrays, which the server must parse as array literals and then unnest; below it
//! COPY's extra round trips (and a staging table where an upsert needs one) cost more. `panorama
//! copy` writes every copied table's batches this way too (`copy.rs`).

use crate::db;
use panorama_core::Result;
use sqlx::PgConnection;
use std::fmt::Write as _;
use uuid::Uuid;

pub(crate) mod writes;

/// Rows from which a bulk write goes through COPY, in rows; smaller writes (most API calls) keep
/// their single array statement, whose one round trip costs less than COPY's set-up.
pub const COPY_MIN_ROWS: usize = 500;

/// Bytes per `CopyData` message, in bytes: large enough that framing is noise, small enough that
/// the server starts parsing while later rows are still on the way.
const SEND_BYTES: usize = 1 << 20;

/// Rows in COPY's text format: fields separated by a tab, rows ended by a newline, `\N` for NULL,
/// and backslash, tab, newline and carriage return escaped inside values.
///
/// A NUL character cannot be stored in PostgreSQL text or jsonb at all: it is passed through and
/// the server refuses the row, exactly as it refuses it in a bound parameter.
#[derive(Default)]
pub(crate) struct CopyRows {
    buffer: String,
    /// Whether the current row has a field yet, so the next one needs a separator.
    started: bool,
    rows: usize,
}

impl CopyRows {
    /// An empty buffer sized for about `rows` rows of `bytes_per_row` bytes.
    pub(crate) fn with_capacity(rows: usize, bytes_per_row: usize) -> Self {
        Self {
            buffer: String::with_capacity(rows.saturating_mul(bytes_per_row)),
            ..Self::default()
        }
    }

    /// Rows ended so far.
    pub(crate) fn rows(&self) -> usize {
        self.rows
    }

    /// The encoded rows.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.buffer.as_bytes()
    }

    fn separate(&mut self) {
        if self.started {
            self.buffer.push('\t');
        }
        self.started = true;
    }

    /// A text (or jsonb, as its JSON text) value, escaped.
    pub(crate) fn text(&mut self, value: &str) -> &mut Self {
        self.separate();
        // Copy runs of ordinary characters whole; only four characters need an escape.
        let mut from = 0;
        for (at, character) in value.char_indices() {
            let escaped = match character {
                '\\' => "\\\\",
                '\t' => "\\t",
                '\n' => "\\n",
                '\r' => "\\r",
                _ => continue,
            };
            self.buffer.push_str(&value[from..at]);
            self.buffer.push_str(escaped);
            from = at + character.len_utf8();
        }
        self.buffer.push_str(&value[from..]);
        self
    }

    /// A nullable text value: `\N` for `None` (a copied table's NULLs, whatever the column).
    pub(crate) fn optional_text(&mut self, value: Option<&str>) -> &mut Self {
        match value {
            Some(value) => self.text(value),
            None => {
                self.separate();
                self.buffer.push_str("\\N");
                self
            }
        }
    }

    /// A bigint.
    pub(crate) fn int(&mut self, value: i64) -> &mut Self {
        self.separate();
        // Writing into a String cannot fail.
        let _ = write!(self.buffer, "{value}");
        self
    }

    /// A boolean, as `t` or `f`.
    pub(crate) fn boolean(&mut self, value: bool) -> &mut Self {
        self.separate();
        self.buffer.push(if value { 't' } else { 'f' });
        self
    }

    /// A uuid, hyphenated.
    pub(crate) fn uuid(&mut self, value: Uuid) -> &mut Self {
        self.separate();
        let mut encoded = Uuid::encode_buffer();
        self.buffer
            .push_str(value.hyphenated().encode_lower(&mut encoded));
        self
    }

    /// End the current row.
    pub(crate) fn end_row(&mut self) {
        self.buffer.push('\n');
        self.started = false;
        self.rows += 1;
    }
}

/// Stream `rows` with `statement` (`COPY table (columns) FROM STDIN`, text format); the number of
/// rows the server stored. An error leaves the caller's transaction aborted, as any failed
/// statement does; the caller rolls it back.
pub(crate) async fn copy_in(
    connection: &mut PgConnection,
    statement: &str,
    rows: &CopyRows,
) -> Result<u64> {
    let mut copy = connection.copy_in_raw(statement).await.map_err(db)?;
    for chunk in rows.as_bytes().chunks(SEND_BYTES) {
        // On an error `copy` is dropped, which tells the server to abandon the COPY.
        copy.send(chunk).await.map_err(db)?;
    }
    copy.finish().await.map_err(db)
}

#[cfg(test)]
mod tests {
    use super::CopyRows;
    use uuid::Uuid;

    fn encoded(build: impl FnOnce(&mut CopyRows)) -> String {
        let mut rows = CopyRows::default();
        build(&mut rows);
        String::from_utf8_lossy(rows.as_bytes()).into_owned()
    }

    #[test]
    fn escapes_the_four_special_characters_and_nothing_else() {
        let text = encoded(|r| {
            r.text("a\tb\nc\rd\\e").text("\\N").text("\\.").end_row();
        });
        assert_eq!(text, "a\\tb\\nc\\rd\\\\e\t\\\\N\t\\\\.\n");
    }

    #[test]
    fn keeps_quotes_commas_and_non_ascii_as_they_are() {
        let value = "\"quoted\", 'single'; 王伟 🎉 \u{7}\u{b}\u{c} é";
        let text = encoded(|r| {
            r.text(value).end_row();
        });
        assert_eq!(text, format!("{value}\n"));
    }

    #[test]
    fn writes_nulls_numbers_booleans_and_uuids() {
        let id = Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
        let text = encoded(|r| {
            r.optional_text(None)
                .optional_text(Some(""))
                .int(-42)
                .int(i64::MAX)
                .boolean(true)
                .boolean(false)
                .uuid(id)
                .end_row();
            r.text("second").end_row();
        });
        assert_eq!(
            text,
            "\\N\t\t-42\t9223372036854775807\tt\tf\t01234567-89ab-cdef-0123-456789abcdef\nsecond\n"
        );
    }

    #[test]
    fn escapes_json_text_whose_own_escapes_hold_backslashes() {
        let json = serde_json::to_string(&serde_json::json!({"a": "x\ty\n\\z\"", "b": "🎉"}))
            .unwrap_or_default();
        let text = encoded(|r| {
            r.text(&json).end_row();
        });
        // JSON wrote `\t` as two characters; COPY must get the backslash doubled.
        assert_eq!(text, concat!(r#"{"a":"x\\ty\\n\\\\z\\"","b":"🎉"}"#, "\n"));
    }
}
