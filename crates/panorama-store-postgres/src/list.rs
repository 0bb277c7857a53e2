//! The contacts list on PostgreSQL: which contacts a query selects, in which order, and reading
//! them by id. Each page is two statements in one read-only snapshot: the exact count, then the
//! page's ids. A label's carriers newest first are one index range of `contact_labels`, counted
//! by triggers; searches go through `search_text` (see `search.rs`); sorts follow
//! [`panorama_core::contact::Sort::compare`] in SQL.

use crate::convert::{CONTACT_COLUMNS, ContactRow};
use crate::{PostgresStore, contact_labels, db, metadata, search};
use panorama_core::Result;
use panorama_core::contact::{Category, Contact, ContactId, Overview};
use panorama_core::metadata::{AttributeDef, AttributeType};
use panorama_core::store::{ContactIdPage, ContactListQuery};
use sqlx::{Acquire, AssertSqlSafe, PgConnection, Postgres, QueryBuilder};
use std::collections::HashMap;
use uuid::Uuid;

/// Up to this many matches, a filtered page in the default order is read by fetching every match
/// (through the trigram or label index, or one parallel scan) and sorting them; above it,
/// matches are dense enough that walking the list's order index and filtering on the way reaches
/// a page within `limit × contacts / matches` rows (2,500 for a page of 50 of a million).
const SORT_MATCHES_MAX: u64 = 20_000;

/// The SQL condition of a category tab on a `contacts` row named `c` (each one is the leading
/// column of an index in the list's default order).
pub(crate) fn category_filter(category: Category) -> &'static str {
    match category {
        Category::All => "true",
        Category::RealName => "c.is_real_name = true",
        Category::Anonymous => "c.is_real_name = false",
        Category::WechatFan => "c.is_wechat_fan = true",
    }
}

/// Whether `contact_labels` alone answers `query` from one index range: a label's carriers,
/// newest first.
fn is_plain_label(query: &ContactListQuery) -> bool {
    query.label.is_some() && query.search.is_none() && query.sort == Default::default()
}

/// `FROM contacts c WHERE` the conditions of `query`: category, label, search.
fn push_filter(builder: &mut QueryBuilder<Postgres>, query: &ContactListQuery) {
    builder
        .push(" FROM contacts c WHERE ")
        .push(category_filter(query.category));
    if let Some(label) = query.label {
        builder
            .push(" AND c.contact_id IN (SELECT contact_id FROM contact_labels WHERE label_id = ")
            .push_bind(label.0)
            .push(")");
    }
    if let Some(search) = &query.search {
        search::push_condition(builder, search);
    }
}

/// `ORDER BY` exactly as `Sort::compare` orders: by key in the chosen direction with empty
/// values last either way, numbers before texts (ascending), texts by code point, ties by id.
///
/// `fenced` writes the creation time as an expression, which no index orders: the planner then
/// cannot choose to walk the list's order index.
fn push_order(
    builder: &mut QueryBuilder<Postgres>,
    query: &ContactListQuery,
    def: Option<&AttributeDef>,
    fenced: bool,
) {
    let direction = if query.sort.descending { "DESC" } else { "ASC" };
    builder.push(" ORDER BY ");
    match (query.sort.attribute.as_str(), def) {
        ("created_at", _) if fenced => {
            builder.push(format_args!("c.created_at + 0 {direction}, "));
        }
        (column @ ("created_at" | "updated_at"), _) => {
            builder.push(format_args!("c.{column} {direction}, "));
        }
        (_, Some(def)) => {
            // A machine name is ASCII snake_case, safe inside a literal; a constant key lets the
            // planner match an expression index, should one be made for a sortable attribute.
            let value = format!("(c.attributes -> '{}')", def.name.as_str());
            let decimal = if def.attribute_type == AttributeType::Decimal {
                // Text that Rust's `f64` parsing reads as a number (decimals are stored as text).
                format!(
                    " WHEN 'string' THEN CASE WHEN ({value} #>> '{{}}') ~ \
                     '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$' \
                     THEN ({value} #>> '{{}}')::float8 END"
                )
            } else {
                String::new()
            };
            let number = format!(
                "(CASE jsonb_typeof({value}) WHEN 'number' THEN ({value})::float8 \
                 WHEN 'boolean' THEN (({value})::boolean)::int::float8{decimal} END)"
            );
            builder.push(format_args!(
                "COALESCE(jsonb_typeof({value}), 'null') = 'null', {number} IS NULL {direction}, \
                 {number} {direction}, (CASE WHEN {number} IS NULL THEN {value} #>> '{{}}' END) \
                 COLLATE \"C\" {direction}, "
            ));
        }
        // Not an attribute: every key is empty, so ids alone order.
        _ => {}
    }
    builder.push(format_args!("c.contact_id {direction}"));
}

/// Make `connection` hold one read-only snapshot until its transaction ends, so a page's count
/// and ids agree.
async fn snapshot(connection: &mut PgConnection) -> Result<()> {
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(connection)
        .await
        .map_err(db)?;
    Ok(())
}

