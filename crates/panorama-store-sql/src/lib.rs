//! Panorama's store written once: every area of `panorama_core::store` implemented a single time
//! over a [`Backend`], the few primitives a database supplies (transactions, statements with typed
//! parameters, typed column reads, the SQL fragments that differ).
//!
//! An area's method is one script: load what a core rule needs, call the rule, write its outcome,
//! all in one transaction. SQLite and PostgreSQL crates keep only their connections, migrations,
//! SQL that truly differs, and their own mechanics (COPY, advisory locks, the WAL checkpointer,
//! ingest groups). The conformance suite (`panorama-store-conformance`) runs every area on both.

mod access;
mod access_rows;
mod arg;
mod attribute_values;
mod audit;
mod backend;
pub mod consent;
mod contact_labels;
mod contacts;
mod contacts_feed;
mod contacts_list;
mod contacts_read;
mod contacts_store;
mod contacts_write;
pub mod convert;
mod copy;
pub mod events;
mod import_mappings;
mod jobs;
mod jobs_leases;
mod jobs_rows;
mod labels;
mod metadata;
mod query;
mod schema;
pub mod sqlx_glue;
pub mod suppression;
mod values;
mod views;
mod wechat;

pub use access::AccessSql;
pub use arg::Arg;
pub use backend::{Backend, DbRow};
pub use consent::ConsentSql;
pub use contact_labels::{label_carriers, label_page};
pub use contacts::{Conn, ContactsSql};
pub use contacts_feed::feed_end;
pub use contacts_read::{
    CONTACT_COLUMNS, category_filter, contact_by_id, contact_of, contact_where, exported_values,
};
pub use contacts_write::{CONTACT_UPSERT, CONTACT_WRITE_COLUMNS, delete_ids, move_owned};
pub use copy::{
    COPY_TABLES, CopyColumn, CopyKind, CopySql, CopyTable, NativeForm, copy_table, sql_name,
};
pub use events::EventsSql;
pub use import_mappings::ImportMappingsSql;
pub use jobs::JobsSql;
pub use labels::LabelsSql;
pub use metadata::MetadataSql;
pub use query::{Sql, sql};
pub use schema::{load_schema, read_schema};
pub use values::insert_rows;
pub use wechat::WechatSql;

use panorama_core::Result;

/// The `Store` over one database: every area trait, implemented once for any [`Backend`].
#[derive(Clone)]
pub struct SqlStore<B> {
    backend: B,
}

impl<B: Backend> SqlStore<B> {
    /// Open (creating when missing) the database `url` names; call `migrate` next.
    pub async fn open(url: &str) -> Result<Self> {
        Ok(Self::new(B::open(url).await?))
    }

    /// The store over `backend`.
    pub fn new(backend: B) -> Self {
        Self { backend }
    }

    /// The database underneath, for what only it offers (closing, benchmarks).
    pub fn backend(&self) -> &B {
        &self.backend
    }
}

impl<B> std::ops::Deref for SqlStore<B> {
    type Target = B;

    fn deref(&self) -> &B {
        &self.backend
    }
}
