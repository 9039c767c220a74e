//! How many will come: the assumptions staff can tune, and the forecast they give.
//!
//! The unit is an event (a selection of rows), forecast from the events before it:
//!
//! 1. Show-up per segment and lead time: published priors calibrated by past check-ins
//!    ([`showup`]), and a shared event-day shock measured from how far past events strayed
//!    from their predictions.
//! 2. Attendance and final registrations: additive and multiplicative pickup from past events
//!    seen at the same point before their start, combined, with cancellations still to come
//!    and walk-ins learned from headcounts ([`engine`]); without past events, the event's own
//!    recent pace ([`pickup`]).
//! 3. Uncertainty: how far the same forecast missed recent past events, blended with a
//!    parametric spread; a seeded Monte Carlo turns it into percentiles, the chance of
//!    overflow and the newsvendor's answers ([`simulate`]).
//! 4. Backtest: the engine walk-forward over every past event at chosen horizons, beside three
//!    spreadsheet baselines ([`mod@backtest`]).
//!
//! [`Model::prepare`] does the work that depends on the data, the as-of instant, the start
//! and the show-up settings; [`Model::outlook`] (every slider move) only simulates.

mod advice;
mod assumptions;
pub mod backtest;
pub mod engine;
pub mod events;
mod outlook;
pub mod pickup;
pub mod showup;
pub mod simulate;

use std::collections::BTreeMap;

use super::aggregate::{Aggregates, EditionStats, Segment};
use super::segments::{LEAD_UNKNOWN, LEADS};
use super::series::{HALF_LIFE_EVENTS, OUTCOME_DELAY, UNDATED};
pub use advice::advice;
pub use assumptions::{Assumptions, FlaggedMode};
pub use backtest::{Backtest, backtest};
use engine::Spread;
pub use outlook::{AdmitMore, Decision, Outlook, Quantiles, RateSource, ShowUp};
pub use pickup::{Pickup, PickupMethod};
pub use showup::{Calibration, FREE_SHOW_UP, PAID_SHOW_UP, Rate};
use simulate::{Inputs, Simulation};

const DAY: f64 = 86_400.0;
/// Spread of a whole event's show-up before any past edition says otherwise (weather, one
/// bad news day): 15%.
pub const DEFAULT_SHOCK: f64 = 0.15;
/// How many editions' worth of weight the default shock keeps once history is measured.
const SHOCK_PRIOR_EDITIONS: f64 = 2.0;

/// What the data, the as-of instant, the start and the show-up settings give; sliders that
/// move only capacity, costs, walk-ins or the flagged rate reuse it.
#[derive(Clone, Debug, Default)]
pub struct Model {
    calibration: Calibration,
    /// Per segment × lead: the calibrated rates, and the rates used (the user's overrides
    /// applied).
    calibrated: Vec<Rate>,
    rates: Vec<Rate>,
    shock: f64,
    key: ModelKey,
    prepared: Prepared,
}

/// The assumptions a model was prepared for.
#[derive(Clone, Debug, Default, PartialEq)]
struct ModelKey {
    priors: (f64, f64),
    overrides: BTreeMap<String, f64>,
    event_start: Option<i64>,
    as_of: Option<i64>,
}

impl ModelKey {
    fn of(a: &Assumptions) -> ModelKey {
        ModelKey {
            priors: (a.prior_free, a.prior_paid),
            overrides: a.show_up_overrides.clone(),
            event_start: a.event_start,
            as_of: a.as_of,
        }
    }
}

