//! Walk-forward backtest: every past event is forecast as of chosen horizons before its
//! start, from the events whose outcome was known by then only, and scored against who came.
//! Three spreadsheet baselines run on exactly the same points:
//!
//! - **A**: registrations so far × past show-up (attendance / final registrations, pooled);
//! - **B**: (registrations so far + past events' average pickup after this point) × past
//!   show-up;
//! - **C**: the mean attendance of past events.
//!
//! With a group column, B and C use the event's own group's past events when there are any.
//! Each horizon is one sweep through the events in time order: show-up calibration and the
//! baselines' sums grow as outcomes become known, and each forecast's miss shapes the intervals
//! of the forecasts made after it, exactly as it would have in real time.

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::engine::{self, Spread};
use super::showup::{self, Calibration};
use super::simulate::{Inputs, Simulation};
use super::{Assumptions, Quantiles};
use crate::analysis::aggregate::Aggregates;
use crate::analysis::combine::{self, PairMiss, combine};
use crate::analysis::history::HistoryAt;
use crate::analysis::series::{DAY, OUTCOME_DELAY, SeriesEvent};

/// Draws per backtest forecast (thousands of forecasts; the slider path uses 10,000).
const DRAWS: usize = 2_000;
/// Past misses that shape each backtest interval.
const MISSES: usize = 40;
/// Events below this size (final registrations, or people counted at the door when more) are
/// forecast but not scored: their percentage errors say little (one person is 5% of 20). When
/// fewer than five events reach it, all are scored.
pub const MIN_REGISTRATIONS: u64 = 20;
/// Days before the start backtested for the error-by-day chart of a small series.
pub const CHART_DAYS: u32 = 28;

/// One forecast of one past event.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BacktestPoint {
    pub edition: String,
    pub group: String,
    pub days_before: u32,
    /// People who came (registrants who came, or the headcount).
    pub actual: u64,
    /// Genuine registrations at the start.
    pub registrations: u64,
    pub forecast: Quantiles,
    /// The forecast of `registrations` (final genuine registrations, kept to the start).
    pub registrations_forecast: Quantiles,
    /// Baseline B (additive pickup × past show-up); `None` without an earlier event.
    pub additive_baseline: Option<f64>,
    /// Registrations so far × 0.6 (kept for earlier reports).
    pub naive_baseline: f64,
    /// Baselines A and C.
    pub baseline_a: Option<f64>,
    pub baseline_c: Option<f64>,
    /// Whether the point counts in the scores (enough registrations, a baseline could run).
    pub scored: bool,
}

/// How one method did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MethodScore {
    pub method: String,
    /// Mean absolute percentage error.
    pub mape: f64,
    /// Median absolute percentage error.
    pub median_ape: f64,
    /// Mean signed percentage error (positive: too high).
    pub bias: f64,
    /// Share of actuals inside P10–P90 and P5–P95 (methods with intervals only).
    pub coverage_p10_p90: Option<f64>,
    pub coverage_p5_p95: Option<f64>,
    pub points: usize,
    /// What those shares say, given how many events they were measured on
    /// ([`CoverageCheck`]).
    pub p10_p90_check: Option<CoverageCheck>,
    pub p5_p95_check: Option<CoverageCheck>,
}

/// Whether a range held the truth as often as it claims, beyond what chance explains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Within what chance allows a range that means what it says.
    AsStated,
    /// Held the truth less often than chance allows: the range claims too much certainty.
    TooNarrow,
    /// Held it more often: the range is more cautious than it needs to be.
    TooWide,
}

/// How far (in shares) a range's coverage may stray from what it claims before it is worth
/// acting on, however many events show it: 79% for a P10–P90 over 16,000 restaurant nights is
/// beyond chance but not a range to distrust.
pub const COVERAGE_TOLERANCE: f64 = 0.05;

