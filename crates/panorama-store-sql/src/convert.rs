//! Stored forms both databases share: times as microseconds since the epoch.

use panorama_core::{Error, Result};

/// Microseconds since the epoch, as stored.
pub fn micros(at: jiff::Timestamp) -> i64 {
    at.as_microsecond()
}

/// A stored time back as a timestamp.
pub fn timestamp(micros: i64) -> Result<jiff::Timestamp> {
    jiff::Timestamp::from_microsecond(micros)
        .map_err(|e| Error::internal(format!("stored time {micros}: {e}")))
}
