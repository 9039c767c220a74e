//! The forecast section of the report and its text.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::thousands;
use crate::analysis::forecast::{Assumptions, Backtest, Decision, Outlook, Quantiles, RateSource};
use crate::timefmt::rfc3339;

/// One segment's show-up rate in the report.
#[derive(Clone, Debug, Serialize)]
pub struct ShowUpReport {
    pub segment: String,
    pub tickets: u64,
    pub rate: f64,
    /// 80% interval of the rate.
    pub interval: [f64; 2],
    /// `prior`, `calibrated` or `chosen`.
    pub source: &'static str,
    /// Past registrants behind a calibrated rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<u64>,
    pub explanation: String,
}

/// The forecast section of the report.
#[derive(Clone, Debug, Serialize)]
pub struct ForecastSection {
    pub as_of: String,
    /// No registration has a signup time: `as_of` means nothing, all are counted.
    pub undated_only: bool,
    /// Genuine registrations holding a place as of then.
    pub registrations: u64,
    /// Tickets already checked in, when the event's own files say (during or after it).
    pub checked_in: Option<u64>,
    /// The event is over and `checked_in` is who came: the advice says so instead of
    /// forecasting.
    pub outcome_known: bool,
    /// Registrations waiting for approval or on a waiting list.
    pub waiting: u64,
    /// Walk-ins counted: mean and standard deviation, and whether learned from headcounts.
    pub walk_ins: Option<[f64; 2]>,
    pub walk_ins_learned: bool,
    /// Share of today's active registrations expected to cancel before the start.
    pub cancel_share: f64,
    /// Attendance with flagged registrations counted at the genuine show-up.
    pub attendance_with_flagged: Option<Quantiles>,
    /// Genuine (unflagged) registrations by the event start.
    pub final_registrations: Quantiles,
    pub attendance: Quantiles,
    /// `None` without a capacity.
    pub p_over_capacity: Option<f64>,
    pub expected_empty_seats: Option<f64>,
    pub expected_turned_away: Option<f64>,
    pub show_up: Vec<ShowUpReport>,
    pub advice: String,
    pub decision: Decision,
    pub pickup: PickupReport,
    /// Log-scale spread of the whole event's show-up.
    pub event_day_spread: f64,
    pub model: String,
    pub backtest: Option<Backtest>,
    /// What the numbers count: `people`, or `bookings` (a lodging's log; the capacity is
    /// rooms).
    pub unit: crate::dataset::Unit,
}

/// How the signups still to come were forecast.
#[derive(Clone, Debug, Serialize)]
pub struct PickupReport {
    pub method: crate::analysis::forecast::PickupMethod,
    pub description: &'static str,
    /// Median of signups still to come.
    pub still_to_come: f64,
    /// Leave-one-out error of each method over past editions (log scale).
    pub method_errors: BTreeMap<String, f64>,
}

impl ForecastSection {
    pub fn new(o: &Outlook, a: &Assumptions, backtest: Option<Backtest>) -> ForecastSection {
        let has_capacity = a.capacity > 0;
        ForecastSection {
            as_of: rfc3339(o.as_of),
            undated_only: o.undated_only,
            registrations: o.genuine,
            checked_in: o.checked_in,
            outcome_known: o.outcome_known,
            waiting: o.waiting,
            walk_ins: o.walk_ins.map(|(m, sd)| [m, sd]),
            walk_ins_learned: o.walk_ins_learned,
            cancel_share: o.cancel_share,
            attendance_with_flagged: o.attendance_with_flagged,
            final_registrations: o.final_registrations,
            attendance: o.attendance,
            p_over_capacity: has_capacity.then_some(o.p_over_capacity),
            expected_empty_seats: has_capacity.then_some(o.expected_empty_seats),
            expected_turned_away: has_capacity.then_some(o.expected_turned_away),
            show_up: o
                .show_up
                .iter()
                .map(|s| ShowUpReport {
                    segment: s.segment.clone(),
                    tickets: s.tickets,
                    rate: s.rate,
                    interval: [s.interval.0, s.interval.1],
                    source: match s.source {
                        RateSource::Prior { .. } => "prior",
                        RateSource::Calibrated { .. } => "calibrated",
                        RateSource::Chosen => "chosen",
                    },
                    n: match s.source {
                        RateSource::Calibrated { n, .. } => Some(n),
                        _ => None,
                    },
                    explanation: s.source.describe(o.unit.words()),
                })
                .collect(),
            advice: o.advice.clone(),
            decision: o.decision.clone(),
            pickup: PickupReport {
                method: o.pickup.method,
                description: o.pickup.method.describe(),
                still_to_come: o.pickup.future,
                method_errors: o
                    .pickup
                    .loo_errors
                    .iter()
                    .map(|(m, e)| (m.to_string(), *e))
                    .collect(),
            },
            event_day_spread: o.shock,
            model: o.model.clone(),
            backtest,
            unit: o.unit,
        }
    }
}

