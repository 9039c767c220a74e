//! Final registrations: how many more will sign up between now and the event start.
//!
//! With past editions, their signup curves are aligned by days before the event and three
//! pickup methods are tried (Weatherford & Kimes 2003, "A comparison of forecasting methods
//! for hotel revenue management", found the simple pickup methods among the most robust):
//!
//! - additive: the future adds what it added in past editions from the same day on;
//! - multiplicative: the final count is what we have times past editions' final/so-far ratio;
//! - pace: the future is the last three days' signups times past editions' future/last-three-
//!   days ratio (insensitive to an edition opening earlier or drawing a bigger crowd).
//!
//! Each method predicts every past edition from the others (leave one out); the one with the
//! smallest error is used and that error sets the interval. Without usable history the event's
//! own recent daily rate is carried forward, with an interval that widens with the horizon.

use serde::Serialize;

use crate::analysis::aggregate::EditionStats;

/// Days of recent signups the pace method and the fallback look at.
pub const PACE_DAYS: f64 = 3.0;
/// Relative spread of a final count when nothing better is known, per √(day ahead).
const DEFAULT_SPREAD: f64 = 0.08;

/// How the future signups were forecast.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PickupMethod {
    /// The event has started (or its start is unknown): nothing more to come.
    None,
    Additive,
    Multiplicative,
    Pace,
    /// No usable history: the event's own recent daily rate, carried forward.
    OwnRecentRate,
}

impl PickupMethod {
    pub fn describe(self) -> &'static str {
        match self {
            PickupMethod::None => "no more signups expected",
            PickupMethod::Additive => "additive pickup from past editions",
            PickupMethod::Multiplicative => "multiplicative pickup from past editions",
            PickupMethod::Pace => "pace pickup from past editions (last 3 days × their ratio)",
            PickupMethod::OwnRecentRate => "the last 3 days' rate carried forward (no history)",
        }
    }
}

/// What the event's own curve says at the forecast instant.
#[derive(Clone, Copy, Debug, Default)]
pub struct SoFar {
    /// Genuine registrations so far.
    pub registered: f64,
    /// Of which in the last [`PACE_DAYS`] days.
    pub recent: f64,
    /// Days of data behind `recent` (less than [`PACE_DAYS`] for a young event).
    pub recent_days: f64,
    /// Days from the forecast instant to the event start.
    pub days_ahead: f64,
}

/// The forecast of signups still to come.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pickup {
    pub method: PickupMethod,
    /// Median of the signups still to come.
    pub future: f64,
    /// Log-scale spread of the signups still to come.
    pub sigma: f64,
    /// Relative error of each method when predicting past editions from the others.
    pub loo_errors: Vec<(PickupMethod, f64)>,
    /// Share of the future signups by day before the event (index 0 = the last day).
    #[serde(skip)]
    pub by_day: Vec<f64>,
}

/// Registered by `x` days before the event start (linear within a day).
pub fn registered_by(e: &EditionStats, x: f64) -> f64 {
    let c = &e.curve_by_days_before;
    let at = |d: usize| c.get(d).copied().unwrap_or(0) as f64;
    let d = x.max(0.0).floor() as usize;
    let frac = x.max(0.0) - d as f64;
    at(d) - frac * (at(d) - at(d + 1))
}

fn final_of(e: &EditionStats) -> f64 {
    e.curve_by_days_before.first().copied().unwrap_or(0) as f64
}

fn predict(method: PickupMethod, now: &SoFar, others: &[&EditionStats]) -> Option<f64> {
    let x = now.days_ahead;
    let ratios: Vec<f64> = others
        .iter()
        .filter_map(|e| {
            let f = final_of(e);
            let r = registered_by(e, x);
            match method {
                PickupMethod::Additive => Some(f - r),
                PickupMethod::Multiplicative => (r > 0.0).then(|| f / r - 1.0),
                PickupMethod::Pace => {
                    let p = r - registered_by(e, x + now.recent_days);
                    (p > 0.0).then(|| (f - r) / p)
                }
                _ => None,
            }
        })
        .collect();
    if ratios.is_empty() {
        return None;
    }
    let mean = ratios.iter().sum::<f64>() / ratios.len() as f64;
    let future = match method {
        PickupMethod::Additive => mean,
        PickupMethod::Multiplicative => now.registered * mean,
        _ => now.recent * mean,
    };
    Some(future.max(0.0))
}

/// Editions whose curve can be aligned (a known start and signups before it).
pub fn usable<'a>(history: &[&'a EditionStats]) -> Vec<&'a EditionStats> {
    history
        .iter()
        .copied()
        .filter(|e| e.event_start.is_some() && final_of(e) > 0.0)
        .collect()
}

