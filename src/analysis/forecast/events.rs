//! Every event of a series at a glance: upcoming ones forecast as of now from the events
//! before them, past ones with what the backtest forecast the day before and who came.

use serde::Serialize;

use super::{Backtest, Model, Quantiles};
use crate::analysis::aggregate::Aggregates;

/// One event in the list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventOutlook {
    pub label: String,
    pub group: String,
    /// Start, UTC seconds.
    pub start: i64,
    /// `upcoming` or `past`.
    pub status: &'static str,
    /// The instant the forecast is for (now, or the day before a past event).
    pub as_of: i64,
    /// Genuine registrations active then.
    pub registrations: u64,
    pub attendance: Option<Quantiles>,
    pub final_registrations: Option<Quantiles>,
    /// People who came, for past events.
    pub actual: Option<u64>,
    /// The event the rest of the report is about.
    pub focus: bool,
}

/// Most upcoming events forecast in one list (the earliest ones), unless asked for more.
pub const MAX_UPCOMING: usize = 200;

/// The events of a series as of one instant, as the report and the Events panel list them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventList {
    /// Upcoming events forecast (the earliest ones), then past ones.
    pub events: Vec<EventOutlook>,
    /// Events still to come, listed or not: a chain's nights run to thousands, and the list
    /// holds the earliest few hundred.
    pub upcoming: usize,
    /// Upcoming events listed with a forecast (none: no earlier outcome to learn from).
    pub forecast: usize,
}

/// Upcoming events of the series as of `now` (the `upcoming` earliest), then events over by
/// `now` with the backtest's forecast one day before and the actual attendance.
pub fn event_list(
    agg: &Aggregates,
    model: &Model,
    now: i64,
    backtest: Option<&Backtest>,
    upcoming: usize,
) -> EventList {
    let series = &agg.series;
    let mut out = Vec::new();
    for &e in series.in_order() {
        let ev = &series.events[e];
        let (Some(start), Some(close)) = (ev.start, ev.close()) else {
            continue;
        };
        // Upcoming until it is over: a day of dates only takes bookings all day.
        if close <= now {
            continue;
        }
        if out.len() >= upcoming {
            break;
        }
        let f = model.forecast_event(agg, e, now);
        out.push(EventOutlook {
            label: ev.label.clone(),
            group: ev.group.clone(),
            start,
            status: "upcoming",
            as_of: now,
            registrations: f.map_or_else(|| series.holding_at(e, now), |f| f.2).round() as u64,
            attendance: f.map(|f| f.0),
            final_registrations: f.map(|f| f.1),
            actual: None,
            focus: ev.focus,
        });
    }
    if let Some(b) = backtest {
        // Events by label and group, looked up once each (a search per point was a fifth of
        // the report on a store × day series).
        let index: rustc_hash::FxHashMap<(&str, &str), usize> = series
            .in_order()
            .iter()
            .rev()
            .map(|&i| {
                let ev = &series.events[i];
                ((ev.label.as_str(), ev.group.as_str()), i)
            })
            .collect();
        for p in b.points.iter().filter(|p| p.days_before == 1) {
            let Some(&e) = index.get(&(p.edition.as_str(), p.group.as_str())) else {
                continue;
            };
            // The backtest scores every event with an outcome; as of an earlier day (a
            // replay), those still to come then are upcoming, listed above, not past.
            if series.events[e].close().is_none_or(|c| c > now) {
                continue;
            }
            let start = series.events[e].start.unwrap_or(0);
            out.push(EventOutlook {
                label: p.edition.clone(),
                group: p.group.clone(),
                start,
                status: "past",
                as_of: start - 86_400,
                registrations: series.holding_at(e, start - 86_400).round() as u64,
                attendance: Some(p.forecast),
                final_registrations: None,
                actual: Some(p.actual),
                focus: series.events[e].focus,
            });
        }
    }
    let forecast = out
        .iter()
        .filter(|o| o.status == "upcoming" && o.attendance.is_some())
        .count();
    EventList {
        events: out,
        upcoming: series.upcoming_at(now),
        forecast,
    }
}

impl Quantiles {
    /// Where this attendance forecast stands against `capacity`, in words: over (even P10 is
    /// above), likely over (P50), may overflow (P90), or fits with the seats left at P50.
    pub fn against_capacity(&self, capacity: u64, l: crate::locale::Locale) -> String {
        if capacity == 0 {
            return "—".to_string();
        }
        let c = capacity as f64;
        if self.p10 > c {
            format!("over by {}", l.round(self.p50 - c))
        } else if self.p50 > c {
            "likely over".to_string()
        } else if self.p90 > c {
            "may overflow".to_string()
        } else {
            format!("fits ({} free)", l.round(c - self.p50))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::Locale;

    #[test]
    fn capacity_words_follow_the_interval() {
        let q = |p10, p50, p90| Quantiles {
            p5: p10,
            p10,
            p50,
            p90,
            p95: p90,
        };
        let l = Locale::English;
        assert_eq!(
            q(80.0, 90.0, 99.0).against_capacity(100, l),
            "fits (10 free)"
        );
        assert_eq!(
            q(80.0, 95.0, 110.0).against_capacity(100, l),
            "may overflow"
        );
        assert_eq!(
            q(90.0, 105.0, 120.0).against_capacity(100, l),
            "likely over"
        );
        assert_eq!(
            q(110.0, 140.0, 160.0).against_capacity(100, l),
            "over by 40"
        );
        assert_eq!(q(1.0, 2.0, 3.0).against_capacity(0, l), "—");
    }
}
