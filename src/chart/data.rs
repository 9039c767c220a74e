//! What the charts show, computed from the aggregates and the outlook (never from rows).

use jiff::tz::TimeZone;

use crate::analysis::forecast::Quantiles;
use crate::analysis::{Aggregates, Assumptions, Outlook};
use crate::dataset::Unit;
use crate::timefmt::LocalClock;

/// One local calendar day of signups.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct DayBar {
    /// Local days since 1970 where the bar starts (it spans `day..day + span()`).
    pub day: f64,
    /// Days the bar covers: 1 for a day, 7 for a week, the month's length (0 reads as 1).
    pub width: f64,
    pub genuine: u64,
    pub flagged: u64,
    /// Registrations by the end of the day: all, and not flagged.
    pub cumulative_all: u64,
    pub cumulative_genuine: u64,
}

impl DayBar {
    /// Days the bar covers.
    pub fn span(&self) -> f64 {
        if self.width > 0.0 { self.width } else { 1.0 }
    }
}

/// How many days one bar of the main chart covers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bin {
    /// Days, weeks or months, by how long the data runs.
    #[default]
    Auto,
    /// Hours: for a day or two of data; `Auto` switches to hours when zoomed to
    /// [`HOURS_WHEN_ZOOMED`] days or less.
    Hour,
    Day,
    Week,
    Month,
}

/// Everything the main chart draws.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartData {
    pub title: String,
    pub bars: Vec<DayBar>,
    pub capacity: u64,
    pub overflow: u64,
    /// Local day (fractional) of the event start and of the as-of moment.
    pub event_start: Option<f64>,
    pub as_of: Option<f64>,
    pub attendance: Option<Quantiles>,
    /// Burst windows (local days, fractional), shaded behind the bars.
    pub bursts: Vec<(f64, f64)>,
    /// The same signups hour by hour (an hour is 1/24 of a local day), for a close zoom.
    pub hourly: Vec<DayBar>,
    /// Draw `hourly` instead of `bars` when the view spans [`HOURS_WHEN_ZOOMED`] days or less.
    pub hours_when_zoomed: bool,
    /// Start of the date range the numbers count (local day, fractional): the chart opens on
    /// it and shades what comes before.
    pub since: Option<f64>,
    /// Registrations counted although none has a signup time: there is no timeline to draw.
    pub undated: Option<u64>,
    /// What the rows are (people, or a lodging's bookings): the words the chart is labelled in.
    pub unit: Unit,
}

/// Zoomed to this many days or fewer, automatic bins become hours.
pub const HOURS_WHEN_ZOOMED: f64 = 3.0;

impl ChartData {
    /// The bars to draw for a view spanning `x0..x1` (local days).
    pub fn bars_for(&self, (x0, x1): (f64, f64)) -> &[DayBar] {
        if self.hours_when_zoomed && x1 - x0 <= HOURS_WHEN_ZOOMED && !self.hourly.is_empty() {
            &self.hourly
        } else {
            &self.bars
        }
    }

    /// What one bar counts, for the legend: signups (or a lodging's bookings) per hour, day,
    /// week or month.
    pub fn bar_name(bars: &[DayBar], unit: Unit) -> &'static str {
        let span = bars.first().map_or(1.0, |b| b.span());
        let k = match span {
            w if w < 0.5 => 0,
            w if w < 1.5 => 1,
            w if w < 7.5 => 2,
            _ => 3,
        };
        match unit {
            Unit::People => [
                "signups per hour",
                "daily signups",
                "weekly signups",
                "monthly signups",
            ][k],
            Unit::Bookings => [
                "bookings made per hour",
                "bookings made per day",
                "bookings made per week",
                "bookings made per month",
            ][k],
        }
    }
}

/// Registrations per category, largest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Breakdown {
    pub title: String,
    pub items: Vec<(String, u64)>,
}

impl Breakdown {
    /// The `max` largest categories, the rest folded into "other".
    pub fn new(title: &str, all: &[(String, u64)], max: usize) -> Breakdown {
        let mut items: Vec<(String, u64)> = all.iter().take(max).cloned().collect();
        let rest: u64 = all.iter().skip(max).map(|i| i.1).sum();
        if rest > 0 {
            items.push((format!("{} others", all.len() - max), rest));
        }
        Breakdown {
            title: title.to_string(),
            items,
        }
    }
}

