//! (to be ported from panorama-store-sqlite/src/views.rs)