/// A range's coverage against what it claims. Over `events` events a range that means what
/// it says holds the truth a binomial number of times, so a backtest of 31 hotel nights can
/// read 68% or 90% for an honest P10–P90 by chance alone; `chance_low`..=`chance_high` is the
/// central 90% of that count. Events of a series are not independent draws (one season's
/// nights miss together), so the band is the least that chance can explain, not all of it.
/// The verdict calls a range off only beyond both that band and [`COVERAGE_TOLERANCE`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CoverageCheck {
    /// The share the range claims (0.8 for P10–P90).
    pub nominal: f64,
    pub inside: usize,
    pub events: usize,
    pub chance_low: usize,
    pub chance_high: usize,
    pub verdict: Verdict,
}

impl CoverageCheck {
    pub fn new(nominal: f64, inside: usize, events: usize) -> CoverageCheck {
        let (chance_low, chance_high) = binomial_central(events, nominal, 0.90);
        let share = inside as f64 / events.max(1) as f64;
        let verdict = if inside < chance_low && share < nominal - COVERAGE_TOLERANCE {
            Verdict::TooNarrow
        } else if inside > chance_high && share > nominal + COVERAGE_TOLERANCE {
            Verdict::TooWide
        } else {
            Verdict::AsStated
        };
        CoverageCheck {
            nominal,
            inside,
            events,
            chance_low,
            chance_high,
            verdict,
        }
    }

    /// What the verdict means, in a few words.
    pub fn verdict_text(&self) -> &'static str {
        match self.verdict {
            Verdict::AsStated => "as stated",
            Verdict::TooNarrow => "too narrow",
            Verdict::TooWide => "wider than needed",
        }
    }
}

impl MethodScore {
    /// How the ranges held, against chance: "P10–P90 held the truth in 22 of 31 (an honest
    /// range: 21–28 by chance), as stated; P5–P95 in 26 of 31 (25–30), as stated", counts
    /// written by `int` (thousands separators). `None` for a method without ranges.
    pub fn ranges_text(&self, int: impl Fn(u64) -> String) -> Option<String> {
        let (a, b) = (self.p10_p90_check?, self.p5_p95_check?);
        Some(format!(
            "P10–P90 held the truth in {} of {} (an honest range: {}–{} by chance), {}; P5–P95 \
             in {} of {} ({}–{}), {}.",
            int(a.inside as u64),
            int(a.events as u64),
            int(a.chance_low as u64),
            int(a.chance_high as u64),
            a.verdict_text(),
            int(b.inside as u64),
            int(b.events as u64),
            int(b.chance_low as u64),
            int(b.chance_high as u64),
            b.verdict_text()
        ))
    }
}

/// The central `mass` of Binomial(`n`, `p`): the smallest counts whose cumulative
/// probabilities reach (1 − mass)/2 and (1 + mass)/2. Exact (the pmf built in logs, so
/// tens of thousands of events do not underflow).
pub fn binomial_central(n: usize, p: f64, mass: f64) -> (usize, usize) {
    if n == 0 || p <= 0.0 || p >= 1.0 {
        let k = if p >= 1.0 { n } else { 0 };
        return (k, k);
    }
    let odds = (p / (1.0 - p)).ln();
    let mut log_pmf = Vec::with_capacity(n + 1);
    let mut v = n as f64 * (1.0 - p).ln();
    log_pmf.push(v);
    for k in 0..n {
        v += ((n - k) as f64 / (k + 1) as f64).ln() + odds;
        log_pmf.push(v);
    }
    let top = log_pmf.iter().copied().fold(f64::MIN, f64::max);
    let pmf: Vec<f64> = log_pmf.iter().map(|l| (l - top).exp()).collect();
    let total: f64 = pmf.iter().sum();
    let tail = (1.0 - mass) / 2.0;
    let (mut low, mut high) = (None, n);
    let mut cum = 0.0;
    for (k, w) in pmf.iter().enumerate() {
        cum += w / total;
        if low.is_none() && cum >= tail {
            low = Some(k);
        }
        if cum >= 1.0 - tail {
            high = k;
            break;
        }
    }
    (low.unwrap_or(0), high)
}

