//! What an attribute's change does to the values contacts hold: a shorter maximum length is
//! checked against them, a new identity indexes them (refused when two contacts share one), a
//! deleted attribute takes them away.

use crate::{Arg, Backend, DbRow, sql};
use panorama_core::contact::KeyValue;
use panorama_core::metadata::{AttributeDef, PatchChecks};
use panorama_core::{Error, Result, codes};
use std::collections::HashMap;

/// Identity keys inserted per statement (three parameters each, under both databases' limits).
pub const KEY_ROWS_PER_STATEMENT: usize = 1_000;

/// Check that the stored values of `def` allow the change `checks` describes, and index or drop
/// its keys.
pub(crate) async fn check<B: Backend>(
    connection: &mut B::Conn,
    def: &AttributeDef,
    checks: &PatchChecks,
) -> Result<()> {
    let name = def.name.as_str();
    if let Some(length) = checks.max_length {
        let longer = sql("SELECT COUNT(*) FROM contacts WHERE length(attributes ->> $1) > $2")
            .bind(name)
            .bind(i64::from(length))
            .one::<B>(connection)
            .await?
            .i64(0)?;
        if longer > 0 {
            return Err(Error::invalid(
                codes::VALUE_TOO_LONG,
                format!("{longer} contacts hold a longer `{name}`; shorten those values first"),
                "max_length",
                length,
            ));
        }
    }
    if checks.make_key {
        make_key::<B>(connection, def).await?;
    }
    if checks.drop_key {
        drop_keys::<B>(connection, name).await?;
    }
    Ok(())
}

/// Turn `def` into an identity: refuse if two contacts share a value (in matching form, folded in
/// Rust so the rule is the one `KeyValue` applies), else index every value.
async fn make_key<B: Backend>(connection: &mut B::Conn, def: &AttributeDef) -> Result<()> {
    let rows = sql(
        "SELECT contact_id, attributes -> $1 FROM contacts WHERE attributes ->> $1 IS NOT NULL",
    )
    .bind(def.name.as_str())
    .all::<B>(connection)
    .await?;
    let mut owners = HashMap::with_capacity(rows.len());
    for row in &rows {
        let Some(key) = KeyValue::of(def, &row.json::<serde_json::Value>(1)?) else {
            continue;
        };
        if owners.insert(key.value.clone(), row.id(0)?).is_some() {
            return Err(Error::invalid(
                codes::DUPLICATE_VALUES,
                format!(
                    "`{}` cannot become a primary key: several contacts share a value",
                    def.name
                ),
                "primary_key",
                key.value,
            ));
        }
    }
    let owners: Vec<_> = owners.into_iter().collect();
    for chunk in owners.chunks(KEY_ROWS_PER_STATEMENT) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| format!("($1, ${}, ${})", 2 * i + 2, 2 * i + 3))
            .collect();
        let mut statement = sql(format!(
            "INSERT INTO contact_keys (attribute, value, contact_id) VALUES {}",
            rows.join(", ")
        ))
        .bind(def.name.as_str());
        for (value, contact_id) in chunk {
            statement = statement.bind(value).bind(Arg::Id(Some(*contact_id)));
        }
        statement.execute::<B>(connection).await?;
    }
    Ok(())
}

/// Remove attribute `name`'s values from every contact, and its keys.
pub(crate) async fn remove<B: Backend>(connection: &mut B::Conn, name: &str) -> Result<()> {
    sql(B::DROP_ATTRIBUTE_VALUES)
        .bind(name)
        .execute::<B>(connection)
        .await?;
    drop_keys::<B>(connection, name).await
}

async fn drop_keys<B: Backend>(connection: &mut B::Conn, name: &str) -> Result<()> {
    sql("DELETE FROM contact_keys WHERE attribute = $1")
        .bind(name)
        .execute::<B>(connection)
        .await
        .map(|_| ())
}