pub(super) fn people(x: f64) -> String {
    thousands(x.max(0.0).round() as u64)
}

/// "1 person", "5,850 people".
pub fn persons(x: f64) -> String {
    let n = x.max(0.0).round() as u64;
    if n == 1 {
        "1 person".to_string()
    } else {
        format!("{} people", thousands(n))
    }
}

/// The forecast's lines; `all_day`: the event is a whole day, whose bookings count until it
/// ends.
pub(super) fn forecast_text(s: &mut String, f: &ForecastSection, zone: &str, all_day: bool) {
    let w = f.unit.words();
    let q = |q: &Quantiles| {
        format!(
            "{} (80% sure: {}–{})",
            people(q.p50),
            people(q.p10),
            people(q.p90)
        )
    };
    if f.undated_only {
        let _ = writeln!(
            s,
            "\nForecast (no registration has a signup time: all {} counted as they stand):",
            thousands(f.registrations)
        );
    } else {
        let _ = writeln!(
            s,
            "\nForecast as of {}:",
            crate::timefmt::local_text(&f.as_of, zone)
        );
    }
    if let Some(c) = f.checked_in {
        let _ = writeln!(
            s,
            "  {}{}: {} of {} {}",
            w.checked_in,
            if f.outcome_known { "" } else { " so far" },
            thousands(c),
            thousands(f.registrations),
            w.registrations
        );
    }
    let _ = writeln!(
        s,
        "  genuine {} by the {}: {}; {}",
        w.registrations,
        if all_day { "day's end" } else { "start" },
        q(&f.final_registrations),
        f.pickup.description
    );
    if let Some(note) = f.unit.note() {
        let _ = writeln!(s, "  counted: {note}");
    }
    let _ = writeln!(s, "  {}: {}", w.will_come, q(&f.attendance));
    if let Some(w) = &f.attendance_with_flagged {
        let _ = writeln!(s, "  if the flagged registrations were genuine: {}", q(w));
    }
    if let (Some(p), Some(e), Some(t)) = (
        f.p_over_capacity,
        f.expected_empty_seats,
        f.expected_turned_away,
    ) {
        let _ = writeln!(
            s,
            "  chance {} {:.0}%; expected empty {} {}; expected turned away {}",
            w.overflows,
            p * 100.0,
            w.places,
            people(e),
            people(t)
        );
    }
    let _ = writeln!(s, "  {}", f.advice);
    let _ = writeln!(s, "  show-up by segment (largest first):");
    for r in f.show_up.iter().take(8) {
        let _ = writeln!(
            s,
            "    {:>5.1}% ({:.0}–{:.0}%) {} — {} {}; {}",
            r.rate * 100.0,
            r.interval[0] * 100.0,
            r.interval[1] * 100.0,
            w.segment(&r.segment),
            thousands(r.tickets),
            w.tickets,
            r.explanation
        );
    }
    if f.show_up.len() > 8 {
        let _ = writeln!(s, "    … {} more segments in --json", f.show_up.len() - 8);
    }
    let _ = writeln!(s, "  {}", f.model);
    if let Some(b) = &f.backtest {
        let _ = writeln!(
            s,
            "  backtest over {} past event{} (walk-forward, 7 and 1 days before the start):",
            b.editions.len(),
            if b.editions.len() == 1 { "" } else { "s" }
        );
        for m in &b.scores {
            let cover = match (m.p10_p90_check, m.p5_p95_check) {
                (Some(a), Some(b)) => format!(
                    "; truth inside P10–P90 {:.0}% ({}), P5–P95 {:.0}% ({})",
                    a.inside as f64 / a.events.max(1) as f64 * 100.0,
                    a.verdict_text(),
                    b.inside as f64 / b.events.max(1) as f64 * 100.0,
                    b.verdict_text()
                ),
                _ => String::new(),
            };
            let _ = writeln!(
                s,
                "    {}: mean error {:.0}% over {} forecasts{cover}",
                w.method(&m.method),
                m.mape * 100.0,
                m.points
            );
        }
    }
}
