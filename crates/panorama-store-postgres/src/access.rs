//! (to be ported from panorama-store-sqlite/src/access.rs)
