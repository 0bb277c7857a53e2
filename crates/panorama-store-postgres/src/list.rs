//! (to be ported from panorama-store-sqlite/src/list.rs)
