//! One event's forecast from the events before it.
//!
//! As of an instant `h` before the event's start:
//!
//! 1. **What is active now** (`x`): genuine registrations made and not cancelled.
//! 2. **Two estimates** from past events seen at the same point before *their* start
//!    ([`HistoryAt`]): *additive* — today's registrations kept and coming at their segments'
//!    calibrated rates, plus the attendees past events gained after this point; and
//!    *multiplicative* — today's registrations times past events' attendance per active
//!    registration. Past events are weighted by recency and a group's own events come first,
//!    borrowing from the whole series when they are few.
//! 3. **Combined** as a weighted geometric mean: neither can run away. The weight is the one
//!    that would have missed recent past events least (Bates & Granger), shrunk toward mostly
//!    additive pickup, which Weatherford & Kimes (2003) found the most robust single method;
//!    the multiplicative one earns weight where events differ in size. With rates the user
//!    chose, the additive estimate alone is used, so the choice shows.
//! 4. **Spread**: a parametric spread (event-day shock and pickup variation, measured on past
//!    events at the same point before their start; counting noise), recalibrated by how far
//!    the same forecast missed the most recent past events in units of its own spread
//!    (walk-forward, each from the events before it).

use serde::Serialize;

use super::DEFAULT_SHOCK;
use super::showup::Rate;
use crate::analysis::aggregate::Aggregates;
use crate::analysis::combine::{PairMiss, combine, prior_weight, weight_from_misses};
use crate::analysis::history::{Components, HistoryAt};
use crate::analysis::segments::LEADS;
use crate::analysis::series::{DAY, PROBS, Series, UNDATED, centred_quantiles, lead_of};
use crate::analysis::stats::normal_cdf;

/// Past events whose misses shape the interval.
pub const RESIDUAL_EVENTS: usize = 40;
/// Misses' worth of weight the parametric spread keeps.
const PARAMETRIC_WEIGHT: f64 = 16.0;
/// No past forecast counts as surer than this (log scale, ±10%) when its miss is measured in
/// units of its spread: a miss of a forecast that claimed no spread at all says the spread was
/// wrong, not that it should be multiplied a thousandfold.
///
/// It matters for final registrations, whose spread has no event-day shock: a series' first
/// hotel nights took no booking on their last day and lost none, so their forecasts a day out
/// claimed a spread near 0, and August's bursts of same-day bookings (21 rooms → 49) then
/// counted as misses of 6 to 19 spreads in every interval for the next 40 nights. At 2% the
/// City hotel a day out showed "36.8 (15.9–124.9), P95 302" final bookings for a night with
/// 28 booked, and the backtest's widest P95 was 3,511 times its P50; at 10% the same night
/// reads 36.8 (19.9–80.4), P95 116, and the widest is 37 times. Backtest of the
/// final-registrations forecast, City a day out: pinball loss over P5–P95 6.98 → 3.87% of
/// final registrations, P10–P90 / P5–P95 holding the truth 89.2% / 93.8% → 84.6% / 90.8%;
/// every other real log and horizon within 0.01, and attendance forecasts, whose spread holds
/// the event-day shock, unchanged.
const MIN_SIGMA: f64 = 0.1;
/// Days of recent signups the no-history fallback looks at.
pub const PACE_DAYS: f64 = 3.0;

/// The shape of a forecast's uncertainty on the log scale: a blend of past misses
/// (centred quantiles at [`PROBS`]) and a normal spread.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Spread {
    /// Standard deviation of the parametric part.
    pub sigma: f64,
    /// Centred quantiles of past log misses, when any.
    #[serde(skip)]
    pub misses: Option<[f64; 9]>,
    /// How many misses, and the weight they get (0–1).
    pub misses_n: usize,
    pub weight: f64,
}

impl Spread {
    pub fn parametric(sigma: f64) -> Spread {
        Spread {
            sigma,
            ..Spread::default()
        }
    }

