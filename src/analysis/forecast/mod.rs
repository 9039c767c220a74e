//! How many will come: the assumptions staff can tune, and the forecast they give.
//!
//! 1. Final registrations: pickup from past editions' curves aligned by days before the
//!    event, or the event's own recent rate ([`pickup`]).
//! 2. Show-up per segment and lead time: published priors calibrated by past check-ins
//!    ([`showup`]), and a shared event-day shock measured from how far past editions strayed
//!    from their predictions, so registrants are not treated as deciding independently.
//! 3. Attendance: a seeded Monte Carlo over the signups still to come, the shock, the rates'
//!    uncertainty and the individual coin flips ([`simulate`]).
//! 4. Advice: the newsvendor rule weighing an empty seat against a turned-away guest.
//! 5. Backtest: the same engine run walk-forward over past editions ([`backtest`]).
//!
//! The slider path ([`Model::outlook`]) reads only the aggregates: hours × segments counts.

mod advice;
pub mod backtest;
pub mod pickup;
pub mod showup;
pub mod simulate;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::aggregate::{Aggregates, EditionStats, EventCounts, Segment};
use super::segments::{LEAD_UNKNOWN, LEADS, lead_bucket};
pub use advice::advice;
pub use backtest::{Backtest, backtest};
pub use pickup::{Pickup, PickupMethod};
pub use showup::{Calibration, FREE_SHOW_UP, PAID_SHOW_UP, Rate};
use simulate::{Inputs, Simulation};

const DAY: f64 = 86_400.0;
/// Spread of a whole event's show-up before any past edition says otherwise (weather, one
/// bad news day): 15%.
pub const DEFAULT_SHOCK: f64 = 0.15;
/// How many editions' worth of weight the default shock keeps once history is measured.
const SHOCK_PRIOR_EDITIONS: f64 = 2.0;

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
    /// Prior show-up of free registrations before any check-in is seen.
    pub prior_free: f64,
    /// Prior show-up of paid registrations.
    pub prior_paid: f64,
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
            prior_free: FREE_SHOW_UP,
            prior_paid: PAID_SHOW_UP,
            cost_empty_seat: 1.0,
            cost_turned_away: 3.0,
        }
    }
}

/// Where a segment's show-up rate comes from.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RateSource {
    /// The published median (free or paid) as set in the assumptions.
    Prior { free: bool },
    /// The prior moved by past editions' check-ins: `n` past registrants like these.
    Calibrated { n: u64, editions: usize },
    /// Set by the user.
    Chosen,
}

impl RateSource {
    pub fn describe(&self) -> String {
        match self {
            RateSource::Prior { free: true } => {
                "prior: median of free events (PheedLoop, 860 events: 28% don't come)".to_string()
            }
            RateSource::Prior { free: false } => {
                "prior: median of paid events (PheedLoop, 860 events: 17% don't come)".to_string()
            }
            RateSource::Calibrated { n, editions } => format!(
                "calibrated: {} past registrants like these in {editions} edition{}",
                crate::report::thousands(*n),
                if *editions == 1 { "" } else { "s" }
            ),
            RateSource::Chosen => "set by you".to_string(),
        }
    }
}

/// One segment's show-up rate and its provenance.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShowUp {
    pub segment: String,
    /// Genuine tickets in the segment so far.
    pub tickets: u64,
    pub rate: f64,
    /// 80% interval of the rate.
    pub interval: (f64, f64),
    /// What the rate would be without the user's choice.
    pub default_rate: f64,
    pub default_source: RateSource,
    pub source: RateSource,
}

/// Percentiles of a forecast quantity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Quantiles {
    pub p5: f64,
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
    pub p95: f64,
}

/// The newsvendor's answer.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Decision {
    /// Share of draws that should end within capacity: turned-away cost / (both costs).
    pub service_level: f64,
    /// Genuine registrations the hall can take at that service level.
    pub accept_up_to: Option<f64>,
    /// Whether the overflow area pays for itself.
    pub open_overflow: Option<bool>,
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
    /// Genuine registrations by the event start.
    pub final_registrations: Quantiles,
    pub attendance: Quantiles,
    pub attendance_mean: f64,
    pub p_over_capacity: f64,
    pub expected_empty_seats: f64,
    pub expected_turned_away: f64,
    pub show_up: Vec<ShowUp>,
    pub pickup: Pickup,
    /// Spread of the whole event's show-up (log scale), from past editions or the default.
    pub shock: f64,
    pub decision: Decision,
    pub advice: String,
    /// Which model produced this, shown on screen.
    pub model: String,
}