impl ChartData {
    /// Day bars up to the as-of moment, markers and the outlook's attendance band.
    pub fn build(
        agg: &Aggregates,
        a: &Assumptions,
        outlook: &Outlook,
        tz: &TimeZone,
        title: &str,
    ) -> ChartData {
        let mut clock = LocalClock::new(tz.clone());
        let local_day = |clock: &mut LocalClock, t: i64| clock.wall(t) as f64 / 86_400.0;
        // Every hour that began before the as-of instant: a series is "now" just after its
        // latest signup, which falls inside its hour (counting whole hours only, a restaurant
        // night whose reservations came the same hour showed an empty chart of 1970).
        let end = if agg.hours() > 0 && outlook.as_of > agg.hour_start(0) {
            (agg.hour_of(outlook.as_of - 1) + 1).min(agg.hours())
        } else {
            0
        };
        let mut bars: Vec<DayBar> = Vec::new();
        let mut hourly: Vec<DayBar> = Vec::with_capacity(end);
        let (mut all, mut genuine) = (0u64, 0u64);
        for h in 0..end {
            let g: u64 = agg.current.hourly[h].iter().map(|&c| c as u64).sum();
            let f = agg.current.flagged_hourly[h] as u64;
            hourly.push(DayBar {
                day: local_day(&mut clock, agg.hour_start(h)),
                width: 1.0 / 24.0,
                genuine: g,
                flagged: f,
                cumulative_all: all + g + f,
                cumulative_genuine: genuine + g,
            });
            let day = clock.day(agg.hour_start(h)) as f64;
            if bars.last().is_none_or(|b| b.day != day) {
                // Fill skipped days with zero bars so cumulative lines stay flat, not sloped.
                if let Some(prev) = bars.last().map(|b| b.day) {
                    let mut d = prev + 1.0;
                    while d < day {
                        bars.push(DayBar {
                            day: d,
                            cumulative_all: all,
                            cumulative_genuine: genuine,
                            ..DayBar::default()
                        });
                        d += 1.0;
                    }
                }
                bars.push(DayBar {
                    day,
                    ..DayBar::default()
                });
            }
            all += g + f;
            genuine += g;
            let b = bars.last_mut().expect("pushed above");
            b.genuine += g;
            b.flagged += f;
            b.cumulative_all = all;
            b.cumulative_genuine = genuine;
        }
        ChartData {
            title: title.to_string(),
            bars,
            capacity: a.capacity,
            overflow: a.overflow_capacity,
            event_start: outlook
                .event_start
                .or(a.event_start)
                .map(|t| local_day(&mut clock, t)),
            as_of: a.as_of.map(|t| local_day(&mut clock, t)),
            attendance: outlook
                .event_start
                .or(a.event_start)
                .map(|_| outlook.attendance),
            bursts: Vec::new(),
            hourly,
            hours_when_zoomed: true,
            since: None,
            undated: outlook.undated_only.then_some(outlook.registrations),
            unit: outlook.unit,
        }
    }

    /// Registrations counted with nothing to draw over time (none has a time): how many.
    pub fn undated_only(&self) -> Option<u64> {
        self.undated.filter(|_| self.bars.is_empty())
    }

