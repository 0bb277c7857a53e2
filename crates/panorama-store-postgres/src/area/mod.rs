//! The store areas for `PostgresDb`, one file per area trait of `panorama_core::store`
//! not yet written once in `panorama-store-sql`.

mod jobs;
