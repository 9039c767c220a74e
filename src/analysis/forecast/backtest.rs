//! Walk-forward backtest: every past edition with check-ins is forecast as of each day before
//! its start, using only the editions held before it, and compared with how many came. Two
//! baselines run alongside: additive pickup with the historical average show-up, and
//! registrations so far × 0.6.

use serde::Serialize;

use super::pickup::{registered_by, usable};
use super::{Assumptions, FlaggedMode, Model, Quantiles};
use crate::analysis::aggregate::{Aggregates, EditionStats, pooled_show_up};

const DAY: i64 = 86_400;
/// Furthest day before the event that is backtested.
pub const MAX_DAYS: usize = 28;
/// Draws per backtest forecast (thousands of forecasts; the slider path uses 10,000).
const DRAWS: usize = 2_000;

/// One forecast of one past edition.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BacktestPoint {
    pub edition: String,
    pub days_before: u32,
    /// Tickets whose holders came.
    pub actual: u64,
    pub forecast: Quantiles,
    /// Additive pickup × historical average show-up (`None` without an earlier edition).
    pub additive_baseline: Option<f64>,
    /// Registrations so far × 0.6.
    pub naive_baseline: f64,
}

/// How one method did over all points.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MethodScore {
    pub method: String,
    /// Mean absolute percentage error.
    pub mape: f64,
    /// Share of actuals inside P10–P90 and P5–P95 (methods with intervals only).
    pub coverage_p10_p90: Option<f64>,
    pub coverage_p5_p95: Option<f64>,
    pub points: usize,
}

/// Mean absolute percentage error by day before the event, for the chart.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BacktestDay {
    pub days_before: u32,
    pub model: f64,
    pub additive_baseline: Option<f64>,
    pub naive_baseline: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Backtest {
    /// Editions backtested (those with check-ins and a known start).
    pub editions: Vec<String>,
    pub scores: Vec<MethodScore>,
    pub by_day: Vec<BacktestDay>,
    pub points: Vec<BacktestPoint>,
}

/// Backtests the engine on the past editions of `agg` with the priors of `a`. `None` when no
/// edition has check-ins and a known start.
pub fn backtest(agg: &Aggregates, a: &Assumptions) -> Option<Backtest> {
    let mut editions: Vec<&EditionStats> = agg
        .history
        .iter()
        .filter(|e| e.came.is_some() && e.event_start.is_some() && e.registrations > 0)
        .collect();
    if editions.is_empty() {
        return None;
    }
    editions.sort_by_key(|e| e.event_start);
    let mut out = Backtest::default();
    for e in &editions {
        let start = e.event_start.unwrap_or_default();
        // Walk forward: only editions that had happened before this one.
        let before: Vec<&EditionStats> = agg
            .history
            .iter()
            .filter(|h| h.event_start.is_some_and(|s| s < start))
            .collect();
        let base = Assumptions {
            event_start: Some(start),
            flagged: FlaggedMode::Excluded,
            prior_free: a.prior_free,
            prior_paid: a.prior_paid,
            ..Assumptions::default()
        };
        let model = Model::from_history(&agg.segments, &before, &base);
        let actual = e.came.unwrap_or(0);
        let pooled = pooled_show_up(before.iter().copied());
        let alignable = usable(&before);
        let span = (e.curve_by_days_before.len().saturating_sub(1)).min(MAX_DAYS);
        for d in 0..=span {
            let as_of = start - d as i64 * DAY;
            let run = model.run(
                &e.counts,
                &agg.segments,
                &before,
                &Assumptions {
                    as_of: Some(as_of),
                    ..base.clone()
                },
                DRAWS,
            );
            let so_far = run.genuine as f64;
            let additive_baseline = pooled
                .filter(|_| !alignable.is_empty())
                .map(|(came, regs)| {
                    let add = alignable
                        .iter()
                        .map(|h| h.curve_by_days_before[0] as f64 - registered_by(h, d as f64))
                        .sum::<f64>()
                        / alignable.len() as f64;
                    (so_far + add.max(0.0)) * came as f64 / regs as f64
                });
            out.points.push(BacktestPoint {
                edition: e.label.clone(),
                days_before: d as u32,
                actual,
                forecast: run.sim.attendance_quantiles(),
                additive_baseline,
                naive_baseline: so_far * 0.6,
            });
        }
        out.editions.push(e.label.clone());
    }
    out.scores = scores(&out.points);
    out.by_day = by_day(&comparable(&out.points));
    Some(out)
}

/// The points every method forecast, or all of them when no baseline could run anywhere.
fn comparable(all: &[BacktestPoint]) -> Vec<BacktestPoint> {
    let common: Vec<BacktestPoint> = all
        .iter()
        .filter(|p| p.additive_baseline.is_some())
        .cloned()
        .collect();
    if common.is_empty() {
        all.to_vec()
    } else {
        common
    }
}

fn ape(forecast: f64, actual: u64) -> f64 {
    (forecast - actual as f64).abs() / (actual as f64).max(1.0)
}

fn mean(v: impl Iterator<Item = f64>) -> Option<f64> {
    let (s, n) = v.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| s / n as f64)
}

/// Scores on the points every method could forecast (those with an earlier edition), or on
/// all points when none has one, so the methods are compared on the same ground.
fn scores(all: &[BacktestPoint]) -> Vec<MethodScore> {
    let points = &comparable(all)[..];
    let inside = |lo: f64, hi: f64, a: u64| (lo <= a as f64 && a as f64 <= hi) as u8 as f64;
    let mut out = vec![MethodScore {
        method: "Turnout forecast (P50)".to_string(),
        mape: mean(points.iter().map(|p| ape(p.forecast.p50, p.actual))).unwrap_or(0.0),
        coverage_p10_p90: mean(
            points
                .iter()
                .map(|p| inside(p.forecast.p10, p.forecast.p90, p.actual)),
        ),
        coverage_p5_p95: mean(
            points
                .iter()
                .map(|p| inside(p.forecast.p5, p.forecast.p95, p.actual)),
        ),
        points: points.len(),
    }];
    let additive: Vec<f64> = points
        .iter()
        .filter_map(|p| p.additive_baseline.map(|f| ape(f, p.actual)))
        .collect();
    if !additive.is_empty() {
        out.push(MethodScore {
            method: "Additive pickup × past show-up".to_string(),
            mape: mean(additive.iter().copied()).unwrap_or(0.0),
            coverage_p10_p90: None,
            coverage_p5_p95: None,
            points: additive.len(),
        });
    }
    out.push(MethodScore {
        method: "Registrations × 0.6".to_string(),
        mape: mean(points.iter().map(|p| ape(p.naive_baseline, p.actual))).unwrap_or(0.0),
        coverage_p10_p90: None,
        coverage_p5_p95: None,
        points: points.len(),
    });
    out
}

fn by_day(points: &[BacktestPoint]) -> Vec<BacktestDay> {
    let max = points.iter().map(|p| p.days_before).max().unwrap_or(0);
    (0..=max)
        .filter_map(|d| {
            let here: Vec<&BacktestPoint> = points.iter().filter(|p| p.days_before == d).collect();
            Some(BacktestDay {
                days_before: d,
                model: mean(here.iter().map(|p| ape(p.forecast.p50, p.actual)))?,
                additive_baseline: mean(
                    here.iter()
                        .filter_map(|p| p.additive_baseline.map(|f| ape(f, p.actual))),
                ),
                naive_baseline: mean(here.iter().map(|p| ape(p.naive_baseline, p.actual)))?,
            })
        })
        .collect()
}
