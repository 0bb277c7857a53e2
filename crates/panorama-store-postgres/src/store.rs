//! The PostgreSQL schema's migrations, run by `Backend::run_migrations` (the presets are
//! installed above it, once, by `panorama-store-sql`).

pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");