/// Scores at one horizon.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HorizonScores {
    pub days_before: u32,
    pub scores: Vec<MethodScore>,
    /// The final-registrations forecast (P50 and its intervals) against the registrations
    /// kept to the start, on the same points; `None` without scored points.
    pub registrations: Option<MethodScore>,
}

/// Mean absolute percentage error by day before the event, for the chart.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BacktestDay {
    pub days_before: u32,
    pub model: f64,
    pub additive_baseline: Option<f64>,
    pub naive_baseline: f64,
    pub baseline_a: Option<f64>,
    pub baseline_c: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Backtest {
    /// Events backtested (those with a known outcome and start, and an earlier event).
    pub editions: Vec<String>,
    /// Scores over every horizon's scored points.
    pub scores: Vec<MethodScore>,
    /// Scores per horizon.
    pub horizons: Vec<HorizonScores>,
    pub by_day: Vec<BacktestDay>,
    pub points: Vec<BacktestPoint>,
    /// Events too small to score, per the minimum.
    pub min_registrations: u64,
    /// What was counted: people, or a lodging's bookings (the text says so).
    pub unit: crate::dataset::Unit,
}

impl Backtest {
    /// The spreadsheet baseline (A, B or C) with the lowest mean error over every horizon.
    pub fn best_baseline(&self) -> Option<&MethodScore> {
        self.scores
            .iter()
            .skip(1)
            .min_by(|a, b| a.mape.total_cmp(&b.mape))
    }
}

/// What the baselines need of the events known so far, per group ("" = all).
#[derive(Clone, Copy, Debug, Default)]
struct Sums {
    events: f64,
    target: f64,
    fin: f64,
    late: f64,
}

/// A forecast the sweep made, kept until its event's outcome is known: the combined,
/// additive and multiplicative attendance estimates, the combined one's parametric spread,
/// and the final-registrations estimate with its spread.
#[derive(Clone, Copy)]
struct Made {
    attendance: f64,
    additive: f64,
    multiplicative: f64,
    sigma: f64,
    registrations: f64,
    additive_regs: f64,
    multiplicative_regs: f64,
    sigma_r: f64,
}

/// The events a backtest scores, in time: those whose files say who came, but the one in
/// focus, and only those that had happened by then. Replayed as of an earlier time, whose
/// outcome was known then (a replay of an appointment book as of 30 May listed 31 May among
/// its past events, with who came); else those closed (begun, or a day of dates only over)
/// by the time the files' signups end, or that somebody came to or counted: a live appointment book also
/// lists its coming days, each of them "booked, nobody came yet", and scored as past they
/// made the forecast's mean error 549%. (A hotel log's last nights may come after its last
/// booking; their check-outs say they happened.)
fn scorable(agg: &Aggregates, a: &Assumptions) -> Vec<usize> {
    let series = &agg.series;
    let over = |e: &SeriesEvent| match (a.as_of, e.close(), agg.data_end) {
        (Some(t), _, _) => e.outcome_known(t),
        (None, Some(close), Some(end)) if series.per_row => {
            close <= end || e.headcount.is_some() || e.came().is_some_and(|c| c > 0.0)
        }
        _ => true,
    };
    series
        .in_order()
        .iter()
        .copied()
        .filter(|&i| {
            let e = &series.events[i];
            e.attendance().is_some() && !e.focus && over(e)
        })
        .collect()
}