/// What does not change while sliders move: calibration, rates per segment × lead, shock.
#[derive(Clone, Debug, Default)]
pub struct Model {
    calibration: Calibration,
    /// Per segment × lead: the calibrated rates, and the rates used (the user's overrides
    /// applied).
    calibrated: Vec<Rate>,
    rates: Vec<Rate>,
    shock: f64,
    priors: (f64, f64),
    overrides: BTreeMap<String, f64>,
}

impl Model {
    /// Calibrates from the editions of `agg` for the priors and overrides in `a`.
    pub fn prepare(agg: &Aggregates, a: &Assumptions) -> Model {
        let history: Vec<&EditionStats> = agg.history.iter().collect();
        Model::from_history(&agg.segments, &history, a)
    }

    pub fn from_history(segments: &[Segment], history: &[&EditionStats], a: &Assumptions) -> Model {
        let calibration = Calibration::from_editions(segments, history.iter().copied());
        let calibrated = showup::rate_table(&calibration, segments, a.prior_free, a.prior_paid);
        let mut rates = calibrated.clone();
        for (s, seg) in segments.iter().enumerate() {
            if let Some(&r) = a.show_up_overrides.get(&seg.name) {
                for lead in 0..LEADS {
                    rates[s * LEADS + lead] = Rate {
                        mean: r.clamp(0.0, 1.0),
                        var: 0.0,
                        n: 0,
                    };
                }
            }
        }
        Model {
            shock: shock_sigma(segments, history, a),
            calibration,
            calibrated,
            rates,
            priors: (a.prior_free, a.prior_paid),
            overrides: a.show_up_overrides.clone(),
        }
    }

    /// Whether this model was prepared for the priors and overrides of `a`.
    pub fn fits(&self, a: &Assumptions) -> bool {
        self.priors == (a.prior_free, a.prior_paid) && self.overrides == a.show_up_overrides
    }

    /// The outlook for the event being planned. Cheap: reads only the aggregates.
    pub fn outlook(&self, agg: &Aggregates, a: &Assumptions) -> Outlook {
        let history: Vec<&EditionStats> = agg.history.iter().collect();
        let run = self.run(&agg.current, &agg.segments, &history, a, simulate::DRAWS);
        let mut o = run.into_outlook(self, agg, a);
        o.advice = advice(&o, a);
        o
    }

