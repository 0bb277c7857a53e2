//! One clock for every page: each time is shown in the viewer's zone, which the page script keeps
//! in the `panorama_tz` cookie, else in the company's (`Settings::time_zone`), and the page names
//! that zone once, in its footer. Pages carry a [`Clock`] in their `Chrome` and format every time
//! through it, so no page mixes zones.

use super::i18n::Lang;
use axum::http::HeaderMap;
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// The cookie holding the viewer's IANA time zone, set by `static/app.js`.
pub const ZONE_COOKIE: &str = "panorama_tz";

/// The zone a page shows its times in.
#[derive(Debug, Clone)]
pub struct Clock {
    zone: TimeZone,
}

impl Clock {
    /// The clock of `zone`.
    pub fn new(zone: TimeZone) -> Self {
        Self { zone }
    }

    /// The viewer's zone from the `panorama_tz` cookie of `headers`, else `company`.
    pub fn of_viewer(headers: &HeaderMap, company: &TimeZone) -> Self {
        let named = headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == ZONE_COOKIE)
            .and_then(|(_, value)| TimeZone::get(&value.replace("%2F", "/")).ok());
        Self::new(named.unwrap_or_else(|| company.clone()))
    }

    /// The zone.
    pub fn zone(&self) -> &TimeZone {
        &self.zone
    }

    /// `at` as `YYYY-MM-DD HH:MM:SS` in this zone.
    pub fn time(&self, at: Timestamp) -> String {
        self.zone
            .to_datetime(at)
            .strftime("%Y-%m-%d %H:%M:%S")
            .to_string()
    }

    /// `at`'s time of day, `HH:MM:SS`, in this zone (the timeline, under its day).
    pub fn time_of_day(&self, at: Timestamp) -> String {
        self.zone.to_datetime(at).strftime("%H:%M:%S").to_string()
    }

    /// `at` for `<time datetime>`: RFC 3339 with this zone's offset (`2026-05-01T09:30:00+08:00`),
    /// the same instant as the shown text.
    pub fn iso(&self, at: Timestamp) -> String {
        at.to_zoned_datetime(self.zone.clone())
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    }

    /// The zone's name: IANA (`Asia/Shanghai`), else its offset.
    pub fn name(&self) -> String {
        panorama_core::event::zone_name(&self.zone)
    }

    /// The zone's offset now, as `UTC+08:00`.
    pub fn offset(&self) -> String {
        let seconds = self.zone.to_offset(Timestamp::now()).seconds();
        let sign = if seconds < 0 { '-' } else { '+' };
        let minutes = seconds.unsigned_abs() / 60;
        format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
    }

    /// The page's one line naming the zone: "Times in Asia/Shanghai (UTC+08:00)".
    pub fn note(&self, lang: Lang) -> String {
        lang.t("clock.note")
            .replace("{zone}", &self.name())
            .replace("{offset}", &self.offset())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_cookie_names_the_zone_else_the_company_does() {
        let shanghai = TimeZone::get("Asia/Shanghai").expect("zone");
        let mut headers = HeaderMap::new();
        assert_eq!(
            Clock::of_viewer(&headers, &shanghai).name(),
            "Asia/Shanghai"
        );
        headers.insert(
            axum::http::header::COOKIE,
            HeaderValue::from_static("a=b; panorama_tz=Europe%2FBerlin"),
        );
        let clock = Clock::of_viewer(&headers, &shanghai);
        assert_eq!(clock.name(), "Europe/Berlin");
        headers.insert(
            axum::http::header::COOKIE,
            HeaderValue::from_static("panorama_tz=Nowhere%2FAtAll"),
        );
        assert_eq!(
            Clock::of_viewer(&headers, &shanghai).name(),
            "Asia/Shanghai"
        );
    }

    #[test]
    fn times_show_in_the_zone_with_its_offset() {
        let clock = Clock::new(TimeZone::get("Asia/Shanghai").expect("zone"));
        let at: Timestamp = "2026-05-01T01:30:00.5Z".parse().expect("time");
        assert_eq!(clock.time(at), "2026-05-01 09:30:00");
        assert_eq!(clock.time_of_day(at), "09:30:00");
        assert_eq!(clock.iso(at), "2026-05-01T09:30:00+08:00");
        assert_eq!(clock.offset(), "UTC+08:00");
        assert_eq!(
            clock.note(Lang::Zh),
            "时间以 Asia/Shanghai (UTC+08:00) 显示"
        );
        assert_eq!(clock.note(Lang::En), "Times in Asia/Shanghai (UTC+08:00)");
    }
}