    /// The bars grouped by week (Monday to Sunday) or calendar month; `Auto` picks days for
    /// up to four months of data, weeks up to two years, months beyond.
    pub fn binned(mut self, bin: Bin) -> ChartData {
        let days = self.bars.len();
        self.hours_when_zoomed = bin == Bin::Auto;
        if bin == Bin::Hour {
            self.bars = self.hourly.clone();
            return self;
        }
        let bin = match bin {
            Bin::Auto if days <= 120 => Bin::Day,
            Bin::Auto if days <= 730 => Bin::Week,
            Bin::Auto => Bin::Month,
            b => b,
        };
        if bin == Bin::Day {
            return self;
        }
        let key = |day: f64| -> i64 {
            let d = day as i64;
            match bin {
                // 1970-01-01 was a Thursday: Monday-based weeks start 3 days earlier.
                Bin::Week => (d + 3).div_euclid(7) * 7 - 3,
                _ => {
                    let (y, m, _) = crate::import::timestamp::civil_from_days(d);
                    crate::import::timestamp::days_from_civil(y, m, 1)
                }
            }
        };
        let mut out: Vec<DayBar> = Vec::new();
        for b in &self.bars {
            let start = key(b.day) as f64;
            match out.last_mut() {
                Some(last) if last.day == start => {
                    last.genuine += b.genuine;
                    last.flagged += b.flagged;
                    last.cumulative_all = b.cumulative_all;
                    last.cumulative_genuine = b.cumulative_genuine;
                    last.width = last.width.max(b.day + 1.0 - start);
                }
                _ => out.push(DayBar {
                    day: start,
                    width: b.day + 1.0 - start,
                    ..*b
                }),
            }
        }
        // A bin covers its whole week or month, even where the data starts or ends inside it.
        for b in &mut out {
            b.width = match bin {
                Bin::Week => 7.0,
                _ => {
                    let (y, m, _) = crate::import::timestamp::civil_from_days(b.day as i64);
                    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
                    (crate::import::timestamp::days_from_civil(ny, nm, 1) - b.day as i64) as f64
                }
            };
        }
        self.bars = out;
        self
    }

    /// Sets the start of the date range (UTC seconds).
    pub fn since(mut self, since: Option<i64>, tz: &TimeZone) -> ChartData {
        let mut clock = LocalClock::new(tz.clone());
        self.since = since.map(|t| clock.wall(t) as f64 / 86_400.0);
        self
    }

    /// Adds burst windows given in UTC seconds.
    pub fn with_bursts(mut self, bursts: &[(i64, i64)], tz: &TimeZone) -> ChartData {
        let mut clock = LocalClock::new(tz.clone());
        self.bursts = bursts
            .iter()
            .map(|&(a, b)| {
                (
                    clock.wall(a) as f64 / 86_400.0,
                    clock.wall(b) as f64 / 86_400.0,
                )
            })
            .collect();
        self
    }

    /// The days from the first bar to just past the event (or the last bar).
    pub fn full_range(&self) -> (f64, f64) {
        // Without a bar (nothing registered yet), the days around the event.
        let anchor = self.event_start.or(self.as_of).map_or(0.0, f64::floor);
        let first = self.bars.first().map_or(anchor - 1.0, |b| b.day);
        let last = self.bars.last().map_or(anchor + 1.0, |b| b.day + b.span());
        // A date range opens the chart on its start.
        let first = self
            .since
            .map_or(first, |s| s.floor().max(first).min(last - 1.0));
        let end = self.event_start.map_or(last, |e| e.max(last)) + 1.0;
        (first - 0.5, end)
    }

    /// The largest value any series reaches.
    pub fn y_max(&self) -> f64 {
        let bars = self
            .bars
            .iter()
            .map(|b| b.cumulative_all.max(b.genuine + b.flagged))
            .max()
            .unwrap_or(0) as f64;
        let lines = (self.capacity + self.overflow) as f64;
        let band = self.attendance.map_or(0.0, |q| q.p90);
        bars.max(lines).max(band).max(1.0)
    }

    /// Whether a log scale is needed to show this data: a flood whose biggest value dwarfs a
    /// typical day (a million registrations against thousands of seats). Small events read
    /// better on a linear scale, where a day with one signup still draws a bar.
    pub fn wants_log(&self) -> bool {
        let mut days: Vec<u64> = self
            .bars
            .iter()
            .map(|b| b.genuine + b.flagged)
            .filter(|&n| n > 0)
            .collect();
        if days.is_empty() {
            return false;
        }
        let mid = days.len() / 2;
        let typical = *days.select_nth_unstable(mid).1 as f64;
        let top = self.y_max();
        top >= 5_000.0 && top / typical.max(1.0) >= 50.0
    }