/// Backtests at the given horizons (days before the start). With `chart` the error by day
/// (0–28 days) is added for series of up to 60 events.
pub fn backtest_at(
    agg: &Aggregates,
    a: &Assumptions,
    horizons_days: &[u32],
    min_registrations: u64,
    chart: bool,
) -> Option<Backtest> {
    let series = &agg.series;
    let testable = scorable(agg, a);
    if testable.len() < 2 {
        return None;
    }
    // A series of small events is scored whole: its percentage errors are all there is.
    let big_enough = testable
        .iter()
        .filter(|&&i| {
            series
                .at_horizon(i, 0)
                .is_some_and(|a| a.size() >= min_registrations as f64)
        })
        .count();
    let min_registrations = if big_enough < 5 { 1 } else { min_registrations };
    let mut out = Backtest {
        min_registrations,
        unit: agg.unit,
        ..Backtest::default()
    };
    let mut days: Vec<u32> = horizons_days.to_vec();
    if chart && testable.len() <= 60 {
        days.extend(0..=CHART_DAYS);
    }
    days.sort_unstable();
    days.dedup();
    let mut by_day = Vec::new();
    for d in days {
        let points = sweep(agg, a, d, min_registrations);
        let scored: Vec<&BacktestPoint> = points.iter().filter(|p| p.scored).collect();
        if horizons_days.contains(&d) {
            out.horizons.push(HorizonScores {
                days_before: d,
                scores: scores(&scored),
                registrations: score(REGISTRATIONS_METHOD, &scored, &|p| {
                    let q = p.registrations_forecast;
                    Some((q.p50, Some(q), p.registrations))
                }),
            });
            out.points.extend(points.iter().cloned());
        }
        if !scored.is_empty() {
            let ape_of = |f: &dyn Fn(&BacktestPoint) -> Option<f64>| {
                mean(scored.iter().filter_map(|p| f(p).map(|v| ape(v, p.actual))))
            };
            by_day.push(BacktestDay {
                days_before: d,
                model: ape_of(&|p| Some(p.forecast.p50)).unwrap_or(0.0),
                additive_baseline: ape_of(&|p| p.additive_baseline),
                naive_baseline: ape_of(&|p| Some(p.naive_baseline)).unwrap_or(0.0),
                baseline_a: ape_of(&|p| p.baseline_a),
                baseline_c: ape_of(&|p| p.baseline_c),
            });
        }
    }
    if out.points.is_empty() {
        return None;
    }
    let all: Vec<&BacktestPoint> = out.points.iter().filter(|p| p.scored).collect();
    out.scores = scores(&all);
    // Each event once, in the order first forecast (a set: 30,000 points made a linear
    // search a fifth of a store × day backtest).
    let mut seen: rustc_hash::FxHashSet<&str> = Default::default();
    out.editions = out
        .points
        .iter()
        .filter(|p| seen.insert(p.edition.as_str()))
        .map(|p| p.edition.clone())
        .collect();
    out.by_day = by_day;
    Some(out)
}

/// The dashboard's backtest: 7 and 1 days before, and the error by day for small series.
pub fn backtest(agg: &Aggregates, a: &Assumptions) -> Option<Backtest> {
    backtest_at(agg, a, &[7, 1], MIN_REGISTRATIONS, true)
}