    /// Blends past misses in, weighted by how many there are. `misses` holds each past
    /// forecast's log miss and the parametric spread that forecast had: a miss counts in units
    /// of its own forecast's spread (an early forecast from one past event was rightly wide),
    /// so what is learned is how well the spreads were calibrated. The normal part is widened
    /// or narrowed by the misses' mean square, and the misses' own quantiles, in this
    /// forecast's units, take weight as they accumulate.
    pub fn with_misses(mut self, misses: &[(f64, f64)]) -> Spread {
        let n = misses.len();
        if n == 0 || self.sigma <= 0.0 {
            return self;
        }
        let mut z: Vec<f64> = misses.iter().map(|&(m, s)| m / s.max(MIN_SIGMA)).collect();
        let mean_sq = z.iter().map(|v| v * v).sum::<f64>();
        if let Some(q) = centred_quantiles(&mut z) {
            let k = PARAMETRIC_WEIGHT;
            let sigma = self.sigma;
            self.misses = Some(q.map(|v| v * sigma));
            self.misses_n = n;
            self.weight = n as f64 / (n as f64 + k);
            self.sigma = sigma * ((k + mean_sq) / (k + n as f64)).sqrt();
        }
        self
    }

    /// The log deviation at standard normal `z`.
    pub fn at(&self, z: f64) -> f64 {
        self.at_p(z, normal_cdf(z))
    }

    /// [`Spread::at`] with `p = Φ(z)` already known (the simulation's fixed draws carry it).
    /// Non-decreasing in `z`.
    pub fn at_p(&self, z: f64, p: f64) -> f64 {
        let normal = self.sigma * z;
        match self.misses {
            Some(q) if self.weight > 0.0 => {
                self.weight * empirical(&q, p, z) + (1.0 - self.weight) * normal
            }
            _ => normal,
        }
    }
}

/// Standard normal quantiles at [`PROBS`].
const PROBS_Z: [f64; 9] = [
    -2.053_748_910_631_823,
    -1.644_853_626_951_472_2,
    -1.281_551_565_544_600_4,
    -0.674_489_750_196_081_7,
    0.0,
    0.674_489_750_196_081_7,
    1.281_551_565_544_600_4,
    1.644_853_626_951_472_2,
    2.053_748_910_631_823,
];

/// Interpolates the centred empirical quantiles at probability `p`; beyond the outermost
/// ones the tail continues at the slope between the outer two.
fn empirical(q: &[f64; 9], p: f64, z: f64) -> f64 {
    if p <= PROBS[0] || p >= PROBS[8] {
        let (i, j) = if p <= PROBS[0] { (0, 1) } else { (8, 7) };
        let (zi, zj) = (PROBS_Z[i], PROBS_Z[j]);
        let slope = (q[i] - q[j]) / (zi - zj);
        return q[i] + slope * (z - zi);
    }
    let k = PROBS.iter().position(|&x| x >= p).unwrap_or(8).max(1);
    let (p0, p1) = (PROBS[k - 1], PROBS[k]);
    q[k - 1] + (q[k] - q[k - 1]) * (p - p0) / (p1 - p0)
}

/// Where within its unit a past event's count is taken to lie when its miss is measured, in
/// (−½, ½): spread evenly over past events by a hash of the event's label (its day and group),
/// so an event keeps its offset whichever series or forecast it is measured in.
///
/// The interval's normal part describes a continuous quantity; a count is not one. A night
/// with 2 rooms on the books that drew exactly 2 is met by a forecast of 2.1 with a spread
/// of ±0.4 rooms, and its miss in units of that spread is near 0, though the forecast was
/// not sure at all: the count could only be 1 or 2. Measured as 2 + u, the miss is what a
/// continuous quantity would have shown (the non-randomised PIT of count forecasts, Czado,
/// Gneiting & Held 2009, *Predictive model assessment for count data*). Without it, a month
/// of a resort's nights of 0–3 rooms, met exactly, shrank the next 7-room night's P10–P90 a
/// day out to 8.3–9.2 rooms.
pub(super) fn count_jitter(label: &str) -> f64 {
    // FNV-1a, mixed (splitmix64's finaliser: labels differ in their last characters), then
    // the top 53 bits as a fraction.
    let mut h = label.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    });
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^= h >> 31;
    (h >> 11) as f64 / (1u64 << 53) as f64 - 0.5
}

/// The focus event's registrations as they stand at an instant.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Standing {
    /// Genuine active tickets per segment × lead bucket.
    pub n: Vec<f64>,
    /// Genuine active tickets, as the forecast counts them (cancelled ones without a time
    /// included, as past events are measured).
    pub genuine: f64,
    /// Genuine tickets holding a place (what the screen shows as registrations).
    pub holding: f64,
    /// Flagged active tickets.
    pub flagged: f64,
    /// Tickets awaiting approval or on a waiting list.
    pub pool: f64,
    /// The same per segment × lead bucket (empty when nobody waits): who is waiting, for the
    /// show-up of those admitted.
    pub pool_n: Vec<f64>,
    /// Of `n`, those cancelled (or declined) without a time (empty when none): counted as
    /// registrations that do not come ([`Standing::expected`]).
    pub cancelled_n: Vec<f64>,
    /// Signups in the last [`PACE_DAYS`] (genuine), and the days that covers.
    pub recent: f64,
    pub recent_days: f64,
    /// Genuine standing tickets whose row says the person came (a replay as of an earlier
    /// time counts only those registered by then).
    pub came: f64,
}