    /// The bar of a local day, if there is one.
    pub fn bar_at(&self, day: f64, view: (f64, f64)) -> Option<&DayBar> {
        let bars = self.bars_for(view);
        let i = bars.partition_point(|b| b.day + b.span() <= day);
        bars.get(i).filter(|b| b.day <= day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::outlook;
    use crate::chart::{ChartView, Palette, draw_main};
    use crate::demo::{Demo, DemoConfig};
    use plotters::prelude::*;

    #[test]
    fn bars_add_up_and_the_chart_draws_to_svg() {
        let demo = Demo::generate(&DemoConfig {
            rows: 5_000,
            seed: 2,
            ..DemoConfig::default()
        });
        let agg = Aggregates::build(&demo.dataset, &Vec::new());
        let a = Assumptions {
            capacity: 19_000,
            overflow_capacity: 40_000,
            event_start: Some(demo.venue.event_start),
            ..Assumptions::default()
        };
        let o = outlook(&agg, &a);
        let data = ChartData::build(&agg, &a, &o, &demo.venue.time_zone(), "Rally");
        let total: u64 = data.bars.iter().map(|b| b.genuine + b.flagged).sum();
        assert_eq!(total, o.registrations);
        assert_eq!(data.bars.last().unwrap().cumulative_all, total);
        assert!(data.bars.windows(2).all(|w| w[1].day == w[0].day + 1.0));
        crate::chart::register_fonts();
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (900, 500)).into_drawing_area();
            let g = draw_main(&root, &data, &ChartView::default(), &Palette::light()).unwrap();
            assert!(g.right > g.left && g.bottom > g.top);
            root.present().unwrap();
        }
        assert!(svg.contains("capacity 19,000"), "legend names the capacity");
        assert!(svg.contains("expected attendance"));
    }

    #[test]
    fn bars_group_by_week_and_month() {
        // 2024-01-29 (a Monday) to 2024-03-10, one signup a day.
        let first = crate::import::timestamp::days_from_civil(2024, 1, 29);
        let bars: Vec<DayBar> = (0..42)
            .map(|k| DayBar {
                day: (first + k) as f64,
                width: 1.0,
                genuine: 1,
                flagged: 0,
                cumulative_all: k as u64 + 1,
                cumulative_genuine: k as u64 + 1,
            })
            .collect();
        let data = ChartData {
            bars,
            ..ChartData::default()
        };
        let weeks = data.clone().binned(Bin::Week);
        assert_eq!(weeks.bars.len(), 6);
        assert!(weeks.bars.iter().all(|b| b.genuine == 7 && b.span() == 7.0));
        assert_eq!(weeks.bars[0].day, first as f64, "weeks start on Monday");
        assert_eq!(weeks.bars[5].cumulative_all, 42);
        let months = data.clone().binned(Bin::Month);
        let counts: Vec<u64> = months.bars.iter().map(|b| b.genuine).collect();
        assert_eq!(
            counts,
            vec![3, 29, 10],
            "Jan 29–31, all of February 2024, Mar 1–10"
        );
        assert_eq!(months.bars[1].span(), 29.0);
        let auto = data.clone().binned(Bin::Auto);
        assert_eq!(auto.bars, data.bars, "six weeks stay in days");
        let whole = weeks.full_range();
        assert!(
            weeks
                .bar_at(first as f64 + 9.5, whole)
                .is_some_and(|b| b.day == first as f64 + 7.0)
        );
        // Hours: drawn when zoomed to three days or less under `Auto`, always under `Hour`.
        let mut hourly = auto.clone();
        hourly.hourly = (0..48)
            .map(|h| DayBar {
                day: first as f64 + h as f64 / 24.0,
                width: 1.0 / 24.0,
                genuine: 1,
                ..DayBar::default()
            })
            .collect();
        let close = (first as f64, first as f64 + 2.0);
        assert_eq!(hourly.bars_for(close).len(), 48);
        assert_eq!(
            ChartData::bar_name(hourly.bars_for(close), Unit::People),
            "signups per hour"
        );
        assert_eq!(hourly.bars_for(whole).len(), hourly.bars.len());
        assert!(
            hourly
                .bar_at(first as f64 + 1.0 + 13.5 / 24.0, close)
                .is_some_and(|b| (b.day - (first as f64 + 1.0 + 13.0 / 24.0)).abs() < 1e-9)
        );
        let hours = hourly.clone().binned(Bin::Hour);
        assert_eq!(hours.bars.len(), 48);
        let days = hourly.binned(Bin::Day);
        assert_eq!(
            days.bars_for(close).len(),
            days.bars.len(),
            "days when chosen"
        );
    }
}
