//! (to be ported from panorama-store-sqlite/src/delete.rs)