/// Forecasts the signups still to come.
pub fn pickup(now: &SoFar, history: &[&EditionStats]) -> Pickup {
    let days = now.days_ahead;
    if days <= 0.0 {
        return Pickup {
            method: PickupMethod::None,
            future: 0.0,
            sigma: 0.0,
            loo_errors: Vec::new(),
            by_day: Vec::new(),
        };
    }
    let editions = usable(history);
    let default_rel = DEFAULT_SPREAD * (days + 1.0).sqrt();
    let methods = [
        PickupMethod::Pace,
        PickupMethod::Multiplicative,
        PickupMethod::Additive,
    ];
    // Leave-one-out: predict each edition's final count from the others.
    let mut loo_errors = Vec::new();
    if editions.len() >= 2 {
        for m in methods {
            let mut sq = 0.0;
            let mut k = 0;
            for (i, e) in editions.iter().enumerate() {
                let others: Vec<&EditionStats> = editions
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, e)| *e)
                    .collect();
                let r = registered_by(e, days);
                let as_now = SoFar {
                    registered: r,
                    recent: r - registered_by(e, days + now.recent_days),
                    ..*now
                };
                if let Some(f) = predict(m, &as_now, &others) {
                    let err = ((r + f).max(1.0) / final_of(e)).ln();
                    sq += err * err;
                    k += 1;
                }
            }
            if k == editions.len() {
                loo_errors.push((m, (sq / k as f64).sqrt()));
            }
        }
    }
    let chosen = loo_errors
        .iter()
        .copied()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .or_else(|| {
            // One usable edition: pace when the event has a recent pace, else multiplicative.
            methods
                .iter()
                .find(|&&m| predict(m, now, &editions).is_some())
                .map(|&m| (m, default_rel))
        });
    let (method, future, rel) =
        match chosen.and_then(|(m, e)| Some((m, predict(m, now, &editions)?, e))) {
            Some((m, f, err)) => {
                // Shrink the measured error toward the default, then allow for the estimate
                // itself resting on few editions.
                let k: f64 = editions.len() as f64;
                let rel = ((err * err * k + default_rel * default_rel) / (k + 1.0)).sqrt()
                    * (1.0 + 1.0 / k).sqrt();
                (m, f, rel)
            }
            None => {
                let rate = if now.recent_days > 0.0 {
                    now.recent / now.recent_days
                } else {
                    0.0
                };
                // The further ahead, the less the current pace says: 25% per √3 days.
                let rel_future = (0.25 * (days / PACE_DAYS).sqrt()).clamp(0.15, 1.2);
                let future = rate * days;
                let rel = rel_future * future / (now.registered + future).max(1.0);
                (PickupMethod::OwnRecentRate, future, rel)
            }
        };
    // Convert the spread of the final count into a spread of the part still to come.
    let total = now.registered + future;
    let sigma = if future > 0.0 {
        (rel * total / future).min(1.5)
    } else {
        0.0
    };
    Pickup {
        method,
        future,
        sigma,
        loo_errors,
        by_day: future_by_day(days, &editions),
    }
}

/// Share of future signups by day before the event: past editions' average shape, or even.
fn future_by_day(days: f64, editions: &[&EditionStats]) -> Vec<f64> {
    let n = days.ceil().max(1.0) as usize;
    let mut share = vec![0.0; n];
    for e in editions {
        let f = final_of(e) - registered_by(e, days);
        if f <= 0.0 {
            continue;
        }
        for (d, s) in share.iter_mut().enumerate() {
            let upper = (d as f64 + 1.0).min(days);
            *s += (registered_by(e, d as f64) - registered_by(e, upper)) / f;
        }
    }
    let total: f64 = share.iter().sum();
    if total <= 0.0 {
        let each = 1.0 / days.max(1e-9);
        for (d, s) in share.iter_mut().enumerate() {
            *s = ((d as f64 + 1.0).min(days) - d as f64) * each;
        }
        return share;
    }
    share.iter_mut().for_each(|s| *s /= total);
    share
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::aggregate::EventCounts;

    /// An edition whose signups grow by `growth` per day over `open` days, `total` in all.
    fn edition(total: f64, open: usize, growth: f64) -> EditionStats {
        let w: Vec<f64> = (0..open).map(|d| (-growth * d as f64).exp()).collect();
        let sum: f64 = w.iter().sum();
        let mut curve = vec![0u64; open];
        let mut acc = 0.0;
        for d in (0..open).rev() {
            acc += total * w[d] / sum;
            curve[d] = acc.round() as u64;
        }
        EditionStats {
            label: "e".into(),
            event_start: Some(1_000_000_000),
            start_inferred: false,
            registrations: total as u64,
            came: None,
            curve_by_days_before: curve,
            counts: EventCounts::default(),
            cells: Vec::new(),
            home_region: String::new(),
        }
    }

    fn now_of(e: &EditionStats, x: f64) -> SoFar {
        let r = registered_by(e, x);
        SoFar {
            registered: r,
            recent: r - registered_by(e, x + PACE_DAYS),
            recent_days: PACE_DAYS,
            days_ahead: x,
        }
    }

    #[test]
    fn pace_pickup_ignores_size_and_opening_day() {
        // Same shape by days before the event, different sizes and booking windows.
        let history = [
            edition(12_000.0, 14, 0.18),
            edition(8_000.0, 10, 0.18),
            edition(3_000.0, 21, 0.18),
        ];
        let refs: Vec<&EditionStats> = history.iter().collect();
        let target = edition(60_000.0, 10, 0.18);
        let p = pickup(&now_of(&target, 7.0), &refs);
        assert_eq!(p.method, PickupMethod::Pace, "{:?}", p.loo_errors);
        let forecast = registered_by(&target, 7.0) + p.future;
        assert!((forecast / 60_000.0 - 1.0).abs() < 0.03, "{forecast}");
        let share: f64 = p.by_day.iter().sum();
        assert!((share - 1.0).abs() < 1e-9);
    }

    #[test]
    fn without_history_the_interval_widens_with_the_horizon() {
        let target = edition(10_000.0, 30, 0.05);
        let near = pickup(&now_of(&target, 2.0), &[]);
        let far = pickup(&now_of(&target, 20.0), &[]);
        assert_eq!(near.method, PickupMethod::OwnRecentRate);
        assert!(far.future > near.future);
        let width = |p: &Pickup| p.future * p.sigma;
        assert!(width(&far) > width(&near));
        assert_eq!(
            pickup(&now_of(&target, 0.0), &[]).method,
            PickupMethod::None
        );
    }
}