/// How the focus event stands at `as_of`, lead buckets measured to `start`.
pub fn standing(
    series: &Series,
    e: usize,
    as_of: i64,
    start: Option<i64>,
    segments: usize,
) -> Standing {
    let ev = &series.events[e];
    let mut s = Standing {
        n: vec![0.0; segments.max(1) * LEADS],
        ..Standing::default()
    };
    // Most events have nobody waiting and no cancellation without a time: those two stay
    // empty until one is seen (a backtest takes a standing per event and horizon).
    let cells = s.n.len();
    let add = |v: &mut Vec<f64>, idx: usize, q: f64| {
        if v.is_empty() {
            v.resize(cells, 0.0);
        }
        if let Some(c) = v.get_mut(idx) {
            *c += q;
        }
    };
    let first = ev
        .regs
        .iter()
        .find(|r| r.t != UNDATED)
        .map_or(as_of, |r| r.t);
    let recent_from = (as_of - (PACE_DAYS * DAY as f64) as i64).max(first);
    s.recent_days = ((as_of - recent_from) as f64 / DAY as f64).clamp(0.0, PACE_DAYS);
    for r in &ev.regs {
        if r.t >= as_of {
            break;
        }
        if r.end() <= as_of {
            continue;
        }
        let q = r.qty as f64;
        let idx = r.seg as usize * LEADS + lead_of(start, r.t);
        if r.pool {
            s.pool += q;
            add(&mut s.pool_n, idx, q);
            continue;
        }
        if r.flagged {
            s.flagged += q;
            continue;
        }
        s.genuine += q;
        if r.withdrawn() {
            add(&mut s.cancelled_n, idx, q);
        } else {
            s.holding += q;
        }
        if r.came {
            s.came += q;
        }
        if r.t >= recent_from {
            s.recent += q;
        }
        if let Some(v) = s.n.get_mut(idx) {
            *v += q;
        }
    }
    s
}

impl Standing {
    /// Registrations cancelled or declined without a time
    /// ([`crate::analysis::series::Reg::withdrawn`]): in `genuine` as ones that do not come,
    /// left out where registrations are shown.
    pub fn withdrawn(&self) -> f64 {
        (self.genuine - self.holding).max(0.0)
    }

    /// Expected attendees of the standing tickets at `rates` (if they are all kept), with
    /// counting variance and rate spread. A registration cancelled or declined without a time
    /// counts at a rate learned from past editions, which counted theirs as registrants who
    /// did not come (past and present measured alike), and as nobody at a published prior,
    /// which is a rate among those holding a place: a hackathon's 300 declined applications
    /// are not 216 more people.
    pub fn expected(&self, rates: &[Rate]) -> (f64, f64, f64) {
        let cancelled = |k: usize| self.cancelled_n.get(k).copied().unwrap_or(0.0);
        expected_of(
            self.n
                .iter()
                .zip(rates)
                .enumerate()
                .map(|(k, (&n, r))| (if r.n == 0 { n - cancelled(k) } else { n }, r)),
        )
    }
}

/// Expected attendees of tickets `n` (per segment × lead) at the given rates (if they are
/// all kept).
pub fn expected_from(n: &[f64], rates: &[Rate]) -> (f64, f64, f64) {
    expected_of(n.iter().copied().zip(rates))
}

fn expected_of<'a>(cells: impl Iterator<Item = (f64, &'a Rate)>) -> (f64, f64, f64) {
    let (mut mean, mut binomial, mut rate_sd) = (0.0, 0.0, 0.0);
    for (k, r) in cells {
        if k > 0.0 {
            mean += k * r.mean;
            binomial += k * r.mean * (1.0 - r.mean);
            rate_sd += k * r.var.sqrt();
        }
    }
    (mean, binomial, rate_sd)
}