/// The focus event's forecast before the simulation.
#[derive(Clone, Debug, Default)]
struct Prepared {
    as_of: i64,
    /// The event-day shock the forecast used, when it learned its own from past events of
    /// the series (else the model's, measured on past editions).
    shock: Option<f64>,
    /// The start forecast for: typed, or the event's own.
    start: Option<i64>,
    /// Genuine tickets per segment × lead now, and totals.
    n: Vec<f64>,
    /// Genuine tickets holding a place (shown as registrations).
    holding: f64,
    /// Genuine tickets cancelled or declined without a time: the model counts them as
    /// registrations that do not come, the screen does not ([`Model::outlook`]).
    withdrawn: f64,
    flagged: f64,
    waiting: f64,
    attendance: f64,
    registrations: f64,
    attendance_spread: Spread,
    registrations_spread: Spread,
    pickup: Pickup,
    walk_ins: Option<(f64, f64)>,
    kept: f64,
    /// Genuine attendees per genuine registration holding a place now (for flagged "at the
    /// same rate", and beside those admitted from waiting).
    rate_now: f64,
    /// Expected attendees per waiting registration if admitted: each at the calibrated rate
    /// of its segment and signup lead, as the approved ones.
    waiting_rate: f64,
    /// Standing tickets whose row says the person came: check-ins can be no more (an
    /// outcome column read in a replay also marks people who registered later).
    came_standing: f64,
    /// See [`Outlook::undated_only`].
    undated_only: bool,
    model_note: String,
}

