//! The behaviour calendar: events per day of a year, and a weekday-by-hour grid (Monday first),
//! both in the viewer's time zone.

use crate::error::{Error, Result, codes};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::collections::BTreeMap;

/// Earliest year a calendar may show.
pub const CALENDAR_YEAR_MIN: i16 = 1970;
/// Latest year a calendar may show.
pub const CALENDAR_YEAR_MAX: i16 = 2200;

/// Events per day and per weekday and hour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// The year shown.
    pub year: i16,
    /// The zone it is drawn in (IANA name, or `UTC`).
    pub zone: String,
    /// Days with at least one event, in date order, with their counts.
    pub days: Vec<(Date, u32)>,
    /// Seven rows (Monday first) of 24 hourly counts.
    pub weekday_hour: [[u32; 24]; 7],
}

impl Calendar {
    /// The instants `[start, end)` the year covers in `zone`.
    pub fn range(year: i16, zone: &TimeZone) -> Result<(jiff::Timestamp, jiff::Timestamp)> {
        let bound = |y: i16| {
            Date::new(y, 1, 1)
                .and_then(|d| zone.to_timestamp(d.into()))
                .map_err(|_| {
                    Error::invalid(codes::INVALID_VALUE, "the year is out of range", "year", y)
                })
        };
        Ok((bound(year)?, bound(year + 1)?))
    }

    /// Count `times` (any order; those outside the year are ignored) into days and the grid.
    pub fn count(
        year: i16,
        zone: &TimeZone,
        times: impl IntoIterator<Item = jiff::Timestamp>,
    ) -> Self {
        let mut days: BTreeMap<Date, u32> = BTreeMap::new();
        let mut weekday_hour = [[0u32; 24]; 7];
        for at in times {
            let local = zone.to_datetime(at);
            if local.year() != year {
                continue;
            }
            *days.entry(local.date()).or_default() += 1;
            let weekday = usize::try_from(local.weekday().to_monday_zero_offset()).unwrap_or(0);
            let hour = usize::try_from(local.hour()).unwrap_or(0);
            weekday_hour[weekday % 7][hour % 24] += 1;
        }
        Self {
            year,
            zone: zone_name(zone),
            days: days.into_iter().collect(),
            weekday_hour,
        }
    }
}

/// The IANA name of a zone, or its offset when it has none.
pub fn zone_name(zone: &TimeZone) -> String {
    zone.iana_name().map_or_else(
        || zone.to_offset(jiff::Timestamp::now()).to_string(),
        str::to_owned,
    )
}

/// Parse an IANA zone name (`Asia/Shanghai`); empty gives `default`.
pub fn parse_zone(raw: &str, default: &TimeZone) -> Result<TimeZone> {
    let name = raw.trim();
    if name.is_empty() {
        return Ok(default.clone());
    }
    TimeZone::get(name).map_err(|_| {
        Error::invalid(
            codes::INVALID_VALUE,
            "not a time zone name such as Asia/Shanghai or Europe/Berlin",
            "tz",
            name,
        )
    })
}

/// Parse a year in [`CALENDAR_YEAR_MIN`]..=[`CALENDAR_YEAR_MAX`]; empty gives `default`.
pub fn parse_year(raw: &str, default: i16) -> Result<i16> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(default);
    }
    text.parse::<i16>()
        .ok()
        .filter(|y| (CALENDAR_YEAR_MIN..=CALENDAR_YEAR_MAX).contains(y))
        .ok_or_else(|| {
            Error::invalid(
                codes::INVALID_VALUE,
                format!("the year is a number from {CALENDAR_YEAR_MIN} to {CALENDAR_YEAR_MAX}"),
                "year",
                text,
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_land_in_the_viewers_day_and_hour() {
        let shanghai = parse_zone("Asia/Shanghai", &TimeZone::UTC).expect("a zone");
        // Sunday 2026-03-01 20:30 UTC is Monday 04:30 in Shanghai.
        let at: jiff::Timestamp = "2026-03-01T20:30:00Z".parse().expect("an instant");
        let calendar = Calendar::count(2026, &shanghai, [at, at]);
        assert_eq!(calendar.days, vec![(jiff::civil::date(2026, 3, 2), 2)]);
        assert_eq!(calendar.weekday_hour[0][4], 2);
        let utc = Calendar::count(2026, &TimeZone::UTC, [at]);
        assert_eq!(utc.weekday_hour[6][20], 1);
        assert!(parse_zone("Mars/Base", &TimeZone::UTC).is_err());
        assert_eq!(parse_year("", 2026), Ok(2026));
        assert!(parse_year("99999", 2026).is_err());
    }
}
