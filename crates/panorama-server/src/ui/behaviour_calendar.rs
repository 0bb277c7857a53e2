//! The calendar view of the behaviour area, drawn as inline SVG and tables by the server: a year
//! heat-map (weeks × weekdays, Monday first), a weekday-by-hour grid, and month grids for the
//! months up to now. Every cell carries its count in a `<title>`, shown on hover, and a day links
//! to the stream filtered to that day.

use super::behaviour::BehaviourParams;
use super::i18n::Lang;
use crate::AppState;
use jiff::civil::Date;
use panorama_core::Result;
use panorama_core::contact::ContactId;
use panorama_core::event::{Calendar, parse_year};
use std::collections::HashMap;

/// Pixels from one heat-map cell to the next.
const PITCH_PX: i32 = 14;
/// Side of a heat-map cell, in pixels.
const CELL_PX: i32 = 12;
/// Room for weekday labels left of the grids, in pixels.
const LEFT_PX: i32 = 34;
/// Room for month or hour labels above the grids, in pixels.
const TOP_PX: i32 = 16;
/// Pixels from one weekday-hour cell to the next.
const HOUR_PITCH_PX: i32 = 22;

/// One coloured cell of a grid.
pub struct Cell {
    pub(crate) x: i32,
    pub(crate) y: i32,
    pub(crate) level: u8,
    pub(crate) title: String,
    pub(crate) href: Option<String>,
}

/// A label placed on a grid.
pub struct Label {
    pub(crate) x: i32,
    pub(crate) y: i32,
    pub(crate) text: String,
}

/// One day of a month grid.
pub struct MonthDay {
    pub(crate) day: i8,
    pub(crate) level: u8,
    pub(crate) title: String,
    pub(crate) href: String,
}

/// A month as a Monday-first table.
pub struct MonthView {
    pub(crate) title: String,
    pub(crate) weeks: Vec<Vec<Option<MonthDay>>>,
}

/// Everything the calendar view shows.
pub struct CalendarView {
    pub(crate) year: i16,
    pub(crate) previous_href: String,
    pub(crate) next_href: Option<String>,
    pub(crate) total: u32,
    pub(crate) heat_width: i32,
    pub(crate) heat_height: i32,
    pub(crate) heat: Vec<Cell>,
    pub(crate) heat_labels: Vec<Label>,
    pub(crate) hours_width: i32,
    pub(crate) hours_height: i32,
    pub(crate) hours: Vec<Cell>,
    pub(crate) hour_labels: Vec<Label>,
    pub(crate) weekday_names: Vec<&'static str>,
    pub(crate) months: Vec<MonthView>,
}

/// Colour level of a day: none, 1–2, 3–4, more than 4 (the product's legend).
fn day_level(count: u32) -> u8 {
    match count {
        0 => 0,
        1..=2 => 1,
        3..=4 => 2,
        _ => 3,
    }
}

impl CalendarView {
    /// Read the year's events of a contact and lay them out.
    pub async fn load(
        state: &AppState,
        lang: Lang,
        contact_id: ContactId,
        params: &BehaviourParams,
        zone: &jiff::tz::TimeZone,
        filters: &str,
    ) -> Result<Self> {
        let today = zone.to_datetime(jiff::Timestamp::now()).date();
        let year = parse_year(params.year.as_deref().unwrap_or(""), today.year())?;
        let (from, to) = Calendar::range(year, zone)?;
        let calendar = Calendar::count(
            year,
            zone,
            state.store.event_times(contact_id, from, to).await?,
        );
        let counts: HashMap<Date, u32> = calendar.days.iter().copied().collect();
        let base = format!("/contacts/{contact_id}");
        let day_href = |date: Date| format!("{base}?view=stream&from={date}&to={date}#behaviour");
        let day_title = |date: Date, count: u32| {
            lang.t("behaviour.events_on")
                .replace("{date}", &date.to_string())
                .replace("{count}", &count.to_string())
        };
        let weekday_names: Vec<&'static str> =
            (1..=7).map(|d| lang.t(&format!("weekday.{d}"))).collect();
        let mut view = Self {
            year,
            previous_href: format!("{base}?view=calendar&year={}{filters}#behaviour", year - 1),
            next_href: (year < today.year())
                .then(|| format!("{base}?view=calendar&year={}{filters}#behaviour", year + 1)),
            total: calendar.days.iter().map(|(_, c)| c).sum(),
            heat_width: LEFT_PX + 54 * PITCH_PX,
            heat_height: TOP_PX + 7 * PITCH_PX,
            heat: Vec::new(),
            heat_labels: Vec::new(),
            hours_width: LEFT_PX + 24 * HOUR_PITCH_PX,
            hours_height: TOP_PX + 7 * HOUR_PITCH_PX,
            hours: Vec::new(),
            hour_labels: Vec::new(),
            weekday_names: weekday_names.clone(),
            months: Vec::new(),
        };
        let first = Date::new(year, 1, 1).map_err(panorama_core::Error::internal)?;
        let offset = i32::from(first.weekday().to_monday_zero_offset());
        let mut date = first;
        let mut index = 0;
        while date.year() == year {
            let slot = index + offset;
            let count = counts.get(&date).copied().unwrap_or(0);
            let (x, y) = (LEFT_PX + slot / 7 * PITCH_PX, TOP_PX + slot % 7 * PITCH_PX);
            if date.day() == 1 {
                view.heat_labels.push(Label {
                    x,
                    y: TOP_PX - 4,
                    text: lang.t(&format!("month.{}", date.month())).to_owned(),
                });
            }
            view.heat.push(Cell {
                x,
                y,
                level: day_level(count),
                title: day_title(date, count),
                href: Some(day_href(date)),
            });
            index += 1;
            date = match date.tomorrow() {
                Ok(next) => next,
                Err(_) => break,
            };
        }
        for (row, name) in weekday_names
            .iter()
            .enumerate()
            .filter(|(row, _)| row % 2 == 0)
        {
            let y = TOP_PX + i32::try_from(row).unwrap_or(0) * PITCH_PX + CELL_PX - 2;
            view.heat_labels.push(Label {
                x: 0,
                y,
                text: (*name).to_owned(),
            });
        }
        view.lay_out_hours(lang, &calendar.weekday_hour, &weekday_names);
        view.months = months(lang, year, today, &counts, &day_title, &day_href);
        Ok(view)
    }