impl Model {
    /// Calibrates from the past events of `agg` and forecasts the focus event for `a`.
    pub fn prepare(agg: &Aggregates, a: &Assumptions) -> Model {
        // Replayed as of an earlier day, only the past events whose outcome was known then
        // calibrate show-up: the replay shows what the forecast said at the time.
        let known = |e: &&EditionStats| match (a.as_of, e.event_start) {
            (Some(at), Some(start)) => start.saturating_add(OUTCOME_DELAY) <= at,
            _ => true,
        };
        let history: Vec<&EditionStats> = agg.history.iter().filter(known).collect();
        let calibration = Calibration::from_editions(&agg.segments, history.iter().copied());
        let calibrated =
            showup::rate_table(&calibration, &agg.segments, a.prior_free, a.prior_paid);
        let mut rates = calibrated.clone();
        for (s, seg) in agg.segments.iter().enumerate() {
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
        let shock = shock_sigma(&agg.segments, &history, a);
        let mut model = Model {
            shock,
            calibration,
            calibrated,
            rates,
            key: ModelKey::of(a),
            prepared: Prepared::default(),
        };
        model.prepared = model.prepare_focus(agg, a);
        model
    }

    /// Whether this model was prepared for the show-up settings, start and as-of of `a`.
    pub fn fits(&self, a: &Assumptions) -> bool {
        self.key == ModelKey::of(a)
    }

    fn prepare_focus(&self, agg: &Aggregates, a: &Assumptions) -> Prepared {
        let Some(e) = agg.focus else {
            return Prepared {
                pickup: Pickup::nothing(PickupMethod::StartUnknown),
                model_note: "nothing loaded".to_string(),
                ..Prepared::default()
            };
        };
        let series = &agg.series;
        let ev = &series.events[e];
        let start = a.event_start.or(ev.start);
        // Default: everything loaded. In a series that is the latest signup or check-in of any
        // of its events (what the files know; the event list uses the same instant); for one
        // event, the end of the last hour with signups, as the chart.
        let last_signup = ev.regs.iter().map(|r| r.t).filter(|&t| t != UNDATED).max();
        let as_of = a.as_of.unwrap_or(match agg.data_end {
            Some(t) if series.per_row => t + 1,
            _ if agg.current.hours() > 0 => agg.current.end(),
            _ => last_signup.map_or(0, |t| t + 1),
        });
        let stand = engine::standing(series, e, as_of, start, agg.segments.len());
        let (now_mean, now_binomial, now_rate_sd) = stand.expected(&self.rates);
        let prior_rate = if agg.segments.iter().any(|s| !s.free) {
            a.prior_paid
        } else {
            a.prior_free
        };
        // Per registration holding a place (those cancelled or declined without a time hold
        // none, though a calibrated rate counts them as registrants who did not come).
        let rate_now = if stand.holding > 0.0 {
            now_mean / stand.holding
        } else {
            a.prior_free
        };
        // Those waiting are of their own kind: a hackathon's pending applicants may come from
        // farther away or have signed up later than the approved ones, and each segment and
        // lead has its rate.
        let (waiting_mean, _, _) = engine::expected_from(&stand.pool_n, &self.rates);
        let waiting_rate = if stand.pool > 0.0 {
            waiting_mean / stand.pool
        } else {
            rate_now
        };
        let calibrated = self.calibration.editions > 0;
        let base = Prepared {
            as_of,
            start,
            n: stand.n.clone(),
            holding: stand.holding,
            withdrawn: stand.withdrawn(),
            flagged: stand.flagged,
            waiting: stand.pool,
            rate_now,
            waiting_rate,
            kept: 1.0,
            came_standing: stand.came,
            undated_only: last_signup.is_none() && !ev.regs.is_empty(),
            ..Prepared::default()
        };
        // No start, or the event has begun: nothing still to come; the standing tickets only.
        let standing_only = |method: PickupMethod, note: &str| {
            let y = now_mean.max(1.0);
            let sigma =
                (self.shock.powi(2) + now_binomial / (y * y) + (now_rate_sd / y).powi(2)).sqrt();
            Prepared {
                attendance: now_mean,
                registrations: stand.genuine,
                attendance_spread: Spread::parametric(sigma),
                registrations_spread: Spread::parametric(0.0),
                pickup: Pickup::nothing(method),
                model_note: note.to_string(),
                ..base.clone()
            }
        };
        let Some(start) = start else {
            return standing_only(
                PickupMethod::StartUnknown,
                "the event start is not set, so signups still to come are not counted",
            );
        };
        // An event of dates only (an appointment day, an arrival date) takes bookings until
        // its day is over: during the day the same-day bookings still to come are forecast
        // from how past days picked up after the same hour (a clinic's book gains a third of
        // its patients on the day). A start typed by the user is a moment, as any event's.
        let close = if a.event_start.is_none() {
            start + ev.grace
        } else {
            start
        };
        if as_of >= close.max(start) {
            return standing_only(PickupMethod::None, "the event has started");
        }
        let chosen = !a.show_up_overrides.is_empty();
        let w_mul = if chosen {
            0.0
        } else {
            crate::analysis::combine::W_MUL
        };
        match engine::forecast(agg, e, as_of, start, &self.rates, prior_rate, w_mul) {
            Some(f) => {
                let c = f.components.unwrap_or_default();
                let method = if chosen {
                    PickupMethod::Additive
                } else {
                    PickupMethod::Combined
                };
                let misses = f.attendance_spread.misses_n;
                Prepared {
                    attendance: f.attendance,
                    registrations: f.registrations,
                    pickup: Pickup {
                        method,
                        future: (f.registrations - stand.genuine * c.kept).max(0.0),
                        sigma: f.registrations_spread.sigma,
                        loo_errors: f.errors.clone(),
                        rough_guess: false,
                    },
                    walk_ins: c.walk_ins,
                    kept: c.kept,
                    attendance_spread: f.attendance_spread,
                    registrations_spread: f.registrations_spread,
                    shock: Some(f.shock),
                    model_note: format!(
                        "{} ({} earlier event{}{}{}); interval from {} past miss{}{}",
                        method.describe(),
                        c.events,
                        if c.events == 1 { "" } else { "s" },
                        if c.same_group > 0 && c.same_group < c.events {
                            format!(", {} of the same group", c.same_group)
                        } else {
                            String::new()
                        },
                        [
                            change(c.weekday_factor).map(|(p, up)| {
                                let dir = if up { "more" } else { "less" };
                                format!(
                                    "; this day of the week picks up {p:.0}% {dir} than the average"
                                )
                            }),
                            change(c.day_factor).map(|(p, up)| {
                                let (more, dir) = if up {
                                    ("more", "up")
                                } else {
                                    ("fewer", "down")
                                };
                                format!(
                                    "; this date has {more} bookings across all groups than past \
                                     dates had at this point: their pickup is scaled {dir} {p:.0}%"
                                )
                            }),
                            (c.half_life > HALF_LIFE_EVENTS).then(|| {
                                format!(
                                    "; past events weigh half as much every {:.0} events back \
                                     (this series' past events were predicted better with that \
                                     long a memory than with {:.0})",
                                    c.half_life, HALF_LIFE_EVENTS
                                )
                            }),
                        ]
                        .into_iter()
                        .flatten()
                        .collect::<String>(),
                        misses,
                        if misses == 1 { "" } else { "es" },
                        if calibrated {
                            format!(
                                "; show-up calibrated on {} past event{}",
                                self.calibration.editions,
                                if self.calibration.editions == 1 {
                                    ""
                                } else {
                                    "s"
                                }
                            )
                        } else {
                            "; show-up from published priors".to_string()
                        }
                    ),
                    ..base
                }
            }
            None => {
                // No earlier event: the event's own pace, carried forward.
                let days_ahead = ((start - as_of) as f64 / DAY).max(0.0);
                let (future, rel) = pickup::own_recent_rate(
                    stand.genuine,
                    stand.recent,
                    stand.recent_days,
                    days_ahead,
                );
                let future_rate = if stand.genuine > 0.0 {
                    now_mean / stand.genuine
                } else {
                    a.prior_free
                };
                let far = far_pace_note(days_ahead, stand.recent_days, future);
                let attendance = now_mean + future * future_rate;
                let registrations = stand.genuine + future;
                let y = attendance.max(1.0);
                let still = future * future_rate;
                let pick_sigma = if future > 0.0 {
                    rel * registrations / future
                } else {
                    0.0
                };
                let sigma = (self.shock.powi(2)
                    + (now_binomial + still) / (y * y)
                    + (still / y * pick_sigma.min(1.5)).powi(2)
                    + (now_rate_sd / y).powi(2))
                .sqrt();
                Prepared {
                    attendance,
                    registrations,
                    attendance_spread: Spread::parametric(sigma),
                    registrations_spread: Spread::parametric(rel),
                    pickup: Pickup {
                        method: PickupMethod::OwnRecentRate,
                        future,
                        sigma: rel,
                        loo_errors: Vec::new(),
                        rough_guess: !far.is_empty(),
                    },
                    model_note: format!(
                        "{}{}; {}",
                        PickupMethod::OwnRecentRate.describe(),
                        far,
                        if calibrated {
                            "show-up calibrated on past check-ins"
                        } else {
                            "show-up from published priors (no past check-ins loaded)"
                        }
                    ),
                    ..base
                }
            }
        }
    }

    /// Any event of the series as of `as_of` (for the list of upcoming events): attendance and
    /// final registrations, with the registrations active then. `None` without a start or an
    /// earlier event.
    pub fn forecast_event(
        &self,
        agg: &Aggregates,
        e: usize,
        as_of: i64,
    ) -> Option<(Quantiles, Quantiles, f64)> {
        let ev = agg.series.events.get(e)?;
        let start = ev.start?;
        // An event of dates only takes bookings until its day is over.
        if as_of >= ev.close()? {
            return None;
        }
        let f = engine::forecast(
            agg,
            e,
            as_of,
            start,
            &self.rates,
            self.key.priors.0,
            crate::analysis::combine::W_MUL,
        )?;
        let walk = f.components.and_then(|c| c.walk_ins).unwrap_or((0.0, 0.0));
        // Under way, as the outlook: nobody who checked in can un-come (a hotel night whose
        // arrivals are in listed 12–17 beside an outlook of 15–17 with 15 arrived).
        let came = if as_of >= start {
            engine::standing(&agg.series, e, as_of, Some(start), agg.segments.len()).came
        } else {
            0.0
        };
        let sim = Simulation::run(
            &Inputs {
                attendance: f.attendance.max(came),
                came,
                attendance_spread: f.attendance_spread,
                registrations: f.registrations,
                registrations_spread: f.registrations_spread,
                walk_ins: walk,
                shock: f.shock,
                ..Inputs::default()
            },
            2_000,
        );
        // As the outlook counts them: registrations holding a place.
        Some((
            sim.attendance_quantiles(),
            sim.registrations_quantiles().less(f.withdrawn),
            f.holding,
        ))
    }

    /// The outlook for the focus event. Cheap: simulates from what [`Model::prepare`] found.
    pub fn outlook(&self, agg: &Aggregates, a: &Assumptions) -> Outlook {
        let p = &self.prepared;
        let shock = p.shock.unwrap_or(self.shock);
        let (walk_ins, learned) = if a.walk_ins > 0 {
            let w = a.walk_ins as f64;
            (Some((w, w.sqrt())), false)
        } else {
            (p.walk_ins, p.walk_ins.is_some())
        };
        // Check-ins are news only once the event has begun: a log written after the fact
        // must not report them for an event still ahead of the as-of time.
        // Replayed as of a moment during the event, only those registered by then count.
        let checked_in = agg
            .checked_in
            .filter(|_| p.start.is_none_or(|s| p.as_of >= s - 6 * 3600))
            .map(|c| c.min(p.came_standing.round() as u64));
        // Once it has started, nobody who checked in can un-come: the forecast of an event
        // under way is at least its check-ins (an appointment book's last day, its no-shows
        // recorded, read 1,498 (1,405–1,597) expected with 1,569 checked in).
        let came = match (checked_in, p.start) {
            (Some(c), Some(s)) if p.as_of >= s => c as f64,
            _ => 0.0,
        };
        let inputs = Inputs {
            attendance: p.attendance.max(came),
            came,
            registrations: p.registrations,
            attendance_spread: p.attendance_spread,
            registrations_spread: p.registrations_spread,
            walk_ins: walk_ins.unwrap_or((0.0, 0.0)),
            flagged: match a.flagged {
                FlaggedMode::Excluded => 0.0,
                FlaggedMode::AtRate { .. } => p.flagged,
            },
            flagged_rate: match a.flagged {
                FlaggedMode::Excluded => 0.0,
                FlaggedMode::AtRate { rate } => rate.clamp(0.0, 1.0),
            },
            shock,
        };
        let sim = Simulation::run(&inputs, simulate::DRAWS);
        // "With the flagged ones": counted at the genuine registrants' rate.
        let with_flagged = (p.flagged > 0.0).then(|| {
            let all = Inputs {
                flagged: p.flagged,
                flagged_rate: p.rate_now.clamp(0.0, 1.0),
                ..inputs.clone()
            };
            Simulation::run(&all, 2_000).attendance_quantiles()
        });
        let capacity = a.capacity as f64;
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
        let admit_more = (p.waiting > 0.0 && a.capacity > 0).then(|| {
            let chosen = a.waiting_show_up.is_some();
            let rate = a.waiting_show_up.unwrap_or(p.waiting_rate).clamp(0.01, 1.0);
            let room = sim.admissible(capacity, service_level, rate);
            AdmitMore {
                count: room.min(p.waiting).max(0.0).floor() as u64,
                waiting: p.waiting as u64,
                show_up: rate,
                show_up_source: if chosen {
                    "set by you".to_string()
                } else {
                    "registrants of the same kind (segment and how early they signed up) at \
                     their calibrated rates"
                        .to_string()
                },
                approved_show_up: p.rate_now,
                chosen,
            }
        });
        // Registrations as the screen counts them: those cancelled or declined without a time
        // (in the model's count as registrations that do not come) left out.
        let withdrawn = p.withdrawn;
        let decision = Decision {
            service_level,
            accept_up_to: (a.capacity > 0)
                .then(|| sim.registrations_for(capacity, service_level, withdrawn))
                .flatten(),
            open_overflow: (a.capacity > 0 && a.overflow_capacity > 0)
                .then_some(p_over_capacity > 1.0 - service_level),
            admit_more,
        };
        let show_up = show_up_list(self, &agg.segments, &p.n, a);
        let genuine = p.holding.round() as u64;
        let flagged = p.flagged.round() as u64;
        let mut o = Outlook {
            as_of: p.as_of,
            undated_only: p.undated_only,
            registrations: genuine + flagged,
            genuine,
            flagged,
            waiting: p.waiting.round() as u64,
            waiting_show_up: p.waiting_rate,
            checked_in,
            event_start: p.start,
            outcome_known: false,
            final_registrations: sim.registrations_quantiles().less(withdrawn),
            attendance: sim.attendance_quantiles(),
            attendance_with_flagged: with_flagged,
            attendance_mean: sim.mean(),
            p_over_capacity,
            expected_empty_seats,
            expected_turned_away,
            show_up,
            model: format!(
                "Forecast: {}; event-day spread ±{:.0}%; {} simulated events.",
                p.model_note,
                shock * 100.0,
                crate::report::thousands(sim.draws() as u64)
            ),
            pickup: p.pickup.clone(),
            shock,
            walk_ins,
            walk_ins_learned: learned,
            cancel_share: (1.0 - p.kept).max(0.0),
            decision,
            advice: String::new(),
            unit: agg.unit,
        };
        // Nobody checked in at all after the event says the check-in was not used (exports
        // carry a "Checked in" column either way), not that nobody came.
        o.outcome_known = o.checked_in.is_some_and(|c| c > 0)
            && o.genuine > 0
            && o.event_start
                .is_some_and(|s| o.as_of >= s + crate::analysis::series::OUTCOME_DELAY);
        if o.outcome_known {
            o.model = "Over: who came is from the check-ins in the file, not a forecast.".into();
        }
        o.advice = advice(&o, a);
        o
    }
}

/// The per-segment rates as shown: averaged over lead times by the segment's tickets.
/// A factor's change worth mentioning (5% or more): the percentage, and whether it is up.
fn change(factor: f64) -> Option<(f64, bool)> {
    let p = (factor - 1.0).abs() * 100.0;
    (p >= 5.0).then_some((p, factor > 1.0))
}

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
    // Each edition against the pool of the others: the whole pool with it taken back out.
    let mut cal = Calibration::from_editions(segments, with_checkins.iter().copied());
    for e in &with_checkins {
        cal.remove(segments, e);
        let mut predicted = 0.0;
        for (s, leads) in e.cells.iter().enumerate() {
            let Some(seg) = segments.get(s) else { continue };
            let prior = showup::prior_for(seg.free, a.prior_free, a.prior_paid);
            for (lead, &(k, _)) in leads.iter().enumerate().filter(|(_, c)| c.0 > 0) {
                predicted += k as f64 * cal.rate(&seg.key, lead, prior).mean;
            }
        }
        cal.add(segments, e);
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

/// Carrying a pace forward over many times the days it was measured on is a guess: said so
/// where the start is more than [`FAR_PACE_RATIO`] times those days away (two signups in
/// three days, a year before the start, carried forward are 240 signups).
fn far_pace_note(days_ahead: f64, measured_days: f64, future: f64) -> String {
    let measured = measured_days.max(1.0);
    if future < 1.0 || days_ahead <= FAR_PACE_RATIO * measured {
        return String::new();
    }
    format!(
        "; carried {:.0} days ahead from {} of signups, so this is a rough guess: the pace \
         of an event's first days rarely holds (a past edition or a series of events gives a \
         forecast)",
        days_ahead,
        if measured_days < 1.5 {
            "1 day".to_string()
        } else {
            format!("{measured_days:.0} days")
        }
    )
}

/// Past this many times the days a pace was measured on, carrying it forward is a guess.
const FAR_PACE_RATIO: f64 = 10.0;

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
            o.advice.contains("No overflow area is needed"),
            "{}",
            o.advice
        );
        // Under way: the check-ins so far are said beside the forecast.
        let mut under_way = o.clone();
        under_way.checked_in = Some(1_234);
        under_way.event_start = Some(under_way.as_of - 3_600);
        let said = advice::advice(&under_way, &a);
        assert!(said.contains("; 1,234 have checked in so far."), "{said}");
        // Its range rounds outward but starts no lower than who is already in.
        under_way.checked_in = Some(1_569);
        under_way.attendance.p10 = 1_569.4;
        under_way.attendance.p50 = 1_600.0;
        under_way.attendance.p90 = 1_631.2;
        let said = advice::advice(&under_way, &a);
        assert!(said.contains("(80% sure: 1,569–1,640)"), "{said}");
        under_way.attendance.p10 = 1_583.0;
        let said = advice::advice(&under_way, &a);
        assert!(said.contains("(80% sure: 1,580–1,640)"), "{said}");
        // A day of dates only still taking bookings: what is expected by the day's end, not
        // by a start that has passed.
        let mut full = under_way.clone();
        full.decision.accept_up_to = Some(full.final_registrations.p50 - 500.0);
        full.decision.open_overflow = Some(false);
        let said = advice::advice(&full, &a);
        assert!(
            said.contains("expected by the day's end are 500 more"),
            "{said}"
        );
        full.event_start = Some(full.as_of + 3_600);
        let said = advice::advice(&full, &a);
        assert!(
            said.contains("expected by the start are 500 more"),
            "{said}"
        );
        under_way.event_start = Some(under_way.as_of + 3_600);
        assert!(!advice::advice(&under_way, &a).contains("so far"));
        // Over, with check-ins: what happened, counted among the genuine registrations (the
        // demo's flagged ones apart).
        let mut over = o.clone();
        over.outcome_known = true;
        over.checked_in = Some(over.genuine / 2);
        over.flagged = 0;
        let said = advice::advice(&over, &a);
        assert!(said.contains(" registered checked in (50%)"), "{said}");
        over.flagged = 1_000;
        let said = advice::advice(&over, &a);
        assert!(
            said.starts_with(&format!(
                "This event is over: {} of the {} genuine registrations checked in (50%)",
                crate::report::thousands(over.genuine / 2),
                crate::report::thousands(over.genuine)
            )),
            "{said}"
        );
        // A lodging's bookings arrive; nobody checks in at a hotel's door in these words.
        over.unit = crate::dataset::Unit::Bookings;
        let said = advice::advice(&over, &a);
        assert!(said.contains(" genuine bookings arrived (50%)"), "{said}");
        over.flagged = 0;
        let said = advice::advice(&over, &a);
        assert!(said.contains(" booked arrived (50%)"), "{said}");
        under_way.unit = crate::dataset::Unit::Bookings;
        under_way.event_start = Some(under_way.as_of - 3_600);
        let said = advice::advice(&under_way, &a);
        assert!(said.contains("1,569 have arrived so far."), "{said}");
        // Room to release more: the show-up says why only when it is the reason.
        let mut room = o.clone();
        room.decision.open_overflow = None;
        room.decision.admit_more = None;
        room.decision.accept_up_to = Some(2_000.0);
        room.final_registrations.p50 = 1_000.0;
        room.attendance.p50 = 600.0;
        let said = advice::advice(&room, &a);
        assert!(said.contains("release about 1,000 more registrations, since only about 60% of those registered come."), "{said}");
        room.attendance.p50 = 990.0;
        let said = advice::advice(&room, &a);
        assert!(
            said.contains("release about 1,000 more registrations."),
            "{said}"
        );
        // A lodging's log: bookings and rooms.
        room.unit = crate::dataset::Unit::Bookings;
        let said = advice::advice(&room, &a);
        assert!(
            said.starts_with("Expect about 990 arriving bookings"),
            "{said}"
        );
        assert!(said.contains("for 1,000,000 rooms"), "{said}");
        assert!(
            said.contains("release about 1,000 more bookings."),
            "{said}"
        );
    }
}