/// What the engine says about one event at one instant.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventForecast {
    /// Median attendance of the genuine registrants (walk-ins and flagged apart).
    pub attendance: f64,
    /// The event-day shock in the interval's normal part: the prior moved toward what past
    /// events at the same point showed ([`Components::showup_spread`]).
    pub shock: f64,
    /// Median final genuine registrations.
    pub registrations: f64,
    pub attendance_spread: Spread,
    pub registrations_spread: Spread,
    pub components: Option<Components>,
    /// Weight of the multiplicative estimate.
    pub w_mul: f64,
    /// Log misses of each estimate over recent past events (RMS), for the report.
    pub errors: Vec<(&'static str, f64)>,
    /// Standing tickets' expected attendees and its counting variance and rate spread.
    pub now_mean: f64,
    pub now_binomial: f64,
    pub now_rate_sd: f64,
    /// Registrations holding a place now, and those withdrawn ([`Standing::withdrawn`]), in
    /// `registrations` as ones that do not come: left out where registrations are shown.
    pub holding: f64,
    pub withdrawn: f64,
}

/// Relative spread of the pickup still to come before past events say how much it varies.
pub const PICKUP_CV: f64 = 0.35;
/// Past events' worth of weight the prior spreads (event-day shock, pickup) keep.
const SPREAD_PRIOR_EVENTS: f64 = 3.0;

/// The parametric spread (log scale) of an attendance forecast `y`: the event-day shock,
/// counting noise of the standing tickets and of the pickup still to come, how much that
/// pickup varies between events, and the uncertainty of the calibrated rates. The shock and
/// the pickup's variation start at `prior_shock` and [`PICKUP_CV`] and move toward what the
/// past events at the same point before their start show, as those accumulate. The
/// pickup's variation follows `w_mul`, the multiplicative estimate's weight in the
/// combination ([`Components::late_sd`]): a forecast that leans on a ratio varies as the
/// ratio did.
pub fn parametric_sigma(
    y: f64,
    now_mean: f64,
    now_binomial: f64,
    now_rate_sd: f64,
    c: &Components,
    prior_shock: f64,
    w_mul: f64,
) -> f64 {
    let still = (y - now_mean * c.kept).max(0.0);
    let yy = y.max(1.0);
    let shock = learned(prior_shock, c.showup_spread, c.spread_events);
    let counting = (c.clump.max(1.0) * still).sqrt();
    let late_sd = learned_beyond(
        still * PICKUP_CV,
        c.late_sd(w_mul),
        c.spread_events,
        counting,
    );
    (shock * shock
        + (now_binomial + still) / (yy * yy)
        + (late_sd / yy).powi(2)
        + (now_rate_sd / yy).powi(2))
    .sqrt()
}

/// [`learned`] for a spread beyond counting noise `noise`, on the log scale of the whole
/// variation (the spread and the noise together): geometric, as spreads are judged in ratios.
/// Averaged as variances, the prior (a third of the pickup) kept a clinic's same-day bookings,
/// which strayed by 28 of 670 beyond counting noise over fourteen past days, at 100 (its
/// P10–P90 a day out held the truth on 19 of 19 days); learned here it is 45 by then. Where the
/// pickup is mostly counting noise (a hotel's few late bookings) the two agree. Mean interval
/// score of P10–P90 relative to the truth, appointments by day a day / a week out: 0.30 / 0.51
/// → 0.27 / 0.48; the City hotel 14 / 28 days out 2.97 / 8.12 → 2.77 / 6.59; no real log or
/// horizon worse. Pinball loss over P5–P95 likewise (by day 1.56 / 2.32 → 1.49 / 2.23 % of
/// who came); P50s unchanged.
fn learned_beyond(prior: f64, measured: Option<f64>, n: f64, noise: f64) -> f64 {
    let k = SPREAD_PRIOR_EVENTS;
    match measured {
        Some(m) if noise > 0.0 => {
            let whole = |v: f64| (v * v + noise * noise).sqrt().ln();
            let t = ((k * whole(prior) + n * whole(m)) / (k + n)).exp();
            (t * t - noise * noise).max(0.0).sqrt()
        }
        _ => learned(prior, measured, n),
    }
}

/// A spread that starts at `prior` and moves toward what `n` past events `measured`
/// (root-mean-square, the prior counting [`SPREAD_PRIOR_EVENTS`] events).
fn learned(prior: f64, measured: Option<f64>, n: f64) -> f64 {
    let k = SPREAD_PRIOR_EVENTS;
    match measured {
        Some(m) => ((k * prior * prior + n * m * m) / (k + n)).sqrt(),
        None => prior,
    }
}