    fn lay_out_hours(&mut self, lang: Lang, grid: &[[u32; 24]; 7], weekday_names: &[&'static str]) {
        let max = grid.iter().flatten().copied().max().unwrap_or(0).max(1);
        for (row, hours) in grid.iter().enumerate() {
            let y = TOP_PX + i32::try_from(row).unwrap_or(0) * HOUR_PITCH_PX;
            self.hour_labels.push(Label {
                x: 0,
                y: y + 14,
                text: weekday_names.get(row).copied().unwrap_or("").to_owned(),
            });
            for (hour, count) in hours.iter().enumerate() {
                let level = if *count == 0 {
                    0
                } else {
                    u8::try_from((count * 4).div_ceil(max))
                        .unwrap_or(4)
                        .clamp(1, 4)
                };
                let title = lang
                    .t("behaviour.hour_title")
                    .replace("{weekday}", weekday_names.get(row).copied().unwrap_or(""))
                    .replace("{hour}", &format!("{hour:02}:00"))
                    .replace("{count}", &count.to_string());
                let x = LEFT_PX + i32::try_from(hour).unwrap_or(0) * HOUR_PITCH_PX;
                self.hours.push(Cell {
                    x,
                    y,
                    level,
                    title,
                    href: None,
                });
            }
        }
        for hour in (0..24).step_by(3) {
            self.hour_labels.push(Label {
                x: LEFT_PX + hour * HOUR_PITCH_PX,
                y: TOP_PX - 4,
                text: format!("{hour:02}"),
            });
        }
    }
}

/// Month grids for the year, newest first, up to the current month.
fn months(
    lang: Lang,
    year: i16,
    today: Date,
    counts: &HashMap<Date, u32>,
    title: &dyn Fn(Date, u32) -> String,
    href: &dyn Fn(Date) -> String,
) -> Vec<MonthView> {
    let last = if year == today.year() {
        today.month()
    } else {
        12
    };
    (1..=last)
        .rev()
        .filter_map(|month| {
            let first = Date::new(year, month, 1).ok()?;
            let mut weeks: Vec<Vec<Option<MonthDay>>> = vec![Vec::new()];
            for _ in 0..first.weekday().to_monday_zero_offset() {
                weeks.last_mut()?.push(None);
            }
            for day in 1..=first.days_in_month() {
                let date = Date::new(year, month, day).ok()?;
                if weeks.last()?.len() == 7 {
                    weeks.push(Vec::new());
                }
                let count = counts.get(&date).copied().unwrap_or(0);
                weeks.last_mut()?.push(Some(MonthDay {
                    day,
                    level: day_level(count),
                    title: title(date, count),
                    href: href(date),
                }));
            }
            while weeks.last()?.len() < 7 {
                weeks.last_mut()?.push(None);
            }
            let name = lang
                .t("behaviour.month_title")
                .replace("{year}", &year.to_string())
                .replace("{month}", lang.t(&format!("month.{month}")));
            Some(MonthView { title: name, weeks })
        })
        .collect()
}
