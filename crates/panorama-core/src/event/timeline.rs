//! A contact's timeline: the filter (types, groups, time range), its keyset cursor, and pages.
//!
//! Events are ordered newest first by `(occurred_at, event_id)`: equal instants keep a stable
//! order, and the cursor is the last `(occurred_at, event_id)` shown, so page 10,000 costs what
//! page 1 costs.

use super::Event;
use super::ingest::parse_instant;
use crate::error::{Error, Result, codes};
use crate::metadata::EventDefinition;

/// Most events one timeline page may hold.
pub const TIMELINE_LIMIT_MAX: u64 = 1000;
/// Events per page when the request does not say.
pub const TIMELINE_LIMIT_DEFAULT: u64 = 50;

/// Where the previous page ended: the last event shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineCursor {
    /// Its instant.
    pub occurred_at: jiff::Timestamp,
    /// Its id.
    pub event_id: String,
}

impl TimelineCursor {
    /// The cursor of `event`.
    pub fn after(event: &Event) -> Self {
        Self {
            occurred_at: event.occurred_at,
            event_id: event.event_id.clone(),
        }
    }

    /// Opaque text: microseconds, `_`, the event id in hex (any id survives a URL).
    pub fn encode(&self) -> String {
        let hex: String = self.event_id.bytes().map(|b| format!("{b:02x}")).collect();
        format!("{}_{hex}", self.occurred_at.as_microsecond())
    }

    /// Parse [`Self::encode`]'s text.
    pub fn parse(raw: &str) -> Result<Self> {
        let bad = || {
            Error::invalid(
                codes::INVALID_VALUE,
                "not a cursor this server gave out",
                "cursor",
                raw,
            )
        };
        let (micros, hex) = raw.trim().split_once('_').ok_or_else(bad)?;
        let micros: i64 = micros.parse().map_err(|_| bad())?;
        if hex.len() % 2 != 0 || !hex.is_ascii() {
            return Err(bad());
        }
        let bytes = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| bad()))
            .collect::<Result<Vec<u8>>>()?;
        Ok(Self {
            occurred_at: jiff::Timestamp::from_microsecond(micros).map_err(|_| bad())?,
            event_id: String::from_utf8(bytes).map_err(|_| bad())?,
        })
    }
}

/// Which events of a contact to read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EventFilter {
    /// Only these event keys; `None` means every event.
    pub events: Option<Vec<String>>,
    /// Only events at or after this instant.
    pub from: Option<jiff::Timestamp>,
    /// Only events before this instant.
    pub to: Option<jiff::Timestamp>,
}

impl EventFilter {
    /// Parse comma-separated `types` and `groups` against the definitions (their union is kept)
    /// and `from`/`to` as RFC 3339 instants or dates; a date is a whole day in `zone` (`to`
    /// included).
    pub fn parse(
        definitions: &[EventDefinition],
        types: &str,
        groups: &str,
        from: &str,
        to: &str,
        zone: &jiff::tz::TimeZone,
    ) -> Result<Self> {
        let list = |text: &str| -> Vec<String> {
            text.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let (types, groups) = (list(types), list(groups));
        for key in &types {
            if !definitions.iter().any(|d| d.key.as_str() == key) {
                return Err(Error::invalid(
                    codes::UNKNOWN_EVENT,
                    format!("`{key}` is not a defined event"),
                    "types",
                    key,
                ));
            }
        }
        for group in &groups {
            if !definitions.iter().any(|d| d.group.as_str() == group) {
                return Err(Error::invalid(
                    codes::INVALID_VALUE,
                    format!("no event belongs to group `{group}`"),
                    "groups",
                    group,
                ));
            }
        }
        let events = (!types.is_empty() || !groups.is_empty()).then(|| {
            definitions
                .iter()
                .filter(|d| {
                    types.iter().any(|t| t == d.key.as_str())
                        || groups.iter().any(|g| g == d.group.as_str())
                })
                .map(|d| d.key.to_string())
                .collect()
        });
        let filter = Self {
            events,
            from: parse_bound(from, "from", zone, false)?,
            to: parse_bound(to, "to", zone, true)?,
        };
        if let (Some(from), Some(to)) = (filter.from, filter.to)
            && from >= to
        {
            return Err(Error::invalid(
                codes::INVALID_VALUE,
                "`from` must be before `to`",
                "from",
                from,
            ));
        }
        Ok(filter)
    }

    /// Whether `event` passes the filter.
    pub fn accepts(&self, event: &Event) -> bool {
        self.events
            .as_ref()
            .is_none_or(|keys| keys.contains(&event.event))
            && self.from.is_none_or(|from| event.occurred_at >= from)
            && self.to.is_none_or(|to| event.occurred_at < to)
    }
}

fn parse_bound(
    raw: &str,
    field: &str,
    zone: &jiff::tz::TimeZone,
    end: bool,
) -> Result<Option<jiff::Timestamp>> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if let Ok(date) = text.parse::<jiff::civil::Date>()
        && text.len() == 10
    {
        let day = if end {
            date.tomorrow().map_err(Error::internal)?
        } else {
            date
        };
        let start = zone.to_timestamp(day.into()).map_err(|_| {
            Error::invalid(
                codes::INVALID_VALUE,
                format!("`{field}` is out of range"),
                field,
                text,
            )
        })?;
        return Ok(Some(start));
    }
    parse_instant(text, field).map(Some)
}

/// One page of a timeline query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineQuery {
    /// Which events.
    pub filter: EventFilter,
    /// Most events to return.
    pub limit: u64,
    /// Continue after this event.
    pub cursor: Option<TimelineCursor>,
}

/// A page of events, newest first, and the cursor of the next page if there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelinePage {
    /// The events.
    pub items: Vec<Event>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<TimelineCursor>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::preset_event_definitions;

    #[test]
    fn cursors_round_trip_any_id() {
        let cursor = TimelineCursor {
            occurred_at: jiff::Timestamp::from_microsecond(1_700_000_000_123_456)
                .expect("in range"),
            event_id: "订单/1 & x".to_owned(),
        };
        assert_eq!(TimelineCursor::parse(&cursor.encode()), Ok(cursor));
        assert!(TimelineCursor::parse("12_zz").is_err());
    }

    #[test]
    fn groups_and_dates_become_keys_and_instants() {
        let zone = jiff::tz::TimeZone::fixed(jiff::tz::offset(8));
        let filter = EventFilter::parse(
            &preset_event_definitions(),
            "email_open",
            "order",
            "2026-05-01",
            "2026-05-01",
            &zone,
        )
        .expect("valid");
        assert_eq!(
            filter.events,
            Some(vec![
                "email_open".to_owned(),
                "order".to_owned(),
                "order_detail".to_owned()
            ])
        );
        assert_eq!(
            filter.from.map(|t| t.to_string()).as_deref(),
            Some("2026-04-30T16:00:00Z")
        );
        assert_eq!(
            filter.to.map(|t| t.to_string()).as_deref(),
            Some("2026-05-01T16:00:00Z")
        );
        let bad = EventFilter::parse(&preset_event_definitions(), "nope", "", "", "", &zone)
            .expect_err("unknown");
        assert_eq!(bad.field.as_deref(), Some("types"));
    }
}