/// The parametric spread (log scale) of a final-registrations forecast `r` made with `x`
/// registrations active: the pickup still to come, its counting noise and its variation, and
/// which of the active ones will still cancel (a coin flip each at the kept share, and how
/// much that share varies between events, learned like the event-day shock). Without the
/// cancellations a day-before forecast of a hotel night had almost no spread, and its
/// misses, in units of that spread, blew the interval up to "0–2,013" rooms.
pub fn registrations_sigma(r: f64, x: f64, c: &Components) -> f64 {
    let rr = r.max(1.0);
    let late = (r - x * c.kept).max(0.0);
    let cancelling = x * c.kept * (1.0 - c.kept);
    // Before past events say otherwise, the pickup varies by PICKUP_CV of itself and the
    // share that cancels by KEPT_CV of itself.
    let late_sd = learned(late * PICKUP_CV, c.late_regs_sd, c.spread_events);
    let kept_sd = learned((1.0 - c.kept) * KEPT_CV, c.kept_spread, c.spread_events);
    ((late_sd / rr).powi(2)
        + c.clump.max(1.0) * (late + cancelling) / (rr * rr)
        + (x * kept_sd / rr).powi(2))
    .sqrt()
}

/// The prior variation of the share of active tickets that cancels, relative to it.
const KEPT_CV: f64 = 0.35;

/// The point forecast of an event from its standing `x`/`expected_now` and its history, with
/// the multiplicative weight `w_mul` (`None`: the prior for its size, [`prior_weight`]).
pub fn point(
    history: &HistoryAt,
    stand: &Standing,
    expected_now: f64,
    prior_rate: f64,
    w_mul: Option<f64>,
) -> Option<(f64, f64, Components)> {
    let c = history.components(stand.genuine, stand.recent, expected_now, prior_rate)?;
    let w = w_mul.unwrap_or_else(|| prior_weight(c.size_ratio));
    Some((
        combine(c.additive, c.multiplicative, w),
        combine(c.additive_regs, c.multiplicative_regs, w),
        c,
    ))
}

