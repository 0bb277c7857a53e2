//! (to be ported from panorama-store-sqlite/src/ingest.rs)