/// One horizon, walking forward through time.
fn sweep(
    agg: &Aggregates,
    a: &Assumptions,
    days: u32,
    min_registrations: u64,
) -> Vec<BacktestPoint> {
    let series = &agg.series;
    let h = days as i64 * DAY;
    // Requests (as of h before each start) and completions (a day after each start), in time.
    let order = series.in_order();
    let mut requests = scorable(agg, a);
    requests.sort_by_key(|&i| series.events[i].start.unwrap_or(i64::MAX) - h);
    let mut completions: Vec<usize> = order.to_vec();
    completions.sort_by_key(|&i| series.events[i].start.unwrap_or(i64::MAX) + OUTCOME_DELAY);
    let stats_by_label: FxHashMap<&str, usize> = agg
        .history
        .iter()
        .enumerate()
        .map(|(k, e)| (e.label.as_str(), k))
        .collect();
    let mut calibration = Calibration::default();
    let mut rates = Vec::new();
    let mut rates_for = 0usize;
    let mut sums: FxHashMap<String, Sums> = FxHashMap::default();
    // Each forecast made, and their misses.
    let mut forecasts: FxHashMap<usize, Made> = FxHashMap::default();
    let mut misses: Vec<(f64, f64)> = Vec::new();
    let mut misses_r: Vec<(f64, f64)> = Vec::new();
    let mut pair_misses: Vec<PairMiss> = Vec::new();
    let mut pair_misses_r: Vec<PairMiss> = Vec::new();
    let mut done = 0usize;
    let mut out = Vec::with_capacity(requests.len());
    for &e in &requests {
        let ev = &series.events[e];
        let Some(start) = ev.start else { continue };
        let as_of = start - h;
        // Everything whose outcome is known by now.
        while done < completions.len() {
            let j = completions[done];
            let ej = &series.events[j];
            let Some(sj) = ej.start else { break };
            if sj + OUTCOME_DELAY > as_of {
                break;
            }
            done += 1;
            if let Some(&k) = stats_by_label.get(ej.label.as_str()) {
                calibration.add(&agg.segments, &agg.history[k]);
            }
            if let (Some(stats), true) = (series.at_horizon(j, h), ej.outcome_known(as_of))
                && let Some(target) = stats.target()
            {
                {
                    for g in [String::new(), ej.group.clone()] {
                        let s = sums.entry(g).or_default();
                        s.events += 1.0;
                        s.target += target;
                        s.fin += stats.fin;
                        s.late += stats.late;
                        if ej.group.is_empty() {
                            break;
                        }
                    }
                    if let Some(m) = forecasts.get(&j) {
                        let ln = |v: f64| (v.max(0.0) + 1.0).ln();
                        let u = engine::count_jitter(&ej.label);
                        misses.push((ln(target + u) - ln(m.attendance), m.sigma));
                        misses_r.push((ln(stats.fin + u) - ln(m.registrations), m.sigma_r));
                        pair_misses.push(PairMiss::new(target, m.additive, m.multiplicative));
                        pair_misses_r.push(PairMiss::new(
                            stats.fin,
                            m.additive_regs,
                            m.multiplicative_regs,
                        ));
                    }
                }
            }
        }
        let Some(truth) = series.at_horizon(e, h) else {
            continue;
        };
        let Some(actual) = truth.target() else {
            continue;
        };
        let history = HistoryAt::new(series, e, as_of, start, h);
        if history.is_empty() {
            continue;
        }
        // The rates change only when an outcome was added to the calibration.
        if rates_for != calibration.editions || rates.is_empty() {
            rates = showup::rate_table(&calibration, &agg.segments, a.prior_free, a.prior_paid);
            rates_for = calibration.editions;
        }
        let stand = engine::standing(series, e, as_of, Some(start), agg.segments.len());
        let (now_mean, now_binomial, now_rate_sd) = stand.expected(&rates);
        let prior = a.prior_free;
        let Some(c) = history.components(stand.genuine, stand.recent, now_mean, prior) else {
            continue;
        };
        let prior_w = combine::prior_weight(c.size_ratio);
        let w_mul = combine::weight_from_misses(
            &pair_misses[pair_misses.len().saturating_sub(MISSES)..],
            prior_w,
        );
        let w_regs = combine::weight_from_misses(
            &pair_misses_r[pair_misses_r.len().saturating_sub(MISSES)..],
            prior_w,
        );
        let y = combine(c.additive, c.multiplicative, w_mul);
        let r = combine(c.additive_regs, c.multiplicative_regs, w_regs);

        let recent = &misses[misses.len().saturating_sub(MISSES)..];
        let sigma = engine::parametric_sigma(
            y,
            now_mean,
            now_binomial,
            now_rate_sd,
            &c,
            super::DEFAULT_SHOCK,
            w_mul,
        );
        let sigma_r = engine::registrations_sigma(r, stand.genuine, &c);
        forecasts.insert(
            e,
            Made {
                attendance: y,
                additive: c.additive,
                multiplicative: c.multiplicative,
                sigma,
                registrations: r,
                additive_regs: c.additive_regs,
                multiplicative_regs: c.multiplicative_regs,
                sigma_r,
            },
        );
        let recent_r = &misses_r[misses_r.len().saturating_sub(MISSES)..];
        let walk = c.walk_ins.unwrap_or((0.0, 0.0));
        let inputs = Inputs {
            attendance: y,
            attendance_spread: Spread::parametric(sigma).with_misses(recent),
            registrations: r,
            registrations_spread: Spread::parametric(sigma_r).with_misses(recent_r),
            walk_ins: walk,
            ..Inputs::default()
        };
        let (forecast, registrations_forecast) = Simulation::quantiles_of(&inputs, DRAWS)
            .unwrap_or_else(|| {
                let sim = Simulation::run(&inputs, DRAWS);
                (sim.attendance_quantiles(), sim.registrations_quantiles())
            });
        // Baselines from every event known so far (the group's own when it has any).
        let all = sums.get("").copied().unwrap_or_default();
        let own = sums
            .get(&ev.group)
            .copied()
            .filter(|s| !ev.group.is_empty() && s.events > 0.0)
            .unwrap_or(all);
        let x = stand.genuine;
        let pooled = (all.fin > 0.0).then(|| all.target / all.fin);
        let baseline_a = pooled.map(|p| x * p);
        let additive_baseline = pooled
            .filter(|_| own.events > 0.0)
            .map(|p| (x + own.late / own.events) * p);
        let baseline_c = (own.events > 0.0).then(|| own.target / own.events);
        out.push(BacktestPoint {
            edition: ev.label.clone(),
            group: ev.group.clone(),
            days_before: days,
            actual: actual.round() as u64,
            registrations: truth.fin.round() as u64,
            forecast,
            registrations_forecast,
            additive_baseline,
            naive_baseline: x * 0.6,
            baseline_a,
            baseline_c,
            scored: truth.size() >= min_registrations as f64 && baseline_a.is_some(),
        });
    }
    out
}

