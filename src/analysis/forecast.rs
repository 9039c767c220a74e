//! How many will come: the assumptions staff can tune and the outlook they give.
//!
//! This is the simple per-segment show-up model the dashboard starts with: final
//! registrations from the recent signup rate, a show-up rate per segment (published figures,
//! or what past editions' check-ins say, or the user's choice), a shared day-of-event shock so
//! registrants are not treated as deciding independently, and a normal approximation for the
//! interval. It says so on screen; the full forecast engine replaces it behind the same
//! [`outlook`] interface.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::aggregate::Aggregates;
use super::stats::{normal_cdf, normal_excess_over, normal_quantile, normal_shortfall_under};

/// Median share of registrants who come to free events: 72% (PheedLoop, 860 events with
/// check-in data: free events lose about 28%).
pub const FREE_SHOW_UP: f64 = 0.72;
/// Paid events lose about 17% (same source).
pub const PAID_SHOW_UP: f64 = 0.83;
/// Relative spread of a whole event's show-up (weather, one bad news day).
const EVENT_SHOCK: f64 = 0.10;

/// How flagged (likely fake or coordinated) registrations count.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "mode")]
pub enum FlaggedMode {
    /// Left out of the forecast.
    Excluded,
    /// Counted at their own show-up rate.
    AtRate { rate: f64 },
}

/// Everything the user can tune. Stored in project files; undo/redo works on it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Assumptions {
    pub capacity: u64,
    /// Extra places in an overflow area (0 = none).
    pub overflow_capacity: u64,
    /// Event start, UTC seconds.
    pub event_start: Option<i64>,
    /// Replay what was known at this instant (UTC seconds); `None` = everything loaded.
    pub as_of: Option<i64>,
    /// People expected without registering.
    pub walk_ins: u64,
    pub flagged: FlaggedMode,
    /// Show-up rate chosen by the user, by segment name.
    pub show_up_overrides: BTreeMap<String, f64>,
    /// What an empty seat costs (lost revenue, a worse room), in any currency.
    pub cost_empty_seat: f64,
    /// What turning a guest away costs.
    pub cost_turned_away: f64,
}

impl Default for Assumptions {
    fn default() -> Self {
        Assumptions {
            capacity: 0,
            overflow_capacity: 0,
            event_start: None,
            as_of: None,
            walk_ins: 0,
            flagged: FlaggedMode::Excluded,
            show_up_overrides: BTreeMap::new(),
            cost_empty_seat: 1.0,
            cost_turned_away: 3.0,
        }
    }
}

/// Where a segment's show-up rate comes from.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RateSource {
    /// The published median for free events.
    PublishedFree,
    /// The published median for paid events.
    PublishedPaid,
    /// Check-ins of past editions.
    History { came: u64, registered: u64 },
    /// Set by the user.
    Chosen,
}

impl RateSource {
    pub fn describe(&self) -> String {
        match self {
            RateSource::PublishedFree => {
                "median of free events (PheedLoop, 860 events: 28% don't come)".to_string()
            }
            RateSource::PublishedPaid => {
                "median of paid events (PheedLoop, 860 events: 17% don't come)".to_string()
            }
            RateSource::History { came, registered } => {
                format!("past editions: {came} of {registered} registrants checked in")
            }
            RateSource::Chosen => "set by you".to_string(),
        }
    }
}

/// One segment's show-up rate and its provenance.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShowUp {
    pub segment: String,
    pub tickets: u64,
    pub rate: f64,
    /// What the rate would be without the user's choice.
    pub default_rate: f64,
    pub default_source: RateSource,
    pub source: RateSource,
}

/// 10th, 50th and 90th percentiles.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Quantiles {
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
}

/// What the assumptions and the data say.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outlook {
    /// The instant the outlook is for (UTC seconds).
    pub as_of: i64,
    /// Active tickets registered by `as_of`: all, not flagged, flagged.
    pub registrations: u64,
    pub genuine: u64,
    pub flagged: u64,
    pub final_registrations: Quantiles,
    pub attendance: Quantiles,
    pub attendance_mean: f64,
    pub attendance_sd: f64,
    pub p_over_capacity: f64,
    pub expected_empty_seats: f64,
    pub expected_turned_away: f64,
    pub show_up: Vec<ShowUp>,
    pub advice: String,
    /// Which model produced this, shown on screen.
    pub model: String,
}

