//! Multi-row inserts written once: `INSERT … VALUES (…), (…) …` with every value bound. Rows are
//! cut into a few fixed statement sizes, so only those few texts exist and each is prepared once
//! per connection, whatever the number of rows.

use crate::{Arg, Backend, sql};
use panorama_core::Result;

/// Rows per statement, largest first: a batch is cut into as many of the largest as fit, then the
/// next size.
const ROWS_PER_STATEMENT: [usize; 4] = [500, 50, 5, 1];
/// Most values bound in one statement, in values: SQLite allows 32,766, PostgreSQL 65,535.
const VALUES_PER_STATEMENT_MAX: usize = 30_000;

/// Insert `rows` (each `width` values, in the columns `head` names) with `head VALUES … tail`,
/// where `tail` may hold an `ON CONFLICT` clause. Returns the rows the statements changed.
pub async fn insert_rows<B: Backend>(
    conn: &mut B::Conn,
    head: &str,
    tail: &str,
    width: usize,
    rows: Vec<Vec<Arg>>,
) -> Result<u64> {
    let width = width.max(1);
    let mut left = rows.len();
    let mut rows = rows.into_iter();
    let mut changed = 0;
    for size in ROWS_PER_STATEMENT {
        let size = size.min(VALUES_PER_STATEMENT_MAX / width).max(1);
        while left >= size {
            let mut statement = sql(format!(
                "{head} VALUES {} {tail}",
                placeholders(width, size)
            ));
            for row in rows.by_ref().take(size) {
                for value in row {
                    statement = statement.bind(value);
                }
            }
            changed += statement.execute::<B>(conn).await?;
            left -= size;
        }
    }
    Ok(changed)
}

/// `($1, $2), ($3, $4)` for two rows of two values.
fn placeholders(width: usize, rows: usize) -> String {
    let row = |r: usize| {
        let values: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
        format!("({})", values.join(", "))
    };
    let rows: Vec<String> = (0..rows).map(row).collect();
    rows.join(", ")
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn numbers_every_value_of_every_row() {
        assert_eq!(placeholders(2, 2), "($1, $2), ($3, $4)");
        assert_eq!(placeholders(3, 1), "($1, $2, $3)");
    }
}