    /// The engine on any event's counts (the event being planned, or a past edition in a
    /// backtest).
    pub(crate) fn run(
        &self,
        counts: &EventCounts,
        segments: &[Segment],
        history: &[&EditionStats],
        a: &Assumptions,
        draws: usize,
    ) -> Run {
        let as_of = a.as_of.unwrap_or(counts.end());
        let s_count = segments.len();
        // Genuine tickets so far by segment × lead bucket.
        let mut n = vec![0.0f64; s_count * LEADS];
        let end = counts.hour_of(as_of);
        for (h, row) in counts.hourly[..end].iter().enumerate() {
            let lead = match a.event_start {
                Some(start) => lead_bucket(start - counts.hour_start(h) - 1_800),
                None => LEAD_UNKNOWN,
            };
            for (s, &c) in row.iter().enumerate().filter(|(_, c)| **c > 0) {
                n[s * LEADS + lead] += c as f64;
            }
        }
        for (s, &u) in counts.undated.iter().enumerate() {
            n[s * LEADS + LEAD_UNKNOWN] += u as f64;
        }
        let genuine: f64 = n.iter().sum();
        let flagged = counts.flagged_until(as_of);

        // Signups still to come.
        let window = (pickup::PACE_DAYS * DAY) as i64;
        let recent_from = (as_of - window).max(counts.hour0);
        let now = pickup::SoFar {
            registered: genuine,
            recent: counts.pace_between(recent_from, as_of),
            recent_days: ((as_of - recent_from) as f64 / DAY).clamp(0.0, pickup::PACE_DAYS),
            days_ahead: a
                .event_start
                .map_or(0.0, |s| ((s - as_of) as f64 / DAY).max(0.0)),
        };
        let pickup = pickup::pickup(&now, history);

        // Their mix: segments as in the last days, lead times as past editions filled up.
        let mut mix = vec![0.0f64; s_count];
        let recent_start = counts.hour_of(recent_from);
        for row in &counts.hourly[recent_start..end] {
            for (m, &c) in mix.iter_mut().zip(row) {
                *m += c as f64;
            }
        }
        if mix.iter().sum::<f64>() <= 0.0 {
            for s in 0..s_count {
                mix[s] = (0..LEADS).map(|l| n[s * LEADS + l]).sum();
            }
        }
        let mix_total: f64 = mix.iter().sum();
        let mut lead_share = [0.0f64; LEADS];
        if a.event_start.is_some() && !pickup.by_day.is_empty() {
            for (d, &share) in pickup.by_day.iter().enumerate() {
                lead_share[lead_bucket((d as f64 * DAY + DAY / 2.0) as i64)] += share;
            }
        } else {
            lead_share[LEAD_UNKNOWN] = 1.0;
        }

        let mut inputs = Inputs {
            genuine,
            future: pickup.future,
            future_sigma: pickup.sigma,
            shock: self.shock,
            walk_ins: a.walk_ins as f64,
            flagged: match a.flagged {
                FlaggedMode::Excluded => 0.0,
                FlaggedMode::AtRate { .. } => flagged as f64,
            },
            flagged_rate: match a.flagged {
                FlaggedMode::Excluded => 0.0,
                FlaggedMode::AtRate { rate } => rate.clamp(0.0, 1.0),
            },
            ..Inputs::default()
        };
        let rates = &self.rates;
        let rate = |s: usize, l: usize| rates.get(s * LEADS + l).copied();
        for s in 0..s_count {
            for l in 0..LEADS {
                let Some(r) = rate(s, l) else { continue };
                let k = n[s * LEADS + l];
                if k > 0.0 {
                    inputs.now_mean += k * r.mean;
                    inputs.now_binomial += k * r.mean * (1.0 - r.mean);
                    inputs.now_rate_sd += k * r.var.sqrt();
                }
                if mix_total > 0.0 {
                    let w = mix[s] / mix_total * lead_share[l];
                    if w > 0.0 {
                        inputs.future_rate += w * r.mean;
                        inputs.future_rate_sd += w * r.var.sqrt();
                    }
                }
            }
        }
        if mix_total <= 0.0 {
            // Nothing registered yet: future signups at the free prior.
            inputs.future_rate = a.prior_free;
            inputs.future_rate_sd =
                (a.prior_free * (1.0 - a.prior_free) / (showup::PRIOR_STRENGTH + 1.0)).sqrt();
        }
        Run {
            as_of,
            n,
            genuine: genuine.round() as u64,
            flagged,
            pickup,
            sim: Simulation::run(&inputs, draws),
        }
    }
}

/// One run of the engine.
pub(crate) struct Run {
    pub as_of: i64,
    /// Genuine tickets so far per segment × lead.
    pub n: Vec<f64>,
    pub genuine: u64,
    pub flagged: u64,
    pub pickup: Pickup,
    pub sim: Simulation,
}

impl Run {
    fn into_outlook(self, model: &Model, agg: &Aggregates, a: &Assumptions) -> Outlook {
        let capacity = a.capacity as f64;
        let sim = &self.sim;
        let (p_over_capacity, expected_empty_seats) = if a.capacity == 0 {
            (if sim.mean() > 0.0 { 1.0 } else { 0.0 }, 0.0)
        } else {
            (sim.p_over(capacity), sim.expected_shortfall(capacity))
        };
        let expected_turned_away = if a.capacity == 0 {
            0.0
        } else {
            sim.expected_excess(capacity + a.overflow_capacity as f64)
        };
        let service_level = if a.cost_empty_seat + a.cost_turned_away > 0.0 {
            a.cost_turned_away / (a.cost_empty_seat + a.cost_turned_away)
        } else {
            0.5
        };
        let decision = Decision {
            service_level,
            accept_up_to: (a.capacity > 0)
                .then(|| sim.registrations_for(capacity, service_level))
                .flatten(),
            open_overflow: (a.capacity > 0 && a.overflow_capacity > 0)
                .then_some(p_over_capacity > 1.0 - service_level),
        };
        let show_up = show_up_list(model, &agg.segments, &self.n, a);
        let history_note = if model.calibration.editions > 0 {
            format!(
                "show-up calibrated on {} past edition{}",
                model.calibration.editions,
                if model.calibration.editions == 1 {
                    ""
                } else {
                    "s"
                }
            )
        } else {
            "show-up from published priors (no past check-ins loaded)".to_string()
        };
        Outlook {
            as_of: self.as_of,
            registrations: self.genuine + self.flagged,
            genuine: self.genuine,
            flagged: self.flagged,
            final_registrations: sim.registrations_quantiles(),
            attendance: sim.attendance_quantiles(),
            attendance_mean: sim.mean(),
            p_over_capacity,
            expected_empty_seats,
            expected_turned_away,
            show_up,
            model: format!(
                "Forecast: {}; {history_note}; event-day spread ±{:.0}%; {} simulated events.",
                self.pickup.method.describe(),
                model.shock * 100.0,
                crate::report::thousands(sim.draws() as u64)
            ),
            pickup: self.pickup,
            shock: model.shock,
            decision,
            advice: String::new(),
        }
    }
}

