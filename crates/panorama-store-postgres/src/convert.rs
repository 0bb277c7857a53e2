//! Rows to domain values and back: times as microseconds, JSON as jsonb, flags as booleans.

pub(crate) use panorama_store_sql::convert::micros;