/// Forecasts series event `e` as of `as_of` with start `start`: the standing tickets' rates
/// from `rates` (segment × lead); the event-day shock starts at [`DEFAULT_SHOCK`] and moves
/// toward what past events showed, as the backtest scores it. `w_mul` 0 uses the additive
/// estimate alone (the user chose the rates); any other value lets the weight be learned
/// ([`weight_from_misses`]). `None` when no past event is known at `as_of` (the caller falls
/// back on the event's own pace).
pub fn forecast(
    agg: &Aggregates,
    e: usize,
    as_of: i64,
    start: i64,
    rates: &[Rate],
    prior_rate: f64,
    w_mul: f64,
) -> Option<EventForecast> {
    let shock = DEFAULT_SHOCK;
    let series = &agg.series;
    let segments = agg.segments.len();
    let h = start - as_of;
    let history = HistoryAt::new(series, e, as_of, start, h);
    let stand = standing(series, e, as_of, Some(start), segments);
    let (now_mean, now_binomial, now_rate_sd) = stand.expected(rates);
    let chosen = (w_mul <= 0.0).then_some(0.0);
    let (_, _, c) = point(&history, &stand, now_mean, prior_rate, chosen)?;
    // Walk-forward misses over the most recent past events at the same point before them.
    // Each past forecast is made as this one is: its combination weight learned from the
    // misses of the events known when it was made, so the interval is calibrated on the
    // forecast it is drawn around (at the prior weight, the misses of a series whose bookings
    // on the books scale the day were those of a forecast it no longer makes).
    struct Past {
        j: usize,
        at: i64,
        target: f64,
        fin: f64,
        c: Components,
        genuine: f64,
        now: (f64, f64, f64),
    }
    let mut past = Vec::new();
    for j in series
        .known_before(as_of, start)
        .into_iter()
        .take(RESIDUAL_EVENTS)
    {
        let Some(sj) = series.events[j].start else {
            continue;
        };
        let at = sj - h;
        let Some(truth) = series.at_horizon(j, h) else {
            continue;
        };
        let Some(target) = truth.target() else {
            continue;
        };
        let hist_j = HistoryAt::new(series, j, at, sj, h);
        let stand_j = standing(series, j, at, Some(sj), segments);
        let now = stand_j.expected(rates);
        let Some((_, _, cj)) = point(&hist_j, &stand_j, now.0, prior_rate, chosen) else {
            continue;
        };
        past.push(Past {
            j,
            at,
            target,
            fin: truth.fin,
            c: cj,
            genuine: stand_j.genuine,
            now,
        });
    }
    let pair_misses: Vec<PairMiss> = past
        .iter()
        .map(|p| PairMiss::new(p.target, p.c.additive, p.c.multiplicative))
        .collect();
    // Final registrations learn their own weight from their own misses: at a restaurant the
    // guests are mostly walk-ins, whose weight says nothing of how the reservations still to
    // come follow those on the books.
    let pair_misses_r: Vec<PairMiss> = past
        .iter()
        .map(|p| PairMiss::new(p.fin, p.c.additive_regs, p.c.multiplicative_regs))
        .collect();
    let ln = |v: f64| (v.max(0.0) + 1.0).ln();
    let mut misses_y = Vec::with_capacity(past.len());
    let mut misses_r = Vec::with_capacity(past.len());
    let mut known: Vec<PairMiss> = Vec::with_capacity(past.len());
    for p in &past {
        // The weight this past forecast had: learned from the misses known when it was made.
        let mut weight_then = |pairs: &[PairMiss]| match chosen {
            Some(w) => w,
            None => {
                known.clear();
                known.extend(
                    past.iter()
                        .zip(pairs)
                        .filter(|(q, _)| series.events[q.j].outcome_known(p.at))
                        .map(|(_, m)| *m),
                );
                weight_from_misses(&known, prior_weight(p.c.size_ratio))
            }
        };
        let w_j = weight_then(&pair_misses);
        let w_rj = weight_then(&pair_misses_r);
        let y = combine(p.c.additive, p.c.multiplicative, w_j);
        let r = combine(p.c.additive_regs, p.c.multiplicative_regs, w_rj);
        let (now_j, binomial_j, rate_sd_j) = p.now;
        let sigma_j = parametric_sigma(y, now_j, binomial_j, rate_sd_j, &p.c, shock, w_j);
        // A count's miss is measured as if the count were spread over its unit
        // (continuity-corrected: Czado, Gneiting & Held 2009), as the normal part describes it.
        let u = count_jitter(&series.events[p.j].label);
        misses_y.push((ln(p.target + u) - ln(y), sigma_j));
        let sigma_rj = registrations_sigma(r, p.genuine, &p.c);
        misses_r.push((ln(p.fin + u) - ln(r), sigma_rj));
    }
    let rms = |v: &[f64]| (v.iter().map(|x| x * x).sum::<f64>() / v.len().max(1) as f64).sqrt();
    // The combination leans toward the estimate that missed less (unless rates were chosen).
    let (w_mul, w_regs) = if chosen.is_none() {
        let prior = prior_weight(c.size_ratio);
        (
            weight_from_misses(&pair_misses, prior),
            weight_from_misses(&pair_misses_r, prior),
        )
    } else {
        (0.0, 0.0)
    };
    let attendance = combine(c.additive, c.multiplicative, w_mul);
    let registrations = combine(c.additive_regs, c.multiplicative_regs, w_regs);
    let errors = if pair_misses.is_empty() {
        Vec::new()
    } else {
        vec![
            (
                "additive",
                rms(&pair_misses.iter().map(|m| m.additive).collect::<Vec<_>>()),
            ),
            (
                "multiplicative",
                rms(&pair_misses
                    .iter()
                    .map(|m| m.multiplicative)
                    .collect::<Vec<_>>()),
            ),
            (
                "combined",
                rms(&misses_y.iter().map(|m| m.0).collect::<Vec<_>>()),
            ),
        ]
    };
    let sigma_y = parametric_sigma(
        attendance,
        now_mean,
        now_binomial,
        now_rate_sd,
        &c,
        shock,
        w_mul,
    );
    let sigma_r = registrations_sigma(registrations, stand.genuine, &c);
    Some(EventForecast {
        attendance,
        shock: learned(shock, c.showup_spread, c.spread_events),
        registrations,
        attendance_spread: Spread::parametric(sigma_y).with_misses(&misses_y),
        registrations_spread: Spread::parametric(sigma_r).with_misses(&misses_r),
        components: Some(c),
        w_mul,
        errors,
        now_mean,
        now_binomial,
        now_rate_sd,
        holding: stand.holding,
        withdrawn: stand.withdrawn(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::stats::normal_quantile;

    #[test]
    fn probs_z_are_the_normal_quantiles_of_probs() {
        for (p, z) in PROBS.iter().zip(PROBS_Z) {
            assert!((normal_quantile(*p) - z).abs() < 1e-6, "{p}");
        }
    }

    #[test]
    fn normal_functions_agree() {
        for p in [0.01, 0.05, 0.1, 0.5, 0.9, 0.95, 0.99] {
            let z = normal_quantile(p);
            assert!((normal_cdf(z) - p).abs() < 1e-6, "{p}");
        }
        assert!((normal_quantile(0.9) - 1.281_551_6).abs() < 1e-6);
    }

    /// Where past events' pickup was steady in counts but not as a share of what was on the
    /// books (or the other way round), the spread follows the estimate the combination leans
    /// on: the additive estimate's residual is the count, the multiplicative one's the share.
    #[test]
    fn the_pickup_spread_follows_the_estimate_leaned_on() {
        let c = Components {
            kept: 1.0,
            late_sd_parts: Some((4.0, 16.0)),
            spread_events: 1e6,
            ratio_trust: 1.0,
            ..Components::default()
        };
        // 100 expected: 60 on the books now, 40 still to come.
        let sigma = |w: f64| parametric_sigma(100.0, 60.0, 0.0, 0.0, &c, 0.0, w);
        let counting = 40.0f64 / 1e4;
        let at = |sd: f64| (counting + (sd / 100.0f64).powi(2)).sqrt();
        assert!((sigma(0.0) - at(4.0)).abs() < 1e-6, "{}", sigma(0.0));
        assert!((sigma(1.0) - at(16.0)).abs() < 1e-6, "{}", sigma(1.0));
        // An even split is the geometric mean of the two, as before the weight was known.
        assert!((sigma(0.5) - at(8.0)).abs() < 1e-6, "{}", sigma(0.5));
        assert!(sigma(0.25) < sigma(0.5) && sigma(0.5) < sigma(0.75));
        // A multiplicative estimate that is half the additive one (its ratio measured on next
        // to nothing) varies as the additive one does, half as far: all the weight on it is
        // half a weight on the ratio.
        let half = Components {
            ratio_trust: 0.5,
            ..c
        };
        let sigma_half = parametric_sigma(100.0, 60.0, 0.0, 0.0, &half, 0.0, 1.0);
        assert!((sigma_half - at(8.0)).abs() < 1e-6, "{sigma_half}");
        // And one that is all additive varies as the additive one, whatever its weight.
        let none = Components {
            ratio_trust: 0.0,
            ..c
        };
        let sigma_none = parametric_sigma(100.0, 60.0, 0.0, 0.0, &none, 0.0, 1.0);
        assert!((sigma_none - at(4.0)).abs() < 1e-6, "{sigma_none}");
    }

    /// A day before a hotel night nothing more is booked, but a fifth of what is on the books
    /// still cancels: the final count is not certain, and a past miss of a few rooms is not a
    /// sign that the spread should be multiplied a hundredfold.
    #[test]
    fn registrations_that_may_still_cancel_leave_a_spread() {
        let c = Components {
            kept: 0.8,
            ..Components::default()
        };
        let sigma = registrations_sigma(32.0, 40.0, &c);
        // Binomial, √(40 · 0.8 · 0.2) ≈ 2.5 of 32, and before past events say otherwise the
        // share that cancels varying by a third of itself, 40 · 0.2 · 0.35 = 2.8 of 32.
        assert!((sigma - 0.118).abs() < 0.002, "{sigma}");
        // Past nights whose cancellations were plain coin flips take the prior away...
        let steady = Components {
            kept_spread: Some(0.0),
            spread_events: 300.0,
            ..c
        };
        let sigma = registrations_sigma(32.0, 40.0, &steady);
        assert!((sigma - 0.079).abs() < 0.002, "{sigma}");
        // ...and nights where a tenth of the bookings cancelled together widen it.
        let waves = Components {
            kept_spread: Some(0.1),
            ..steady
        };
        let sigma = registrations_sigma(32.0, 40.0, &waves);
        assert!(
            (sigma - (0.079f64.powi(2) + 0.125f64.powi(2)).sqrt()).abs() < 0.003,
            "{sigma}"
        );
        // Tickets that come in tables of four vary as counts of tables.
        let tables = Components {
            clump: 4.0,
            ..steady
        };
        let sigma = registrations_sigma(32.0, 40.0, &tables);
        assert!((sigma - 0.158).abs() < 0.003, "{sigma}");
        assert_eq!(
            registrations_sigma(40.0, 40.0, &Components { kept: 1.0, ..c }),
            0.0
        );
        // A miss of a forecast that claimed no spread counts at the floor.
        let misses = vec![(0.1, 0.0); 40];
        let s = Spread::parametric(0.1).with_misses(&misses);
        assert!(s.at(1.28) < 1.0, "{s:?}");
    }

    #[test]
    fn a_steady_pickup_earns_a_narrow_spread_as_past_events_accumulate() {
        // 670 bookings still to come; past days strayed by 28 beyond counting noise (√670).
        let noise = 670f64.sqrt();
        let prior = 670.0 * PICKUP_CV;
        assert_eq!(learned_beyond(prior, None, 0.0, noise), prior);
        let after = |n: f64| learned_beyond(prior, Some(28.0), n, noise);
        assert!(after(2.0) > after(14.0) && after(14.0) > after(100.0));
        assert!(after(14.0) > 28.0 && after(14.0) < 50.0, "{}", after(14.0));
        assert!(after(1_000.0) < 30.0, "{}", after(1_000.0));
        // Averaged as variances, the prior still held it at 100.
        assert!(learned(prior, Some(28.0), 14.0) > 95.0);
        // A few late bookings, mostly counting noise: the two ways agree within a booking.
        let few = (
            learned_beyond(1.4, Some(1.0), 14.0, 2.0),
            learned(1.4, Some(1.0), 14.0),
        );
        assert!((few.0 - few.1).abs() < 1.0, "{few:?}");
        // Past events that strayed more than the prior learn a wider spread, not a narrower.
        assert!(learned_beyond(10.0, Some(40.0), 14.0, 5.0) > 30.0);
    }

    #[test]
    fn a_count_is_measured_spread_over_its_unit() {
        // Offsets are stable, inside (−½, ½) and spread evenly: each tenth of the unit holds
        // about a tenth of 2,000 labels.
        assert_eq!(
            count_jitter("2016-05-02 · CENTRO"),
            count_jitter("2016-05-02 · CENTRO")
        );
        let mut tenths = [0usize; 10];
        for d in 0..200 {
            for g in 0..10 {
                let u = count_jitter(&format!(
                    "2016-{:02}-{:02} · group {g}",
                    1 + d / 28,
                    1 + d % 28
                ));
                assert!((-0.5..0.5).contains(&u), "{u}");
                tenths[((u + 0.5) * 10.0) as usize] += 1;
            }
        }
        assert!(
            tenths.iter().all(|&n| (160..=240).contains(&n)),
            "{tenths:?}"
        );
    }

    /// A past forecast that claimed no spread (a series' first nights, which took no booking
    /// on their last day and lost none) and then missed by 46% (a burst of same-day
    /// bookings) says its spread was wrong; it does not multiply the next forty intervals.
    #[test]
    fn a_forecast_that_claimed_no_spread_does_not_blow_up_the_next_ones() {
        let mut misses: Vec<(f64, f64)> = (0..39)
            .map(|k| (0.3 * (k as f64 / 19.0 - 1.0), 0.3))
            .collect();
        misses.push((0.378, 0.0));
        let s = Spread::parametric(0.3).with_misses(&misses);
        let calm = Spread::parametric(0.3).with_misses(&misses[..39]);
        assert!(s.at(1.2816) < 1.5 * calm.at(1.2816), "{s:?} {calm:?}");
        assert!(s.sigma < 1.5 * calm.sigma, "{s:?} {calm:?}");
    }

    #[test]
    fn spreads_follow_past_misses_as_they_accumulate() {
        let par = Spread::parametric(0.1);
        assert!((par.at(1.281_551_6) - 0.128_155).abs() < 1e-5);
        // Wide misses pull the interval out.
        let misses: Vec<(f64, f64)> = (0..200)
            .map(|i| ((i as f64 / 199.0 - 0.5) * 2.0, 0.1))
            .collect();
        let wide = Spread::parametric(0.1).with_misses(&misses);
        assert!(wide.weight > 0.9);
        assert!(wide.at(1.28) > 0.5);
        assert!(wide.at(-1.28) < -0.5);
        // Monotone in z.
        let mut last = f64::MIN;
        for k in -30..=30 {
            let v = wide.at(k as f64 / 10.0);
            assert!(v >= last);
            last = v;
        }
    }
}