impl PostgresStore {
    /// A page of the list with the exact number of matches.
    pub(crate) async fn list_page(&self, query: &ContactListQuery) -> Result<ContactIdPage> {
        let mut connection = self.read().await?;
        let mut tx = connection.begin().await.map_err(db)?;
        snapshot(&mut tx).await?;
        let offset = i64::try_from(query.offset).unwrap_or(i64::MAX);
        // LIMIT NULL is no limit: `u64::MAX` asks for every match.
        let limit = i64::try_from(query.limit).ok();
        if let (true, Some(label)) = (is_plain_label(query), query.label) {
            let total = contact_labels::count(&mut tx, label, query.category).await?;
            let ids =
                contact_labels::page_ids(&mut tx, label, query.category, offset, limit).await?;
            tx.commit().await.map_err(db)?;
            return Ok(ContactIdPage { total, ids });
        }
        // Plans of a search depend on its keyword: plan each one with its values.
        let persistent = query.search.is_none();
        let mut count = QueryBuilder::<Postgres>::new("SELECT count(*)");
        push_filter(&mut count, query);
        let total: i64 = count
            .build_query_scalar()
            .persistent(persistent)
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
        let total = u64::try_from(total).unwrap_or(0);
        if total <= query.offset || query.limit == 0 {
            tx.commit().await.map_err(db)?;
            return Ok(ContactIdPage {
                total,
                ids: Vec::new(),
            });
        }
        let schema = match query.sort.attribute.as_str() {
            "created_at" | "updated_at" => None,
            _ => Some(metadata::load_schema(&mut tx).await?),
        };
        let def = schema.as_ref().and_then(|s| s.get(&query.sort.attribute));
        let filtered = query.search.is_some() || query.label.is_some();
        let by_creation = query.sort.attribute == "created_at";
        if filtered && by_creation && total > SORT_MATCHES_MAX {
            // The exact count says the matches are dense: walking the list's order index finds a
            // page within a few thousand rows. The planner's own guess of a keyword's matches can
            // be far off, and fetching them all to sort would read every one.
            for setting in ["enable_bitmapscan", "enable_seqscan"] {
                sqlx::query(AssertSqlSafe(format!("SET LOCAL {setting} = off")))
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
            }
        }
        let mut page = QueryBuilder::<Postgres>::new("SELECT c.contact_id");
        push_filter(&mut page, query);
        // Few matches: fetch them all by index (or one parallel scan) and sort them, rather than
        // walk the whole list in order looking for them.
        let fenced = filtered && by_creation && total <= SORT_MATCHES_MAX;
        push_order(&mut page, query, def, fenced);
        page.push(" LIMIT ")
            .push_bind(limit)
            .push(" OFFSET ")
            .push_bind(offset);
        let ids: Vec<Uuid> = page
            .build_query_scalar()
            .persistent(persistent)
            .fetch_all(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        Ok(ContactIdPage {
            total,
            ids: ids.into_iter().map(ContactId::from_uuid).collect(),
        })
    }

    /// The overview counts: one pass over `contacts`.
    pub(crate) async fn overview_counts(&self, now: jiff::Timestamp) -> Result<Overview> {
        let mut connection = self.read().await?;
        let now = now.as_microsecond();
        let day = 24 * 3600 * 1_000_000_i64;
        let (all, real_name, wechat_fan, new_7d, new_30d): (i64, i64, i64, i64, i64) =
            sqlx::query_as(
                "SELECT count(*), count(*) FILTER (WHERE is_real_name),
                     count(*) FILTER (WHERE is_wechat_fan),
                     count(*) FILTER (WHERE created_at >= $1), count(*) FILTER (WHERE created_at >= $2)
                 FROM contacts",
            )
            .bind(now - 7 * day)
            .bind(now - 30 * day)
            .fetch_one(&mut *connection)
            .await
            .map_err(db)?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        Ok(Overview {
            all: count(all),
            real_name: count(real_name),
            anonymous: count(all - real_name),
            wechat_fan: count(wechat_fan),
            new_7d: count(new_7d),
            new_30d: count(new_30d),
        })
    }

    /// The contacts of `ids` that exist, in the order given.
    pub(crate) async fn contacts_by_ids(&self, ids: &[ContactId]) -> Result<Vec<Contact>> {
        let mut connection = self.read().await?;
        let uuids: Vec<Uuid> = ids.iter().map(ContactId::uuid).collect();
        let sql = format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE contact_id = ANY($1)");
        let rows: Vec<ContactRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(&uuids)
            .fetch_all(&mut *connection)
            .await
            .map_err(db)?;
        let mut found: HashMap<ContactId, Contact> = HashMap::with_capacity(rows.len());
        for row in rows {
            let contact = row.into_contact()?;
            found.insert(contact.contact_id, contact);
        }
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }
}
