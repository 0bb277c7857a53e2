//! Saved list views: the whole `ViewStore` impl is in `area/views.rs` (two statements, no helpers).
