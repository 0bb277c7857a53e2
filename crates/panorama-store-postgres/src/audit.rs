//! (to be ported from panorama-store-sqlite/src/audit.rs)
