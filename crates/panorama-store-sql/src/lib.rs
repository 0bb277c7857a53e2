//! Panorama's store written once: every area of `panorama_core::store` implemented a single time
//! over a [`Backend`], the few primitives a database supplies (transactions, statements with typed
//! parameters, typed column reads, the SQL fragments that differ).
//!
//! An area's method is one script: load what a core rule needs, call the rule, write its outcome,
//! all in one transaction. SQLite and PostgreSQL crates keep only their connections, migrations,
//! SQL that truly differs, and their own mechanics (COPY, advisory locks, the WAL checkpointer,
//! ingest groups). The conformance suite (`panorama-store-conformance`) runs every area on both.

mod access;
mod arg;
mod backend;
mod consent;
mod contacts;
pub mod convert;
mod copy;
mod delegate;
mod events;
mod import_mappings;
mod jobs;
mod jobs_leases;
mod jobs_rows;
mod labels;
mod metadata;
mod query;
mod views;
mod wechat;

pub use access::AccessSql;
pub use arg::Arg;
pub use backend::{Backend, DbRow};
pub use consent::ConsentSql;
pub use contacts::ContactsSql;
pub use copy::CopySql;
pub use events::EventsSql;
pub use import_mappings::ImportMappingsSql;
pub use jobs::JobsSql;
pub use labels::LabelsSql;
pub use metadata::MetadataSql;
pub use query::{Sql, sql};
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