/// Show-up rates per segment with where each comes from.
pub fn show_up_rates(agg: &Aggregates, a: &Assumptions) -> Vec<ShowUp> {
    let history = agg.history_show_up();
    agg.segments
        .iter()
        .map(|s| {
            let (default_rate, default_source) = match history {
                Some((came, registered)) => (
                    came as f64 / registered as f64,
                    RateSource::History { came, registered },
                ),
                None if s.free => (FREE_SHOW_UP, RateSource::PublishedFree),
                None => (PAID_SHOW_UP, RateSource::PublishedPaid),
            };
            let chosen = a.show_up_overrides.get(&s.name).copied();
            ShowUp {
                segment: s.name.clone(),
                tickets: s.tickets,
                rate: chosen.unwrap_or(default_rate).clamp(0.0, 1.0),
                default_rate,
                source: if chosen.is_some() {
                    RateSource::Chosen
                } else {
                    default_source.clone()
                },
                default_source,
            }
        })
        .collect()
}

/// The outlook for the current assumptions. Cheap: reads only the aggregates.
pub fn outlook(agg: &Aggregates, a: &Assumptions) -> Outlook {
    let last = agg.hour_start(agg.hours());
    let as_of = a.as_of.unwrap_or(last);
    let by_segment = agg.by_segment_until(as_of);
    let genuine: u64 = by_segment.iter().sum();
    let flagged = agg.flagged_until(as_of);

    // Final registrations: the last three days' pace carried to the event start.
    let remaining_days = match a.event_start {
        Some(start) if start > as_of => (start - as_of) as f64 / 86_400.0,
        _ => 0.0,
    };
    let window = 3.0 * 86_400.0;
    let recent = agg.between(as_of - window as i64, as_of) as f64 / 3.0;
    let more = recent * remaining_days;
    let cv = (0.3 * (remaining_days / 7.0).sqrt()).min(1.0);
    let z90 = normal_quantile(0.9);
    let g = genuine as f64;
    let final_registrations = Quantiles {
        p10: g + more * (1.0 - z90 * cv).max(0.0),
        p50: g + more,
        p90: g + more * (1.0 + z90 * cv),
    };
    let growth = if g > 0.0 {
        final_registrations.p50 / g
    } else {
        1.0
    };

    let show_up = show_up_rates(agg, a);
    let mut mean = a.walk_ins as f64;
    let mut var = a.walk_ins as f64;
    let mut weighted_rate = 0.0;
    for (s, &n) in show_up.iter().zip(&by_segment) {
        let n = n as f64 * growth;
        mean += n * s.rate;
        var += n * s.rate * (1.0 - s.rate);
        weighted_rate += n * s.rate;
    }
    let mean_rate = if final_registrations.p50 > 0.0 {
        weighted_rate / final_registrations.p50
    } else {
        0.0
    };
    if let FlaggedMode::AtRate { rate } = a.flagged {
        let n = flagged as f64;
        mean += n * rate;
        var += n * rate * (1.0 - rate);
    }
    // Registrations still to come, and a shared shock: nobody decides alone.
    let reg_sd = (final_registrations.p90 - final_registrations.p10) / (2.0 * z90);
    var += (mean_rate * reg_sd).powi(2) + (EVENT_SHOCK * mean).powi(2);
    let sd = var.sqrt();
    let attendance = Quantiles {
        p10: (mean - z90 * sd).max(0.0),
        p50: mean,
        p90: mean + z90 * sd,
    };
    let capacity = a.capacity as f64;
    let p_over_capacity = if a.capacity == 0 {
        if mean > 0.0 { 1.0 } else { 0.0 }
    } else if sd > 0.0 {
        1.0 - normal_cdf((capacity + 0.5 - mean) / sd)
    } else {
        (mean > capacity) as u8 as f64
    };
    let expected_empty_seats = normal_shortfall_under(mean, sd, capacity).max(0.0);
    let expected_turned_away =
        normal_excess_over(mean, sd, capacity + a.overflow_capacity as f64).max(0.0);
    let mut outlook = Outlook {
        as_of,
        registrations: genuine + flagged,
        genuine,
        flagged,
        final_registrations,
        attendance,
        attendance_mean: mean,
        attendance_sd: sd,
        p_over_capacity,
        expected_empty_seats,
        expected_turned_away,
        show_up,
        advice: String::new(),
        model: "simple per-segment show-up model".to_string(),
    };
    outlook.advice = advice(&outlook, a);
    outlook
}