/// The per-segment rates as shown: averaged over lead times by the segment's tickets.
fn show_up_list(model: &Model, segments: &[Segment], n: &[f64], a: &Assumptions) -> Vec<ShowUp> {
    let z = 1.281_551_565_5;
    let mut out: Vec<ShowUp> = segments
        .iter()
        .enumerate()
        .filter(|(_, s)| s.tickets > 0)
        .map(|(s, seg)| {
            let at = |l: usize| model.calibrated[s * LEADS + l];
            let cells: Vec<(f64, Rate)> = (0..LEADS).map(|l| (n[s * LEADS + l], at(l))).collect();
            let total: f64 = cells.iter().map(|c| c.0).sum();
            let (mean, sd, most_n) = if total > 0.0 {
                let mean = cells.iter().map(|(k, r)| k * r.mean).sum::<f64>() / total;
                let sd = cells.iter().map(|(k, r)| k * r.var.sqrt()).sum::<f64>() / total;
                let most = cells.iter().map(|(_, r)| r.n).max().unwrap_or(0);
                (mean, sd, most)
            } else {
                let r = at(LEAD_UNKNOWN);
                (r.mean, r.var.sqrt(), r.n)
            };
            let default_source = if most_n > 0 {
                RateSource::Calibrated {
                    n: most_n,
                    editions: model.calibration.editions,
                }
            } else {
                RateSource::Prior { free: seg.free }
            };
            let chosen = a.show_up_overrides.get(&seg.name).copied();
            let rate = chosen.unwrap_or(mean).clamp(0.0, 1.0);
            ShowUp {
                segment: seg.name.clone(),
                tickets: seg.tickets,
                rate,
                interval: if chosen.is_some() {
                    (rate, rate)
                } else {
                    ((mean - z * sd).max(0.0), (mean + z * sd).min(1.0))
                },
                default_rate: mean,
                source: if chosen.is_some() {
                    RateSource::Chosen
                } else {
                    default_source.clone()
                },
                default_source,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.tickets
            .cmp(&a.tickets)
            .then_with(|| a.segment.cmp(&b.segment))
    });
    out
}

/// Spread of an edition's overall show-up around what its segments predict: each past
/// edition predicted from the others; the excess over coin-flip noise, pooled with
/// [`DEFAULT_SHOCK`] worth [`SHOCK_PRIOR_EDITIONS`] editions.
fn shock_sigma(segments: &[Segment], history: &[&EditionStats], a: &Assumptions) -> f64 {
    let with_checkins: Vec<&EditionStats> = history
        .iter()
        .copied()
        .filter(|e| e.came.is_some_and(|c| c > 0) && !e.cells.is_empty())
        .collect();
    if with_checkins.len() < 2 {
        return DEFAULT_SHOCK;
    }
    let mut sum = SHOCK_PRIOR_EDITIONS * DEFAULT_SHOCK * DEFAULT_SHOCK;
    for (i, e) in with_checkins.iter().enumerate() {
        let others = with_checkins
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, e)| *e);
        let cal = Calibration::from_editions(segments, others);
        let mut predicted = 0.0;
        for (s, leads) in e.cells.iter().enumerate() {
            let Some(seg) = segments.get(s) else { continue };
            let prior = showup::prior_for(seg.free, a.prior_free, a.prior_paid);
            for (lead, &(k, _)) in leads.iter().enumerate().filter(|(_, c)| c.0 > 0) {
                predicted += k as f64 * cal.rate(&seg.key, lead, prior).mean;
            }
        }
        let came = e.came.unwrap_or(0) as f64;
        if predicted > 0.0 {
            let r = (came / predicted).ln();
            sum += (r * r - 1.0 / predicted).max(0.0);
        }
    }
    (sum / (SHOCK_PRIOR_EDITIONS + with_checkins.len() as f64)).sqrt()
}

/// The outlook for the current assumptions (prepares a [`Model`] first; the dashboard keeps
/// its model and calls [`Model::outlook`]).
pub fn outlook(agg: &Aggregates, a: &Assumptions) -> Outlook {
    Model::prepare(agg, a).outlook(agg, a)
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
        assert!(matches!(o.show_up[0].source, RateSource::Calibrated { .. }));
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