fn ape(forecast: f64, actual: u64) -> f64 {
    (forecast - actual as f64).abs() / (actual as f64).max(1.0)
}

fn signed(forecast: f64, actual: u64) -> f64 {
    (forecast - actual as f64) / (actual as f64).max(1.0)
}

fn mean(v: impl Iterator<Item = f64>) -> Option<f64> {
    let (s, n) = v.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| s / n as f64)
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_unstable_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// One forecast against its truth: the point forecast, its interval (methods that have one)
/// and what happened.
type Scored = (f64, Option<Quantiles>, u64);

fn score(
    name: &str,
    points: &[&BacktestPoint],
    f: &dyn Fn(&BacktestPoint) -> Option<Scored>,
) -> Option<MethodScore> {
    let scored: Vec<Scored> = points.iter().filter_map(|p| f(p)).collect();
    if scored.is_empty() {
        return None;
    }
    let intervals = scored.iter().all(|s| s.1.is_some());
    let inside = |band: &dyn Fn(&Quantiles) -> (f64, f64)| {
        intervals.then(|| {
            scored
                .iter()
                .filter(|&&(_, q, a)| {
                    q.is_some_and(|q| {
                        let (lo, hi) = band(&q);
                        lo <= a as f64 && a as f64 <= hi
                    })
                })
                .count()
        })
    };
    let n = scored.len();
    let inside_80 = inside(&|q| (q.p10, q.p90));
    let inside_90 = inside(&|q| (q.p5, q.p95));
    let share = |k: usize| k as f64 / n as f64;
    Some(MethodScore {
        method: name.to_string(),
        mape: mean(scored.iter().map(|&(v, _, a)| ape(v, a))).unwrap_or(0.0),
        median_ape: median(scored.iter().map(|&(v, _, a)| ape(v, a)).collect()),
        bias: mean(scored.iter().map(|&(v, _, a)| signed(v, a))).unwrap_or(0.0),
        coverage_p10_p90: inside_80.map(share),
        coverage_p5_p95: inside_90.map(share),
        points: n,
        p10_p90_check: inside_80.map(|k| CoverageCheck::new(0.8, k, n)),
        p5_p95_check: inside_90.map(|k| CoverageCheck::new(0.9, k, n)),
    })
}

/// The name of the final-registrations score.
pub const REGISTRATIONS_METHOD: &str = "Turnout final registrations (P50)";