fn round_people(x: f64) -> String {
    let r = if x >= 10_000.0 {
        (x / 100.0).round() * 100.0
    } else if x >= 1_000.0 {
        (x / 10.0).round() * 10.0
    } else {
        x.round()
    };
    crate::report::thousands(r.max(0.0) as u64)
}

/// One plain sentence: what to expect and what to do about it.
pub fn advice(o: &Outlook, a: &Assumptions) -> String {
    let expect = format!(
        "Expect about {} ({}–{})",
        round_people(o.attendance.p50),
        round_people(o.attendance.p10),
        round_people(o.attendance.p90)
    );
    if a.capacity == 0 {
        return format!("{expect}. Set the venue's capacity to see whether they fit.");
    }
    let seats = crate::report::thousands(a.capacity);
    let empty_share = o.expected_empty_seats / a.capacity as f64;
    if o.p_over_capacity < 0.05 {
        let overflow = if a.overflow_capacity > 0 {
            ", so don't build the overflow area"
        } else {
            ""
        };
        format!(
            "{expect} for {seats} seats: {:.0}% of seats will be empty{overflow}.",
            empty_share * 100.0
        )
    } else if a.overflow_capacity == 0 {
        format!(
            "{expect} for {seats} seats: a {:.0}% chance the hall overflows; plan an overflow area or release fewer tickets.",
            o.p_over_capacity * 100.0
        )
    } else if o.expected_turned_away >= 1.0 {
        format!(
            "{expect} for {seats} seats plus {} in overflow: expect to turn about {} people away.",
            crate::report::thousands(a.overflow_capacity),
            round_people(o.expected_turned_away)
        )
    } else {
        format!(
            "{expect} for {seats} seats: a {:.0}% chance the hall overflows, so open the overflow area.",
            o.p_over_capacity * 100.0
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Aggregates;
    use crate::demo::{Demo, DemoConfig};

    fn demo_agg() -> (Demo, Aggregates) {
        let demo = Demo::generate(&DemoConfig {
            rows: 20_000,
            seed: 9,
            ..DemoConfig::default()
        });
        let agg = Aggregates::build(&demo.dataset, &Vec::new());
        (demo, agg)
    }

    #[test]
    fn more_capacity_means_less_chance_of_overflow() {
        let (demo, agg) = demo_agg();
        let mut a = Assumptions {
            event_start: Some(demo.venue.event_start),
            ..Assumptions::default()
        };
        let mut last = 1.1;
        for capacity in [100, 1_000, 3_000, 5_000, 8_000, 20_000, 100_000] {
            a.capacity = capacity;
            let o = outlook(&agg, &a);
            assert!(o.p_over_capacity <= last, "{capacity}");
            assert!(o.attendance.p10 <= o.attendance.p50 && o.attendance.p50 <= o.attendance.p90);
            last = o.p_over_capacity;
        }
        assert!(last < 0.01);
    }

    #[test]
    fn history_sets_the_default_and_the_user_can_override() {
        let (_, agg) = demo_agg();
        let a = Assumptions::default();
        let o = outlook(&agg, &a);
        assert!(matches!(o.show_up[0].source, RateSource::History { .. }));
        let mut chosen = a.clone();
        chosen
            .show_up_overrides
            .insert(o.show_up[0].segment.clone(), 0.5);
        let o2 = outlook(&agg, &chosen);
        assert_eq!(o2.show_up[0].rate, 0.5);
        assert_eq!(o2.show_up[0].source, RateSource::Chosen);
        assert_eq!(o2.show_up[0].default_rate, o.show_up[0].default_rate);
    }

    #[test]
    fn as_of_replays_the_past() {
        let (demo, agg) = demo_agg();
        let a = Assumptions {
            event_start: Some(demo.venue.event_start),
            as_of: Some(demo.venue.event_start - 7 * 86_400),
            ..Assumptions::default()
        };
        let week_before = outlook(&agg, &a);
        let all = outlook(&agg, &Assumptions::default());
        assert!(week_before.registrations < all.registrations);
        assert!(week_before.final_registrations.p90 > week_before.final_registrations.p10);
    }

    #[test]
    fn advice_speaks_plainly() {
        let (_, agg) = demo_agg();
        let a = Assumptions {
            capacity: 1_000_000,
            overflow_capacity: 10_000,
            ..Assumptions::default()
        };
        let o = outlook(&agg, &a);
        assert!(o.advice.starts_with("Expect about"), "{}", o.advice);
        assert!(
            o.advice.contains("don't build the overflow area"),
            "{}",
            o.advice
        );
    }
}
