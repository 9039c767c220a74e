//! Instants as Turnout stores them (UTC seconds) to and from text, and to local calendar days.

use jiff::tz::TimeZone;

use crate::import::timestamp::{self, Resolver, civil_from_days};

/// RFC 3339 in UTC, e.g. `2020-06-19T23:59:00Z`.
pub fn rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// An RFC 3339 instant as a person in `zone` reads it: `2016-05-31 16:41:22 -03`, seconds
/// only when there are any, the zone's abbreviation (or offset) last. Text that is not an
/// instant, or an unknown zone, comes back as it was.
pub fn local_text(rfc: &str, zone: &str) -> String {
    rfc.parse::<jiff::Timestamp>()
        .ok()
        .and_then(|ts| zoned_text(ts, zone))
        .unwrap_or_else(|| rfc.to_string())
}

/// [`local_text`] of an instant in UTC seconds (RFC 3339 when the zone is unknown).
pub fn local_at(secs: i64, zone: &str) -> String {
    jiff::Timestamp::from_second(secs)
        .ok()
        .and_then(|ts| zoned_text(ts, zone))
        .unwrap_or_else(|| rfc3339(secs))
}

/// The local calendar day of an RFC 3339 instant in `zone` (`2016-05-31`): how an event of
/// dates only (an appointment day, an arrival date) is named, rather than "00:00".
pub fn local_date_text(rfc: &str, zone: &str) -> String {
    let day = |ts: jiff::Timestamp| -> Option<String> {
        Some(
            ts.to_zoned(TimeZone::get(zone).ok()?)
                .strftime("%Y-%m-%d")
                .to_string(),
        )
    };
    rfc.parse::<jiff::Timestamp>()
        .ok()
        .and_then(day)
        .unwrap_or_else(|| rfc.to_string())
}

fn zoned_text(ts: jiff::Timestamp, zone: &str) -> Option<String> {
    let z = ts.to_zoned(TimeZone::get(zone).ok()?);
    let clock = if z.second() == 0 {
        "%Y-%m-%d %H:%M %Z"
    } else {
        "%Y-%m-%d %H:%M:%S %Z"
    };
    Some(z.strftime(clock).to_string())
}

/// `YYYY-MM-DD` for days since 1970.
pub fn date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Local calendar day (days since 1970) of an instant in `tz`.
pub fn local_day(secs: i64, tz: &TimeZone) -> i64 {
    let off = jiff::Timestamp::from_second(secs)
        .map(|ts| tz.to_offset(ts).seconds())
        .unwrap_or(0);
    (secs + off as i64).div_euclid(86_400)
}

/// The instant local day `day` begins in `tz` (its first instant: midnight, or the end of a
/// gap when the clocks jump over midnight).
pub fn day_start(day: i64, tz: &TimeZone) -> i64 {
    let (y, m, d) = civil_from_days(day);
    let civil = (|| {
        let date = jiff::civil::Date::new(i16::try_from(y).ok()?, m as i8, d as i8).ok()?;
        date.to_zoned(tz.clone()).ok()
    })();
    civil
        .map(|z| z.timestamp().as_second())
        .filter(|&t| local_day(t, tz) == day)
        .unwrap_or(day.saturating_mul(86_400))
}

/// `YYYY-MM-DD` of a local day, for event labels.
pub fn day_label(day: i64) -> String {
    date(day)
}

/// Local wall-clock view of UTC instants in one zone, cached per hour.
pub struct LocalClock {
    tz: TimeZone,
    cache: Vec<(i64, i32)>,
}

impl LocalClock {
    pub fn new(tz: TimeZone) -> LocalClock {
        LocalClock {
            tz,
            cache: vec![(i64::MIN, 0); 512],
        }
    }

    /// Offset from UTC in seconds at an instant.
    pub fn offset(&mut self, secs: i64) -> i32 {
        let hour = secs.div_euclid(3600);
        let slot = (hour as usize) & 511;
        if self.cache[slot].0 != hour {
            let off = jiff::Timestamp::from_second(secs)
                .map(|ts| self.tz.to_offset(ts).seconds())
                .unwrap_or(0);
            self.cache[slot] = (hour, off);
        }
        self.cache[slot].1
    }

    /// Local seconds since 1970 (wall clock as if it were UTC).
    pub fn wall(&mut self, secs: i64) -> i64 {
        secs + self.offset(secs) as i64
    }

    /// Local calendar day (days since 1970).
    pub fn day(&mut self, secs: i64) -> i64 {
        self.wall(secs).div_euclid(86_400)
    }
}

/// Reads a user-given instant (`--event-start`, `--as-of`) in any format the importer reads;
/// times without a zone are in `tz`.
pub fn parse_instant(text: &str, tz: &TimeZone) -> Result<i64, String> {
    let (raw, _) = timestamp::parse(text.as_bytes())
        .ok_or_else(|| format!("'{text}' is not a date and time (try 2026-06-20T19:00)"))?;
    Resolver::new(tz.clone(), false)
        .resolve(&raw)
        .map_err(|_| format!("'{text}' names a day that does not exist"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_592_611_200), "2020-06-20T00:00:00Z");
        assert_eq!(
            local_text("2016-05-31T19:41:22Z", "America/Sao_Paulo"),
            "2016-05-31 16:41:22 -03"
        );
        assert_eq!(
            local_text("2015-07-01T00:00:00Z", "Europe/Lisbon"),
            "2015-07-01 01:00 WEST"
        );
        assert_eq!(
            local_text("2020-06-20T00:00:00Z", "Etc/UTC"),
            "2020-06-20 00:00 UTC"
        );
        assert_eq!(local_text("not a time", "Etc/UTC"), "not a time");
        assert_eq!(local_at(1_592_611_200, "Etc/UTC"), "2020-06-20 00:00 UTC");
        assert_eq!(
            local_at(1_592_611_200, "Nowhere/Else"),
            "2020-06-20T00:00:00Z"
        );
        assert_eq!(date(18_433), "2020-06-20");
    }

    #[test]
    fn local_days_follow_the_zone() {
        let mut clock = LocalClock::new(TimeZone::get("America/Chicago").unwrap());
        // 2020-06-20T03:00Z is still the 19th in Chicago.
        assert_eq!(date(clock.day(1_592_622_000)), "2020-06-19");
    }

    #[test]
    fn a_day_starts_at_its_local_midnight() {
        let chicago = TimeZone::get("America/Chicago").unwrap();
        // 2020-06-20 begins at 05:00 UTC in Chicago (CDT).
        assert_eq!(day_start(18_433, &chicago), 1_592_629_200);
        for zone in ["America/Sao_Paulo", "Asia/Tokyo", "Europe/Lisbon", "UTC"] {
            let tz = TimeZone::get(zone).unwrap();
            for day in [16_000, 17_000, 18_433] {
                let t = day_start(day, &tz);
                assert_eq!(local_day(t, &tz), day, "{zone}");
                assert_eq!(local_day(t - 1, &tz), day - 1, "{zone}");
            }
        }
        // Beyond what a calendar can hold: a plain UTC day, not a panic.
        assert_eq!(
            day_start(i64::MAX / 86_400, &chicago) / 86_400,
            i64::MAX / 86_400
        );
    }

    #[test]
    fn user_instants() {
        let tz = TimeZone::get("America/Chicago").unwrap();
        assert_eq!(
            parse_instant("2020-06-20 19:00", &tz).unwrap(),
            1_592_697_600
        );
        assert!(parse_instant("soon", &tz).is_err());
    }
}