/// The forecast and the three baselines, on the same scored points.
fn scores(points: &[&BacktestPoint]) -> Vec<MethodScore> {
    let baseline = |f: fn(&BacktestPoint) -> Option<f64>| {
        move |p: &BacktestPoint| f(p).map(|v| (v, None, p.actual))
    };
    [
        score("Turnout forecast (P50)", points, &|p| {
            Some((p.forecast.p50, Some(p.forecast), p.actual))
        }),
        score(
            "A: registrations so far × past show-up",
            points,
            &baseline(|p| p.baseline_a),
        ),
        score(
            "B: additive pickup × past show-up",
            points,
            &baseline(|p| p.additive_baseline),
        ),
        score(
            "C: mean attendance of past events",
            points,
            &baseline(|p| p.baseline_c),
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The central 90% of a binomial count, against exact sums (Python's `math.comb`).
    #[test]
    fn chance_bands_are_the_binomials_central_ninety_percent() {
        assert_eq!(binomial_central(31, 0.8, 0.9), (21, 28));
        assert_eq!(binomial_central(31, 0.9, 0.9), (25, 30));
        assert_eq!(binomial_central(19, 0.8, 0.9), (12, 18));
        assert_eq!(binomial_central(14, 0.9, 0.9), (11, 14));
        assert_eq!(binomial_central(65, 0.8, 0.9), (47, 57));
        assert_eq!(binomial_central(1, 0.8, 0.9), (0, 1));
        assert_eq!(binomial_central(0, 0.8, 0.9), (0, 0));
        // Tens of thousands of events (a restaurant group's nights) neither underflow nor
        // leave the normal approximation: 24,000 ± 1.645 · √4,800 ≈ 23,886–24,114.
        let (lo, hi) = binomial_central(30_000, 0.8, 0.9);
        assert!((23_880..=23_890).contains(&lo), "{lo}");
        assert!((24_110..=24_120).contains(&hi), "{hi}");
    }

    #[test]
    fn a_range_is_judged_against_what_chance_allows() {
        // 22 of 31 inside an 80% range is within chance; 19 of 31 is not; 31 of 31 is wider
        // than an 80% range needs to be.
        assert_eq!(CoverageCheck::new(0.8, 22, 31).verdict, Verdict::AsStated);
        assert_eq!(CoverageCheck::new(0.8, 19, 31).verdict, Verdict::TooNarrow);
        assert_eq!(CoverageCheck::new(0.8, 31, 31).verdict, Verdict::TooWide);
        // The same share over many events is not chance: 71% of 3,100.
        assert_eq!(
            CoverageCheck::new(0.8, 2_200, 3_100).verdict,
            Verdict::TooNarrow
        );
        // 79% of 16,000 is beyond chance, but not by enough to act on.
        assert_eq!(
            CoverageCheck::new(0.8, 12_640, 16_000).verdict,
            Verdict::AsStated
        );
        assert_eq!(
            CoverageCheck::new(0.9, 15_400, 16_000).verdict,
            Verdict::TooWide
        );
        let score = MethodScore {
            method: "Turnout forecast (P50)".into(),
            mape: 0.15,
            median_ape: 0.1,
            bias: 0.0,
            coverage_p10_p90: Some(22.0 / 31.0),
            coverage_p5_p95: Some(23.0 / 31.0),
            points: 31,
            p10_p90_check: Some(CoverageCheck::new(0.8, 22, 31)),
            p5_p95_check: Some(CoverageCheck::new(0.9, 23, 31)),
        };
        assert_eq!(
            score.ranges_text(|n| n.to_string()).unwrap(),
            "P10–P90 held the truth in 22 of 31 (an honest range: 21–28 by chance), as stated; \
             P5–P95 in 23 of 31 (25–30), too narrow."
        );
        let baseline = MethodScore {
            p10_p90_check: None,
            p5_p95_check: None,
            ..score
        };
        assert_eq!(baseline.ranges_text(|n| n.to_string()), None);
    }
}
